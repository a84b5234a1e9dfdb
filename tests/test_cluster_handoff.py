"""The helper-to-decider handoff gives back every field the decision reads, bit for bit, with one
shared object per distinct string; and the batch path that uses it decides as `assign` does."""

from __future__ import annotations

import struct

import pytest

from storyfold.cluster import StoryClusterer
from storyfold.cluster import handoff as H
from storyfold.cluster import weigh as W
from storyfold.cluster.data import ecbplus, wmt


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def _weighed_stream(arts):
    freqs = W.DocFreqs(200, 60)
    for a in arts:
        prep = W.prepare(a)
        w = freqs.weigh(prep)
        freqs.add(w.vec.keys(), prep.names, prep.anchors)
        yield prep, w


def test_round_trip_on_real_articles_in_chunks(shared_data):
    """ECB+ and WMT (Cyrillic included) in chunks of 32: every field equal, floats to the bit,
    dict orders kept, and a string met in two articles is one object after decoding."""
    arts = [g.article for g in ecbplus(shared_data)][:300] + [g.article for g in wmt(shared_data)][:200]
    sender, receiver = H.Sender(), H.Receiver()
    pairs = list(_weighed_stream(arts))
    seen: dict[str, str] = {}
    for lo in range(0, len(pairs), 32):
        recs = [sender.encode(p, w) for p, w in pairs[lo : lo + 32]]
        receiver.add(sender.pop_new())
        for (prep, w), rec in zip(pairs[lo : lo + 32], recs, strict=True):
            p2, w2 = receiver.decode(rec, W.Prepared, W.Weighed)
            assert p2 == prep._replace(body_terms={}, by_term=(), tfw=())
            assert w2 == w
            for a, b in (
                (w.vec, w2.vec),
                (w.topd, w2.topd),
                (w.name_sq, w2.name_sq),
                (w.anchor_sq, w2.anchor_sq),
            ):
                assert list(a) == list(b)
                assert list(map(_bits, a.values())) == list(map(_bits, b.values()))
            assert _bits(w.vsq) == _bits(w2.vsq) and _bits(p2.title_norm) == _bits(prep.title_norm)
            for t in chain_keys(w2):
                assert seen.setdefault(t, t) is t  # one object per distinct string
    assert len(receiver.words) == len(sender.vocab) > 5000


def chain_keys(w):
    yield from w.vec
    yield from w.topd
    yield from w.name_sq


def test_python_numbering_matches_c(shared_data, scoring):
    """The pure-Python numbering (no C compiler) gives the same bytes and new strings as C."""
    vocab_c: dict[str, int] = {}
    new_c: list[str] = []
    vocab_py: dict[str, int] = {}
    new_py: list[str] = []
    for prep, w in _weighed_stream([g.article for g in ecbplus(shared_data)][:100]):
        items = [*w.vec, *prep.names, *prep.anchor_keys, "x", "x"]
        assert scoring.ids_of(vocab_c, new_c, items) == H._ids_of_py(vocab_py, new_py, items)
    assert new_c == new_py and vocab_c == vocab_py


def test_batch_path_decides_as_one_by_one(shared_data):
    """The whole path: a helper process sends numbers, this one decodes and decides."""
    arts = [g.article for g in ecbplus(shared_data) if int(g.topic) <= 6]
    one = StoryClusterer()
    for a in arts:
        one.assign(a)
    two = StoryClusterer()
    got = two.assign_many(arts, workers=2, chunk=16)
    assert len(got) == len(arts) and two.labels() == one.labels()


def test_batch_path_without_c(shared_data, request):
    """As on a machine without a C compiler: Python numbering, Python scoring, same stories."""
    arts = [g.article for g in ecbplus(shared_data) if int(g.topic) <= 4]
    one = StoryClusterer()
    for a in arts:
        one.assign(a)
    request.getfixturevalue("cluster_without_c")
    two = StoryClusterer()
    two.assign_many(arts, workers=2, chunk=16)
    assert two.labels() == one.labels()


def test_c_unpack_matches_python_and_refuses_bad_arrays(shared_data, scoring):
    """The C field builder gives the Python one's fields (orders and float bits included) on
    real records, and refuses arrays that do not match their sizes or the vocabulary."""
    sender, receiver = H.Sender(), H.Receiver()
    pairs = list(_weighed_stream([g.article for g in wmt(shared_data)][:120]))
    recs = [sender.encode(p, w) for p, w in pairs]
    receiver.add(sender.pop_new())
    for ids, packed, sizes, counts, _, _ in recs:
        got = scoring.unpack(receiver.words, ids, packed, sizes, counts)
        want = H._unpack_py(receiver.words, ids, packed, sizes, counts)
        assert got == want
        for a, b in zip(got, want, strict=True):
            if isinstance(a, dict):
                assert list(a.items()) == list(b.items())
                assert all(
                    _bits(x) == _bits(y)
                    for x, y in zip(a.values(), b.values(), strict=True)
                    if isinstance(x, float)
                )
    ids, packed, sizes, counts, _, _ = recs[0]
    with pytest.raises(ValueError):
        scoring.unpack(receiver.words, ids[:-4], packed, sizes, counts)
    with pytest.raises(ValueError):
        scoring.unpack(receiver.words, ids, packed, (sizes[0] + 1, *sizes[1:]), counts)
    with pytest.raises(IndexError):
        scoring.unpack(receiver.words[:3], ids, packed, sizes, counts)
    with pytest.raises(TypeError):
        scoring.unpack(tuple(receiver.words), ids, packed, sizes, counts)


def test_heaviest_terms_sorted_on_the_receiving_side(shared_data):
    """An article weighed without its heaviest terms (what the helper sends) gets the very same
    ones, in the same order, from the receiver."""
    arts = [g.article for g in wmt(shared_data)][:150]
    full, lean = W.DocFreqs(200, 60), W.DocFreqs(200, 60)
    sender, receiver = H.Sender(), H.Receiver(60)
    for a in arts:
        prep = W.prepare(a)
        want = full.weigh(prep)
        w = lean.weigh(prep, top=False)
        assert w.topd == {} and w.vec == want.vec
        full.add(want.vec.keys(), prep.names, prep.anchors)
        lean.add(w.vec.keys(), prep.names, prep.anchors)
        rec = sender.encode(prep, w)
        receiver.add(sender.pop_new())
        got = receiver.decode(rec, W.Prepared, W.Weighed)[1]
        assert list(got.topd.items()) == list(want.topd.items())
