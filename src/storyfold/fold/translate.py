"""Is this article a translation of that one? Anchors compared as bags and as sequences.

Two reports of one event in two languages share many anchors too (the same names and the
headline figure), but a translation keeps nearly all of them *in the same order* and at
a similar length; the sequence ratio is what separates the two.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher


def bag_jaccard(a: list[str], b: list[str]) -> float:
    ca, cb = Counter(a), Counter(b)
    union = sum((ca | cb).values())
    return sum((ca & cb).values()) / union if union else 0.0


def sequence_ratio(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def translation_score(a: list[str], b: list[str], len_a: int, len_b: int) -> float:
    """0..1; the mean of bag and order agreement, damped when the lengths differ a lot."""
    if min(len(a), len(b)) < 3:
        return 0.0
    score = 0.5 * bag_jaccard(a, b) + 0.5 * sequence_ratio(a, b)
    ratio = min(len_a, len_b) / max(len_a, len_b) if max(len_a, len_b) else 0.0
    if ratio < 0.6:  # translations run 0.8-1.25x the original's length; 0.6 leaves room for cuts
        score *= ratio / 0.6
    return score
