"""Example submissions: the student release with some solution cells replaced by a student's code.

An answer file `<examples>/<student>/<assignment>.py` holds sections that start with a line
`# %% [GRADE_ID]`; each section becomes the whole source of the release's solution cell with that
nbgrader grade id. A student with no answer file for an assignment submits the release untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from coursekit.cli import CommandError

SECTION = re.compile(r"^# %% \[([A-Za-z0-9_\-]+)\]\s*$")


def read_answers(path: Path) -> dict[str, str]:
    """Parse an answer file into {grade_id: cell source}."""
    answers: dict[str, str] = {}
    grade_id = None
    lines: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = SECTION.match(line)
        if match:
            if grade_id is not None:
                answers[grade_id] = "\n".join(lines).strip("\n")
            grade_id, lines = match.group(1), []
            if grade_id in answers:
                raise CommandError(f"{path}:{number}: grade id {grade_id!r} appears twice")
        elif grade_id is None:
            if line.strip() and not line.startswith("#"):
                raise CommandError(f"{path}:{number}: code before the first '# %% [GRADE_ID]' line")
        else:
            lines.append(line)
    if grade_id is not None:
        answers[grade_id] = "\n".join(lines).strip("\n")
    return answers


def fill_release(
    release_notebook: Path, answers: dict[str, str], answer_file: Path | None = None
) -> nbformat.NotebookNode:
    """Return a copy of the release notebook whose solution cells carry the given answers.

    Raises CommandError when an answer names a grade id that is not a solution cell of the
    release, so an answer file never silently stops applying after a notebook changes.
    """
    notebook = nbformat.read(release_notebook, as_version=4)
    solution_cells = {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    for grade_id, source in answers.items():
        if grade_id not in solution_cells:
            where = answer_file or release_notebook
            raise CommandError(
                f"{where}: {grade_id!r} is not a solution cell of {release_notebook.name}; "
                f"solution cells are {', '.join(solution_cells) or 'none'}"
            )
        solution_cells[grade_id].source = source
    return notebook
