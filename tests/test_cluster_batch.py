"""`assign_many` with a helper process decides exactly what `assign` decides one by one.

A real stream (the first ECB+ topics, in the benchmark's order) with fold relations mixed in
(copies, partial copies, a relation on a headline-only article, one to an unseen article) and an
article sent twice; the helper process must really have done the preparing.
"""

from __future__ import annotations

import dataclasses
import os

from storyfold.cluster import StoryClusterer
from storyfold.cluster import stories as S
from storyfold.cluster.data import ecbplus
from storyfold.model import Relation, RelationKind


def _stream(shared_data):
    arts = [g.article for g in ecbplus(shared_data) if int(g.topic) <= 8]
    rel: dict[str, list[Relation]] = {}
    for i in range(5, len(arts), 9):  # a copy of an article a few places back
        rel[arts[i].id] = [Relation(arts[i - 4].id, arts[i].id, RelationKind.NEAR_DUPLICATE, 0.95)]
    for i in range(7, len(arts), 13):  # a follow-up quoting paragraphs of the previous one
        rel.setdefault(arts[i].id, []).append(Relation(arts[i - 1].id, arts[i].id, RelationKind.PARTIAL, 0.6))
    rel[arts[3].id] = [Relation("never-seen", arts[3].id, RelationKind.DUPLICATE, 1.0)]
    # a headline-only article with a duplicate relation: no shortcut (its "same text" is no text)
    arts[11] = dataclasses.replace(arts[11], text="  ")
    rel[arts[11].id] = [Relation(arts[2].id, arts[11].id, RelationKind.DUPLICATE, 1.0)]
    return [*arts, arts[20]], rel  # the last is a repeat: answered from what is known


def test_assign_many_matches_assign_one_by_one(shared_data, monkeypatch):
    arts, rel = _stream(shared_data)
    assert len(arts) > 150
    one = StoryClusterer()
    want = [one.assign(a, rel.get(a.id, ())) for a in arts]

    calls = []
    real = S.prepare
    monkeypatch.setattr(S, "prepare", lambda a, e=None: calls.append(a.id) or real(a, e))
    many = StoryClusterer()
    got = many.assign_many(arts, rel, workers=2)
    assert calls == []  # every article was prepared in the helper process, none here
    assert got == want
    assert many.labels() == one.labels()
    # the body-term counts this process deferred to the helper came back whole
    assert (many._freqs.df, many._freqs.ldf, many._freqs.df_n) == (
        one._freqs.df,
        one._freqs.ldf,
        one._freqs.df_n,
    )
    assert [s.article_ids for s in many.stories] == [s.article_ids for s in one.stories]
    # the fold relations did decide some joins (score = the relation's), and merges happened
    assert any(a.score == 0.95 for a in got) and any(a.score == 0.6 for a in got)
    assert any(a.merged for a in got)
    assert got[-1] == dataclasses.replace(got[20], score=1.0, new_story=False, merged=())

    # the same clusterer goes on one by one afterwards (its state is whole), and a small batch
    # is prepared in-process
    tail = [g.article for g in ecbplus(shared_data) if int(g.topic) == 9][:20]
    want = [one.assign(a) for a in tail]
    calls.clear()
    assert many.assign_many(tail, workers=2) == want
    assert calls == [a.id for a in tail]


def test_a_batch_stopped_early_leaves_the_state_whole(shared_data):
    arts = [g.article for g in ecbplus(shared_data) if int(g.topic) in (1, 2, 3)]
    one = StoryClusterer()
    want = [one.assign(a) for a in arts]
    many = StoryClusterer()
    it = many.iter_assign(arts, workers=2)
    got = [next(it) for _ in range(70)]
    it.close()  # the helper is stopped; the counts it would have returned are made here
    got += [many.assign(a) for a in arts[70:]]
    assert got == want
    assert many._freqs.df == one._freqs.df and many._freqs.ldf == one._freqs.ldf


def test_a_failing_helper_hands_the_rest_back(shared_data, monkeypatch):
    """An error in the helper (here: only there, halfway) costs nothing but speed:
    this process prepares and weighs from that chunk on, on counts it first catches up."""
    arts = [g.article for g in ecbplus(shared_data) if int(g.topic) in (1, 2, 3)]
    one = StoryClusterer()
    want = [one.assign(a) for a in arts]
    half = len(arts) // 2
    parent, real, here = os.getpid(), S.prepare, []

    def flaky(a, e=None):
        if os.getpid() == parent:
            here.append(a.id)
        elif a.id == arts[half].id:
            raise RuntimeError("helper-only failure")
        return real(a, e)

    monkeypatch.setattr(S, "prepare", flaky)
    many = StoryClusterer()
    assert many.assign_many(arts, workers=2, chunk=32) == want
    # the helper's chunk with the failure is dropped whole: this process did it and all after
    assert here == [a.id for a in arts[half // 32 * 32 :]]
    assert many._freqs.df == one._freqs.df and many._freqs.ldf == one._freqs.ldf
