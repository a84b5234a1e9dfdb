"""A story brief as Markdown (for people) and as a JSON-ready dict (for programs).

Article text is hostile input: every value that reaches a Markdown cell goes through
`md_escape`, which backslash-escapes the Markdown specials and flattens newlines, so no
link, image, raw HTML or table break can be injected by a title or a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from storyfold.model import (
    Article,
    Claim,
    Fact,
    Relation,
    RelationKind,
    SourceReliability,
    StoryBrief,
    TimelineEntry,
    Voice,
)

_MD_SPECIALS = re.compile(r"([\\\[\]()*_`|<>#!~])")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029]+")

RELATION_WORDS = {
    RelationKind.DUPLICATE: "an exact copy of",
    RelationKind.NEAR_DUPLICATE: "a near-duplicate of",
    RelationKind.PARTIAL: "shares paragraphs with",
    RelationKind.TRANSLATION: "a translation of",
}

PREDICATE_WORDS = {
    "invest": "investment",
    "production_start": "production start",
    "employees": "employees",
    "capacity": "capacity",
    "output": "output",
    "share_move": "share price move",
    "price": "price",
    "revenue": "revenue",
    "deal_value": "deal value",
    # figures without a trigger word: what they are is in the sentences they come from
    "amount": "figure",
    "mention": "date",
}


def md_escape(text: object) -> str:
    """Safe inside a Markdown paragraph or table cell: specials escaped, one line."""
    s = "" if text is None else str(text)
    s = _NEWLINES.sub(" ", s)
    s = "".join(ch for ch in s if ch == "\t" or ch >= " ")  # drop other control characters
    s = s.replace("\t", " ")
    return _MD_SPECIALS.sub(r"\\\1", s).strip()


def short(article_id: str) -> str:
    return article_id[:8]


def predicate_words(predicate: str) -> str:
    return PREDICATE_WORDS.get(predicate, predicate.replace("_", " "))


# figures without a trigger word: what they are is in the words around them
_QUOTED = frozenset(["amount", "mention", "age"])


def fact_label(fact: Fact, claims: Mapping[str, Claim] | None = None) -> str:
    """'Xiaomi — investment'; for a figure no trigger word names, the words around its first
    statement ('“…who killed four people in a…”'), when the story's claims are at hand."""
    what = predicate_words(fact.predicate)
    if claims and fact.predicate in _QUOTED:
        first = next((claims[i] for v in fact.supporting for i in v.claim_ids if i in claims), None)
        if first is not None:
            what = f"“{quote_around(first)}”"
    return f"{fact.subject} — {what}" if fact.subject else what


def quote_around(c: Claim, before: int = 5, after: int = 3) -> str:
    """The claim's surface with a few words of its sentence on each side."""
    sent = " ".join(c.sentence.split())
    surface = " ".join(c.surface.split())
    at = sent.find(surface)
    if at < 0:
        return surface
    left = sent[:at].split()
    right = sent[at + len(surface) :].split()
    head = ("…" if len(left) > before else "") + " ".join(left[-before:])
    tail = " ".join(right[:after]) + ("…" if len(right) > after else "")
    return " ".join(x for x in (head, surface, tail) if x)


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _date(d: date | None) -> str:
    return d.isoformat() if d else ""


def _span(first: date | None, last: date | None) -> str:
    if first and last and first != last:
        return f"{first.isoformat()} to {last.isoformat()}"
    if first or last:
        return (first or last).isoformat()  # type: ignore[union-attr]
    return "undated"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(cell if cell else " " for cell in row) + " |")
    return out


def _voices_md(voices: tuple[Voice, ...], by_id: dict[str, Article]) -> str:
    parts = []
    for v in voices:
        ids = ", ".join(short(a) for a in v.article_ids)
        parts.append(f"{md_escape(v.source)} ({md_escape(ids)})")
    return "; ".join(parts)


def _conflicts_md(voices: tuple[Voice, ...]) -> str:
    return "; ".join(f"⚠ {md_escape(v.source)} says {md_escape(v.display)}" for v in voices)


def relation_sentence(rel: Relation, by_id: dict[str, Article], escape: bool = True) -> str:
    esc = md_escape if escape else str
    a, b = by_id.get(rel.a), by_id.get(rel.b)
    a_voice = f" ({esc(a.voice)})" if a else ""
    b_voice = f" ({esc(b.voice)})" if b else ""
    words = RELATION_WORDS.get(rel.kind, str(rel.kind))
    text = f"{esc(short(rel.b))}{b_voice} is {words} {esc(short(rel.a))}{a_voice}, score {rel.score:.2f}"
    if words.startswith("shares"):
        text = f"{esc(short(rel.b))}{b_voice} {words} {esc(short(rel.a))}{a_voice}, score {rel.score:.2f}"
    if rel.detail:
        text += f" ({esc(rel.detail)})"
    return text


def render_markdown(brief: StoryBrief) -> str:
    story = brief.story
    by_id = {a.id: a for a in brief.articles}
    claims = {c.id: c for c in brief.claims}
    voices = sorted({a.voice for a in brief.articles})
    langs = sorted({a.lang for a in brief.articles}) or list(story.languages)
    disputed = sum(1 for f in brief.facts if f.disputed)
    lines: list[str] = [f"# {md_escape(story.title) or 'Untitled story'}", ""]
    lines.append(
        f"{_n(len(brief.articles), 'article')} from {_n(len(voices), 'voice')} "
        f"({md_escape(', '.join(voices))}); languages {md_escape(', '.join(langs)) or 'unknown'}; "
        f"{md_escape(_span(story.first_date, story.last_date))}; "
        f"{_n(len(brief.facts), 'fact')}, {disputed} disputed. Story id {md_escape(story.id)}."
    )
    lines.append("")

    lines += ["## Articles", ""]
    lines += _table(
        ["id", "voice", "lang", "date", "title"],
        [
            [
                md_escape(short(a.id)),
                md_escape(a.voice),
                md_escape(a.lang),
                _date(a.published),
                md_escape(a.title),
            ]
            for a in brief.articles
        ],
    )
    lines.append("")

    lines += ["## Relations", ""]
    if brief.relations:
        lines += [f"- {relation_sentence(r, by_id)}" for r in brief.relations]
    else:
        lines.append("No copies, translations or shared paragraphs found: every article is its own voice.")
    lines.append("")

    lines += ["## Facts", ""]
    if brief.facts:
        lines += _table(
            ["fact", "consensus", "confidence", "supported by", "conflicts"],
            [
                [
                    md_escape(fact_label(f, claims)),
                    md_escape(f.display),
                    f"{f.confidence:.2f}",
                    _voices_md(f.supporting, by_id),
                    _conflicts_md(f.conflicting),
                ]
                for f in brief.facts
            ],
        )
    else:
        lines.append("No facts extracted.")
    lines.append("")

    lines += ["## Timeline", ""]
    if brief.timeline:
        for t in brief.timeline:
            srcs = sorted({by_id[a].voice if a in by_id else short(a) for a in t.article_ids})
            lines.append(
                f"- **{md_escape(t.period)}** — {md_escape(_trim(t.text))} — {md_escape(', '.join(srcs))}"
            )
    else:
        lines.append("No dated events.")
    lines.append("")

    lines += ["## Source reliability", ""]
    if brief.reliability:
        lines += _table(
            ["source", "reliability", "claims", "agreeing"],
            [
                [md_escape(r.source), f"{r.reliability:.2f}", str(r.n_claims), str(r.n_agree)]
                for r in brief.reliability
            ],
        )
    else:
        lines.append("No reliability estimates yet.")
    return "\n".join(lines).rstrip() + "\n"


def _trim(text: str, limit: int = 200) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- JSON


def public_source(source: str) -> str:
    """A source as a server shows it to anyone: the file's name and the place in it
    ("feed.xml#entry 3"), never the folders it was read from on the server's disk."""
    cut = len(source)
    for mark in (":line ", "#"):
        at = source.find(mark)
        if at != -1:
            cut = min(cut, at)
    path, rest = source[:cut], source[cut:]
    return path.replace("\\", "/").rsplit("/", 1)[-1] + rest


def article_dict(a: Article, public: bool = False) -> dict[str, Any]:
    """`public`: for the HTTP API, whose readers need not know the server's paths."""
    return {
        "id": a.id,
        "input_id": a.input_id,
        "source": public_source(a.source) if public else a.source,
        "voice": a.voice,
        "title": a.title,
        "text": a.text,
        "lang": a.lang,
        "published": _date(a.published) or None,
        "url": a.url,
        "outlet": a.outlet,
        "raw_sha1": a.raw_sha1,
    }


def relation_dict(r: Relation) -> dict[str, Any]:
    return {
        "a": r.a,
        "b": r.b,
        "kind": r.kind.value,
        "score": r.score,
        "detail": r.detail,
        "folds": r.folds,
    }


def claim_dict(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id,
        "article_id": c.article_id,
        "kind": c.kind.value,
        "value": c.value,
        "value_high": c.value_high,
        "unit": c.unit,
        "bound": c.bound.value,
        "predicate": c.predicate,
        "subject": c.subject,
        "period": c.period,
        "per": c.per,
        "sentence": c.sentence,
        "start": c.start,
        "end": c.end,
        "surface": c.surface,
        "lang": c.lang,
        "display": c.display(),
    }


def fact_dict(f: Fact) -> dict[str, Any]:
    return {**f.as_dict(), "label": fact_label(f), "disputed": f.disputed}


def timeline_dict(t: TimelineEntry) -> dict[str, Any]:
    return {"period": t.period, "text": t.text, "article_ids": list(t.article_ids)}


def reliability_dict(r: SourceReliability) -> dict[str, Any]:
    return {"source": r.source, "reliability": r.reliability, "n_claims": r.n_claims, "n_agree": r.n_agree}


def brief_to_dict(brief: StoryBrief, public: bool = False) -> dict[str, Any]:
    s = brief.story
    by_id = {a.id: a for a in brief.articles}
    article_ids = list(s.article_ids) or [a.id for a in brief.articles]
    return {
        "story": {
            "id": s.id,
            "title": s.title,
            "languages": list(s.languages),
            "first_date": _date(s.first_date) or None,
            "last_date": _date(s.last_date) or None,
            "article_ids": article_ids,
            "n_articles": len(article_ids),
            "n_facts": len(brief.facts),
            "disputed": sum(1 for f in brief.facts if f.disputed),
        },
        "articles": [article_dict(a, public) for a in brief.articles],
        "relations": [
            {**relation_dict(r), "text": relation_sentence(r, by_id, escape=False)} for r in brief.relations
        ],
        "facts": [fact_dict(f) for f in brief.facts],
        "claims": [claim_dict(c) for c in brief.claims],
        "timeline": [timeline_dict(t) for t in brief.timeline],
        "reliability": [reliability_dict(r) for r in brief.reliability],
    }
