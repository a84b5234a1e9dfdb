"""Every input accounted for: what each input became, under the caller's own id, through the
store, the export and the API; odd inputs beside good ones never cost more than themselves."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyfold.cli import app
from storyfold.ingest.readers import read_inputs
from storyfold.model import RawDocument, Rejection
from storyfold.pipeline import Library
from storyfold.present.api import create_app

TOKEN = "t0ken-for-tests"


def _seed_texts(seeds_dir: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    assert len(texts) == 5
    return texts


def _records(seeds_dir: Path) -> list[str]:
    """A caller's JSONL: the five seeds under their own ids, one of them twice (same line under
    another id, and the same text from another line), a title-only record, a line nested far
    too deep, binary junk, and a good record after all of them."""
    texts = _seed_texts(seeds_dir)
    lines = [json.dumps({"id": f"rec-{i}", "text": t, "outlet": f"outlet {i}"}) for i, t in enumerate(texts)]
    lines.append(lines[0])  # the very same line again
    lines.append(json.dumps({"id": "rec-0-again", "text": texts[0], "outlet": "outlet 0"}))
    lines.append(json.dumps({"id": "title-only", "title": "Xiaomi to build cars"}))
    lines.append("[" * 100_000)
    lines.append("\x00\x01\x02 junk \xff")
    lines.append(
        json.dumps({"id": "last", "text": texts[1].replace("Xiaomi", "Xiaomi Corp."), "outlet": "o9"})
    )
    return lines


def test_every_jsonl_line_is_an_article_a_duplicate_or_a_rejection_with_its_id(tmp_path, seeds_dir):
    src = tmp_path / "feed.jsonl"
    src.write_text("\n".join(_records(seeds_dir)) + "\n", encoding="utf-8")
    with Library(tmp_path / "t.db", workers=1) as lib:
        report = lib.ingest([src])
        assert report.read == 11
        assert report.read == report.added + report.skipped + report.rejected
        assert (report.added, report.skipped, report.rejected) == (6, 2, 3)
        rows = {r.source.rsplit(" ", 1)[-1]: r for r in lib.store.iter_inputs()}
        assert len(rows) == 11  # the two copies are two inputs, each with its own row
        by_id = {r.input_id: r for n, r in rows.items() if r.input_id and n != "6"}  # 6 repeats 1's id
        made = {a.input_id: a.id for a, _ in lib.store.iter_articles()}
        assert set(made) == {"rec-0", "rec-1", "rec-2", "rec-3", "rec-4", "last"}
        for rid, aid in made.items():
            assert by_id[rid].status == "article" and by_id[rid].article_id == aid
        # line 6 repeats line 1's bytes; line 7 is line 1's article from other bytes
        assert rows["6"].status == "duplicate" and rows["6"].article_id == made["rec-0"]
        assert by_id["rec-0-again"].status == "duplicate" and by_id["rec-0-again"].article_id == made["rec-0"]
        assert "same article" in (by_id["rec-0-again"].reason or "")
        assert by_id["title-only"].status == "rejected" and "only a title" in (
            by_id["title-only"].reason or ""
        )
        assert rows["9"].status == "rejected" and "nested more than" in (rows["9"].reason or "")
        assert rows["10"].status == "rejected"
        first = [(r.source, r.status, r.article_id, r.reason) for r in lib.store.iter_inputs()]

        again = lib.ingest([src])  # idempotent: nothing new, every row as it was
        assert (again.read, again.added, again.rejected) == (11, 0, 3)
        assert [(r.source, r.status, r.article_id, r.reason) for r in lib.store.iter_inputs()] == first
        assert lib.store.count("articles") == 6


def test_export_has_one_input_record_per_input_and_articles_carry_the_callers_id(tmp_path, seeds_dir):
    src = tmp_path / "feed.jsonl"
    src.write_text("\n".join(_records(seeds_dir)) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(src), "--db", str(db), "--quiet", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "11 inputs read: 6 articles added, 2 already stored, 3 rejected" in " ".join(res.stdout.split())
    out = tmp_path / "inputs.jsonl"
    res = runner.invoke(app, ["export", "--db", str(db), "--out", str(out), "--inputs"])
    assert res.exit_code == 0, res.output
    inputs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(inputs) == 11 and {r["type"] for r in inputs} == {"input"}
    assert [r["status"] for r in inputs].count("article") == 6

    full = tmp_path / "all.jsonl"
    assert runner.invoke(app, ["export", "--db", str(db), "--out", str(full)]).exit_code == 0
    records = [json.loads(line) for line in full.read_text(encoding="utf-8").splitlines()]
    articles = [r for r in records if r["type"] == "article"]
    assert sorted(a["input_id"] for a in articles) == ["last", "rec-0", "rec-1", "rec-2", "rec-3", "rec-4"]
    assert sum(r["type"] == "input" for r in records) == 11
    # an input that duplicates an article joins back to an exported article
    ids = {a["id"] for a in articles}
    assert all(r["article_id"] in ids for r in records if r["type"] == "input" and r["status"] == "duplicate")


def test_files_below_a_folder_are_known_by_their_relative_path(tmp_path, seeds_dir):
    texts = _seed_texts(seeds_dir)
    (tmp_path / "in" / "wire").mkdir(parents=True)
    (tmp_path / "in" / "wire" / "a.txt").write_text(texts[0], encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(texts[2], encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    items = list(read_inputs([tmp_path / "in"]))
    ids = sorted((x.input_id or "") for x in items)
    assert ids == ["b.txt", "empty.txt", "wire/a.txt"]
    assert isinstance(next(x for x in items if x.input_id == "empty.txt"), Rejection)


def _warc(html: bytes, n: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(n):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/{i}", "response", payload=io.BytesIO(html), http_headers=headers
            )
        )
    return buf.getvalue()


def test_warc_records_keep_their_record_id_and_a_cut_file_says_it_is_truncated(tmp_path, seeds_dir):
    text = _seed_texts(seeds_dir)[3]
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    html = f"<html><head><title>t</title></head><body><article>{paras}</article></body></html>".encode()
    data = _warc(html, 3)
    whole = tmp_path / "crawl.warc.gz"
    whole.write_bytes(data)
    docs = list(read_inputs([whole]))
    assert all(isinstance(d, RawDocument) for d in docs) and len(docs) == 3
    assert all((d.input_id or "").startswith("<urn:uuid:") for d in docs)
    assert len({d.input_id for d in docs}) == 3

    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - len(data) // 5])
    got = list(read_inputs([cut]))
    errors = [g for g in got if isinstance(g, Rejection)]
    assert errors, got
    assert all("truncated" in e.message for e in errors), errors
    assert sum(isinstance(g, RawDocument) for g in got) >= 1  # what came before the cut is kept


def test_feed_entries_keep_their_guid(tmp_path, seeds_dir):
    text = _seed_texts(seeds_dir)[4]
    body = "".join(
        f"&lt;p&gt;{p.replace('&', '&amp;').replace('<', '&lt;')}&lt;/p&gt;" for p in text.split("\n\n")
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><guid>urn:wire:42</guid><title>One</title><description>{body}</description></item>"
        "<item><guid>urn:wire:43</guid><title>Empty</title></item>"
        "</channel></rss>"
    )
    path = tmp_path / "wire.rss"
    path.write_text(feed, encoding="utf-8")
    got = list(read_inputs([path]))
    assert [g.input_id for g in got] == ["urn:wire:42", "urn:wire:43"]
    assert isinstance(got[1], Rejection)


@pytest.fixture
def served(tmp_path, seeds_dir):
    db = tmp_path / "api.db"
    with Library(db, workers=1) as lib:
        lib.ingest([seeds_dir])
        with TestClient(create_app(lib, token=TOKEN)) as client:
            yield lib, client


def test_api_refuses_deep_json_with_400_and_answers_per_document(served, seeds_dir):
    lib, client = served
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/articles", content=b"[" * 100_000, headers=auth)
    assert r.status_code == 400 and "nested" in r.json()["detail"]
    r = client.post("/api/articles", content=b'{"documents": [' + b"{" * 5000 + b"]}", headers=auth)
    assert r.status_code == 400
    r = client.post("/api/articles", content=b"\xff\xfe not utf-8", headers=auth)
    assert r.status_code == 400

    texts = _seed_texts(seeds_dir)
    docs = [
        {"id": "mine-1", "text": texts[0]},  # the seed text again, now under no outlet of its own
        {"id": "mine-2", "title": "no text"},
        {"id": 7, "text": texts[2].replace("2024", "2026"), "outlet": "Other Outlet"},
    ]
    r = client.post("/api/articles", json={"documents": docs}, headers=auth)
    assert r.status_code == 200
    body = r.json()
    assert body["read"] == 3 == body["added"] + body["skipped"] + body["rejected"]
    status = {d["input_id"]: d["status"] for d in body["inputs"]}
    assert status["mine-2"] == "rejected" and status["7"] == "article"


def test_api_says_ambiguous_for_a_short_prefix_and_never_shows_server_paths(served):
    lib, client = served
    ids = lib.store.story_ids()
    assert ids
    full = client.get(f"/api/stories/{ids[0]}")
    assert full.status_code == 200
    for a in full.json()["articles"]:
        assert "/" not in a["source"], a["source"]
    art = client.get(f"/api/articles/{full.json()['articles'][0]['id']}").json()
    assert "/" not in art["source"]
    r = client.get("/api/stories/s")  # every story id starts with "s"
    if len(ids) > 1:
        assert r.status_code == 409 and "several" in r.json()["detail"]
        assert client.get("/stories/s").status_code == 409
    else:
        assert r.status_code == 200
    assert client.get("/api/stories/zz-none").status_code == 404


def test_api_ambiguity_with_two_stories(tmp_path, seeds_dir):
    texts = _seed_texts(seeds_dir)
    other = (
        "date 2025-02-03 Dock workers at the port of Valmere walked out on Monday, halting container "
        "traffic.\n\nThe union said 1,800 members joined the strike and asked for a 6% pay rise.\n\n"
        "The port authority said losses could reach 40 million euros a week."
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_text(texts[0], encoding="utf-8")
    (tmp_path / "in" / "port.txt").write_text(other, encoding="utf-8")
    with Library(tmp_path / "two.db", workers=1) as lib:
        lib.ingest([tmp_path / "in"])
        assert len(lib.store.story_ids()) == 2
        with TestClient(create_app(lib)) as client:
            r = client.get("/api/stories/s")
            assert r.status_code == 409
            assert all(sid in r.json()["detail"] for sid in lib.store.story_ids())


def test_serve_warns_that_a_command_line_token_shows_in_ps(tmp_path, monkeypatch):
    import storyfold.present.api as api

    monkeypatch.setattr(api, "serve", lambda *a, **k: None)  # do not bind a port
    db = tmp_path / "s.db"
    Library(db).close()
    res = CliRunner().invoke(app, ["serve", "--db", str(db), "--token", "abc"])
    assert res.exit_code == 0, res.output
    assert "STORYFOLD_TOKEN" in res.output and "ps" in res.output


def test_a_gzip_jsonl_cut_mid_line_keeps_the_lines_before(tmp_path, seeds_dir):
    lines = _records(seeds_dir)[:5]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) * 3 // 4])
    got = list(read_inputs([tmp_path / "cut.jsonl.gz"]))
    assert isinstance(got[-1], Rejection) and "truncated" in got[-1].message
    assert sum(isinstance(g, RawDocument) for g in got) >= 1


def test_a_copy_of_an_input_rejected_in_an_earlier_batch_says_why(tmp_path):
    """A copy (same text, same outlet) known while its original's batch was still in flight,
    and that original rejected when its batch was written: the copy is rejected for the
    original's reason, not a vague one. (Which batch a copy lands in depends on how far the
    workers run ahead, so the writer is given the two batches directly.)"""
    from storyfold.pipeline.item import Item, Status

    def item(n: int) -> Item:
        raw = RawDocument(f"in.jsonl:line {n}", "jsonl", f"line {n}".encode(), {"id": f"r{n}"})
        return Item(raw, sha1=f"{n:040x}", article_id="same-text-same-outlet")

    with Library(tmp_path / "c.db", workers=1) as lib:
        writer = lib.writer
        writer.begin_run()
        original, copy = item(1), item(2)
        original.reject("no article text (12 characters after cleaning)")
        writer._orphan_copies([original])
        copy.status = Status.KNOWN
        writer._orphan_copies([copy])
    assert copy.status is Status.REJECTED and copy.error is not None
    assert copy.error.message.endswith("no article text (12 characters after cleaning)")
