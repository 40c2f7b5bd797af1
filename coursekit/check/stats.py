"""Public cases of notebook 05's exercises: δ(D_test), the paired bootstrap test and McNemar's test."""

from __future__ import annotations

import math

import numpy as np

from coursekit.check import register
from coursekit.check.core import Case, Exercise
from coursekit.stats import mcnemar_test, paired_bootstrap_test, score


def delta(y_true, pred_a, pred_b) -> float:
    """Return δ(D_test) = accuracy of h_A − accuracy of h_B on the n examples (arrays of shape (n,))."""
    return score("accuracy", y_true, pred_a) - score("accuracy", y_true, pred_b)


def paired_bootstrap(y_true, pred_a, pred_b, B: int = 1000, seed: int = 0) -> float:
    """Return the p-value of the lecture's paired bootstrap test for accuracy (1.0 when δ(D_test) ≤ 0)."""
    return paired_bootstrap_test(y_true, pred_a, pred_b, B=B, seed=seed, confidence=None).p_value


def mcnemar_p(y_true, pred_a, pred_b) -> float:
    """Return the two-sided p-value of McNemar's exact test on h_A's and h_B's predictions."""
    return mcnemar_test(y_true, pred_a, pred_b).p_value


def monte_carlo_close(B: int):
    """Compare two bootstrap p-values that used different random numbers, each from B samples.

    The difference of two independent estimates of p has standard deviation √(2·p·(1 − p)/B).
    The tolerance is five of those plus 2/B, because p moves in steps of 1/B.
    """

    def compare(expected, got):
        if not isinstance(got, (float, int, np.floating, np.integer)) or isinstance(got, bool):
            return f"expected a number (the p-value), got {type(got).__name__}"
        tolerance = 5 * math.sqrt(2 * expected * (1 - expected) / B) + 2 / B
        if abs(float(got) - expected) <= tolerance:
            return None
        return f"p = {float(got):.4f} differs from coursekit's {expected:.4f} by more than {tolerance:.4f}"

    return compare


def example_predictions(n: int, accuracy_a: float, accuracy_b: float, seed: int):
    """Return labels 0..9 and two classifiers' predictions (arrays of shape (n,)) for a public case."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    wrong = (y + rng.integers(1, 10, n)) % 10
    return y, np.where(rng.random(n) < accuracy_a, y, wrong), np.where(rng.random(n) < accuracy_b, y, wrong)


register(
    Exercise(
        name="05.delta",
        reference=delta,
        cases=[
            Case.call(np.array([0, 1, 1, 0]), np.array([0, 1, 1, 1]), np.array([1, 1, 0, 1])),
            Case.call(np.array([2, 2, 2]), np.array([2, 2, 2]), np.array([2, 2, 2])),
            Case.call(*example_predictions(50, 0.8, 0.9, seed=1)),
        ],
        hint="δ is accuracy(h_A) − accuracy(h_B), in that order, and accuracy is a fraction in [0, 1]",
    )
)

register(
    Exercise(
        name="05.paired_bootstrap",
        reference=paired_bootstrap,
        cases=[
            Case.call(*example_predictions(200, 0.80, 0.72, seed=2), B=2000, seed=0),
            Case.call(*example_predictions(100, 0.80, 0.78, seed=3), B=2000, seed=1),
            Case.call(*example_predictions(100, 0.70, 0.80, seed=4), B=500, seed=0),
        ],
        compare=monte_carlo_close(2000),
        hint="resample the same indices for both systems, count δ(S^(b)) > 2·δ(D_test), and return 1.0 "
        "when δ(D_test) ≤ 0",
    )
)

register(
    Exercise(
        name="05.mcnemar",
        reference=mcnemar_p,
        cases=[
            Case.call(np.array([1] * 40), np.array([1] * 25 + [0] * 15), np.array([0] * 25 + [1] * 15)),
            Case.call(*example_predictions(300, 0.85, 0.80, seed=5)),
        ],
        hint="b and c count the examples where exactly one system is right; p = min(1, 2·P(X ≤ min(b, c))) "
        "for X ~ Binomial(b + c, 1/2)",
    )
)
