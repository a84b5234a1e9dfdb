"""The flow, end to end: ingest -> fold -> cluster -> claims -> reconcile, persisted as it goes.

`Library` is the one object the CLI and the HTTP API hold. An ingest is a list of steps
(`steps.py`) that the local executor runs over batches of inputs: the work that depends on one
article alone on worker processes, the decisions and the write here, one transaction a batch. A
crash loses at most the batches not yet committed, and because ids are content-derived,
re-running the ingest picks up exactly what is missing.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyfold.engine import LocalExecutor, Step
from storyfold.errors import AmbiguousId
from storyfold.fold import FoldSettings
from storyfold.ingest import IngestSettings, read_inputs
from storyfold.ingest.readers import clean_hints
from storyfold.model import (
    Article,
    Fact,
    FollowedSource,
    RawDocument,
    Rejection,
    Relation,
    SourceReliability,
    Story,
    StoryBrief,
)
from storyfold.pipeline.item import Item, Status
from storyfold.pipeline.steps import Commit, Extract, KnownInputs, Outlets, Prepare, Relate
from storyfold.pipeline.writer import IngestReport, Writer
from storyfold.reconcile import reconcile_all, reconcile_story_tally
from storyfold.reconcile.timeline import build_timeline
from storyfold.store.sqlite import Store

if TYPE_CHECKING:
    import pyarrow as pa

log = logging.getLogger(__name__)

Progress = Callable[[list[Item], IngestReport], None]


def _reading_order(f: Fact) -> tuple[bool, int, str]:
    """What a reader checks first: disputed facts, then the ones most voices stand behind."""
    return (not f.disputed, -len(f.supporting), f.slot)


# a run of more than this many batches keeps the fold in a host process (`ingest_raw`)
HOST_FOLD_FROM = 4


class Library:
    """A storyfold database and the stages that fill it."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        readonly: bool = False,
        batch_size: int = 256,
        workers: int | None = None,
        wait: float = 0.0,
        executor: LocalExecutor | None = None,
        host_fold: bool = False,
    ) -> None:
        """`workers`: processes for the per-article work (None: the CPUs, up to 4; 1: all in
        this process), started on the first large batch and stopped by `close()`.

        A writable Library holds the database's writer lock until `close()`: another writer
        waits up to `wait` seconds, then gets `WriterBusy` naming this process. `executor`: where
        the per-article work runs instead (a `DaskExecutor` for a batch job); closed with this.
        `host_fold`: a large run keeps the fold's decisions in a process of their own beside the
        workers (`LocalExecutor`'s host): the command line's ingest, where this process is
        what bounds the rate; not a server's, whose runs are small and whose threads would
        make the host a fresh interpreter."""
        self.store = Store(db_path, readonly=readonly, wait=wait)
        self.batch_size = batch_size
        self.executor = executor if executor is not None else LocalExecutor(workers, host=host_fold)
        self.ingest_settings = IngestSettings()
        self.fold_settings = FoldSettings()
        self._writer: Writer | None = None
        self._local = threading.local()
        self._readers: list[Library] = []

    def close(self) -> None:
        self.executor.close()
        for r in self._readers:
            r.close()
        self.store.close()

    def reader(self) -> Library:
        """A read-only Library on the same database for the calling thread: readers never wait
        for a write in progress (SQLite's WAL), and never share the writer's connection."""
        got = getattr(self._local, "reader", None)
        if got is None:
            got = self._local.reader = Library(self.store.path, readonly=True, workers=1)
            self._readers.append(got)
        return got

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(self.store)
        return self._writer

    def steps(self, host_fold: bool = True) -> list[Step[Item]]:
        """The steps of one run. With an executor that keeps a step's state on another process
        (a host process beside the workers, a Dask actor), the fold's decisions go there
        (`Relate`), ahead of the commit, so that this process only decides the stories and
        writes. A batch job computes facts once a story, at the end, on the workers: nobody
        reads its stories before it ends, and an ingest's facts after every batch cost a
        story's facts once per batch that touched it."""
        w = self.writer
        w.facts_at_end = self.executor.facts_at_end
        steps: list[Step[Item]] = [
            KnownInputs(w),
            Extract(self.ingest_settings),
            Outlets(w),
            Prepare(self.ingest_settings, self.fold_settings),
        ]
        seed = w.fold_seed() if host_fold and self.executor.hosts_state else None
        if seed is not None:
            steps.append(Relate(*seed))
            w.outside_fold = True
        steps.append(Commit(w))
        return steps

    def ingest(
        self, paths: Iterable[str | Path], progress: Progress | None = None, outlet: str | None = None
    ) -> IngestReport:
        """Read files/folders and run every new article through the flow. `outlet`: who
        publishes the inputs that name no outlet of their own, in their container or their text
        (a folder of one outlet's plain-text files); without it such a file speaks as itself."""
        items = read_inputs(paths)
        if outlet and outlet.strip():
            items = (
                dataclasses.replace(it, hints={**it.hints, "default_outlet": outlet.strip()})
                if isinstance(it, RawDocument)
                else it
                for it in items
            )
        return self.ingest_raw(items, progress)

    def ingest_documents(self, docs: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """JSONL-style dicts (the HTTP write endpoint); same path as files. The answer says what
        each document became, under its own `id` when it had one."""
        raws: list[RawDocument | Rejection] = []
        for i, doc in enumerate(docs):
            if not isinstance(doc, dict) or not str(doc.get("text") or doc.get("html") or "").strip():
                given = doc.get("id") if isinstance(doc, dict) else None
                raws.append(
                    Rejection(
                        f"request#{i}",
                        "needs a non-empty 'text' (or 'html') field",
                        str(given) if given is not None else None,
                    )
                )
                continue
            # surrogatepass: a lone surrogate (JSON may escape one) must not stop the request
            line = json.dumps(doc, ensure_ascii=False, sort_keys=True, default=str).encode(
                "utf-8", "surrogatepass"
            )
            hints = clean_hints(doc)
            raws.append(RawDocument(f"request#{i}", "jsonl", line, hints))
        return self.ingest_raw(raws, keep_inputs=True).as_dict()

    def ingest_raw(
        self,
        inputs: Iterable[RawDocument | Rejection],
        progress: Progress | None = None,
        keep_inputs: bool = False,
    ) -> IngestReport:
        """`keep_inputs`: the report lists what each input became (for small runs: the API).
        A run of more than HOST_FOLD_FROM batches keeps the fold's decisions in a process of
        their own, if the executor can: starting it costs more than a few batches save."""
        chunks = self._chunks(inputs)
        first = list(islice(chunks, HOST_FOLD_FROM + 1))
        large = len(first) > HOST_FOLD_FROM
        return self.ingest_batches(chain(first, chunks), progress, keep_inputs, host_fold=large)

    def ingest_batches(
        self,
        batches: Iterable[Sequence[RawDocument | Rejection]],
        progress: Progress | None = None,
        keep_inputs: bool = False,
        host_fold: bool = False,
    ) -> IngestReport:
        """`ingest_raw` with the batches cut by the caller: a live source cuts them by time, so
        what arrived slowly is written without waiting for a full batch. `host_fold`: the fold's
        decisions in a process of their own, if the executor keeps states apart (a batch job's
        always are)."""
        report = self.writer.begin_run(keep_inputs)
        items = (
            [Item(None, x, Status.REJECTED) if isinstance(x, Rejection) else Item(x) for x in chunk]
            for chunk in batches
            if chunk
        )
        # (a batch job, which computes facts at the end, keeps its fold apart whatever its size)
        steps = self.steps(host_fold or self.executor.facts_at_end)

        def warm() -> None:
            # while the workers prepare the first new articles, this process reads the stages'
            # state, and a fold kept in a host process reads its own
            if self.writer.expect_new:
                self.executor.start_hosts(steps)
            self.writer.warm()

        try:
            for batch in self.executor.run(steps, items, idle=warm):
                if progress:
                    progress(batch, report)
            t = time.thread_time()
            self.writer.finish(self.executor.map if self.writer.facts_at_end else None)
            self.executor.account("facts at the end", "here", time.thread_time() - t)
        except BaseException:
            self.writer.reset()  # a run cut short: memory may be ahead of the store
            raise
        return report

    def _chunks(self, inputs: Iterable[RawDocument | Rejection]) -> Iterator[list[RawDocument | Rejection]]:
        it = iter(inputs)
        while chunk := list(islice(it, self.batch_size)):
            yield chunk

    def reconcile_all(self) -> None:
        """The full fixpoint: every story's facts and every source's reliability solved together
        (Accu with group priors and echo discounts, `reconcile.reconcile_all`). An ingest only
        recomputes the stories it touched; this is the explicit, whole-database pass. It reads
        every claim, so its memory grows with the database."""
        store = self.store
        by_story = store.claims_by_story()
        articles = {a.id: a for sid in by_story for a in store.story_heads(sid)}
        relations = [r for sid in by_story for r in store.story_relations(sid)]
        facts, reliability = reconcile_all(by_story, articles, relations)
        grouped: dict[str, list[Fact]] = {s: [] for s in store.story_ids()}
        for f in facts:
            grouped.setdefault(f.story_id, []).append(f)
        weights = {r.source: r.reliability for r in reliability.values()}
        with store.transaction():
            for sid, fs in grouped.items():
                store.put_facts(sid, fs)
                heads = {a.id: a for a in store.story_heads(sid)}
                _, tallies = reconcile_story_tally(
                    sid, by_story.get(sid, []), heads, store.story_relations(sid), weights
                )
                store.put_tallies(sid, tallies)
            store.put_reliability(reliability.values())

    # ------------------------------------------------------------------ reading

    def list_stories(self, limit: int = 50, offset: int = 0, q: str | None = None) -> list[Story]:
        return self.store.stories(limit=limit, offset=offset, q=q)

    def stories(self, q: str | None = None) -> pa.Table:
        """Every story (those whose articles match `q`, when given) as an Arrow table, largest
        first: id, title, languages, first_date, last_date, n_articles, n_disputed.
        `.to_pandas()` or `polars.from_arrow(...)` for a data frame."""
        from storyfold.present.tables import story_table

        page, rows = 1000, list[Story]()
        with self.store.snapshot():
            while True:
                got = self.store.stories(limit=page, offset=len(rows), q=q)
                rows.extend(got)
                if len(got) < page:
                    break
            ids = [s.id for s in rows]
            sizes = self.store.article_counts(ids)
            disputed = self.store.disputed_counts(ids) if ids else {}
        return story_table((s, sizes.get(s.id, 0), disputed.get(s.id, 0)) for s in rows)

    def facts(self, story_id: str | None = None) -> pa.Table:
        """The facts of one story (an id or a unique prefix), or of every story, as an Arrow
        table: one row a fact, with its value, the sources and articles stating it and those
        contradicting it."""
        from storyfold.present.tables import fact_table

        with self.store.snapshot():
            if story_id is not None:
                sid = self.resolve(story_id)
                ids = [sid] if sid is not None else []
            else:
                ids = self.store.story_ids()
            facts = [f for sid in ids for f in sorted(self.store.facts_of(sid), key=_reading_order)]
        return fact_table(facts)

    def sources(self) -> pa.Table:
        """Each source's reliability as learnt from what it said: source, reliability, n_claims,
        n_agree."""
        from storyfold.present.tables import source_table

        return source_table(self.store.reliability())

    def resolve(self, story_ref: str) -> str | None:
        """A full story id, a unique prefix of one, or the full id of a story since merged;
        None when nothing matches. A prefix of several ids raises AmbiguousId."""
        if self.store.story(story_ref):
            return story_ref
        hits = self.store.find_story(story_ref)
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise AmbiguousId(story_ref, hits)
        return self.store.alias_of(story_ref)

    def brief(self, story_id: str) -> StoryBrief | None:
        with self.store.snapshot():  # one consistent view, while a writer may commit meanwhile
            return self._brief(story_id)

    def _brief(self, story_id: str) -> StoryBrief | None:
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

    def article_counts(self, story_ids: Sequence[str]) -> dict[str, int]:
        return self.store.article_counts(story_ids)

    def followed(self) -> list[FollowedSource]:
        """The sources `storyfold follow` reads into this database: last read, counts, last error."""
        from storyfold.store.follow import FollowState

        return FollowState(self.store).sources()
