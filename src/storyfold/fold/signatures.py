"""Word shingles and MinHash signatures: the fingerprints near-duplicate detection compares.

Hashing uses blake2b rather than Python's `hash`, whose per-process salt would make
signatures (and so stored decisions) differ from run to run.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
_PRIME = np.uint64((1 << 61) - 1)
_MAX = np.uint64((1 << 32) - 1)


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded word tokens (so 'décennie' and 'decennie' match)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def shingles(tokens: list[str], k: int = 3) -> set[int]:
    """Hashes of the k-word windows of a token list (the whole list if shorter than k)."""
    if not tokens:
        return set()
    if len(tokens) < k:
        return {_h(" ".join(tokens))}
    return {_h(" ".join(tokens[i : i + k])) for i in range(len(tokens) - k + 1)}


def _h(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")


class MinHasher:
    """MinHash with `num_perm` universal hash functions, vectorised with numpy."""

    def __init__(self, num_perm: int = 64, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.a = rng.integers(1, int(_PRIME), size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, int(_PRIME), size=num_perm, dtype=np.uint64)

    def signature(self, hashes: set[int]) -> np.ndarray:
        if not hashes:
            return np.full(self.num_perm, _MAX, dtype=np.uint64)
        x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
        # (a*x + b) mod p, restricted to 32 bits; x < 2^32 and a < 2^61 may overflow uint64,
        # which wraps deterministically and is fine for hashing purposes.
        with np.errstate(over="ignore"):
            hv = (np.outer(x, self.a) + self.b) % _PRIME
        return (hv & _MAX).min(axis=0)


def jaccard_estimate(s1: np.ndarray, s2: np.ndarray) -> float:
    return float(np.mean(s1 == s2))


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger: a partial copy is contained, not similar."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
