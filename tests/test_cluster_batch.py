"""`assign_prepared`, with `prepare` computed on worker processes as the ingest does it, decides
exactly what `assign` decides one by one.

A real stream (the first ECB+ topics, in the benchmark's order) with fold relations mixed in
(copies, partial copies, a relation on a headline-only article, one to an unseen article) and an
article sent twice. The articles' stateless part is prepared by a parallel step on the local
executor's worker processes (it crosses back pickled, as in the ingest); the decisions, the
stories, their merges and the document frequencies must be those of `assign`.
"""

from __future__ import annotations

import dataclasses
import os
import pickle

from storyfold.cluster import StoryClusterer
from storyfold.cluster import stories as S
from storyfold.cluster.weigh import prepare
from storyfold.engine import LocalExecutor, Step
from storyfold.model import Relation, RelationKind
from storyfold_eval.datasets import ecbplus


class _Prepare(Step):
    """The article side of clustering alone, as the ingest's `Prepare` step computes it: each
    article becomes (article, its `prepare`, the process that prepared it)."""

    name, parallel = "prepare", True

    def run(self, batch: list) -> list:
        return [(a, prepare(a), os.getpid()) for a in batch]


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


def _same_state(a: StoryClusterer, b: StoryClusterer) -> None:
    assert a.labels() == b.labels()
    assert [s.article_ids for s in a.stories] == [s.article_ids for s in b.stories]
    fa, fb = a._freqs, b._freqs
    assert (fa.n_docs, fa.df, fa.ldf, fa.df_n, fa.df_a) == (fb.n_docs, fb.df, fb.ldf, fb.df_n, fb.df_a)


def test_prepared_on_workers_decides_as_assign_one_by_one(shared_data, monkeypatch):
    arts, rel = _stream(shared_data)
    assert len(arts) > 150
    one = StoryClusterer()
    want = [one.assign(a, rel.get(a.id, ())) for a in arts]

    with LocalExecutor(2) as ex:
        batches = [arts[i : i + 32] for i in range(0, len(arts), 32)]
        done = [x for b in ex.run([_Prepare()], batches) for x in b]
    assert [a for a, _, _ in done] == arts
    assert {pid for _, _, pid in done} - {os.getpid()}  # really prepared on worker processes
    assert [p for _, p, _ in done] == [prepare(a) for a in arts]

    calls = []
    real = S.prepare
    monkeypatch.setattr(S, "prepare", lambda a, e=None: calls.append(a.id) or real(a, e))
    many = StoryClusterer()
    got = [many.assign_prepared(a, p, rel.get(a.id, ())) for a, p, _ in done]
    assert calls == []  # nothing prepared again here
    assert got == want
    _same_state(many, one)
    # the fold relations did decide some joins (score = the relation's), and merges happened
    assert any(a.score == 0.95 for a in got) and any(a.score == 0.6 for a in got)
    assert any(a.merged for a in got)
    assert got[-1] == dataclasses.replace(got[20], score=1.0, new_story=False, merged=())

    # the same clusterer goes on with `assign` afterwards (its state is whole)
    monkeypatch.setattr(S, "prepare", real)
    tail = [g.article for g in ecbplus(shared_data) if int(g.topic) == 9][:20]
    assert [many.assign(a) for a in tail] == [one.assign(a) for a in tail]
    _same_state(many, one)


def test_prepared_and_assign_mixed(shared_data):
    """An article prepared elsewhere (a pickle round trip, what crossing a process does to it)
    and articles assigned here, alternately, decide as `assign` does throughout."""
    arts, rel = _stream(shared_data)
    one = StoryClusterer()
    want = [one.assign(a, rel.get(a.id, ())) for a in arts]
    mixed = StoryClusterer()
    got = [
        mixed.assign_prepared(a, pickle.loads(pickle.dumps(prepare(a))), rel.get(a.id, ()))
        if i % 2
        else mixed.assign(a, rel.get(a.id, ()))
        for i, a in enumerate(arts)
    ]
    assert got == want
    _same_state(mixed, one)
