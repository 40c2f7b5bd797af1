"""The command line: help, and one-line errors for bad arguments."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


def run_cli(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coursekit", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_help_lists_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("course", "release", "grade", "data"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["course", "--only", "99_nothing"], "unknown notebook '99_nothing'"),
        (["course", "--notebooks", "no/such/folder"], "notebook folder no/such/folder not found"),
        (["grade", "--course", "no/such/course"], "run `coursekit release --course no/such/course` first"),
        (["data", "imagenet"], "invalid choice: 'imagenet'"),
        (["release", "--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_argument_is_one_line_error(args, fragment):
    result = run_cli(*args)
    assert result.returncode == 2
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_data_lists_bundled_digits():
    result = run_cli("data")
    assert result.returncode == 0
    assert "digits" in result.stdout
    assert "ready" in result.stdout


def test_course_refuses_foreign_output_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("an instructor's file")
    result = run_cli("course", "--only", "00_welcome", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "was not made by `coursekit course`" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "an instructor's file"


def test_course_rejects_unmatched_answer_file(tmp_path):
    examples, out = tmp_path / "examples", tmp_path / "out"
    (examples / "alice").mkdir(parents=True)
    (examples / "alice" / "04_minmax_training.py").write_text("# %% [f]\npass\n")
    result = run_cli("course", "--only", "00_welcome", "--examples", str(examples), "--out", str(out))
    assert result.returncode == 2
    assert "no course notebook found for answer file(s)" in result.stderr
    assert "04_minmax_training.py" in result.stderr
    assert "04_minimax_training" in result.stderr
    assert not out.exists()  # rejected before anything ran or was written
