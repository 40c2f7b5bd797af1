"""Validation of the arguments shared by the paired tests: label arrays, B, the seed and levels."""

from __future__ import annotations

import numbers

import numpy as np

NUMERIC_KINDS = "biuf"
TEXT_KINDS = "US"


def as_label_array(values, name: str) -> np.ndarray:
    """Return `values` as a 1-D NumPy array of labels (integers, floats without NaN, or strings).

    Raises ValueError naming `name` for a wrong shape, a NaN or None, or labels of mixed type.
    """
    if hasattr(values, "detach"):  # a torch tensor, possibly on a GPU
        values = values.detach().cpu().numpy()
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D with one label per example; got shape {array.shape}")

    if array.dtype.kind == "O":
        for index, value in enumerate(array):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                raise ValueError(f"{name}[{index}] is {value!r}; every example needs a label")
        if all(isinstance(value, str) for value in array):
            array = array.astype(str)
        elif all(isinstance(value, numbers.Integral) for value in array):
            array = array.astype(np.int64)
        else:
            kinds = sorted({type(value).__name__ for value in array})
            raise ValueError(f"{name} mixes label types ({', '.join(kinds)}); use all integers or all strings")

    if array.dtype.kind not in NUMERIC_KINDS + TEXT_KINDS:
        raise ValueError(f"{name} must hold integer or string labels; got dtype {array.dtype}")
    if array.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(array))
        if missing.size:
            raise ValueError(
                f"{name}[{missing[0]}] is NaN ({missing.size} NaN in all); every example needs a label"
            )
    return array


def check_paired(y_true, pred_a, pred_b) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate the labels of D_test and the predictions of h_A and h_B; return them as arrays.

    The three arrays must have the same length n ≥ 1 and the same kind of label (numbers or
    strings), because 3 and "3" would silently never match.
    """
    arrays = (
        as_label_array(y_true, "y_true"),
        as_label_array(pred_a, "pred_a"),
        as_label_array(pred_b, "pred_b"),
    )
    lengths = [len(array) for array in arrays]
    if len(set(lengths)) != 1:
        raise ValueError(
            f"y_true, pred_a and pred_b must have one entry per test example; got lengths "
            f"{lengths[0]}, {lengths[1]} and {lengths[2]}"
        )
    if lengths[0] < 1:
        raise ValueError("y_true is empty; the test needs at least n = 1 test example")

    text = [array.dtype.kind in TEXT_KINDS for array in arrays]
    if any(text) and not all(text):
        names = ("y_true", "pred_a", "pred_b")
        strings = [name for name, is_text in zip(names, text) if is_text]
        numbers_ = [name for name, is_text in zip(names, text) if not is_text]
        raise ValueError(
            f"{', '.join(strings)} hold strings but {', '.join(numbers_)} hold numbers; "
            "convert all three to one label type"
        )
    return arrays


def label_set(arrays: tuple[np.ndarray, ...], labels=None) -> np.ndarray:
    """Return the sorted label set: `labels` when given (every value must belong to it), else the union.

    Raises ValueError for a value outside `labels`, naming the array, the index and the value.
    """
    if labels is None:
        return np.unique(np.concatenate(arrays))

    known = np.unique(as_label_array(labels, "labels"))
    if known.size == 0:
        raise ValueError("labels is empty; pass every class label, or None to use the labels that occur")
    for name, array in zip(("y_true", "pred_a", "pred_b"), arrays):
        if (array.dtype.kind in TEXT_KINDS) != (known.dtype.kind in TEXT_KINDS):
            raise ValueError(f"labels and {name} hold different label types (strings and numbers)")
        outside = np.flatnonzero(~np.isin(array, known))
        if outside.size:
            listed = ", ".join(repr(value.item()) for value in known[:10]) + (", …" if known.size > 10 else "")
            raise ValueError(
                f"{name}[{outside[0]}] = {array[outside[0]].item()!r} is not in labels [{listed}]; "
                "add it to labels or fix the prediction"
            )
    return known


def check_count(value, name: str, minimum: int = 1) -> int:
    """Return `value` as an int after checking that it is an integer of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}; got {value!r}")
    return int(value)


def check_seed(seed) -> int:
    """Return an explicit non-negative integer seed; None draws a fresh one, which the result reports."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % 2**63)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer or None; got {seed!r}")
    return int(seed)


def check_level(value, name: str, allow_none: bool = False) -> float | None:
    """Return a level such as alpha or a confidence after checking that it lies strictly in (0, 1)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name} must lie strictly between 0 and 1; got {value!r}")
    return float(value)
