"""The grader's verdict on each graded test cell, made outside the student's kernel.

For every test cell with a hidden test in `coursekit.grading.hidden`, the grader reads the
`records.MIME_TYPE` outputs of that cell only, runs coursekit's reference on the same cases in its
own process, and compares. `judge_cell` gives the cell its points only when every case was
reported exactly once and matches. Failure messages show what the student's code returned, never the expected value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import nbformat
import numpy as np

from coursekit.grading.hidden import HIDDEN_TESTS, HiddenCase, HiddenTest
from coursekit.grading.records import MIME_TYPE, DecodeError, Opaque, decode, run_case


@dataclass
class CellVerdict:
    """The grade of one test cell: `verified` is False for cells without a hidden test here."""

    grade_id: str
    points: float
    score: float
    verified: bool
    checked: str = ""
    lines: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)


def _short(value: Any, limit: int = 120) -> str:
    if isinstance(value, np.ndarray):
        text = f"array of shape {tuple(value.shape)} {value.ravel()[:6].tolist()}" + ("…" if value.size > 6 else "")
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return "a tensor or array"
    return "None" if value is None else type(value).__name__


def describe_mismatch(expected: Any, got: Any, rtol: float, atol: float) -> str | None:
    """Return None when `got` matches `expected`, else what `got` was, without the expected value.

    `coursekit.check.core.compare_values` compares the same way for public checks, but its
    messages print the expected value, which hidden feedback must not reveal.
    """
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"returned {_type_name(got)}, not a tensor"
        if got.shape != expected.shape:
            return f"returned shape {tuple(got.shape)}, which is not the reference's shape"
        if got.dtype != expected.dtype:
            return f"returned dtype {got.dtype}, which is not the reference's dtype"
        if expected.dtype.kind == "f":
            close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
        else:
            close = got == expected
        if not close.all():
            index = tuple(int(i) for i in np.argwhere(~close)[0])
            return (f"{int((~close).sum())} of {close.size} values differ from the reference beyond the tolerance; "
                    f"the first is at index {index}, where yours is {got[index].item()!r}")
        return None
    if isinstance(expected, bool) or expected is None or isinstance(expected, (str, Opaque)):
        if type(got) is type(expected) and got == expected:
            return None
        return f"returned {_short(got)}, which differs from the reference"
    if isinstance(expected, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return f"returned {_type_name(got)}, not a number"
        if math.isnan(expected) and math.isnan(got):
            return None
        if math.isclose(got, expected, rel_tol=rtol, abs_tol=atol):
            return None
        return f"returned {got!r}, which differs from the reference beyond the tolerance"
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            return f"returned {_short(got)}, not a result with the keys {sorted(expected)}"
        for key in expected:
            problem = describe_mismatch(expected[key], got[key], rtol, atol)
            if problem:
                return f"{key}: {problem}"
        return None
    if isinstance(expected, list):
        if not isinstance(got, list):
            return f"returned {_type_name(got)}, not a sequence"
        if len(got) != len(expected):
            return f"returned {len(got)} items, which is not the reference's number of items"
        for position, (want, have) in enumerate(zip(expected, got)):
            problem = describe_mismatch(want, have, rtol, atol)
            if problem:
                return f"item {position}: {problem}"
        return None
    raise TypeError(f"reference value of unexpected type {type(expected).__name__}")


@lru_cache(maxsize=None)
def expected_values(key: str) -> tuple:
    """Run coursekit's reference on every case of hidden test `key`, in this process; cached."""
    test = HIDDEN_TESTS[key]
    values = []
    for number, case in enumerate(test.cases, start=1):
        result = run_case(case, test.reference)
        if "error" in result:
            raise RuntimeError(f"the reference of hidden test {key} failed on case {number}: {result['error']}")
        values.append(decode(result["value"]))
    return tuple(values)


def _compare(case: HiddenCase, expected: Any, got: Any) -> str | None:
    if case.compare is not None:
        return case.compare(expected, got)
    return describe_mismatch(expected, got, case.rtol, case.atol)


def _records(cell, key: str) -> tuple[dict[int, dict], list[str]]:
    """Collect the hidden-result outputs of one cell by case number, and any sign of forgery."""
    by_case: dict[int, dict] = {}
    tampering: list[str] = []
    for output in cell.get("outputs", []):
        data = output.get("data", {}) if output.get("output_type") in ("display_data", "execute_result") else {}
        if MIME_TYPE not in data:
            continue
        record = data[MIME_TYPE]
        if (not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("case"), int)
                or ("value" in record) == ("error" in record)):
            tampering.append("a hidden-result output of this cell is malformed or names another test")
            continue
        if record["case"] in by_case:
            tampering.append(f"hidden case {record['case']} was reported more than once")
            continue
        by_case[record["case"]] = record
    return by_case, tampering


def judge_cell(test: HiddenTest, cell, points: float) -> CellVerdict:
    """Compare the hidden-result outputs of one graded cell with the reference, outside the kernel."""
    grade_id = test.key.split("/", 1)[1]
    verdict = CellVerdict(grade_id=grade_id, points=points, score=0.0, verified=True, checked=test.checked)
    by_case, verdict.tampering = _records(cell, test.key)
    expected = expected_values(test.key)
    total = len(test.cases)
    if set(by_case) - set(range(1, total + 1)):
        verdict.tampering.append("the cell reported hidden cases that do not exist")

    passed = 0
    for number, (case, want) in enumerate(zip(test.cases, expected), start=1):
        label = f"hidden case {number} of {total} ({case.kind})"
        record = by_case.get(number)
        if record is None:
            verdict.lines.append(f"✗ {label}: not run, because the cell stopped before it (see the error above)")
            continue
        if "error" in record:
            verdict.lines.append(f"✗ {label}: your code raised {str(record['error'])[:400]}")
            continue
        try:
            got = decode(record["value"])
        except DecodeError as error:
            verdict.tampering.append(f"hidden case {number} contains a result the kernel cannot have written: {error}")
            verdict.lines.append(f"✗ {label}: the recorded result is invalid")
            continue
        problem = _compare(case, want, got)
        if problem:
            verdict.lines.append(f"✗ {label}: {problem}" + (f". Hint: {test.hint}" if test.hint else ""))
            continue
        passed += 1
        verdict.lines.append(f"✓ {label}")

    if passed == total and not verdict.tampering:
        verdict.score = points
    return verdict


def _grade_cells(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and meta.get("grade_id") and cell.cell_type == "code":
            cells.setdefault(meta["grade_id"], cell)
    return cells


def judge_notebook(notebook: nbformat.NotebookNode, assignment: str, points: dict[str, float]) -> list[CellVerdict]:
    """Return one verdict per graded cell of the source (`points`: grade id → points).

    `notebook` is the autograded notebook, whose locked cells nbgrader has restored from the
    source. A graded cell missing from it scores 0.
    """
    cells = _grade_cells(notebook)
    verdicts = []
    for grade_id, cell_points in points.items():
        key = f"{assignment}/{grade_id}"
        cell = cells.get(grade_id)
        if key in HIDDEN_TESTS:
            if cell is None:
                verdict = CellVerdict(grade_id, cell_points, 0.0, True, HIDDEN_TESTS[key].checked,
                                      ["✗ the test cell is missing from the graded notebook"])
            else:
                verdict = judge_cell(HIDDEN_TESTS[key], cell, cell_points)
        else:
            verdict = CellVerdict(grade_id, cell_points, float("nan"), False)
        verdicts.append(verdict)
    return verdicts


def annotate(notebook: nbformat.NotebookNode, verdicts: list[CellVerdict]) -> None:
    """Replace the hidden-result outputs of each judged cell by the verdict's lines, for the feedback."""
    cells = _grade_cells(notebook)
    for verdict in verdicts:
        cell = cells.get(verdict.grade_id)
        if cell is None or not verdict.verified:
            continue
        cell.outputs = [output for output in cell.get("outputs", [])
                        if MIME_TYPE not in output.get("data", {})]
        text = [f"Hidden tests, checked by the grader outside your kernel: {verdict.checked}.", *verdict.lines,
                *(f"⚠ {problem}" for problem in verdict.tampering),
                f"Score: {verdict.score:g} of {verdict.points:g}"]
        cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text="\n".join(text) + "\n"))
