"""The Dask executor: the same steps as `LocalExecutor`, their parallel groups on a Dask cluster.

Why so little code: a Dask client gives a `concurrent.futures` executor over its workers, so
the local executor's pipelining, ordering and fallbacks carry over unchanged; only where the
parallel work runs differs. The serial steps (fold and cluster decisions, the write) stay in
this process, the database's one writer, so a batch job's stories, relations and facts are those
an ingest of the same inputs in the same order makes. A worker lost mid-job costs its tasks
being run again elsewhere (Dask's own retries); if every worker is gone, the chunks are done here.

Without an address a `LocalCluster` of worker processes on this machine is started (and
stopped with the executor); with one (`tcp://host:port`), the job uses that cluster, started
by `dask scheduler` / `dask worker`, dask-jobqueue or dask-kubernetes, whose workers must have
storyfold installed.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from storyfold.engine.local import LocalExecutor

log = logging.getLogger(__name__)


class DaskExecutor(LocalExecutor):
    """`LocalExecutor` whose pool is a Dask cluster. `workers`: processes of the local cluster
    (ignored with a `scheduler` address); `threads` each: the stages hold the GIL, so one."""

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
                client = cast(Any, Client)(scheduler)
            else:
                # the nanny's MALLOC_TRIM_THRESHOLD_ made numeric steps several times slower here
                with dask.config.set({"distributed.nanny.pre-spawn-environ": {}}):
                    cluster = cast(Any, LocalCluster)(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                self._own.append(cluster)
                client = cast(Any, Client)(cluster)
            self._own.insert(0, client)
        self.client = client
        self.workers = max(1, sum(client.nthreads().values()))
        from distributed import KilledWorker
        from distributed.client import FutureCancelledError

        self.lost_work = (KilledWorker, FutureCancelledError, OSError)
        self._pool = client.get_executor(pure=False)

    @property
    def pooled(self) -> bool:
        return not self._broken

    def _get_pool(self) -> Any:
        if self._pool is None:
            raise RuntimeError("the Dask cluster is gone")
        return self._pool

    def start(self) -> None:
        """The cluster runs already."""

    def close(self) -> None:
        self._pool = None
        for thing in self._own:
            try:
                thing.close()
            except Exception as exc:  # noqa: BLE001 - closing must not hide the job's outcome
                log.warning("closing %s: %s", type(thing).__name__, exc)
        self._own = []
