"""The C scoring loops (`storyfold.cluster._scoring`, selected in `kernels`) give the very bits the Python reference
gives: function by function on the vectors of a real stream, and as whole decisions (labels and
every candidate's feature row) on ECB+ topics, with the extension and without it."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from storyfold.cluster import StoryClusterer
from storyfold.cluster import kernels as K
from storyfold.cluster import weigh as W
from storyfold_eval.datasets import ecbplus


def _stream(shared_data, topics=range(1, 9)):
    return [g.article for g in ecbplus(shared_data) if int(g.topic) in set(topics)]


def _same(a: float, b: float) -> bool:
    return math.copysign(1.0, a) == math.copysign(1.0, b) and (a == b or (a != a and b != b))


def test_functions_match_python_on_a_real_stream(shared_data, scoring):
    """Every dot, set match and set summary met while clustering ECB+ topics 1-8, both ways."""
    c = StoryClusterer()
    checked = Counter()
    for art in _stream(shared_data):
        prep = W.prepare(art)
        w = c._freqs.weigh(prep)
        for st in list(c._stories.values()):
            assert _same(scoring.dot(w.topd, st.centroid), K.dot_py(w.topd, st.centroid))
            assert _same(scoring.dot(st.centroid, w.vec), K.dot_py(w.vec, st.centroid))
            assert _same(scoring.max_dot(w.topd, st.recent), K.max_dot_py(w.topd, st.recent))
            for sq, norm, counts, stats in (
                (w.name_sq, w.name_norm, st.names, st.name_stats),
                (w.anchor_sq, w.anchor_norm, st.anchors, st.anchor_stats),
            ):
                args = (sq, norm, counts, len(st.article_ids), stats.core, stats.norm, stats.core_total)
                assert scoring.set_match(*args) == K.set_match_py(*args)
            big = c._freqs.n_docs + c.settings.idf_prior_docs + 1
            for counts, df in ((st.names, c._freqs.df_n), (st.anchors, c._freqs.df_a)):
                got = scoring.set_stats(counts, len(st.article_ids), df, big, c.settings.core_share)
                want = _python_set_stats(c, counts, len(st.article_ids), df)
                assert got[0] == want.norm and got[2] == want.core_total
                assert list(got[1].items()) == list(want.core.items())
            tt = (prep.title_terms, prep.title_norm, st.title_terms, st.title_norm)
            if st.title_norm and prep.title_norm:
                assert _same(scoring.count_cos(*tt), K.cos_py(*tt))
            by_c, by_py = Counter(st.title_terms), Counter(st.title_terms)
            sq = scoring.add_counts(by_c, prep.title_terms, st.title_sq)
            assert sq == K.add_counts_py(by_py, prep.title_terms, st.title_sq)
            assert list(by_c.items()) == list(by_py.items())
            checked["stories"] += 1
        centroid = dict(next(iter(c._stories.values())).centroid) if c._stories else {}
        by_c, by_py = dict(centroid), dict(centroid)
        scoring.add_into(by_c, w.vec)
        K.add_into_py(by_py, w.vec)
        assert list(by_c.items()) == list(by_py.items())  # same values, same key order
        c.assign(art)
    assert checked["stories"] > 1000


def _python_set_stats(c: StoryClusterer, counts, n, df):
    saved = K.C
    K.C = None
    try:
        return c._set_stats(counts, n, df)
    finally:
        K.C = saved


def test_exact_sum_is_math_fsum(scoring):
    """The dot's sum is correctly rounded, as math.fsum's: the classic cancellation and
    half-even cases, long sums, and the non-finite cases handed to math.fsum itself."""
    cases = [
        [1e-16, 1.0, 1e16],
        [1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50],
        [0.1] * 10,
        [2.0**53, 1.0, 1.0],
        [1.0 / k for k in range(1, 500)],
        [],
    ]
    for values in cases:
        a = {str(i): v for i, v in enumerate(values)}
        ones = dict.fromkeys(a, 1.0)
        assert _same(scoring.dot(a, ones), math.fsum(values))
    assert scoring.dot({"x": math.inf}, {"x": 1.0}) == math.inf
    with pytest.raises(ValueError):
        scoring.dot({"x": math.inf, "y": -math.inf}, {"x": 1.0, "y": 1.0})
    with pytest.raises(TypeError):
        scoring.dot({"x": "1"}, {"x": 1.0})
    with pytest.raises(TypeError):
        scoring.dot([], {})
    assert scoring.dot({}, {"x": 1.0}) == 0.0


def test_set_match_without_names_or_shared_items(scoring):
    assert scoring.set_match({}, 0.0, Counter(a=1), 1, {}, 1.0, 0.0) == (0.0, 0.0)
    assert scoring.set_match({"a": 4.0}, 2.0, Counter(b=1), 1, {"b": 2.0}, 1.0, 2.0) == (0.0, 0.0)
    args = ({"a": 4.0, "b": 1.0}, math.sqrt(17), Counter(a=2, c=1), 2, {"a": 3.0}, 5.0, 3.0)
    assert scoring.set_match(*args) == K.set_match_py(*args)


def test_decisions_and_rows_identical_with_and_without_c(shared_data, scoring, request):
    """Labels, probabilities and every candidate's feature row on ECB+ topics 1-8."""
    arts = _stream(shared_data)

    def run():
        c = StoryClusterer()
        out = []
        for a in arts:
            out.append((tuple(c.candidate_features(a)), c.assign(a)))
        return out, c.labels()

    with_c = run()
    request.getfixturevalue("cluster_without_c")
    assert run() == with_c


def test_python_path_still_clusters(shared_data, cluster_without_c):
    """Without the extension the clusterer runs on the Python loops alone (no C function met)."""
    assert K.dot is K.dot_py
    c = StoryClusterer()
    for a in _stream(shared_data, range(1, 3)):
        c.assign(a)
    assert 2 <= len(c.stories) < 40


def test_weighing_and_counting_match_python(shared_data, scoring, monkeypatch):
    """Each article's tf-idf vector, its heaviest terms and name/anchor weights, and the document
    frequency tables after counting, over ECB+ topics 1-8: the same items, values and order."""
    arts = _stream(shared_data)

    def run(c_on: bool):
        monkeypatch.setattr(K, "C", scoring if c_on else None)
        preps = [W.prepare(a) for a in arts]
        f = W.DocFreqs(200, 60)
        out = []
        for p in preps:
            w = f.weigh(p)
            out.append((w.n_docs, list(w.vec.items()), w.vsq, list(w.topd.items()), list(w.name_sq.items())))
            out[-1] += (w.name_norm, list(w.anchor_sq.items()), w.anchor_norm)
            f.add(w.vec.keys(), p.names, p.anchors)
        return out, list(f.df.items()), list(f.ldf.items())

    with_c = run(True)
    assert run(False) == with_c
    assert len(with_c[1]) > 1000


def test_index_counting_and_filing_match_python(shared_data, scoring):
    """Candidate hit counts (values and first-hit order) against the live index of a real
    stream, an empty posting left by a merge, and filing keys under a story, both ways."""
    c = StoryClusterer()
    arts = _stream(shared_data)
    for a in arts[:150]:
        c.assign(a)
    c._index["n:ghost"] = {}  # what a merge can leave behind: an empty posting
    for a in arts[150:]:
        prep = W.prepare(a)
        keys = c._keys(c._freqs.weigh(prep).topd, prep) + ["n:ghost", "a:never-seen"]
        for limit in (1, 3, 20):
            want = Counter()
            want.update(s for k in keys if (p := c._index.get(k)) and len(p) <= limit for s in p)
            got = scoring.count_hits(c._index, keys, limit)
            assert list(got.items()) == list(want.items())
        names = Counter(c._freqs.df_n)
        want_names = Counter(names)
        scoring.count_into(names, list(prep.names))
        want_names.update(prep.names)
        assert list(names.items()) == list(want_names.items())
    index_c, index_py = {"x": {"s0": None}}, {"x": {"s0": None}}
    mine_c, mine_py = {}, {}
    scoring.post_keys(index_c, ["x", "y", "x"], "s1", mine_c)
    for k in ["x", "y", "x"]:
        index_py.setdefault(k, {})["s1"] = None
        mine_py[k] = None
    assert index_c == index_py and list(mine_c) == list(mine_py) == ["x", "y"]
    assert list(index_c["x"]) == ["s0", "s1"]


def test_heaviest_is_the_stable_sort(scoring):
    """Heaviest first, equal weights in term order (real vectors: the weighing test above)."""
    # ties across one-byte keys (packed), long keys, wider kinds, a NUL and a prefix
    vec = {"b": 1.0, "a": 1.0, "c": 2.0, "d": 0.5, "ä": 1.0, "Z": 1.0, "abcdefghij": 1.0}
    vec |= {"abcdefgh": 1.0, "москва": 1.0, "a\x00": 1.0, "": 1.0, "ÿ": 1.0, "Ā": 1.0, "ab": 2.0}
    for k in (0, 1, 3, 6, 10, 20):
        assert list(scoring.heaviest(vec, k).items()) == K.heaviest(vec, k)
    with pytest.raises(TypeError):
        scoring.heaviest({1: 1.0}, 1)
    with pytest.raises(ValueError):
        scoring.heaviest({"x": math.nan}, 1)


def test_title_counts_stay_exact(scoring):
    """The title-term sum of squares is an exact int however large it grows; counts must be
    ints, and a refused call leaves the story's counts as they were."""
    counts = Counter(a=3, b=1)
    big = 2**70 + 1
    add = {"a": 2, "c": 5}
    want_counts = Counter(counts)
    want = K.add_counts_py(want_counts, add, big)
    assert scoring.add_counts(counts, add, big) == want and counts == want_counts
    before = Counter(counts)
    with pytest.raises(TypeError):
        scoring.add_counts(counts, {"a": 1, "z": 1.5}, 0)
    with pytest.raises(OverflowError):
        scoring.add_counts(counts, {"a": 2**40}, 0)
    assert counts == before
    assert scoring.count_cos({}, 0.0, counts, 1.0) == 0.0 == K.cos_py({}, 0.0, counts, 1.0)
    assert scoring.count_cos(Counter(x=2), 2.0, counts, 0.0) == 0.0
