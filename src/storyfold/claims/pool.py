"""Claim extraction over a batch of articles on several processes.

Claims are a pure function of the `Article`, and extraction is plain CPU-bound Python (about
2 ms an article), so the batch path spreads it over worker processes: threads would share one
interpreter lock. A small batch stays in-process, where starting or feeding workers would cost
more than it saves. Results come back in input order, lazily, so a caller can consume each
article's claims as it reaches that article while the workers go on with the rest.

A failing article never raises out of `ClaimPool.map`: its slot holds an `ExtractionFailure`
(the exception's type, message and traceback, which pickle where arbitrary exceptions may not),
and the rest of the batch goes on, as it does in-process. If the pool itself breaks (a worker
killed), the remaining articles are extracted in-process and the pool is not used again.

Workers are started on the first large batch and live until `close()`; the start method is the
platform's default unless `mp_context` names one ("fork", "spawn", "forkserver"), except that a
process already running threads (the HTTP server) spawns rather than forks. With "spawn" or
"forkserver", a script that creates the pool at module level needs the usual
`if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from storyfold.claims.extractor import extract_claims
from storyfold.model import Article, Claim

log = logging.getLogger(__name__)

# Below this many articles a batch is extracted in-process (about 2 ms an article: feeding
# workers and waiting on them costs a few milliseconds a batch).
MIN_POOLED_BATCH = 32
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """The CPUs this process may run on, capped: extraction scales with cores, not beyond."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, MAX_DEFAULT_WORKERS))


@dataclass(frozen=True)
class ExtractionFailure:
    """Why extraction raised on one article; `str()` reads like the exception did."""

    error_type: str
    message: str
    traceback: str

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"


def extract_or_failure(article: Article) -> list[Claim] | ExtractionFailure:
    """`extract_claims`, with an exception turned into a value (what a worker sends back)."""
    try:
        return extract_claims(article)
    except Exception as exc:  # one odd article must not sink the batch
        return ExtractionFailure(type(exc).__name__, str(exc), traceback.format_exc())


class ClaimPool:
    """Extracts claims for batches of articles, on `workers` processes when a batch is large.

    `workers=None` uses `default_workers()`; `workers=1` always extracts in-process.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        min_batch: int = MIN_POOLED_BATCH,
        mp_context: str | None = None,
    ) -> None:
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self.min_batch = max(1, min_batch)
        self.mp_context = mp_context
        self._executor: ProcessPoolExecutor | None = None
        self._broken = False  # the workers died once: in-process from then on
        self._closed = False

    def pooled(self, n: int) -> bool:
        """Would a batch of `n` articles go to the workers?"""
        return self.workers > 1 and not (self._broken or self._closed) and n >= self.min_batch

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            ctx = multiprocessing.get_context(self.mp_context)
            if self.mp_context is None and ctx.get_start_method() == "fork" and threading.active_count() > 1:
                # a forked child of a threaded process (the HTTP server) can hang on a lock
                # another thread held at the fork: start clean interpreters instead
                ctx = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx)
        return self._executor

    def map(self, articles: Sequence[Article]) -> Iterator[list[Claim] | ExtractionFailure]:
        """Each article's claims (or its failure), in input order, as they are ready."""
        if not self.pooled(len(articles)):
            for a in articles:
                yield extract_or_failure(a)
            return
        # a few chunks per worker: few round trips, and the last chunks even out the load
        chunk = max(1, -(-len(articles) // (4 * self.workers)))
        done = 0
        try:
            for result in self._pool().map(extract_or_failure, articles, chunksize=chunk):
                yield result
                done += 1
        except BrokenProcessPool:
            log.warning("claim extraction workers stopped; extracting in-process from now on")
            self._broken = True
            self._shutdown()
            for a in articles[done:]:
                yield extract_or_failure(a)

    def _shutdown(self) -> None:
        ex, self._executor = self._executor, None
        if ex is not None:
            ex.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers (if any were started); later batches are extracted in-process."""
        self._closed = True
        self._shutdown()

    def __enter__(self) -> ClaimPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
