"""From one RawDocument to one cleaned Article: text, title, date, outlet, language, id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date

from storyfold.ingest.clean import OutletLines, clean_text
from storyfold.ingest.decode import NotText, decode_text
from storyfold.ingest.html import extract_html
from storyfold.ingest.meta import (
    derive_title,
    detect_lang,
    normalise_lang,
    parse_date,
    split_date_header,
    split_source_lines,
    url_host,
)
from storyfold.ingest.readers import one_line
from storyfold.ingest.settings import IngestSettings
from storyfold.model import Article, RawDocument, Rejection, article_id


@dataclass(frozen=True)
class Draft:
    """A document cleaned on its own, before the outlet pass (`Ingestor.finish`) that needs the
    outlet's earlier articles: what a worker process can compute without any shared state."""

    source: str
    text: str
    title: str | None
    published: date | None
    url: str | None
    outlet: str | None
    lang: str | None  # what the container said; None: detect it from the final text
    id: str  # taken here, so it depends on this document alone
    raw_sha1: str
    # per paragraph of `text`, the outlet pass's count key (`OutletLines.paragraph_keys`)
    paragraph_keys: tuple[tuple[int, int] | None, ...] = ()
    input_id: str | None = None  # the caller's own id of the input


class Ingestor:
    """Turns raw documents into Articles in two halves: `draft` (one document alone: extraction,
    cleaning, metadata) and `finish` (an outlet's own repeated lines, counted across articles).

    Hints the container knew (JSONL fields, feed entries, WARC target URI) win over what is
    guessed from the content: a publisher's own date beats a date found in the page.
    """

    def __init__(
        self, settings: IngestSettings | None = None, outlet_lines: OutletLines | None = None
    ) -> None:
        self.settings = settings or IngestSettings()
        s = self.settings
        self.outlet_lines = outlet_lines or OutletLines(
            s.outlet_chrome_min_articles, s.outlet_chrome_max_chars
        )

    def article(self, raw: RawDocument) -> Article | Rejection:
        """One Article, or an Rejection saying in one line why there is none."""
        draft = self.draft(raw)
        if isinstance(draft, Rejection):
            return draft
        done = self.finish(draft)
        return done if isinstance(done, Rejection) else self.complete(done)

    def draft(self, raw: RawDocument) -> Draft | Rejection:
        """The document cleaned on its own (pure: may run on any process)."""
        try:
            return self._draft(raw)
        except NotText as exc:
            return Rejection(raw.source, one_line(str(exc)), raw.input_id)
        except Exception as exc:  # a parser crash on one document must not stop the batch
            return Rejection(
                raw.source, one_line(f"cannot process: {type(exc).__name__}: {exc}"), raw.input_id
            )

    def _draft(self, raw: RawDocument) -> Draft | Rejection:
        s = self.settings
        hints = raw.hints or {}
        url = str(hints["url"]) if hints.get("url") else None
        title = str(hints["title"]).strip() if hints.get("title") else None
        published = parse_date(hints.get("date"))
        outlet = str(hints["outlet"]).strip() if hints.get("outlet") else None
        lang = normalise_lang(hints.get("lang"))
        charset = str(hints["charset"]) if hints.get("charset") else None  # an HTTP header's

        if len(raw.raw) > s.max_bytes:
            return Rejection(raw.source, f"document larger than max_bytes {s.max_bytes:,}", raw.input_id)
        is_html = raw.format == "html" or (
            raw.format in ("jsonl", "feed") and not hints.get("text") and hints.get("html")
        )
        if is_html:
            html = str(hints["html"]) if hints.get("html") else decode_text(raw.raw, charset)
            ex = extract_html(
                html,
                url=url,
                favor_precision=s.favor_precision,
                with_date=published is None,
                min_chars=s.min_text_chars,
            )
            body, page_title = ex.text, ex.title
            published = published or ex.published
            outlet = outlet or ex.sitename
            title = title or page_title
            cleaned = clean_text(body, headline=title, shapes=False)
        else:
            body = str(hints["text"]) if hints.get("text") else decode_text(raw.raw, charset)
            header_date, body = split_date_header(body)
            named, address, body = split_source_lines(body)
            if header_date is None:  # the date line after the source lines
                header_date, body = split_date_header(body)
            published = published or header_date
            outlet, url = outlet or named, url or address
            cleaned = clean_text(body, headline=title, shapes=True)
        outlet = outlet or url_host(url)
        if not outlet and hints.get("default_outlet"):
            # the caller's outlet for an input that names none (`storyfold ingest --outlet`)
            outlet = str(hints["default_outlet"]).strip() or None
        text = cleaned.text
        keys = self.outlet_lines.paragraph_keys(outlet, _paragraphs(text)) if outlet else ()
        return Draft(
            source=raw.source,
            text=text,
            title=title,
            published=published if isinstance(published, date) else None,
            url=url,
            outlet=outlet,
            lang=lang,
            id=article_id(text, outlet, url),
            raw_sha1=hashlib.sha1(raw.raw).hexdigest(),
            paragraph_keys=keys,
            input_id=raw.input_id,
        )

    def finish(self, draft: Draft) -> Draft | Rejection:
        """The outlet pass: lines this outlet prints in many articles go (its template). Ordered:
        what an article loses depends on the outlet's articles before it."""
        text = draft.text
        if draft.outlet:
            paragraphs = _paragraphs(text)
            keys = draft.paragraph_keys or self.outlet_lines.paragraph_keys(draft.outlet, paragraphs)
            self.outlet_lines.observe_keys(draft.outlet, keys, draft.id)
            template = self.outlet_lines.is_template_key
            text = "\n\n".join(
                p for i, (p, k) in enumerate(zip(paragraphs, keys, strict=True)) if i == 0 or not template(k)
            )
        if len(text) < self.settings.min_text_chars:
            return Rejection(
                draft.source, f"no article text ({len(text)} characters after cleaning)", draft.input_id
            )
        return replace(draft, text=text)

    def complete(self, draft: Draft) -> Article:
        """The Article of a finished draft: its language detected when the container gave none,
        a title derived when there was none (pure)."""
        s = self.settings
        text = draft.text
        title = draft.title or derive_title(text, s.title_max_chars)
        return Article(
            id=draft.id,
            source=draft.source,
            title=" ".join(title.split()),
            text=text,
            lang=draft.lang or detect_lang(text, s.min_lang_chars),
            published=draft.published,
            url=draft.url,
            outlet=draft.outlet,
            raw_sha1=draft.raw_sha1,
            input_id=draft.input_id,
        )


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]
