"""`storyfold batch` on Dask: the per-article work on a cluster's workers, the decisions and
the write in the writing process. A batch job must store what an ingest of the same inputs
stores, and survive a worker killed mid-job."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import time
from itertools import islice
from pathlib import Path

import distributed  # a dependency of storyfold (`storyfold batch`)
import pytest

from storyfold.engine import LocalExecutor, Step
from storyfold.engine.step import PortableStep
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
    executor = DaskExecutor(client=cluster)
    with Library(db, executor=executor) as lib:
        lib.batch_size = 64  # several batches in flight on the cluster
        lib.ingest([corpus])
    got = _state(db)
    assert got == ingested
    assert len(got[0]) < 300  # real folding: many outlets, few stories
    # the fold decided on a worker, the facts were computed there too, and this process
    # only decided the stories and wrote
    spent = executor.spent
    assert spent[("relate", "host")] > 0 and ("relate", "here") not in spent
    assert spent[("facts at the end", "workers")] > 0
    assert spent[("prepare", "workers")] > spent[("commit", "here")] > 0


def test_a_fold_window_smaller_than_a_batch_is_kept_as_an_ingest_keeps_it(
    corpus, cluster, tmp_path, monkeypatch
):
    """Articles enter and leave the fold's window within one batch: the window the batch job
    stores, and so what a later ingest on its database decides, are an ingest's."""
    from storyfold.engine.dask import DaskExecutor
    from storyfold.fold import FoldIndex, FoldSettings
    from storyfold.pipeline import writer as writer_module

    monkeypatch.setattr(writer_module, "FoldIndex", lambda settings=None: FoldIndex(FoldSettings(window=40)))
    lines = corpus.read_text().splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:300]) + "\n")
    second.write_text("\n".join(lines[300:]) + "\n")

    def window(name: str) -> list[tuple]:
        """The stored window's articles (their states are compared by what is decided next:
        the bytes of one state may differ between processes, as marshal shares equal strings)."""
        with sqlite3.connect(tmp_path / name) as con:
            return con.execute("SELECT ord, article_id FROM fold_window ORDER BY ord").fetchall()

    with Library(tmp_path / "i.db", workers=1) as lib:
        lib.batch_size = 64
        lib.ingest([first])
    with Library(tmp_path / "b.db", executor=DaskExecutor(client=cluster)) as lib:
        lib.batch_size = 64
        lib.ingest([first])
    assert len(window("i.db")) == 40 and window("b.db") == window("i.db")
    for name in ("i.db", "b.db"):  # an ingest goes on from each window
        with Library(tmp_path / name, workers=1) as lib:
            lib.batch_size = 64
            lib.ingest([second])
    got, want = _state(tmp_path / "b.db"), _state(tmp_path / "i.db")
    assert got[:3] == want[:3]  # facts: the batch weighed sources as its run began


def test_a_batch_job_cut_short_before_its_facts_leaves_them_to_the_next_run(
    corpus, cluster, ingested, tmp_path, monkeypatch
):
    """Facts wait for the end of a batch job; a job killed before it leaves its stories marked,
    and the next run computes them although it brings nothing new."""
    from storyfold.engine.dask import DaskExecutor
    from storyfold.pipeline.writer import Writer

    db = tmp_path / "cut.db"
    real_finish = Writer.finish

    def killed(self, *args, **kwargs):
        raise KeyboardInterrupt  # as Ctrl-C, or kill -9, just before the facts

    monkeypatch.setattr(Writer, "finish", killed)
    with pytest.raises(KeyboardInterrupt), Library(db, executor=DaskExecutor(client=cluster)) as lib:
        lib.batch_size = 64
        lib.ingest([corpus])
    with Library(db, readonly=True) as lib:
        waiting = lib.store.facts_due()
        assert len(waiting) == lib.store.count("stories") and lib.store.count("facts") == 0
    monkeypatch.setattr(Writer, "finish", real_finish)
    with Library(db, workers=1) as lib:
        report = lib.ingest([corpus])
    assert report.added == 0
    with Library(db, readonly=True) as lib:
        assert lib.store.facts_due() == []
    assert _state(db) == ingested


def _holding_an_actor(dask_worker) -> int:
    return len(dask_worker.state.actors)


def test_the_worker_holding_the_fold_killed_mid_job_loses_nothing(
    corpus, cluster, ingested, tmp_path, caplog
):
    """The fold's state dies with its worker: the batches it had not answered, and every one
    after, are related in the writing process from the stored window, as an ingest would."""
    from storyfold.engine.dask import DaskExecutor

    db = tmp_path / "f.db"
    killed = []

    def kill_the_host(_batch, _report):
        if not killed:
            holding = cluster.run(_holding_an_actor)
            victims = [w for w, n in holding.items() if n]
            if victims:
                pid = cluster.run(os.getpid, workers=victims)[victims[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(victims[0])

    executor = DaskExecutor(client=cluster)
    with Library(db, executor=executor) as lib:
        lib.batch_size = 64
        lib.ingest([corpus], progress=kill_the_host)
    assert killed, "no worker held the fold"
    assert "relating in this process" in caplog.text  # later batches came unrelated
    assert _state(db) == ingested
    assert executor.spent[("relate", "host")] > 0 and executor.spent[("commit", "here")] > 0
    cluster.wait_for_workers(2, timeout=60)


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


class _Shuffled(Step[int]):
    """Parallel, and slower on some batches than others: batches reach what follows out of order."""

    name, parallel = "shuffled", True

    def run(self, batch: list[int]) -> list[int]:
        time.sleep(0.05 * (batch[0] % 3))
        return batch


class _RunningSum(PortableStep[int]):
    """Portable: each number becomes the sum of every number before it, in input order."""

    name = "running sum"

    def __init__(self) -> None:
        self.total = 0

    def send(self, batch: list[int]) -> list[int]:
        return batch

    def work(self, payload: list[int]) -> list[int]:
        out = []
        for x in payload:
            self.total += x
            out.append(self.total)
        return out

    def receive(self, batch: list[int], answer: list[int]) -> list[int]:
        return answer


def test_a_portable_step_is_kept_on_a_worker_and_fed_in_order(cluster):
    from storyfold.engine.dask import DaskExecutor
    from storyfold.engine.step import StepHost

    batches = [list(range(i, i + 5)) for i in range(0, 60, 5)]
    executor = DaskExecutor(client=cluster, ahead=4)
    out = [x for b in executor.run([_Shuffled(), _RunningSum()], iter(batches)) for x in b]
    assert out == [sum(range(n + 1)) for n in range(60)]
    with LocalExecutor(2, host=True) as local:  # the local executor keeps it in a host process
        assert [x for b in local.run([_Shuffled(), _RunningSum()], iter(batches)) for x in b] == out
        assert ("running sum", "host") in local.spent and ("running sum", "here") not in local.spent
    with LocalExecutor(2) as local:  # ... or, by default, runs it in this process, to the same end
        assert [x for b in local.run([_Shuffled(), _RunningSum()], iter(batches)) for x in b] == out
        assert ("running sum", "here") in local.spent
    assert executor.spent[("running sum", "host")] >= 0 and ("running sum", "here") not in executor.spent
    with pytest.raises(RuntimeError, match="state was lost"):  # a host re-created from nothing says so
        StepHost(_RunningSum()).work(3, [1])
