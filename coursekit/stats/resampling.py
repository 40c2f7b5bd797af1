"""The two ways to draw bootstrap resamples S^(b) of D_test, shared by the bootstrap and its tests.

Both give the same sampling distribution. Resampling n examples with replacement puts
N_j examples into joint category j, and (N_1, …, N_m) is multinomial with n trials and
probabilities n_j / n. `category_counts` draws those counts directly, at a cost of O(B·m)
that does not grow with n. `index_chunks` draws the example indices themselves, which an
arbitrary callable metric needs.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

# Index resampling draws at most this many indices at once (int32 or int64, so 16 or 32 MiB),
# which bounds the memory of a callable metric at any B and n.
CHUNK_ELEMENTS = 2**22


def category_counts(rng: np.random.Generator, counts: np.ndarray, B: int) -> Iterator[np.ndarray]:
    """Yield int64 arrays (rows, m) of category counts of B resamples, in chunks, summing to B rows."""
    n = int(counts.sum())
    probabilities = counts / n
    rows_per_chunk = max(1, CHUNK_ELEMENTS // counts.size)
    for start in range(0, B, rows_per_chunk):
        yield rng.multinomial(n, probabilities, size=min(rows_per_chunk, B - start))


def index_chunks(rng: np.random.Generator, n: int, B: int) -> Iterator[np.ndarray]:
    """Yield int arrays (rows, n) of example indices drawn uniformly with replacement, B rows in all."""
    dtype = np.int32 if n < 2**31 else np.int64
    rows_per_chunk = max(1, CHUNK_ELEMENTS // n)
    for start in range(0, B, rows_per_chunk):
        yield rng.integers(0, n, size=(min(rows_per_chunk, B - start), n), dtype=dtype)


def counts_of_indices(codes: np.ndarray, indices: np.ndarray, m: int) -> np.ndarray:
    """Return the category counts (rows, m) of resamples given as example indices (rows, n)."""
    rows = indices.shape[0]
    offsets = (np.arange(rows, dtype=np.int64) * m)[:, None]
    return np.bincount((codes[indices] + offsets).ravel(), minlength=rows * m).reshape(rows, m)
