"""Which claims of a story speak of the same thing, and which articles are one voice."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from storyfold.model import Article, Claim, Relation, ValueKind
from storyfold.reconcile.context import join_loose

# Claims with no trigger word (and ages, whose owner the words around them name) are slotted
# by their context (`context.join_loose`), not by a measure key.
UNTYPED = frozenset({"mention", "amount", "age"})


def voices(article_ids: Sequence[str], relations: Sequence[Relation]) -> dict[str, str]:
    """article id -> the id of the first article of its voice (copies and translations fold)."""
    parent = {a: a for a in article_ids}
    order = {a: i for i, a in enumerate(article_ids)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in relations:
        if r.folds and r.a in parent and r.b in parent:
            ra, rb = find(r.a), find(r.b)
            if ra != rb:
                first, second = sorted((ra, rb), key=order.__getitem__)
                parent[second] = first
    return {a: find(a) for a in article_ids}


def subject_key(subject: str | None) -> str | None:
    """'Xiaomi EV Inc.' and 'Xiaomi’s' both speak of Xiaomi: the first word decides."""
    if not subject:
        return None
    word = re.split(r"[\s’']", subject.strip())[0]
    return word.casefold() or None


def slot_of(c: Claim) -> str:
    unit = "time" if c.kind is ValueKind.TIME else c.unit
    period = None if c.kind is ValueKind.TIME else c.period
    return "|".join(str(x or "") for x in (c.predicate, c.kind.value, unit, c.per, period))


def group_slots(claims: Sequence[Claim], root: Mapping[str, str] | None = None) -> dict[str, list[Claim]]:
    """Slot key -> claims.

    A claim whose trigger word names the measure ("invest", "revenue") is slotted by that
    measure and its subject (`typed_slots`). Every other figure ("four people", "485 years",
    "March 2005") is slotted by what surrounds it (`context.join_loose`): the same value in
    several voices is one fact, and a different value joins it only where the words around
    the two agree. `root` (article -> voice) keeps one voice's different values apart.
    """
    typed = [c for c in claims if c.predicate not in UNTYPED]
    loose = [c for c in claims if c.predicate in UNTYPED and c.kind is not ValueKind.NAMES]
    out = typed_slots(typed)
    if loose or any(c.kind is not ValueKind.NAMES for c in typed):
        out = join_loose(out, loose, claims, root or {})
    return out


def typed_slots(claims: Sequence[Claim]) -> dict[str, list[Claim]]:
    """Slot key -> claims; within one measure, different subjects are different slots.

    A claim without a subject joins the largest subject group of its measure: the article
    rarely repeats the company's name in every sentence.
    """
    by_measure: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_measure[slot_of(c)].append(c)
    out: dict[str, list[Claim]] = {}
    for measure, cs in sorted(by_measure.items()):
        groups: dict[str | None, list[Claim]] = defaultdict(list)
        for c in cs:
            groups[subject_key(c.subject)].append(c)
        named: dict[str | None, list[Claim]] = {k: v for k, v in groups.items() if k is not None}
        if named:
            biggest = max(sorted(k for k in named if k is not None), key=lambda k: len(named[k]))
            named[biggest] = named[biggest] + groups.get(None, [])
        else:
            named = {None: groups[None]}
        for subj, members in sorted(named.items(), key=lambda kv: kv[0] or ""):
            out[f"{subj or ''}|{measure}"] = sorted(members, key=lambda c: (c.article_id, c.start))
    return out


def voice_of(articles: Mapping[str, Article | None], root: str) -> str:
    art = articles.get(root)
    return art.voice if art else root
