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

import functools
import hashlib
import re
import threading
import unicodedata
import zlib
from collections.abc import Iterable
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
    windows: Iterable[str]
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
        sig: np.ndarray = (hv & _MAX).min(axis=0)
        return sig

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
    worst false duplicate.

    The same values as composing `words`, `shingles`, `shingle_array` and `MinHasher` (once for
    the text, once per paragraph), computed in one pass: this runs once per ingested article,
    and the paragraphs are the text again. The text is tokenised once, each 3-word window hashed
    once (a paragraph's shingles are a slice of the text's windows), and MinHash is reduced
    mod 2^61 - 1 with shifts rather than a division.
    """
    blocks = _blocks(text)
    toks = _flat(blocks)
    key_toks = toks or _flat(_blocks(title))
    exact_key = hashlib.sha1(b" ".join(key_toks)).hexdigest() if key_toks else ""
    hashes, edges = _shingle_arrays(toks, _paragraph_ranges(text, blocks, min_words))
    arrays = tuple(hashes[i:j] for i, j in zip(edges, edges[1:], strict=False))
    doc_sig, paragraph_sigs = _article_signatures(hashes, edges)
    return Fingerprints(exact_key, arrays[-1], doc_sig, arrays[:-1], paragraph_sigs)


# `words` in bytes, for `fingerprints`: crc32 and sha1 take UTF-8, so tokens are made as bytes once
# rather than encoded per window. A "\n" survives folding, so the "\n\n" paragraph breaks can be
# found in the folded text. Casefold and NFKD act on each character on its own, except that NFKD
# reorders runs of combining marks, which `words` drops (all of the BMP's); so on a text of BMP
# characters, `words` is a per-character lookup (`_char_fold_table`), except where a
# character folds to several (ß -> ss, a Hangul syllable -> its jamo), or a dropped mark follows a
# "\n" (dropping it would join two newlines into a paragraph break). Those texts, and any with a
# character beyond the BMP, are folded as `words` does, with casefold and NFKD (`_nfkd_words`).

_NEWLINE, _SPACE, _DROP, _COMPOUND = 0x0A, 0x20, 0xFFFFFFFE, 0xFFFFFFFF


def _ascii_fold_table() -> bytes:
    """`words` on ASCII as one bytes.translate: word characters case-folded, "\n" kept, every
    other byte a space (so that bytes.split() then finds the words)."""
    table = bytearray(b" " * 256)
    for c in range(128):
        if _WORD.fullmatch(chr(c)):
            table[c] = ord(chr(c).casefold())
    table[_NEWLINE] = _NEWLINE
    return bytes(table)


def _word_table() -> np.ndarray:
    """What `words` makes of each BMP code point of an NFKD-normalised text: a word character is
    kept, a combining mark dropped (`_DROP`), "\n" kept, anything else a space. Taken from the
    two regexes themselves, so it cannot drift from `words`."""
    code_points = np.arange(0x10000, dtype="<u4")
    bmp = code_points.tobytes().decode("utf-32-le", "surrogatepass")
    table = np.full(0x10000, _SPACE, dtype="<u4")
    for m in _WORD.finditer(bmp):
        table[m.start() : m.end()] = code_points[m.start() : m.end()]
    for m in _COMBINING.finditer(bmp):
        table[m.start()] = _DROP
    table[_NEWLINE] = _NEWLINE
    return table


def _char_fold_table(word_table: np.ndarray) -> np.ndarray:
    """What `words` makes of each BMP character of a text, before any normalisation: one word
    character, a space (it folds to separators only), `_DROP` (to nothing), "\n", or `_COMPOUND`
    (several characters, one of them a word character, or one beyond the BMP). Computed by folding
    all of them at once, one per line ("\n" folds to itself and is in no other character's fold)."""
    others = np.delete(np.arange(0x10000, dtype="<u4"), _NEWLINE)
    lines = (
        np.column_stack([others, np.full_like(others, _NEWLINE)])
        .tobytes()
        .decode("utf-32-le", "surrogatepass")
    )
    folds = _COMBINING.sub("", unicodedata.normalize("NFKD", lines.casefold())).split("\n")[:-1]
    lengths = np.fromiter(map(len, folds), dtype=np.intp, count=len(folds))
    chars = np.frombuffer("".join(folds).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    astral = chars > 0xFFFF
    kept = np.where(astral, _COMPOUND, word_table[np.minimum(chars, 0xFFFF)])
    ends = np.cumsum(lengths)
    word_counts = np.diff(np.cumsum((kept != _SPACE) & (kept != _DROP)), prepend=0)  # per character
    words_in = np.add.reduceat(np.append(word_counts, 0), ends - lengths)[: len(folds)]
    words_in[lengths == 0] = 0  # reduceat gives an empty fold its next neighbour's first
    table = np.full(len(folds), _COMPOUND, dtype="<u4")
    table[words_in == 0] = _SPACE
    table[lengths == 0] = _DROP
    single = (lengths == 1) & (words_in == 1)
    table[single] = kept[ends[single] - 1]
    # one more entry, for every code point beyond the BMP (`np.take(..., mode="clip")`)
    return np.append(np.insert(table, _NEWLINE, _NEWLINE), np.uint32(_COMPOUND))


_ASCII_FOLD = _ascii_fold_table()
_WORD_FOLD = _word_table()


@functools.cache
def _char_fold() -> np.ndarray:
    """`_char_fold_table`, built on first use: ~15 ms that ASCII-only work never needs."""
    return _char_fold_table(_WORD_FOLD)


def _table_words(text: str) -> bytes | None:
    """The words of a non-ASCII text (`words`) in UTF-8, with spaces and each "\n" between them,
    by `_char_fold`; None when the text needs `_nfkd_words`."""
    # surrogatepass: a lone surrogate (a badly decoded page) is a separator, as it is to `words`
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    out = np.take(_char_fold(), cps, mode="clip")
    top = out.max()
    if top == _COMPOUND:
        return None
    if top == _DROP:
        dropped = out == _DROP
        if (dropped[1:] & (cps[:-1] == _NEWLINE)).any():
            return None
        out = out[~dropped]
    return out.tobytes().decode("utf-32-le").encode()


def _fold_astral(cps: np.ndarray, out: np.ndarray) -> None:
    """Fill in `out` for code points beyond the BMP (emoji, rare CJK), which `_COMBINING` does
    not drop: each is a word character or a space."""
    big = np.flatnonzero(cps > 0xFFFF)
    values, where = np.unique(cps[big], return_inverse=True)
    kept = [c if _WORD.fullmatch(chr(c)) else _SPACE for c in values.tolist()]
    out[big] = np.array(kept, dtype="<u4")[where]


def _nfkd_words(text: str) -> tuple[bytes, bool]:
    """`_table_words` for any text, by casefold and NFKD as `words` does; and whether a dropped
    combining mark follows a "\n" (then the paragraph breaks must be found before folding)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    cps = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    out = _WORD_FOLD[np.minimum(cps, 0xFFFF)]
    if len(cps) and cps.max() > 0xFFFF:
        _fold_astral(cps, out)
    dropped = out == _DROP
    mark_after_newline = False
    if dropped.any():
        mark_after_newline = bool((dropped[1:] & (cps[:-1] == _NEWLINE)).any())
        out = out[~dropped]
    return out.tobytes().decode("utf-32-le").encode(), mark_after_newline


def _blocks(text: str) -> list[list[bytes]]:
    """The UTF-8 words (`words`) of each "\n\n"-separated block of the text, blank blocks
    included, so that block j here is `text.split("\n\n")[j]`."""
    if text.isascii():
        folded = text.encode().translate(_ASCII_FOLD)
    elif (table_folded := _table_words(text)) is not None:
        folded = table_folded
    else:
        folded, mark_after_newline = _nfkd_words(text)
        if mark_after_newline:
            return [_nfkd_words(b)[0].split() for b in text.split("\n\n")]
    return [b.split() for b in folded.split(b"\n\n")]


def _flat(blocks: list[list[bytes]]) -> list[bytes]:
    """The blocks' words in one list (list += is the cheapest way)."""
    toks: list[bytes] = []
    for block in blocks:
        toks += block
    return toks


def _window_hashes(toks: list[bytes]) -> np.ndarray:
    """CRC-32 of every 3-word window, in text order and with repeats: the shingles of any run of
    at least 3 consecutive words are a slice of it."""
    n = len(toks) - 2
    if n <= 0:
        return np.empty(0, dtype=np.uint32)
    joined = map(b" ".join, zip(toks, toks[1:], toks[2:], strict=False))
    return np.fromiter(map(zlib.crc32, joined), dtype=np.uint32, count=n)


def _paragraph_ranges(text: str, blocks: list[list[bytes]], min_words: int) -> list[tuple[int, int]]:
    """Token ranges (in the text's token list) of the blocks indexed as paragraphs: not blank,
    and with at least `min_words` words."""
    raw = text.split("\n\n") if min_words <= 0 else []  # a block without words may still not be blank
    ranges, start = [], 0
    for j, block in enumerate(blocks):
        end = start + len(block)
        if len(block) >= min_words and (block or raw[j].strip()):
            ranges.append((start, end))
        start = end
    return ranges


# The paragraphs' shingle arrays and then the document's, end to end, come from one sort: each
# hash carries its group's number in the 32 bits above it, which keeps the groups apart and in order.
_GROUP = 1 << 32


_GROUP_STARTS = np.arange(256, dtype=np.uint64) << np.uint64(32)


def _group_starts(n: int) -> np.ndarray:
    """The smallest key of each of n groups."""
    if n <= len(_GROUP_STARTS):
        return _GROUP_STARTS[:n]
    return np.arange(n, dtype=np.uint64) << np.uint64(32)


def _shingle_arrays(toks: list[bytes], ranges: list[tuple[int, int]]) -> tuple[np.ndarray, list[int]]:
    """`shingle_array(shingles(...))` of each paragraph's words and then of all the text's, end
    to end, and where each starts (and the last ends)."""
    windows = _window_hashes(toks)
    n = len(windows)
    if not n or any(end - start < 3 for start, end in ranges):  # a set that is not a run of windows
        parts = [_shingle_hashes(toks, windows, start, end) for start, end in [*ranges, (0, len(toks))]]
        keys = np.repeat(_group_starts(len(parts)), [len(p) for p in parts])
        keys |= np.concatenate(parts)
    else:
        # each window once per paragraph it lies in (label j), once for the document (label k),
        # and once more if it is in no paragraph (label k + 1, after the document's, cut off)
        labels, lengths, at, k = [], [], 0, len(ranges)
        for j, (start, end) in enumerate(ranges):
            labels += [(k + 1) * _GROUP, j * _GROUP]
            lengths += [start - at, end - 2 - start]
            at = end - 2
        labels += [(k + 1) * _GROUP, k * _GROUP]
        lengths += [n - at, n]
        keys = np.repeat(np.array(labels, dtype=np.uint64), lengths)
        keys[:n] |= windows
        keys[n:] |= windows
    keys = _sorted_unique(keys)
    edges = np.searchsorted(keys, _group_starts(len(ranges) + 2)).tolist()
    return keys.astype(np.uint32), edges  # astype drops the group number


def _shingle_hashes(toks: list[bytes], windows: np.ndarray, start: int, end: int) -> np.ndarray:
    """`shingles` of toks[start:end] (k = 3) as an array, unsorted and with repeats."""
    if end - start >= 3:
        return windows[start : end - 2]
    if end > start:
        return np.array([zlib.crc32(b" ".join(toks[start:end]))], dtype=np.uint32)
    return np.empty(0, dtype=np.uint32)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique(a) without its per-call overhead, which counts at a few calls per article."""
    s = np.sort(a)
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


# MinHash for `fingerprints`, with the same values as `MinHasher`. MinHasher's value for a hash x is
# ((a*x + b) mod p) & 0xffffffff, with a*x + b wrapping at 2^64 and p = 2^61 - 1. Write that w as
# h * 2^61 + l (h < 8): since 2^61 = 1 mod p, w mod p is l + h, less p when that reaches p. Here
# v = a*x + b + 1 (wrapping the same way) and s = (v + (v >> 61)) & 0xffffffff: when l + h < p, s is
# the value plus one, and in every other case (l + h >= p, including l = p) s < 8. So a group of hashes
# whose smallest s is at least 8 has MinHash value min(s) - 1: four numpy passes instead of a uint64
# division. The other groups (about one article in ten thousand) take MinHasher's own path.
_SAFE = 8
_SHIFT, _ONE = np.uint64(61), np.uint64(1)
_DOC_A, _DOC_B1 = _DOC_HASHER.a[:, None], (_DOC_HASHER.b + _ONE)[:, None]  # b < p: no wrap
_PARAGRAPH_A, _PARAGRAPH_B1 = _PARAGRAPH_HASHER.a[:, None], (_PARAGRAPH_HASHER.b + _ONE)[:, None]
_SCRATCH_CAP = 1 << 17  # elements: at most 2.5 MiB of work space per thread (texts of ~2,000 shingles)


class _Scratch(threading.local):
    """Work arrays reused by every call on a thread. A temporary of a few hundred KiB goes back
    to the OS when freed, and page-faulting it in again on the next call cost more than the
    arithmetic done in it."""

    size = 0


_SCRATCH = _Scratch()


def _work(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two uint64 and one uint32 work array of `size` elements: the thread's scratch space, grown
    as needed up to `_SCRATCH_CAP` (a longer text gets arrays of its own)."""
    w = _SCRATCH
    if size > w.size:
        if size > _SCRATCH_CAP:
            return np.empty(size, np.uint64), np.empty(size, np.uint64), np.empty(size, np.uint32)
        w.size = min(max(size, 2 * w.size), _SCRATCH_CAP)
        w.wide, w.high, w.low = (
            np.empty(w.size, np.uint64),
            np.empty(w.size, np.uint64),
            np.empty(w.size, np.uint32),
        )
    return w.wide[:size], w.high[:size], w.low[:size]


def _article_signatures(hashes: np.ndarray, edges: list[int]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """`_DOC_HASHER.signature` of the document's shingles (the last group of hashes, as
    `_shingle_arrays` lays them out) and `_PARAGRAPH_HASHER.signatures` of the paragraphs' (the
    others), finished together: per-call overhead is much of the cost at this size."""
    k, split = len(edges) - 2, edges[-2]
    doc, paragraphs = hashes[split : edges[-1]], hashes[:split]
    if any(i == j for i, j in zip(edges, edges[1:], strict=False)):  # no words, or min_words <= 0
        return _exact_signatures(hashes, edges)
    mins = np.empty(DOC_PERMUTATIONS + PARAGRAPH_PERMUTATIONS * k, dtype=np.uint32)
    _low_hashes(doc, _DOC_A, _DOC_B1).min(axis=1, out=mins[:DOC_PERMUTATIONS])
    if k:
        by_paragraph = mins[DOC_PERMUTATIONS:].reshape(k, PARAGRAPH_PERMUTATIONS).T
        s = _low_hashes(paragraphs, _PARAGRAPH_A, _PARAGRAPH_B1)
        by_paragraph[...] = np.minimum.reduceat(s, edges[:k], axis=1)
    if mins.min() < _SAFE:
        return _exact_signatures(hashes, edges)
    sigs = mins.astype(np.uint64)
    sigs -= _ONE
    return sigs[:DOC_PERMUTATIONS], tuple(sigs[DOC_PERMUTATIONS:].reshape(k, PARAGRAPH_PERMUTATIONS))


def _low_hashes(x: np.ndarray, a: np.ndarray, b1: np.ndarray) -> np.ndarray:
    """s (above) for each permutation (a and b1 = b + 1, as columns: the rows of the result) and
    each hash of x (the columns), in the thread's work space: valid until the next call."""
    wide, high, low = _work(len(a) * len(x))
    v = wide.reshape(len(a), -1)
    np.multiply(a, x.astype(np.uint64), out=v)
    np.add(v, b1, out=v)
    np.right_shift(wide, _SHIFT, out=high)
    np.add(wide, high, out=wide)
    np.copyto(low, wide, casting="unsafe")  # keeps the low 32 bits
    return low.reshape(len(a), -1)


def _exact_signatures(hashes: np.ndarray, edges: list[int]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """`_article_signatures` as MinHasher computes them (empty groups, or an s below _SAFE)."""
    sets = [set(hashes[i:j].tolist()) for i, j in zip(edges, edges[1:], strict=False)]
    return _DOC_HASHER.signature(sets[-1]), tuple(_PARAGRAPH_HASHER.signatures(sets[:-1]))
