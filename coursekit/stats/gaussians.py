"""The lecture's generative picture of randomness in test data: a fair coin and two Gaussians.

p*(y) is a fair coin over y ∈ {0 = red, 1 = blue}, and p*(x | y) is a Gaussian N(μ_y, σ²·I)
in the plane. Every test set drawn from p* gives a fixed classifier a different accuracy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from coursekit.stats import inputs


@dataclass(frozen=True)
class TwoGaussians:
    """The data distribution p*(x, y) = p*(y)·p*(x | y).

    Attributes:
        mean_red, mean_blue: μ_0 and μ_1, the centres of the two classes, each (2,).
        sigma: σ, the standard deviation of each coordinate.
    """

    mean_red: tuple[float, float] = (-1.0, 0.0)
    mean_blue: tuple[float, float] = (1.0, 0.0)
    sigma: float = 1.0

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw a test set of n examples: x of shape (n, 2) and y of shape (n,) in {0, 1}."""
        n = inputs.check_count(n, "n")
        y = rng.integers(0, 2, size=n)
        centres = np.where(y[:, None] == 1, self.mean_blue, self.mean_red)
        x = centres + self.sigma * rng.standard_normal((n, 2))
        return x, y

    def linear_accuracy(self, w, threshold: float) -> float:
        """Return the true accuracy under p* of the classifier h(x) = 1[w·x > threshold].

        Notes:
            w·x is N(w·μ_y, σ²‖w‖²) given y, so the accuracy is
            ½·Φ((t − w·μ_0)/(σ‖w‖)) + ½·(1 − Φ((t − w·μ_1)/(σ‖w‖))) with t the threshold.
        """
        w = np.asarray(w, dtype=np.float64)
        scale = self.sigma * float(np.linalg.norm(w))
        if scale == 0:
            raise ValueError("w must not be the zero vector")
        right_red = norm.cdf((threshold - w @ np.asarray(self.mean_red)) / scale)
        right_blue = norm.sf((threshold - w @ np.asarray(self.mean_blue)) / scale)
        return float(0.5 * right_red + 0.5 * right_blue)


def sample_test_accuracies(distribution: TwoGaussians, w, threshold: float, n: int, n_sets: int,
                        seed: int = 0) -> np.ndarray:
    """Draw `n_sets` test sets of size n from p* and return the accuracy of 1[w·x > threshold] on each.

    Returns:
        Float array (n_sets,). Its standard deviation is close to √(acc·(1 − acc)/n), with acc
        the true accuracy, because the number of correct predictions is Binomial(n, acc).
    """
    n_sets = inputs.check_count(n_sets, "n_sets")
    rng = np.random.default_rng(inputs.check_seed(seed))
    w = np.asarray(w, dtype=np.float64)
    accuracies = np.empty(n_sets)
    for index in range(n_sets):
        x, y = distribution.sample(n, rng)
        accuracies[index] = np.mean((x @ w > threshold) == y)
    return accuracies


def binomial_spread(accuracy: float, n: int) -> float:
    """Return √(acc·(1 − acc)/n), the standard deviation of accuracy on n independent test examples."""
    return math.sqrt(accuracy * (1 - accuracy) / n)
