"""Build the submissions of tests/fixtures/grading from the student release (format in its README)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat

from coursekit.course.examples import fill_release, read_answers

FIXTURES = Path(__file__).parent / "fixtures" / "grading"


def _find(notebook, grade_id: str) -> int:
    for index, cell in enumerate(notebook.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return index
    raise KeyError(f"no cell with grade id {grade_id!r}")


def apply_edit(notebook, edit: dict) -> str | None:
    """Apply one edit to `notebook` in place; return the new file name for a `rename` edit."""
    op = edit["op"]
    if op == "edit_source":
        notebook.cells[_find(notebook, edit["grade_id"])].source = edit["source"]
    elif op == "set_metadata":
        notebook.cells[_find(notebook, edit["grade_id"])].metadata["nbgrader"][edit["field"]] = edit["value"]
    elif op == "delete":
        del notebook.cells[_find(notebook, edit["grade_id"])]
    elif op == "move_before":
        cell = notebook.cells.pop(_find(notebook, edit["grade_id"]))
        notebook.cells.insert(_find(notebook, edit["before"]), cell)
    elif op == "kernelspec":
        if edit["value"] is None:
            notebook.metadata.pop("kernelspec", None)
        else:
            notebook.metadata["kernelspec"] = edit["value"]
    elif op == "nbformat_minor":
        notebook.nbformat_minor = edit["value"]
        if edit["value"] < 5:
            for cell in notebook.cells:
                cell.pop("id", None)
    elif op == "rename":
        return edit["name"]
    else:
        raise ValueError(f"unknown edit {op!r} in a grading fixture")
    return None


def build_submission(fixture: Path, release_notebook: Path, target: Path) -> None:
    """Write the submission described by `fixture` into the folder `target`."""
    target.mkdir(parents=True, exist_ok=True)
    answers_file = fixture / "answers.py"
    if answers_file.exists():
        notebook = fill_release(release_notebook, read_answers(answers_file), answers_file)
        name = release_notebook.name
        edits = json.loads((fixture / "edits.json").read_text()) if (fixture / "edits.json").exists() else []
        for edit in edits:
            name = apply_edit(notebook, edit) or name
        text = nbformat.writes(notebook, version=4)
        if notebook.nbformat_minor < 5:
            # nbformat.writes validates against 4.5 and adds ids; write the 4.4 JSON directly.
            raw = json.loads(text)
            raw["nbformat_minor"] = notebook.nbformat_minor
            for cell in raw["cells"]:
                cell.pop("id", None)
            text = json.dumps(raw, indent=1, ensure_ascii=False)
        (target / name).write_text(text, encoding="utf-8")
    if (fixture / "files").is_dir():
        for path in (fixture / "files").iterdir():
            shutil.copy(path, target / path.name)


def build_all(assignment: str, release_notebook: Path, submitted: Path) -> list[str]:
    """Build every fixture of `assignment` under submitted/<student>/<assignment>/; return the students."""
    students = sorted(path.name for path in (FIXTURES / assignment).iterdir() if path.is_dir())
    for student in students:
        build_submission(FIXTURES / assignment / student, release_notebook, submitted / student / assignment)
    return students
