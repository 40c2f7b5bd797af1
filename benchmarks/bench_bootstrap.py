"""Benchmark coursekit's paired bootstrap against a plain Python loop and scipy.stats.bootstrap.

usage: python benchmarks/bench_bootstrap.py [--quick]

Each row times one way of computing the B values δ(S^(b)) on the same synthetic data:
binary labels and two classifiers with 90% and 89% accuracy. Time is wall-clock seconds of
a run without memory tracing; peak memory is tracemalloc's peak in a second, traced run (it
counts NumPy buffers, not the interpreter itself). Baselines that would take minutes run at
a smaller B, and their time is scaled linearly to the full B; the output marks those rows.
The targets of the course kit are 0.1 s, 2 s and 2 s with at most 500 MB for the three cases.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
from scipy import stats

from coursekit.stats import paired_bootstrap_test

# Largest B·n a baseline runs at before it is scaled down and extrapolated.
BASELINE_WORK = 2 * 10**8


def make_data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    pred_a = np.where(rng.random(n) < 0.90, y, 1 - y)
    pred_b = np.where(rng.random(n) < 0.89, y, 1 - y)
    return y, pred_a, pred_b


def accuracy(y, pred):
    return float(np.mean(y == pred))


def accuracy_vectorized(y, pred, axis=-1):
    return np.mean(y == pred, axis=axis)


def plain_loop(y, pred_a, pred_b, metric, B, seed=0):
    """Compute δ(S^(b)) with one resample of example indices per iteration, as simple implementations do."""
    rng = np.random.default_rng(seed)
    n = len(y)
    deltas = np.empty(B)
    for b in range(B):
        index = rng.integers(0, n, n)
        deltas[b] = metric(y[index], pred_a[index]) - metric(y[index], pred_b[index])
    return deltas


def scipy_paired(y, pred_a, pred_b, metric, B, seed=0, vectorized=True):
    """scipy.stats.bootstrap with paired=True; the statistic is δ on one resample."""
    n = len(y)
    if vectorized:
        def statistic(truth, first, second, axis=-1):
            return accuracy_vectorized(truth, first, axis) - accuracy_vectorized(truth, second, axis)
    else:
        def statistic(truth, first, second):
            return metric(truth, first) - metric(truth, second)
    batch = max(1, 2**22 // n)
    result = stats.bootstrap(
        (y, pred_a, pred_b), statistic, paired=True, vectorized=vectorized, n_resamples=B, batch=batch,
        method="percentile", rng=np.random.default_rng(seed),
    )
    return result.bootstrap_distribution


def measure(run):
    """Return (seconds, peak MiB) of `run()`: one timed run, then one traced run for memory."""
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="divide every B by 10 (for a smoke test)")
    args = parser.parse_args()
    scale = 10 if args.quick else 1

    cases = [
        ("accuracy", 10**4 // scale, 10**4, 0.1),
        ("accuracy", 10**5 // scale, 10**6, 2.0),
        ("callable", 10**4 // scale, 10**4, 2.0),
    ]
    print(f"{'case':24s} {'implementation':22s} {'B run':>8s} {'time (s)':>10s} {'peak MiB':>9s}  note")
    for metric_name, B, n, target in cases:
        y, pred_a, pred_b = make_data(n)
        label = f"{metric_name} B={B:.0e} n={n:.0e}"
        metric = "accuracy" if metric_name == "accuracy" else accuracy

        seconds, peak = measure(lambda: paired_bootstrap_test(y, pred_a, pred_b, metric, B=B, seed=0))
        verdict = "meets" if seconds <= target and peak <= 500 else "MISSES"
        print(f"{label:24s} {'coursekit':22s} {B:8d} {seconds:10.3f} {peak:9.1f}  {verdict} target {target:g} s")

        B_run = min(B, max(20, BASELINE_WORK // (n * 10)))
        for name, run in (
            ("plain Python loop", lambda: plain_loop(y, pred_a, pred_b, accuracy, B_run)),
            ("scipy paired", lambda: scipy_paired(y, pred_a, pred_b, accuracy, B_run,
                                                 vectorized=metric_name == "accuracy")),
        ):
            seconds, peak = measure(run)
            note = "" if B_run == B else f"ran B={B_run}, time scaled ×{B / B_run:g} to B={B}"
            print(f"{label:24s} {name:22s} {B_run:8d} {seconds * B / B_run:10.3f} {peak:9.1f}  {note}")


if __name__ == "__main__":
    main()
