"""The shared vocabulary of storyfold: plain, frozen records passed from stage to stage.

Every stage reads and returns these and nothing else, so a stage can run unchanged in a
single process, behind the HTTP API or inside a batch job on the distributed engine.
No stage imports another stage; they only import this module.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any

# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True)
class RawDocument:
    """One document as a reader found it, before any cleaning.

    `raw` is kept byte for byte so that a later, better extractor can re-process everything.
    `hints` carries metadata the container already knew (JSONL fields, feed entry fields,
    WARC target URI, HTTP headers): keys among id, url, outlet, lang, date, title, text, html;
    `default_outlet` is the caller's outlet for a document that names none.
    """

    source: str  # where it came from: "path", "path:line 12", "path#record 3"
    format: str  # text | jsonl | html | warc | feed
    raw: bytes
    hints: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def input_id(self) -> str | None:
        """The caller's own id: a JSONL or POSTed `id`, a feed entry's GUID, a WARC-Record-ID,
        a file's path below the folder ingested; what lets results be joined back to the input."""
        value = self.hints.get("id")
        return str(value) if value is not None and str(value).strip() else None


@dataclass(frozen=True)
class Rejection:
    """An input that became no article, and why, in one line: a record (stored, exported,
    answered), never raised; the batch goes on without it."""

    source: str
    message: str
    input_id: str | None = None  # the caller's own id of the input, when it could be read

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class InputRecord:
    """What one input became. Every input read is accounted for: it made an article, it
    duplicates a stored one (same bytes, or the same article from other bytes), or it was
    rejected, and the reason says why. `input_id` is the caller's own id, for joining back."""

    source: str
    status: str  # article | duplicate | rejected
    input_id: str | None = None
    article_id: str | None = None  # the article it made, or the one it duplicates
    reason: str | None = None
    raw_sha1: str | None = None
    at: str | None = None  # when it was last read (UTC)


@dataclass(frozen=True)
class FollowedSource:
    """A source `storyfold follow` reads: how its last read went and what it brought so far."""

    source: str  # a feed URL, a file of URLs, a folder
    kind: str  # feed | urls | folder
    last_fetch: str | None = None  # UTC, "YYYY-MM-DD HH:MM:SS"
    last_status: int | None = None  # HTTP status of the last fetch of a feed
    last_error: str | None = None
    last_error_at: str | None = None
    rounds: int = 0
    n_items: int = 0  # items seen
    n_added: int = 0  # articles they made
    n_failed: int = 0  # items given up on
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FollowedItem:
    """What became of one item of a followed source (a feed entry, a listed URL, a file)."""

    source: str
    key: str  # the entry's GUID (else its link), the URL, the file's path below the folder
    status: str  # done | retry | failed
    url: str | None = None
    attempts: int = 0
    article_id: str | None = None
    reason: str | None = None
    stamp: str | None = None  # a file's modification time and size when it was read


@dataclass(frozen=True)
class Article:
    """A cleaned article: main text without page chrome, with its metadata.

    `id` is derived from the normalised text and the outlet (see `article_id`), so the same
    article read twice, from the same or another container, gets the same id.
    """

    id: str
    source: str
    title: str
    text: str  # paragraphs separated by a blank line
    lang: str  # ISO 639-1, "und" when unknown
    published: date | None = None
    url: str | None = None
    outlet: str | None = None
    raw_sha1: str | None = None  # the RawDocument bytes this came from
    # the caller's own id of the input it was made from (`RawDocument.input_id`); not part of
    # the article's identity: the same article read from another input is the same article
    input_id: str | None = field(default=None, compare=False)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in (s.strip() for s in self.text.split("\n\n")) if p]

    @property
    def voice(self) -> str:
        """Who is speaking: the outlet, else the URL host, else the input it came from."""
        if self.outlet:
            return self.outlet
        if self.url:
            host = re.sub(r"^[a-z]+://", "", self.url).split("/")[0]
            if host:
                return host.removeprefix("www.")
        return self.source.split(":")[0].split("#")[0].rsplit("/", 1)[-1]


_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def article_id(text: str, outlet: str | None = None, url: str | None = None) -> str:
    """Content-derived identity: same text from the same outlet is the same article."""
    h = hashlib.sha1()
    h.update(normalise_for_id(text).encode("utf-8"))
    h.update(b"\x00")
    h.update((outlet or "").casefold().encode("utf-8"))
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- fold


class RelationKind(StrEnum):
    DUPLICATE = "duplicate"  # same text after normalisation
    NEAR_DUPLICATE = "near_duplicate"  # the same article, lightly edited (high Jaccard)
    PARTIAL = "partial"  # shares whole paragraphs/quotes but is a different article
    TRANSLATION = "translation"  # the same article in another language


@dataclass(frozen=True)
class Relation:
    """`a` was there first; `b` is the copy / translation / partial copy of it."""

    a: str
    b: str
    kind: RelationKind
    score: float
    detail: str = ""  # e.g. "3 shared paragraphs", "anchors 0.71 / emb 0.90"

    @property
    def folds(self) -> bool:
        """Whether b is the same voice as a (counted once in reconciliation)."""
        return self.kind in (
            RelationKind.DUPLICATE,
            RelationKind.NEAR_DUPLICATE,
            RelationKind.TRANSLATION,
        )


# --------------------------------------------------------------------------- cluster


@dataclass(frozen=True)
class Assignment:
    """Which story an article joined, and why."""

    article_id: str
    story_id: str
    score: float  # model probability of the join; 1.0 for a new story's founder
    new_story: bool
    merged: tuple[str, ...] = ()  # stories folded into story_id by this article (their ids are gone)


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    article_ids: tuple[str, ...]
    first_date: date | None = None
    last_date: date | None = None
    languages: tuple[str, ...] = ()


# --------------------------------------------------------------------------- time


_HALF = re.compile(r"^(\d{4})-H([12])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})0s$")
_DAY_OF_NO_YEAR = re.compile(r"^--(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A span of calendar time with its granularity kept: 2024-H1 is not 2024-01-01.

    Labels: YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-MM-DD, YYY0s for decades, and --MM-DD for a
    day whose year nothing told (ISO 8601's date without a year), which has no bounds.
    """

    label: str

    @property
    def granularity(self) -> str:
        for name, rx in (
            ("day", _DAY),
            ("day", _DAY_OF_NO_YEAR),
            ("month", _MONTH),
            ("quarter", _QUARTER),
            ("half", _HALF),
            ("year", _YEAR),
            ("decade", _DECADE),
        ):
            if rx.match(self.label):
                return name
        raise ValueError(f"not a period label: {self.label!r}")

    @property
    def start(self) -> date:
        return self.bounds()[0]

    @property
    def end(self) -> date:
        return self.bounds()[1]

    def bounds(self) -> tuple[date, date]:
        """First and last day of the span (inclusive)."""
        lab = self.label
        if m := _DAY.match(lab):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _MONTH.match(lab):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        if m := _QUARTER.match(lab):
            y, q = int(m[1]), int(m[2])
            m0 = 3 * (q - 1) + 1
            return date(y, m0, 1), date(y, m0 + 2, calendar.monthrange(y, m0 + 2)[1])
        if m := _HALF.match(lab):
            y, h = int(m[1]), int(m[2])
            return (date(y, 1, 1), date(y, 6, 30)) if h == 1 else (date(y, 7, 1), date(y, 12, 31))
        if m := _YEAR.match(lab):
            y = int(m[1])
            return date(y, 1, 1), date(y, 12, 31)
        if m := _DECADE.match(lab):
            y = int(m[1]) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        raise ValueError(f"not a period label: {lab!r}")

    def contains(self, other: Period) -> bool:
        s, e = self.bounds()
        os_, oe = other.bounds()
        return s <= os_ and oe <= e

    def compatible(self, other: Period) -> bool:
        """One span holds the other: 2024 and 2024-H1 agree, 2024-H1 and 2025 do not. A day
        without a year agrees with that day of any year ("--05-29" and 2008-05-29), and with
        nothing coarser: "2008" and "--05-29" are two facts of a story, not one."""
        if _DAY_OF_NO_YEAR.match(self.label) or _DAY_OF_NO_YEAR.match(other.label):
            return self.label[-5:] == other.label[-5:] and self.granularity == other.granularity
        return self.contains(other) or other.contains(self)

    def __str__(self) -> str:
        return self.label


# --------------------------------------------------------------------------- claims


class ValueKind(StrEnum):
    MONEY = "money"  # unit = ISO 4217 code
    PERCENT = "percent"  # unit = "%" or "pp" (percentage points)
    COUNT = "count"  # unit = the counted noun, canonical English singular ("employee", "car")
    QUANTITY = "quantity"  # unit = physical unit symbol ("GWh", "t", "km")
    TIME = "time"  # a date or period; `period` holds it, `value` is None
    NAMES = "names"  # a list of person names (authors...); `surface` holds it, `value` is None


class Bound(StrEnum):
    EQ = "eq"
    APPROX = "approx"  # about, around, environ, rund
    GT = "gt"  # more than, plus de, über
    GE = "ge"  # at least
    LT = "lt"  # less than, moins de
    LE = "le"  # up to, jusqu'à
    RANGE = "range"  # value..value_high


@dataclass(frozen=True)
class Claim:
    """One value stated in one sentence of one article, with what it is about.

    `predicate` is a canonical key shared by all languages (invest, production_start,
    employees, capacity, output, share_move, price, revenue, deal_value, ...), so that the
    French and English sentences of one fact fall into the same slot.
    `period` is the time a value refers to (the 2020 in "500,000 cars in 2020"); for a TIME
    claim it is the value itself.
    """

    article_id: str
    kind: ValueKind
    value: float | None
    unit: str
    predicate: str
    sentence: str
    start: int  # character offsets of `surface` in the article text
    end: int
    surface: str
    lang: str
    subject: str | None = None
    bound: Bound = Bound.EQ
    value_high: float | None = None
    period: str | None = None  # a Period label
    per: str | None = None  # rate denominator: "year" in "300,000 cars a year"

    @cached_property  # asked for every claim each time its story's facts are computed
    def id(self) -> str:
        return hashlib.sha1(
            f"{self.article_id}:{self.start}:{self.end}:{self.predicate}".encode()
        ).hexdigest()[:16]

    def display(self) -> str:
        """A short human rendering of the normalised value: '10 billion USD', '2024-H1', '>300 employee'."""
        if self.kind is ValueKind.TIME:
            return self.period or "?"
        if self.kind is ValueKind.NAMES:
            return self.surface
        pre = {Bound.GT: ">", Bound.GE: ">=", Bound.LT: "<", Bound.LE: "<=", Bound.APPROX: "~"}.get(
            self.bound, ""
        )
        v = format_number(self.value)
        if self.bound is Bound.RANGE and self.value_high is not None:
            v = f"{v}-{format_number(self.value_high)}"
        unit = self.unit if self.kind is not ValueKind.PERCENT else ("%" if self.unit == "%" else " pp")
        sep = "" if self.kind is ValueKind.PERCENT else " "
        tail = f"/{self.per}" if self.per else ""
        when = f" ({self.period})" if self.period else ""
        return f"{pre}{v}{sep}{unit}{tail}{when}"


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_number(v: float | None) -> str:
    """As a reader writes it: '10 billion', '1.5 million', '300,000', '5.4'."""
    if v is None:
        return "?"
    if v != 0 and abs(v) >= 1e6 and float(v).is_integer():
        scale, word = next((s, w) for s, w in _SCALES if abs(v) >= s)
        return f"{v / scale:.6g} {word}"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:g}"


# --------------------------------------------------------------------------- reconcile


@dataclass(frozen=True)
class Voice:
    """One independent statement of a value: copies and translations collapsed into one."""

    article_ids: tuple[str, ...]  # the article and every copy/translation of it that says the same
    source: str  # the voice (outlet) of the first article
    claim_ids: tuple[str, ...]
    display: str

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types (the store's body and the API's answer)."""
        return {
            "article_ids": list(self.article_ids),
            "source": self.source,
            "claim_ids": list(self.claim_ids),
            "display": self.display,
        }


@dataclass(frozen=True)
class Fact:
    """A slot of one story with its consensus value and the voices for and against it."""

    story_id: str
    slot: str  # "subject|predicate|unit" human-readable key
    subject: str | None
    predicate: str
    kind: ValueKind
    value: float | None
    unit: str
    period: str | None
    display: str
    confidence: float
    supporting: tuple[Voice, ...]
    conflicting: tuple[Voice, ...] = ()

    @property
    def disputed(self) -> bool:
        return bool(self.conflicting)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types, field by field: `dataclasses.asdict` deep-copies every voice, and a
        story's facts are written each time it grows."""
        return {
            "story_id": self.story_id,
            "slot": self.slot,
            "subject": self.subject,
            "predicate": self.predicate,
            "kind": self.kind.value,
            "value": self.value,
            "unit": self.unit,
            "period": self.period,
            "display": self.display,
            "confidence": self.confidence,
            "supporting": [v.as_dict() for v in self.supporting],
            "conflicting": [v.as_dict() for v in self.conflicting],
        }


@dataclass(frozen=True)
class SourceReliability:
    source: str
    reliability: float  # 0..1, the estimated share of this source's claims that are true
    n_claims: int  # how many slot claims the estimate rests on
    n_agree: int


@dataclass(frozen=True)
class SourceTally:
    """What one story says of one source: over the story's slots where two or more voices speak,
    how many values the source stated, how many agree with the consensus, and the sum of their
    probabilities. Summed over stories, they give the source's reliability without solving
    every story again (`tally_reliability`)."""

    source: str
    n: int
    agree: int
    p_sum: float


@dataclass(frozen=True)
class TimelineEntry:
    period: str
    text: str  # the sentence (trimmed) that dates it
    article_ids: tuple[str, ...]


# --------------------------------------------------------------------------- present


@dataclass(frozen=True)
class StoryBrief:
    """Everything known about one story, assembled from the store for rendering."""

    story: Story
    articles: tuple[Article, ...]  # in date (then arrival) order
    relations: tuple[Relation, ...]
    facts: tuple[Fact, ...]
    claims: tuple[Claim, ...]
    timeline: tuple[TimelineEntry, ...]
    reliability: tuple[SourceReliability, ...] = ()  # of the sources in this story
