"""The grades table printed after grading, and grades.csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

Scores = dict[tuple[str, str], tuple[float, float]]


def _format_points(value: float) -> str:
    return f"{value:g}"


def grades_table(scores: Scores, students: list[str], assignments: list[str]) -> str:
    """Return a fixed-width table: one row per student, one column per assignment, "score / max"."""
    header = ["student", *assignments, "total"]
    rows = [header]
    for student in students:
        row = [student]
        total = maximum = 0.0
        for assignment in assignments:
            if (student, assignment) in scores:
                score, max_score = scores[student, assignment]
                row.append(f"{_format_points(score)} / {_format_points(max_score)}")
                total, maximum = total + score, maximum + max_score
            else:
                row.append("not submitted")
        row.append(f"{_format_points(total)} / {_format_points(maximum)}")
        rows.append(row)
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def grades_csv_text(scores: Scores) -> str:
    """Return grades as CSV text with columns student, assignment, score, max_score, sorted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "assignment", "score", "max_score"])
    for (student, assignment), (score, max_score) in sorted(scores.items()):
        writer.writerow([student, assignment, _format_points(score), _format_points(max_score)])
    return buffer.getvalue()


def write_grades_csv(scores: Scores, path: Path) -> Path | None:
    """Write grades.csv; an older file with other grades is kept as grades-<n>.csv first.

    Returns the path of the kept copy, or None when nothing had to be kept.
    """
    text = grades_csv_text(scores)
    kept = None
    if path.exists() and path.read_text(encoding="utf-8") != text:
        number = 1
        while (kept := path.with_name(f"{path.stem}-{number}{path.suffix}")).exists():
            number += 1
        path.rename(kept)
    path.write_text(text, encoding="utf-8")
    return kept
