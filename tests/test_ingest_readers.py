"""Readers on small fixtures of our own: each format, and bad inputs beside good ones."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest

from storyfold.ingest import Ingestor, IngestSettings, read_inputs
from storyfold.model import Article, RawDocument, Rejection

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _split(items):
    items = list(items)
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, Rejection)]
    return docs, errors


def _articles(paths):
    ing = Ingestor()
    docs, errors = _split(read_inputs(paths))
    arts = [ing.article(d) for d in docs]
    assert all(isinstance(a, Article) for a in arts), arts
    return {a.source.rsplit("/", 1)[-1]: a for a in arts}, errors


def _assert_one_line(err: Rejection, name: str) -> None:
    s = str(err)
    assert "\n" not in s and s.startswith(err.source) and name in err.source, s


def test_plain_text_file_date_header_chrome_and_title():
    arts, errors = _articles([FIXTURES / "ferry.txt"])
    assert not errors
    a = arts["ferry.txt"]
    assert a.published == date(2024, 5, 14)
    assert a.lang == "en"
    assert a.title == "Nordlys Line orders two electric ferries for the Kattegat route"
    assert not a.text.startswith("date")
    assert a.text.count("Nordlys Line orders two electric ferries") == 1  # repeated headline collapsed
    for chrome in ("Share this article", "Photo credit", "Read more", "Advertisement"):
        assert chrome not in a.text, chrome
    assert "Will ticket prices rise?" in a.text  # a question subheading is content
    assert "unchanged until at least 2026." in a.text
    assert all(p == p.strip() for p in a.paragraphs) and "\n\n\n" not in a.text


def test_jsonl_missing_fields_html_field_and_bad_lines():
    arts, errors = _articles([FIXTURES / "articles.jsonl"])
    assert sorted(arts) == ["articles.jsonl:line 1", "articles.jsonl:line 2", "articles.jsonl:line 5"]
    first = arts["articles.jsonl:line 1"]
    assert (first.title, first.outlet, first.lang) == (
        "Old bridge reopens after repairs",
        "Valmere Courier",
        "en",
    )
    assert first.published == date(2024, 3, 2)
    second = arts["articles.jsonl:line 2"]  # only url and text: the rest is derived
    assert second.lang == "fr" and second.outlet == "journal-de-lisse.example" and second.published is None
    assert second.title.startswith("Le vieux pont de pierre")
    from_html = arts["articles.jsonl:line 5"]
    assert "<p>" not in from_html.text and "90,000 euros" in from_html.text
    assert sorted(e.source.rsplit(":", 1)[-1] for e in errors) == ["line 3", "line 6"]
    for e in errors:
        _assert_one_line(e, "articles.jsonl")


def test_html_page_drops_nav_footer_cookies_and_scripts():
    arts, errors = _articles([FIXTURES / "page.html"])
    assert not errors
    a = arts["page.html"]
    assert a.lang == "es" and a.outlet == "Diario del Olivar" and a.published == date(2023, 11, 8)
    assert "La cosecha de aceituna cae un 30% en Jaén" in a.title
    assert "350.000 toneladas" in a.text and "40 millones de euros" in a.text
    for junk in (
        "Inicio",
        "Usamos cookies",
        "Noticias relacionadas",
        "derechos reservados",
        "alert(",
        "inyectado",
        "evil",
    ):
        assert junk not in a.text, junk
    assert len(a.paragraphs) >= 4


def _warc_bytes(html: bytes) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://www.diario-olivar.example/campo/cosecha",
            "response",
            payload=io.BytesIO(html),
            http_headers=headers,
        )
    )
    img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://www.diario-olivar.example/logo.png",
            "response",
            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200)),
            http_headers=img,
        )
    )
    text = "Un texto de conversión sobre la cosecha de aceituna, con frases completas y suficiente longitud para contar.".encode()
    writer.write_record(
        writer.create_warc_record(
            "https://www.diario-olivar.example/campo/cosecha",
            "conversion",
            payload=io.BytesIO(text),
            warc_content_type="text/plain",
        )
    )
    return buf.getvalue()


def test_warc_html_response_and_text_conversion_records(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc_bytes((FIXTURES / "page.html").read_bytes()))
    docs, errors = _split(read_inputs([path]))
    assert not errors
    assert [d.source.rsplit("#", 1)[-1] for d in docs] == ["record 1", "record 3"]  # the PNG is skipped
    assert [d.format for d in docs] == ["html", "text"]
    art = Ingestor().article(docs[0])
    assert isinstance(art, Article) and art.url == "https://www.diario-olivar.example/campo/cosecha"
    assert "350.000 toneladas" in art.text and art.raw_sha1 is not None


def test_rss_and_atom_feeds():
    arts, errors = _articles([FIXTURES / "feed.rss", FIXTURES / "feed.atom"])
    assert not errors
    assert sorted(arts) == ["feed.atom#entry 1", "feed.rss#entry 1", "feed.rss#entry 2"]
    rss = arts["feed.rss#entry 2"]
    assert rss.title == "Fish market moves to the east quay" and rss.outlet == "Harbour Gazette"
    assert rss.published == date(2024, 4, 10) and rss.lang == "en"
    assert rss.url == "https://harbour-gazette.example/2024/04/fish-market"
    assert "<p>" not in rss.text and len(rss.paragraphs) == 2
    atom = arts["feed.atom#entry 1"]
    assert atom.lang == "de" and atom.published == date(2024, 1, 19) and "28 Millionen Euro" in atom.text


def test_ids_are_stable_when_reading_again():
    first, _ = _articles([FIXTURES])
    second, _ = _articles([FIXTURES])
    assert {k: a.id for k, a in first.items()} == {k: a.id for k, a in second.items()}
    assert len({a.id for a in first.values()}) == len(first)


GOOD = "The council of Ostrel approved a new tram line on Monday, with 14 stops and a budget of 210 million euros."


@pytest.fixture
def batch(tmp_path):
    """One good file, then one bad input of each kind, then another good file."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "junk.bin").write_bytes(bytes(range(256)) * 64)
    (d / "latin1.txt").write_bytes(
        (
            "Le conseil d'Ostrel a approuvé lundi une nouvelle ligne de tramway, "
            "avec 14 arrêts et un budget de 210 millions d'euros. Élus et habitants étaient présents."
        ).encode("latin-1")
    )
    (d / "truncated.txt.gz").write_bytes(gzip.compress(GOOD.encode() * 20)[:30])
    (d / "broken.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\n<html>cut"
    )
    (d / "broken.rss").write_bytes(b"<?xml version='1.0'?><rss><channel><title>x</title><item><title>t</ti")
    big = d / "huge.txt"
    with big.open("wb") as f:
        line = b"A log line that goes on and on without being an article at all.\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    (d / "z_good.txt").write_text(GOOD.replace("Monday", "Tuesday"), encoding="utf-8")
    (d / "README.md").write_text("# about this folder\n", encoding="utf-8")
    (d / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    return d


def test_bad_inputs_each_give_one_error_and_the_batch_goes_on(batch):
    docs, errors = _split(read_inputs([batch]))
    names = [d.source.rsplit("/", 1)[-1] for d in docs]
    assert names == ["a_good.txt", "latin1.txt", "z_good.txt"]  # README.md and hidden files skipped
    by_file: dict[str, list[Rejection]] = {}
    for e in errors:
        by_file.setdefault(Path(e.source.split("#")[0].split(":line")[0]).name, []).append(e)
    assert sorted(by_file) == [
        "broken.rss",
        "broken.warc",
        "empty.txt",
        "huge.txt",
        "junk.bin",
        "truncated.txt.gz",
    ]
    for name, errs in by_file.items():
        assert len(errs) == 1, errs
        _assert_one_line(errs[0], name)
    assert "empty" in by_file["empty.txt"][0].message
    assert "max_bytes" in by_file["huge.txt"][0].message
    assert "gzip" in by_file["truncated.txt.gz"][0].message
    assert "binary" in by_file["junk.bin"][0].message


def test_latin1_text_keeps_its_accents(batch):
    docs, _ = _split(read_inputs([batch / "latin1.txt"]))
    art = Ingestor().article(docs[0])
    assert isinstance(art, Article)
    assert "approuvé" in art.text and "Élus" in art.text and art.lang == "fr"


def test_size_limit_is_a_setting_and_jsonl_lines_are_bounded(tmp_path):
    path = tmp_path / "big.jsonl"
    small = json.dumps({"text": GOOD})
    huge = json.dumps({"text": "word " * 4000})
    path.write_text(f"{small}\n{huge}\n{small.replace('Monday', 'Friday')}\n", encoding="utf-8")
    docs, errors = _split(read_inputs([path], IngestSettings(max_bytes=5000)))
    assert [d.source.rsplit(":", 1)[-1] for d in docs] == ["line 1", "line 3"]
    assert [e.source.rsplit(":", 1)[-1] for e in errors] == ["line 2"]


def test_missing_path_and_too_short_text(tmp_path):
    (tmp_path / "short.txt").write_text("Hello.", encoding="utf-8")
    docs, errors = _split(read_inputs([tmp_path / "nope.txt", tmp_path / "short.txt"]))
    assert len(errors) == 1 and "no such file" in errors[0].message
    res = Ingestor().article(docs[0])
    assert isinstance(res, Rejection) and "short.txt" in str(res)


def test_format_is_sniffed_when_the_name_says_nothing(tmp_path):
    (tmp_path / "page").write_bytes((FIXTURES / "page.html").read_bytes())
    (tmp_path / "news.feed").write_bytes((FIXTURES / "feed.rss").read_bytes())
    (tmp_path / "dump.gz").write_bytes(gzip.compress((FIXTURES / "articles.jsonl").read_bytes()))
    docs, _ = _split(read_inputs([tmp_path]))
    assert {d.source.rsplit("/", 1)[-1].split(":")[0].split("#")[0]: d.format for d in docs} == {
        "page": "html",
        "news.feed": "feed",
        "dump.gz": "jsonl",
    }


def test_a_warc_record_with_a_wrong_length_gives_one_line_not_warcios_five(tmp_path, capfd, caplog):
    """warcio prints a five-line warning to stderr for each record that its Content-Length does
    not end where the next begins; the user gets one line, and what can be read is read."""
    import gzip as gz

    raw = gz.decompress(_warc_bytes((FIXTURES / "page.html").read_bytes()))
    head, sep, rest = raw.partition(b"Content-Length: ")
    length, nl, tail = rest.partition(b"\r\n")
    assert tail[: tail.index(b"\r\n\r\nWARC/1.")].endswith(b"</html>\n")

    def first_length(n: int) -> bytes:
        return head + sep + str(n).encode() + nl + tail

    stray = tmp_path / "stray.warc"  # 8 bytes short: a stray last line, then the next record
    stray.write_bytes(first_length(int(length) - len(b"</html>\n")))
    short = tmp_path / "short.warc"  # 40 bytes short: the rest of the file cannot be read
    short.write_bytes(first_length(int(length) - 40))
    with caplog.at_level("WARNING", logger="storyfold.ingest.readers"):
        docs, errors = _split(read_inputs([stray]))
        assert [d.source.rsplit("#", 1)[-1] for d in docs] == ["record 1", "record 3"] and not errors
        [line] = [r.getMessage() for r in caplog.records]
        assert "stray.warc: 1 WARC record" in line and "Content-Length" in line
        docs, errors = _split(read_inputs([short]))
    assert len(docs) == 1 and [e.message.split(" (")[0] for e in errors] == ["truncated or corrupt WARC"]
    assert "Record not followed by newline" not in capfd.readouterr().err
