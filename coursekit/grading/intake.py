"""Find the notebook in a submission folder and turn it into one nbgrader can grade.

The submitted folder is only read. Each repair (a renamed notebook, nbformat 4.4 cells without
ids, a wrong or missing kernelspec) is returned as a note for the report. What cannot be repaired
(no notebook, malformed JSON) is returned as an error, and the notebook scores 0.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

# Folders Jupyter writes next to a notebook; they are neither graded nor reported.
IGNORED_FOLDERS = {".ipynb_checkpoints", "__pycache__"}


@dataclass
class Intake:
    """A submission ready to grade (`notebook`), or the reason it cannot be graded (`error`)."""

    digest: str
    notebook: nbformat.NotebookNode | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None


def submission_files(folder: Path) -> list[Path]:
    """Return the regular files under `folder`, sorted, without Jupyter's own folders."""
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and not IGNORED_FOLDERS & set(path.relative_to(folder).parts))


def folder_digest(folder: Path) -> str:
    """Return a SHA-256 of every file's relative path and bytes, so any change regrades."""
    digest = hashlib.sha256()
    for path in submission_files(folder):
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _choose_notebook(folder: Path, assignment: str, files: list[Path], intake: Intake) -> Path | None:
    expected = folder / f"{assignment}.ipynb"
    if expected in files:
        return expected
    notebooks = [path for path in files if path.suffix == ".ipynb" and path.parent == folder]
    if len(notebooks) == 1:
        intake.notes.append(f"notebook renamed to {notebooks[0].name!r}; graded it as {expected.name}")
        return notebooks[0]
    if not notebooks:
        intake.error = f"no notebook: expected {expected.name} in the submission folder"
    else:
        names = ", ".join(path.name for path in notebooks)
        intake.error = f"{len(notebooks)} notebooks ({names}) and none named {expected.name}; rename the one to grade"
    return None


def _add_cell_ids(notebook: nbformat.NotebookNode, intake: Intake) -> None:
    seen: set[str] = set()
    added = 0
    for cell in notebook.cells:
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not cell_id or cell_id in seen:
            cell_id = uuid.uuid4().hex[:8]
            cell["id"] = cell_id
            added += 1
        seen.add(cell_id)
    if notebook.nbformat_minor < 5:
        intake.notes.append(f"nbformat 4.{notebook.nbformat_minor} notebook; upgraded to 4.5 with cell ids")
        notebook.nbformat_minor = 5
    elif added:
        intake.notes.append(f"{added} cells had a missing or duplicate id; new ids given")


def read_submission(folder: Path, assignment: str, kernelspec: dict) -> Intake:
    """Read the submission of `assignment` in `folder`; repair what is safe to repair.

    `kernelspec` is the source notebook's kernelspec, which the graded copy always uses.
    """
    files = submission_files(folder)
    intake = Intake(digest=folder_digest(folder))
    chosen = _choose_notebook(folder, assignment, files, intake)
    extra = [path.relative_to(folder).as_posix() for path in files if path != chosen]
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        intake.notes.append(f"extra files ignored: {shown}")
    if chosen is None:
        return intake

    try:
        text = chosen.read_bytes().decode("utf-8")
        raw = json.loads(text)
    except UnicodeDecodeError as error:
        intake.error = f"{chosen.name} is not UTF-8 text (byte {error.start})"
        return intake
    except json.JSONDecodeError as error:
        intake.error = (
            f"malformed notebook JSON in {chosen.name} at line {error.lineno} column {error.colno}: {error.msg}"
        )
        return intake
    if not isinstance(raw, dict) or raw.get("nbformat") != 4 or not isinstance(raw.get("cells"), list):
        intake.error = f"{chosen.name} is not an nbformat 4 notebook (no 'nbformat': 4 and 'cells' list)"
        return intake

    try:
        # reads() joins the per-line source and text lists that the JSON file stores.
        notebook = nbformat.reads(text, as_version=4)
        for cell in notebook.cells:
            if cell.get("cell_type") == "code":
                # nbgrader clears outputs before it runs the notebook; clearing them here too means
                # malformed outputs cannot make an otherwise valid notebook fail validation.
                cell["outputs"], cell["execution_count"] = [], None
        _add_cell_ids(notebook, intake)
        nbformat.validate(notebook)
    except (nbformat.ValidationError, nbformat.reader.NotJSONError, AttributeError, KeyError, TypeError,
            ValueError) as error:
        message = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        intake.error = f"{chosen.name} is not a valid notebook: {message}"
        return intake

    found = notebook.metadata.get("kernelspec")
    if not isinstance(found, dict) or not found.get("name"):
        intake.notes.append(f"missing kernelspec; graded with {kernelspec.get('name')!r}")
    elif found.get("name") != kernelspec.get("name"):
        intake.notes.append(f"kernelspec {found.get('name')!r} replaced by {kernelspec.get('name')!r}")
    notebook.metadata["kernelspec"] = dict(kernelspec)
    intake.notebook = notebook
    return intake
