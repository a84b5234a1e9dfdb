"""The database's one writer in a process of its own, for the HTTP server.

Why a process: the server answers reads on a pool of threads, and the writing (fold and cluster
decisions, the store) is plain Python; in one process the two would share one interpreter lock,
so a large POST would slow every read, and the reads the POST. With the writer apart, the
server's threads only read, through their own read-only connections, and the writer has a core.

With `serve --follow`, the child is also where the follow rounds run (`FollowPlan`): the
database has one writer, and the rounds and the POSTs take turns, a batch at a time.

The child holds the writer lock for as long as it lives; it dies with the server (the parent-
death signal), and a child that died is started again on the next write.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from storyfold.engine.local import _die_with_parent, collect_as_a_writer
from storyfold.ingest.live.sources import Source
from storyfold.pipeline.follow import FollowSettings
from storyfold.store import StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FollowPlan:
    """What `serve --follow` follows, and how often."""

    sources: tuple[Source, ...]
    settings: FollowSettings
    every: float


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _serve_writes(
    db_path: str, workers: int | None, conn: Connection, follow: FollowPlan | None = None
) -> None:
    """The child: open the database for writing, say so, then ingest what comes until told to
    stop; with a FollowPlan, its rounds run meanwhile on a thread, taking turns at the writing."""
    _die_with_parent()
    collect_as_a_writer()
    from storyfold.pipeline.follow import Follower
    from storyfold.pipeline.library import Library

    try:
        lib = Library(db_path, workers=workers)
    except StoreError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", None))
    lock = threading.RLock()
    follower = Follower(lib, follow.sources, follow.settings, say=_say, lock=lock) if follow else None
    rounds = None
    if follower is not None and follow is not None:
        rounds = threading.Thread(
            target=follower.run, args=(follow.every,), name="storyfold-follow", daemon=True
        )
        rounds.start()
    with lib:
        try:
            while True:
                try:
                    docs = conn.recv()
                except EOFError:
                    return
                if docs is None:
                    return
                try:
                    with lock:
                        answer = lib.ingest_documents(docs)
                    conn.send(("ok", answer))
                except Exception as exc:  # noqa: BLE001 - reported to the caller, the writer goes on
                    log.exception("ingest failed")
                    conn.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            if follower is not None and rounds is not None:
                follower.request_stop()
                rounds.join(60)


class WriterProcess:
    """`ingest_documents` in a child process; `reader()` a read-only Library for the calling
    thread. Raises StoreError at start when the database cannot be written (another writer)."""

    def __init__(
        self, db_path: str | Path, workers: int | None = None, follow: FollowPlan | None = None
    ) -> None:
        self.db_path = str(db_path)
        self.workers = workers
        self.follow = follow
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[Any] = []
        self._proc: Any = None
        self._conn: Connection | None = None
        self._start()
        atexit.register(self.close)

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")  # the server runs threads: never fork it
        mine, theirs = ctx.Pipe()
        # not a daemon: it has worker processes of its own; it stops on `close` (at exit too),
        # and the parent-death signal ends it if this process is killed
        proc = ctx.Process(target=_serve_writes, args=(self.db_path, self.workers, theirs, self.follow))
        proc.start()
        theirs.close()
        try:
            status, detail = mine.recv()
        except EOFError:
            status, detail = "error", "the writer process stopped while opening the database"
        if status != "ready":
            proc.join(5)
            raise StoreError(detail)
        self._proc, self._conn = proc, mine

    def ingest_documents(self, docs: list[dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                log.warning("the writer process had stopped; starting it again")
                self._start()
            assert self._conn is not None
            try:
                self._conn.send(docs)
                status, detail = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError) as exc:
                self._proc = None
                raise StoreError(f"the writer process stopped ({exc})") from exc
        if status != "ok":
            raise StoreError(str(detail))
        return cast(dict[str, Any], detail)

    def reader(self) -> Any:
        from storyfold.pipeline.library import Library

        got = getattr(self._local, "reader", None)
        if got is None:
            got = self._local.reader = Library(self.db_path, readonly=True, workers=1)
            self._readers.append(got)
        return got

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):
                    self._conn.send(None)
                self._conn.close()
            if self._proc is not None:
                self._proc.join(30)
                if self._proc.is_alive():
                    self._proc.terminate()
            self._proc = self._conn = None
        for r in self._readers:
            r.close()

    def __enter__(self) -> WriterProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
