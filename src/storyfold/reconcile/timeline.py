"""A story's timeline: the dated events its articles mention, and when they were published."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storyfold.model import Article, Claim, Period, Relation, TimelineEntry, ValueKind
from storyfold.reconcile.dates import with_years


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
    """One entry per dated event, in calendar order, each with a sentence that dates it.

    A sentence that dates two events is shown once, under the first; the other event is shown
    with another sentence that dates it, or, if there is none, not repeated (a long sentence
    shows each event a window of its own, which is not a repeat). Of the articles'
    publication dates only the first report and the latest are events of the story (the
    article list has the others: a story reported every day would be nothing but them); a
    dateline ("MADRID, June 21 (Reuters) -") is a publication date too.
    """
    # the articles arrive in date/arrival order: the first to date an event names it
    rank = {a: i for i, a in enumerate(articles)}
    claims = with_years(claims, articles)
    by_period: dict[str, list[Claim]] = {}
    for c in sorted(claims, key=lambda c: (rank.get(c.article_id, len(rank)), c.start)):
        if c.kind is not ValueKind.TIME or not c.period or c.predicate == "dateline":
            continue
        try:
            Period(c.period).bounds()
        except ValueError:
            continue
        by_period.setdefault(c.period, []).append(c)
    ordered = sorted(by_period, key=lambda p: (Period(p).start, Period(p).end, p))
    shown: set[str] = set()
    out = []
    for period in ordered:
        cs = by_period[period]
        text = next((t for t in (_trim(c.sentence, around=c.surface) for c in cs) if t not in shown), None)
        if text is None:
            continue
        shown.add(text)
        ids = list(dict.fromkeys(c.article_id for c in cs))
        out.append(TimelineEntry(period, text, tuple(ids)))
    dated = sorted((a for a in articles.values() if a.published), key=lambda a: (a.published, rank[a.id]))
    if dated:
        ends = [("first report", dated[0])]
        if dated[-1].published != dated[0].published:
            ends.append(("latest report", dated[-1]))
        taken = {e.period for e in out}
        for what, a in ends:
            assert a.published is not None
            label = a.published.isoformat()
            if label not in taken:
                out.append(TimelineEntry(label, f"{what}: {_trim(a.title, 120)}", (a.id,)))
        out.sort(key=lambda e: (Period(e.period).start, Period(e.period).end, e.period))
    return out
