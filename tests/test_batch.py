"""`storyfold batch` on Dask: the per-article work on a cluster's workers, the decisions and
the write in the writing process. A batch job must store what an ingest of the same inputs
stores, and survive a worker killed mid-job."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import time
from itertools import islice
from pathlib import Path

import distributed  # a dependency of storyfold (`storyfold batch`)
import pytest

from storyfold.pipeline import Library


@pytest.fixture(scope="module")
def corpus(shared_data: Path, tmp_path_factory) -> Path:
    """400 ECB+ articles (many outlets reporting the same events) as JSONL."""
    out = tmp_path_factory.mktemp("batch") / "ecb.jsonl"
    with (
        gzip.open(shared_data / "events" / "ecbplus_docs.jsonl.gz", "rt", encoding="utf-8") as f,
        out.open("w") as o,
    ):
        for line in islice(f, 400):
            d = json.loads(line)
            o.write(json.dumps({"id": d["id"], "title": d.get("title"), "text": d["text"]}) + "\n")
    return out


@pytest.fixture(scope="module")
def cluster():
    import dask

    with (
        dask.config.set({"distributed.nanny.pre-spawn-environ": {}}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
        distributed.Client(c) as client,
    ):
        yield client


def _state(db: Path) -> tuple[set[frozenset[str]], int, int, int]:
    """The stories as a partition of input ids, and the counts of relations, claims, facts."""
    with Library(db, readonly=True) as lib:
        stories: dict[str, set[str]] = {}
        for art, sid in lib.store.iter_articles():
            stories.setdefault(sid, set()).add(art.input_id or art.id)
        return (
            {frozenset(v) for v in stories.values()},
            lib.store.count("relations"),
            lib.store.count("claims"),
            lib.store.count("facts"),
        )


@pytest.fixture(scope="module")
def ingested(corpus: Path, tmp_path_factory) -> tuple:
    db = tmp_path_factory.mktemp("ingest") / "i.db"
    with Library(db, workers=1) as lib:
        report = lib.ingest([corpus])
    assert report.added > 350
    return _state(db)


def test_a_batch_job_stores_what_an_ingest_stores(corpus, cluster, ingested, tmp_path):
    from storyfold.engine.dask import DaskExecutor

    db = tmp_path / "b.db"
    with Library(db, executor=DaskExecutor(client=cluster)) as lib:
        lib.batch_size = 64  # several batches in flight on the cluster
        lib.ingest([corpus])
    got = _state(db)
    assert got == ingested
    assert len(got[0]) < 300  # real folding: many outlets, few stories


def test_a_worker_killed_mid_job_loses_nothing(corpus, cluster, ingested, tmp_path):
    from storyfold.engine.dask import DaskExecutor

    db = tmp_path / "k.db"
    killed = []

    def kill_one(_batch, _report):
        if not killed:
            pids = cluster.run(os.getpid)
            victim = sorted(pids)[0]
            os.kill(pids[victim], signal.SIGKILL)  # as the OOM killer or a preempted node would
            killed.append(victim)

    with Library(db, executor=DaskExecutor(client=cluster)) as lib:
        lib.batch_size = 64
        lib.ingest([corpus], progress=kill_one)
    assert killed and _state(db) == ingested
    cluster.wait_for_workers(2, timeout=60)  # the nanny brought it back


def _spawned() -> set[int]:
    """Live processes started by multiprocessing's spawn (Dask's nannies and workers)."""
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if b"spawn_main" in f.read():
                        out.add(int(entry))
            except OSError:
                continue
    return out


def test_the_batch_command_runs_a_local_cluster_and_leaves_nothing_running(corpus, tmp_path):
    from tests.test_processes import CLI, _alive

    before = _spawned()
    run = subprocess.run(
        [
            *CLI,
            "batch",
            str(corpus),
            "--db",
            str(tmp_path / "c.db"),
            "--workers",
            "2",
            "--quiet",
            "--parquet",
            str(tmp_path / "pq"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "400 inputs read" in run.stdout and "dask: 2 workers on a local cluster" in run.stderr
    import pyarrow.dataset as ds

    assert ds.dataset(tmp_path / "pq").count_rows() > 400
    left = sorted(_spawned() - before)
    for _ in range(50):
        if not _alive(left):
            break
        time.sleep(0.1)
    assert _alive(left) == []
