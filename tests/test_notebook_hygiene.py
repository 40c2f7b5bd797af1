"""Notebook hygiene: what every committed notebook must look like, and ruff on the code and the notebooks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]
MAX_OUTPUT_BYTES = 1_000_000
CELL_METADATA_KEYS = {"nbgrader", "tags"}
# "widgets" is the ipywidgets state that nbclient saves, so sliders and progress bars render in a saved notebook.
NOTEBOOK_METADATA_KEYS = {"kernelspec", "language_info", "widgets"}
# Paths that name one machine: POSIX roots of home, temporary and checkout folders, and Windows drives.
ABSOLUTE_PATH = re.compile(r"(?<![\w.~])(/(home|Users|root|tmp|work|var/folders|mnt|opt)/[\w.-]+|[A-Z]:\\\\?[\w.-]+)")
# nbval marks that stop a cell from running or from being compared; each needs a reason.
SKIP_MARKS = {"NBVAL_SKIP", "NBVAL_IGNORE_OUTPUT", "NBVAL_RAISES_EXCEPTION"}


def notebook_params():
    return pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def output_texts(cell) -> list[str]:
    """Return every text the outputs of `cell` contain: streams, text/* and JSON data, tracebacks."""
    texts = []
    for output in cell.get("outputs", []):
        texts.append(output.get("text", ""))
        texts.append("\n".join(output.get("traceback", [])))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                texts.append(value if isinstance(value, str) else json.dumps(value))
    return texts


@notebook_params()
def test_notebook_kernelspec_is_python3(path):
    kernelspec = read(path).metadata.get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{path.name}: kernelspec name is {kernelspec.get('name')!r}"
    assert kernelspec.get("language") == "python", f"{path.name}: kernelspec language is {kernelspec.get('language')!r}"


@notebook_params()
def test_notebook_cells_have_unique_ids(path):
    notebook = read(path)
    ids = [cell.get("id") for cell in notebook.cells]
    assert None not in ids, f"{path.name}: cells {[i for i, cell_id in enumerate(ids) if cell_id is None]} have no id"
    assert len(set(ids)) == len(ids), f"{path.name}: repeated cell ids {sorted({i for i in ids if ids.count(i) > 1})}"
    nbformat.validate(notebook)


@notebook_params()
def test_notebook_has_no_absolute_paths(path):
    found = []
    for index, cell in enumerate(read(path).cells):
        for text in [cell.source, *output_texts(cell)]:
            found += [f"cell {index}: {match.group(0)}" for match in ABSOLUTE_PATH.finditer(text)]
    assert found == [], f"{path.name} names paths of one machine: {found[:5]}"


@notebook_params()
def test_notebook_outputs_are_small(path):
    for index, cell in enumerate(read(path).cells):
        for output in cell.get("outputs", []):
            size = len(json.dumps(output).encode("utf-8"))
            assert size <= MAX_OUTPUT_BYTES, f"{path.name} cell {index}: an output of {size:,} bytes (limit 1 MB)"


@notebook_params()
def test_notebook_has_no_error_outputs(path):
    errors = [f"cell {index}: {output.get('ename')}: {output.get('evalue')}"
              for index, cell in enumerate(read(path).cells)
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert errors == [], f"{path.name} saved error outputs; run it again from the top: {errors}"


@notebook_params()
def test_notebook_ran_top_to_bottom(path):
    # Outputs from one run in order have increasing execution counts; a stale output breaks the order.
    counts = [cell.execution_count for cell in read(path).cells
              if cell.cell_type == "code" and cell.execution_count is not None]
    problem = f"{path.name}: execution counts {counts} are out of order; run it again from the top"
    assert counts == sorted(counts), problem
    assert len(set(counts)) == len(counts), problem


@notebook_params()
def test_notebook_metadata_is_clean(path):
    notebook = read(path)
    extra = set(notebook.metadata) - NOTEBOOK_METADATA_KEYS
    assert not extra, f"{path.name}: notebook metadata has {sorted(extra)}; keep only {sorted(NOTEBOOK_METADATA_KEYS)}"
    for index, cell in enumerate(notebook.cells):
        extra = set(cell.metadata) - CELL_METADATA_KEYS
        assert not extra, f"{path.name} cell {index}: metadata {sorted(extra)}; keep only {sorted(CELL_METADATA_KEYS)}"


@notebook_params()
def test_nbval_skip_marks_give_a_reason(path):
    for index, cell in enumerate(read(path).cells):
        lines = [line.strip() for line in cell.source.splitlines()]
        for number, line in enumerate(lines):
            if line.lstrip("#").strip() not in SKIP_MARKS:
                continue
            reason = lines[number + 1] if number + 1 < len(lines) else ""
            problem = f"{path.name} cell {index}: {line} needs a comment on the next line saying why"
            assert reason.startswith("#"), problem
            assert reason.lstrip("#").strip() not in SKIP_MARKS, problem


def test_absolute_path_pattern():
    assert ABSOLUTE_PATH.search("saved to /home/ana/course/grid.png")
    assert ABSOLUTE_PATH.search(r"C:\Users\ana\grid.png")
    for text in ["x/y", "1/√2", "~/.cache/coursekit", "notebooks/00_welcome.ipynb", "p = v / B", "https://x.org/tmp/a"]:
        assert not ABSOLUTE_PATH.search(text), f"{text!r} is not an absolute path"


def run_tool(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff_passes_on_the_package_tests_and_benchmarks():
    result = run_tool([sys.executable, "-m", "ruff", "check", "--no-cache", "coursekit", "tests", "benchmarks"])
    assert result.returncode == 0, f"ruff check found problems:\n{result.stdout[-4000:]}{result.stderr[-1000:]}"


def test_ruff_passes_on_the_notebooks_through_nbqa():
    nbqa = shutil.which("nbqa", path=str(Path(sys.executable).parent))
    assert nbqa, f"nbqa is not installed next to {sys.executable}; install requirements.txt"
    result = run_tool([nbqa, "ruff", "notebooks", "--no-cache"])
    assert result.returncode == 0, f"nbqa ruff found problems:\n{result.stdout[-4000:]}{result.stderr[-1000:]}"
