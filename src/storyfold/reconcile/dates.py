"""Dates without a year ("May 29" in an article that gives no date of its own), placed in the
year the story's other reports point to.

Extraction cannot place "May 29" when its article has no publication date and names no year:
it keeps the day as ISO 8601 writes a date without its year ("--05-29"). A story usually has
reports that are dated, so the story says which May 29 it was: the nearest to the story's
latest report, the past preferred, as a reader of the story would take it. A day the story
cannot place stays a day without a year: a fact, not a timeline entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from storyfold.claims.timeparse import nearest_day
from storyfold.model import Article, Claim

_PARTIAL = re.compile(r"^--(\d{2})-(\d{2})$")


def is_partial(period: str | None) -> bool:
    """Whether a period is a day without its year ("--05-29")."""
    return bool(period and period.startswith("--"))


def with_years(claims: Sequence[Claim], articles: Mapping[str, Article | None]) -> list[Claim]:
    """The claims with every day without a year placed in the story's year, where the story
    tells it; a day it cannot place stays as it was said ("--05-29": five reports that say
    "May 29" still agree on it)."""
    if not any(is_partial(c.period) for c in claims):
        return list(claims)
    ref = _reference(articles.values())
    if ref is None:
        return list(claims)
    out = []
    for c in claims:
        placed = _place(c.period or "", ref) if is_partial(c.period) else None
        out.append(c if placed is None else replace(c, period=placed))
    return out


def _reference(articles: Iterable[Article | None]) -> date | None:
    """The story's date: its latest dated report. Neither the years nor the full dates a
    story names tell it: "they moved in January 2007" in a report of a shooting on May 29,
    2008; "the sequel opens on November 20, 2009" in a report of December 2008."""
    published = [a.published for a in articles if a is not None and a.published is not None]
    return max(published) if published else None


def _place(period: str, ref: date) -> str | None:
    """The date of a day without a year nearest the reference, the past preferred."""
    m = _PARTIAL.match(period)
    if m is None:
        return None
    placed = nearest_day(ref, int(m[1]), int(m[2]))
    return placed.isoformat() if placed is not None else None
