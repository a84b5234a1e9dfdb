"""A story merged into another keeps answering under its old id (CLI, API and web page).

The clusterer here uses a hand-set link model (body cosine only) so that the third article,
made of the first two articles' words, provably bridges their two stories (the arithmetic is
in tests/test_cluster_merge.py).
"""

from __future__ import annotations

from fastapi.testclient import TestClient

import storyfold.pipeline.writer as writer
from storyfold.cluster import ClusterSettings, StoryClusterer
from storyfold.cluster.model import FEATURES, LinkModel
from storyfold.pipeline import Library
from storyfold.present.api import create_app

W_A = "glacier harbour lantern meadow"
W_B = "orchard pilgrim quarry saddle"
W_C = "glacier orchard harbour pilgrim lantern quarry meadow saddle"


def _clusterer() -> StoryClusterer:
    w = [0.0] * len(FEATURES)
    w[FEATURES.index("body_cos")] = 20.0
    return StoryClusterer(ClusterSettings(), LinkModel(tuple(w), -10.0, 0.5, 0.9))


def _doc(words: str) -> dict:
    return {"text": " ".join(f"{words} {i}." for i in range(1, 9)), "lang": "en"}


def test_a_merged_story_id_resolves_to_the_story_it_joined(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "StoryClusterer", _clusterer)
    with Library(tmp_path / "m.db") as lib:
        lib.ingest_documents([_doc(W_A)])
        lib.ingest_documents([_doc(W_B)])
        before = lib.store.story_ids()
        assert len(before) == 2
        lib.ingest_documents([_doc(W_C)])
        after = lib.store.story_ids()
        assert after == before[:1]  # the older story survives
        gone = before[1]
        assert lib.store.story(gone) is None
        assert lib.resolve(gone) == after[0]
        assert lib.resolve("zzz-not-a-story") is None
        with TestClient(create_app(lib)) as c:
            r = c.get(f"/api/stories/{gone}")
            assert r.status_code == 200 and r.json()["story"]["id"] == after[0]
            assert len(r.json()["articles"]) == 3
    with Library(tmp_path / "m.db", readonly=True) as ro:  # kept in the file
        assert ro.resolve(gone) == after[0]
