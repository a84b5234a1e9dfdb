"""No orphan processes: whatever ends an ingest or a server, its worker processes end with it."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from storyfold.cli import app; app()"]


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, from /proc (Linux)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":  # a zombie has ended; only its parent has not reaped it yet
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for p in pids:
        try:
            with open(f"/proc/{p}/stat", encoding="utf-8") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.append(p)
        except OSError:
            pass
    return alive


def _wait_for(predicate, timeout: float, what: str):  # noqa: ANN001, ANN202
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = predicate()
        if got:
            return got
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _docs(shared_data: Path, n: int) -> list[dict]:
    docs = []
    with gzip.open(shared_data / "events" / "ecbplus_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append(
                {"id": d["id"], "title": d["title"], "text": d["text"], "outlet": f"o{len(docs) % 9}"}
            )
            if len(docs) == n:
                break
    return docs


def _gone_after(pids: list[int], timeout: float) -> list[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end and _alive(pids):
        time.sleep(0.1)
    return _alive(pids)


def test_kill_9_of_an_ingest_leaves_no_worker_running(tmp_path, shared_data):
    src = tmp_path / "in.jsonl"
    docs = _docs(shared_data, 900)
    src.write_text("".join(json.dumps(d) + "\n" for d in docs * 3), encoding="utf-8")
    proc = subprocess.Popen(
        [*CLI, "ingest", str(src), "--db", str(tmp_path / "k.db"), "--quiet", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers = _wait_for(
            lambda: _descendants(proc.pid) if len(_descendants(proc.pid)) >= 2 else None, 60, "workers"
        )
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        assert _gone_after(workers, 10) == [], "workers outlived a kill -9 of their ingest"
    finally:
        if proc.poll() is None:
            proc.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_server_stopped_after_a_large_post_leaves_nothing_running(tmp_path, shared_data, sig):
    port = _free_port()
    env = {**os.environ, "STORYFOLD_TOKEN": "tok-1"}
    proc = subprocess.Popen(
        [*CLI, "serve", "--db", str(tmp_path / "s.db"), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        _wait_for(healthy, 60, "the server")
        body = json.dumps({"documents": _docs(shared_data, 600)}).encode()
        req = urllib.request.Request(
            base + "/api/articles",
            data=body,
            headers={"Authorization": "Bearer tok-1", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=300) as r:
            answer = json.loads(r.read())
        assert answer["added"] > 500
        below = _descendants(proc.pid)
        assert len(below) >= 2, below  # the writer process and its workers (the POST used the pool)
        proc.send_signal(sig)
        proc.wait(60)
        assert _gone_after(below, 15) == [], f"still running after {sig.name} of the server"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_full_disk_stops_the_ingest_with_one_line_and_the_same_command_continues(tmp_path, shared_data):
    import resource
    import sqlite3

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in _docs(shared_data, 400)), encoding="utf-8")
    clean, db = tmp_path / "clean.db", tmp_path / "full.db"
    cmd = [*CLI, "ingest", str(src), "--quiet", "--workers", "1", "--db"]
    assert subprocess.run([*cmd, str(clean)], capture_output=True).returncode == 0
    limit = clean.stat().st_size // 3

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    full = subprocess.run([*cmd, str(db)], capture_output=True, text=True, preexec_fn=small_disk)
    assert full.returncode == 1
    errors = [line for line in full.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "run the same command again" in errors[0], full.stderr[-2000:]
    assert "Traceback" not in full.stderr and "bad input" not in full.stderr
    again = subprocess.run([*cmd, str(db)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
    rows = "SELECT id, story_id, text FROM articles ORDER BY id"
    assert sqlite3.connect(db).execute(rows).fetchall() == sqlite3.connect(clean).execute(rows).fetchall()
