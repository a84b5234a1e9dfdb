"""Following live sources: rounds of fetching feeds, URL lists and folders into the ingest.

A round has two sides at once. A fetching thread runs the async fetcher: it reads each feed
(conditionally: an unchanged feed costs one 304), lists its items, drops those the store has
already seen, and fetches the pages of the rest, as politeness allows. This thread, the
database's writer, ingests the documents as they come, in batches cut by size or by a short
lull, through the same steps as `storyfold ingest`, and records after each batch what each item
became. So a round lasts as long as the politeness settings make the fetching last, and a
restart or a re-run never fetches an item that was stored, nor adds one twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyfold.ingest.live.fetch import Fetcher, FetchSettings
from storyfold.ingest.live.robots import Known
from storyfold.ingest.live.sources import (
    FEED_TYPES,
    Item,
    Source,
    entry_document,
    entry_text_chars,
    feed_items,
    folder_files,
    page_document,
    read_url_list,
)
from storyfold.ingest.readers import read_file
from storyfold.model import FollowedItem, InputRecord, RawDocument, Rejection
from storyfold.store.follow import FollowState
from storyfold.store.sqlite import Store

if TYPE_CHECKING:
    from storyfold.pipeline.library import Library
    from storyfold.pipeline.writer import IngestReport

log = logging.getLogger(__name__)

Say = Callable[[str], None]


@dataclass(frozen=True)
class FollowSettings:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    max_attempts: int = 3  # rounds an item that failed for a passing reason (5xx, timeout) is tried
    settle: float = 0.0  # a folder's file changed less than this many seconds ago waits a round
    max_items: int = 10_000  # entries read from one feed
    linger: float = 0.5  # seconds without a new document before a partial batch is written
    # an entry carrying this much text stands in for its page when the page is out of reach
    feed_text_min_chars: int = 500


@dataclass
class RoundReport:
    """What one round did; `added + known + failed == items` for the items it took up."""

    sources: int = 0
    unchanged: int = 0  # feeds that answered 304, folders with no new file
    source_errors: int = 0
    items: int = 0  # new items taken up: pages, feed entries without a page, files' inputs
    added: int = 0
    known: int = 0  # already stored (same bytes, same article, or a page another source had)
    failed: int = 0
    requests: int = 0
    not_modified: int = 0
    seconds: float = 0.0
    stopped: bool = False  # cut short by a stop request

    def line(self) -> str:
        return (
            f"{self.sources} sources read ({self.unchanged} unchanged, {self.source_errors} failed):"
            f" {self.items} new items, {self.added} articles added, {self.known} already stored,"
            f" {self.failed} failed; {self.requests} requests ({self.not_modified} answered 304)"
            f" in {self.seconds:.1f} s" + (" (stopped)" if self.stopped else "")
        )


# ---------------------------------------------------------------------- what the fetcher sends


@dataclass(frozen=True)
class _SourceRead:
    source: Source
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    not_modified: bool = False


@dataclass(frozen=True)
class _Doc:
    item: Item
    doc: RawDocument | Rejection
    attempts: int  # before this one
    retryable: bool = False
    in_file: bool = False  # one of the inputs of a folder's file (`item` is the file)
    also: tuple[tuple[Item, int], ...] = ()  # other sources' items for the same page
    note: str | None = None  # said with the item's line


@dataclass(frozen=True)
class _Known:
    item: Item
    article_id: str | None


@dataclass(frozen=True)
class _FileDone:
    """Every input of a folder's file was sent."""

    source: Source
    key: str
    stamp: str


_END = object()


@dataclass
class _FileTally:
    added: int = 0
    failed: int = 0
    inputs: int = 0


class Follower:
    """Rounds over `sources` into `lib` (which must be writable)."""

    def __init__(
        self,
        lib: Library,
        sources: Sequence[Source],
        settings: FollowSettings | None = None,
        say: Say | None = None,
        lock: threading.RLock | None = None,
    ) -> None:
        self.lib = lib
        self.sources = list(sources)
        self.settings = settings or FollowSettings()
        self.say: Say = say or (lambda line: log.info("%s", line))
        # held while writing; a server's POSTs take the same lock (`shared`)
        self.shared = lock is not None
        self.lock = lock if lock is not None else threading.RLock()
        self.state = FollowState(lib.store)
        self.stop = threading.Event()
        self.rounds = 0
        self._robots: Known = {}  # the sites' robots.txt rules, across rounds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ the loop

    def run(self, every: float, rounds: int | None = None) -> None:
        """Rounds every `every` seconds (from the start of one to the start of the next) until
        `stop` is set or `rounds` are done."""
        while not self.stop.is_set():
            started = time.monotonic()
            report = self.round()
            self.say(f"round {self.rounds}: {report.line()}")
            if rounds is not None and self.rounds >= rounds:
                return
            self.stop.wait(max(0.0, every - (time.monotonic() - started)))

    def request_stop(self) -> None:
        """Stop soon: fetches in flight are abandoned, what was fetched is written."""
        self.stop.set()
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            loop.call_soon_threadsafe(task.cancel)

    def round(self) -> RoundReport:
        """One round over every source; never raises for a source's or an item's failure."""
        self.rounds += 1
        started = time.monotonic()
        report = RoundReport(sources=len(self.sources))
        events: queue.Queue[object] = queue.Queue(maxsize=2 * self.lib.batch_size)  # pages held: bounded
        stats: dict[str, int] = {}
        thread = threading.Thread(
            target=self._fetching, args=(events, stats), name="storyfold-fetch", daemon=True
        )
        pending: dict[str, _Doc] = {}  # by the input's source, until the ingest says what it became
        files: dict[tuple[str, str], _FileTally] = {}
        done_files: list[_FileDone] = []
        reads: list[_SourceRead] = []
        knowns: list[_Known] = []

        def flush(records: Sequence[InputRecord] = ()) -> None:
            with self.lock, self.lib.store.transaction():
                self._record_reads(reads, report)
                self._record_known(knowns, report)
                self._record_docs(records, pending, files, report)
            reads.clear()
            knowns.clear()

        def batches() -> Iterator[list[RawDocument | Rejection]]:
            batch: list[RawDocument | Rejection] = []
            while True:
                try:
                    ev = events.get(timeout=self.settings.linger if batch else 0.2)
                except queue.Empty:
                    if batch:
                        yield batch
                        batch = []
                    elif reads or knowns:
                        flush()
                    continue
                if ev is _END:
                    break
                if isinstance(ev, _SourceRead):
                    reads.append(ev)
                elif isinstance(ev, _Known):
                    knowns.append(ev)
                elif isinstance(ev, _FileDone):
                    done_files.append(ev)
                elif isinstance(ev, _Doc):
                    pending[ev.doc.source] = ev
                    batch.append(ev.doc)
                    report.items += 1
                    if ev.in_file:
                        files.setdefault((ev.item.source, ev.item.key), _FileTally()).inputs += 1
                if len(batch) >= self.lib.batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch

        self.lib.executor.start()
        thread.start()
        try:
            self._ingest(batches(), flush)
        finally:
            if thread.is_alive():  # the ingest failed (a full disk): stop fetching for it
                self.request_stop()
                while thread.is_alive():
                    with contextlib.suppress(queue.Empty):
                        events.get(timeout=0.1)
            thread.join()
        flush()
        with self.lock, self.lib.store.transaction():
            self._record_files(done_files, files)
        report.requests = stats.get("requests", 0)
        report.not_modified = stats.get("not_modified", 0)
        report.seconds = time.monotonic() - started
        report.stopped = self.stop.is_set()
        return report

    def _ingest(
        self,
        batches: Iterator[list[RawDocument | Rejection]],
        flush: Callable[[Sequence[InputRecord]], None],
    ) -> None:
        """Alone, one ingest run over the whole round, pipelined; sharing the Library with a
        server's POSTs, one run a batch, so that a POST waits for a batch, not for a round."""
        if not self.shared:
            shown = 0

            def progress(_batch: object, got: IngestReport) -> None:
                nonlocal shown
                records = got.inputs[shown:]
                shown += len(records)
                flush(records)

            with self.lock:
                self.lib.ingest_batches(batches, progress=progress, keep_inputs=True)
            return
        for batch in batches:
            with self.lock:
                got = self.lib.ingest_batches([batch], keep_inputs=True)
            flush(got.inputs)

    # ------------------------------------------------------------------ the fetching thread

    def _fetching(self, events: queue.Queue[object], stats: dict[str, int]) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._task = asyncio.current_task()
            if self.stop.is_set():
                return
            async with Fetcher(self.settings.fetch, robots=self._robots) as fetcher:
                try:
                    await self._produce(fetcher, _Channel(events))
                finally:
                    stats["requests"] = fetcher.requests
                    stats["not_modified"] = fetcher.not_modified

        try:
            asyncio.run(main())
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - a bug here must not leave the writer waiting forever
            log.exception("the fetching thread failed")
        finally:
            self._loop = self._task = None
            events.put(_END)

    async def _produce(self, fetcher: Fetcher, out: _Channel) -> None:
        reader = Store(self.lib.store.path, readonly=True)
        try:
            state = FollowState(reader)
            for src in self.sources:
                if src.kind == "folder":
                    await self._folder(src, state, out)
            listed: list[list[Item]] = []
            for src in self.sources:
                if src.kind == "urls":
                    listed.append(await self._url_list(src, out))
            feeds = [self._feed(src, fetcher, state, out) for src in self.sources if src.kind == "feed"]
            listed.extend(await asyncio.gather(*feeds))
            also: dict[str, list[tuple[Item, int]]] = {}  # by URL: the items of other sources
            todo = [x for items in listed for x in await self._new_items(items, state, also, out)]
            work = [
                asyncio.create_task(self._page(item, n, also.get(item.url or ""), fetcher, out))
                for item, n in todo
            ]
            if work:
                await asyncio.gather(*work)
        finally:
            reader.close()

    async def _folder(self, src: Source, state: FollowState, out: _Channel) -> None:
        try:
            files = list(folder_files(src.location, self.settings.settle))
        except OSError as exc:
            await out.put(_SourceRead(src, None, error=f"cannot read the folder: {exc}"))
            return
        known = state.items(src.location, [k for k, _, _ in files])
        changed = [(k, p, stamp) for k, p, stamp in files if k not in known or known[k].stamp != stamp]
        await out.put(_SourceRead(src, None, not_modified=not changed))
        for key, path, stamp in changed:
            item = Item(src.location, key, None)
            for doc in read_file(path, self.lib.ingest_settings, name=key):
                if self.stop.is_set():
                    return
                await out.put(_Doc(item, doc, 0, in_file=True))
            await out.put(_FileDone(src, key, stamp))

    async def _url_list(self, src: Source, out: _Channel) -> list[Item]:
        try:
            items, problems = read_url_list(src.location)
        except OSError as exc:
            await out.put(_SourceRead(src, None, error=f"cannot read the file of URLs: {exc}"))
            return []
        for p in problems:
            self.say(f"failed {p}")
        await out.put(_SourceRead(src, None, error=problems[-1] if problems else None))
        return items

    async def _feed(self, src: Source, fetcher: Fetcher, state: FollowState, out: _Channel) -> list[Item]:
        prev = state.source(src.location)
        # items to try again are listed by the feed itself, with their titles and dates: while
        # there are any, the feed is asked for whole rather than conditionally
        conditional = prev is not None and not state.retrying(src.location, self.settings.max_attempts)
        got = await fetcher.get(
            src.location,
            prev.etag if prev and conditional else None,
            prev.last_modified if prev and conditional else None,
        )

        if got.not_modified:
            await out.put(_SourceRead(src, got.status, not_modified=True))
            return []
        if not got.ok:
            await out.put(_SourceRead(src, got.status or None, error=got.error))
            return []
        items, error = feed_items(src.location, got, self.settings.max_items)
        if error and got.content_type and not any(t in got.content_type for t in FEED_TYPES):
            error = f"{error}; a page's URL goes in a file of URLs"
        # validators are kept only for a feed that was read: a broken answer is fetched again
        etag, modified = (None, None) if error else (got.etag, got.last_modified)
        await out.put(_SourceRead(src, got.status, etag, modified, error=error))
        return items

    async def _new_items(
        self, items: list[Item], state: FollowState, also: dict[str, list[tuple[Item, int]]], out: _Channel
    ) -> list[tuple[Item, int]]:
        """The items to fetch: not seen, or failed for a passing reason fewer than
        `max_attempts` times; a page another source already stored is recorded, not fetched."""
        if not items:
            return []
        known = state.items(items[0].source, [i.key for i in items])
        fresh: list[tuple[Item, int]] = []
        keys: set[str] = set()
        for item in items:
            seen = known.get(item.key)
            if item.key in keys or (
                seen and (seen.status != "retry" or seen.attempts >= self.settings.max_attempts)
            ):
                continue
            keys.add(item.key)
            fresh.append((item, seen.attempts if seen else 0))
        elsewhere = state.done_urls([i.url for i, _ in fresh if i.url])
        todo: list[tuple[Item, int]] = []
        for item, attempts in fresh:
            if item.url and item.url in elsewhere:
                await out.put(_Known(item, elsewhere[item.url]))
            elif item.url and item.url in also:
                also[item.url].append((item, attempts))  # fetched once, recorded for both
            else:
                if item.url:
                    also[item.url] = []
                todo.append((item, attempts))
        return todo

    async def _page(
        self, item: Item, attempts: int, also: list[tuple[Item, int]] | None, fetcher: Fetcher, out: _Channel
    ) -> None:
        if self.stop.is_set():
            return
        if not item.url:
            await out.put(_Doc(item, entry_document(item, self.lib.ingest_settings.max_bytes), attempts))
            return
        got = await fetcher.get(item.url)
        if self.stop.is_set():
            return
        doc = page_document(item, got)
        note = None
        if (
            isinstance(doc, Rejection)
            and not got.retryable
            and entry_text_chars(item) >= self.settings.feed_text_min_chars
        ):
            note = f"from the feed's own text; the page: {doc.message}"
            doc = entry_document(item, self.lib.ingest_settings.max_bytes, where=item.url)
        retry = got.retryable and note is None
        await out.put(_Doc(item, doc, attempts, retry, also=tuple(also or ()), note=note))

    # ------------------------------------------------------------------ the state (writer side)

    def _record_reads(self, reads: list[_SourceRead], report: RoundReport) -> None:
        for r in reads:
            report.unchanged += int(r.not_modified)
            if r.error:
                report.source_errors += 1
                self.say(f"failed {r.source}: {r.error}")
            self.state.record_read(
                r.source.location,
                r.source.kind,
                status=r.status,
                etag=r.etag,
                last_modified=r.last_modified,
                error=r.error,
                keep_validators=r.not_modified or r.source.kind != "feed",
            )

    def _record_known(self, knowns: list[_Known], report: RoundReport) -> None:
        for k in knowns:
            report.items += 1
            report.known += 1
            self.state.put_items(
                [
                    FollowedItem(
                        k.item.source,
                        k.item.key,
                        "done",
                        k.item.url,
                        1,
                        k.article_id,
                        "stored from another source",
                    )
                ]
            )
            self.state.add_counts(k.item.source, items=1)

    def _record_docs(
        self,
        records: Sequence[InputRecord],
        pending: dict[str, _Doc],
        files: dict[tuple[str, str], _FileTally],
        report: RoundReport,
    ) -> None:
        for rec in records:
            doc = pending.pop(rec.source, None)
            if doc is None:
                continue
            item = doc.item
            where = rec.source if doc.in_file else (item.url or item.key)
            if rec.status == "article":
                report.added += 1
                self.say(f"added {where}" + (f" ({doc.note})" if doc.note else ""))
            elif rec.status == "duplicate":
                report.known += 1
            else:
                report.failed += 1
            if doc.in_file:
                tally = files.setdefault((item.source, item.key), _FileTally())
                tally.added += int(rec.status == "article")
                tally.failed += int(rec.status == "rejected")
                if rec.status == "rejected":
                    self.say(f"failed {where}: {rec.reason}")
                continue
            tries = doc.attempts + 1
            status = "done"
            if rec.status == "rejected":
                again = doc.retryable and tries < self.settings.max_attempts
                status = "retry" if again else "failed"
                more = f" (try {tries} of {self.settings.max_attempts})" if doc.retryable else ""
                self.say(f"failed {where}: {rec.reason}{more}")
            for it, before in ((item, doc.attempts), *doc.also):
                tried = before + 1
                st = status if status != "retry" or tried < self.settings.max_attempts else "failed"
                self.state.put_items(
                    [FollowedItem(it.source, it.key, st, it.url, tried, rec.article_id, rec.reason)]
                )
                self.state.add_counts(
                    it.source,
                    items=int(before == 0),
                    added=int(rec.status == "article" and it is item),
                    failed=int(st == "failed"),
                )

    def _record_files(self, done: list[_FileDone], files: dict[tuple[str, str], _FileTally]) -> None:
        for f in done:
            tally = files.pop((f.source.location, f.key), _FileTally())
            self.state.put_items(
                [FollowedItem(f.source.location, f.key, "done", None, 1, None, None, f.stamp)]
            )
            self.state.add_counts(
                f.source.location, items=tally.inputs, added=tally.added, failed=tally.failed
            )


class _Channel:
    """The fetching thread's side of the queue the writer reads: waiting for room must not
    block the event loop, whose other fetches go on meanwhile."""

    def __init__(self, events: queue.Queue[object]) -> None:
        self.events = events

    async def put(self, ev: object) -> None:
        while True:
            try:
                self.events.put_nowait(ev)
                return
            except queue.Full:
                await asyncio.sleep(0.02)
