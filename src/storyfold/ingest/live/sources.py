"""What a follower reads: sources named on the command line, the items each one lists, and the
documents their fetched pages make.

A source is a feed URL (RSS 2.0, Atom, RSS 1.0/RDF: whatever feedparser reads), a file of URLs
(one a line; blank lines and `#` comments skipped) or a folder (files that appeared or changed
since the last round). Items carry what the feed knew (title, date, outlet), which wins over
what the page says, as in every other reader.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from storyfold.ingest.decode import looks_binary
from storyfold.ingest.live.fetch import Fetched
from storyfold.ingest.live.guard import scheme_refusal
from storyfold.ingest.readers import _walk, clean_hints, entry_date, one_line
from storyfold.model import RawDocument, Rejection

FEED_TYPES = ("xml", "rss", "atom", "rdf")
PAGE_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Source:
    kind: str  # feed | urls | folder
    location: str  # the URL, or the absolute path

    def __str__(self) -> str:
        return self.location


def parse_source(text: str) -> Source | str:
    """A Source from a command-line argument, or why it is not one (one line)."""
    if "://" in text:
        if text.split("://", 1)[0].lower() not in ("http", "https"):
            return f"{text}: only http and https feeds are followed (a local folder or file of URLs is given as a path)"
        return Source("feed", text)
    path = Path(text)
    if path.is_dir():
        return Source("folder", str(path.resolve()))
    if path.is_file():
        return Source("urls", str(path.resolve()))
    return f"{text}: not a URL, and no such file or folder"


@dataclass(frozen=True)
class Item:
    """One thing a source lists: a page to fetch (or a feed entry's own text when it has no
    link), with the metadata its source gave."""

    source: str
    key: str  # GUID, else link; the URL itself for a list
    url: str | None
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    entry_html: str | None = None  # the entry's own content, used when there is no page to fetch


_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src", "cmpid"}
)


def canonical_url(url: str) -> str:
    """`url` without what only tracks the reader (utm_* and the click ids of ad networks) or
    points inside the page (the fragment): two links that differ only so are one page."""
    parts = urlsplit(url)
    if not parts.query and not parts.fragment:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracks(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def _tracks(key: str) -> bool:
    k = key.lower()
    return k.startswith("utm_") or k in _TRACKING


def read_url_list(path: str, max_bytes: int = 50_000_000) -> tuple[list[Item], list[str]]:
    """The URLs of a file of URLs, and a line for each line that is not one."""
    items: list[Item] = []
    problems: list[str] = []
    raw = Path(path).read_bytes()[:max_bytes]
    if looks_binary(raw[:8192]):
        return [], [f"{path}: binary data, not a file of URLs"]
    seen: set[str] = set()
    for n, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        if scheme not in ("http", "https") or " " in url:
            problems.append(f"{path}:line {n}: not an http(s) URL: {one_line(url, 120)}")
            continue
        url = canonical_url(url)
        if url not in seen:
            seen.add(url)
            items.append(Item(path, url, url))
    return items, problems


def feed_items(source: str, got: Fetched, max_items: int = 10_000) -> tuple[list[Item], str | None]:
    """The entries of a fetched feed, newest as the feed orders them; or why there are none."""
    import feedparser

    if looks_binary(got.body[:8192]):
        return [], f"not a feed: binary data ({got.content_type or 'no content type'})"
    headers = {
        "content-type": f"{got.content_type}; charset={got.charset}" if got.charset else got.content_type,
        "content-location": got.final_url,  # the base of relative links
    }
    parsed = feedparser.parse(got.body, response_headers=headers)
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            what = got.content_type or "no content type"
            return [], one_line(
                f"not a readable feed ({what}): {reason}" if reason else f"not a feed ({what})"
            )
        return [], None
    outlet = parsed.feed.get("title") or None
    items: list[Item] = []
    for entry in parsed.entries[:max_items]:
        link = entry.get("link") or None
        key = entry.get("id") or link
        if link and scheme_refusal(urljoin(got.final_url, str(link))):
            link = None  # a GUID taken for a permalink ("wire-1"): no page, the entry's own text
        elif link:
            link = canonical_url(urljoin(got.final_url, str(link)))
        key = key if entry.get("id") else link or key
        if not key:
            continue
        content = ""
        if entry.get("content"):
            content = entry.content[0].get("value", "") or ""
        if not content.strip():
            content = entry.get("summary", "") or ""
        items.append(
            Item(
                source,
                str(key),
                str(link) if link else None,
                title=entry.get("title") or None,
                date=entry_date(entry),
                outlet=outlet,
                entry_html=content or None,
            )
        )
    return items, None


def page_document(item: Item, got: Fetched) -> RawDocument | Rejection:
    """The page of an item as a raw document for the ingest, or why it is not one. The bytes
    are kept as fetched; the feed's title, date and outlet ride along as hints."""
    where = item.url or item.key
    if not got.ok:
        return Rejection(where, got.error or "not fetched", item.key)
    media = got.content_type
    if media and media not in PAGE_TYPES and not media.startswith("text/"):
        return Rejection(where, f"not an HTML page ({media})", item.key)
    if not got.body.strip():
        return Rejection(where, "empty page", item.key)
    if looks_binary(got.body[:8192]):
        return Rejection(where, f"binary data, not a page ({media or 'no content type'})", item.key)
    hints = clean_hints(
        {
            "id": item.key,
            "url": got.final_url,
            "title": item.title,
            "date": item.date,
            "outlet": item.outlet,
        }
    )
    if got.charset:  # the HTTP header's word, tried after UTF-8 and before the page's own
        hints["charset"] = got.charset
    kind = "text" if media == "text/plain" else "html"
    return RawDocument(where, kind, got.body, hints)


_TAG = re.compile(r"<[^>]*>")


def entry_text_chars(item: Item) -> int:
    """About how many characters of text the entry itself carries (its HTML without tags)."""
    return len(" ".join(_TAG.sub(" ", item.entry_html or "").split()))


def entry_document(item: Item, max_bytes: int, where: str | None = None) -> RawDocument | Rejection:
    """A feed entry's own text: for an entry with no page to fetch, or whose page is out of
    reach (a paywall's 403, robots.txt) when the feed carries the whole article."""
    where = where or item.key
    if not (item.entry_html or "").strip():
        return Rejection(where, "entry has no link, content or summary", item.key)
    hints = clean_hints(
        {
            "id": item.key,
            "title": item.title,
            "date": item.date,
            "outlet": item.outlet,
            "html": item.entry_html,
        }
    )
    raw = json.dumps(hints, ensure_ascii=False, sort_keys=True).encode("utf-8")
    if len(raw) > max_bytes:
        return Rejection(where, f"entry larger than max_bytes {max_bytes:,}", item.key)
    return RawDocument(where, "feed", raw, hints)


def folder_files(folder: str, settle: float = 0.0) -> Iterator[tuple[str, Path, str]]:
    """(path below the folder, path, stamp) of each file a folder ingest would read; a file
    changed in the last `settle` seconds is left for the next round (it may be mid-copy)."""
    root = Path(folder)
    now = time.time()
    for f in _walk(root):
        try:
            st = f.stat()
        except OSError:
            continue
        if settle and now - st.st_mtime < settle:
            continue
        if not os.path.isfile(f):
            continue
        yield f.relative_to(root).as_posix(), f, f"{st.st_mtime_ns}:{st.st_size}"
