"""Grade one submission in a private nbgrader course, in a worker process.

Each submission is graded in its own scratch course (`work`): a copy of the assignment's source,
a copy of the course gradebook and the repaired notebook under the fixed student id
"submission". nbgrader executes it there, the verdict of `coursekit.grading.verdict` replaces
nbgrader's cell scores, and the feedback HTML is written there. Only the parent process writes
the course's own gradebook, so parallel workers never contend for it.
"""

from __future__ import annotations

import html
import logging
import re
import resource
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from coursekit.course import nbgrader_steps as steps
from coursekit.course.layout import CourseLayout
from coursekit.grading.execute import KERNEL_DIED, ResilientExecute
from coursekit.grading.intake import read_submission
from coursekit.grading.tamper import find_tampering
from coursekit.grading.verdict import annotate, judge_notebook

log = logging.getLogger(__name__)

WORK_STUDENT = "submission"
# Seconds a kernel may take to start. Importing torch on a loaded machine can take a minute,
# and a slow start must not cost a student their grade.
KERNEL_STARTUP_TIMEOUT = 300
# Seconds to wait for a cell's last outputs after the kernel's reply. nbclient's default of 4 s
# fails whole notebooks on a loaded machine, because nbgrader raises on this timeout.
IOPUB_TIMEOUT = 60
# nbgrader runs that fail for another reason than the notebook (a kernel that never started)
# are tried this many times in all.
AUTOGRADE_ATTEMPTS = 2


@dataclass(frozen=True)
class Task:
    """One (student, assignment) to grade; paths are absolute."""

    student: str
    assignment: str
    submitted: Path
    source: Path
    release_notebook: Path
    template_db: Path
    work: Path
    config_file: Path
    cell_timeout: int


@dataclass
class Outcome:
    """The result of grading one submission: per-cell scores, report notes and output files."""

    student: str
    assignment: str
    digest: str
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    error: str | None = None
    autograded: Path | None = None
    feedback: Path | None = None

    @property
    def score(self) -> float:
        return sum(score for score, _ in self.scores.values())

    @property
    def max_score(self) -> float:
        return sum(points for _, points in self.scores.values())


def limit_memory(megabytes: int | None) -> None:
    """Cap the data segment of this process and of every kernel it starts (RLIMIT_DATA, Linux).

    A kernel past the cap gets MemoryError instead of exhausting the machine.
    """
    if megabytes:
        cap = int(megabytes) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def grade_cells(source_notebook: Path) -> tuple[dict[str, float], dict]:
    """Return ({grade id: points} of the graded cells, kernelspec) of a source notebook."""
    notebook = nbformat.read(source_notebook, as_version=4)
    points = {cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"].get("points", 0))
              for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")}
    return points, dict(notebook.metadata.get("kernelspec") or {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"})


def autograde_preprocessors() -> list:
    """nbgrader's autograde steps with Execute replaced by ResilientExecute."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute

    steps = Autograde.class_traits()["autograde_preprocessors"].default()
    return [ResilientExecute if step is Execute else step for step in steps]


def _cell_problems(notebook: nbformat.NotebookNode, cell_timeout: int) -> list[str]:
    """Name the code cells (numbered from 1) that timed out or killed the kernel, for the report."""
    timed_out, died = [], []
    number = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        errors = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
        if any(output.get("ename") == "CellTimeoutError" for output in errors):
            timed_out.append(str(number))
        if any(output.get("evalue") == KERNEL_DIED for output in errors):
            died.append(str(number))
    problems = []
    if timed_out:
        problems.append(f"code cell {', '.join(timed_out)} timed out after {cell_timeout} s")
    if died:
        problems.append(f"the kernel died in code cell {', '.join(died)}; skipped")
    return problems


def _tampering_cell(findings: list[str]) -> nbformat.NotebookNode:
    lines = "\n".join(f"- {finding}" for finding in findings)
    return nbformat.v4.new_markdown_cell(
        "**The grader found changes to protected cells.** They were restored from the course's version "
        f"before grading, and the instructor sees this list:\n\n{lines}")


def write_error_feedback(path: Path, task: Task, message: str) -> None:
    """Write a one-paragraph feedback page for a submission that could not be graded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(task.assignment)}</title></head>"
        f"<body><h1>{html.escape(task.assignment)}</h1><p>Your submission could not be graded: "
        f"{html.escape(message)}. Every test of this assignment scores 0.</p></body></html>\n",
        encoding="utf-8")


def _set_scores(api, assignment: str, scores: dict[str, tuple[float, float]]) -> None:
    with api.gradebook as gradebook:
        for grade_id, (score, _) in scores.items():
            grade = gradebook.find_grade(grade_id, assignment, assignment, WORK_STUDENT)
            grade.auto_score = score
            grade.needs_manual_grade = False
        gradebook.db.commit()


def _nbgrader_scores(api, assignment: str, points: dict[str, float]) -> dict[str, float]:
    with api.gradebook as gradebook:
        return {grade_id: float(gradebook.find_grade(grade_id, assignment, assignment, WORK_STUDENT).score or 0)
                for grade_id in points}


def grade_task(task: Task) -> Outcome:
    """Grade one submission from scratch in `task.work`.

    A broken submission gives an Outcome with `error` set. Only a failure of the grader itself
    (for example nbgrader's feedback step) raises; the runner reports it for this submission.
    """
    points, kernelspec = grade_cells(task.source / f"{task.assignment}.ipynb")
    intake = read_submission(task.submitted, task.assignment, kernelspec)
    outcome = Outcome(task.student, task.assignment, intake.digest, notes=list(intake.notes))
    outcome.scores = {grade_id: (0.0, cell_points) for grade_id, cell_points in points.items()}

    shutil.rmtree(task.work, ignore_errors=True)
    layout = CourseLayout(task.work)
    shutil.copytree(task.source, layout.source / task.assignment)
    # The sqlite backup API copies a consistent snapshot even if another process has it open.
    with sqlite3.connect(task.template_db) as template, sqlite3.connect(layout.gradebook) as copy:
        template.backup(copy)

    feedback = layout.feedback / WORK_STUDENT / task.assignment / f"{task.assignment}.html"
    if intake.notebook is None:
        outcome.error = intake.error
        write_error_feedback(feedback, task, intake.error)
        outcome.feedback = feedback
        return outcome

    release = nbformat.read(task.release_notebook, as_version=4)
    outcome.tampering = find_tampering(release, intake.notebook)
    target = layout.submission(WORK_STUDENT, task.assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(intake.notebook, target)

    api = steps.open_api(layout, task.config_file, {
        "Execute": {"timeout": task.cell_timeout, "startup_timeout": KERNEL_STARTUP_TIMEOUT,
                    "iopub_timeout": IOPUB_TIMEOUT},
        "Autograde": {"autograde_preprocessors": autograde_preprocessors()},
    })
    failure = None
    for _ in range(AUTOGRADE_ATTEMPTS):
        result = api.autograde(task.assignment, WORK_STUDENT, force=True, create=True)
        if result.get("success"):
            failure = None
            break
        failure = _reason(result.get("log") or result.get("error") or "")
        log.warning("nbgrader autograde of %s/%s failed: %s", task.student, task.assignment, failure)
    if failure is not None:
        outcome.error = f"nbgrader could not grade the notebook ({failure})"
        write_error_feedback(feedback, task, outcome.error)
        outcome.feedback = feedback
        return outcome

    autograded = layout.autograded / WORK_STUDENT / task.assignment / f"{task.assignment}.ipynb"
    notebook = nbformat.read(autograded, as_version=4)
    verdicts = judge_notebook(notebook, task.assignment, points)
    nbgrader_scores = _nbgrader_scores(api, task.assignment, points)
    for verdict in verdicts:
        score = verdict.score if verdict.verified else nbgrader_scores[verdict.grade_id]
        outcome.scores[verdict.grade_id] = (score, verdict.points)
        outcome.tampering += [f"{verdict.grade_id}: {problem}" for problem in verdict.tampering]
    unverified = [verdict.grade_id for verdict in verdicts if not verdict.verified]
    if unverified:
        outcome.notes.append(f"scored by nbgrader's in-kernel asserts only: {', '.join(unverified)}")
    outcome.notes += _cell_problems(notebook, task.cell_timeout)

    annotate(notebook, verdicts)
    if outcome.tampering:
        notebook.cells.insert(0, _tampering_cell(outcome.tampering))
    mode = autograded.stat().st_mode
    autograded.chmod(mode | 0o200)  # nbgrader leaves the graded notebook read-only
    nbformat.write(notebook, autograded)
    autograded.chmod(mode)
    _set_scores(api, task.assignment, outcome.scores)
    steps.generate_feedback(api, task.assignment, WORK_STUDENT)
    outcome.autograded, outcome.feedback = autograded, feedback
    return outcome


def _reason(log_text: str) -> str:
    """Return the last error line of nbgrader's log, the part a person can act on."""
    lines = [line.strip() for line in log_text.splitlines() if line.strip()]
    errors = [line for line in lines if re.search(r"\b\w*(Error|Exception)\b", line)
              and "Please see the the above traceback" not in line]
    return (errors or lines or ["no output"])[-1][:300]
