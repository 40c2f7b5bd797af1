"""Find edits of locked and graded cells in a submission, before nbgrader restores them.

nbgrader overwrites locked and test cells with the source's version while autograding, which
protects the grade but hides the attempt. This module compares the submission with the release
the student received and names each deleted, edited, re-ordered or re-labelled protected cell.
"""

from __future__ import annotations

import nbformat

# nbgrader metadata fields a student must not change on any nbgrader cell.
PROTECTED_FIELDS = ("grade", "solution", "locked", "points", "task")


def _nbgrader(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _protected(cell) -> bool:
    meta = _nbgrader(cell)
    return bool(meta.get("grade_id")) and (meta.get("locked") or meta.get("grade")) and not meta.get("solution")


def find_tampering(release: nbformat.NotebookNode, submission: nbformat.NotebookNode) -> list[str]:
    """Return one sentence per change to a protected cell or to any cell's nbgrader metadata."""
    findings: list[str] = []
    submitted: dict[str, list] = {}
    for cell in submission.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id:
            submitted.setdefault(grade_id, []).append(cell)
    submitted_by_id = {cell.get("id"): cell for cell in submission.cells if cell.get("id")}

    order = []
    for cell in release.cells:
        meta = _nbgrader(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        matches = submitted.get(grade_id, [])
        if not matches:
            twin = submitted_by_id.get(cell.get("id"))
            if twin is not None:
                findings.append(f"removed the nbgrader metadata of cell {grade_id!r}")
            elif _protected(cell) or meta.get("solution"):
                findings.append(f"deleted cell {grade_id!r}")
            continue
        if len(matches) > 1:
            findings.append(f"duplicated cell {grade_id!r} ({len(matches)} copies)")
        match = matches[0]
        order.append(grade_id)
        changed = [name for name in PROTECTED_FIELDS if _nbgrader(match).get(name) != meta.get(name)]
        if changed:
            findings.append(f"changed the nbgrader metadata ({', '.join(changed)}) of cell {grade_id!r}")
        if _protected(cell) and match.get("source", "") != cell.source:
            findings.append(f"edited locked cell {grade_id!r}")
        if _protected(cell) and match.get("cell_type") != cell.cell_type:
            findings.append(f"changed the type of locked cell {grade_id!r}")

    position = {grade_id: index for index, grade_id in enumerate(
        _nbgrader(cell).get("grade_id") for cell in submission.cells if _nbgrader(cell).get("grade_id"))}
    kept = [grade_id for grade_id in order if grade_id in position]
    if [position[grade_id] for grade_id in kept] != sorted(position[grade_id] for grade_id in kept):
        findings.append("re-ordered the exercise and test cells")

    release_ids = {_nbgrader(cell).get("grade_id") for cell in release.cells}
    for grade_id in submitted:
        if grade_id not in release_ids:
            findings.append(f"added a cell labelled {grade_id!r}, which is not in the release")
    return findings
