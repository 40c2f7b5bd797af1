"""coursekit.utils: seeding, device choice and the compute budget."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from coursekit import utils


def test_seed_everything_repeats_all_generators():
    utils.seed_everything(3)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    utils.seed_everything(3)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first


def test_seed_zero_is_a_seed():
    utils.seed_everything(0)
    first = torch.rand(2)
    utils.seed_everything(0)
    assert torch.equal(torch.rand(2), first)


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True])
def test_seed_rejects_non_integer(bad):
    with pytest.raises(ValueError, match="seed"):
        utils.seed_everything(bad)


def test_get_device_cpu_when_no_cuda(monkeypatch):
    monkeypatch.setattr(utils, "_DEVICE", None)
    monkeypatch.delenv("COURSEKIT_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert utils.get_device().type == expected


def test_get_device_is_chosen_once(monkeypatch):
    monkeypatch.setattr(utils, "_DEVICE", None)
    assert utils.get_device() is utils.get_device()


def test_get_device_rejects_unknown(monkeypatch):
    monkeypatch.setattr(utils, "_DEVICE", None)
    with pytest.raises(ValueError, match="'tpu'"):
        utils.get_device("tpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message shown on machines without CUDA")
def test_get_device_cuda_requested_without_cuda(monkeypatch):
    monkeypatch.setattr(utils, "_DEVICE", None)
    with pytest.raises(ValueError, match="CUDA is not available"):
        utils.get_device("cuda")


def test_budget_default_is_full(monkeypatch):
    monkeypatch.delenv(utils.BUDGET_ENV, raising=False)
    assert utils.budget() == "full"


def test_budget_rejects_unknown_value(monkeypatch):
    monkeypatch.setenv(utils.BUDGET_ENV, "tiny")
    with pytest.raises(ValueError, match="'tiny'"):
        utils.budget()
