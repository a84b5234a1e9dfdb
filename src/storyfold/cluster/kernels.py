"""The inner loops of story scoring: sparse dot products, centroid sums, set matches.

Why one module: these loops run a dozen times per article over dicts of terms, names and
anchors, so each is written to keep its per-item work inside C-level builtins (`map`, set
intersections, `dict.update`) rather than Python frames. Their floats are summed in a fixed
order (`seq_sum`, sorted shared items), so the same stream gives the same stories on every
machine, hash seed and Python version.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import reduce
from operator import add, mul
from typing import Any


class Memo(dict[Any, Any]):
    """x -> fn(x), each computed once: look-ups run in C (map over `__getitem__`), a miss calls
    `fn`. `arg` records what `fn` was made for. Cleared when full: a memo, never a leak."""

    __slots__ = ("fn", "arg")

    def __init__(self, fn: Callable[[Any], Any], arg: int | None = None):
        super().__init__()
        self.fn, self.arg = fn, arg

    def __missing__(self, x: Any) -> Any:
        if len(self) > 1 << 18:
            self.clear()
        v = self[x] = self.fn(x)
        return v


def seq_sum(values: Iterable[float]) -> float:
    """Floats added left to right from 0.0. Why not sum(): from Python 3.12 sum() of floats
    compensates, so its last bits, and at a threshold a decision, would differ between versions."""
    return reduce(add, values, 0.0)


def heaviest(vec: dict[str, float], k: int) -> list[tuple[str, float]]:
    """The k heaviest (term, weight) pairs, ties by term: a stable sort by weight (descending;
    `reverse` keeps ties in order) of the sorted terms, keyed in C (no pairs compared)."""
    top = sorted(sorted(vec), key=vec.__getitem__, reverse=True)[:k]
    return list(zip(top, map(vec.__getitem__, top), strict=True))


def top(vec: dict[str, float], k: int) -> dict[str, float]:
    """`heaviest` as a dict, heaviest first."""
    return dict(heaviest(vec, k))


def heaviest_sorted(vec: dict[str, float], by_term: Sequence[str], k: int) -> dict[str, float]:
    """`dict(heaviest(vec, k))` given vec's keys already sorted (done ahead, in `weigh.prepare`): one
    stable sort of the terms by weight (descending; `reverse` keeps ties in term order), keyed
    in C, with no string comparisons and no pairs built."""
    top = sorted(by_term, key=vec.__getitem__, reverse=True)[:k]
    return dict(zip(top, map(vec.__getitem__, top), strict=True))


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Sparse dot product over the shared keys only (few, found by a C-level set intersection);
    the products and the exact sum run in C too (map), so no Python frame per shared term."""
    ks = a.keys() & b.keys()
    return math.fsum(map(mul, map(a.__getitem__, ks), map(b.__getitem__, ks)))  # exact: order-free


def max_dot(a: dict[str, float], vectors: list[dict[str, float]]) -> float:
    """The best `dot` of `a` with any of the vectors (0.0 when none is positive)."""
    mx = 0.0
    for r in vectors:
        d = dot(a, r)
        if d > mx:
            mx = d
    return mx


def add_into(c: dict[str, float], vec: dict[str, float]) -> None:
    """c += vec, new terms appended in vec's order."""
    for t, x in vec.items():  # a plain loop: faster here than dict.update over zipped maps
        c[t] = c.get(t, 0.0) + x


def add_counts(counts: Counter[str], add: dict[str, int], sq: int) -> int:
    """counts += add (new terms appended in add's order), and `sq`, their sum of squared counts,
    updated exactly: each term adds 2 * old * k + k * k."""
    for t, k in add.items():
        old = counts.get(t, 0)
        counts[t] = old + k
        sq += 2 * old * k + k * k
    return sq


def cos(a: Mapping[str, int], a_norm: float, b: Mapping[str, int], b_norm: float) -> float:
    """Cosine of two count vectors; the sums are of ints, so exact in any order."""
    if not a or not b_norm:
        return 0.0
    ks = a.keys() & b.keys()
    dot = sum(map(mul, map(a.__getitem__, ks), map(b.__getitem__, ks)))
    return float(dot / (a_norm * b_norm))


def set_match(
    sq: dict[str, float],
    norm: float,
    counts: Counter[str],
    n: int,
    core: dict[str, float],
    story_norm: float,
    core_total: float,
) -> tuple[float, float]:
    """IDF-weighted cosine of an article's names (or anchors) with the story's, and the
    IDF-weighted share of the story's core items (those in most of its articles) the
    article has: a story about Tara Reid has 'reid' as a core name, a Lindsay Lohan
    rehab article lacks it however similar the rest of its words are.

    `sq`: the article's items -> idf squared, `norm` the root of their sum; `core`, `story_norm`
    and `core_total` the story's `_SetStats`. Only the shared items are visited (found by a
    C-level set intersection), in sorted order (the article's order), so the float sums are the
    same whatever the hash seed."""
    if not norm or not story_norm:
        return 0.0, 0.0
    shared = sq.keys() & counts.keys()
    if not shared:
        return 0.0, 0.0
    dot = hit = 0.0
    for x in sorted(shared) if len(shared) > 1 else shared:
        dot += sq[x] * counts[x] / n
        hit += core.get(x, 0.0)
    cos = dot / (norm * story_norm)
    return cos, (hit / core_total if core_total else 0.0)
