"""Source accuracies, solved with the slots' truth probabilities, and value echoes.

Kept apart from the voting so the guards against a source vouching for itself (leave-one-
out, own vote at its group's prior, volume-group priors, echo discounts) read in one place.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from storyfold.reconcile.voting import PRIOR_ACCURACY, Slot, log_odds, others_say, votes_of

PRIOR_WEIGHT = 1.0  # claims' worth of the group prior in a source's accuracy
GROUP_WEIGHT = 10.0  # claims' worth of the global guess in each volume group's prior
ECHO_WEIGHT = 10.0  # opportunities' worth of the base rate in a source's repeat rate
MIN_GROUP = 10  # sources a volume group needs before it has a prior of its own


def echo_discounts(slots: Sequence[Slot]) -> list[dict[str, float]]:
    """Per slot, voice -> weight left to its vote when it repeats a value an earlier voice stated.

    Source dependence (Dong et al. 2009): a source that copies adds no independent evidence.
    Fold catches copied text; this catches copied *values*, by their signature: when a voice
    changes a slot's value (states something no earlier voice did), how often does the next
    voice follow the change? Independent sources follow only when the change was right (the
    base rate, measured over all slots); a source that follows far more often than that,
    over many changes, echoes whatever came last, and its repeats count for less.
    """
    follows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    repeats: list[set[str]] = []
    for s in slots:
        order = list(s.stated.items())  # voices in article order
        rep: set[str] = set()
        seen: set[int] = set()
        earlier: set[int] = set()  # values stated before the previous voice
        for i, (v, idx) in enumerate(order):
            if i >= 2 and not order[i - 1][1] & earlier:  # the previous voice changed the value
                f = follows[s.sources[v]]
                f[1] += 1
                f[0] += bool(idx & order[i - 1][1])
            if idx & seen:
                rep.add(v)
            earlier = set(seen)
            seen |= idx
        repeats.append(rep)
    n = sum(f[1] for f in follows.values())
    base = sum(f[0] for f in follows.values()) / n if n else 1.0
    if base >= 1:
        return [{} for _ in slots]

    def copy_share(src: str) -> float:
        r, m = follows.get(src, (0, 0))
        rate = (r + ECHO_WEIGHT * base) / (m + ECHO_WEIGHT)
        return max(0.0, (rate - base) / (1 - base))

    return [{v: 1.0 - copy_share(s.sources[v]) for v in rep} for s, rep in zip(slots, repeats, strict=True)]


Group = tuple[str, int]  # (source kind, log2 volume bin)


def volume_groups(volume: Mapping[str, int], kinds: Mapping[str, str] | None = None) -> dict[str, Group]:
    """source -> group of sources of one kind with a similar number of statements (log2 bins).

    The kind is what is known of a source before any of its claims is judged: a named outlet,
    an unattributed report, a wire service (the caller says; sources it does not name share
    one kind, ""). Sources of different kinds can differ in accuracy at the same volume, and
    a new source should inherit the record of its own kind, not of everyone its size.
    Bins with fewer than MIN_GROUP sources join the next lower bin of the same kind, so a
    group's prior is never just one prolific source's own record.
    """
    kinds = kinds or {}
    out: dict[str, Group] = {}
    by_kind: dict[str, dict[str, int]] = defaultdict(dict)
    for src, n in volume.items():
        by_kind[kinds.get(src, "")][src] = int(math.log2(n))
    for kind, raw in by_kind.items():
        size: dict[int, int] = defaultdict(int)
        for g in raw.values():
            size[g] += 1
        merged, carry, target = {}, 0, None
        for g in sorted(size, reverse=True):
            target = g if target is None or carry >= MIN_GROUP else target
            if carry >= MIN_GROUP:
                carry = 0
            merged[g] = target
            carry += size[g]
        out.update({src: (kind, merged[g]) for src, g in raw.items()})
    return out


class Reliability:
    """Source accuracies solved with the slots' truth probabilities (the Accu fixpoint).

    Two guards against a source vouching for itself, both general:
    - leave-one-out: a source's vote in a slot weighs what it got right *elsewhere*, so three
      unknown voices seen only here do not outvote two proven ones;
    - an empirical prior: a source with few contested claims is shrunk towards the measured
      accuracy of sources with a similar number of statements (log2 volume groups), not
      towards a fixed guess. Whether volume predicts accuracy is learned from the data.
    Only slots with two or more voices carry evidence: a lone claim's probability is its
    source's own accuracy back.
    """

    def __init__(
        self, prepared: Sequence[tuple[Slot, Mapping[str, str]]], kinds: Mapping[str, str] | None = None
    ) -> None:
        self.slots = [s for s, _ in prepared]
        volume: dict[str, int] = defaultdict(int)
        for s in self.slots:
            for v in s.stated:
                volume[s.sources[v]] += 1
        self.group = volume_groups(volume, kinds)
        self.echo = echo_discounts(self.slots)
        self.credit: list[dict[str, float]] = [{} for _ in self.slots]
        self.totals: dict[str, list[float]] = {}
        self.prior: dict[Group, float] = {}
        self.current: dict[str, float] = {}

    def accuracy(self, source: str, own: float | None = None) -> float:
        p, n = self.totals.get(source, (0.0, 0))
        if own is not None and n:
            p, n = p - own, n - 1
        prior = self.prior.get(self.group.get(source, ("", 0)), PRIOR_ACCURACY)
        return (p + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)

    def prior_tau(self, source: str) -> float:
        return log_odds(self.prior.get(self.group.get(source, ("", 0)), PRIOR_ACCURACY))

    def taus(self, k: int) -> dict[str, float]:
        s = self.slots[k]
        echo = self.echo[k]
        return {
            v: log_odds(self.accuracy(s.sources[v], self.credit[k].get(v))) * echo.get(v, 1.0)
            for v in s.stated
        }

    def update(self) -> float:
        """One round: slot probabilities from accuracies, then accuracies; returns the change."""
        credit: list[dict[str, float]] = []
        for k, s in enumerate(self.slots):
            if len(s.stated) < 2:
                credit.append({})
                continue
            tau = self.taus(k)
            votes = votes_of(s, tau)
            credit.append(
                {
                    v: others_say(
                        s, votes, tau[v], v, self.prior_tau(s.sources[v]) * self.echo[k].get(v, 1.0)
                    )
                    for v in s.stated
                }
            )
        totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
        for cr, s in zip(credit, self.slots, strict=True):
            for v, p in cr.items():
                totals[s.sources[v]][0] += p
                totals[s.sources[v]][1] += 1
        grouped: dict[Group, list[float]] = defaultdict(lambda: [0.0, 0])
        for src, (p, n) in totals.items():
            grouped[self.group[src]][0] += p
            grouped[self.group[src]][1] += n
        self.credit, self.totals = credit, dict(totals)
        self.prior = {
            g: (p + GROUP_WEIGHT * PRIOR_ACCURACY) / (n + GROUP_WEIGHT) for g, (p, n) in grouped.items()
        }
        new = {src: self.accuracy(src) for src in self.group}
        delta = max((abs(new[k] - self.current.get(k, PRIOR_ACCURACY)) for k in new), default=0.0)
        self.current = new
        return delta
