"""Locations of the course's notebooks and of the output of nbgrader's steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coursekit.cli import CommandError

# "02_dcgan_generator.ipynb": two digits, an underscore, then a lower-case name. The stem is
# the nbgrader assignment id, so it must be a valid folder name on every platform.
NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")


def discover_notebooks(folder: Path, only: list[str] | None = None) -> list[Path]:
    """Return the course notebooks in `folder` in course order, optionally only those named in `only`.

    Raises CommandError when the folder is missing, contains no course notebook, or `only` names a
    notebook that is not there.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CommandError(f"notebook folder {folder} not found; run from the repository root or pass --notebooks")
    notebooks = sorted(path for path in folder.glob("*.ipynb") if NOTEBOOK_NAME.match(path.name))
    if not notebooks:
        raise CommandError(f"no course notebooks (NN_name.ipynb) in {folder}")
    if only:
        stems = {path.stem: path for path in notebooks}
        unknown = [name for name in only if name not in stems]
        if unknown:
            raise CommandError(f"unknown notebook {unknown[0]!r} in --only; choose from {', '.join(stems)}")
        notebooks = [stems[name] for name in only]
    return notebooks


@dataclass(frozen=True)
class CourseLayout:
    """The folders of one nbgrader course directory (`root`), as nbgrader's defaults name them."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def executed(self) -> Path:
        """Source notebooks after running them with their reference solutions."""
        return self.root / "executed"

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def grades_csv(self) -> Path:
        return self.root / "grades.csv"

    def release_notebook(self, assignment: str) -> Path:
        return self.release / assignment / f"{assignment}.ipynb"

    def submission(self, student: str, assignment: str) -> Path:
        return self.submitted / student / assignment / f"{assignment}.ipynb"
