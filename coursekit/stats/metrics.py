"""Classification metrics as functions of joint counts over (label, prediction of h_A, prediction of h_B).

Accuracy, macro precision, macro recall and macro F1 of both systems depend on a test set only
through how many examples fall into each joint category (y, ŷ_A, ŷ_B). A resample S^(b) of
D_test is then a vector of category counts, and every metric is recomputed from those counts,
so F1 (not a mean over examples) is handled as exactly as accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METRICS = ("accuracy", "precision", "recall", "f1")
ALIASES = {"acc": "accuracy", "macro_f1": "f1", "f1_macro": "f1", "macro_precision": "precision",
           "macro_recall": "recall"}
# Above this many possible categories (K³ for K labels) the codes are made unique by sorting
# instead of counted in a dense array.
DENSE_CODES_MAX = 2**22


def metric_name(metric: str) -> str:
    """Return the canonical name of a named metric, or raise ValueError listing the known names."""
    name = ALIASES.get(metric.lower(), metric.lower())
    if name not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)} or a callable; got {metric!r}")
    return name


@dataclass(frozen=True)
class CategoryTable:
    """The joint categories observed in D_test and how many examples fall into each.

    Attributes:
        metric: the canonical metric name.
        y, a, b: int arrays (m,): label index of the truth, of h_A's and of h_B's prediction in
            each category. For accuracy the categories are (h_A correct, h_B correct), stored
            as y = 1 and a, b ∈ {0, 1}, so "a == y" still means "h_A is right".
        counts: int64 array (m,), examples per category; the counts sum to n.
        codes: int array (n,), the category of every example of D_test.
        n_labels: K, the size of the label set (1 for accuracy).
    """

    metric: str
    y: np.ndarray
    a: np.ndarray
    b: np.ndarray
    counts: np.ndarray
    codes: np.ndarray
    n_labels: int

    def swapped(self) -> "CategoryTable":
        """Return the same categories with the predictions of h_A and h_B exchanged (for permutation tests)."""
        return CategoryTable(self.metric, self.y, self.b, self.a, self.counts, self.codes, self.n_labels)


def encode(array: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return the index of every value of `array` in the sorted label set `labels`, shape (n,)."""
    return np.searchsorted(labels, array).astype(np.int64)


def build_table(metric: str, y_true: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray,
                labels: np.ndarray | None) -> CategoryTable:
    """Sort the n examples of D_test into joint categories; cost O(n), or O(n log n) for many labels."""
    if metric == "accuracy":
        codes = 2 * (pred_a == y_true).astype(np.int64) + (pred_b == y_true)
        counts = np.bincount(codes, minlength=4)
        flags = np.arange(4)
        return CategoryTable(metric, np.ones(4, np.int64), flags // 2, flags % 2, counts, codes, 1)

    n_labels = len(labels)
    joint = (encode(y_true, labels) * n_labels + encode(pred_a, labels)) * n_labels + encode(pred_b, labels)
    if n_labels**3 <= DENSE_CODES_MAX:
        dense = np.bincount(joint, minlength=n_labels**3)
        observed = np.flatnonzero(dense)
        counts = dense[observed]
        index = np.full(n_labels**3, -1, np.int64)
        index[observed] = np.arange(observed.size)
        codes = index[joint]
    else:
        observed, codes, counts = np.unique(joint, return_inverse=True, return_counts=True)
    y, rest = np.divmod(observed, n_labels * n_labels)
    a, b = np.divmod(rest, n_labels)
    return CategoryTable(metric, y, a, b, counts.astype(np.int64), codes, n_labels)


def _one_hot(index: np.ndarray, width: int) -> np.ndarray:
    out = np.zeros((index.size, width))
    out[np.arange(index.size), index] = 1.0
    return out


def system_scores(counts: np.ndarray, table: CategoryTable) -> tuple[np.ndarray, np.ndarray]:
    """Return the metric of h_A and of h_B on each row of category counts.

    Args:
        counts: array (rows, m) of how many examples of each category a test set holds; one
            row per test set (D_test itself or a resample S^(b)).
        table: the categories, from `build_table`.

    Returns:
        Two float arrays (rows,): the score of h_A and of h_B.

    Notes:
        Macro metrics average over the K labels of the label set, so a label that is missing
        from a resample still counts, with a score of 0. Per label c, precision is
        TP/(TP + FP), recall TP/(TP + FN) and F1 2·TP/(2·TP + FP + FN), each 0 when its
        denominator is 0. This is scikit-learn's `average="macro"` with a fixed `labels`
        argument and `zero_division=0`.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if table.metric == "accuracy":
        n = counts.sum(axis=1)
        return counts @ (table.a == table.y) / n, counts @ (table.b == table.y) / n

    truth = _one_hot(table.y, table.n_labels)
    support = counts @ truth
    scores = []
    for predicted in (table.a, table.b):
        guess = _one_hot(predicted, table.n_labels)
        true_positives = counts @ (truth * guess)
        predicted_positives = counts @ guess
        if table.metric == "precision":
            numerator, denominator = true_positives, predicted_positives
        elif table.metric == "recall":
            numerator, denominator = true_positives, support
        else:
            numerator, denominator = 2 * true_positives, predicted_positives + support
        per_label = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
        scores.append(per_label.mean(axis=1))
    return scores[0], scores[1]


def score(metric: str, y_true, pred, labels=None) -> float:
    """Return one system's named metric on one test set (accuracy, or macro precision, recall or F1).

    `labels` fixes the label set of the macro average; by default it is the labels in
    `y_true` and `pred`.
    """
    from coursekit.stats.inputs import check_paired, label_set

    name = metric_name(metric)
    y_true, pred, _ = check_paired(y_true, pred, pred)
    table = build_table(name, y_true, pred, pred, label_set((y_true, pred), labels))
    return float(system_scores(table.counts[None, :], table)[0][0])
