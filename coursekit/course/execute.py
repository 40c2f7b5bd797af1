"""Run a notebook top to bottom and report the first failing cell by notebook and number."""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from coursekit.cli import CommandError
from coursekit.utils import BUDGET_ENV

log = logging.getLogger(__name__)


@contextmanager
def budget_env(budget: str):
    """Set COURSEKIT_BUDGET for the kernels started inside the block, then restore it."""
    previous = os.environ.get(BUDGET_ENV)
    os.environ[BUDGET_ENV] = budget
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(BUDGET_ENV, None)
        else:
            os.environ[BUDGET_ENV] = previous


def _describe_cell(notebook: nbformat.NotebookNode, index: int) -> tuple[int, str]:
    """Return (1-based number among code cells, first non-blank source line) of cell `index`."""
    number = sum(1 for cell in notebook.cells[: index + 1] if cell.cell_type == "code")
    source = notebook.cells[index].source
    return number, next((line for line in source.splitlines() if line.strip()), "")


def execute_notebook(source: Path, destination: Path, budget: str = "full", cell_timeout: int = 600) -> float:
    """Run `source` in a fresh kernel with its working folder set to the source's folder.

    The executed copy is written to `destination`; the source file is only read. Returns the
    wall-clock seconds. Raises CommandError naming the notebook, the code cell number and the
    error when a cell fails or runs past `cell_timeout` seconds.
    """
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=cell_timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(source.parent.resolve())}},
    )
    current = {"index": 0}
    client.on_cell_start = lambda cell, cell_index: current.update(index=cell_index)

    started = time.perf_counter()
    try:
        with budget_env(budget):
            client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        number, first_line = _describe_cell(notebook, current["index"])
        errors = [output for output in notebook.cells[current["index"]].get("outputs", [])
                  if output.get("output_type") == "error"]
        if isinstance(error, CellTimeoutError):
            reason = f"timed out after {cell_timeout} s"
        elif errors:
            reason = f"{errors[-1]['ename']}: {errors[-1]['evalue']}"
        else:
            reason = type(error).__name__
        raise CommandError(f"{source.name}: code cell {number} ({first_line!r}) failed: {reason}") from error
    finally:
        destination.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, destination)
    seconds = time.perf_counter() - started
    log.info("ran %s in %.1f s", source.name, seconds)
    return seconds
