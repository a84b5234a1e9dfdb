"""The inner loops of story scoring: in C when the optional extension `_scoring` is built, else
the Python twins here, which are the reference.

Why both: these loops run a dozen times per article over dicts of terms, names and anchors, and
in C they cost a fraction of what the interpreter spends. `_scoring.c` performs the same
floating-point operations in the same order as the Python code (no fused multiply-add; libm's
own log, pow and sqrt; sums Python takes with math.fsum correctly rounded there too), so a
machine without a C compiler gets the very same stories, only slower. Callers use the selected
names (`dot`, `set_match`, ...) through this module, so tests can switch the whole stage to its
Python path in one place.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import reduce
from operator import add, mul
from typing import Any

C: Any
try:
    import storyfold.cluster._scoring as _scoring

    C = _scoring
except ImportError:  # no C compiler at install time: the Python path, the same results
    C = None


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
    """Floats added left to right from 0.0, as the C loops add them: the reference sums of the
    Python twins. (Python 3.12's sum() of floats compensates, so its last bits would differ.)"""
    return reduce(add, values, 0.0)


def heaviest(vec: dict[str, float], k: int) -> list[tuple[str, float]]:
    """The k heaviest (term, weight) pairs, ties by term: a stable sort by weight (descending;
    `reverse` keeps ties in order) of the sorted terms, keyed in C (no pairs compared)."""
    top = sorted(sorted(vec), key=vec.__getitem__, reverse=True)[:k]
    return list(zip(top, map(vec.__getitem__, top), strict=True))


def top_py(vec: dict[str, float], k: int) -> dict[str, float]:
    """`heaviest` as a dict, heaviest first."""
    return dict(heaviest(vec, k))


def heaviest_sorted(vec: dict[str, float], by_term: Sequence[str], k: int) -> dict[str, float]:
    """`dict(heaviest(vec, k))` given vec's keys already sorted (done ahead, in `weigh.prepare`): one
    stable sort of the terms by weight (descending; `reverse` keeps ties in term order), keyed
    in C, with no string comparisons and no pairs built."""
    top = sorted(by_term, key=vec.__getitem__, reverse=True)[:k]
    return dict(zip(top, map(vec.__getitem__, top), strict=True))


def dot_py(a: dict[str, float], b: dict[str, float]) -> float:
    """Sparse dot product over the shared keys only (few, found by a C-level set intersection);
    the products and the exact sum run in C too (map), so no Python frame per shared term."""
    ks = a.keys() & b.keys()
    return math.fsum(map(mul, map(a.__getitem__, ks), map(b.__getitem__, ks)))  # exact: order-free


def max_dot_py(a: dict[str, float], vectors: list[dict[str, float]]) -> float:
    """The best `dot` of `a` with any of the vectors (0.0 when none is positive)."""
    mx = 0.0
    for r in vectors:
        d = dot_py(a, r)
        if d > mx:
            mx = d
    return mx


def add_into_py(c: dict[str, float], vec: dict[str, float]) -> None:
    """c += vec, new terms appended in vec's order."""
    for t, x in vec.items():  # a plain loop: faster here than dict.update over zipped maps
        c[t] = c.get(t, 0.0) + x


def add_counts_py(counts: Counter[str], add: dict[str, int], sq: int) -> int:
    """counts += add (new terms appended in add's order), and `sq`, their sum of squared counts,
    updated exactly: each term adds 2 * old * k + k * k."""
    for t, k in add.items():
        old = counts.get(t, 0)
        counts[t] = old + k
        sq += 2 * old * k + k * k
    return sq


def cos_py(a: Counter[str], a_norm: float, b: Counter[str], b_norm: float) -> float:
    """Cosine of two count vectors; the sums are of ints, so exact in any order."""
    if not a or not b_norm:
        return 0.0
    ks = a.keys() & b.keys()
    dot = sum(map(mul, map(a.__getitem__, ks), map(b.__getitem__, ks)))
    return float(dot / (a_norm * b_norm))


def set_match_py(
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


if C is not None:
    dot, max_dot, add_into, set_match, count_into, top, cos, add_counts = (
        C.dot,
        C.max_dot,
        C.add_into,
        C.set_match,
        C.count_into,
        C.heaviest,
        C.count_cos,
        C.add_counts,
    )
else:
    dot, max_dot, add_into, set_match, count_into, top, cos, add_counts = (
        dot_py,
        max_dot_py,
        add_into_py,
        set_match_py,
        Counter.update,
        top_py,
        cos_py,
        add_counts_py,
    )
