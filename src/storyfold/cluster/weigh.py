"""What an article alone determines, and what the articles before it add: the article side of
story clustering.

Why a module of its own: none of this reads the live stories. `prepare` depends on the article
only (tokens, names, anchors and their fixed orders), so it runs wherever is convenient: the
ingest runs it on the executor's worker processes and hands the result to
`StoryClusterer.assign_prepared`. `DocFreqs.weigh` depends on the document frequencies of the
articles before it (its tf-idf vector and name/anchor weights), so it runs in the deciding
process at the article's turn.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import add, mul, sub, truediv
from typing import NamedTuple

from storyfold.cluster import kernels as K
from storyfold.cluster.features import extract
from storyfold.model import Article

_LOG1: list[float] = [0.0]  # d -> math.log(d + 1), grown on demand (see `DocFreqs._count`)
_LOG1_MAX = 1 << 20


def _tf_weight(c: int) -> float:
    return 1 + math.log(c)


_TF_WEIGHT = (0.0, *(_tf_weight(c) for c in range(1, 4096)))  # count -> 1 + log(count)


class Prepared(NamedTuple):
    """What an article alone determines (no story state): computed ahead on a worker process
    and handed to `StoryClusterer.assign_prepared`, so the serial decision does only what needs
    the live state (`assign` computes it in place).

    Plain dicts, tuples and floats: they pickle and unpickle in C. Every order is fixed here
    (sorted names, anchors, years and terms) so the float sums downstream never depend on hashing."""

    title_terms: dict[str, int]
    body_terms: dict[str, int]  # in first-occurrence order (the order `_vector` sums in)
    by_term: tuple[str, ...]  # the body terms sorted: `weigh` breaks weight ties by term
    tfw: tuple[float, ...]  # 1 + log(count), aligned with body_terms
    names: tuple[str, ...]  # sorted
    anchors: tuple[str, ...]  # sorted
    name_keys: tuple[str, ...]  # "n:" + each name, sorted
    anchor_keys: tuple[str, ...]  # "a:" + each anchor, sorted
    years: tuple[str, ...]  # years written, and the year published, sorted
    title_norm: float
    empty: bool  # no body text (a headline alone)
    emb: list[float] | None


# name/anchor -> its index key, each built once: within a process (and a pickled batch) an
# article's keys are then the same string objects from one article to the next, which the
# index's look-ups compare by identity
_NAME_KEY, _ANCHOR_KEY = K.Memo("n:".__add__), K.Memo("a:".__add__)


def prepare(article: Article, embedder: Callable[[str], list[float]] | None = None) -> Prepared:
    """The stateless part of assigning `article` (see `Prepared`)."""
    feats = extract(article.title, article.text)
    body = dict(feats.body_terms)
    counts = body.values()
    if max(counts, default=0) < len(_TF_WEIGHT):
        tfw = tuple(map(_TF_WEIGHT.__getitem__, counts))
    else:
        tfw = tuple(map(_tf_weight, counts))
    names, anchors = tuple(sorted(feats.names)), tuple(sorted(feats.anchors))
    yrs = set(feats.years)
    if article.published is not None:
        yrs.add(f"#{article.published.year}")
    emb = None
    if embedder is not None:
        try:
            v = embedder(f"{article.title}\n\n{article.text}"[:2000])
        except Exception:  # noqa: BLE001 - the embedding is an optional extra signal
            v = None
        if v is not None:
            n = math.sqrt(sum(x * x for x in v)) or 1.0
            emb = [x / n for x in v]
    return Prepared(
        dict(feats.title_terms),
        body,
        tuple(sorted(body)),
        tfw,
        names,
        anchors,
        tuple(map(_NAME_KEY.__getitem__, names)),
        tuple(map(_ANCHOR_KEY.__getitem__, anchors)),
        tuple(sorted(yrs)),
        math.sqrt(sum(v * v for v in feats.title_terms.values())),
        not article.text.strip(),
        emb,
    )


def interned(prep: Prepared) -> Prepared:
    """`prep` with every word interned. An article prepared on another process arrives with
    words of its own; stories keep them for as long as they live (centroids, names, index keys),
    and interned they are one object a word across all of them (and marshal stores them so)."""
    intern = sys.intern
    return prep._replace(
        title_terms={intern(k): v for k, v in prep.title_terms.items()},
        body_terms={intern(k): v for k, v in prep.body_terms.items()},
        by_term=tuple(map(intern, prep.by_term)),
        names=tuple(map(intern, prep.names)),
        anchors=tuple(map(intern, prep.anchors)),
        name_keys=tuple(map(intern, prep.name_keys)),
        anchor_keys=tuple(map(intern, prep.anchor_keys)),
        years=tuple(map(intern, prep.years)),
    )


class Weighed(NamedTuple):
    """What comparing an article needs of the document frequencies at its turn in the stream."""

    n_docs: int  # documents counted when it was weighed
    vec: dict[str, float]  # full unit tf-idf vector (goes into the story profile)
    vsq: float  # the sum of its squared weights, in its order (a hair off 1.0)
    topd: dict[str, float]  # its heaviest terms, heaviest first: the ones compared
    name_sq: dict[str, float]  # name -> idf squared, in sorted name order (sums run in that order)
    name_norm: float  # sqrt of the sum of the squares (0.0 when there are none)
    anchor_sq: dict[str, float]
    anchor_norm: float


class DocFreqs:
    """Document frequencies of body terms, names and anchors, and the article-side weights taken
    from them.

    Kept apart from the stories on purpose: they depend only on which articles were added, in
    order (every article assigned is added once, whatever story it joins), and on none of the
    story state. Three tables, so no key is ever built by prefixing."""

    def __init__(self, prior_docs: int, vector_terms: int):
        self.df: Counter[str] = Counter()
        self.df_n: Counter[str] = Counter()
        self.df_a: Counter[str] = Counter()
        self.ldf: dict[str, float] = {}  # body term -> log(df + 1), kept with `df`
        self.n_docs = 0
        self.prior = prior_docs  # background documents assumed (see ClusterSettings)
        self.vector_terms = vector_terms

    def weigh(self, prep: Prepared) -> Weighed:
        """Unit tf-idf vector: (1 + log tf) * (log(N + prior + 1) + 1 - log(df + 1)), all in C
        (logs of counts from a table, logs of document frequencies from `ldf`); names and
        anchors weighted by idf = log((N + prior + 1) / (df + 1)) + 1."""
        big = self.n_docs + self.prior + 1
        base = math.log(big) + 1.0
        tf = prep.body_terms
        idf = map(sub, repeat(base), map(self.ldf.get, tf, repeat(0.0)))  # log(0 + 1) == 0.0
        v = list(map(mul, prep.tfw, idf))
        n = math.sqrt(K.seq_sum(map(mul, v, v))) or 1.0
        vec = dict(zip(tf, map(truediv, v, repeat(n)), strict=True))
        vals = vec.values()
        vsq = K.seq_sum(map(mul, vals, vals))
        topd = K.heaviest_sorted(vec, prep.by_term, self.vector_terms)
        nsq, nn = idf_squares(prep.names, self.df_n, big)
        asq, an = idf_squares(prep.anchors, self.df_a, big)
        return Weighed(self.n_docs, vec, vsq, topd, nsq, nn, asq, an)

    def add(self, terms: Iterable[str], names: Sequence[str], anchors: Sequence[str]) -> None:
        """Count one more article (its distinct body terms, names and anchors)."""
        self.n_docs += 1
        self._count(terms)
        self.df_n.update(names)
        self.df_a.update(anchors)

    def remove(self, terms: Iterable[str], names: Sequence[str], anchors: Sequence[str]) -> None:
        """Uncount an article that left the window (the reverse of `add`): document frequencies
        are those of the latest articles, so memory stays bounded and weights follow the news."""
        self.n_docs -= 1
        df, ldf = self.df, self.ldf
        for t in terms:
            n = df[t] - 1
            if n:
                df[t] = n
                ldf[t] = _LOG1[n] if n < len(_LOG1) else math.log(n + 1)
            else:
                del df[t], ldf[t]
        for table, items in ((self.df_n, names), (self.df_a, anchors)):
            for x in items:
                n = table[x] - 1
                if n:
                    table[x] = n
                else:
                    del table[x]

    def _count(self, terms: Iterable[str]) -> None:
        df = self.df
        terms = list(terms)
        df.update(terms)
        counts = list(map(df.__getitem__, terms))
        top = max(counts, default=0)
        if top >= len(_LOG1) and top < _LOG1_MAX:  # grow the table to the highest count met
            _LOG1.extend(map(math.log, range(len(_LOG1) + 1, top + 2)))
        if top < len(_LOG1):  # log(df + 1) from the table: the same values, no call per term
            self.ldf.update(zip(terms, map(_LOG1.__getitem__, counts), strict=True))
        else:
            self.ldf.update(zip(terms, map(math.log, map(add, counts, repeat(1))), strict=True))


def idf_squares(items: tuple[str, ...], df: Counter[str], big: int) -> tuple[dict[str, float], float]:
    """item -> idf squared, in the items' (sorted) order, and the root of their sequential sum."""
    ws = list(
        map(
            add,
            map(math.log, map(truediv, repeat(big), map(add, map(df.get, items, repeat(0)), repeat(1)))),
            repeat(1.0),
        )
    )
    sqv = list(map(mul, ws, ws))
    na = K.seq_sum(sqv)
    return dict(zip(items, sqv, strict=True)), math.sqrt(na) if na else 0.0
