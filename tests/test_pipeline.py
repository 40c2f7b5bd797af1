"""The instructor pipeline end to end: release, example submissions, grades, feedback."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO

# Exact (score, max_score) of every example student on every notebook. A notebook added to the
# course without rows here makes test_example_grades_are_exact fail.
EXPECTED_GRADES = {
    ("complete", "00_welcome"): (3, 3),
    ("partial", "00_welcome"): (1, 3),
    ("untouched", "00_welcome"): (0, 3),
    ("complete", "01_vision_tasks"): (15, 15),
    ("partial", "01_vision_tasks"): (7, 15),
    ("untouched", "01_vision_tasks"): (0, 15),
    ("complete", "02_dcgan_generator"): (5, 5),
    ("partial", "02_dcgan_generator"): (3, 5),
    ("untouched", "02_dcgan_generator"): (0, 5),
    ("complete", "03_patchgan_discriminator"): (5, 5),
    ("partial", "03_patchgan_discriminator"): (2, 5),
    ("untouched", "03_patchgan_discriminator"): (0, 5),
    ("complete", "04_minimax_training"): (9, 9),
    ("partial", "04_minimax_training"): (4, 9),
    ("untouched", "04_minimax_training"): (0, 9),
    ("complete", "05_significance_testing"): (6, 6),
    ("partial", "05_significance_testing"): (3, 6),
    ("untouched", "05_significance_testing"): (0, 6),
}

pytestmark = pytest.mark.slow


def run_cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "coursekit", *args], cwd=REPO, capture_output=True, text=True, timeout=1800
    )
    return result


def read_grades(path: Path) -> dict[tuple[str, str], tuple[float, float]]:
    with path.open() as file:
        return {(row["student"], row["assignment"]): (float(row["score"]), float(row["max_score"]))
                for row in csv.DictReader(file)}


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """One run of `coursekit course` over every notebook (source execution is nbval's job)."""
    out = tmp_path_factory.mktemp("course") / "example-course"
    before = tree_digest(REPO / "notebooks"), tree_digest(REPO / "autograder")
    result = run_cli("course", "--skip-execute", "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    after = tree_digest(REPO / "notebooks"), tree_digest(REPO / "autograder")
    return out, result, before, after


def test_example_grades_are_exact(course):
    out, _, _, _ = course
    assert read_grades(out / "grades.csv") == EXPECTED_GRADES


def test_grades_table_printed(course):
    _, result, _, _ = course
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("student"))
    assert "00_welcome" in header
    assert "total" in header
    assert any(line.startswith("complete") and "3 / 3" in line for line in lines)


def test_feedback_html_for_every_submission(course):
    out, _, _, _ = course
    for student, assignment in EXPECTED_GRADES:
        html = out / "feedback" / student / assignment / f"{assignment}.html"
        assert html.is_file(), f"missing feedback {html}"


def test_release_has_no_solutions_or_hidden_tests(course):
    out, _, _, _ = course
    for notebook in sorted((out / "release").glob("*/*.ipynb")):
        text = notebook.read_text()
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in text, f"{notebook.name} still contains {marker}"
        cells = nbformat.read(notebook, as_version=4).cells
        assert all(not cell.get("outputs") for cell in cells if cell.cell_type == "code"), notebook.name


def test_release_solution_cells_raise_not_implemented(course):
    out, _, _, _ = course
    release = nbformat.read(out / "release" / "00_welcome" / "00_welcome.ipynb", as_version=4)
    solutions = [cell for cell in release.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert solutions and all("raise NotImplementedError()" in cell.source for cell in solutions)


def test_sources_and_examples_untouched(course):
    _, _, before, after = course
    assert before == after


def test_second_run_gives_same_grades(course, tmp_path):
    out, _, _, _ = course
    shutil.copytree(out, tmp_path / "again")
    result = run_cli("course", "--skip-execute", "--only", "00_welcome", "--out", str(tmp_path / "again"))
    assert result.returncode == 0, result.stderr[-3000:]
    again = read_grades(tmp_path / "again" / "grades.csv")
    assert again == {key: value for key, value in EXPECTED_GRADES.items() if key[1] == "00_welcome"}


def test_failing_notebook_named_with_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("text"),
                      nbformat.v4.new_code_cell("y = x / 0")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, notebooks / "07_broken.ipynb")
    (tmp_path / "examples" / "untouched").mkdir(parents=True)  # the bundled answer files are for other notebooks
    result = run_cli("course", "--notebooks", str(notebooks), "--examples", str(tmp_path / "examples"),
                     "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "07_broken.ipynb: code cell 2 ('y = x / 0') failed: ZeroDivisionError" in result.stderr


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    root = tmp_path_factory.mktemp("real-course") / "course"
    result = run_cli("release", "--only", "00_welcome", "--course", str(root))
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def test_grade_imports_and_grades_submissions(released, tmp_path):
    incoming = tmp_path / "incoming" / "student-7" / "00_welcome"
    incoming.mkdir(parents=True)
    shutil.copy(released / "release" / "00_welcome" / "00_welcome.ipynb", incoming)
    result = run_cli("grade", "--course", str(released), "--submitted", str(tmp_path / "incoming"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_grades(released / "grades.csv")[("student-7", "00_welcome")] == (0, 3)


def test_grade_never_overwrites_a_different_submission(released, tmp_path):
    first = tmp_path / "first" / "student-8" / "00_welcome"
    first.mkdir(parents=True)
    shutil.copy(released / "release" / "00_welcome" / "00_welcome.ipynb", first)
    assert run_cli("grade", "--course", str(released), "--submitted", str(tmp_path / "first")).returncode == 0

    second = tmp_path / "second" / "student-8" / "00_welcome"
    second.mkdir(parents=True)
    changed = json.loads((first / "00_welcome.ipynb").read_text())
    changed["cells"].append(nbformat.v4.new_markdown_cell("a later edit"))
    (second / "00_welcome.ipynb").write_text(json.dumps(changed))
    result = run_cli("grade", "--course", str(released), "--submitted", str(tmp_path / "second"))
    assert result.returncode == 2
    assert "already contains a different submission" in result.stderr
    kept = released / "submitted" / "student-8" / "00_welcome" / "00_welcome.ipynb"
    assert kept.read_bytes() == (first / "00_welcome.ipynb").read_bytes()
