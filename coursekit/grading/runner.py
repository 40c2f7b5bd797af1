"""Grade every submission of a course in N worker processes, resumably, and write the report.

The parent process is the only writer of the course gradebook, `grading-state.json` and the
report. It records each submission as soon as its worker returns, in one gradebook transaction
followed by an atomic rewrite of the state file, so a run stopped by SIGINT or SIGKILL loses at
most the submissions still in flight. The next run skips every submission whose files and
source are unchanged since it was recorded, and grades the rest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import sqlite3
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from coursekit.cli import CommandError
from coursekit.course import nbgrader_steps as steps
from coursekit.course.layout import CourseLayout
from coursekit.grading.intake import folder_digest
from coursekit.grading.worker import Outcome, Task, grade_cells, grade_task, limit_memory

log = logging.getLogger(__name__)

STATE_FILE = "grading-state.json"
REPORT_FILE = "grading-report.txt"
# Scratch courses of the workers; rebuilt on every run.
WORK_FOLDER = ".grading"
# A submission whose worker process dies this many times is reported as not graded.
MAX_ATTEMPTS = 2


def _write_atomically(path: Path, text: str) -> None:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     prefix=f".{path.name}.") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(file.name, path)


def load_state(layout: CourseLayout) -> dict:
    """Return {student: {assignment: entry}} of the submissions recorded so far."""
    path = layout.root / STATE_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))["students"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise CommandError(f"{path} is damaged ({error}); delete it and run again with --regrade") from error


def _save_state(layout: CourseLayout, state: dict) -> None:
    _write_atomically(layout.root / STATE_FILE, json.dumps({"version": 1, "students": state}, indent=1,
                                                           ensure_ascii=False, sort_keys=True))


def report_line(student: str, assignment: str, entry: dict) -> str:
    """Return the report's line for one submission: score, then anything the instructor should know."""
    details = []
    if entry.get("error"):
        details.append(f"not graded: {entry['error']}")
    details += entry.get("notes", [])
    if entry.get("tampering"):
        details.append("tampering: " + "; ".join(entry["tampering"]))
    line = f"{student}/{assignment}: {entry['score']:g} / {entry['max_score']:g}"
    return line + (f" ({'; '.join(details)})" if details else "")


def _source_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _replace_tree(source: Path, target: Path) -> None:
    """Copy `source` over `target`: the old copy disappears only once the new one is complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _record_grades(api, outcome: Outcome) -> None:
    """Replace the student's submission in the course gradebook with the outcome's cell scores."""
    from nbgrader.api import MissingEntry

    with api.gradebook as gradebook:
        gradebook.update_or_create_student(outcome.student)
        try:
            gradebook.remove_submission(outcome.assignment, outcome.student)
        except MissingEntry:
            pass
        gradebook.add_submission(outcome.assignment, outcome.student)
        for grade_id, (score, _) in outcome.scores.items():
            grade = gradebook.find_grade(grade_id, outcome.assignment, outcome.assignment, outcome.student)
            grade.auto_score = score
            grade.needs_manual_grade = False
        gradebook.db.commit()


def _commit(layout: CourseLayout, api, state: dict, outcome: Outcome, source_digest: str) -> dict:
    if outcome.autograded is not None:
        _replace_tree(outcome.autograded.parent, layout.autograded / outcome.student / outcome.assignment)
    if outcome.feedback is not None:
        _replace_tree(outcome.feedback.parent, layout.feedback / outcome.student / outcome.assignment)
    _record_grades(api, outcome)
    entry = {"digest": outcome.digest, "source": source_digest, "score": outcome.score,
             "max_score": outcome.max_score, "error": outcome.error, "notes": outcome.notes,
             "tampering": outcome.tampering}
    state.setdefault(outcome.student, {})[outcome.assignment] = entry
    _save_state(layout, state)
    return entry


def _failed(task: Task, message: str) -> Outcome:
    """Return an outcome of 0 points on every graded cell, for a submission the grader could not finish."""
    outcome = Outcome(task.student, task.assignment, folder_digest(task.submitted), error=message)
    points, _ = grade_cells(task.source / f"{task.assignment}.ipynb")
    outcome.scores = {grade_id: (0.0, value) for grade_id, value in points.items()}
    return outcome


def _worker_init(memory_mb: int | None) -> None:
    limit_memory(memory_mb)


def _run_tasks(tasks: list[Task], jobs: int, memory_mb: int | None, on_outcome) -> None:
    """Grade `tasks` in `jobs` worker processes; call on_outcome(task, outcome) in the parent as each ends."""
    attempts = {task.work: 0 for task in tasks}
    pending = list(tasks)
    context = multiprocessing.get_context("spawn")
    while pending:
        retry = []
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init,
                                 initargs=(memory_mb,)) as pool:
            futures = {pool.submit(grade_task, task): task for task in pending}
            try:
                for future in as_completed(futures):
                    task = futures[future]
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        attempts[task.work] += 1
                        if attempts[task.work] < MAX_ATTEMPTS:
                            retry.append(task)
                            continue
                        outcome = _failed(task, "the grading worker process died twice (out of memory or killed)")
                    except Exception as error:  # noqa: BLE001 - one submission's failure must not stop the others
                        log.exception("grading %s/%s failed", task.student, task.assignment)
                        outcome = _failed(task, f"the grader failed: {type(error).__name__}: {error}")
                    on_outcome(task, outcome)
            except KeyboardInterrupt:
                # Stop the workers now rather than after their current notebook. Their kernels
                # exit on their own when their parent process is gone (ipykernel's parent poller).
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        pending = retry


def grade_course(layout: CourseLayout, config_file: Path, regrade: bool = False, jobs: int = 1,
                 cell_timeout: int | None = None, memory_mb: int | None = 4096, echo=print) -> list[str]:
    """Grade every changed or new submission under layout.submitted; return the report's lines.

    Each submission is graded in a worker process from a repaired copy; `submitted/` is only read.
    `cell_timeout` (seconds) replaces the configuration's Execute.timeout; `memory_mb` caps each
    kernel's memory.
    """
    if jobs < 1:
        raise CommandError(f"--jobs must be at least 1; got {jobs}")
    assignments = sorted(path.name for path in layout.source.iterdir() if path.is_dir())
    students = sorted(path.name for path in layout.submitted.iterdir() if path.is_dir())
    api = steps.open_api(layout, config_file)
    if cell_timeout is None:
        cell_timeout = int(api.config.Execute.get("timeout", 120))

    work_root = layout.root / WORK_FOLDER
    shutil.rmtree(work_root, ignore_errors=True)
    work_root.mkdir(parents=True)
    template = work_root / "template.db"
    with sqlite3.connect(layout.gradebook) as course_db, sqlite3.connect(template) as copy:
        course_db.backup(copy)

    state = load_state(layout)
    skipped = 0
    source_digests = {assignment: _source_digest(layout.source / assignment) for assignment in assignments}
    tasks = []
    for student in students:
        for folder in sorted((layout.submitted / student).iterdir()):
            if folder.name not in assignments:
                echo(f"warning: {folder} is not a released assignment ({', '.join(assignments)}); not graded")
        for assignment in assignments:
            submitted = layout.submitted / student / assignment
            if not submitted.is_dir():
                continue
            entry = state.get(student, {}).get(assignment)
            if (not regrade and entry and entry.get("digest") == folder_digest(submitted)
                    and entry.get("source") == source_digests[assignment]):
                skipped += 1
                continue
            tasks.append(Task(
                student=student, assignment=assignment, submitted=submitted.resolve(),
                source=(layout.source / assignment).resolve(),
                release_notebook=layout.release_notebook(assignment).resolve(),
                template_db=template.resolve(), work=(work_root / f"{len(tasks):05d}").resolve(),
                config_file=Path(config_file).resolve(), cell_timeout=cell_timeout,
            ))

    if skipped:
        echo(f"{skipped} submissions unchanged since they were graded; skipped (--regrade grades them again)")

    done = 0

    def on_outcome(task: Task, outcome: Outcome) -> None:
        nonlocal done
        entry = _commit(layout, api, state, outcome, source_digests[task.assignment])
        shutil.rmtree(task.work, ignore_errors=True)
        done += 1
        echo(f"[{done}/{len(tasks)}] {report_line(task.student, task.assignment, entry)}")

    try:
        _run_tasks(tasks, jobs, memory_mb, on_outcome)
    except KeyboardInterrupt:
        echo(f"interrupted after grading {done} of {len(tasks)} submissions; run the same command again "
             "to grade the rest")
        raise

    lines = [report_line(student, assignment, state[student][assignment])
             for student in sorted(state) for assignment in sorted(state[student])
             if (layout.submitted / student / assignment).is_dir()]
    _write_atomically(layout.root / REPORT_FILE, "\n".join(lines) + "\n")
    shutil.rmtree(work_root, ignore_errors=True)
    return lines
