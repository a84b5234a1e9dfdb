"""FoldIndex: relate each new article to the earlier ones it copies, translates or quotes.

Per article the work is bounded: candidates come from LSH buckets (near-duplicates and
shared paragraphs) and from an inverted index over rare anchors (translations), each
capped, never from a scan of everything seen.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from storyfold.fold.anchors import anchors
from storyfold.fold.index import LSHIndex
from storyfold.fold.signatures import MinHasher, containment, jaccard_estimate, shingles, words
from storyfold.fold.translate import sentence_alignment, sentence_keys, translation_score
from storyfold.model import Article, Relation, RelationKind


@dataclass(frozen=True)
class FoldSettings:
    near_duplicate_jaccard: float = 0.7  # estimated Jaccard of word 3-shingles
    paragraph_min_words: int = 15  # shorter paragraphs are too generic to prove copying
    paragraph_containment: float = 0.5  # fuzzy: quotes get re-punctuated when copied
    # mean of anchor agreement and sentence alignment; on seeds and the demo corpus the
    # independent same-story reports reach 0.56, true translations 0.73-0.92
    translation_threshold: float = 0.58
    translation_anchor_floor: float = 0.35  # below this, sentence alignment is not computed
    anchor_max_df: int = 50  # an anchor in more articles than this is not distinctive
    max_candidates: int = 20


@dataclass
class _Seen:
    lang: str
    length: int
    sig: np.ndarray
    anchors: list[str]
    sentences: list[set[str]]


class FoldIndex:
    def __init__(self, settings: FoldSettings | None = None) -> None:
        self.settings = settings or FoldSettings()
        self._doc_hasher = MinHasher(64, seed=7)
        self._par_hasher = MinHasher(32, seed=11)
        self._docs = LSHIndex(bands=16, rows=4)
        self._pars = LSHIndex(bands=8, rows=4)
        self._par_shingles: dict[str, tuple[str, set[int]]] = {}  # paragraph key -> (article, shingles)
        self._exact: dict[str, str] = {}
        self._anchor_index: dict[str, list[str]] = defaultdict(list)
        self._seen: dict[str, _Seen] = {}

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, article: Article) -> list[Relation]:
        """Relations from earlier articles (a) to this one (b); the article is then indexed."""
        if article.id in self._seen:
            return []
        s = self.settings
        relations: dict[tuple[str, RelationKind], Relation] = {}
        folded: set[str] = set()

        exact_key = hashlib.sha1(" ".join(words(article.text)).encode()).hexdigest()
        if (twin := self._exact.get(exact_key)) is not None:
            relations[(twin, RelationKind.DUPLICATE)] = Relation(
                twin, article.id, RelationKind.DUPLICATE, 1.0, "same text"
            )
            folded.add(twin)

        toks = words(article.text)
        sig = self._doc_hasher.signature(shingles(toks, 3))
        for other in self._docs.query(sig)[: 4 * s.max_candidates]:
            if other in folded or self._seen[other].lang != article.lang:
                continue
            j = jaccard_estimate(sig, self._seen[other].sig)
            if j >= s.near_duplicate_jaccard:
                relations[(other, RelationKind.NEAR_DUPLICATE)] = Relation(
                    other, article.id, RelationKind.NEAR_DUPLICATE, round(j, 3), f"shingle Jaccard {j:.2f}"
                )
                folded.add(other)

        for other, n, best in self._shared_paragraphs(article):
            if other not in folded:
                relations[(other, RelationKind.PARTIAL)] = Relation(
                    other,
                    article.id,
                    RelationKind.PARTIAL,
                    round(best, 3),
                    f"{n} shared paragraph{'s' * (n > 1)}",
                )

        anch = anchors(article.text, article.lang)
        for other, score in self._translations(article, anch):
            if other not in folded:
                relations[(other, RelationKind.TRANSLATION)] = Relation(
                    other,
                    article.id,
                    RelationKind.TRANSLATION,
                    round(score, 3),
                    f"anchors and sentence order {score:.2f}",
                )

        self._index(article, exact_key, sig, anch)
        return sorted(relations.values(), key=lambda r: (r.a, r.kind))

    def _paragraphs(self, article: Article) -> list[set[int]]:
        out = []
        for p in article.paragraphs:
            toks = words(p)
            if len(toks) >= self.settings.paragraph_min_words:
                out.append(shingles(toks, 3))
        return out

    def _shared_paragraphs(self, article: Article) -> list[tuple[str, int, float]]:
        hits: dict[str, list[float]] = defaultdict(list)
        for sh in self._paragraphs(article):
            best: dict[str, float] = {}
            for key in self._pars.query(self._par_hasher.signature(sh))[:50]:
                other, other_sh = self._par_shingles[key]
                if other == article.id:
                    continue
                c = containment(sh, other_sh)
                if c >= self.settings.paragraph_containment:
                    best[other] = max(best.get(other, 0.0), c)
            for other, c in best.items():
                hits[other].append(c)
        return [(o, len(cs), max(cs)) for o, cs in sorted(hits.items())]

    def _translations(self, article: Article, anch: list[str]) -> list[tuple[str, float]]:
        s = self.settings
        votes: Counter[str] = Counter()
        sentences: list[set[str]] | None = None
        for a in set(anch):
            posting = self._anchor_index.get(a, ())
            if len(posting) > s.anchor_max_df:
                continue
            for other in posting:
                if self._seen[other].lang != article.lang:
                    votes[other] += 1
        out = []
        for other, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[: s.max_candidates]:
            seen = self._seen[other]
            score = translation_score(seen.anchors, anch, seen.length, len(article.text))
            if score < s.translation_anchor_floor:
                continue
            if sentences is None:
                sentences = sentence_keys(article.text, article.lang)
            score = 0.5 * score + 0.5 * sentence_alignment(seen.sentences, sentences)
            if score >= s.translation_threshold:
                out.append((other, score))
        return out

    def _index(self, article: Article, exact_key: str, sig: np.ndarray, anch: list[str]) -> None:
        self._seen[article.id] = _Seen(
            article.lang, len(article.text), sig, anch, sentence_keys(article.text, article.lang)
        )
        self._exact.setdefault(exact_key, article.id)
        self._docs.add(article.id, sig)
        for i, sh in enumerate(self._paragraphs(article)):
            key = f"{article.id}:{i}"
            self._par_shingles[key] = (article.id, sh)
            self._pars.add(key, self._par_hasher.signature(sh))
        for a in set(anch):
            self._anchor_index[a].append(article.id)
