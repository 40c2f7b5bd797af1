"""Seeding, device choice and the compute budget shared by notebooks, the CLI and the trainer."""

from __future__ import annotations

import logging
import os
import random

import numpy as np
import torch

log = logging.getLogger(__name__)

BUDGET_ENV = "COURSEKIT_BUDGET"
BUDGETS = ("full", "grading")


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python's `random`, NumPy's global RNG and torch (CPU and every CUDA device).

    Returns a `torch.Generator` seeded with the same value, for code that prefers an explicit
    generator to the global state.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


_DEVICE: torch.device | None = None


def get_device(prefer: str | None = None) -> torch.device:
    """Return the device every notebook and command uses: CUDA when present, else the CPU.

    The choice is made once per process and then reused, so models and batches never end up on
    two devices. `prefer` ("cpu", "cuda", "cuda:1") overrides the automatic choice on the first
    call; the environment variable COURSEKIT_DEVICE does the same without code changes.
    """
    global _DEVICE
    if _DEVICE is not None and prefer is None:
        return _DEVICE

    wanted = prefer or os.environ.get("COURSEKIT_DEVICE")
    if wanted:
        try:
            device = torch.device(wanted)
        except RuntimeError as error:
            raise ValueError(f"unknown device {wanted!r}; use 'cpu', 'cuda' or 'cuda:N'") from error
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"device {wanted!r} requested but CUDA is not available; use 'cpu'")
    else:
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

    _DEVICE = device
    log.info("using device %s", device)
    return device


def budget() -> str:
    """Return the compute budget: "full" for teaching runs, "grading" under the autograder.

    Heavy notebook cells (training) read this to run a small, documented number of steps while
    nbgrader grades a submission. The graded quantities are the same in both budgets.
    """
    value = os.environ.get(BUDGET_ENV, "full")
    if value not in BUDGETS:
        raise ValueError(f"{BUDGET_ENV}={value!r} is invalid; use one of {', '.join(BUDGETS)}")
    return value
