"""Randomness in training: summarize scores over R random restarts and compare two systems seed by seed."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom
from scipy.stats import t as student_t

from coursekit.stats import inputs

TESTS = ("t", "sign")
ALTERNATIVES = ("two-sided", "greater")


@dataclass(frozen=True)
class ScoreSummary:
    """Mean, spread and confidence interval of one system's score over R random restarts.

    Attributes:
        mean, std: the mean and the sample standard deviation (ddof = 1) of the R scores.
        R: number of restarts.
        confidence: level of `ci`.
        ci: Student-t interval (low, high) for the mean score.
    """

    mean: float
    std: float
    R: int
    confidence: float
    ci: tuple[float, float]

    def format(self, name: str = "", percent: bool = True) -> str:
        """Return "h_A 45% ± 5%" style text (mean ± standard deviation)."""
        scale, unit, digits = (100, "%", 0) if percent else (1, "", 3)
        text = f"{self.mean * scale:.{digits}f}{unit} ± {self.std * scale:.{digits}f}{unit}"
        return f"{name} {text}" if name else text


def summarize_scores(scores, confidence: float = 0.95) -> ScoreSummary:
    """Summarize scores of R ≥ 2 restarts, shape (R,), as mean ± standard deviation and a t interval.

    Notes:
        The interval is mean ± t_{R−1, (1+confidence)/2} · std/√R, which assumes the scores are
        roughly normal. It is an interval for the mean over seeds, and is narrower than the
        spread of single runs (mean ± std).
    """
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"scores must be 1-D with at least 2 restarts; got shape {values.shape}")
    if np.isnan(values).any():
        raise ValueError(f"scores[{int(np.flatnonzero(np.isnan(values))[0])}] is NaN")
    confidence = inputs.check_level(confidence, "confidence")

    mean = float(values.mean())
    std = float(values.std(ddof=1))
    half_width = float(student_t.ppf((1 + confidence) / 2, values.size - 1)) * std / math.sqrt(values.size)
    return ScoreSummary(mean, std, values.size, confidence, (mean - half_width, mean + half_width))


def sign_test_min_p(R: int, alternative: str = "two-sided") -> float:
    """Return the smallest p-value a sign test over R paired seeds can reach: 2·(1/2)^R two-sided."""
    R = inputs.check_count(R, "R")
    smallest = 0.5**R
    return min(1.0, 2 * smallest) if alternative == "two-sided" else smallest


def seeds_needed(alpha: float = 0.05, alternative: str = "two-sided") -> int:
    """Return the fewest paired seeds R for which a sign test can reach p < alpha (6 at 0.05, two-sided)."""
    alpha = inputs.check_level(alpha, "alpha")
    R = 1
    while sign_test_min_p(R, alternative) >= alpha:
        R += 1
    return R


@dataclass(frozen=True)
class SeedTestResult:
    """The outcome of a paired test over seeds.

    Attributes:
        test: "t" (paired t-test) or "sign" (sign test).
        statistic: t, or the number of seeds where h_A beats h_B (sign test).
        p_value: the p-value under `alternative`.
        R: seeds compared (for the sign test, seeds without a tie).
        mean_difference: mean of score_a − score_b over all seeds.
        significant: p_value < alpha.
        alpha, alternative: the level and the alternative.
    """

    test: str
    statistic: float
    p_value: float
    R: int
    mean_difference: float
    significant: bool
    alpha: float
    alternative: str


def paired_seed_test(scores_a, scores_b, test: str = "t", alpha: float = 0.05,
                     alternative: str = "two-sided") -> SeedTestResult:
    """Compare h_A and h_B trained with the same R seeds, score_a[r] paired with score_b[r].

    Parameters:
        scores_a, scores_b: test scores of the two systems, shape (R,), one per seed.
        test: "t" for the paired t-test, "sign" for the sign test.
        alpha: significance level.
        alternative: "two-sided", or "greater" for H1 "h_A is better".

    Returns:
        A `SeedTestResult`.

    Notes:
        With d_r = score_a[r] − score_b[r], the paired t-test uses t = mean(d)/(std(d)/√R)
        with R − 1 degrees of freedom. The sign test drops ties and counts k = #{d_r > 0};
        under H0, k ~ Binomial(R, 1/2), so the two-sided p is min(1, 2·min(P(X ≤ k), P(X ≥ k))).
        With R seeds the sign test cannot go below 2·(1/2)^R, which is 0.0625 for R = 5.

    References:
        W. J. Conover, "Practical Nonparametric Statistics", 3rd ed., Wiley, 1999, section 3.4
        (the sign test). Student, "The probable error of a mean", Biometrika 6(1), 1908.
    """
    a = np.asarray(scores_a, dtype=np.float64)
    b = np.asarray(scores_b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"scores_a and scores_b must be 1-D with one score per seed; got {a.shape} and {b.shape}")
    if test not in TESTS:
        raise ValueError(f"test must be one of {', '.join(TESTS)}; got {test!r}")
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {', '.join(ALTERNATIVES)}; got {alternative!r}")
    alpha = inputs.check_level(alpha, "alpha")
    differences = a - b
    if np.isnan(differences).any():
        raise ValueError(f"scores contain NaN at seed {int(np.flatnonzero(np.isnan(differences))[0])}")

    if test == "t":
        statistic, p_value, R = _t_test(differences, alternative)
    else:
        statistic, p_value, R = _sign_test(differences, alternative)
    mean_difference = float(differences.mean()) if differences.size else 0.0
    return SeedTestResult(test, statistic, p_value, R, mean_difference, bool(p_value < alpha), alpha, alternative)


def _t_test(differences: np.ndarray, alternative: str) -> tuple[float, float, int]:
    R = differences.size
    if R < 2:
        raise ValueError(f"the paired t-test needs at least 2 seeds; got {R}")
    mean = differences.mean()
    std = differences.std(ddof=1)
    if std == 0:
        # Every seed gives the same difference: no spread to test against.
        if mean == 0:
            return 0.0, 1.0, R
        statistic = math.copysign(math.inf, mean)
        p_value = 0.0 if (alternative == "two-sided" or mean > 0) else 1.0
        return statistic, p_value, R
    statistic = float(mean / (std / math.sqrt(R)))
    if alternative == "two-sided":
        p_value = float(2 * student_t.sf(abs(statistic), R - 1))
    else:
        p_value = float(student_t.sf(statistic, R - 1))
    return statistic, p_value, R


def _sign_test(differences: np.ndarray, alternative: str) -> tuple[float, float, int]:
    untied = differences[differences != 0]
    R = untied.size
    if R == 0:
        return 0.0, 1.0, 0
    wins = int((untied > 0).sum())
    if alternative == "greater":
        p_value = float(binom.sf(wins - 1, R, 0.5))
    else:
        tail = min(binom.cdf(wins, R, 0.5), binom.sf(wins - 1, R, 0.5))
        p_value = float(min(1.0, 2 * tail))
    return float(wins), p_value, R
