# Example student "partial": δ and McNemar right, but the bootstrap follows the four steps literally
# and ignores that δ(D_test) ≤ 0 gives no evidence, so identical systems come out with p = 0.
# Expected: delta 1 of 1, paired_bootstrap 0 of 3, mcnemar 2 of 2.

# %% [delta]
def delta(y_true, pred_a, pred_b):
    y_true = np.asarray(y_true)
    return float(np.mean(np.asarray(pred_a) == y_true) - np.mean(np.asarray(pred_b) == y_true))

# %% [paired_bootstrap]
def paired_bootstrap(y_true, pred_a, pred_b, B=1000, seed=0):
    y_true, pred_a, pred_b = np.asarray(y_true), np.asarray(pred_a), np.asarray(pred_b)
    observed = delta(y_true, pred_a, pred_b)
    rng = np.random.default_rng(seed)
    v = 0
    for _ in range(B):
        sample = rng.integers(0, len(y_true), len(y_true))
        if delta(y_true[sample], pred_a[sample], pred_b[sample]) > 2 * observed:
            v += 1
    return v / B

# %% [mcnemar]
from scipy.stats import binom


def mcnemar_p(y_true, pred_a, pred_b):
    right_a = np.asarray(pred_a) == np.asarray(y_true)
    right_b = np.asarray(pred_b) == np.asarray(y_true)
    b, c = int(np.sum(right_a & ~right_b)), int(np.sum(~right_a & right_b))
    if b + c == 0:
        return 1.0
    return float(min(1.0, 2 * binom.cdf(min(b, c), b + c, 0.5)))
