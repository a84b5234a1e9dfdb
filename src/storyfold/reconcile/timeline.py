"""A story's timeline: the dated events its articles mention, and when they were published."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyfold.model import Article, Claim, Period, Relation, TimelineEntry, ValueKind


def _trim(sentence: str, limit: int = 160, around: str = "") -> str:
    """The sentence, or a window of it that keeps `around` (the dated words) in view: a long
    lead sentence cut at its 160th character would drop the very date it is listed under."""
    s = " ".join(sentence.split())
    if len(s) <= limit:
        return s
    at = s.find(" ".join(around.split())) if around.strip() else -1
    if at < 0 or at + len(around) < limit - 2:
        return s[: limit - 1].rsplit(" ", 1)[0] + "…"
    lo = max(0, min(at - (limit - len(around)) // 2, len(s) - (limit - 2)))
    window = s[lo : lo + limit - 2]
    if lo > 0:
        window = window.split(" ", 1)[-1]  # start on a whole word
    if lo + limit - 2 < len(s):
        window = window.rsplit(" ", 1)[0]
    return ("…" if lo > 0 else "") + window + ("…" if lo + limit - 2 < len(s) else "")


def build_timeline(
    claims: Sequence[Claim], articles: Mapping[str, Article], relations: Sequence[Relation] = ()
) -> list[TimelineEntry]:
    """One entry per period, in calendar order, with the first sentence that dates it."""
    entries: dict[str, tuple[str, list[str]]] = {}
    # the articles arrive in date/arrival order: the first to date an event names it
    rank = {a: i for i, a in enumerate(articles)}
    for c in sorted(claims, key=lambda c: (rank.get(c.article_id, len(rank)), c.start)):
        if c.kind is not ValueKind.TIME or not c.period:
            continue
        try:
            Period(c.period).bounds()
        except ValueError:
            continue
        text, ids = entries.setdefault(c.period, (_trim(c.sentence, around=c.surface), []))
        if c.article_id not in ids:
            ids.append(c.article_id)
    for a in articles.values():
        if a.published:
            label = a.published.isoformat()
            text, ids = entries.setdefault(label, (f"published: {_trim(a.title, 120)}", []))
            if a.id not in ids:
                ids.append(a.id)
    ordered = sorted(entries.items(), key=lambda kv: (Period(kv[0]).start, Period(kv[0]).end, kv[0]))
    return [TimelineEntry(p, text, tuple(ids)) for p, (text, ids) in ordered]
