"""nbval over every source notebook: each cell runs, and cells marked NBVAL_CHECK_OUTPUT match."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_under_nbval(notebook):
    # The grading budget keeps training cells short; the notebooks' graded values do not depend on it.
    env = {**os.environ, "COURSEKIT_BUDGET": "grading"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", str(notebook)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:]
