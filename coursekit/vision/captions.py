"""Image captioning scored by BLEU: clipped n-gram precision with a brevity penalty."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


def tokenize(sentence: str | Sequence[str]) -> list[str]:
    """Split a caption into lower-case words, dropping a final full stop; a list of tokens passes unchanged."""
    if isinstance(sentence, str):
        return sentence.lower().replace(".", " ").split()
    if not all(isinstance(token, str) for token in sentence):
        raise TypeError("a caption must be a string or a list of string tokens")
    return list(sentence)


def ngrams(tokens: Sequence[str], n: int) -> Counter:
    """Count the n-grams (tuples of n consecutive tokens) of a token list."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def clipped_precision(candidate: Sequence[str], references: Sequence[Sequence[str]], n: int) -> tuple[int, int]:
    """Return (clipped matches, candidate n-grams) for one n.

    Each candidate n-gram counts at most as often as it appears in any single reference, so
    "the the the the" earns no credit for repeating a word the reference has once.
    """
    counts = ngrams(candidate, n)
    max_reference_counts: Counter = Counter()
    for reference in references:
        max_reference_counts |= ngrams(reference, n)  # | keeps the maximum count of each n-gram
    matches = sum(min(count, max_reference_counts[gram]) for gram, count in counts.items())
    return matches, sum(counts.values())


def bleu(candidate: str | Sequence[str], references: Sequence[str | Sequence[str]], n: int = 4) -> float:
    """Return the sentence-level BLEU-n of a caption against one or more reference captions.

    Args:
        candidate: the generated caption, a string (lower-cased and split on spaces) or tokens.
        references: the ground-truth captions, at least one.
        n: the maximum n-gram length, usually 1..4 (BLEU-4 is the usual report).

    Returns:
        BLEU in [0, 1]. It is 0.0 when some p_k is 0 (no smoothing) or the candidate is empty.

    Notes:
        BLEU-n = BP · exp((1/n) Σ_{k=1..n} log p_k), with p_k the clipped k-gram precision and the
        brevity penalty BP = 1 if c > r else exp(1 − r/c), where c is the candidate's length and
        r the length of the reference closest to c (the shorter one on a tie).
        Papineni et al., "BLEU: a method for automatic evaluation of machine translation", ACL 2002.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer; got {n!r}")
    if isinstance(references, str) or len(references) == 0:
        raise ValueError("references must be a non-empty list of captions, for example ['a cat on a mat']")
    candidate = tokenize(candidate)
    references = [tokenize(reference) for reference in references]
    if not candidate:
        return 0.0

    log_precision = 0.0
    for k in range(1, n + 1):
        matches, total = clipped_precision(candidate, references, k)
        if matches == 0:
            return 0.0
        log_precision += math.log(matches / total) / n

    c = len(candidate)
    r = min((abs(len(reference) - c), len(reference)) for reference in references)[1]
    brevity_penalty = 1.0 if c > r else math.exp(1 - r / c)
    return brevity_penalty * math.exp(log_precision)
