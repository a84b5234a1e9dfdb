"""Settings of the ingest stage: one frozen object instead of module globals."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestSettings:
    """Limits and thresholds; defaults suit news articles.

    `max_bytes` bounds one article (and one plain-text file) so that a stray 50 MB log file gives
    an error instead of filling memory; containers (JSONL, WARC) are streamed, so only each of
    their records is bounded.
    """

    max_bytes: int = 5_000_000
    min_text_chars: int = 40  # shorter main text is not an article
    min_lang_chars: int = 20  # below this the language is "und"
    # a paragraph of at most max_chars seen in this many articles of one outlet is its chrome
    outlet_chrome_min_articles: int = 2
    outlet_chrome_max_chars: int = 600
    title_max_chars: int = 120
    favor_precision: bool = True  # trafilatura option; best measured F1 on the Zyte set
