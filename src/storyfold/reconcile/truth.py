"""Consensus per slot, weighting voices by source reliability learned across all stories.

The method is Accu/AccuSim (Dong, Berti-Equille & Srivastava, PVLDB 2009), adapted to news
claims (figures, periods, lists of names):

- a voice (an article with its copies and translations) votes with the log-odds of its
  source's accuracy, ln(n·A/(1-A)), for the values it states *and every value compatible
  with them* (1.8e9 and 1.79e9; 2024 and 2024-H1; "Knuth" and "Donald E. Knuth"); a list
  that names only some of the people of a longer list lends it RHO of its vote;
- a value's probability is its vote against the values that exclude it and n unseen ones;
  the consensus is the top value, refined to the most specific compatible value that
  clearly leads (2024-H1 over 2024, 596,638 over 600,000, a full name over a surname);
- a source's accuracy is the mean probability of its values over the slots where two or
  more voices speak, with its own vote counted at its group's prior (no self-confirmation),
  left out of the slot it is weighed in, and shrunk towards the measured accuracy of
  sources with a similar volume of statements, so a source seen once is neither damned
  nor sanctified;
- a source that follows every change of a value far more often than sources do on
  average echoes the last voice (source dependence, Dong et al. 2009): its votes for values
  already stated count only for the share it does not copy.

Parameters: N_FALSE = 3 was chosen on Book's silver standard over n in {3, 10, 100} (silver
0.884 / 0.877 / 0.875), never on a gold set; PRIOR_WEIGHT = 1, GROUP_WEIGHT = 10 and
ECHO_WEIGHT = 10 were not fitted. Across the grid n {3, 10, 100} x prior weight {1, 3} x
group weight {3, 10, 30} (`python bench/truth_bench.py --sweep`) Population gold accuracy
spans 0.850-0.874, Book gold 0.93-0.95, Book silver 0.875-0.884; smaller n is better on all
three, i.e. an unproven source should weigh little next to a proven one. RHO was chosen on
Book's silver standard and checked on the gold. The fixpoint runs to convergence.

Source kinds (`reconcile_all(..., kinds=)`) are optional: each kind learns its own volume-
group priors. On Population, with anonymous edits as a kind, accuracy drops (0.874 -> 0.867
at the shipped parameters), so nothing passes kinds by default.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from storyfold.model import Article, Claim, Fact, Relation, SourceReliability, SourceTally, ValueKind, Voice
from storyfold.reconcile.dates import with_years
from storyfold.reconcile.reliability import ECHO_WEIGHT, GROUP_WEIGHT, PRIOR_WEIGHT, Reliability
from storyfold.reconcile.slots import group_slots, voice_of, voices
from storyfold.reconcile.values import agree, rounding_unit, similarity, value_key
from storyfold.reconcile.voting import (
    N_FALSE,
    PRIOR_ACCURACY,
    RHO,
    Slot,
    choose,
    prepare_slot,
    score,
    taus_from,
)

__all__ = [
    "ECHO_WEIGHT",
    "GROUP_WEIGHT",
    "N_FALSE",
    "PRIOR_ACCURACY",
    "PRIOR_WEIGHT",
    "RHO",
    "agree",
    "SourceTally",
    "reconcile_all",
    "reconcile_story",
    "reconcile_story_tally",
    "rounding_unit",
    "similarity",
    "slots_of",
    "tally_reliability",
]

MAX_ITERATIONS, TOLERANCE = 20, 1e-4


def _fact(
    s: Slot, best_i: int, root: Mapping[str, str], confidence: float, articles: Mapping[str, Article | None]
) -> Fact:
    best = s.cands[best_i]
    supporting, conflicting = [], []
    # each voice's articles among the slot's (a story of thousands of articles has as many
    # voices: no pass over every article per voice)
    of_voice: dict[str, set[str]] = {}
    for a in {c.article_id for c in s.claims}:
        r = root.get(a)
        if r is not None:
            of_voice.setdefault(r, set()).add(a)
    best_key = value_key(best)
    fits: dict[tuple[object, ...], bool] = {best_key: True}  # one test per distinct value

    def fits_best(c: Claim) -> bool:
        k = value_key(c)
        got = fits.get(k)
        if got is None:
            got = fits[k] = agree(best, c)
        return got

    for v, cs in sorted(s.by_voice.items()):
        ids = tuple(sorted(of_voice.get(v) or {v}))
        good = [c for c in cs if fits_best(c)]
        chosen = {id(c) for c in good}
        bad = [c for c in cs if id(c) not in chosen]
        src = s.sources[v]
        if good:
            supporting.append(Voice(ids, src, tuple(c.id for c in good), good[0].display()))
        said_good = {c.article_id for c in good}
        for c in _distinct(bad):
            same = tuple(c2.id for c2 in bad if c2.display() == c.display())
            arts = tuple(sorted({c2.article_id for c2 in bad if c2.id in same}))
            # an article folded into a voice that disagrees with the voice's others is a voice
            # of its own: one source is never on both sides unless one article says both
            own = src if not said_good or set(arts) & said_good else voice_of(articles, arts[0])
            conflicting.append(Voice(arts, own, same, c.display()))
    return Fact(
        story_id=s.story_id,
        slot=s.key,
        subject=best.subject,
        predicate=best.predicate,
        kind=best.kind,
        value=best.value,
        unit="time" if best.kind is ValueKind.TIME else best.unit,
        period=best.period,
        display=best.display(),
        confidence=round(confidence, 3),
        supporting=tuple(supporting),
        conflicting=tuple(conflicting),
    )


def _distinct(claims: list[Claim]) -> list[Claim]:
    seen: dict[str, Claim] = {}
    for c in claims:
        seen.setdefault(c.display(), c)
    return list(seen.values())


def slots_of(
    story_id: str,
    claims: Sequence[Claim],
    articles: Mapping[str, Article | None],
    relations: Sequence[Relation],
) -> tuple[list[Slot], dict[str, str]]:
    # a dateline says when the article was filed, which its metadata says: not a fact of the story
    claims = [c for c in with_years(claims, articles) if c.predicate != "dateline"]
    ids = sorted({c.article_id for c in claims} | set(articles), key=lambda a: (a not in articles, a))
    ordered = [a for a in articles if a in set(ids)] + [a for a in ids if a not in articles]
    root = voices(ordered, relations, claims)
    # first seen means earliest article (the store passes articles in date/arrival order),
    # which decides exact ties, not the order of article ids
    rank = {a: i for i, a in enumerate(ordered)}
    slots = [
        prepare_slot(
            story_id, k, sorted(m, key=lambda c: (rank.get(c.article_id, len(rank)), c.start)), root, articles
        )
        for k, m in group_slots(claims, root).items()
    ]
    return [s for s in slots if s.cands], root


def reconcile_story(
    story_id: str,
    claims: Sequence[Claim],
    articles: Mapping[str, Article | None],
    relations: Sequence[Relation],
    reliability: Mapping[str, float],
) -> list[Fact]:
    """Facts of one story with the source reliabilities held fixed (incremental updates)."""
    return reconcile_story_tally(story_id, claims, articles, relations, reliability)[0]


def reconcile_story_tally(
    story_id: str,
    claims: Sequence[Claim],
    articles: Mapping[str, Article | None],
    relations: Sequence[Relation],
    reliability: Mapping[str, float],
) -> tuple[list[Fact], list[SourceTally]]:
    """`reconcile_story`, and what the story says of each of its sources."""
    slots, root = slots_of(story_id, claims, articles, relations)
    facts = []
    tally: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for s in slots:
        tau = taus_from(s, reliability)
        votes, probs = score(s, tau)
        best = choose(s, tau, votes)
        facts.append(_fact(s, best, root, probs[best], articles))
        if len(s.stated) < 2:  # a value nobody else speaks to says nothing of its source
            continue
        for v, idx in s.stated.items():  # each value a voice states counts: one that says
            t = tally[s.sources[v]]  # both 2024 and 2025 agrees once and disagrees once
            t[0] += len(idx)
            t[1] += sum(s.compat[best][i] for i in idx)
            t[2] += sum(probs[i] for i in idx)
    return facts, [SourceTally(src, int(n), int(a), p) for src, (n, a, p) in sorted(tally.items())]


def tally_reliability(source: str, n: int, agree: int, p_sum: float) -> SourceReliability:
    """A source's reliability from its summed tallies: the mean probability of its values,
    shrunk towards the prior by PRIOR_WEIGHT claims' worth, so one statement neither damns nor
    sanctifies it. (The full fixpoint, `reconcile_all`, also learns group priors and echoes.)"""
    acc = (p_sum + PRIOR_WEIGHT * PRIOR_ACCURACY) / (n + PRIOR_WEIGHT)
    return SourceReliability(source, round(acc, 4), n, agree)


def reconcile_all(
    story_claims: Mapping[str, Sequence[Claim]],
    articles: Mapping[str, Article | None],
    relations: Sequence[Relation],
    iterations: int = MAX_ITERATIONS,
    kinds: Mapping[str, str] | None = None,
) -> tuple[list[Fact], dict[str, SourceReliability]]:
    """Facts of every story and the reliability of every source, solved together.

    `kinds` (source -> kind, e.g. "anonymous") is what is known of a source without judging
    its claims; a source's prior is learned from sources of its kind and volume.
    """
    prepared: list[tuple[Slot, dict[str, str]]] = []
    for sid in sorted(story_claims):
        claims = story_claims[sid]
        arts = {c.article_id: articles.get(c.article_id) for c in claims}
        slots, root = slots_of(sid, claims, arts, relations)
        prepared.extend((s, root) for s in slots)
    est = Reliability(prepared, kinds)
    for _ in range(max(1, iterations)):
        if est.update() < TOLERANCE:
            break
    facts: list[Fact] = []
    agreeing: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for k, (s, root) in enumerate(prepared):
        tau = est.taus(k)
        votes, probs = score(s, tau)
        best = choose(s, tau, votes)
        facts.append(_fact(s, best, root, probs[best], articles))
        contested = len(s.stated) >= 2  # only these say anything about a source
        for v, idx in s.stated.items():
            agreeing[s.sources[v]][0] += contested and sum(s.compat[best][i] for i in idx)
            agreeing[s.sources[v]][1] += contested and len(idx)
    rel = {
        src: SourceReliability(src, round(est.accuracy(src), 4), n, a)
        for src, (a, n) in sorted(agreeing.items())
    }
    return facts, rel
