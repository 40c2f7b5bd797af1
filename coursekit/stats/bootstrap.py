"""The paired bootstrap test: is h_A's advantage over h_B on D_test surprising?"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from coursekit.stats import inputs, resampling
from coursekit.stats.metrics import build_table, metric_name, system_scores

log = logging.getLogger(__name__)

METHODS = ("auto", "counts", "indices")
# δ(S^(b)) counts as above 2·δ(D_test) only when it exceeds it by more than this, so a tie that
# floating point rounds up by one ulp (common for F1) is not counted as a success.
TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class BootstrapResult:
    """The outcome of a paired bootstrap test of h_A against h_B.

    Attributes:
        metric: name of the metric (or of the callable) behind δ.
        score_a, score_b: the metric of h_A and of h_B on D_test.
        delta: δ(D_test) = score_a − score_b.
        deltas: float array (B,), the bootstrap distribution δ(S^(1)), …, δ(S^(B)).
        v: #{b : δ(S^(b)) > 2·δ(D_test)}.
        p_value: v/B, or (v + 1)/(B + 1) with `correction`; 1.0 when δ(D_test) ≤ 0.
        significant: True when δ(D_test) > 0 and p_value < alpha, i.e. H0 is rejected.
        alpha: the significance level (the lecture rejects H0 when p < 0.01).
        B, n, seed: resamples, test-set size and the seed that reproduces `deltas`.
        correction: whether p is (v + 1)/(B + 1).
        confidence, ci: the level and the percentile interval (low, high) of δ, or None.
        method: "counts" (multinomial category counts) or "indices" (resampled examples).
    """

    metric: str
    score_a: float
    score_b: float
    delta: float
    deltas: np.ndarray = field(repr=False)
    v: int
    p_value: float
    significant: bool
    alpha: float
    B: int
    n: int
    seed: int
    correction: bool
    confidence: float | None
    ci: tuple[float, float] | None
    method: str

    @property
    def conclusion(self) -> str:
        """One sentence that states the decision and why."""
        if self.delta <= 0:
            return (
                f"not significant: h_A is not better than h_B on D_test (δ = {self.delta:+.4g}), so this "
                "one-sided test gives no evidence that h_A is better"
            )
        p_text = f"{self.p_value:.4g}" if self.v or self.correction else f"0 (< 1/B = {1 / self.B:.2g})"
        if self.significant:
            return f"significant: p = {p_text} < {self.alpha:g}, reject H0 (equal performance)"
        return f"not significant: p = {self.p_value:.4g} ≥ {self.alpha:g}, H0 (equal performance) stands"

    def to_dict(self, include_deltas: bool = False) -> dict:
        """Return the result as JSON-ready Python values; `deltas` only when asked (it has B entries)."""
        out = {
            "metric": self.metric, "score_a": self.score_a, "score_b": self.score_b, "delta": self.delta,
            "v": self.v, "p_value": self.p_value, "significant": self.significant, "alpha": self.alpha,
            "B": self.B, "n": self.n, "seed": self.seed, "correction": self.correction,
            "confidence": self.confidence, "ci": list(self.ci) if self.ci else None, "method": self.method,
            "conclusion": self.conclusion,
        }
        if include_deltas:
            out["deltas"] = self.deltas.tolist()
        return out

    def summary(self) -> str:
        """Return a short multi-line report for people."""
        lines = [
            f"metric        {self.metric}",
            f"n, B, seed    {self.n}, {self.B}, {self.seed}",
            f"h_A, h_B      {self.score_a:.4f}, {self.score_b:.4f}",
            f"δ(D_test)     {self.delta:+.4f}",
        ]
        if self.ci is not None:
            lines.append(f"{self.confidence:.0%} CI of δ  [{self.ci[0]:+.4f}, {self.ci[1]:+.4f}] (percentile)")
        formula = "(v + 1)/(B + 1)" if self.correction else "v/B"
        lines.append(f"v, p          {self.v}, {self.p_value:.4g} ({formula})")
        lines.append(f"decision      {self.conclusion}")
        return "\n".join(lines)


def paired_bootstrap_test(
    y_true,
    pred_a,
    pred_b,
    metric: str | Callable = "accuracy",
    *,
    B: int = 10_000,
    seed: int | None = 0,
    alpha: float = 0.01,
    correction: bool = False,
    confidence: float | None = 0.95,
    labels=None,
    method: str = "auto",
    vectorized: bool = False,
) -> BootstrapResult:
    """Test whether h_A is better than h_B on D_test with the paired bootstrap.

    Parameters:
        y_true: labels of D_test, shape (n,); integers or strings.
        pred_a, pred_b: predictions of h_A and h_B for the same n examples, shape (n,).
        metric: "accuracy", "precision", "recall" or "f1" (the last three macro-averaged over
            the label set), or a callable `metric(y_true, pred) -> float` where higher is better.
        B: number of bootstrap samples S^(b), at least 1.
        seed: seed of NumPy's PCG64 generator; 0 is a seed like any other. None draws a fresh
            seed, which the result reports so the run can be repeated.
        alpha: reject H0 when p < alpha.
        correction: report p = (v + 1)/(B + 1) instead of v/B.
        confidence: level of the percentile interval of δ, or None for no interval.
        labels: the label set of macro metrics; every label in the inputs must belong to it.
            By default it is the union of the labels in y_true, pred_a and pred_b.
        method: "counts" resamples the joint category counts (named metrics only), "indices"
            resamples examples; "auto" takes counts for named metrics, indices for callables.
        vectorized: the callable accepts arrays (rows, n) and returns scores (rows,).

    Returns:
        A `BootstrapResult` with p, δ(D_test), the B values δ(S^(b)), v, the decision and the
        interval.

    Notes:
        With δ(D') = metric(h_A on D') − metric(h_B on D'), draw S^(1), …, S^(B), each n
        examples with replacement from D_test and the same examples for both systems, and
        count v = #{b : δ(S^(b)) > 2·δ(D_test)}; then p = v/B. Because E[δ(S^(b))] ≈ δ(D_test),
        v measures how often chance alone adds another δ(D_test) to A's advantage.

        The test is one-sided: when δ(D_test) ≤ 0 it cannot show that h_A is better, so p is
        reported as 1 and the result is never significant. Identical systems fall under this
        rule (every δ(S^(b)) is 0 and a literal v/B would be 0).

        p cannot resolve values below 1/B, and v/B = 0 means only "p < 1/B".
        (v + 1)/(B + 1) counts D_test itself as one of the samples and never returns 0.

        Named metrics resample the counts of the joint categories (y, ŷ_A, ŷ_B) from a
        multinomial, which has the same distribution as resampling examples and costs O(B·m)
        for m observed categories at any n. Callables resample indices in chunks of at most
        2**22 indices, so memory stays bounded.

    References:
        B. Efron and R. Tibshirani, "An Introduction to the Bootstrap", Chapman & Hall, 1993,
        section 16.4 (bootstrap hypothesis tests).
        T. Berg-Kirkpatrick, D. Burkett and D. Klein, "An Empirical Investigation of
        Statistical Significance in NLP", EMNLP 2012, section 2 (the paired bootstrap with
        the 2·δ threshold).

    Examples:
        >>> import numpy as np
        >>> y = np.array([0, 1, 1, 0, 1, 0, 1, 1] * 50)
        >>> a = y.copy(); a[:10] = 1 - a[:10]
        >>> b = y.copy(); b[:40] = 1 - b[:40]
        >>> result = paired_bootstrap_test(y, a, b, B=1000, seed=0)
        >>> round(result.delta, 3), result.significant
        (0.075, True)
    """
    y_true, pred_a, pred_b = inputs.check_paired(y_true, pred_a, pred_b)
    B = inputs.check_count(B, "B")
    seed = inputs.check_seed(seed)
    alpha = inputs.check_level(alpha, "alpha")
    confidence = inputs.check_level(confidence, "confidence", allow_none=True)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    named = not callable(metric)
    if not named and method == "counts":
        raise ValueError("method='counts' needs a named metric; a callable metric resamples indices")
    name = metric_name(metric) if named else getattr(metric, "__name__", "callable")
    n = len(y_true)
    rng = np.random.default_rng(seed)

    # δ on D_test and on every S^(b), from category counts or from resampled examples.
    if named:
        known = None if name == "accuracy" else inputs.label_set((y_true, pred_a, pred_b), labels)
        if labels is not None and name == "accuracy":
            inputs.label_set((y_true, pred_a, pred_b), labels)
        table = build_table(name, y_true, pred_a, pred_b, known)
        score_a, score_b = (float(s[0]) for s in system_scores(table.counts[None, :], table))
        method = "indices" if method == "indices" else "counts"
        deltas = _named_deltas(rng, table, B, method)
    else:
        if labels is not None:
            inputs.label_set((y_true, pred_a, pred_b), labels)
        score_a, score_b = _callable_scores(metric, y_true, pred_a, pred_b, None, vectorized)
        method = "indices"
        deltas = _callable_deltas(rng, metric, y_true, pred_a, pred_b, B, vectorized)
    delta = score_a - score_b

    # v = #{b : δ(S^(b)) > 2·δ(D_test)} and the decision.
    v = int(np.count_nonzero(deltas > 2 * delta + TIE_TOLERANCE))
    if delta <= 0:
        p_value = 1.0
    else:
        p_value = (v + 1) / (B + 1) if correction else v / B
    significant = bool(delta > 0 and p_value < alpha)

    ci = None
    if confidence is not None:
        low, high = np.quantile(deltas, [(1 - confidence) / 2, (1 + confidence) / 2])
        ci = (float(low), float(high))

    log.debug("paired bootstrap: metric=%s n=%d B=%d seed=%d method=%s v=%d", name, n, B, seed, method, v)
    return BootstrapResult(
        metric=name, score_a=score_a, score_b=score_b, delta=delta, deltas=deltas, v=v, p_value=p_value,
        significant=significant, alpha=alpha, B=B, n=n, seed=seed, correction=correction,
        confidence=confidence, ci=ci, method=method,
    )


def _named_deltas(rng: np.random.Generator, table, B: int, method: str) -> np.ndarray:
    """Return δ(S^(b)) for b = 1..B, shape (B,), for a named metric."""
    parts = []
    if method == "counts":
        for counts in resampling.category_counts(rng, table.counts, B):
            score_a, score_b = system_scores(counts, table)
            parts.append(score_a - score_b)
    else:
        for indices in resampling.index_chunks(rng, len(table.codes), B):
            counts = resampling.counts_of_indices(table.codes, indices, table.counts.size)
            score_a, score_b = system_scores(counts, table)
            parts.append(score_a - score_b)
    return np.concatenate(parts)


def _callable_scores(metric, y_true, pred_a, pred_b, indices, vectorized: bool) -> tuple:
    """Return the callable's scores of h_A and h_B on D_test (indices None) or on resamples (rows, n)."""
    if indices is None:
        return float(metric(y_true, pred_a)), float(metric(y_true, pred_b))
    if vectorized:
        score_a = np.asarray(metric(y_true[indices], pred_a[indices]), dtype=np.float64)
        score_b = np.asarray(metric(y_true[indices], pred_b[indices]), dtype=np.float64)
        if score_a.shape != (indices.shape[0],) or score_b.shape != (indices.shape[0],):
            raise ValueError(
                f"a vectorized metric must return one score per row, shape ({indices.shape[0]},); "
                f"got {score_a.shape}"
            )
        return score_a, score_b
    rows = indices.shape[0]
    score_a, score_b = np.empty(rows), np.empty(rows)
    for row, sample in enumerate(indices):
        truth = y_true[sample]
        score_a[row] = metric(truth, pred_a[sample])
        score_b[row] = metric(truth, pred_b[sample])
    return score_a, score_b


def _callable_deltas(rng, metric, y_true, pred_a, pred_b, B: int, vectorized: bool) -> np.ndarray:
    """Return δ(S^(b)) for b = 1..B, shape (B,), for a callable metric on resampled examples."""
    parts = []
    for indices in resampling.index_chunks(rng, len(y_true), B):
        score_a, score_b = _callable_scores(metric, y_true, pred_a, pred_b, indices, vectorized)
        parts.append(score_a - score_b)
    return np.concatenate(parts)
