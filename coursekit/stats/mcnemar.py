"""McNemar's exact test on the examples where exactly one of h_A and h_B is right."""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import binom

from coursekit.stats import inputs


@dataclass(frozen=True)
class McNemarResult:
    """The outcome of McNemar's exact test.

    Attributes:
        b: examples that h_A gets right and h_B wrong.
        c: examples that h_A gets wrong and h_B right.
        p_value: two-sided exact p-value; 1.0 when b = c = 0.
    """

    b: int
    c: int
    p_value: float


def mcnemar_exact(b: int, c: int) -> McNemarResult:
    """Run McNemar's exact test on the discordant counts b and c.

    Parameters:
        b: number of examples where h_A is right and h_B wrong, an integer ≥ 0.
        c: number of examples where h_A is wrong and h_B right, an integer ≥ 0.

    Returns:
        A `McNemarResult`.

    Notes:
        Under H0 each of the b + c discordant examples favours h_A with probability 1/2, so
        min(b, c) ~ Binomial(b + c, 1/2) and p = min(1, 2·P(X ≤ min(b, c))). With no
        discordant example (b = c = 0) the systems never disagree and p = 1.

    References:
        Q. McNemar, "Note on the sampling error of the difference between correlated
        proportions or percentages", Psychometrika 12(2), 1947.
        T. G. Dietterich, "Approximate Statistical Tests for Comparing Supervised
        Classification Learning Algorithms", Neural Computation 10(7), 1998, section 3.

    Examples:
        >>> round(mcnemar_exact(25, 15).p_value, 5)
        0.15386
    """
    b = inputs.check_count(b, "b", minimum=0)
    c = inputs.check_count(c, "c", minimum=0)
    if b + c == 0:
        return McNemarResult(b, c, 1.0)
    p_value = min(1.0, 2.0 * float(binom.cdf(min(b, c), b + c, 0.5)))
    return McNemarResult(b, c, p_value)


def mcnemar_test(y_true, pred_a, pred_b) -> McNemarResult:
    """Count the discordant examples of h_A and h_B on D_test (shape (n,) each) and run `mcnemar_exact`."""
    y_true, pred_a, pred_b = inputs.check_paired(y_true, pred_a, pred_b)
    right_a = pred_a == y_true
    right_b = pred_b == y_true
    return mcnemar_exact(int((right_a & ~right_b).sum()), int((~right_a & right_b).sum()))
