"""Which claims of a story speak of the same thing, and which articles are one voice."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from storyfold.model import Article, Claim, Relation, ValueKind
from storyfold.reconcile.context import join_loose

# Claims with no trigger word (and ages, whose owner the words around them name) are slotted
# by their context (`context.join_loose`), not by a measure key.
UNTYPED = frozenset({"mention", "amount", "age"})


def voices(
    article_ids: Sequence[str], relations: Sequence[Relation], claims: Sequence[Claim] = ()
) -> dict[str, str]:
    """article id -> the id of the first article of its voice (copies and translations fold).

    A copy or translation whose figures disagree in value with the other article's where
    their digits agree ("$2.4 million" against "2,4 Milliarden Dollar") is not folded: it
    says something else, so it speaks for itself.
    """
    figures = _figures(claims) if claims else {}
    parent = {a: a for a in article_ids}
    order = {a: i for i, a in enumerate(article_ids)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in relations:
        if r.folds and r.a in parent and r.b in parent and not _disagree(figures.get(r.a), figures.get(r.b)):
            ra, rb = find(r.a), find(r.b)
            if ra != rb:
                first, second = sorted((ra, rb), key=order.__getitem__)
                parent[second] = first
    return {a: find(a) for a in article_ids}


_Figures = dict[tuple[str, str, str], set[float]]


def _mantissa(v: float) -> str:
    """The significant digits of a figure: 2.4e6 and 2.4e9 both give "24"."""
    return f"{abs(v):.6e}".split("e")[0].replace(".", "").rstrip("0") or "0"


def _figures(claims: Sequence[Claim]) -> dict[str, _Figures]:
    """article -> (kind, unit, significant digits) -> the values it states with those digits."""
    out: dict[str, _Figures] = defaultdict(lambda: defaultdict(set))
    for c in claims:
        if c.value is None or c.kind in (ValueKind.TIME, ValueKind.NAMES) or not math.isfinite(c.value):
            continue
        out[c.article_id][(c.kind.value, c.unit, _mantissa(c.value))].add(c.value)
    return out


def _disagree(a: _Figures | None, b: _Figures | None) -> bool:
    """Do two articles give the same digits of one measure different magnitudes, and never the
    same value for them?"""
    if not a or not b:
        return False
    for key in a.keys() & b.keys():
        if not any(math.isclose(x, y, rel_tol=1e-9) for x in a[key] for y in b[key]):
            return True
    return False


def subject_key(subject: str | None) -> str | None:
    """'Xiaomi EV Inc.' and 'Xiaomi’s' both speak of Xiaomi: the first word decides."""
    if not subject:
        return None
    word = re.split(r"[\s’']", subject.strip())[0]
    return word.casefold() or None


def slot_of(c: Claim) -> str:
    """The measure a typed claim states. Its period is not part of it: "3,000 jobs" and "3,000
    jobs by 2030" are one fact, and two periods' figures are told apart when the slot's claims
    are joined (`context.join_loose` keeps two periods apart)."""
    unit = "time" if c.kind is ValueKind.TIME else c.unit
    return "|".join(str(x or "") for x in (c.predicate, c.kind.value, unit, c.per))


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
