"""Main text and metadata of an HTML page, by trafilatura (its date by htmldate, extensive mode).

trafilatura is the best-measured extractor on these machines (see shared/LIBRARIES.md);
`favor_precision` scored highest on the Zyte set. When the precise mode finds no body (short
pages, unusual templates), the default mode is tried before giving up. The date is htmldate's
extensive search with the URL, run once inside trafilatura's metadata pass on the parsed tree.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyfold.ingest.meta import parse_date

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Extracted:
    text: str  # paragraphs separated by a blank line
    title: str | None = None
    published: date | None = None
    sitename: str | None = None
    lang: str | None = None


def _bare(html: str, url: str | None, favor_precision: bool, date_params: dict[str, Any] | None) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=favor_precision,
        deduplicate=False,
        date_extraction_params=date_params,
    )


def extract_html(
    html: str,
    url: str | None = None,
    favor_precision: bool = True,
    with_date: bool = True,
    min_chars: int = 40,
) -> Extracted:
    """Main text of a page, each block a paragraph, with title, date, site name and language."""
    from trafilatura.settings import set_date_params

    params = {**set_date_params(True), "url": url} if with_date else None
    doc = _bare(html, url, favor_precision, params)
    if favor_precision and len(getattr(doc, "text", None) or "") < min_chars:
        doc = _bare(html, url, False, params) or doc
    published = parse_date(getattr(doc, "date", None)) if with_date and doc is not None else None
    if doc is None:
        return Extracted("", published=_find_date(html, url) if with_date else None)
    text = getattr(doc, "text", None) or ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    return Extracted(
        "\n\n".join(paragraphs),
        title=getattr(doc, "title", None) or None,
        published=published,
        sitename=getattr(doc, "sitename", None) or None,
        lang=getattr(doc, "language", None) or None,
    )


def _find_date(html: str, url: str | None) -> date | None:
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, extensive_search=True)
    except Exception:  # htmldate raises on some broken trees; no date is the honest answer
        return None
    return parse_date(found)
