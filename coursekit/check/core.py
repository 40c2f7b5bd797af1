"""Run a student's function on public cases and compare it with the reference implementation."""

from __future__ import annotations

import copy
import math
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

Comparison = Callable[[Any, Any], "str | None"]


def _short(value: Any, limit: int = 160) -> str:
    """Return a one-line summary of a value for a failure message."""
    if isinstance(value, torch.Tensor):
        text = f"tensor{tuple(value.shape)} {value.detach().cpu().flatten()[:6].tolist()}"
        text += "…" if value.numel() > 6 else ""
    elif isinstance(value, np.ndarray):
        text = f"array{value.shape} {value.ravel()[:6].tolist()}" + ("…" if value.size > 6 else "")
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_array(value: Any) -> np.ndarray | None:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return value
    return None


def compare_values(expected: Any, got: Any, rtol: float = 1e-5, atol: float = 1e-6) -> str | None:
    """Return None when `got` matches `expected`, else a sentence that says how it differs.

    Tensors and arrays must agree in type, shape, dtype and elementwise
    within `atol + rtol·|expected|`. Numbers compare with the same tolerance, tuples, lists and
    dicts item by item, and anything else with ==.
    """
    expected_array = _as_array(expected)
    if expected_array is not None:
        got_array = _as_array(got)
        if got_array is None:
            return f"expected a {type(expected).__name__}, got {type(got).__name__}"
        if got_array.shape != expected_array.shape:
            return f"shape {tuple(got_array.shape)} differs from the expected {tuple(expected_array.shape)}"
        if got_array.dtype != expected_array.dtype:
            return f"dtype {got.dtype} differs from the expected {expected.dtype}"
        if expected_array.dtype.kind in "fc":
            close = np.isclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True)
        else:
            close = got_array == expected_array
        if not close.all():
            index = tuple(int(i) for i in np.argwhere(~close)[0])
            return (
                f"{int((~close).sum())} of {close.size} values differ; first at index {index}: "
                f"expected {expected_array[index].item()!r}, got {got_array[index].item()!r}"
            )
        return None

    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return None if got == expected and type(got) is type(expected) else f"expected {expected!r}, got {_short(got)}"
    if isinstance(expected, (int, float, np.integer, np.floating)):
        if not isinstance(got, (int, float, np.integer, np.floating)) or isinstance(got, bool):
            return f"expected a number, got {_short(got)}"
        if math.isclose(float(got), float(expected), rel_tol=rtol, abs_tol=atol):
            return None
        return f"expected {expected!r}, got {got!r}"
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping) or set(got) != set(expected):
            return f"expected a dict with keys {sorted(expected)}, got {_short(got)}"
        for key in expected:
            problem = compare_values(expected[key], got[key], rtol, atol)
            if problem:
                return f"[{key!r}]: {problem}"
        return None
    if isinstance(expected, Sequence):
        if not isinstance(got, Sequence) or isinstance(got, str) or len(got) != len(expected):
            return f"expected {_short(expected)}, got {_short(got)}"
        for position, (want, have) in enumerate(zip(expected, got)):
            problem = compare_values(want, have, rtol, atol)
            if problem:
                return f"item {position}: {problem}"
        return None
    return None if got == expected else f"expected {_short(expected)}, got {_short(got)}"


@dataclass(frozen=True)
class Case:
    """One public input: `label` describes it to the student, `run(fn)` applies a candidate to it."""

    label: str
    run: Callable[[Callable], Any]

    @classmethod
    def call(cls, *args: Any, **kwargs: Any) -> "Case":
        """Build a case that calls the candidate with copies of these arguments, so it cannot change them."""
        shown = [_short(arg, 60) for arg in args] + [f"{key}={_short(value, 60)}" for key, value in kwargs.items()]
        return cls(
            label=f"({', '.join(shown)})",
            run=lambda fn: fn(*copy.deepcopy(args), **copy.deepcopy(kwargs)),
        )


@dataclass
class Exercise:
    """A graded exercise: its reference implementation and the public cases a student can run.

    Attributes:
        name: "<notebook number>.<short name>", for example "00.normalize".
        reference: the coursekit implementation the student's code must agree with.
        cases: public inputs. The notebook's hidden tests use other inputs.
        rtol, atol: tolerance of the default comparison.
        compare: replaces the default comparison; returns None on a match, else the difference.
        seed: when set, torch, NumPy and `random` are seeded with it before every call, so
            reference and candidate see the same random numbers.
        hint: one sentence shown when a case fails, pointing at the usual mistake.
    """

    name: str
    reference: Callable
    cases: list[Case]
    rtol: float = 1e-5
    atol: float = 1e-6
    compare: Comparison | None = None
    seed: int | None = None
    hint: str = ""
    results: list = field(default_factory=list, repr=False)

    def _evaluate(self, fn: Callable, case: Case) -> Any:
        if self.seed is not None:
            from coursekit.utils import seed_everything

            seed_everything(self.seed)
        return case.run(fn)

    def check(self, fn: Callable) -> tuple[int, str | None]:
        """Run every public case; return (cases passed before the first failure, failure message)."""
        for number, case in enumerate(self.cases, start=1):
            expected = self._evaluate(self.reference, case)
            try:
                got = self._evaluate(fn, case)
            except NotImplementedError:
                return number - 1, "not implemented yet: replace `raise NotImplementedError()` with your code"
            except Exception as error:  # noqa: BLE001 - any error in student code is reported, not raised
                where = traceback.extract_tb(error.__traceback__)[-1]
                return number - 1, (
                    f"case {number} of {len(self.cases)} {case.label} raised {type(error).__name__}: {error} "
                    f"(line {where.lineno}: {where.line})"
                )
            problem = (self.compare or (lambda e, g: compare_values(e, g, self.rtol, self.atol)))(expected, got)
            if problem:
                message = f"case {number} of {len(self.cases)} {case.label}: {problem}"
                return number - 1, message + (f". Hint: {self.hint}" if self.hint else "")
        return len(self.cases), None
