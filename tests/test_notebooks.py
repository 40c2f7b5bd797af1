"""nbval over every source notebook: each cell runs, and cells marked NBVAL_CHECK_OUTPUT match.

Why --nbval-lax: the tests run the notebooks under COURSEKIT_BUDGET=grading, which trains for a
few steps instead of the teaching run's epochs, while the saved outputs come from the full run.
Loss values, sample grids, timings and progress bars therefore cannot match, so only cells whose
output is seeded and the same in both budgets carry `# NBVAL_CHECK_OUTPUT` as their first line;
every other cell must still run without an error. Figures are compared by their text form
("<Figure size 600x300 with 1 Axes>"), because nbval skips PNG data. The patterns in
nbval-sanitize.cfg blank out progress bars, durations, memory addresses and absolute paths in
the compared outputs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SANITIZE = REPO / "tests" / "nbval-sanitize.cfg"


def nbval_command(notebook) -> list[str]:
    """Return the pytest command line that runs `notebook` under nbval in this interpreter."""
    return [
        sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
        "--nbval-sanitize-with", str(SANITIZE), "-p", "no:cacheprovider", "-q", str(notebook),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_under_nbval(notebook):
    # The grading budget keeps training cells short; the notebooks' graded values do not depend on it.
    env = {**os.environ, "COURSEKIT_BUDGET": "grading"}
    started = time.perf_counter()
    result = subprocess.run(nbval_command(notebook), cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    print(f"nbval {notebook.name}: {time.perf_counter() - started:.1f} s")
    assert result.returncode == 0, result.stdout[-4000:]


def test_notebooks_found():
    # The glob picks up every NN_name notebook, so a new one is tested without editing this file.
    assert len(NOTEBOOKS) >= 5, f"expected the course notebooks under {REPO / 'notebooks'}; found {NOTEBOOKS}"


def sanitize(text: str) -> str:
    """Apply the patterns of nbval-sanitize.cfg to `text`, as nbval does before comparing."""
    from nbval.plugin import get_sanitize_patterns

    for regex, replacement in get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8")):
        text = re.sub(regex, replacement, text)
    return text


def test_sanitize_blanks_run_dependent_text():
    from tqdm import tqdm

    early = tqdm.format_meter(20, 44, 1.5, prefix="epoch 1/20")
    late = tqdm.format_meter(31, 44, 2.7, prefix="epoch 1/20")
    assert sanitize(early) == sanitize(late), f"progress bars differ after sanitizing: {sanitize(early)!r}"
    assert sanitize("training time: 47 s") == sanitize("training time: 3.5 s")
    assert sanitize("<torch._C.Generator at 0x7fd9fd26f8f0>") == sanitize("<torch._C.Generator at 0x7f00aa11bb22>")
    assert sanitize("wrote /tmp/pytest-7/out/grid.png") == sanitize("wrote /home/ana/course/grid.png")


def test_sanitize_keeps_numbers_that_matter():
    for text in ["R =  3 seeds: smallest two-sided sign-test p = 0.2500", "n =    300  δ = +0.053  p = 0.0090",
                 "yours:     3,576,704 parameters"]:
        assert sanitize(text) == text, f"sanitizing changed {text!r} to {sanitize(text)!r}"


def write_checked_notebook(path, source: str, saved_output: str) -> None:
    """Write a one-cell notebook whose cell is marked NBVAL_CHECK_OUTPUT and saved with `saved_output`."""
    import nbformat

    cell = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\n" + source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=saved_output)]
    cell.execution_count = 1
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


@pytest.mark.slow
def test_nbval_command_compares_marked_cells(tmp_path):
    # The same command line as above must fail on a wrong saved output and pass on a sanitized timing.
    wrong = tmp_path / "wrong.ipynb"
    write_checked_notebook(wrong, "print(6 * 7)", "41\n")
    result = subprocess.run(nbval_command(wrong), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0, f"nbval accepted 41 for 6 * 7:\n{result.stdout[-2000:]}"
    assert "Cell outputs differ" in result.stdout, f"nbval failed for another reason:\n{result.stdout[-2000:]}"

    timed = tmp_path / "timed.ipynb"
    write_checked_notebook(timed, "print('42 after 0.3 s')", "42 after 12.5 s\n")
    result = subprocess.run(nbval_command(timed), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"nbval compared a duration that should be sanitized:\n{result.stdout[-2000:]}"
