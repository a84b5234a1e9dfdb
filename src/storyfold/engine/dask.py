"""The Dask executor: the same steps as `LocalExecutor`, their parallel groups on a Dask cluster.

Why so little code: a Dask client gives a `concurrent.futures` executor over its workers, so
the local executor's pipelining, ordering and fallbacks carry over unchanged; only where the
work runs differs. Each piece crosses as one pickled blob (`_call_pickled`): Dask moves bytes
and never walks the records. The serial steps (the story decisions, the write) stay in this
process, the database's one writer, so a batch job's stories and relations are those an
ingest of the same inputs in the same order makes. A worker lost mid-job costs its tasks being
run again elsewhere (Dask's own retries); if every worker is gone, the chunks are done here.

A portable step (the fold's decisions, whose state is the fold index) is kept on one worker as a
Dask actor, `StepHost`, and fed the batches in order while this process decides the stories and
writes earlier batches. The host numbers the batches it was given: a host that Dask re-created
elsewhere after its worker died starts from nothing, and says so instead of answering from a
state that missed batches; the step's `lost` then decides. With two workers or more, one is
kept for the host, so that its state is never slowed by tasks sharing its process.

Without an address a `LocalCluster` of worker processes on this machine is started (N for the
tasks, one for the host; stopped with the executor); with one (`tcp://host:port`), the job uses
that cluster, started by `dask scheduler` / `dask worker`, dask-jobqueue or dask-kubernetes,
whose workers must have storyfold installed.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar, cast

from storyfold.engine.local import LocalExecutor, failed, lose_host_on_failure
from storyfold.engine.step import PortableStep, StepHost

T = TypeVar("T")

log = logging.getLogger(__name__)


def _call_pickled(blob: bytes) -> bytes:
    """A call that crossed as one pickled blob, answered the same way: Dask then moves bytes
    and never walks the records (a chunk's records handed to `submit` as a list stayed alive
    in the client after its task was done: 2.4 GB at 100k articles)."""
    fn, args = pickle.loads(blob)
    return pickle.dumps(fn(*args), protocol=5)


def _ask(host: Any, number: int, payload: Any) -> Any:
    return host.work(number, payload).result()


class DaskExecutor(LocalExecutor):
    """`LocalExecutor` whose pool is a Dask cluster. `workers`: processes of the local cluster
    (ignored with a `scheduler` address); `threads` each: the stages hold the GIL, so one."""

    hosts_state = True
    facts_at_end = True

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        *,
        ahead: int = 3,
        client: Any = None,
    ) -> None:
        import dask
        from distributed import Client, LocalCluster  # untyped: called through Any below

        super().__init__(workers, ahead=ahead)
        self._own: list[Any] = []
        if client is None:
            if scheduler:
                client = cast(Any, Client)(scheduler, direct_to_workers=True)
            else:
                # the nanny's MALLOC_TRIM_THRESHOLD_ made numeric steps several times slower here
                with dask.config.set({"distributed.nanny.pre-spawn-environ": {}}):
                    cluster = cast(Any, LocalCluster)(
                        n_workers=self.workers + 1,  # and one to hold the portable steps' states
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                self._own.append(cluster)
                client = cast(Any, Client)(cluster, direct_to_workers=True)
            self._own.insert(0, client)
        self.client = client
        # with two workers or more, one holds the portable steps' states and the others take
        # the tasks (they may still go there: a restarted worker has a new address)
        addresses = sorted(client.nthreads())
        self._host_at = addresses[-1:] if len(addresses) > 1 else []
        self._task_at = addresses[:-1] if len(addresses) > 1 else addresses
        self.workers = max(1, sum(n for a, n in client.nthreads().items() if a in self._task_at))
        from distributed import KilledWorker
        from distributed.client import FutureCancelledError

        self.lost_work = (KilledWorker, FutureCancelledError, OSError)
        self._pool = client.get_executor(pure=False, workers=self._task_at, allow_other_workers=True)
        # portable steps' hosts: id(step) -> [actor or None once lost, batches handed over]
        self._hosts: dict[int, list[Any]] = {}
        self._asking: ThreadPoolExecutor | None = None

    @property
    def holds_apart(self) -> bool:
        """Whether one worker is kept for the portable steps' states."""
        return bool(self._host_at)

    @property
    def pooled(self) -> bool:
        return not self._broken

    def _get_pool(self) -> Any:
        if self._pool is None:
            raise RuntimeError("the Dask cluster is gone")
        return self._pool

    def _submit(self, pool: Any, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        return cast(Future[Any], pool.submit(_call_pickled, pickle.dumps((fn, args), protocol=5)))

    def _result(self, fut: Future[Any]) -> Any:
        return pickle.loads(fut.result())

    def _hosted(self, step: PortableStep[T], batch: list[T]) -> Future[Any] | None:
        """One thread asks the hosts, one batch after another: each host gets its batches in
        the order they were handed over, and this process goes on meanwhile."""
        if self._pool is None:
            return failed("the Dask cluster is gone")
        entry = self._hosts.get(id(step))
        if entry is None:
            try:
                actor = self.client.submit(
                    StepHost,
                    step,
                    actor=True,
                    pure=False,
                    workers=self._host_at or None,
                    allow_other_workers=True,
                ).result()
            except Exception as exc:  # noqa: BLE001 - no host: the step's `lost` decides
                log.warning("no worker took step %s: %s", step.name, exc)
                actor = None
            entry = self._hosts[id(step)] = [actor, 0]
        actor, number = entry
        if actor is None:
            return failed(f"the worker holding step {step.name!r} is gone")
        entry[1] += 1
        if self._asking is None:
            self._asking = ThreadPoolExecutor(1, thread_name_prefix="storyfold-ask")
        fut = self._asking.submit(_ask, actor, number, step.send(batch))
        lose_host_on_failure(fut, entry)
        return fut

    def start_hosts(self, steps: Sequence[Any]) -> None:
        """An actor is started with the first batch that reaches its step."""

    def _release_hosts(self) -> None:
        self._hosts.clear()  # dropping the actors' references lets the cluster forget them

    def start(self) -> None:
        """The cluster runs already."""

    def close(self) -> None:
        self._pool = None
        self._release_hosts()
        if self._asking is not None:
            self._asking.shutdown(wait=True, cancel_futures=True)
            self._asking = None
        for thing in self._own:
            try:
                thing.close()
            except Exception as exc:  # noqa: BLE001 - closing must not hide the job's outcome
                log.warning("closing %s: %s", type(thing).__name__, exc)
        self._own = []
