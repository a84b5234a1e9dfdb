"""The local executor: parallel steps on worker processes, serial steps here, batches pipelined.

Why one executor owns the workers: every parallel stage (extraction, claims, fingerprints, the
article side of clustering) runs in the same pool, so an ingest or a server has one set of worker
processes, started once, instead of one pool per stage. While this process runs the serial steps
of one batch (deciding and writing), the workers already prepare the next ones (`ahead`).

Order is kept: a serial step sees the batches in the order they came, each after the previous
batch went through that step; results come out in input order. A portable step (the fold's
decisions) runs here like any serial step or, with `host` and workers, in a host process of
its own: the writing process is what bounds an ingest on two cores, and the fold's decisions
were a third of its time. The host gets the batches in the order they are handed over (one
process, one queue) and keeps the step's state between them; if it dies, the step's `lost`
says what its batches become.
Workers die with this process (Linux: the parent-death signal), so a killed ingest leaves no
orphans.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar, cast

from storyfold.engine.step import PortableStep, Step, StepHost, run_steps, segments

log = logging.getLogger(__name__)
T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")

MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """The CPUs this process may run on, capped."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, MAX_DEFAULT_WORKERS))


# the collector's rhythm as this module found it: a writing process may slow it down (the CLI
# does, its long-lived window being most of what the collector walks), and a worker, holding
# nothing long-lived, goes back to it, or its short-lived garbage piles up (500 MB at 100k)
_GC_THRESHOLD = gc.get_threshold()


def collect_as_a_writer() -> None:
    """The collector's rhythm for a process that writes a database. It holds hundreds of
    thousands of long-lived objects (the fold window, the live stories), mostly without
    cycles; at the default rhythm the collector walks them all again and again (5.2 s of a
    10k-article ingest's writing process, 1.6 s at this one). Workers keep the default."""
    gc.set_threshold(50_000, 20, 10)


def _run_in_worker(steps: list[Step[T]], batch: list[T]) -> tuple[list[T], dict[str, float]]:
    """`run_steps` in a worker, then what the chunk left behind is collected and the rest
    (the language tables and patterns it filled) frozen: the collector never walks them again,
    and garbage never outlives a chunk. With the batch, the CPU seconds each step took."""
    spent: dict[str, float] = {}
    out = run_steps(steps, batch, spent)
    gc.collect()
    gc.freeze()
    return out, spent


# in a host process: the portable steps it keeps, by the key the executor gave them
_HOSTED: dict[int, StepHost] = {}


def _host_start(key: int, step: PortableStep[Any]) -> None:
    """In the host process: keep the step (with the state it was sent with) for the batches to
    come. The state lives as long as the run, like a writer's: collected at a writer's rhythm."""
    collect_as_a_writer()
    _HOSTED[key] = StepHost(step)


def _host_work(key: int, number: int, payload: Any) -> tuple[Any, float]:
    """In the host process: the step's answer for batch `number`, and its CPU seconds."""
    host = _HOSTED.get(key)
    if host is None:
        raise RuntimeError("the host process holds no state for this step")
    return host.work(number, payload)


def failed(why: str) -> Future[Any]:
    """A future that failed already: a batch for a host that is gone."""
    fut: Future[Any] = Future()
    fut.set_exception(RuntimeError(why))
    return fut


def lose_host_on_failure(fut: Future[Any], entry: list[Any]) -> None:
    """Once `fut` (a batch handed to a host) fails, the host entry ([host, batches handed
    over]) loses its host: later batches then fail at once, as the state missed one."""

    def forget(f: Future[Any]) -> None:
        if f.cancelled() or f.exception() is not None:
            entry[0] = None

    fut.add_done_callback(forget)


def _timed(fn: Callable[[A], R], x: A) -> tuple[R, float]:
    t = time.thread_time()
    return fn(x), time.thread_time() - t


def _die_with_parent() -> None:
    """Worker initializer: on Linux, ask the kernel to end this worker when its parent ends
    (kill -9 included), so no worker outlives an interrupted ingest; and collect garbage at
    the rhythm the parent started with."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.set_threshold(*_GC_THRESHOLD)


@dataclass
class _Job(Generic[T]):
    data: list[T]
    pos: int = 0  # the next segment to run
    futures: list[Future[Any]] = field(default_factory=list)
    hosted: bool = False  # the futures are a portable step's answer, not chunks of the batch


class LocalExecutor:
    """Runs a list of steps over a stream of batches on this machine.

    `workers`: processes for the parallel steps (None: the CPUs, up to 4; 1: everything in this
    process). The pool starts on the first parallel batch and lives until `close()`.
    `ahead`: batches in flight at once (one being written, the others being prepared).
    `host`: with workers, portable steps run in a host process of their own, one per run.
    """

    # what a chunk's future raises when the workers that had it are gone for good
    lost_work: tuple[type[BaseException], ...] = (BrokenProcessPool,)
    # facts once a story at the end of a run rather than after each batch (a batch job's way)
    facts_at_end = False

    def __init__(
        self, workers: int | None = None, *, ahead: int = 3, mp_context: str | None = None, host: bool = False
    ) -> None:
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self.ahead = max(1, ahead)
        self.mp_context = mp_context
        self.host = host
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False
        # portable steps' host processes: id(step) -> [pool or None once lost, batches handed over]
        self._hosts: dict[int, list[Any]] = {}
        self._spare_host: ProcessPoolExecutor | None = None  # started by `start`, given to a step
        self._ctx: Any = None  # how processes start (fork or spawn), decided with the first pool
        # CPU seconds by (step, where it ran: "here", "workers", "host"), for the run's account
        self.spent: defaultdict[tuple[str, str], float] = defaultdict(float)

    def account(self, name: str, where: str, seconds: float) -> None:
        """Add CPU seconds to a step's account."""
        self.spent[(name, where)] += seconds

    def _add(self, spent: dict[str, float], where: str) -> None:
        for name, seconds in spent.items():
            self.spent[(name, where)] += seconds

    # ------------------------------------------------------------------ pool

    @property
    def pooled(self) -> bool:
        return self.workers > 1 and not self._broken

    @property
    def hosts_state(self) -> bool:
        """Whether a portable step's state is kept on another process (`_hosted`)."""
        return self.host and self.pooled

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        if self._ctx is None:  # decided with the first pool: the later ones' threads are its own
            ctx = multiprocessing.get_context(self.mp_context)
            if self.mp_context is None and ctx.get_start_method() == "fork" and threading.active_count() > 1:
                # a forked child of a threaded process (the HTTP server) can hang on a lock
                # another thread held at the fork: start clean interpreters instead
                ctx = multiprocessing.get_context("spawn")
            self._ctx = ctx
        return ProcessPoolExecutor(workers, mp_context=self._ctx, initializer=_die_with_parent)

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._new_pool(self.workers)
        return self._pool

    def start(self) -> None:
        """Start the worker processes now rather than on the first parallel batch: a caller
        about to start threads of its own (a follower's fetching) gets them forked while this
        process has one thread, instead of spawned, which imports everything again."""
        if self.pooled:
            pool = self._get_pool()
            futures = [pool.submit(os.getpid) for _ in range(self.workers)]
            if self.host and self._spare_host is None:
                self._spare_host = self._new_pool(1)
                futures.append(self._spare_host.submit(os.getpid))
            wait(futures)

    def close(self) -> None:
        self._release_hosts()
        spare, self._spare_host = self._spare_host, None
        if spare is not None:
            spare.shutdown(wait=True)
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ running

    def run(
        self,
        steps: Sequence[Step[T]],
        batches: Iterable[list[T]],
        idle: Callable[[], object] | None = None,
    ) -> Iterator[list[T]]:
        """Each batch after every step, in input order. `idle`, if given, is called whenever this
        process would otherwise wait for the workers (say, to read state a serial step needs)."""
        segs = segments(list(steps))
        jobs: deque[_Job[T]] = deque()
        source = iter(batches)
        exhausted = False
        try:
            while True:
                while not exhausted and len(jobs) < self.ahead:
                    batch = next(source, None)
                    if batch is None:
                        exhausted = True
                        break
                    job = _Job(list(batch))
                    jobs.append(job)
                    self._advance(job, segs)
                while jobs and jobs[0].pos == len(segs) and not jobs[0].futures:
                    yield jobs.popleft().data
                if not jobs:
                    if exhausted:
                        return
                    continue
                if not self._run_serial(jobs, segs):
                    pending = [f for j in jobs for f in j.futures if not f.done()]
                    if pending and idle is not None:
                        idle()
                        pending = [f for f in pending if not f.done()]
                    if pending:
                        wait(pending, return_when=FIRST_COMPLETED)
                    for j in jobs:
                        if j.futures and all(f.done() for f in j.futures):
                            self._collect(j, segs)
        finally:
            for j in jobs:
                for f in j.futures:
                    f.cancel()
            self._release_hosts()

    def map(self, fn: Callable[[A], R], items: Iterable[A], name: str | None = None) -> Iterator[R]:
        """`fn` of each item, in order: on the workers when there are any (a few items a worker
        in flight), here otherwise or once they are gone. `fn` must pickle (a module's function).
        Its CPU seconds go to the account under `name` (default: the function's)."""
        timed = partial(_timed, fn)
        name = name or fn.__name__
        queue: deque[tuple[A, Future[tuple[R, float]] | None]] = deque()
        for x in items:
            fut = None
            if self.pooled:
                try:
                    fut = self._submit(self._get_pool(), timed, x)
                except (BrokenProcessPool, RuntimeError) as exc:
                    self._give_up_pool(exc)
            queue.append((x, fut))
            while len(queue) > 2 * self.workers or (queue and queue[0][1] is None):
                yield self._answer(timed, name, *queue.popleft())
        while queue:
            yield self._answer(timed, name, *queue.popleft())

    def _answer(
        self, timed: Callable[[A], tuple[R, float]], name: str, x: A, fut: Future[tuple[R, float]] | None
    ) -> R:
        if fut is not None:
            try:
                got: tuple[R, float] = self._result(fut)
                self.account(name, "workers", got[1])
                return got[0]
            except self.lost_work as exc:  # the workers are gone: done here
                self._give_up_pool(exc)
        answer, seconds = timed(x)
        self.account(name, "here", seconds)
        return answer

    def _advance(self, job: _Job[T], segs: list[tuple[bool, list[Step[T]]]]) -> None:
        """Start the job's parallel segment if that is what comes next."""
        while job.pos < len(segs) and segs[job.pos][0] and not job.futures:
            group = segs[job.pos][1]
            if not self.pooled or len(job.data) < 2:
                spent: dict[str, float] = {}
                job.data = run_steps(group, job.data, spent)
                self._add(spent, "here")
                job.pos += 1
                continue
            try:
                pool = self._get_pool()
                job.futures = [
                    self._submit(pool, _run_in_worker, group, chunk) for chunk in self._chunks(job.data)
                ]
            except (BrokenProcessPool, RuntimeError) as exc:
                self._give_up_pool(exc)
                continue
            return

    def _submit(self, pool: Any, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """`fn(*args)` on the pool (every piece of parallel work goes through here)."""
        return cast(Future[Any], pool.submit(fn, *args))

    def _result(self, fut: Future[Any]) -> Any:
        """What a future from `_submit` answers."""
        return fut.result()

    def _chunks(self, data: list[T]) -> list[list[T]]:
        n = min(len(data), 2 * self.workers)  # two chunks a worker: the last ones even out the load
        size = -(-len(data) // n)
        return [data[i : i + size] for i in range(0, len(data), size)]

    def _collect(self, job: _Job[T], segs: list[tuple[bool, list[Step[T]]]]) -> None:
        group = segs[job.pos][1]
        futures, job.futures = job.futures, []
        if job.hosted:
            job.hosted = False
            step = group[0]
            assert isinstance(step, PortableStep)
            try:
                answer, seconds = futures[0].result()
                self.account(step.name, "host", seconds)
                job.data = step.receive(job.data, answer)
            except Exception as exc:  # noqa: BLE001 - the state is gone, whatever took it
                log.warning("step %s lost its state (%s: %s)", step.name, type(exc).__name__, exc)
                job.data = step.lost(job.data)
            job.pos += 1
            self._advance(job, segs)
            return
        out: list[T] = []
        chunks = self._chunks(job.data)
        for fut, chunk in zip(futures, chunks, strict=True):
            spent: dict[str, float] = {}
            try:
                done: list[T]
                done, spent = self._result(fut)
                out.extend(done)
                self._add(spent, "workers")
            except self.lost_work as exc:  # the workers are gone: this chunk is done here
                self._give_up_pool(exc)
                out.extend(run_steps(group, chunk, spent))
                self._add(spent, "here")
        job.data = out
        job.pos += 1
        self._advance(job, segs)

    def _run_serial(self, jobs: deque[_Job[T]], segs: list[tuple[bool, list[Step[T]]]]) -> bool:
        """Run one serial segment that may run now (its batch is ready and every earlier batch
        has passed that segment); False when none may."""
        lowest = len(segs)
        for job in jobs:
            if not job.futures and job.pos < len(segs) and not segs[job.pos][0] and lowest > job.pos:
                group = segs[job.pos][1]
                if len(group) == 1 and isinstance(group[0], PortableStep):
                    fut = self._hosted(group[0], job.data)
                    if fut is not None:
                        job.futures, job.hosted = [fut], True
                        return True
                spent: dict[str, float] = {}
                job.data = run_steps(group, job.data, spent)
                self._add(spent, "here")
                job.pos += 1
                self._advance(job, segs)
                return True
            # a batch handed to a portable step's host has passed it as far as order goes: the
            # host takes batches in the order they are handed over
            lowest = min(lowest, job.pos + job.hosted)
        return False

    def _hosted(self, step: PortableStep[T], batch: list[T]) -> Future[Any] | None:
        """A future of `step.work` run where the step's state is kept, or None: here. The first
        batch starts the host process and sends it the step with its state; a host that failed
        once answers every later batch with a failure (the step's `lost` then decides)."""
        if not self.hosts_state:
            return None
        payload = step.send(batch)
        if id(step) not in self._hosts and not payload:
            return None  # nothing to decide (inputs already stored): no host to start for it
        entry = self._start_host(step)
        host, number = entry
        if host is None:
            return failed(f"the process holding step {step.name!r} is gone")
        entry[1] += 1
        try:
            fut: Future[Any] = host.submit(_host_work, id(step), number, payload)
        except (BrokenProcessPool, RuntimeError) as exc:
            entry[0] = None
            return failed(f"the process holding step {step.name!r} is gone: {exc}")
        lose_host_on_failure(fut, entry)
        return fut

    def start_hosts(self, steps: Sequence[Step[T]]) -> None:
        """The hosts of these steps' portable ones start now rather than with their first batch:
        a caller that knows work is coming (new articles) lets a host read its state while the
        workers prepare the first batches, as a writer reads its own."""
        if self.hosts_state:
            for step in steps:
                if isinstance(step, PortableStep):
                    self._start_host(step)

    def _start_host(self, step: PortableStep[T]) -> list[Any]:
        """The step's host entry, its process started and sent the step with its state if it
        was not yet."""
        entry = self._hosts.get(id(step))
        if entry is None:
            host, self._spare_host = self._spare_host, None
            try:
                host = host or self._new_pool(1)
                host.submit(_host_start, id(step), step)  # runs before any batch: one queue
            except (BrokenProcessPool, RuntimeError, OSError) as exc:
                log.warning("no process took step %s: %s", step.name, exc)
                host = None
            entry = self._hosts[id(step)] = [host, 0]
        return entry

    def _release_hosts(self) -> None:
        """The run is over: the portable steps' states kept elsewhere are let go."""
        hosts, self._hosts = self._hosts, {}
        for host, _ in hosts.values():
            if host is not None:
                host.shutdown(wait=True, cancel_futures=True)

    def _give_up_pool(self, exc: BaseException) -> None:
        if not self._broken:
            log.warning("worker processes stopped (%s); running in this process from now on", exc)
        self._broken = True
        pool, self._pool = self._pool, None
        if pool is not None:
            with contextlib.suppress(Exception):
                pool.shutdown(wait=False, cancel_futures=True)


def run_local(steps: Sequence[Step[Any]], batch: list[Any]) -> list[Any]:
    """All steps over one batch in this process (tests, small writes)."""
    return run_steps(list(steps), batch)
