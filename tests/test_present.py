"""The present stage on a hand-built brief: Markdown, JSON, export, web page and HTTP API."""

from __future__ import annotations

import json
import re
from datetime import date

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from storyfold.model import (
    Article,
    Bound,
    Claim,
    Fact,
    Relation,
    RelationKind,
    SourceReliability,
    Story,
    StoryBrief,
    TimelineEntry,
    ValueKind,
    Voice,
)
from storyfold.present.api import CSP, create_app
from storyfold.present.export import export_records, write_jsonl, write_parquet
from storyfold.present.html import render_index, render_story
from storyfold.present.report import brief_to_dict, md_escape, render_markdown

EN = "a" * 16
FR = "b" * 16
EVIL = "c" * 16
SID = "s0123456789abcdef"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_SENTENCE = "Output | rose to 9,000 units, see [x](javascript:alert(1)) for more."


def _claim(aid: str, value: float, sentence: str, lang: str, start: int = 0) -> Claim:
    return Claim(
        article_id=aid,
        kind=ValueKind.COUNT,
        value=value,
        unit="employee",
        predicate="employees",
        sentence=sentence,
        start=start,
        end=start + 5,
        surface=sentence[start : start + 5],
        lang=lang,
        subject="Valmere Motors",
        bound=Bound.EQ,
    )


def make_brief() -> StoryBrief:
    en = Article(
        EN,
        "en.txt",
        "Valmere Motors opens plant",
        "Valmere Motors will hire 1,200 employees at its new plant.\n\nProduction starts in 2024-H1.",
        "en",
        date(2024, 1, 10),
        outlet="Harbour Times",
    )
    fr = Article(
        FR,
        "fr.txt",
        "Valmere Motors ouvre une usine",
        "Valmere Motors embauchera 1 200 salariés dans sa nouvelle usine.\n\nLa production démarre au premier semestre 2024.",
        "fr",
        date(2024, 1, 11),
        outlet="Le Quotidien",
    )
    evil = Article(
        EVIL,
        "evil.jsonl:line 1",
        HOSTILE_TITLE,
        "Valmere Motors will hire 900 employees.\n\n" + HOSTILE_SENTENCE,
        "en",
        date(2024, 1, 12),
        outlet="Evil | Gazette",
    )
    c_en = _claim(EN, 1200, "Valmere Motors will hire 1,200 employees at its new plant.", "en", 25)
    c_fr = _claim(FR, 1200, "Valmere Motors embauchera 1 200 salariés dans sa nouvelle usine.", "fr", 26)
    c_evil = _claim(EVIL, 900, "Valmere Motors will hire 900 employees.", "en", 25)
    fact = Fact(
        story_id=SID,
        slot="Valmere Motors|employees|employee",
        subject="Valmere Motors",
        predicate="employees",
        kind=ValueKind.COUNT,
        value=1200,
        unit="employee",
        period=None,
        display=c_en.display(),
        confidence=0.8,
        supporting=(Voice((EN, FR), "Harbour Times", (c_en.id, c_fr.id), c_en.display()),),
        conflicting=(Voice((EVIL,), "Evil | Gazette", (c_evil.id,), c_evil.display()),),
    )
    return StoryBrief(
        story=Story(
            SID,
            "Valmere Motors opens plant",
            (EN, FR, EVIL),
            date(2024, 1, 10),
            date(2024, 1, 12),
            ("en", "fr"),
        ),
        articles=(en, fr, evil),
        relations=(Relation(EN, FR, RelationKind.TRANSLATION, 0.93, "anchors 0.71 / emb 0.90"),),
        facts=(fact,),
        claims=(c_en, c_fr, c_evil),
        timeline=(
            TimelineEntry("2024-H1", "Production starts in 2024-H1.", (EN, FR)),
            TimelineEntry("2024-01", HOSTILE_SENTENCE, (EVIL,)),
        ),
        reliability=(
            SourceReliability("Harbour Times", 0.9, 4, 4),
            SourceReliability("Evil | Gazette", 0.3, 3, 1),
        ),
    )


@pytest.fixture()
def brief() -> StoryBrief:
    return make_brief()


# --------------------------------------------------------------------------- Markdown / JSON


def test_markdown_shows_conflict_relation_and_escapes(brief):
    md = render_markdown(brief)
    assert "# Valmere Motors opens plant" in md
    assert "3 articles" in md and "1 disputed" in md
    assert f"{FR[:8]} (Le Quotidien) is a translation of {EN[:8]} (Harbour Times), score 0.93" in md
    assert "⚠ Evil \\| Gazette says 900 employee" in md
    assert "1,200 employee" in md
    assert "2024-H1" in md
    # hostile text is inert
    assert "<script>" not in md
    assert "](javascript:" not in md
    assert "\\<script\\>" in md
    # every table row keeps its header's column count: no unescaped pipe from article text
    header = None
    for line in md.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        n = len(re.findall(r"(?<!\\)\|", line))
        if header is None:
            header = n
        assert n == header, line


def test_md_escape_flattens_newlines_and_specials():
    assert md_escape("a\nb\r\nc") == "a b c"
    assert md_escape("[x](y)") == "\\[x\\]\\(y\\)"
    assert md_escape("| # ! * _ `") == "\\| \\# \\! \\* \\_ \\`"


def test_brief_to_dict_is_json_ready(brief):
    d = json.loads(json.dumps(brief_to_dict(brief)))
    assert d["story"]["id"] == SID and d["story"]["first_date"] == "2024-01-10"
    assert d["story"]["article_ids"] == [EN, FR, EVIL]
    assert [a["voice"] for a in d["articles"]] == ["Harbour Times", "Le Quotidien", "Evil | Gazette"]
    assert d["relations"][0]["kind"] == "translation"
    fact = d["facts"][0]
    assert fact["disputed"] is True
    assert fact["supporting"][0]["article_ids"] == [EN, FR]
    assert fact["conflicting"][0]["source"] == "Evil | Gazette"
    assert fact["conflicting"][0]["display"] == "900 employee"
    assert {c["kind"] for c in d["claims"]} == {"count"}
    assert d["timeline"][0]["period"] == "2024-H1"
    assert d["reliability"][0]["source"] == "Harbour Times"


# --------------------------------------------------------------------------- export


def test_export_jsonl_and_parquet_agree(brief, tmp_path):
    records = list(export_records([brief]))
    types = [r["type"] for r in records]
    assert types.count("story") == 1 and types.count("article") == 3
    assert {"relation", "claim", "fact"} <= set(types)
    assert all(r["story_id"] == SID for r in records if r["type"] != "story")
    fact = next(r for r in records if r["type"] == "fact")
    assert fact["supporting_article_ids"] == [EN, FR]
    assert fact["conflicting_article_ids"] == [EVIL] and fact["conflicting_values"] == ["900 employee"]
    n = write_jsonl(iter(records), tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert n == len(lines) == len(records)
    m = write_parquet(iter(records), tmp_path / "pq")
    files = sorted(p.name for p in (tmp_path / "pq").glob("*.parquet"))
    assert files == ["article.parquet", "claim.parquet", "fact.parquet", "relation.parquet", "story.parquet"]
    rows = sum(pq.read_table(f).num_rows for f in (tmp_path / "pq").glob("*.parquet"))
    assert m == rows == n
    facts = pq.read_table(tmp_path / "pq" / "fact.parquet").to_pylist()
    assert facts[0]["supporting_article_ids"] == [EN, FR]


# --------------------------------------------------------------------------- web page


def test_web_pages_escape_hostile_text(brief):
    page = render_story(brief)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "Evil | Gazette says 900 employee" in page
    assert "is a translation of" in page
    index = render_index([brief.story], {SID: 1}, {SID: 3}, q='"><script>x</script>')
    assert "<script>x" not in index and "Valmere Motors opens plant" in index


# --------------------------------------------------------------------------- HTTP API


class MemoryLibrary:
    """A test double of the Library's read/write surface, for the HTTP layer only."""

    def __init__(self, brief: StoryBrief) -> None:
        self.briefs = {brief.story.id: brief}
        self.received: list[list[dict]] = []

    def list_stories(self, limit=50, offset=0, q=None):
        # search is the store's (full-text index), tested on a real database in
        # test_api_integration: the double finds nothing for a query
        if q:
            return []
        stories = [b.story for b in self.briefs.values()]
        return stories[offset : offset + limit]

    def brief(self, story_id):
        return self.briefs.get(story_id)

    def resolve(self, ref):
        hits = [s for s in self.briefs if s.startswith(ref)]
        return hits[0] if len(hits) == 1 else None

    def article(self, article_id):
        return next((a for b in self.briefs.values() for a in b.articles if a.id == article_id), None)

    def reliability(self):
        return [r for b in self.briefs.values() for r in b.reliability]

    def article_counts(self, ids):
        return {s: len(self.briefs[s].articles) for s in ids if s in self.briefs}

    def disputed_counts(self, ids):
        return {s: sum(f.disputed for f in self.briefs[s].facts) for s in ids if s in self.briefs}

    def ingest_documents(self, docs):
        self.received.append(list(docs))
        return {"read": len(docs), "added": len(docs), "skipped": 0, "errors": [], "stories_touched": []}


@pytest.fixture()
def lib(brief):
    return MemoryLibrary(brief)


def test_api_reads(lib):
    with TestClient(create_app(lib)) as c:
        r = c.get("/api/stories")
        assert r.status_code == 200
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        [s] = r.json()["stories"]
        assert (
            s["id"] == SID and s["disputed"] == 1 and s["n_articles"] == 3 and s["languages"] == ["en", "fr"]
        )
        brief = c.get(f"/api/stories/{SID}").json()
        assert len(brief["articles"]) == 3 and brief["facts"][0]["disputed"]
        md = c.get(f"/api/stories/{SID}/markdown")
        assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
        assert "is a translation of" in md.text and "<script>" not in md.text
        assert c.get(f"/api/articles/{EN}").json()["voice"] == "Harbour Times"
        assert c.get("/api/sources").json()["sources"][0]["source"] == "Harbour Times"
        for url in ("/api/stories/nope", "/api/stories/nope/markdown", "/api/articles/nope"):
            r = c.get(url)
            assert r.status_code == 404 and "detail" in r.json()
        assert c.get("/healthz").json() == {"status": "ok"}


def test_api_web_pages(lib):
    with TestClient(create_app(lib)) as c:
        index = c.get("/", params={"q": "<b>Valmere"})
        assert index.status_code == 200 and "content-security-policy" in index.headers
        assert "<b>Valmere" not in index.text
        page = c.get(f"/stories/{SID}")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "<script>alert" not in page.text and "Valmere Motors opens plant" in page.text
        assert "<link" not in page.text and "<script" not in page.text
        assert c.get("/stories/nope").status_code == 404


def test_api_writes_need_a_token(lib):
    doc = {"text": "Dock workers struck.", "outlet": "X"}
    with TestClient(create_app(lib)) as c:  # no token configured: read-only
        r = c.post("/api/articles", json=[doc], headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403 and r.json()["detail"] == "read-only server"
    with TestClient(create_app(lib, token="t0ken")) as c:
        assert c.post("/api/articles", json=[doc]).status_code == 401
        assert (
            c.post("/api/articles", json=[doc], headers={"Authorization": "Bearer wrong"}).status_code == 401
        )
        assert (
            c.post("/api/articles", json=[doc], headers={"Authorization": "Basic t0ken"}).status_code == 401
        )
        ok = c.post("/api/articles", json=[doc], headers={"Authorization": "Bearer t0ken"})
        assert ok.status_code == 200 and ok.json()["added"] == 1
        ok = c.post(
            "/api/articles", json={"documents": [doc, doc]}, headers={"Authorization": "Bearer t0ken"}
        )
        assert ok.status_code == 200 and ok.json()["added"] == 2
        bad = c.post("/api/articles", json={"nope": 1}, headers={"Authorization": "Bearer t0ken"})
        assert bad.status_code == 422
    assert [len(d) for d in lib.received] == [1, 2]
