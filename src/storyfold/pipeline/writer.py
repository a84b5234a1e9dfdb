"""The writing side of a Library: the store connection and the stages' live state, in one place.

Only the serial steps touch it, one batch at a time and in order. Each batch is one transaction:
the articles, their claims and relations, the stories they touched and the stages' state all
land together or not at all. If anything fails, the transaction rolls back, the in-memory state
is dropped (it is rebuilt from the store when next needed, so memory never holds what the store
does not), and the batch is tried again one article at a time, so that one odd article costs
only itself.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from storyfold.claims import FailedExtraction
from storyfold.cluster import StoryClusterer
from storyfold.cluster.stories import StoredIndex
from storyfold.errors import StoreError
from storyfold.fold import FoldIndex, FoldSettings
from storyfold.ingest import Ingestor
from storyfold.ingest.article import Draft
from storyfold.model import Article, Claim, Fact, InputRecord, RawDocument, Rejection, Relation, SourceTally
from storyfold.pipeline.item import Item, Status
from storyfold.reconcile import reconcile_story_tally, tally_reliability
from storyfold.store.sqlite import Store

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What a run did with its inputs: read == added + skipped + rejected, always."""

    read: int = 0
    added: int = 0
    skipped: int = 0  # already stored: the same raw bytes, or the same article from other bytes
    rejected: int = 0  # could not become an article
    errors: list[Rejection] = field(default_factory=list)  # the rejections, and stage failures
    stories_touched: set[str] = field(default_factory=set)
    inputs: list[InputRecord] = field(default_factory=list)  # kept only when asked (the API)
    keep_inputs: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "read": self.read,
            "added": self.added,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "errors": [str(e) for e in self.errors],
            "stories_touched": sorted(self.stories_touched),
        }
        if self.keep_inputs:
            out["inputs"] = [
                {k: v for k, v in asdict(r).items() if k not in ("raw_sha1", "at")} for r in self.inputs
            ]
        return out


# SQLite's words for a database it cannot write, whatever the articles: no article is to blame
_ENVIRONMENT = ("disk is full", "disk i/o error", "database is locked", "readonly database", "unable to open")


def _raise_if_environment(exc: BaseException, store: Store) -> None:
    """A full disk or a file that cannot be written stops the run with one line (StoreError);
    rejecting every article as if it were bad would be wrong, and nothing would be stored."""
    if isinstance(exc, OSError) or (
        isinstance(exc, sqlite3.OperationalError) and any(m in str(exc).lower() for m in _ENVIRONMENT)
    ):
        raise StoreError(
            f"{store.path}: {exc}; the batch being written was not stored, everything before it"
            " is: fix this and run the same command again to continue"
        ) from exc


def read_stages(store: Store, fold_too: bool = True) -> tuple[FoldIndex, StoryClusterer]:
    """A fold index and a clusterer holding the live state stored in `store` (the callbacks
    that read stories later are the caller's to bind to its own connection). `fold_too=False`:
    the fold index is left empty (a fold kept elsewhere decides)."""
    fold, cluster = FoldIndex(), StoryClusterer()
    meta = store.meta("cluster")
    try:
        if meta is None:
            raise ValueError("no stage state stored")
        if fold_too:
            fold.load(store.fold_window())
        index = StoredIndex(
            store.meta("cluster_index"), store.cluster_changes(), store.story_head, store.alias_of
        )
        cluster.load(meta, store.live_heads(), store.counted, store.meta("cluster_df"), index)
    except ValueError as exc:  # stored by an older storyfold, or never: rebuilt once
        if store.count("articles"):
            log.warning("%s: rebuilding the stages' state from the articles (%s)", store.path, exc)
        fold, cluster = FoldIndex(), StoryClusterer()
        for article, story_id in store.iter_articles():
            fold.add(article)
            cluster.restore(article, story_id)
    return fold, cluster


class _Loading(threading.Thread):
    """`read_stages` on a thread, through a read-only connection of its own."""

    def __init__(self, path: Path, fold_too: bool) -> None:
        super().__init__(name="storyfold-read-stages", daemon=True)
        self.path = path
        self.fold_too = fold_too
        self._got: tuple[FoldIndex, StoryClusterer] | None = None

    def run(self) -> None:
        # a failure here is left for the writer to meet again, on its own connection and thread
        with contextlib.suppress(Exception), Store(self.path, readonly=True) as store:
            self._got = read_stages(store, self.fold_too)

    def result(self) -> tuple[FoldIndex, StoryClusterer] | None:
        """The state read, or None if reading failed."""
        self.join()
        return self._got


# a story of this many articles or more has its facts recomputed when it has grown by half
DEFER_FROM = 20
REFRESH_GROWTH = 1.5


def facts_of_stories(
    job: tuple[list[tuple[str, list[Claim], list[Article], list[Relation]]], dict[str, float]],
) -> list[tuple[str, list[Fact], list[SourceTally]] | tuple[str, str]]:
    """The facts and tallies of a few stories from their own claims, articles and relations,
    weighing sources as given: pure, so it runs on any worker. A story that fails gives
    (story id, why) and the others go on."""
    work, weights = job
    out: list[tuple[str, list[Fact], list[SourceTally]] | tuple[str, str]] = []
    for sid, claims, heads, relations in work:
        try:
            facts, tallies = reconcile_story_tally(sid, claims, {a.id: a for a in heads}, relations, weights)
        except Exception as exc:  # noqa: BLE001 - this story's facts alone stay as they were
            log.exception("the facts of story %s could not be computed", sid)
            out.append((sid, f"{type(exc).__name__}: {exc}"))
            continue
        out.append((sid, facts, tallies))
    return out


# stories whose facts cross to a worker together at the end of a batch job
FACTS_CHUNK = 64


class Writer:
    """Store connection, live stage state and the bookkeeping of the current run."""

    def __init__(self, store: Store, ingestor: Ingestor | None = None) -> None:
        self.store = store
        self.ingestor = ingestor or Ingestor()
        self._fold: FoldIndex | None = None
        self._cluster: StoryClusterer | None = None
        self.seen_raw: set[str] = set()
        self.expect_new = False  # a raw input of this run is new
        self.seen_ids: set[str] = set()
        self.rejected_raw: dict[str, str] = {}  # this run: raw digest -> why it was rejected
        self.rejected_ids: dict[str, str] = {}  # this run: article id -> why it was rejected
        self.report = IngestReport()
        # large stories whose facts wait for the story to grow or the run to end, and the
        # size each one had when its facts were last computed
        self.stale: set[str] = set()
        self.reconciled_at: dict[str, int] = {}
        self._loading: _Loading | None = None
        # a fold kept elsewhere (`Relate`) decides while every batch comes related by it
        self.outside_fold = False
        # a batch job: facts once a story, at the end of the run, where `finish` is told
        self.facts_at_end = False

    # ------------------------------------------------------------------ state

    def stages(self) -> tuple[FoldIndex, StoryClusterer]:
        """The fold index and the clusterer, with their live state read from the store.

        Opening costs what the live window holds, never the whole database: the stages' state
        is stored with every batch. A database written before that state was kept is read once,
        article by article, and its state stored with the next batch."""
        if self._fold is None or self._cluster is None:
            loading, self._loading = self._loading, None
            got = loading.result() if loading is not None else None
            fold, cluster = got if got is not None else read_stages(self.store, not self.outside_fold)
            cluster.archive = self.store.story_state_of
            cluster.state_source = self.store.story_state
            cluster.counted_source = self.store.counted
            self._fold, self._cluster = fold, cluster
        return self._fold, self._cluster

    def warm(self) -> None:
        """Start reading the stages' state if new articles are on their way (the executor calls
        this while it waits for its workers). It is read on a thread of its own, through a
        read-only connection of its own, so that this process goes on handing the first
        batches to the workers: opening a database then costs the longer of the two, not their
        sum. Nothing is written meanwhile: only the commit writes, and it waits for the state."""
        if self.expect_new and self._fold is None and self._loading is None and self.store.path.is_file():
            self._loading = _Loading(self.store.path, not self.outside_fold)
            self._loading.start()

    def fold_seed(self) -> tuple[FoldSettings, list[bytes]] | None:
        """What a fold index kept elsewhere starts from to decide as this writer would: its
        settings and the stored window; None if the window is not stored (a database of an
        older storyfold, rebuilt by `read_stages` from its articles)."""
        if self.store.meta("cluster") is None and self.store.count("articles"):
            return None
        return FoldIndex().settings, list(self.store.fold_window())

    def reset(self) -> None:
        """Forget the in-memory state: the store is the truth, and it is read again when needed."""
        loading, self._loading = self._loading, None
        if loading is not None:
            loading.join()
        self._fold = self._cluster = None
        self.reconciled_at.clear()  # a waiting story is recomputed when next touched
        # a fold kept elsewhere went on past what the store holds now: from here on, this one
        self.outside_fold = False

    def begin_run(self, keep_inputs: bool = False) -> IngestReport:
        self.expect_new = False
        self.outside_fold = False
        # the facts a run cut short left waiting are computed at the end of this one
        self.stale.update(self.store.facts_due())
        self.seen_raw.clear()
        self.seen_ids.clear()
        self.rejected_raw.clear()
        self.rejected_ids.clear()
        if len(self.ingestor.outlet_lines) > 200_000:
            self.ingestor.outlet_lines.forget()
        self.report = IngestReport(keep_inputs=keep_inputs)
        return self.report

    # ------------------------------------------------------------------ asked by the steps

    def known_raw(self, sha1s: Iterable[str]) -> set[str]:
        wanted = list(sha1s)
        known = {s for s in wanted if s in self.seen_raw}
        return known | self.store.stored_raw([s for s in wanted if s not in known])

    def known_articles(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        known = {i for i in wanted if i in self.seen_ids}
        known |= self.store.stored_articles([i for i in wanted if i not in known])
        self.seen_ids.update(wanted)
        return known

    def prime_outlets(self, drafts: Iterable[Draft]) -> None:
        lines = self.ingestor.outlet_lines
        asked = []
        for d in drafts:
            if d.outlet:
                asked.extend(lines.wanted(d.paragraph_keys))
        if asked:
            lines.prime(self.store.outlet_counts(asked), asked)

    # ------------------------------------------------------------------ the batch

    def commit(self, batch: list[Item]) -> None:
        """Decide and write a batch in one transaction; on failure, one article at a time."""
        report = self.report
        outlet_changes: dict[int, int] = {}
        for item in batch:
            for k, n in (item.outlet_counts or {}).items():
                outlet_changes[k] = outlet_changes.get(k, 0) + n
        try:
            with self.store.transaction():
                touched = self._write(batch)
                self.store.add_outlet_counts(outlet_changes)
                if self.facts_at_end:
                    self._wait(touched)
                else:
                    self.reconcile(set(self._due(touched)))
        except Exception as exc:
            self.reset()
            _raise_if_environment(exc, self.store)
            log.exception("a batch failed; writing it again one article at a time")
            touched = self._one_by_one(batch, outlet_changes)
        self.ingestor.outlet_lines.stored(outlet_changes)
        # what this run met and the store now answers for: only batches still in flight need it
        self.seen_raw.difference_update(it.sha1 for it in batch if it.sha1)
        self.seen_ids.difference_update(it.article_id for it in batch if it.article_id)
        self.ingestor.outlet_lines.shrink()
        for item in batch:
            report.read += 1
            if item.status is Status.NEW:
                report.added += 1
            elif item.status is Status.KNOWN:
                report.skipped += 1
            else:
                report.rejected += 1
            if item.error is not None:
                report.errors.append(item.error)
        if report.keep_inputs:
            report.inputs.extend(self._accounts(batch))
        report.stories_touched -= {g for it in batch if it.assignment for g in it.assignment.merged}
        report.stories_touched |= touched

    def _one_by_one(self, batch: list[Item], outlet_changes: dict[int, int]) -> set[str]:
        touched: set[str] = set()
        with self.store.transaction():
            self.store.add_outlet_counts(outlet_changes)
        for item in batch:
            if item.status is Status.NEW:  # written by the attempt that rolled back
                item.status = Status.PENDING
        for item in batch:
            try:
                with self.store.transaction():
                    wrote = self._write([item])
                    self.store.mark_facts_due(sorted(wrote))  # computed below, or by the next run
                    touched |= wrote
            except Exception as exc:  # noqa: BLE001 - this article alone is rejected
                self.reset()
                _raise_if_environment(exc, self.store)
                log.exception("writing %s failed", item.source)
                item.reject(f"cannot be stored: {type(exc).__name__}: {exc}")
                item.relations, item.assignment = [], None
                with self.store.transaction():
                    self.store.put_error(item.error)  # type: ignore[arg-type]
                    self.store.put_inputs(self._accounts([item]))
        # facts once per story, after its articles: a story whose facts fail to compute keeps
        # its articles (rejecting them would reject every later article of the story too)
        with self.store.transaction():
            due = [] if self.facts_at_end else self._due(touched)
            if self.facts_at_end:
                self._wait(touched)
        self._refresh(due)
        return touched

    def _wait(self, story_ids: Iterable[str]) -> None:
        """Inside a transaction: these stories' facts are computed later (at the end of the
        run, or of the next one if this one is cut short)."""
        ids = sorted(story_ids)
        self.stale.update(ids)
        self.store.mark_facts_due(ids)

    def _due(self, touched: set[str]) -> list[str]:
        """The touched stories whose facts are computed now. A large story is recomputed when
        it has grown by REFRESH_GROWTH since its facts were last computed, and at the end of
        the run (`finish`): computing it after every batch would cost the square of its size."""
        sizes = self.store.article_counts(sorted(touched))
        due, waiting = [], []
        for sid in sorted(touched):
            n = sizes.get(sid, 0)
            if n >= DEFER_FROM and n < REFRESH_GROWTH * self.reconciled_at.get(sid, 0):
                waiting.append(sid)
                continue
            self.reconciled_at[sid] = n
            self.stale.discard(sid)
            due.append(sid)
        self._wait(waiting)
        return due

    def finish(self, run_map: Callable[..., Iterator[Any]] | None = None) -> None:
        """End of a run: the stories that were waiting get their facts. `run_map(fn, jobs)`
        (an executor's `map`), if given, computes them on its workers, a few stories a job,
        each from its own claims and relations and the sources' reliability as the run began;
        this process reads their inputs and writes the facts."""
        due, self.stale = sorted(self.stale), set()
        if run_map is None or len(due) < 2:
            self._refresh(due)
            return
        sources: set[str] = set()
        for answers in run_map(facts_of_stories, self._fact_jobs(due, sources), name="facts at the end"):
            with self.store.transaction():
                for answer in answers:
                    if len(answer) == 3:
                        self.store.put_facts(answer[0], answer[1])
                        self.store.put_tallies(answer[0], answer[2])
                    else:
                        log.error("the facts of story %s stay as they were: %s", *answer)
        with self.store.transaction():
            self._update_reliability(sorted(sources))

    def _fact_jobs(
        self, story_ids: Sequence[str], sources: set[str]
    ) -> Iterator[tuple[list[tuple[str, list[Claim], list[Article], list[Relation]]], dict[str, float]]]:
        store = self.store
        ids = iter(story_ids)
        while part := list(islice(ids, FACTS_CHUNK)):
            work = []
            for sid in part:
                heads = store.story_heads(sid)
                if heads:
                    work.append((sid, store.story_claims(sid), heads, store.story_relations(sid)))
            voices = sorted({a.voice for _, _, heads, _ in work for a in heads})
            sources.update(voices)
            yield work, store.reliability_of(voices)

    def _refresh(self, story_ids: Sequence[str]) -> None:
        for sid in story_ids:
            try:
                with self.store.transaction():
                    self.reconcile({sid})
            except Exception as exc:  # noqa: BLE001 - this story's facts alone stay as they were
                _raise_if_environment(exc, self.store)
                log.exception("the facts of story %s could not be recomputed; they stay as they were", sid)

    def reconcile(self, touched: set[str]) -> None:
        """Inside the batch's transaction: the facts of the stories it touched, each from its own
        claims and relations, weighing sources by their reliability as the batch found it; then
        the reliability of the sources those stories speak of, from their tallies."""
        store = self.store
        work = []
        for sid in sorted(touched):
            heads = store.story_heads(sid)
            if heads:
                work.append((sid, heads))
        sources = sorted({a.voice for _, heads in work for a in heads})
        weights = store.reliability_of(sources)
        for sid, heads in work:
            articles = {a.id: a for a in heads}
            facts, tallies = reconcile_story_tally(
                sid, store.story_claims(sid), articles, store.story_relations(sid), weights
            )
            store.put_facts(sid, facts)
            store.put_tallies(sid, tallies)
        self._update_reliability(sources)

    def _update_reliability(self, sources: Sequence[str]) -> None:
        """These sources' reliability from the tallies of every story that speaks of them."""
        store = self.store
        sums = store.source_sums(sources)
        store.upsert_reliability(tally_reliability(*row) for row in sums)
        store.drop_reliability(sorted(set(sources) - {row[0] for row in sums}))

    def _orphan_copies(self, batch: list[Item]) -> None:
        """An input known as a copy of one of this run that was rejected after all (the outlet
        pass, a failed write; or the same bytes, rejected) is rejected too, for the same reason:
        it must not point to an article that is not stored."""
        made = {it.article.id for it in batch if it.status is Status.NEW and it.article}
        why_id = self.rejected_ids  # an earlier batch's rejection explains a later copy too
        for it in batch:
            if it.status is Status.REJECTED and it.error is not None:
                if it.article_id:
                    why_id.setdefault(it.article_id, it.error.message)
                if it.sha1:
                    self.rejected_raw.setdefault(it.sha1, it.error.message)
        copies = [
            it for it in batch if it.status is Status.KNOWN and it.article_id and it.article_id not in made
        ]
        stored = (
            self.store.stored_articles([it.article_id for it in copies if it.article_id]) if copies else set()
        )
        for it in batch:
            if it.status is not Status.KNOWN:
                continue
            if it.article_id and it.article_id not in made and it.article_id not in stored:
                first = why_id.get(it.article_id, "it could not be stored")
                it.reject(f"a copy of an input of this run that was rejected: {first}")
            elif not it.article_id and it.sha1 in self.rejected_raw:
                it.reject(self.rejected_raw[it.sha1])
            if it.error is not None:
                self.store.put_error(it.error)

    def _accounts(self, batch: list[Item]) -> list[InputRecord]:
        """What each input of the batch became, for the inputs table (after the batch's
        decisions: an input known by its bytes points to the article those bytes made)."""
        made = {it.sha1: it.article.id for it in batch if it.status is Status.NEW and it.sha1 and it.article}
        ask = [
            it.sha1
            for it in batch
            if it.status is Status.KNOWN and not it.article_id and it.sha1 and it.sha1 not in made
        ]
        stored = self.store.articles_of_raw(ask) if ask else {}
        out = []
        for it in batch:
            if it.status is Status.NEW and it.article is not None:
                out.append(InputRecord(it.source, "article", it.input_id, it.article.id, None, it.sha1))
            elif it.status is Status.KNOWN:
                target: str | None
                if it.article_id:
                    target, why = it.article_id, "the same article (same text and outlet) is stored"
                else:
                    target = made.get(it.sha1 or "") or stored.get(it.sha1 or "")
                    why = "the same bytes were read before"
                out.append(InputRecord(it.source, "duplicate", it.input_id, target, why, it.sha1))
            elif it.status is Status.REJECTED:
                why = it.error.message if it.error else "rejected"
                out.append(InputRecord(it.source, "rejected", it.input_id, None, why, it.sha1))
        return out

    def _write(self, batch: list[Item]) -> set[str]:
        """Inside a transaction: every item of the batch, in order; rows go in one statement per
        table at the end (a merge rewrites the rows still waiting as well as the stored ones)."""
        store = self.store
        touched: set[str] = set()
        emptied: set[str] = set()
        if self.outside_fold and not all(
            it.related for it in batch if it.pending and it.article is not None and it.fold is not None
        ):
            # the fold kept elsewhere missed this batch: relate here, from the stored window
            log.warning("the fold kept on another process is gone; relating in this process")
            self.reset()
        given = self.outside_fold
        window_added: list[tuple[int, str, bytes]] = []
        window_gone: list[int] = []
        fold = cluster = None
        raws: list[tuple[RawDocument, str, bytes | None]] = []
        rows: list[list[Any]] = []  # [article, story id, score]
        relations: list[Relation] = []
        claims_all: list[Claim] = []
        for item in batch:
            if item.status is Status.REJECTED:
                if item.error is not None:
                    store.put_error(item.error)
                continue
            if item.status is Status.KNOWN:
                if item.store_raw and item.raw is not None and item.sha1:
                    raws.append((item.raw, item.sha1, item.raw_z))
                continue
            art = item.article
            if art is None or item.raw is None or item.sha1 is None:
                continue
            if fold is None or cluster is None:
                fold, cluster = self.stages()
            raws.append((item.raw, item.sha1, item.raw_z))
            claims = item.claims
            if isinstance(claims, FailedExtraction):  # one odd article must not sink the batch
                log.error("claim extraction failed on %s\n%s", item.source, claims.traceback)
                item.error = Rejection(item.source, f"claim extraction failed: {claims}")
                store.put_error(item.error)
                claims = []
            assert item.fold is not None and item.prep is not None
            if not given:
                item.relations = fold.relate(art, item.fold)
            elif item.fold_changes is not None:
                window_added.extend(item.fold_changes[0])
                window_gone.extend(item.fold_changes[1])
            a = item.assignment = cluster.assign_prepared(art, item.prep, item.relations)
            for gone in a.merged:  # two stories this article showed to be one
                store.merge_story(gone, a.story_id, touch=False)
                for row in rows:
                    if row[1] == gone:
                        row[1] = a.story_id
                touched.discard(gone)
                emptied.add(gone)
            rows.append([art, a.story_id, a.score])
            relations.extend(item.relations)
            claims_all.extend(claims or [])
            touched.add(a.story_id)
            item.status = Status.NEW
        self._orphan_copies(batch)
        store.put_raws(raws)
        store.put_inputs(self._accounts(batch))
        store.put_articles(rows)
        store.put_relations(relations)
        store.put_claims(claims_all)
        for sid in sorted(touched | emptied):
            store.touch_story(sid)
        if fold is not None and cluster is not None:
            if given:  # an article that entered and left the window within the batch is not kept
                left = set(window_gone)
                store.put_fold_window([r for r in window_added if r[0] not in left], window_gone)
            else:
                store.put_fold_window(*fold.take_changes())
            c = cluster.take_changes()
            store.put_cluster_state(
                c.live,
                c.evicted,
                c.gone,
                c.counted,
                c.forget_before,
                c.snapshot,
                c.meta,
                c.events,
                c.index_snapshot,
                cluster.last_index_snapshot,
            )
        return touched
