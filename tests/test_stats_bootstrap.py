"""Paired bootstrap test: the lecture's algorithm, its traps, the count method and input checks."""

import numpy as np
import pytest
from scipy.stats import ks_2samp
from sklearn.metrics import f1_score, precision_score, recall_score

from coursekit.stats import paired_bootstrap_test, score
from coursekit.stats.metrics import build_table, system_scores


def make_predictions(n=400, n_labels=3, error_a=0.10, error_b=0.16, seed=0):
    """Return labels and two classifiers' predictions that are wrong at the given rates."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_labels, n)
    wrong = (y + rng.integers(1, n_labels, n)) % n_labels
    pred_a = np.where(rng.random(n) < error_a, wrong, y)
    pred_b = np.where(rng.random(n) < error_b, wrong, y)
    return y, pred_a, pred_b


def literal_bootstrap(y, pred_a, pred_b, metric, B, seed):
    """The lecture's loop, one resample of example indices at a time."""
    rng = np.random.default_rng(seed)
    delta = metric(y, pred_a) - metric(y, pred_b)
    v = 0
    for _ in range(B):
        index = rng.integers(0, len(y), len(y))
        if metric(y[index], pred_a[index]) - metric(y[index], pred_b[index]) > 2 * delta:
            v += 1
    return v / B


def accuracy(y, pred):
    return float(np.mean(y == pred))


def test_bootstrap_accuracy_delta_is_difference_of_accuracies():
    y, a, b = make_predictions()
    result = paired_bootstrap_test(y, a, b, B=100)
    assert result.delta == pytest.approx(accuracy(y, a) - accuracy(y, b))


def test_bootstrap_p_matches_literal_loop_within_monte_carlo_error():
    y, a, b = make_predictions(n=300, error_a=0.12, error_b=0.16)
    expected = literal_bootstrap(y, a, b, accuracy, B=2000, seed=1)
    result = paired_bootstrap_test(y, a, b, B=20_000, seed=2)
    tolerance = 4 * np.sqrt(expected * (1 - expected) / 2000)
    assert abs(result.p_value - expected) < tolerance


def test_bootstrap_v_counts_strictly_greater_than_twice_delta():
    y, a, b = make_predictions()
    result = paired_bootstrap_test(y, a, b, B=3000, seed=5)
    assert result.v == int(np.sum(result.deltas > 2 * result.delta + 1e-12))
    assert result.p_value == result.v / result.B


def test_bootstrap_identical_systems_not_significant():
    y, a, _ = make_predictions()
    result = paired_bootstrap_test(y, a, a.copy(), B=500)
    assert np.all(result.deltas == 0)
    assert result.v == 0
    assert result.p_value == 1.0
    assert not result.significant


def test_bootstrap_negative_delta_never_significant():
    y, a, b = make_predictions(error_a=0.3, error_b=0.05)
    result = paired_bootstrap_test(y, a, b, B=500)
    assert result.delta < 0
    assert not result.significant
    assert result.p_value == 1.0
    assert "not better" in result.conclusion


def test_bootstrap_large_advantage_significant():
    y, a, b = make_predictions(n=2000, error_a=0.05, error_b=0.20)
    result = paired_bootstrap_test(y, a, b, B=2000)
    assert result.p_value < 0.01
    assert result.significant


def test_bootstrap_correction_is_v_plus_one_over_b_plus_one():
    y, a, b = make_predictions(n=2000, error_a=0.05, error_b=0.20)
    result = paired_bootstrap_test(y, a, b, B=999, correction=True)
    assert result.p_value == (result.v + 1) / 1000
    assert result.p_value > 0


def test_bootstrap_same_seed_same_result():
    y, a, b = make_predictions()
    first = paired_bootstrap_test(y, a, b, B=300, seed=0)
    second = paired_bootstrap_test(y, a, b, B=300, seed=0)
    assert np.array_equal(first.deltas, second.deltas)
    assert first.seed == 0


def test_bootstrap_seed_none_reports_reproducible_seed():
    y, a, b = make_predictions()
    first = paired_bootstrap_test(y, a, b, B=300, seed=None)
    again = paired_bootstrap_test(y, a, b, B=300, seed=first.seed)
    assert np.array_equal(first.deltas, again.deltas)


def test_bootstrap_percentile_interval_contains_delta():
    y, a, b = make_predictions()
    result = paired_bootstrap_test(y, a, b, B=2000, confidence=0.9)
    low, high = result.ci
    assert low <= result.delta <= high
    assert low == pytest.approx(np.quantile(result.deltas, 0.05))


def test_bootstrap_confidence_none_gives_no_interval():
    y, a, b = make_predictions()
    assert paired_bootstrap_test(y, a, b, B=10, confidence=None).ci is None


@pytest.mark.parametrize("metric", ["accuracy", "precision", "recall", "f1"])
def test_bootstrap_counts_and_indices_same_distribution(metric):
    y, a, b = make_predictions(n=500, n_labels=4)
    counts = paired_bootstrap_test(y, a, b, metric, B=4000, seed=11, method="counts")
    indices = paired_bootstrap_test(y, a, b, metric, B=4000, seed=12, method="indices")
    assert ks_2samp(counts.deltas, indices.deltas).pvalue > 0.001
    p = max(counts.p_value, 1 / 4000)
    assert abs(counts.p_value - indices.p_value) < 5 * np.sqrt(2 * p * (1 - p) / 4000) + 1e-3


def test_bootstrap_named_f1_indices_equals_sklearn_callable():
    y, a, b = make_predictions(n=120, n_labels=3)
    labels = [0, 1, 2]

    def macro_f1(truth, pred):
        return f1_score(truth, pred, labels=labels, average="macro", zero_division=0)

    named = paired_bootstrap_test(y, a, b, "f1", B=60, seed=3, method="indices")
    by_callable = paired_bootstrap_test(y, a, b, macro_f1, B=60, seed=3)
    np.testing.assert_allclose(named.deltas, by_callable.deltas, atol=1e-12)


@pytest.mark.parametrize("name, sklearn_metric", [
    ("precision", precision_score), ("recall", recall_score), ("f1", f1_score),
])
def test_score_macro_metric_matches_sklearn(name, sklearn_metric):
    y, a, _ = make_predictions(n=200, n_labels=5, error_a=0.4)
    expected = sklearn_metric(y, a, labels=np.unique(np.r_[y, a]), average="macro", zero_division=0)
    assert score(name, y, a) == pytest.approx(expected)


def test_score_f1_resample_missing_label_counts_as_zero():
    table = build_table("f1", np.array([0, 1, 2]), np.array([0, 1, 2]), np.array([0, 1, 1]), np.array([0, 1, 2]))
    only_label_zero = np.array([[3, 0, 0]])
    score_a, _ = system_scores(only_label_zero, table)
    assert score_a[0] == pytest.approx(1 / 3)


def test_bootstrap_string_labels_match_integer_labels():
    y, a, b = make_predictions()
    names = np.array(["cat", "dog", "emu"])
    as_text = paired_bootstrap_test(names[y], names[a], names[b], "f1", B=500)
    as_int = paired_bootstrap_test(y, a, b, "f1", B=500)
    assert as_text.p_value == as_int.p_value
    assert as_text.delta == pytest.approx(as_int.delta)


def test_bootstrap_callable_vectorized_matches_loop():
    y, a, b = make_predictions()
    looped = paired_bootstrap_test(y, a, b, accuracy, B=200, seed=4)
    vectorized = paired_bootstrap_test(
        y, a, b, lambda truth, pred: (truth == pred).mean(axis=-1), B=200, seed=4, vectorized=True
    )
    np.testing.assert_allclose(looped.deltas, vectorized.deltas)


def test_bootstrap_callable_large_n_uses_bounded_chunks():
    y, a, b = make_predictions(n=5_000_000, n_labels=2)
    result = paired_bootstrap_test(y, a, b, accuracy, B=2, seed=0)
    assert result.deltas.shape == (2,)


def test_bootstrap_one_example_works():
    result = paired_bootstrap_test([1], [1], [0], B=50)
    assert result.delta == 1.0
    assert result.v == 0


@pytest.mark.parametrize("kwargs, message", [
    (dict(y_true=[0, 1], pred_a=[0], pred_b=[0, 1]), "lengths 2, 1 and 2"),
    (dict(y_true=[], pred_a=[], pred_b=[]), "n = 1"),
    (dict(B=0), "B must be an integer of at least 1; got 0"),
    (dict(B=2.5), "got 2.5"),
    (dict(seed=-1), "seed must be a non-negative integer"),
    (dict(alpha=1.5), "alpha must lie strictly between 0 and 1; got 1.5"),
    (dict(metric="auc"), "got 'auc'"),
    (dict(method="fast"), "got 'fast'"),
    (dict(pred_a=[0.0, np.nan, 1.0]), r"pred_a\[1\] is NaN"),
    (dict(pred_b=["0", "1", "1"]), "hold strings but"),
    (dict(labels=[0, 1]), r"pred_b\[2\] = 2 is not in labels"),
    (dict(y_true=[[0, 1, 1]]), "must be 1-D"),
])
def test_bootstrap_invalid_input_raises_naming_value(kwargs, message):
    arguments = dict(y_true=[0, 1, 1], pred_a=[0, 1, 0], pred_b=[0, 1, 2])
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        paired_bootstrap_test(**arguments)
