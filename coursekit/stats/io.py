"""Read one label per test example from TXT, CSV or NPY files, with errors that name the file and line.

Label type: a file's labels are integers when every one of them is written as an integer
("3", "-1", "007" is 7), and strings otherwise ("cat", "3.0"). `read_label_files` then
requires one type across the label file and both prediction files, so "3" and 3 never
compare as different labels by accident.
"""

from __future__ import annotations

import csv
import io as _io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

INTEGER = re.compile(r"[+-]?\d+")
# A first CSV row whose label field is one of these words is a header, also for string labels.
HEADER_NAMES = {"label", "labels", "y", "y_true", "y_pred", "target", "class", "prediction", "pred", "predicted"}


class LabelFileError(ValueError):
    """A label file that cannot be read; the message names the file and, where it can, the line."""


@dataclass(frozen=True)
class LabelColumn:
    """The labels of one file.

    Attributes:
        path: the file.
        values: array (n,), int64 when every label is an integer, else str.
        lines: int array (n,), the 1-based line of each label in the file (the index for NPY).
    """

    path: Path
    values: np.ndarray
    lines: np.ndarray

    def where(self, index: int) -> str:
        """Return "FILE line N" (or "FILE index N" for NPY) for the label at `index`."""
        unit = "index" if self.path.suffix.lower() == ".npy" else "line"
        return f"{self.path} {unit} {int(self.lines[index])}"


def read_labels(path: str | Path, header: bool | None = None) -> LabelColumn:
    """Read one label per example from a .txt, .csv or .npy file.

    Parameters:
        path: TXT (one label per line), CSV (the label is the last column) or NPY (a 1-D array).
        header: whether a TXT or CSV file starts with a header row; None detects it. The first
            row is a header when its label is a word in HEADER_NAMES, or when it is not an
            integer but every later label is.

    Returns:
        A `LabelColumn`.

    Raises:
        LabelFileError: for a missing, empty or undecodable file, an empty line, a ragged CSV
            row, a CRLF line ending or a NaN, naming the file and the line.

    Notes:
        Lines must end with LF. A tool that splits on LF only reads "1\r" as a label of its own.
        So a CRLF file is rejected, with the command that converts it, instead of being read
        differently here.
    """
    path = Path(path)
    if not path.is_file():
        raise LabelFileError(f"{path}: file not found")
    if path.suffix.lower() == ".npy":
        return _read_npy(path)

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LabelFileError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    if not text.strip():
        raise LabelFileError(f"{path}: file is empty; expected one label per line")
    carriage_return = text.find("\r")
    if carriage_return >= 0:
        line = text.count("\n", 0, carriage_return) + 1
        raise LabelFileError(
            f"{path} line {line}: line ends with CR (Windows CRLF line endings); "
            f"convert the file to LF endings, for example with: sed -i 's/\\r$//' {path}"
        )

    rows = _csv_rows(path, text) if path.suffix.lower() == ".csv" else _text_rows(path, text)
    first_line, first_label = rows[0]
    later_are_integers = all(INTEGER.fullmatch(label) for _, label in rows[1:])
    if header is None:
        header = first_label.lower() in HEADER_NAMES or (
            len(rows) > 1 and not INTEGER.fullmatch(first_label) and later_are_integers
        )
    if header:
        rows = rows[1:]
    if not rows:
        raise LabelFileError(f"{path}: has a header but no labels")

    lines = np.array([line for line, _ in rows], dtype=np.int64)
    labels = [label for _, label in rows]
    if all(INTEGER.fullmatch(label) for label in labels):
        return LabelColumn(path, np.array([int(label) for label in labels], dtype=np.int64), lines)
    return LabelColumn(path, np.array(labels, dtype=str), lines)


def _text_rows(path: Path, text: str) -> list[tuple[int, str]]:
    """Return (line number, label) for every line; a final newline is allowed, an empty line is not."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    rows = []
    for number, line in enumerate(lines, start=1):
        label = line.strip()
        if not label:
            raise LabelFileError(f"{path} line {number}: empty line; every example needs a label")
        rows.append((number, label))
    return rows


def _csv_rows(path: Path, text: str) -> list[tuple[int, str]]:
    """Return (line number, label of the last column) for every CSV row; all rows need as many fields."""
    reader = csv.reader(_io.StringIO(text, newline=""))
    rows = []
    width = None
    for fields in reader:
        number = reader.line_num
        if not fields or all(not field.strip() for field in fields):
            raise LabelFileError(f"{path} line {number}: empty row; every example needs a label")
        if width is None:
            width = len(fields)
        elif len(fields) != width:
            raise LabelFileError(
                f"{path} line {number}: ragged CSV, {len(fields)} fields where line {rows[0][0]} has {width}"
            )
        label = fields[-1].strip()
        if not label:
            raise LabelFileError(f"{path} line {number}: the label field is empty")
        rows.append((number, label))
    return rows


def _read_npy(path: Path) -> LabelColumn:
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as error:
        raise LabelFileError(f"{path}: not a readable .npy array without pickled objects ({error})") from error
    if array.ndim != 1:
        raise LabelFileError(f"{path}: expected a 1-D array of labels; got shape {array.shape}")
    if array.size == 0:
        raise LabelFileError(f"{path}: array is empty; expected one label per example")
    lines = np.arange(array.size)
    if array.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(array))
        if missing.size:
            raise LabelFileError(f"{path} index {missing[0]}: label is NaN")
        fractional = np.flatnonzero(array != np.round(array))
        if fractional.size:
            raise LabelFileError(f"{path} index {fractional[0]}: label {array[fractional[0]]!r} is not an integer")
        array = array.astype(np.int64)
    elif array.dtype.kind in "biu":
        array = array.astype(np.int64)
    elif array.dtype.kind in "US":
        array = array.astype(str)
    else:
        raise LabelFileError(f"{path}: labels must be integers or strings; got dtype {array.dtype}")
    return LabelColumn(path, array, lines)


def read_label_files(labels_path, pred_a_path, pred_b_path, classes=None,
                     header: bool | None = None) -> tuple[LabelColumn, LabelColumn, LabelColumn]:
    """Read D_test's labels and both prediction files, and check that they fit together.

    Parameters:
        labels_path, pred_a_path, pred_b_path: files for `read_labels`.
        classes: the label set, as strings; default: the labels that occur in `labels_path`.
        header: passed to `read_labels`.

    Returns:
        The three columns, all int64 or all str.

    Raises:
        LabelFileError: for different lengths, a non-integer label among integer labels, or a
            prediction outside the label set, naming the file and the line.
    """
    truth = read_labels(labels_path, header)
    columns = [truth, read_labels(pred_a_path, header), read_labels(pred_b_path, header)]

    for column in columns[1:]:
        if len(column.values) != len(truth.values):
            raise LabelFileError(
                f"{column.path} has {len(column.values)} labels but {truth.path} has {len(truth.values)}; "
                "each file needs one label per test example, in the same order"
            )

    text = [column.values.dtype.kind == "U" for column in columns]
    integer_classes = classes is None or all(INTEGER.fullmatch(str(label).strip()) for label in classes)
    if not any(text) and integer_classes:
        known = truth.values if classes is None else np.array([int(str(c).strip()) for c in classes])
    elif not text[0] and integer_classes:
        # Integer labels: a prediction file with a non-integer entry is the error.
        column = columns[text.index(True)]
        bad = next(i for i, value in enumerate(column.values) if not INTEGER.fullmatch(value))
        raise LabelFileError(
            f"{column.where(bad)}: label {str(column.values[bad])!r} is not an integer, but {truth.path} "
            "holds integer labels"
        )
    else:
        columns = [LabelColumn(c.path, c.values.astype(str), c.lines) for c in columns]
        known = columns[0].values if classes is None else np.array([str(c).strip() for c in classes])

    known = np.unique(known)
    for column in columns:
        outside = np.flatnonzero(~np.isin(column.values, known))
        if outside.size:
            source = "--classes" if classes is not None else f"the labels of {truth.path}"
            raise LabelFileError(
                f"{column.where(outside[0])}: unknown label {column.values[outside[0]].item()!r}, not among "
                f"the {known.size} labels in {source}; pass --classes to list every class"
            )
    return tuple(columns)
