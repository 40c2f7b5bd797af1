"""Significance testing for comparing two classifiers h_A and h_B on one test set D_test.

The paired bootstrap test of the lecture (`paired_bootstrap_test`), with the permutation test,
McNemar's exact test and tests over training seeds beside it.
"""

from coursekit.stats.bootstrap import BootstrapResult, paired_bootstrap_test
from coursekit.stats.gaussians import TwoGaussians, binomial_spread, sample_test_accuracies
from coursekit.stats.mcnemar import McNemarResult, mcnemar_exact, mcnemar_test
from coursekit.stats.metrics import METRICS, score
from coursekit.stats.permutation import PermutationResult, paired_permutation_test
from coursekit.stats.seeds import (
    ScoreSummary,
    SeedTestResult,
    paired_seed_test,
    seeds_needed,
    sign_test_min_p,
    summarize_scores,
)

__all__ = [
    "METRICS",
    "BootstrapResult",
    "McNemarResult",
    "PermutationResult",
    "ScoreSummary",
    "SeedTestResult",
    "TwoGaussians",
    "binomial_spread",
    "mcnemar_exact",
    "mcnemar_test",
    "paired_bootstrap_test",
    "paired_permutation_test",
    "paired_seed_test",
    "score",
    "seeds_needed",
    "sign_test_min_p",
    "summarize_scores",
    "sample_test_accuracies",
]
