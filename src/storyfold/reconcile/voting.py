"""Votes within one slot: candidates, who states which, their votes, probabilities, the pick.

The Accu/AccuSim step (Dong, Berti-Equille & Srivastava, PVLDB 2009) with source accuracies
given; `reliability` estimates them and `truth` runs the two to a fixpoint.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storyfold.model import Article, Claim, ValueKind
from storyfold.reconcile import names
from storyfold.reconcile.slots import voice_of
from storyfold.reconcile.values import agree, similarity, specificity, value_key

# How many wrong values a slot could take (Accu's n). It sets how much an unproven source
# counts next to a proven one: a source at accuracy 0.5 votes ln(n). Chosen on Book's silver
# standard (not either gold set) over the grid {3, 10, 100}: silver 0.884 / 0.877 / 0.875
# (n = 2 and 5, checked after: 0.887, 0.883). `python bench/truth_bench.py --sweep`.
N_FALSE = 3
PRIOR_ACCURACY = 0.5  # a source nobody has seen yet
# Share of its vote a voice lends a value its own value is a part of (a list naming some of
# the people of a longer one): AccuSim's rho, 0.5 in the paper. On Book's silver standard
# (not the gold) 0.3 / 0.5 / 0.7 give 0.871 / 0.873 / 0.865, and 0 gives 0.824.
RHO = 0.5


@dataclass
class Slot:
    """One slot prepared once: its candidate values, who states which, and how they relate."""

    story_id: str
    key: str
    claims: list[Claim]
    by_voice: dict[str, list[Claim]]  # voice root article id -> its claims in the slot
    sources: dict[str, str]  # voice root -> source name
    cands: list[Claim]  # one representative claim per distinct value, in first-seen order
    stated: dict[str, set[int]]  # voice root -> candidates it states
    link: list[list[float]]  # link[i][j]: 1 compatible, ρ·similarity, or 0
    compat: list[list[bool]]


def prepare_slot(
    sid: str, slot: str, claims: list[Claim], root: Mapping[str, str], articles: Mapping[str, Article | None]
) -> Slot:
    by_voice: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.kind is ValueKind.NAMES and not names.parse_names(c.surface):
            continue  # "Not Available" states nothing
        by_voice[root.get(c.article_id, c.article_id)].append(c)
    index: dict[tuple[Any, ...], int] = {}
    cands: list[Claim] = []
    stated: dict[str, set[int]] = defaultdict(set)
    for v, cs in by_voice.items():
        for c in cs:
            k = value_key(c)
            if k not in index:
                index[k] = len(cands)
                cands.append(c)
            stated[v].add(index[k])
    n = len(cands)
    compat = [[i == j or agree(cands[i], cands[j]) for j in range(n)] for i in range(n)]
    link = [
        [1.0 if compat[i][j] else RHO * similarity(cands[i], cands[j]) for j in range(n)] for i in range(n)
    ]
    return Slot(
        sid,
        slot,
        claims,
        dict(by_voice),
        {v: voice_of(articles, v) for v in by_voice},
        cands,
        stated,
        link,
        compat,
    )


def log_odds(a: float) -> float:
    """Accu's vote weight of a source with accuracy a."""
    a = min(max(a, 0.01), 0.99)
    return math.log(N_FALSE * a / (1 - a))


def taus_from(s: Slot, accuracy: Mapping[str, float]) -> dict[str, float]:
    """Each voice's vote weight from its source's accuracy (the prior for unknown sources)."""
    return {v: log_odds(accuracy.get(s.sources[v], PRIOR_ACCURACY)) for v in s.stated}


def votes_of(s: Slot, tau: Mapping[str, float]) -> list[float]:
    """Each candidate's vote: the weights of the voices stating it or a value compatible with it."""
    n = len(s.cands)
    votes = [0.0] * n
    for v, idx in s.stated.items():
        for i in range(n):
            m = max(s.link[j][i] for j in idx)
            if m:
                votes[i] += tau[v] * m
    return votes


def probs_of(s: Slot, votes: list[float]) -> list[float]:
    """Each candidate's probability against the values that exclude it and N_FALSE unseen ones."""
    n = len(s.cands)
    top = max(votes)
    probs = []
    for i in range(n):
        rivals = [votes[j] for j in range(n) if not s.compat[i][j]]
        unseen = max(0, N_FALSE - len(rivals))
        z = math.exp(votes[i] - top) + sum(math.exp(r - top) for r in rivals) + unseen * math.exp(-top)
        probs.append(math.exp(votes[i] - top) / z)
    return probs


def others_say(s: Slot, votes: list[float], tau_v: float, v: str, tau_prior: float) -> float:
    """Probability of voice v's value with v's own vote at its group's prior, not its estimate.

    A prolific source that is part of most consensuses would otherwise confirm itself; taking
    its vote out entirely instead lets every accuracy collapse together.
    """
    idx = s.stated[v]
    own = [(tau_v - tau_prior) * max(s.link[j][i] for j in idx) for i in range(len(s.cands))]
    rest = [x - o for x, o in zip(votes, own, strict=True)]
    best = 0.0
    for i in idx:
        rivals = [rest[j] for j in range(len(rest)) if not s.compat[i][j]]
        top = max([rest[i], 0.0, *rivals])
        z = math.exp(rest[i] - top) + sum(math.exp(r - top) for r in rivals)
        z += max(0, N_FALSE - len(rivals)) * math.exp(-top)
        best = max(best, math.exp(rest[i] - top) / z)
    return best


def score(s: Slot, tau: Mapping[str, float]) -> tuple[list[float], list[float]]:
    votes = votes_of(s, tau)
    return votes, probs_of(s, votes)


def choose(s: Slot, tau: Mapping[str, float], votes: list[float]) -> int:
    """Highest vote; then the most specific value the vote allows; then the most stated exactly.

    Compatibility is not transitive (2024 fits 2024-H1 and 2024-H2; "Knuth" fits two
    different Knuths), so the vaguest value often collects the most votes. From it we
    descend to a finer compatible value while one finer value clearly leads the finer
    values that exclude it: the most specific value the sources allow.
    """

    def exact(i: int) -> float:
        return sum(tau[v] for v, idx in s.stated.items() if i in idx)

    def rank(i: int) -> tuple[Any, ...]:
        return (round(votes[i], 9), specificity(s.cands[i]), round(exact(i), 9), -i)

    best = max(range(len(s.cands)), key=rank)
    while True:
        spec = specificity(s.cands[best])
        finer = [j for j in range(len(s.cands)) if s.compat[best][j] and specificity(s.cands[j]) > spec]
        if not finer:
            return best
        top = max(finer, key=rank)
        rivals = [votes[j] for j in finer if not s.compat[top][j]]
        if rivals and round(votes[top], 9) <= round(max(rivals), 9):
            return best
        best = top
