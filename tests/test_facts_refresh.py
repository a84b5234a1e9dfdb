"""Large stories get their facts when they have grown, and every story has them at the end.

A story's facts are recomputed from all its claims; for a large story that is done when it has
grown by half, and once more when the run ends (`Writer.finish`). On a real ECB+ topic,
ingested a few articles at a time with the threshold lowered so that its stories count as
large, the facts stored at the end speak for every article that states a figure, and they are
the facts a single recompute gives.
"""

from __future__ import annotations

import gzip
import json

import storyfold.pipeline.writer as writer_module
from storyfold.model import ValueKind
from storyfold.pipeline import Library
from storyfold.reconcile import reconcile_story


def _docs(shared_data, topics=("3", "7")) -> list[dict]:
    with gzip.open(shared_data / "events" / "ecbplus_docs.jsonl.gz", "rt") as fh:
        rows = [json.loads(x) for x in fh]
    return [
        {"id": r["id"], "title": r["title"], "text": r["text"], "outlet": r["id"]}
        for r in rows
        if str(r["topic"]) in topics
    ]


def test_facts_of_large_stories_cover_every_article_at_the_end(shared_data, tmp_path, monkeypatch):
    monkeypatch.setattr(writer_module, "DEFER_FROM", 3)
    deferred: list[str] = []
    real_due = writer_module.Writer._due

    def due(self, touched):  # watch the deferral happen
        out = real_due(self, touched)
        deferred.extend(sorted(set(touched) - set(out)))
        return out

    monkeypatch.setattr(writer_module.Writer, "_due", due)
    docs = _docs(shared_data)
    with Library(tmp_path / "x.db", batch_size=1, workers=1) as lib:
        lib.ingest_documents(docs)  # one run, an article a batch
        assert deferred, "no story was large enough to wait"
        for story in lib.list_stories(limit=1000):
            brief = lib.brief(story.id)
            stating = {c.article_id for c in brief.claims if c.kind is not ValueKind.NAMES}
            in_facts = {a for f in brief.facts for v in f.supporting + f.conflicting for a in v.article_ids}
            assert in_facts == stating, story.id
            store = lib.store
            fresh = reconcile_story(
                story.id,
                store.story_claims(story.id),
                {a.id: a for a in store.story_heads(story.id)},
                store.story_relations(story.id),
                store.reliability_of(sorted({a.voice for a in store.story_heads(story.id)})),
            )
            assert sorted(f.slot for f in fresh) == sorted(f.slot for f in brief.facts)
