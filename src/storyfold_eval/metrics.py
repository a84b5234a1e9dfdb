"""Clustering metrics: BCubed (primary, per the events README) and pairwise P/R/F1.

Both take mappings item id -> cluster label so predicted and gold labels never need to agree
on names; only items present in both mappings are scored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> PRF:
    """BCubed (Bagga & Baldwin 1998): per-item precision/recall of its cluster, averaged."""
    items = [i for i in gold if i in pred]
    if not items:
        return PRF(0.0, 0.0, 0.0)
    joint = Counter((pred[i], gold[i]) for i in items)
    psize = Counter(pred[i] for i in items)
    gsize = Counter(gold[i] for i in items)
    p = sum(joint[pred[i], gold[i]] / psize[pred[i]] for i in items) / len(items)
    r = sum(joint[pred[i], gold[i]] / gsize[gold[i]] for i in items) / len(items)
    return PRF(p, r, _f1(p, r))


def pairwise(pred: Mapping[str, str], gold: Mapping[str, str]) -> PRF:
    """Pairwise P/R/F1 over unordered same-cluster pairs, counted from contingency cells."""
    items = [i for i in gold if i in pred]
    joint = Counter((pred[i], gold[i]) for i in items)
    both = sum(n * (n - 1) // 2 for n in joint.values())
    npred = sum(n * (n - 1) // 2 for n in Counter(pred[i] for i in items).values())
    ngold = sum(n * (n - 1) // 2 for n in Counter(gold[i] for i in items).values())
    p = both / npred if npred else 1.0
    r = both / ngold if ngold else 1.0
    return PRF(p, r, _f1(p, r))


def pair_labels(pred: Mapping[str, str], pairs: Mapping[tuple[str, str], bool]) -> PRF:
    """Pairwise P/R/F1 against explicitly labelled pairs (the Gedikli set)."""
    tp = fp = fn = 0
    for (a, b), same in pairs.items():
        said = pred.get(a) is not None and pred.get(a) == pred.get(b)
        tp += said and same
        fp += said and not same
        fn += same and not said
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return PRF(p, r, _f1(p, r))


def n_clusters(labels: Mapping[str, str]) -> int:
    return len(set(labels.values()))


def groups(labels: Mapping[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for k, v in labels.items():
        out[v].append(k)
    return dict(out)
