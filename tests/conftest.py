"""Shared fixtures: every test runs on the bundled data, with caches in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_root(tmp_path_factory):
    """Point the torchvision data root at an empty folder, so no test sees a user's downloads."""
    previous = os.environ.get("COURSEKIT_DATA")
    os.environ["COURSEKIT_DATA"] = str(tmp_path_factory.mktemp("no-downloads"))
    yield
    if previous is None:
        os.environ.pop("COURSEKIT_DATA", None)
    else:
        os.environ["COURSEKIT_DATA"] = previous
