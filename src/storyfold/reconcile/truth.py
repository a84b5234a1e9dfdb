"""Consensus per slot, weighting voices by source reliability learned across all stories.

A TruthFinder/Accu-style fixpoint: a value's support is the summed reliability of the
voices that state a compatible value; a source's reliability is the share of its slot
claims that agree with the consensus, under a Beta(4, 1) prior so a source seen once is
neither damned nor sanctified. Copies and translations of one article are one voice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from storyfold.model import (
    Article,
    Bound,
    Claim,
    Fact,
    Period,
    Relation,
    SourceReliability,
    ValueKind,
    Voice,
)
from storyfold.reconcile.slots import group_slots, voice_of, voices

REL_TOLERANCE = 0.05  # 1.8e9 and 1.79e9 agree; 1.8e9 and 1.8e6 do not
PRIOR_AGREE, PRIOR_N = 4.0, 5.0
DEFAULT_RELIABILITY = PRIOR_AGREE / PRIOR_N
GRANULARITY_RANK = {"decade": 0, "year": 1, "half": 2, "quarter": 3, "month": 4, "day": 5}


def agree(x: Claim, y: Claim) -> bool:
    """Whether two claims of one slot can both be true."""
    if x.kind is ValueKind.TIME or y.kind is ValueKind.TIME:
        try:
            return bool(x.period and y.period and Period(x.period).compatible(Period(y.period)))
        except ValueError:
            return x.period == y.period
    if x.value is None or y.value is None:
        return False
    return _fits(x, y.value) or _fits(y, x.value)


def rounding_unit(v: float) -> float:
    """The precision a stated number implies: 1.79e9 -> 1e7, 478403 -> 1, 5.4 -> 0.1."""
    if v == 0:
        return 1.0
    if float(v).is_integer():
        digits = str(int(abs(v)))
        return 10.0 ** (len(digits) - len(digits.rstrip("0")))
    decimals = len(f"{abs(v):.6f}".rstrip("0").split(".")[1])
    return 10.0**-decimals


def _fits(c: Claim, v: float) -> bool:
    """Does value v satisfy what claim c states (its bound or range)?

    Two figures agree when they differ by less than the rounding of the coarser one
    (1.8e9 and 1.79e9 do; census counts 478,403 and 470,000 do not), and never by more
    than REL_TOLERANCE of their size.
    """
    lo, hi = c.value, c.value_high if c.value_high is not None else c.value
    size = max(abs(lo), abs(hi), 1e-12)
    tol = min(REL_TOLERANCE * size, max(rounding_unit(lo), rounding_unit(v)) / 2) + 1e-9 * size
    match c.bound:
        case Bound.GT | Bound.GE:
            return v >= lo - tol
        case Bound.LT | Bound.LE:
            return v <= hi + tol
        case Bound.RANGE:
            return lo - tol <= v <= hi + tol
        case Bound.APPROX:  # "about 500,000" is a loose figure by its own word
            return abs(v - lo) <= REL_TOLERANCE * size
        case _:
            return abs(v - lo) <= tol


def _same(x: Claim, y: Claim) -> bool:
    return (x.value, x.value_high, x.bound, x.period) == (y.value, y.value_high, y.bound, y.period)


def _specificity(c: Claim) -> int:
    if c.kind is ValueKind.TIME and c.period:
        try:
            return GRANULARITY_RANK[Period(c.period).granularity]
        except ValueError:
            return 0
    return 1 if c.bound is Bound.EQ else 0


def _decide(
    sid: str,
    slot: str,
    claims: list[Claim],
    root: Mapping[str, str],
    articles: Mapping[str, Article | None],
    weights: Mapping[str, float],
) -> Fact | None:
    by_voice: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_voice[root.get(c.article_id, c.article_id)].append(c)

    def weight(v: str) -> float:
        return weights.get(voice_of(articles, v), DEFAULT_RELIABILITY)

    total = sum(weight(v) for v in by_voice)
    best, best_key = None, None
    for cand in claims:
        support = sum(weight(v) for v, cs in by_voice.items() if any(agree(cand, c) for c in cs))
        # among values that agree within tolerance, the one most voices state exactly wins
        exact = sum(weight(v) for v, cs in by_voice.items() if any(_same(cand, c) for c in cs))
        key = (round(support, 9), _specificity(cand), round(exact, 9), -claims.index(cand))
        if best_key is None or key > best_key:
            best, best_key = cand, key
    if best is None:
        return None
    supporting, conflicting = [], []
    for v, cs in sorted(by_voice.items()):
        ids = tuple(sorted({a for a, r in root.items() if r == v} & {c.article_id for c in claims} or {v}))
        good = [c for c in cs if agree(best, c)]
        bad = [c for c in cs if not agree(best, c)]
        src = voice_of(articles, v)
        if good:
            supporting.append(Voice(ids, src, tuple(c.id for c in good), good[0].display()))
        for c in _distinct(bad):
            same = tuple(c2.id for c2 in bad if c2.display() == c.display())
            conflicting.append(
                Voice(tuple(sorted({c2.article_id for c2 in bad if c2.id in same})), src, same, c.display())
            )
    return Fact(
        story_id=sid,
        slot=slot,
        subject=best.subject,
        predicate=best.predicate,
        kind=best.kind,
        value=best.value,
        unit="time" if best.kind is ValueKind.TIME else best.unit,
        period=best.period,
        display=best.display(),
        confidence=round(best_key[0] / total, 3) if total else 0.0,
        supporting=tuple(supporting),
        conflicting=tuple(conflicting),
    )


def _distinct(claims: list[Claim]) -> list[Claim]:
    seen: dict[str, Claim] = {}
    for c in claims:
        seen.setdefault(c.display(), c)
    return list(seen.values())


def reconcile_story(
    story_id: str,
    claims: Sequence[Claim],
    articles: Mapping[str, Article | None],
    relations: Sequence[Relation],
    reliability: Mapping[str, float],
) -> list[Fact]:
    """Facts of one story with the source reliabilities held fixed (incremental updates)."""
    ids = sorted({c.article_id for c in claims} | set(articles), key=lambda a: (a not in articles, a))
    ordered = [a for a in articles if a in set(ids)] + [a for a in ids if a not in articles]
    root = voices(ordered, relations)
    facts = []
    for slot, members in group_slots(claims).items():
        fact = _decide(story_id, slot, members, root, articles, reliability)
        if fact is not None:
            facts.append(fact)
    return facts


def reconcile_all(
    story_claims: Mapping[str, Sequence[Claim]],
    articles: Mapping[str, Article | None],
    relations: Sequence[Relation],
    iterations: int = 5,
) -> tuple[list[Fact], dict[str, SourceReliability]]:
    """Facts of every story and the reliability of every source, solved together."""
    weights: dict[str, float] = {}
    facts: list[Fact] = []
    for _ in range(iterations):
        facts = []
        for sid in sorted(story_claims):
            claims = story_claims[sid]
            arts = {c.article_id: articles.get(c.article_id) for c in claims}
            facts.extend(reconcile_story(sid, claims, arts, relations, weights))
        stats = _agreement(facts)
        new = {s: (a + PRIOR_AGREE) / (n + PRIOR_N) for s, (a, n) in stats.items()}
        if new == weights:
            break
        weights = new
    stats = _agreement(facts)
    rel = {
        s: SourceReliability(s, round((a + PRIOR_AGREE) / (n + PRIOR_N), 4), n, a)
        for s, (a, n) in sorted(stats.items())
    }
    return facts, rel


def _agreement(facts: Sequence[Fact]) -> dict[str, tuple[int, int]]:
    """source -> (claims agreeing with consensus, claims in contested-able slots).

    Only slots stated by two or more voices say anything about a source's accuracy.
    """
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in facts:
        if len({v.article_ids for v in f.supporting} | {v.article_ids for v in f.conflicting}) < 2:
            continue
        for v in f.supporting:
            stats[v.source][0] += 1
            stats[v.source][1] += 1
        for v in f.conflicting:
            stats[v.source][1] += 1
    return {s: (a, n) for s, (a, n) in stats.items()}
