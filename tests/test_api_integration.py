"""The HTTP API and web page over a real database: read the seeds' story, write with a token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from storyfold.pipeline import Library
from storyfold.present.api import create_app

TOKEN = "s3cret-token"


@pytest.fixture()
def client(tmp_path, seeds_dir):
    lib = Library(tmp_path / "api.db")
    lib.ingest([seeds_dir])
    with TestClient(create_app(lib, token=TOKEN)) as c:
        yield c
    lib.close()


def test_list_and_read_a_story(client):
    stories = client.get("/api/stories").json()
    items = stories["stories"] if isinstance(stories, dict) else stories
    assert len(items) == 1
    sid = items[0]["id"]
    brief = client.get(f"/api/stories/{sid}").json()
    assert len(brief["articles"]) == 5
    assert client.get("/api/stories/does-not-exist").status_code == 404
    page = client.get(f"/stories/{sid}")
    assert page.status_code == 200 and "Xiaomi" in page.text
    assert "content-security-policy" in {k.lower() for k in page.headers}


def test_search_finds_the_story_by_a_french_word(client):
    items = client.get("/api/stories", params={"q": "semestre"}).json()["stories"]
    assert len(items) == 1
    assert client.get("/api/stories", params={"q": "zyxwvut"}).json()["stories"] == []
    # full-text syntax in a user's query is taken as words, never an error
    for q in ('"semestre', "semestre OR", "NEAR(x y", "*", "semestre -", "sem*"):
        r = client.get("/api/stories", params={"q": q})
        assert r.status_code == 200, q


def test_writes_need_the_token_and_hostile_text_is_escaped(client):
    doc = {
        "title": "<script>alert('x')</script> Harbour strike",
        "text": "Dock workers at Valmere struck on Monday; 1,800 joined. <img src=x onerror=alert(1)> "
        "The union wants a 6% rise.",
        "outlet": "Evil Gazette",
        "date": "2025-02-03",
    }
    missing = client.post("/api/articles", json=[doc])
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    bad = client.post("/api/articles", json=[doc], headers={"Authorization": "Bearer wrong"})
    assert bad.status_code == 401
    assert len(client.get("/api/stories").json()["stories"]) == 1  # refused posts stored nothing
    ok = client.post("/api/articles", json=[doc], headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["added"] == 1
    items = client.get("/api/stories").json()["stories"]
    assert len(items) == 2
    index = client.get("/").text
    assert "<script>alert" not in index and "<img src=x" not in index
    new = next(s for s in items if "Harbour" in s["title"])
    page = client.get(f"/stories/{new['id']}").text
    assert "<script>alert" not in page and "<img src=x" not in page


def test_an_oversized_post_is_refused_before_it_is_parsed(client, monkeypatch):
    import storyfold.present.api as api

    monkeypatch.setattr(api, "MAX_BODY", 1000)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = [{"title": "Harbour strike", "text": "Dock workers struck. " * 100}]
    r = client.post("/api/articles", json=big, headers=auth)
    assert r.status_code == 413
    # chunked, with no Content-Length to trust: the stream is still counted
    r = client.post("/api/articles", content=iter([b"[", b" " * 2000, b"]"]), headers=auth)
    assert r.status_code == 413
    assert len(client.get("/api/stories").json()["stories"]) == 1  # nothing was stored


def test_an_internal_error_keeps_the_security_headers():
    class Broken:
        def list_stories(self, **_kw):
            raise RuntimeError("disk on fire at /secret/path")

    with TestClient(create_app(Broken()), raise_server_exceptions=False) as c:
        r = c.get("/api/stories")
    assert r.status_code == 500
    assert "/secret/path" not in r.text and "disk on fire" not in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_server_writes_through_its_own_writer_process(tmp_path, seeds_dir):
    """With a token the server writes in a process of its own that holds the database's writer
    lock: posts land, reads see them, another writer is refused, nothing is left running."""
    import multiprocessing

    from storyfold.pipeline.remote import WriterProcess
    from storyfold.store import WriterBusy

    db = tmp_path / "w.db"
    before = set(multiprocessing.active_children())
    writer = WriterProcess(db, workers=2)  # its own workers, under the server
    try:
        with pytest.raises(WriterBusy):
            Library(db)  # the child holds the lock
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("0*.txt"))]
        with TestClient(create_app(writer, token=TOKEN)) as c:
            auth = {"Authorization": f"Bearer {TOKEN}"}
            r = c.post("/api/articles", json={"documents": [{"text": t} for t in texts]}, headers=auth)
            assert r.status_code == 200 and r.json()["added"] == 5
            stories = c.get("/api/stories").json()["stories"]
            assert len(stories) == 1 and stories[0]["n_articles"] == 5
    finally:
        writer.close()
    assert not set(multiprocessing.active_children()) - before
    with Library(db) as lib:  # the lock went with the writer process
        assert lib.store.count("articles") == 5
