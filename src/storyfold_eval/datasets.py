"""Readers for the shared evaluation sets (ECB+, NewsWCL50, Gedikli, WMT) as `Article`s.

Used by the fitter, the benchmark and the tests; run time never needs them.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storyfold.model import Article

DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_MDY = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,\s*(\d{4})")
_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s*,?\s+(\d{4})")
_NUM = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_ISO = re.compile(r"\b(\d{4})\s*-\s*(\d{2})\s*-\s*(\d{2})")


@dataclass(frozen=True)
class Gold:
    article: Article
    label: str
    topic: str = ""


def parse_date(raw: str | None) -> date | None:
    """The first date in ECB+'s free-text `date_raw` ('Posted 2 / 3 / 2009', 'June 6, 2013')."""
    if not raw:
        return None
    found: list[tuple[int, date]] = []
    for rx, order in ((_MDY, "mdy"), (_DMY, "dmy"), (_NUM, "nmdy"), (_ISO, "ymd")):
        for m in rx.finditer(raw):
            try:
                if order == "mdy":
                    mo = _MONTHS.get(m[1].lower())
                    d = date(int(m[3]), mo, int(m[2])) if mo else None
                elif order == "dmy":
                    mo = _MONTHS.get(m[2].lower())
                    d = date(int(m[3]), mo, int(m[1])) if mo else None
                elif order == "nmdy":
                    d = date(int(m[3]), int(m[1]), int(m[2]))
                else:
                    d = date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                d = None
            if d is not None:
                found.append((m.start(), d))
    return min(found)[1] if found else None


def _rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def ecbplus(
    data: Path, topics: set[int] | frozenset[int] | None = None, dated_first: bool = True
) -> list[Gold]:
    """ECB+ docs; in date order where the date parses, the undated interleaved in file order.

    Dated docs are sorted among themselves and put back into the slots dated docs held, so the
    stream stays close to file order while the dated part is chronological.
    """
    rows = [
        r for r in _rows(data / "events" / "ecbplus_docs.jsonl.gz") if topics is None or r["topic"] in topics
    ]
    out = [
        Gold(
            Article(
                r["id"], "ecbplus", r["title"] or "", r["text"] or "", "en", parse_date(r.get("date_raw"))
            ),
            r["cluster"],
            str(r["topic"]),
        )
        for r in rows
    ]
    if dated_first:
        slots = [i for i, g in enumerate(out) if g.article.published]
        dated = sorted((out[i] for i in slots), key=lambda g: g.article.published or date.min)
        for i, g in zip(slots, dated, strict=True):
            out[i] = g
    return out


def newswcl50(data: Path) -> list[Gold]:
    out = []
    for r in _rows(data / "events" / "newswcl50_docs.jsonl.gz"):
        text = r["text"]
        title, _, body = text.partition("\n")
        d = date.fromisoformat(r["date_from_url"]) if r.get("date_from_url") else None
        out.append(
            Gold(
                Article(r["id"], "newswcl50", title, body, "en", d, outlet=r.get("outlet")), str(r["cluster"])
            )
        )
    return out


def gedikli(data: Path) -> tuple[list[Gold], dict[tuple[str, str], bool]]:
    arts = [
        Gold(
            Article(
                r["id"],
                "gedikli",
                r["title"] or "",
                r["text"] or "",
                "en",
                date.fromisoformat(r["date"]) if r.get("date") else None,
            ),
            r["id"],
        )
        for r in _rows(data / "events" / "gedikli_articles.jsonl.gz")
    ]
    arts.sort(key=lambda g: (g.article.published or date.min, g.article.id))
    pairs: dict[tuple[str, str], bool] = {}
    with gzip.open(data / "events" / "gedikli_pairs.tsv.gz", "rt") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "id1":
                continue
            pairs[parts[0], parts[1]] = parts[2] == "1"
    return arts, pairs


def wmt(data: Path, sets: set[str] | None = None) -> list[Gold]:
    out = []
    for r in _rows(data / "translations" / "wmt_docs.jsonl.gz"):
        if sets is not None and r["set"] not in sets:
            continue
        out.append(
            Gold(
                Article(r["id"], "wmt", r["title"] or "", r["text"], r["lang"]), "wmt:" + r["group"], r["set"]
            )
        )
    return out
