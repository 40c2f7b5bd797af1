# Example student "complete": every exercise right, written differently from the source solution.
# Expected: 6 of 6 points.

# %% [delta]
def delta(y_true, pred_a, pred_b):
    y_true = np.asarray(y_true)
    return float((np.asarray(pred_a) == y_true).mean()) - float((np.asarray(pred_b) == y_true).mean())

# %% [paired_bootstrap]
def paired_bootstrap(y_true, pred_a, pred_b, B=1000, seed=0):
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    d = delta(y_true, pred_a, pred_b)
    if d <= 0:
        return 1.0
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, len(y_true), size=(B, len(y_true)))
    right_a = (pred_a == y_true)[indices].mean(axis=1)
    right_b = (pred_b == y_true)[indices].mean(axis=1)
    return float(np.mean(right_a - right_b > 2 * d))

# %% [mcnemar]
from scipy.stats import binomtest


def mcnemar_p(y_true, pred_a, pred_b):
    right_a = np.asarray(pred_a) == np.asarray(y_true)
    right_b = np.asarray(pred_b) == np.asarray(y_true)
    b, c = int((right_a & ~right_b).sum()), int((~right_a & right_b).sum())
    return 1.0 if b + c == 0 else float(binomtest(b, b + c, 0.5).pvalue)
