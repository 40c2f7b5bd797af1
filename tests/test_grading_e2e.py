"""Grade the hostile and broken submissions of tests/fixtures/grading end to end, in one run.

One `coursekit grade -j 2` run grades every fixture (kernel start-ups dominate the time, so the
students share it) and the tests below check its exact grades, report lines, feedback and that
`submitted/` is untouched. A second, small course is killed with SIGKILL mid-run and resumed.
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.grading_fixtures import FIXTURES, build_all, build_submission
from tests.test_pipeline import tree_digest

pytestmark = pytest.mark.slow

ASSIGNMENTS = ("00_welcome", "02_dcgan_generator")
# Long enough for the import cell on a loaded two-core machine, short enough for the endless loop.
CELL_TIMEOUT = 30

EXPECTED_GRADES = {
    ("Zoë Müller", "00_welcome"): (3, 3),
    ("deleter", "00_welcome"): (1, 3),
    ("exiter", "00_welcome"): (0, 3),
    ("forger", "00_welcome"): (0, 3),
    ("hog", "00_welcome"): (3, 3),
    ("looper", "00_welcome"): (3, 3),
    ("malformed", "00_welcome"): (0, 3),
    ("missing", "00_welcome"): (0, 3),
    ("patcher", "00_welcome"): (1, 3),
    ("reorderer", "00_welcome"): (2, 3),
    ("segfaulter", "00_welcome"): (0, 3),
    ("tamperer", "00_welcome"): (3, 3),
    ("forger", "02_dcgan_generator"): (2, 5),
    ("patcher", "02_dcgan_generator"): (3, 5),
}

EXPECTED_REPORT = [
    "Zoë Müller/00_welcome: 3 / 3 (notebook renamed to 'Welcome (final).ipynb'; graded it as 00_welcome.ipynb; "
    "extra files ignored: notes.txt; nbformat 4.4 notebook; upgraded to 4.5 with cell ids; "
    "kernelspec 'ir' replaced by 'python3')",
    "deleter/00_welcome: 1 / 3 (missing kernelspec; graded with 'python3'; "
    "tampering: deleted cell 'test_normalize_values')",
    "exiter/00_welcome: 0 / 3 (the kernel died in code cell 7; skipped)",
    "forger/00_welcome: 0 / 3 (tampering: test_normalize_shape_dtype: hidden case 1 was reported more than once; "
    "test_normalize_shape_dtype: the cell reported hidden cases that do not exist)",
    "forger/02_dcgan_generator: 2 / 5",
    "hog/00_welcome: 3 / 3",
    f"looper/00_welcome: 3 / 3 (code cell 7 timed out after {CELL_TIMEOUT} s)",
    "malformed/00_welcome: 0 / 3 (not graded: malformed notebook JSON in 00_welcome.ipynb at line 4 column 1: "
    "Expecting property name enclosed in double quotes)",
    "missing/00_welcome: 0 / 3 (not graded: no notebook: expected 00_welcome.ipynb in the submission folder; "
    "extra files ignored: answers.py)",
    "patcher/00_welcome: 1 / 3",
    "patcher/02_dcgan_generator: 3 / 5",
    "reorderer/00_welcome: 2 / 3 (tampering: re-ordered the exercise and test cells)",
    "segfaulter/00_welcome: 0 / 3 (the kernel died in code cell 8, 9, 10, 11; skipped)",
    "tamperer/00_welcome: 3 / 3 (tampering: deleted cell 'check_normalize'; changed the nbgrader metadata (points) "
    "of cell 'test_normalize_values'; edited locked cell 'test_normalize_values')",
]


def coursekit(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coursekit", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def read_grades(path: Path) -> dict[tuple[str, str], tuple[float, float]]:
    with path.open(encoding="utf-8") as file:
        return {(row["student"], row["assignment"]): (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(file)}


def release(root: Path, *assignments: str) -> None:
    result = coursekit("release", "--only", *assignments, "--course", str(root))
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "course"
    release(root, *ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        build_all(assignment, root / "release" / assignment / f"{assignment}.ipynb", root / "submitted")
    before = tree_digest(root / "submitted")
    started = time.perf_counter()
    result = coursekit("grade", "--course", str(root), "-j", "2", "--cell-timeout", str(CELL_TIMEOUT))
    print(f"graded {len(EXPECTED_GRADES)} hostile submissions in {time.perf_counter() - started:.0f} s")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, result, before


def test_hostile_grades_exact(graded):
    root, _, _ = graded
    assert read_grades(root / "grades.csv") == EXPECTED_GRADES


def test_hostile_report_lines_exact(graded):
    root, _, _ = graded
    assert (root / "grading-report.txt").read_text(encoding="utf-8").splitlines() == EXPECTED_REPORT


def test_report_line_printed_per_submission(graded):
    _, result, _ = graded
    for line in EXPECTED_REPORT:
        assert any(printed.endswith(line) for printed in result.stdout.splitlines()), line


def test_submitted_folder_untouched(graded):
    root, _, before = graded
    assert tree_digest(root / "submitted") == before


def test_feedback_names_failed_case_not_expected_value(graded):
    root, _, _ = graded
    page = (root / "feedback" / "patcher" / "00_welcome" / "00_welcome.html").read_text(encoding="utf-8")
    assert "hidden case 1 of 2 (a uint8 vector of six evenly spaced values from 0 to 255)" in page
    assert "where yours is 0.0" in page
    # The reference values of that hidden case: -1, -0.6, -0.2, 0.2, 0.6, 1.
    assert "-0.6" not in page


def test_feedback_lists_tampering(graded):
    root, _, _ = graded
    page = (root / "feedback" / "tamperer" / "00_welcome" / "00_welcome.html").read_text(encoding="utf-8")
    assert "edited locked cell" in page


def test_feedback_for_ungradable_submission(graded):
    root, _, _ = graded
    page = (root / "feedback" / "malformed" / "00_welcome" / "00_welcome.html").read_text(encoding="utf-8")
    assert "could not be graded: malformed notebook JSON" in page


def test_output_flood_truncated(graded):
    root, _, _ = graded
    notebook = root / "autograded" / "hog" / "00_welcome" / "00_welcome.ipynb"
    assert notebook.stat().st_size < 2_000_000
    assert "MemoryError" in notebook.read_text(encoding="utf-8")


def test_regrade_without_changes_skips_all(graded):
    root, _, _ = graded
    result = coursekit("grade", "--course", str(root))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{len(EXPECTED_GRADES)} submissions unchanged since they were graded" in result.stdout
    assert read_grades(root / "grades.csv") == EXPECTED_GRADES


def test_sigkill_mid_run_then_resume(tmp_path):
    root = tmp_path / "course"
    release(root, "00_welcome")
    fixture = FIXTURES / "00_welcome" / "tamperer"
    students = ["a", "b", "c"]
    for student in students:
        build_submission(fixture, root / "release" / "00_welcome" / "00_welcome.ipynb",
                         root / "submitted" / student / "00_welcome")

    process = subprocess.Popen([sys.executable, "-m", "coursekit", "grade", "--course", str(root)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    for line in process.stdout:
        if line.startswith("[1/3]"):
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(root / "gradebook.db") as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    result = coursekit("grade", "--course", str(root))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 submissions unchanged since they were graded" in result.stdout
    assert read_grades(root / "grades.csv") == {(student, "00_welcome"): (3, 3) for student in students}


def test_release_again_keeps_student_edits(tmp_path):
    root = tmp_path / "course"
    release(root, "00_welcome")
    notebook = root / "release" / "00_welcome" / "00_welcome.ipynb"
    fresh = notebook.read_bytes()
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("raise NotImplementedError()", "return 1"))
    edited = notebook.read_bytes()

    release(root, "00_welcome")
    assert notebook.read_bytes() == fresh
    assert (root / "release-kept" / "00_welcome-1" / "00_welcome.ipynb").read_bytes() == edited


def test_release_again_unedited_keeps_nothing(tmp_path):
    root = tmp_path / "course"
    release(root, "00_welcome")
    release(root, "00_welcome")
    assert not (root / "release-kept").exists()
