"""How a prepared, weighed article crosses from the helper process to the deciding one.

Why not plain pickling: an article is ~250 short strings (its terms, names, anchors and their
index keys) and ~150 floats, and unpickling made each string a new object, every batch of
articles over again: about a sixth of the deciding process's work, and every later dict look-up
with those keys compared characters instead of identities. Here each distinct string crosses
once per batch (a vocabulary grown on both sides in the same order), an article is a few
arrays of numbers, and the deciding process rebuilds its dicts from one shared object per
string. Floats travel as their 8 bytes, so every value arrives bit for bit.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from storyfold.cluster import kernels as K


def _ids_of_py(vocab: dict[str, int], new: list[str], items: Iterable[str]) -> bytes:
    """Each item's number in `vocab` (native unsigned 32-bit ints); an item not there yet gets
    the next number and is appended to `new`. (`_scoring.ids_of` in C, when built.) Known items,
    nearly all of them after the first articles, are looked up in one C-level pass."""
    items = list(items)
    ids = list(map(vocab.get, items))
    if None in ids:
        for i, x in enumerate(items):
            if ids[i] is None:
                got = vocab.get(x)  # met earlier in this same article
                if got is None:
                    got = vocab[x] = len(vocab)
                    new.append(x)
                ids[i] = got
    return array("I", ids).tobytes()


def _unpack_py(words: list[str], ids: bytes, packed: bytes, sizes: tuple, title_counts: tuple) -> tuple:
    """The fields `Sender.encode` laid out: (vec, topd, names, anchors, name_keys, anchor_keys,
    title_terms, years, name_sq, anchor_sq). (`_scoring.unpack` in C, when built.)"""
    nv, nt, nn, na, nti, ny = sizes
    ws = list(map(words.__getitem__, memoryview(ids).cast("I")))
    fl = memoryview(packed).cast("d")
    vec = dict(zip(ws[:nv], fl[:nv], strict=True))
    at = nv + nt
    top = ws[nv:at]
    names = tuple(ws[at : at + nn])
    anchors = tuple(ws[at + nn : at + nn + na])
    at += nn + na
    name_keys = tuple(ws[at : at + nn])
    anchor_keys = tuple(ws[at + nn : at + nn + na])
    at += nn + na
    return (
        vec,
        dict(zip(top, map(vec.__getitem__, top), strict=True)),
        names,
        anchors,
        name_keys,
        anchor_keys,
        dict(zip(ws[at : at + nti], title_counts, strict=True)),
        tuple(ws[at + nti : at + nti + ny]),
        dict(zip(names, fl[nv : nv + nn], strict=True)),
        dict(zip(anchors, fl[nv + nn : nv + nn + na], strict=True)),
    )


try:
    from storyfold.cluster._scoring import ids_of as _ids_of
    from storyfold.cluster._scoring import unpack as _unpack
except ImportError:  # no C extension: the same numbers and fields from Python
    _ids_of, _unpack = _ids_of_py, _unpack_py


class Sender:
    """The helper's side: strings numbered as first met; `pop_new` hands over the ones to send."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.new: list[str] = []

    def pop_new(self) -> list[str]:
        new, self.new = self.new, []
        return new

    def encode(self, prep: Any, w: Any) -> tuple:
        """One article (a stories._Prepared and its _Weighed) as numbers: every string by its
        vocabulary number, in a fixed order of fields; the floats packed."""
        vec, top = w.vec, w.topd
        ids = _ids_of(
            self.vocab,
            self.new,
            chain(
                vec,
                top,
                prep.names,
                prep.anchors,
                prep.name_keys,
                prep.anchor_keys,
                prep.title_terms,
                prep.years,
            ),
        )
        floats = array("d", vec.values())
        floats.extend(w.name_sq.values())
        floats.extend(w.anchor_sq.values())
        sizes = (
            len(vec),
            len(top),
            len(prep.names),
            len(prep.anchors),
            len(prep.title_terms),
            len(prep.years),
        )
        return (
            ids,
            floats.tobytes(),
            sizes,
            tuple(prep.title_terms.values()),
            (w.n_docs, w.vsq, w.name_norm, w.anchor_norm, prep.title_norm, prep.empty),
            prep.emb,
        )


class Receiver:
    """The deciding side: the same vocabulary, grown from what the sender reports new.

    An article weighed without its heaviest terms (`DocFreqs.weigh(top=False)`: they depend on
    its vector alone) gets them here, the `vector_terms` heaviest, so that sorting runs on the
    side with time to spare."""

    def __init__(self, vector_terms: int = 60) -> None:
        self.words: list[str] = []
        self.vector_terms = vector_terms

    def add(self, new: list[str]) -> None:
        self.words.extend(new)

    def decode(
        self, rec: tuple, prepared: Callable[..., Any], weighed: Callable[..., Any]
    ) -> tuple[Any, Any]:
        """`Sender.encode` undone: (prepared(...), weighed(...)) with the fields stories needs
        (the body-term fields the helper keeps to itself come back empty)."""
        ids, packed, sizes, title_counts, (n_docs, vsq, name_norm, anchor_norm, title_norm, empty), emb = rec
        vec, topd, names, anchors, name_keys, anchor_keys, title_terms, years, name_sq, anchor_sq = _unpack(
            self.words, ids, packed, sizes, title_counts
        )
        prep = prepared(
            title_terms, {}, (), (), names, anchors, name_keys, anchor_keys, years, title_norm, empty, emb
        )
        if not topd:
            topd = K.top(vec, self.vector_terms)
        return prep, weighed(n_docs, vec, vsq, topd, name_sq, name_norm, anchor_sq, anchor_norm)
