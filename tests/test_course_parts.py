"""Parts of the instructor pipeline that need no kernel: answer files, the grades table and CSV."""

from __future__ import annotations

import nbformat
import pytest

from coursekit.cli import CommandError
from coursekit.course.examples import fill_release, read_answers
from coursekit.course.layout import discover_notebooks
from coursekit.course.pipeline import check_answer_files
from coursekit.course.report import grades_table, write_grades_csv


def write_release(path):
    notebook = nbformat.v4.new_notebook()
    solution = nbformat.v4.new_code_cell("def f():\n    raise NotImplementedError()")
    solution.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "grade_id": "f",
                                     "schema_version": 3, "task": False}
    notebook.cells = [nbformat.v4.new_markdown_cell("# title"), solution]
    nbformat.write(notebook, path)
    return path


def test_read_answers_sections(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("# comment before\n\n# %% [f]\ndef f():\n    return 1\n\n# %% [g]\nx = 2\n")
    assert read_answers(path) == {"f": "def f():\n    return 1", "g": "x = 2"}


def test_read_answers_code_before_first_section(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("import os\n# %% [f]\npass\n")
    with pytest.raises(CommandError, match="answers.py:1: code before"):
        read_answers(path)


def test_read_answers_duplicate_grade_id(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("# %% [f]\npass\n# %% [f]\npass\n")
    with pytest.raises(CommandError, match="answers.py:3: grade id 'f' appears twice"):
        read_answers(path)


def test_fill_release_replaces_solution_cell(tmp_path):
    release = write_release(tmp_path / "01_x.ipynb")
    notebook = fill_release(release, {"f": "def f():\n    return 42"})
    assert notebook.cells[1].source == "def f():\n    return 42"
    assert "NotImplementedError" in nbformat.read(release, as_version=4).cells[1].source


def test_fill_release_unknown_grade_id(tmp_path):
    release = write_release(tmp_path / "01_x.ipynb")
    with pytest.raises(CommandError, match="'g' is not a solution cell of 01_x.ipynb; solution cells are f"):
        fill_release(release, {"g": "pass"})


def test_discover_notebooks_in_course_order(tmp_path):
    for name in ("05_b.ipynb", "00_a.ipynb", "notes.ipynb", "3_bad.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [path.name for path in discover_notebooks(tmp_path)] == ["00_a.ipynb", "05_b.ipynb"]


def test_discover_notebooks_empty_folder(tmp_path):
    with pytest.raises(CommandError, match="no course notebooks"):
        discover_notebooks(tmp_path)


def test_grades_table_rows_and_missing():
    scores = {("ann", "00_a"): (3.0, 3.0), ("ann", "02_b"): (1.5, 4.0), ("bo", "00_a"): (0.0, 3.0)}
    lines = grades_table(scores, ["ann", "bo"], ["00_a", "02_b"]).splitlines()
    assert lines[0].split() == ["student", "00_a", "02_b", "total"]
    assert lines[2].split() == ["ann", "3", "/", "3", "1.5", "/", "4", "4.5", "/", "7"]
    assert "not submitted" in lines[3]


def test_grades_csv_keeps_previous_when_changed(tmp_path):
    path = tmp_path / "grades.csv"
    assert write_grades_csv({("ann", "00_a"): (1.0, 3.0)}, path) is None
    kept = write_grades_csv({("ann", "00_a"): (3.0, 3.0)}, path)
    assert kept == tmp_path / "grades-1.csv"
    assert "ann,00_a,1,3" in kept.read_text()
    assert "ann,00_a,3,3" in path.read_text()


def test_grades_csv_unchanged_keeps_nothing(tmp_path):
    path = tmp_path / "grades.csv"
    write_grades_csv({("ann", "00_a"): (1.0, 3.0)}, path)
    assert write_grades_csv({("ann", "00_a"): (1.0, 3.0)}, path) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]


def write_answer_files(examples, *names):
    for name in names:
        path = examples / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# %% [f]\npass\n")


def test_unmatched_answer_file_rejected(tmp_path):
    write_answer_files(tmp_path, "alice/01_x.py", "alice/02_y.py", "bob/2_y.py")
    with pytest.raises(CommandError) as error:
        check_answer_files(tmp_path, ["01_x", "02_y"], ["01_x", "02_y"])
    message = str(error.value)
    assert "bob/2_y.py" in message
    assert "alice" not in message
    assert "01_x, 02_y" in message


def test_unselected_answer_file_noted(tmp_path):
    write_answer_files(tmp_path, "alice/01_x.py", "alice/02_y.py")
    (tmp_path / "alice" / "notes.md").write_text("not an answer file")
    notes = []
    check_answer_files(tmp_path, ["01_x", "02_y"], ["01_x"], echo=notes.append)
    assert len(notes) == 1
    assert "alice/02_y.py" in notes[0]
    assert "not among the selected" in notes[0]
