"""Readers: files and folders in, one RawDocument (or Rejection) per article out.

Each reader streams its container and bounds every article by `IngestSettings.max_bytes`, so a
huge or broken input costs one error line and never stops the batch. The format comes from the
file name (`.gz` is looked through) and, when the name says nothing, from the first bytes.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from storyfold.ingest.decode import NotText, decode_text, looks_binary
from storyfold.ingest.settings import IngestSettings
from storyfold.model import RawDocument, Rejection

log = logging.getLogger(__name__)

Item = RawDocument | Rejection

HINT_KEYS = ("id", "url", "outlet", "lang", "date", "title", "text", "html")

_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".arc": "warc",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}


def one_line(message: str, limit: int = 200) -> str:
    """Error messages are one line: the store and the CLI print them one per input."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error_message(exc: BaseException) -> str:
    if isinstance(exc, EOFError | gzip.BadGzipFile) or "gzip" in type(exc).__name__.lower():
        return one_line(f"truncated or corrupt gzip data ({exc})")
    name = type(exc).__name__
    return one_line(f"{name}: {exc}" if str(exc) else name)


# ------------------------------------------------------------------ walking


def read_inputs(paths: Iterable[str | Path], settings: IngestSettings | None = None) -> Iterator[Item]:
    """Every article of every input, in a deterministic order.

    Folders are walked recursively in sorted order. When walking a folder, hidden files and
    folders, and `README*` / `*.md` files are skipped: they describe a data folder rather than
    belong to it. A file named explicitly is always read, whatever its name.
    """
    settings = settings or IngestSettings()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in _walk(path):
                yield from read_file(f, settings, name=f.relative_to(path).as_posix())
        elif path.exists():
            yield from read_file(path, settings)
        else:
            yield Rejection(str(path), "no such file or directory", input_id=path.name)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.upper().startswith("README") or name.lower().endswith(".md"):
                continue
            yield Path(dirpath) / name


def read_file(path: Path, settings: IngestSettings | None = None, name: str | None = None) -> Iterator[Item]:
    """The articles of one file; any failure becomes one Rejection naming the file.

    `name` is the file's path relative to the folder it was found in (its own name when it was
    named explicitly): the caller's id of a one-article file, stable wherever the folder lives."""
    settings = settings or IngestSettings()
    source = str(path)
    name = name or path.name
    produced = False
    try:
        if not path.is_file():
            yield Rejection(source, "not a regular file", input_id=name)
            return
        if path.stat().st_size == 0:
            yield Rejection(source, "empty file", input_id=name)
            return
        kind = detect_format(path)
        for item in _READERS[kind](path, source, settings):
            produced = True
            if kind in ("text", "html"):
                item = _named(item, name)
            yield item
        if not produced:
            yield Rejection(source, f"no article found in this {kind} input", input_id=name)
    except Exception as exc:  # one broken input must not stop the batch
        yield Rejection(source, _error_message(exc), input_id=name if not produced else None)


def _named(item: Item, name: str) -> Item:
    if isinstance(item, Rejection):
        return Rejection(item.source, item.message, input_id=name)
    return RawDocument(item.source, item.format, item.raw, {**item.hints, "id": name})


def _is_gz(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _open(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb")) if _is_gz(path) else open(path, "rb")  # noqa: SIM115


def detect_format(path: Path) -> str:
    """text | jsonl | html | warc | feed, by suffix and else by the first bytes."""
    name = path.name.lower().removesuffix(".gz")
    kind = _BY_SUFFIX.get(Path(name).suffix)
    if kind:
        return kind
    with _open(path) as f:
        head = f.read(4096)
    return sniff(head)


def sniff(head: bytes) -> str:
    """Guess a format from the first bytes; text is the fallback."""
    if head.startswith(b"\x1f\x8b"):  # gzip without .gz: only WARC files are commonly so
        return "warc"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") or start.startswith(b"<rss") or start.startswith(b"<feed"):
        if any(tag in start[:2048] for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if b"<html" in start[:2048]:
            return "html"
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:1024]:
        return "html"
    return "text"


def _read_bounded(f: IO[bytes], limit: int, what: str) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge(f"{what} larger than the {limit:,}-byte limit (max_bytes)")
    return data


class _TooLarge(ValueError):
    pass


# ------------------------------------------------------------------ plain text and HTML


def _single(kind: str) -> Callable[[Path, str, IngestSettings], Iterator[Item]]:
    def read(path: Path, source: str, settings: IngestSettings) -> Iterator[Item]:
        if not _is_gz(path) and path.stat().st_size > settings.max_bytes:
            yield Rejection(
                source, f"file of {path.stat().st_size:,} bytes exceeds max_bytes {settings.max_bytes:,}"
            )
            return
        with _open(path) as f:
            try:
                raw = _read_bounded(f, settings.max_bytes, "file")
            except _TooLarge as exc:
                yield Rejection(source, str(exc))
                return
        try:
            text = decode_text(raw)
        except NotText as exc:
            yield Rejection(source, str(exc))
            return
        if not text.strip():
            yield Rejection(source, "empty file (only whitespace)")
            return
        yield RawDocument(source, kind, raw, {})

    return read


# ------------------------------------------------------------------ JSONL


def _iter_lines(f: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; None for a line over the limit, which is skipped unread."""
    n = 0
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of the oversized line in bounded chunks
                rest = f.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
            continue
        yield n, line


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_hints(obj: dict[str, Any]) -> dict[str, Any]:
    """The known metadata fields that are present and non-empty, as strings.

    JSON may escape lone surrogates ("\\ud800"), which no UTF-8 text can hold: they become
    U+FFFD here, so the article can be stored like any other."""
    hints: dict[str, Any] = {}
    for key in HINT_KEYS:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = value if isinstance(value, str) else str(value)
        hints[key] = _SURROGATE.sub("\ufffd", text)
    return hints


MAX_JSON_DEPTH = 64  # articles are flat records; deeper nesting is refused before it is parsed


def parse_json(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`json.loads`, refusing nesting deeper than `max_depth` with a ValueError.

    The depth is counted before parsing (brackets outside strings), so a line of a hundred
    thousand `[` costs one linear scan and a clear message, never the parser's recursion."""
    if _depth(text, max_depth) > max_depth:
        raise ValueError(f"nested more than {max_depth} levels deep")
    try:
        return json.loads(text)
    except RecursionError as exc:  # defence in depth: the scan above should have caught it
        raise ValueError("nested too deeply to read") from exc


_STRUCTURE = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


def _depth(text: str, limit: int) -> int:
    if text.count("[") + text.count("{") <= limit:
        return 0  # cannot be deeper: the usual article line costs two counts
    depth = deepest = 0
    for m in _STRUCTURE.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif c in "]}":
            depth -= 1
    return deepest


def read_jsonl(path: Path, source: str, settings: IngestSettings) -> Iterator[Item]:
    """One article per JSON object line; a bad line is an error for that line only."""
    with _open(path) as f:
        for n, line in _iter_lines(f, settings.max_bytes):
            where = f"{source}:line {n}"
            if line is None:
                yield Rejection(where, f"line larger than max_bytes {settings.max_bytes:,}")
                continue
            line = line.strip()
            if not line:
                continue
            try:
                obj = parse_json(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                yield Rejection(where, one_line(f"not valid JSON: {exc}"))
                continue
            if not isinstance(obj, dict):
                yield Rejection(where, f"expected a JSON object, got {type(obj).__name__}")
                continue
            hints = clean_hints(obj)
            if not (str(hints.get("text", "")).strip() or str(hints.get("html", "")).strip()):
                given = "only a title" if hints.get("title") else "no field storyfold reads"
                yield Rejection(
                    where,
                    f"no 'text' or 'html' field ({given}): nothing to make an article of",
                    hints.get("id"),
                )
                continue
            yield RawDocument(where, "jsonl", line, hints)


# ------------------------------------------------------------------ WARC


def read_warc(path: Path, source: str, settings: IngestSettings) -> Iterator[Item]:
    """HTML responses and text/HTML resource or conversion records; other records are skipped.

    A file cut short (an interrupted crawl or copy) says so, on the record where it ends."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        archive = ArchiveIterator(f)
        # warcio writes a five-line warning to stderr for each record whose Content-Length is
        # off; it still reads the record, so one line per file says it instead
        archive.INC_RECORD = ""
        records = iter(archive)
        n = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                if archive.err_count:
                    log.warning(
                        "%s: %d WARC record(s) not followed by a blank line (Content-Length may be wrong);"
                        " read as they are",
                        source,
                        archive.err_count,
                    )
                return
            except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on a cut file
                yield Rejection(
                    f"{source}#record {n + 1}", one_line(f"truncated or corrupt WARC ({_error_message(exc)})")
                )
                return
            n += 1
            yield from _warc_record(record, f"{source}#record {n}", settings)


def _warc_record(record: Any, where: str, settings: IngestSettings) -> Iterator[Item]:
    rtype = record.rec_type
    if rtype == "response":
        if record.http_headers is None:
            return
        ctype = record.http_headers.get_header("Content-Type") or ""
        status = record.http_headers.get_statuscode() or ""
        if "html" not in ctype.lower() or not status.startswith("2"):
            return
        kind = "html"
    elif rtype in ("resource", "conversion"):
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
        if "html" in ctype:
            kind = "html"
        elif ctype.startswith("text/plain"):
            kind = "text"
        else:
            return
    else:
        return
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    try:
        payload = _read_bounded(record.content_stream(), settings.max_bytes, "record payload")
    except _TooLarge as exc:
        yield Rejection(where, str(exc), record_id)
        return
    if getattr(record.raw_stream, "limit", 0) > 0:
        yield Rejection(where, "truncated WARC: the record ends before its Content-Length", record_id)
        return
    if not payload.strip():
        yield Rejection(where, "empty payload", record_id)
        return
    if looks_binary(payload[:8192]):
        yield Rejection(where, "binary payload, not text", record_id)
        return
    hints: dict[str, Any] = {}
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if uri:
        hints["url"] = uri
    if record_id:
        hints["id"] = record_id
    yield RawDocument(where, kind, payload, hints)


# ------------------------------------------------------------------ feeds


def entry_date(entry: Any) -> str | None:
    """The day a feed entry was published (else updated, else created), as YYYY-MM-DD."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # `in` first: feedparser answers a missing updated_parsed with published_parsed, warning
        value = entry[key] if key in entry else None  # noqa: SIM401 - see above
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def read_feed(path: Path, source: str, settings: IngestSettings) -> Iterator[Item]:
    """One article per RSS/Atom entry: its content (else summary) HTML, with link, date, title hints."""
    import feedparser

    with _open(path) as f:
        try:
            data = _read_bounded(f, settings.max_bytes * 4, "feed")
        except _TooLarge as exc:
            yield Rejection(source, str(exc))
            return
    if looks_binary(data[:8192]):
        yield Rejection(source, "binary data, not a feed")
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        yield Rejection(
            source, one_line(f"not a readable feed: {reason}" if reason else "feed has no entries")
        )
        return
    feed_title = parsed.feed.get("title")
    feed_lang = parsed.feed.get("language")
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#entry {n}"
        content = ""
        lang = None
        if entry.get("content"):
            content = entry.content[0].get("value", "")
            lang = entry.content[0].get("language")
        if not content.strip():
            content = entry.get("summary", "") or ""
            lang = lang or (entry.get("summary_detail") or {}).get("language")
        if not content.strip():
            yield Rejection(where, "entry has no content or summary", entry.get("id") or entry.get("link"))
            continue
        hints = clean_hints(
            {
                "id": entry.get("id") or entry.get("link"),
                "url": entry.get("link"),
                "title": entry.get("title"),
                "date": entry_date(entry),
                "outlet": feed_title,
                "lang": lang or feed_lang,
                "html": content,
            }
        )
        raw = json.dumps(hints, ensure_ascii=False, sort_keys=True).encode("utf-8")
        if len(raw) > settings.max_bytes:
            yield Rejection(where, f"entry larger than max_bytes {settings.max_bytes:,}", hints.get("id"))
            continue
        yield RawDocument(where, "feed", raw, hints)


_READERS: dict[str, Callable[[Path, str, IngestSettings], Iterator[Item]]] = {
    "text": _single("text"),
    "html": _single("html"),
    "jsonl": read_jsonl,
    "warc": read_warc,
    "feed": read_feed,
}
