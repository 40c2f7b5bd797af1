"""Thin wrappers over nbgrader's Python API that turn its failures into one-line errors."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path

from coursekit.cli import CommandError
from coursekit.course.layout import CourseLayout

log = logging.getLogger(__name__)


def open_api(layout: CourseLayout, config_file: Path, overrides: dict[str, dict] | None = None):
    """Return an nbgrader API for the course at `layout.root`, configured by `config_file`.

    `overrides` maps a configurable class to settings that replace the file's, for example
    {"Execute": {"timeout": 10}}.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    if not config_file.is_file():
        raise CommandError(f"nbgrader configuration {config_file} not found; pass --config PATH")

    # nbgrader runs the `alembic` script of its own environment to open the gradebook, so that
    # environment's bin folder must be on PATH even when coursekit was started by its full path.
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
    # nbgrader logs every step at INFO; keep those lines out of the user's terminal unless
    # --verbose. The API still captures them for the error message of a failed step.
    logging.getLogger("traitlets").propagate = log.isEnabledFor(logging.DEBUG)
    # nbgrader 0.9 adds gradebook rows in a way SQLAlchemy 2 warns about on every grade; the rows
    # are written all the same (the grades tests read them back), so the warning is only noise.
    warnings.filterwarnings("ignore", message=r"Object of type <Submitted", module=r"nbgrader\.api")
    config = PyFileConfigLoader(config_file.name, str(config_file.parent.resolve())).load_config()
    for section, settings in (overrides or {}).items():
        for name, value in settings.items():
            setattr(config[section], name, value)
    config.CourseDirectory.root = str(layout.root.resolve())
    # A local exchange folder inside the course, so nbgrader never looks for /srv/nbgrader.
    config.Exchange.root = str((layout.root / "exchange").resolve())
    (layout.root / "exchange").mkdir(parents=True, exist_ok=True)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _require(result: dict, what: str) -> None:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "no output").strip().splitlines()
        raise CommandError(f"{what} failed: {detail[-1] if detail else 'unknown error'}")


def generate_assignment(api, assignment: str) -> None:
    """Build the student release of one assignment: solutions and hidden tests removed, outputs cleared."""
    _require(api.generate_assignment(assignment, force=True, create=True), f"nbgrader generate_assignment {assignment}")


def autograde(api, assignment: str, student: str, force: bool) -> None:
    """Grade one submission; with force False a submission graded before and unchanged is skipped."""
    _require(api.autograde(assignment, student, force=force, create=True), f"nbgrader autograde {student}/{assignment}")


def generate_feedback(api, assignment: str, student: str) -> None:
    """Write the student's feedback HTML under feedback/<student>/<assignment>/."""
    _require(api.generate_feedback(assignment, student, force=True),
             f"nbgrader generate_feedback {student}/{assignment}")


def read_scores(api, assignments: list[str], students: list[str]) -> dict[tuple[str, str], tuple[float, float]]:
    """Return {(student, assignment): (score, max_score)} for every graded submission in the gradebook."""
    from nbgrader.api import MissingEntry

    scores: dict[tuple[str, str], tuple[float, float]] = {}
    with api.gradebook as gradebook:
        for assignment in assignments:
            for student in students:
                try:
                    submission = gradebook.find_submission(assignment, student)
                except MissingEntry:
                    continue
                scores[student, assignment] = (float(submission.score), float(submission.max_score))
    return scores
