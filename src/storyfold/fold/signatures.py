"""Word shingles and MinHash signatures: the fingerprints near-duplicate detection compares.

MinHash is implemented here with numpy (one vectorised universal-hash pass per document)
rather than taken from datasketch: the same algorithm at the same or better speed (both are
bound by tokenising and shingling; bench/fold_bench.py measures them side by side), and it
leaves numpy as the only run-time dependency.
Shingles are hashed with CRC-32 rather than Python's `hash`, whose per-process salt would make
signatures (and so decisions) differ from run to run; CRC-32 is ~7x cheaper than blake2b and
the universal hashing on top spreads it well enough for MinHash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
# every combining mark of the BMP, as one character class: stripping them with one regex pass is ~10x
# cheaper than testing each character of the text in Python
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]"
)
_PRIME = np.uint64((1 << 61) - 1)
_MAX = np.uint64((1 << 32) - 1)


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded word tokens (so 'décennie' and 'decennie' match)."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return _WORD.findall(folded)


def shingles(tokens: list[str], k: int = 3) -> set[int]:
    """Hashes of the k-word windows of a token list (the whole list if shorter than k)."""
    if not tokens:
        return set()
    if len(tokens) < k:
        return {_h(" ".join(tokens))}
    if k == 3:  # the windows FoldIndex uses, joined without slicing: ~2x cheaper, same strings
        windows = map(" ".join, zip(tokens, tokens[1:], tokens[2:], strict=False))
    else:
        windows = (" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1))
    return set(map(zlib.crc32, map(str.encode, windows)))


def shingle_array(hashes: set[int]) -> np.ndarray:
    """A shingle set as a sorted uint32 array: 4 bytes a shingle, intersected with numpy."""
    return np.array(sorted(hashes), dtype=np.uint32)


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


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

    def signatures(self, sets: list[set[int]]) -> list[np.ndarray]:
        """`signature` of each set, with one numpy pass over all of them: an article's
        paragraphs cost one outer product, not one each (the same values, per-call overhead
        was most of the time)."""
        sizes = [len(h) for h in sets]
        if not sets or not all(sizes):
            return [self.signature(h) for h in sets]
        x = np.fromiter((v for h in sets for v in h), dtype=np.uint64, count=sum(sizes))
        with np.errstate(over="ignore"):
            hv = (np.outer(x, self.a) + self.b) % _PRIME
        hv &= _MAX
        starts = np.cumsum([0, *sizes[:-1]])
        return list(np.minimum.reduceat(hv, starts, axis=0))


_DEFAULT = MinHasher(64, seed=7)


def minhash(text: str, k: int = 3) -> np.ndarray:
    """64-value MinHash signature of a text's word k-shingles (the one FoldIndex uses for
    whole documents); two signatures agree in about Jaccard x 64 positions."""
    return _DEFAULT.signature(shingles(words(text), k))


def jaccard_estimate(s1: np.ndarray, s2: np.ndarray) -> float:
    return float(np.mean(s1 == s2))


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def array_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two `shingle_array`s (verifies an LSH candidate)."""
    if not len(a) or not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def array_containment(a: np.ndarray, b: np.ndarray) -> float:
    """`containment` of two `shingle_array`s."""
    if not len(a) or not len(b):
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / min(len(a), len(b))


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger: a partial copy is contained, not similar."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def paragraph_similarity(a: str, b: str, k: int = 3) -> float:
    """How much of the shorter passage the longer one repeats (word k-shingle containment).

    Containment, not Jaccard: a quoted paragraph is often cut or extended when copied, and a
    few changed characters ("decade, as well" / "decadeas well") only cost the k shingles
    that span them.
    """
    return containment(shingles(words(a), k), shingles(words(b), k))


# --------------------------------------------------------------------------- per article

DOC_PERMUTATIONS, DOC_SEED = 64, 7
PARAGRAPH_PERMUTATIONS, PARAGRAPH_SEED = 32, 11
_DOC_HASHER = _DEFAULT
_PARAGRAPH_HASHER = MinHasher(PARAGRAPH_PERMUTATIONS, seed=PARAGRAPH_SEED)


@dataclass(frozen=True)
class Fingerprints:
    """Everything near-duplicate and partial-copy detection compare of one article.

    A pure function of the article (`fingerprints`), so it is computed wherever articles are
    prepared (a worker process, a Dask partition) and only the comparison runs where the index is.
    """

    exact_key: str  # sha1 of the normalised words ("" when there are none)
    doc: np.ndarray  # sorted uint32 hashes of the text's word 3-shingles
    doc_sig: np.ndarray  # 64-permutation MinHash of `doc`
    paragraphs: tuple[np.ndarray, ...]  # the same, per paragraph of at least `min_words` words
    paragraph_sigs: tuple[np.ndarray, ...]  # 32-permutation MinHash of each


def fingerprints(text: str, title: str = "", min_words: int = 15) -> Fingerprints:
    """The article's fingerprints. A headline-only item (feeds, wire flashes) is keyed by its
    headline: every empty body is the same text, and folding them all together would be the
    worst false duplicate."""
    toks = words(text)
    key_toks = toks or words(title)
    exact_key = hashlib.sha1(" ".join(key_toks).encode()).hexdigest() if key_toks else ""
    doc = shingles(toks, 3)
    sets = []
    for p in (s.strip() for s in text.split("\n\n")):
        if p:
            ptoks = words(p)
            if len(ptoks) >= min_words:
                sets.append(shingles(ptoks, 3))
    return Fingerprints(
        exact_key,
        shingle_array(doc),
        _DOC_HASHER.signature(doc),
        tuple(shingle_array(sh) for sh in sets),
        tuple(_PARAGRAPH_HASHER.signatures(sets)),
    )
