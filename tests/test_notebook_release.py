"""The student release runs: the only errors are NotImplementedError from exercises not written yet.

A student who opens a released notebook and runs every cell before writing any code should see
each unfinished exercise raise NotImplementedError (from nbgrader's code stub, or from a cell that
needs an unfinished exercise and names it), and no other error: not a NameError, not an IndexError
from an empty result, not a failure inside coursekit.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Seconds one release cell may run under the grading budget. The source notebooks run whole in well
# under a minute each, so a cell past this limit is stuck, for example in a loop over a stub.
CELL_TIMEOUT = 180
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# IPython names a frame of notebook code "Cell In[7], line 3" and a frame of a module "File /path.py:12".
FRAME_HEADER = re.compile(r"^(?:Cell In\[\d+\]|File |Input In \[\d+\])[^\n]*", re.MULTILINE)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """Build the nbgrader student release of every notebook; return the release folder."""
    course = tmp_path_factory.mktemp("course")
    result = subprocess.run(
        [sys.executable, "-m", "coursekit", "release", "--course", str(course)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"coursekit release failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return course / "release"


def raising_frame(traceback: list[str]) -> str:
    """Return the header of the innermost frame of an IPython traceback, without colour codes."""
    headers = FRAME_HEADER.findall(ANSI_ESCAPE.sub("", "\n".join(traceback)))
    return headers[-1] if headers else ""


def unexpected_errors(notebook: nbformat.NotebookNode) -> tuple[list[str], int]:
    """Return (descriptions of errors other than an unfinished exercise, number of accepted errors)."""
    problems, accepted = [], 0
    code_number = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code_number += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            frame = raising_frame(output.get("traceback", []))
            if output["ename"] == "NotImplementedError" and frame.startswith(("Cell In[", "Input In [")):
                accepted += 1
                continue
            first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
            problems.append(f"code cell {code_number} ({first_line!r}): {output['ename']}: {output['evalue']} "
                            f"raised in {frame or 'an unknown frame'}")
    return problems, accepted


@pytest.mark.slow
@pytest.mark.parametrize("stem", [path.stem for path in NOTEBOOKS])
def test_release_fails_only_on_unwritten_exercises(release, stem, monkeypatch):
    path = release / stem / f"{stem}.ipynb"
    assert path.is_file(), f"the release has no {path}; coursekit release should write one per notebook"
    notebook = nbformat.read(path, as_version=4)
    monkeypatch.setenv("COURSEKIT_BUDGET", "grading")

    started = time.perf_counter()
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    running = {"index": 0}
    client.on_cell_start = lambda cell, cell_index: running.update(index=cell_index)
    try:
        client.execute()
    except CellTimeoutError:
        index = running["index"]
        pytest.fail(f"{stem} in the student release: cell {index} ran past {CELL_TIMEOUT} s:\n"
                    f"{notebook.cells[index].source[:500]}")
    print(f"release {stem}: {time.perf_counter() - started:.1f} s")

    problems, accepted = unexpected_errors(notebook)
    assert not problems, f"{stem} in the student release:\n" + "\n".join(problems)
    assert accepted > 0, f"no exercise of {stem} raised NotImplementedError; does the release still hold solutions?"


def test_raising_frame_reads_ipython_tracebacks():
    in_cell = ["\x1b[31m---\x1b[39m", "Cell \x1b[32mIn[4]\x1b[39m, line 2\n----> 2 raise NotImplementedError()",
               "NotImplementedError: "]
    assert raising_frame(in_cell) == "Cell In[4], line 2"
    in_module = in_cell[:2] + ["File \x1b[32m/venv/lib/site-packages/torch/nn/modules/module.py:12\x1b[39m"]
    assert raising_frame(in_module) == "File /venv/lib/site-packages/torch/nn/modules/module.py:12"
