"""The flow, end to end: ingest -> fold -> cluster -> claims -> reconcile, persisted as it goes.

`Library` is the one object the CLI and the HTTP API hold. Each new article runs through
the stages once; only the stories it touches are recomputed. The fold and cluster
indexes live in memory and are rebuilt from the store on first write after opening, by
replaying stored articles in arrival order (the stages are deterministic, so the replay
reproduces the state that made the stored decisions).

Writes are grouped in small transactions (`batch_size` articles): a crash loses at most
the batch in flight, and because ids are content-derived, re-running the ingest picks up
exactly what is missing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyfold.claims import ClaimPool, ExtractionFailure
from storyfold.cluster import StoryClusterer
from storyfold.fold import FoldIndex
from storyfold.ingest import Ingestor, read_inputs
from storyfold.model import (
    Article,
    Claim,
    Fact,
    IngestError,
    RawDocument,
    Relation,
    SourceReliability,
    Story,
    StoryBrief,
)
from storyfold.reconcile import reconcile_all, reconcile_story
from storyfold.reconcile.timeline import build_timeline
from storyfold.store.sqlite import Store

log = logging.getLogger(__name__)

# Past this many stories a batch recomputes only the stories it touched, with the
# reliabilities it has; below it, the global fixpoint is cheap enough to run every batch.
FULL_RECONCILE_MAX_STORIES = 20_000


def _reading_order(f: Fact) -> tuple[bool, int, str]:
    """What a reader checks first: disputed facts, then the ones most voices stand behind."""
    return (not f.disputed, -len(f.supporting), f.slot)


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    skipped: int = 0  # already stored (same raw bytes or same article id)
    errors: list[IngestError] = field(default_factory=list)
    stories_touched: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "added": self.added,
            "skipped": self.skipped,
            "errors": [str(e) for e in self.errors],
            "stories_touched": sorted(self.stories_touched),
        }


Progress = Callable[[RawDocument | IngestError, IngestReport], None]


class Library:
    """A storyfold database and the stages that fill it."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        readonly: bool = False,
        batch_size: int = 64,
        workers: int | None = None,
    ) -> None:
        """`workers`: processes for claim extraction on large batches (None: the CPUs, up to 4;
        1: always in-process). Started on the first large batch, stopped by `close()`."""
        self.store = Store(db_path, readonly=readonly)
        self.batch_size = batch_size
        self.claim_pool = ClaimPool(workers)
        self._ingestor: Ingestor | None = None
        self._fold: FoldIndex | None = None
        self._cluster: StoryClusterer | None = None

    def close(self) -> None:
        self.claim_pool.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def _stages(self) -> tuple[Ingestor, FoldIndex, StoryClusterer]:
        if self._fold is None or self._cluster is None or self._ingestor is None:
            ingestor, fold, cluster = Ingestor(), FoldIndex(), StoryClusterer()
            for article, story_id in self.store.iter_articles():
                fold.add(article)
                cluster.restore(article, story_id)
            self._ingestor, self._fold, self._cluster = ingestor, fold, cluster
        return self._ingestor, self._fold, self._cluster

    def ingest(self, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestReport:
        """Read files/folders and run every new article through the flow."""
        return self.ingest_raw(read_inputs(paths), progress)

    def ingest_documents(self, docs: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """JSONL-style dicts (the HTTP write endpoint); same path as files."""
        import json

        raws: list[RawDocument | IngestError] = []
        for i, doc in enumerate(docs):
            if not isinstance(doc, dict) or not str(doc.get("text") or doc.get("html") or "").strip():
                raws.append(IngestError(f"request#{i}", "needs a non-empty 'text' (or 'html') field"))
                continue
            line = json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
            hints = {
                k: doc[k]
                for k in ("id", "url", "outlet", "lang", "date", "title", "text", "html")
                if doc.get(k)
            }
            raws.append(RawDocument(f"request#{i}", "jsonl", line, hints))
        return self.ingest_raw(raws).as_dict()

    def ingest_raw(
        self, items: Iterable[RawDocument | IngestError], progress: Progress | None = None
    ) -> IngestReport:
        ingestor, fold, cluster = self._stages()
        report = IngestReport()
        pending: list[tuple[RawDocument, str, Article | None]] = []
        seen_raw: set[str] = set()
        for item in items:
            report.read += 1
            if isinstance(item, IngestError):
                report.errors.append(item)
                pending.append((RawDocument(item.source, "error", b""), item.message, None))
            else:
                sha1 = hashlib.sha1(item.raw).hexdigest()
                if sha1 in seen_raw or self.store.has_raw(sha1):
                    report.skipped += 1
                else:
                    seen_raw.add(sha1)
                    art = ingestor.article(item)
                    if isinstance(art, IngestError):
                        report.errors.append(art)
                        pending.append((item, art.message, None))
                    else:
                        pending.append((item, sha1, art))
            if progress:
                progress(item, report)
            if len(pending) >= self.batch_size:
                self._commit(pending, fold, cluster, report)
                pending = []
        if pending:
            self._commit(pending, fold, cluster, report)
        if report.stories_touched:
            self.reconcile(report.stories_touched)
        return report

    def _commit(
        self,
        pending: list[tuple[RawDocument, str, Article | None]],
        fold: FoldIndex,
        cluster: StoryClusterer,
        report: IngestReport,
    ) -> None:
        """Run fold/cluster/claims on a batch and write it in one transaction.

        Claims of the batch's new articles are extracted up front (on the worker processes when
        the batch is large) and taken, in order, as the loop reaches each article; fold and
        cluster meanwhile run here. Extraction is pure, so a failure changes nothing else.
        """
        todo: dict[str, Article] = {}
        for _raw, _key, art in pending:
            if art is not None and art.id not in todo and not self.store.has_article(art.id):
                todo[art.id] = art
        extracted = zip(todo, self.claim_pool.map(list(todo.values())), strict=True)
        ready: dict[str, list[Claim] | ExtractionFailure] = {}
        with self.store.transaction():
            for raw, sha1_or_msg, art in pending:
                if art is None:
                    # Logged, not kept as raw: a re-run tries (and reports) it again.
                    self.store.put_error(IngestError(raw.source, sha1_or_msg))
                    continue
                self.store.put_raw(raw, sha1_or_msg)
                if self.store.has_article(art.id):
                    report.skipped += 1
                    continue
                while art.id not in ready:
                    key, result = next(extracted)
                    ready[key] = result
                claims = ready.pop(art.id)
                if isinstance(claims, ExtractionFailure):  # one odd article must not sink the batch
                    log.error("claim extraction failed on %s\n%s", raw.source, claims.traceback)
                    error = IngestError(raw.source, f"claim extraction failed: {claims}")
                    report.errors.append(error)
                    self.store.put_error(error)
                    claims = []
                relations = fold.add(art)
                assignment = cluster.assign(art, relations)
                for gone in assignment.merged:  # two stories this article showed to be one
                    self.store.merge_story(gone, assignment.story_id)
                    report.stories_touched.discard(gone)
                self.store.put_article(art, assignment.story_id, assignment.score)
                self.store.put_relations(relations)
                self.store.put_claims(claims)
                self.store.touch_story(assignment.story_id)
                report.added += 1
                report.stories_touched.add(assignment.story_id)

    def reconcile(self, touched: Iterable[str] | None = None) -> None:
        """Recompute facts (and source reliabilities) after new claims arrived."""
        by_story = self.store.claims_by_story()
        n_stories = self.store.count("stories")
        relations = self.store.all_relations()
        if touched is None or n_stories <= FULL_RECONCILE_MAX_STORIES:
            article_ids = [a for ids in (self.store.story_article_ids(s) for s in by_story) for a in ids]
            articles = {a: self.store.article(a) for a in article_ids}
            facts, reliability = reconcile_all(by_story, articles, relations)
            with self.store.transaction():
                grouped: dict[str, list] = {s: [] for s in self.store.story_ids()}
                for f in facts:
                    grouped.setdefault(f.story_id, []).append(f)
                for sid, fs in grouped.items():
                    self.store.put_facts(sid, fs)
                self.store.put_reliability(reliability.values())
            return
        weights = {r.source: r.reliability for r in self.store.reliability()}
        with self.store.transaction():
            for sid in touched:
                ids = self.store.story_article_ids(sid)
                articles = {a: self.store.article(a) for a in ids}
                rels = self.store.relations_among(ids)
                self.store.put_facts(
                    sid, reconcile_story(sid, by_story.get(sid, []), articles, rels, weights)
                )

    # ------------------------------------------------------------------ reading

    def list_stories(self, limit: int = 50, offset: int = 0, q: str | None = None) -> list[Story]:
        return self.store.stories(limit=limit, offset=offset, q=q)

    def resolve(self, story_ref: str) -> str | None:
        """A full story id, a unique prefix of one, or the full id of a story since merged."""
        if self.store.story(story_ref):
            return story_ref
        hits = self.store.find_story(story_ref)
        if len(hits) == 1:
            return hits[0]
        return self.store.alias_of(story_ref) if not hits else None

    def brief(self, story_id: str) -> StoryBrief | None:
        story = self.store.story_full(story_id)
        if story is None:
            return None
        articles = self.store.articles_of(story_id)
        ids = [a.id for a in articles]
        inside = set(ids)
        relations = [r for r in self.store.relations_among(ids) if r.a in inside and r.b in inside]
        claims = self.store.claims_of(ids)
        by_id = {a.id: a for a in articles}
        voices = {a.voice for a in articles}
        return StoryBrief(
            story=story,
            articles=tuple(articles),
            relations=tuple(relations),
            facts=tuple(sorted(self.store.facts_of(story_id), key=_reading_order)),
            claims=tuple(claims),
            timeline=tuple(build_timeline(claims, by_id, relations)),
            reliability=tuple(r for r in self.store.reliability() if r.source in voices),
        )

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def relations(self) -> list[Relation]:
        return self.store.all_relations()

    def reliability(self) -> list[SourceReliability]:
        return self.store.reliability()

    def disputed_counts(self, story_ids: Sequence[str]) -> dict[str, int]:
        return self.store.disputed_counts(story_ids)
