"""The three instructor jobs: the example course end to end, the student release, and grading."""

from __future__ import annotations

import filecmp
import hashlib
import json
import logging
import shutil
from pathlib import Path

import nbformat

from coursekit.cli import CommandError
from coursekit.course import nbgrader_steps as steps
from coursekit.course.examples import fill_release, read_answers
from coursekit.course.execute import budget_env, execute_notebook
from coursekit.course.layout import CourseLayout
from coursekit.course.report import Scores, grades_table, write_grades_csv

# Data-segment cap of each grading kernel in MiB: far above what the bundled notebooks need under
# the grading budget, far below a machine's memory.
DEFAULT_MEMORY_MB = 4096

log = logging.getLogger(__name__)

# Written into every folder that `run_example_course` builds, so that a later run may replace
# that folder (and only such a folder) without losing anything a person put there.
MARKER = ".coursekit-example-course"


# Digests of the files each release build wrote, so the next build can tell a student's edits
# (for example after `make lab`, which opens the release folder) from its own output.
RELEASE_MANIFEST = ".release-manifest.json"


def _file_digests(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _keep_edited_release(layout: CourseLayout, assignment: str, built: dict[str, str], echo=print) -> None:
    """Move release/<assignment> aside when it holds files the last build did not write as they are."""
    folder = layout.release / assignment
    if not folder.is_dir() or _file_digests(folder) == built:
        return
    number = 1
    while (kept := layout.root / "release-kept" / f"{assignment}-{number}").exists():
        number += 1
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), kept)
    echo(f"{folder} held edited or new files; moved them to {kept} before building the release again")


def build_release(layout: CourseLayout, notebooks: list[Path], config_file: Path, echo=print) -> None:
    """Copy the source notebooks into the course and build the student release of each.

    Work a student saved inside the release folder is moved to release-kept/ first, never overwritten.
    """
    api = steps.open_api(layout, config_file)
    manifest_path = layout.root / RELEASE_MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    for notebook in notebooks:
        assignment = notebook.stem
        target = layout.source / assignment / notebook.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, target)
        _keep_edited_release(layout, assignment, manifest.get(assignment, {}), echo)
        steps.generate_assignment(api, assignment)
        manifest[assignment] = _file_digests(layout.release / assignment)
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        echo(f"released {assignment} -> {layout.release_notebook(assignment)}")


def _import_submissions(layout: CourseLayout, incoming: Path, echo=print) -> None:
    """Copy submissions laid out as <student>/<assignment>/ into the course; never overwrite one."""
    if not incoming.is_dir():
        raise CommandError(f"submissions folder {incoming} not found; pass --submitted DIR laid out as "
                           "DIR/<student>/<assignment>/<notebook>.ipynb")
    for path in sorted(incoming.glob("*/*/*")):
        if not path.is_file():
            continue
        relative = path.relative_to(incoming)
        target = layout.submitted / relative
        if target.exists():
            if filecmp.cmp(path, target, shallow=False):
                continue
            raise CommandError(
                f"{target} already contains a different submission than {path}; move one of them away "
                "before grading, so that neither is lost"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        echo(f"imported {relative}")


def grade_submissions(
    layout: CourseLayout, config_file: Path, incoming: Path | None = None, regrade: bool = False, echo=print,
    jobs: int = 1, cell_timeout: int | None = None, memory_mb: int | None = DEFAULT_MEMORY_MB,
) -> Scores:
    """Autograde every submission under layout.submitted, write feedback, grades.csv and the report.

    Submissions graded before and unchanged are skipped unless `regrade`. Submissions for an
    assignment that was never released are reported and left alone. `jobs` worker processes
    grade in parallel; see `coursekit.grading` for how the scores are made trustworthy.
    """
    if not layout.source.is_dir() or not any(layout.source.iterdir()):
        raise CommandError(
            f"no released assignments in {layout.root}; run `coursekit release --course {layout.root}` first"
        )
    if incoming is not None:
        _import_submissions(layout, incoming, echo)
    if not layout.submitted.is_dir():
        raise CommandError(f"no submissions in {layout.submitted}; put them there as <student>/<assignment>/ "
                           "or pass --submitted DIR")

    # Imported here because coursekit.grading's worker processes import coursekit.course.
    from coursekit.grading.runner import REPORT_FILE, grade_course

    assignments = sorted(path.name for path in layout.source.iterdir() if path.is_dir())
    students = sorted(path.name for path in layout.submitted.iterdir() if path.is_dir())
    with budget_env("grading"):
        grade_course(layout, config_file, regrade=regrade, jobs=jobs, cell_timeout=cell_timeout,
                     memory_mb=memory_mb, echo=echo)

    api = steps.open_api(layout, config_file)
    scores = steps.read_scores(api, assignments, students)
    kept = write_grades_csv(scores, layout.grades_csv)
    if kept:
        echo(f"kept the previous grades as {kept}")
    echo("")
    echo(grades_table(scores, students, assignments))
    echo("")
    echo(f"grades: {layout.grades_csv}")
    echo(f"report: {layout.root / REPORT_FILE}")
    echo(f"feedback: {layout.feedback}/<student>/<assignment>/<notebook>.html")
    return scores


def _prepare_example_folder(root: Path) -> None:
    if root.exists():
        if (root / MARKER).exists():
            shutil.rmtree(root)
        elif any(root.iterdir()):
            raise CommandError(
                f"{root} exists and was not made by `coursekit course`; pass another --out or empty it yourself"
            )
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("Built by `coursekit course`; the next run replaces this whole folder.\n")


def check_answer_files(examples: Path, course: list[str], selected: list[str], echo=print) -> None:
    """Reject answer files `<examples>/<student>/<name>.py` whose name matches no course notebook.

    Such a file, usually named after a misspelt or renamed notebook, would otherwise be skipped,
    and its student would be graded on an untouched release. Files of course notebooks left out
    of `selected` (by --only) are skipped with a note. `course` and `selected` contain notebook
    file stems.

    Raises:
        CommandError: naming every unmatched file and the notebooks an answer file may be named after.
    """
    if not examples.is_dir():
        return  # build_example_submissions reports the missing folder
    answer_files = sorted(examples.glob("*/*.py"))
    unmatched = [path for path in answer_files if path.stem not in course]
    if unmatched:
        listed = ", ".join(str(path) for path in unmatched)
        raise CommandError(
            f"no course notebook found for answer file(s) {listed}; rename each file to <student>/NN_name.py "
            f"after one of {', '.join(course)}, or pass --examples DIR with answer files for these notebooks"
        )
    for path in answer_files:
        if path.stem not in selected:
            echo(f"skipped {path}: notebook {path.stem} is not among the selected notebooks")


def build_example_submissions(layout: CourseLayout, examples: Path, assignments: list[str], echo=print) -> list[str]:
    """Write each example student's submissions into layout.submitted; return the student ids."""
    if not examples.is_dir():
        raise CommandError(f"example submissions folder {examples} not found; pass --examples DIR")
    students = sorted(path.name for path in examples.iterdir() if path.is_dir())
    if not students:
        raise CommandError(f"no example students (folders) in {examples}")
    for student in students:
        for assignment in assignments:
            answer_file = examples / student / f"{assignment}.py"
            answers = read_answers(answer_file) if answer_file.exists() else {}
            notebook = fill_release(layout.release_notebook(assignment), answers, answer_file)
            target = layout.submission(student, assignment)
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, target)
        echo(f"prepared the submissions of example student {student!r}")
    return students


def run_example_course(
    notebooks: list[Path],
    examples: Path,
    config_file: Path,
    out: Path,
    execute: bool = True,
    echo=print,
    course_notebooks: list[Path] | None = None,
) -> Scores:
    """Run the whole instructor pipeline on the bundled notebooks and example submissions.

    1. run every source notebook with its reference solutions (full budget);
    2. build the student release;
    3. grade the example submissions (grading budget), write feedback HTML and grades.csv;
    4. print the student × notebook table.
    Everything is written under `out`, which is rebuilt from scratch on every run.
    `course_notebooks` are all notebooks of the course when `notebooks` is a selection of them;
    answer files are checked against them before anything runs (see `check_answer_files`).
    """
    selected = [notebook.stem for notebook in notebooks]
    course = [notebook.stem for notebook in course_notebooks] if course_notebooks else selected
    check_answer_files(examples, course, selected, echo)
    _prepare_example_folder(out)
    layout = CourseLayout(out)

    if execute:
        for notebook in notebooks:
            seconds = execute_notebook(notebook, layout.executed / notebook.name, budget="full")
            echo(f"ran {notebook.name} with its solutions in {seconds:.1f} s")

    build_release(layout, notebooks, config_file, echo)
    build_example_submissions(layout, examples, selected, echo)
    return grade_submissions(layout, config_file, regrade=True, echo=echo)
