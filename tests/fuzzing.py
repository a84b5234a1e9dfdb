"""Hostile and odd inputs, generated, and the properties every stage must keep on them.

Shared by the property tests (`test_fuzz.py`, through hypothesis's seeded randoms, a small
profile) and `bench/fuzz_bench.py` (the same generators, 100,000 inputs and more).

The generators mix real news sentences (the seeds) with what breaks parsers: digits of every
script (all of Unicode's Nd), superscripts and circled numbers, fractions, combining marks, bidi
controls, NUL and other controls, lone surrogates, byte-order marks, private-use and unassigned
code points, very long tokens and lines, and containers (HTML, WARC, feeds, JSON) cut short,
nested deep, or with bytes flipped.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

SEED_SENTENCES = [
    "After confirming the birth of the electric car unit, Lei Jun announced that production will begin in the first half of 2024.",
    "Last March, Xiaomi pledged to invest $ 10 billion in a new automotive business over ten years.",
    "Le groupe a annoncé un investissement de 3,2 milliards d'euros au premier semestre 2024.",
    "Die Produktion soll im ersten Halbjahr 2024 beginnen, sagte der Konzernchef am Dienstag.",
    "小米宣布将投资10亿美元，2024年上半年开始生产。",
    "Компания инвестирует 10 млрд долларов в течение десяти лет.",
    "أعلنت الشركة عن استثمار 10 مليارات دولار في 2024.",
    "कंपनी ने 5 लाख रुपये और 2 करोड़ रुपये के निवेश की घोषणा की।",
    "The union said 1,800 members joined the strike and asked for a 6% pay rise.",
    "Search Search Menu add a comment Copyright 2024 All rights reserved.",
    "ŞİRKET 5 MİLYAR DOLAR YATIRIM YAPTI; SANTRAL 35 GİGAWATT, BİNA 35 METRE.",
]

_ND = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"]
_ODD = [
    "¹²³⁴",
    "10³",
    "①②⑩",
    "½ ¾ ⅞",
    "Ⅻ",
    "\u0301\u0308\u20dd",
    "\u202e\u2066\u2069\u200f",
    "\u200b\u200d\ufeff",
    "\x00",
    "\x07\x1b[31m",
    "\r\n\r",
    "\u2028\u2029",
    "\ud800",
    "\udfff",
    "\U0010fffd",
    "\ue000",
    "\U000e0001",
    "%",
    "٪",
    "$€£¥₹₩",
    "1e400",
    "9" * 400,
    "-0",
    "0x1F",
    "３，２００万円",
    "۸۲۰٬۰۰۰",
    "৮২০০০০",
    "十万",
    "2040 万人",
    "Q3 2024",
    "<script>alert(1)</script>",
    "&amp;&#0;&#x110000;",
    "\\u0000",
    "　",
]


def odd_token(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return "".join(rng.choice(_ND) for _ in range(rng.randint(1, 12)))
    if roll < 0.6:
        return rng.choice(_ODD)
    if roll < 0.8:
        return "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 8)))
    return (
        "".join(rng.choice(_ND)) + rng.choice([".", ",", "٫", " ", "%", " million", " mld"]) + rng.choice(_ND)
    )


def hostile_text(rng: random.Random, max_sentences: int = 12) -> str:
    """Real sentences with odd tokens spliced in and around them, sometimes huge."""
    parts: list[str] = []
    for _ in range(rng.randint(0, max_sentences)):
        words = rng.choice(SEED_SENTENCES).split(" ")
        for _ in range(rng.randint(0, 4)):
            words.insert(rng.randint(0, len(words)), odd_token(rng))
        sentence = " ".join(words)
        if rng.random() < 0.1:  # in capitals, with Turkish's dotted capital I among them
            sentence = sentence.upper().replace("I", "İ") if rng.random() < 0.5 else sentence.upper()
        parts.append(sentence)
        if rng.random() < 0.2:
            parts.append("\n\n")
    text = " ".join(parts)
    if rng.random() < 0.02:
        text += " " + "x" * rng.choice([10_000, 300_000])  # one endless token
    if rng.random() < 0.02:
        text = (text + "\n") * rng.randint(50, 400)  # a long, repetitive document
    return text


def encodable(text: str) -> str:
    """The text as a file could hold it: lone surrogates cannot be written in UTF-8."""
    return text.encode("utf-8", "replace").decode("utf-8")


# ---------------------------------------------------------------------- containers


def _html(rng: random.Random, text: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    page = (
        f"<!doctype html><html><head><meta charset=utf-8><title>{text[:60]}</title></head>"
        f"<body><nav>Search Search</nav><article>{paras}</article><footer>add a comment</footer></body></html>"
    )
    if rng.random() < 0.2:
        depth = rng.choice([300, 3000, 30000])
        page = page.replace("<article>", "<article>" + "<div>" * depth, 1)
    if rng.random() < 0.1:
        page = page.replace("<p>", "<p><script>document.write('x')</script><img src=x onerror=alert(1)>")
    return page


def _warc(rng: random.Random, text: str) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=rng.random() < 0.7)
    for i in range(rng.randint(1, 3)):
        ctype = rng.choice(
            ["text/html; charset=utf-8", "text/html; charset=latin-1", "image/png", "text/html"]
        )
        headers = StatusAndHeaders(
            rng.choice(["200 OK", "404 Not Found"]), [("Content-Type", ctype)], protocol="HTTP/1.1"
        )
        payload = _html(rng, text).encode("utf-8", "replace")
        writer.write_record(
            writer.create_warc_record(
                f"https://n.example/{i}", "response", payload=io.BytesIO(payload), http_headers=headers
            )
        )
    return buf.getvalue()


def _feed(rng: random.Random, text: str) -> str:
    esc = text.replace("&", "&amp;").replace("<", "&lt;")
    items = "".join(
        f"<item><guid>urn:x:{i}</guid><title>{esc[:40]}</title><description>{esc}</description>"
        f"<pubDate>{rng.choice(['Tue, 19 Oct 2021 10:00:00 GMT', 'yesterday', '31 Feb 2024', ''])}</pubDate></item>"
        for i in range(rng.randint(0, 3))
    )
    if rng.random() < 0.5:
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>{items}</feed>'


def _jsonl(rng: random.Random, text: str) -> str:
    lines = []
    for i in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.5:
            rec: Any = {
                "id": i,
                "text": text,
                "date": rng.choice(["2024-01-02", "not a date", 12, None, "9999-99-99"]),
            }
            lines.append(json.dumps(rec, ensure_ascii=rng.random() < 0.5))  # \ud800 escapes too
        elif roll < 0.6:
            lines.append("[" * rng.choice([65, 1000, 100_000]) + "]" * rng.randint(0, 10))
        elif roll < 0.7:
            lines.append(json.dumps({"id": i, "text": {"nested": [text]}, "title": ["a", 1]}))
        elif roll < 0.8:
            lines.append(json.dumps({"id": i, "html": _html(rng, text)}))
        elif roll < 0.9:
            lines.append('{"id": 1, "text": "' + text[:50])  # cut mid-string
        else:
            lines.append(json.dumps(text))
    return "\n".join(lines) + rng.choice(["\n", ""])


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Cut short, flip bytes, or insert junk: what transfers and disks do to files."""
    if not data:
        return data
    roll = rng.random()
    if roll < 0.3:
        return data[: rng.randint(0, len(data))]
    if roll < 0.5:
        b = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if roll < 0.6:
        at = rng.randint(0, len(data))
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 300))) + data[at:]
    return data


SUFFIXES = (".txt", ".html", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".xml", ".rss", "")


def hostile_file(rng: random.Random) -> tuple[str, bytes]:
    """(suffix, bytes): a file of one of the formats storyfold reads, often broken."""
    text = hostile_text(rng)
    suffix = rng.choice(SUFFIXES)
    charset = rng.choice(["utf-8", "utf-16", "gb18030", "cp1251", "latin-1"])
    if suffix == ".txt" or suffix == "":
        data = text.encode(charset, "replace")
        if rng.random() < 0.1:
            data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 5000)))
    elif suffix == ".html":
        data = _html(rng, text).encode(charset, "replace")
    elif suffix.startswith(".jsonl"):
        data = _jsonl(rng, text).encode("utf-8", "replace")
    elif suffix.startswith(".warc"):
        data = _warc(rng, text)
    else:
        data = _feed(rng, text).encode("utf-8", "replace")
    if suffix.endswith(".gz") and not suffix.startswith(".warc"):
        data = gzip.compress(data)
    return suffix, mutate(rng, data)


def hostile_document(rng: random.Random, i: int) -> dict[str, Any]:
    """A document as a caller POSTs it or writes it in JSONL (text may hold lone surrogates)."""
    doc: dict[str, Any] = {"id": f"d{i}"}
    roll = rng.random()
    if roll < 0.75:
        doc["text"] = hostile_text(rng)
    elif roll < 0.9:
        doc["html"] = _html(rng, hostile_text(rng))
    else:
        doc["title"] = hostile_text(rng, 1)
    if rng.random() < 0.5:
        doc["outlet"] = rng.choice(["Wire", "Daily \u202eemaN", "", "x" * 500, "\x00"])
    if rng.random() < 0.5:
        doc["date"] = rng.choice(["2024-03-01", "01/02/03", "\u0661\u0669\u0668\u0664-01-01", "0000-00-00"])
    if rng.random() < 0.3:
        doc["lang"] = rng.choice(["en", "zz", "zh-Hant", "", "ar"])
    return doc


# ---------------------------------------------------------------------- properties


def check_text_functions(text: str) -> None:
    """Every text-level function returns its type on any text; claims point into the text."""
    from storyfold.claims import extract_claims
    from storyfold.fold import anchor_keys, anchors
    from storyfold.ingest.clean import clean_text
    from storyfold.ingest.meta import detect_lang, parse_date
    from storyfold.model import Article

    a = anchors(text)
    assert all(isinstance(x, str) for x in a)
    assert all(isinstance(k, str) for k in anchor_keys(a))
    cleaned = clean_text(text)
    assert isinstance(cleaned.text, str)
    assert isinstance(detect_lang(text), str)
    d = parse_date(text[:40])
    assert d is None or isinstance(d, date)
    for lang in ("en", "fr", "zh", "ar"):
        art = Article(id="f", source="fuzz", title="", text=text, lang=lang)
        for c in extract_claims(art):
            assert 0 <= c.start <= c.end <= len(text), c
            assert text[c.start : c.end] == c.surface, c


def check_reader(path: Path) -> list[Any]:
    """A reader never raises: every item is a document or one error line naming this file."""
    from storyfold.ingest import Ingestor, read_inputs
    from storyfold.model import Article, RawDocument, Rejection

    items = list(read_inputs([path]))
    assert items, "an input must be accounted for"
    ingestor = Ingestor()
    for it in items:
        assert isinstance(it, RawDocument | Rejection), it
        assert it.source.startswith(str(path)), it.source
        if isinstance(it, Rejection):
            assert "\n" not in it.message and it.message, it
        else:
            got = ingestor.article(it)
            assert isinstance(got, Article | Rejection), got
    return items


def check_pipeline(lib_factory: Callable[[], Any], docs: list[dict[str, Any]]) -> dict[str, int]:
    """Through the whole flow: every document accounted for, nothing lost, nothing doubled, and
    a second run adds nothing."""
    with lib_factory() as lib:
        first = lib.ingest_documents(docs)
        assert first["read"] == len(docs) == first["added"] + first["skipped"] + first["rejected"], first
        n_articles = lib.store.count("articles")
        made = {r["article_id"] for r in first["inputs"] if r["status"] == "article"}
        assert len(made) == first["added"]
        second = lib.ingest_documents(docs)
        assert second["added"] == 0, second
        assert second["read"] == second["skipped"] + second["rejected"]
        assert lib.store.count("articles") == n_articles
        stored = {a.id for a, _ in lib.store.iter_articles()}
        assert made <= stored
        story_of = {a.id: s for a, s in lib.store.iter_articles()}
        assert all(story_of[a] for a in made)  # every article is in a story
        return {"read": first["read"], "added": first["added"], "rejected": first["rejected"]}
