"""Permutation test, McNemar's exact test, tests over seeds and the two-Gaussians data, against references."""

import numpy as np
import pytest
from scipy import stats

from coursekit.stats import (
    TwoGaussians,
    binomial_spread,
    mcnemar_exact,
    mcnemar_test,
    paired_permutation_test,
    paired_seed_test,
    sample_test_accuracies,
    seeds_needed,
    sign_test_min_p,
    summarize_scores,
)


@pytest.mark.parametrize("b, c, expected", [(25, 15, 0.15386), (11, 1, 0.00635)])
def test_mcnemar_exact_published_values(b, c, expected):
    assert mcnemar_exact(b, c).p_value == pytest.approx(expected, abs=5e-6)


@pytest.mark.parametrize("b, c", [(25, 15), (11, 1), (3, 9), (0, 7), (40, 40)])
def test_mcnemar_exact_equals_scipy_binomtest(b, c):
    expected = stats.binomtest(b, b + c, 0.5).pvalue
    assert mcnemar_exact(b, c).p_value == pytest.approx(expected, rel=1e-9)


def test_mcnemar_exact_no_discordant_pairs_p_is_one():
    assert mcnemar_exact(0, 0).p_value == 1.0


def test_mcnemar_test_counts_discordant_examples():
    y = np.array([1, 1, 1, 0, 0, 0])
    result = mcnemar_test(y, [1, 1, 0, 0, 0, 1], [1, 0, 1, 1, 1, 1])
    assert (result.b, result.c) == (3, 1)


def test_mcnemar_exact_negative_count_raises():
    with pytest.raises(ValueError, match="b must be an integer of at least 0; got -1"):
        mcnemar_exact(-1, 3)


def paired_permutation_reference(y, a, b, alternative):
    """scipy's exact paired permutation test of the accuracy difference."""
    right_a = (a == y).astype(float)
    right_b = (b == y).astype(float)
    return stats.permutation_test(
        (right_a, right_b), lambda x, z, axis: x.mean(axis=axis) - z.mean(axis=axis),
        permutation_type="samples", alternative=alternative, n_resamples=np.inf, vectorized=True,
    ).pvalue


@pytest.mark.parametrize("alternative", ["greater", "two-sided"])
def test_permutation_accuracy_matches_scipy_exact(alternative):
    y = np.array([0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1])
    a = y.copy()
    a[[0, 3]] = 1 - a[[0, 3]]
    b = y.copy()
    b[[1, 2, 5, 6, 8, 9]] = 1 - b[[1, 2, 5, 6, 8, 9]]
    expected = paired_permutation_reference(y, a, b, alternative)
    result = paired_permutation_test(y, a, b, R=200_000, seed=0, alternative=alternative)
    assert abs(result.p_value - expected) < 4 * np.sqrt(expected * (1 - expected) / 200_000)


def test_permutation_f1_counts_match_callable_loop():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 150)
    a = np.where(rng.random(150) < 0.8, y, (y + 1) % 3)
    b = np.where(rng.random(150) < 0.7, y, (y + 2) % 3)
    from sklearn.metrics import f1_score

    def macro_f1(truth, pred):
        return f1_score(truth, pred, labels=[0, 1, 2], average="macro", zero_division=0)

    by_counts = paired_permutation_test(y, a, b, "f1", R=20_000, seed=1)
    by_callable = paired_permutation_test(y, a, b, macro_f1, R=1000, seed=2)
    assert by_counts.delta == pytest.approx(by_callable.delta)
    assert stats.ks_2samp(by_counts.deltas, by_callable.deltas).pvalue > 0.001


def test_permutation_identical_systems_p_is_one():
    y = np.array([0, 1, 1, 0])
    assert paired_permutation_test(y, y, y.copy(), R=100).p_value == 1.0


def test_permutation_invalid_alternative_raises():
    with pytest.raises(ValueError, match="got 'less'"):
        paired_permutation_test([0, 1], [0, 1], [1, 1], alternative="less")


SCORES_A = np.array([0.47, 0.52, 0.44, 0.49, 0.51, 0.46, 0.50])
SCORES_B = np.array([0.45, 0.47, 0.45, 0.43, 0.46, 0.44, 0.47])


def test_seed_t_test_equals_scipy_ttest_rel():
    expected = stats.ttest_rel(SCORES_A, SCORES_B)
    result = paired_seed_test(SCORES_A, SCORES_B, test="t")
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)


def test_seed_t_test_greater_equals_scipy_ttest_rel():
    expected = stats.ttest_rel(SCORES_A, SCORES_B, alternative="greater").pvalue
    assert paired_seed_test(SCORES_A, SCORES_B, alternative="greater").p_value == pytest.approx(expected)


def test_seed_sign_test_equals_scipy_binomtest():
    expected = stats.binomtest(6, 7, 0.5).pvalue
    assert paired_seed_test(SCORES_A, SCORES_B, test="sign").p_value == pytest.approx(expected)


def test_seed_sign_test_five_wins_of_five_is_0_0625():
    result = paired_seed_test([2, 2, 2, 2, 2], [1, 1, 1, 1, 1], test="sign")
    assert result.p_value == pytest.approx(0.0625)
    assert not result.significant


def test_sign_test_min_p_five_seeds():
    assert sign_test_min_p(5) == 0.0625


def test_seeds_needed_alpha_0_05_is_six():
    assert seeds_needed(0.05) == 6


def test_seed_t_test_one_seed_raises():
    with pytest.raises(ValueError, match="at least 2 seeds; got 1"):
        paired_seed_test([0.5], [0.4])


def test_summarize_scores_t_interval_matches_scipy():
    summary = summarize_scores(SCORES_A, confidence=0.95)
    low, high = stats.t.interval(0.95, len(SCORES_A) - 1, loc=SCORES_A.mean(), scale=stats.sem(SCORES_A))
    assert summary.ci == pytest.approx((low, high))


def test_summarize_scores_format_percent():
    assert summarize_scores([0.40, 0.50]).format("h_A") == "h_A 45% ± 7%"


def test_two_gaussians_linear_accuracy_matches_samples():
    distribution = TwoGaussians()
    accuracies = sample_test_accuracies(distribution, w=[1.0, 0.0], threshold=0.3, n=2000, n_sets=200, seed=0)
    expected = distribution.linear_accuracy([1.0, 0.0], 0.3)
    assert accuracies.mean() == pytest.approx(expected, abs=3 * binomial_spread(expected, 2000 * 200))


def test_two_gaussians_accuracy_spread_shrinks_like_binomial():
    distribution = TwoGaussians()
    expected = distribution.linear_accuracy([1.0, 0.0], 0.0)
    accuracies = sample_test_accuracies(distribution, [1.0, 0.0], 0.0, n=100, n_sets=2000, seed=1)
    assert accuracies.std(ddof=1) == pytest.approx(binomial_spread(expected, 100), rel=0.1)
