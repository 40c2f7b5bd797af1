"""Hidden-test results as JSON cell outputs: the codec and the in-kernel emitter.

The hidden part of a graded test cell calls `emit_hidden_results(key, fn)`. It runs the
student's `fn` on every hidden case of `key` and displays one output per case with the MIME type
`MIME_TYPE`. The output holds only what the student's code returned (or the error it raised), never an
expected value. The grader compares it with coursekit's reference outside the kernel.
"""

from __future__ import annotations

import math
import traceback
from typing import Any

import numpy as np

MIME_TYPE = "application/vnd.coursekit.hidden-result+json"

# Results larger than this many array elements or characters are replaced by a marker, so that
# a student's function returning a huge tensor cannot flood the autograded notebook.
MAX_ELEMENTS = 100_000
MAX_TEXT = 2_000


def encode(value: Any) -> Any:
    """Turn a returned value into plain JSON: arrays and tensors become {"$array": ...} objects.

    Tuples become lists, non-finite floats become {"$float": "nan" | "inf" | "-inf"}, and any other
    object becomes {"$object": its type name}, which never matches a reference value.
    """
    import torch

    if isinstance(value, torch.Tensor):
        tensor = value.detach().cpu()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.to(torch.float32)
        return _encode_array(tensor.numpy(), "tensor")
    if isinstance(value, np.ndarray):
        return _encode_array(value, "ndarray")
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _encode_float(float(value))
    if value is None:
        return None
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ELEMENTS:
            return {"$too_large": f"{type(value).__name__} of {len(value)} items"}
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"$dict": [[str(key)[:MAX_TEXT], encode(item)] for key, item in value.items()]}
    return {"$object": type(value).__name__[:200]}


def _encode_float(value: float) -> Any:
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return {"$float": "nan"}
    return {"$float": "inf" if value > 0 else "-inf"}


def _encode_array(array: np.ndarray, kind: str) -> dict:
    if array.size > MAX_ELEMENTS:
        return {"$too_large": f"{kind} of shape {tuple(array.shape)}"}
    if array.dtype.kind not in "biuf":
        return {"$object": f"{kind} of dtype {array.dtype}"}
    values = [_encode_float(float(item)) if array.dtype.kind == "f" else item
              for item in array.ravel().tolist()]
    return {"$array": {"kind": kind, "dtype": str(array.dtype), "shape": list(array.shape), "data": values}}


class DecodeError(ValueError):
    """A result record that is not what `encode` writes: the output was forged or damaged."""


def decode(value: Any, depth: int = 0) -> Any:
    """Invert `encode`; arrays come back as NumPy arrays of their recorded dtype and shape.

    Raises DecodeError for anything `encode` never writes.
    """
    if depth > 50:
        raise DecodeError("nested more than 50 levels deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode(item, depth + 1) for item in value]
    if not isinstance(value, dict) or len(value) != 1:
        raise DecodeError(f"unexpected JSON value of type {type(value).__name__}")
    (tag, content), = value.items()
    if tag == "$float" and content in ("nan", "inf", "-inf"):
        return float(content)
    if tag == "$dict" and isinstance(content, list):
        if not all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) for pair in content):
            raise DecodeError("a $dict entry is not a [key, value] pair")
        return {key: decode(item, depth + 1) for key, item in content}
    if tag in ("$object", "$too_large") and isinstance(content, str):
        return Opaque(tag[1:], content)
    if tag == "$array" and isinstance(content, dict):
        return _decode_array(content)
    raise DecodeError(f"unknown tag {tag!r}")


def _decode_array(content: dict) -> np.ndarray:
    try:
        dtype = np.dtype(content["dtype"])
        shape = tuple(int(size) for size in content["shape"])
        data = [decode(item) if isinstance(item, dict) else item for item in content["data"]]
    except (KeyError, TypeError, ValueError) as error:
        raise DecodeError(f"invalid $array record: {error}") from error
    if dtype.kind not in "biuf" or math.prod(shape) != len(data) or len(data) > MAX_ELEMENTS:
        raise DecodeError("an $array record whose dtype, shape and data disagree")
    return np.asarray(data, dtype=dtype).reshape(shape)


class Opaque:
    """A returned value the codec does not carry: an unsupported object or a too large result."""

    def __init__(self, kind: str, description: str):
        self.kind, self.description = kind, description

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and (self.kind, self.description) == (other.kind, other.description)

    def __repr__(self) -> str:
        return f"<{'too large' if self.kind == 'too_large' else 'object'}: {self.description}>"


def run_case(case, fn) -> dict:
    """Run one hidden case on `fn`; return {"value": encoded result} or {"error": "Name: message"}."""
    if case.seed is not None:
        from coursekit.utils import seed_everything

        seed_everything(case.seed)
    try:
        return {"value": encode(case.run(fn))}
    except Exception as error:  # noqa: BLE001 - a student's error is a result to record, not to raise
        where = traceback.extract_tb(error.__traceback__)[-1]
        return {"error": f"{type(error).__name__}: {str(error)[:300]} (line {where.lineno}: {where.line})"}


def emit_hidden_results(key: str, fn) -> None:
    """Run the hidden cases of `key` on `fn` and display each result as a `MIME_TYPE` output.

    `fn` is the student's function or class, or a tuple of them for a cell that tests several.
    Called from the hidden part of a graded test cell. It never asserts, because the verdict is
    made by `coursekit.grading.verdict` in the grading process, which this kernel cannot reach.
    """
    from IPython.display import display

    from coursekit.grading.hidden import hidden_test

    test = hidden_test(key)
    for number, case in enumerate(test.cases, start=1):
        record = {"key": key, "case": number, **run_case(case, fn)}
        display({MIME_TYPE: record}, raw=True)
