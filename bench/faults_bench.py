"""Faults bench: what a user's ingest survives, compared with a clean run of the same input.

    python bench/faults_bench.py               # 10,000 articles, 20 kills (about 10 minutes on 2 cores)
    python bench/faults_bench.py --n 2000 --kills 5

On the ingest bench's synthetic stream (`bench/synth_stream.py`, built from ../shared/data):
  clean     one `storyfold ingest` of the stream: the reference
  kill -9   the same ingest (2 workers) killed with SIGKILL at K random points, resumed each time
            with the same command, then run to the end
  disk full the same ingest under a file-size limit (RLIMIT_FSIZE) that it hits part way, then
            the same command with no limit
  locked    a second writer while one holds the database: refused with one line, nothing written
  cut POST  a POST whose body stops half way (the client goes away), then a whole one

After each, the database is compared with the clean run: articles lost, articles duplicated,
stories that differ (as sets of article ids), relations and claims that differ, inputs not
accounted for, and processes left running.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_bench import DEFAULT_DATA, DEFAULT_WORKDIR, prepare_streams  # noqa: E402

CLI = [sys.executable, "-c", "from storyfold.cli import app; app()"]


def snapshot(db: Path) -> dict[str, object]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        arts = con.execute("SELECT id, story_id, raw_sha1 FROM articles").fetchall()
        stories: dict[str, set[str]] = {}
        for aid, sid, _ in arts:
            stories.setdefault(sid, set()).add(aid)
        return {
            "articles": Counter(a for a, _, _ in arts),
            "raws": Counter(r for _, _, r in arts),
            "stories": {frozenset(v) for v in stories.values()},
            "relations": set(con.execute("SELECT a, b, kind FROM relations").fetchall()),
            "claims": Counter(r[0] for r in con.execute("SELECT id FROM claims")),
            "inputs": dict(con.execute("SELECT status, count(*) FROM inputs GROUP BY status").fetchall()),
            "n_inputs": con.execute("SELECT count(*) FROM inputs").fetchone()[0],
        }
    finally:
        con.close()


def compare(clean: dict, got: dict) -> dict[str, int]:
    return {
        "lost": sum((clean["articles"] - got["articles"]).values()),
        "duplicated": sum(n - 1 for n in got["raws"].values() if n > 1)
        + sum((got["articles"] - clean["articles"]).values()),
        "stories differ": len(clean["stories"] ^ got["stories"]),
        "relations differ": len(clean["relations"] ^ got["relations"]),
        "claims differ": sum(
            ((clean["claims"] - got["claims"]) + (got["claims"] - clean["claims"])).values()
        ),
        "inputs unaccounted": clean["n_inputs"] - got["n_inputs"],
    }


def descendants(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                with open(f"/proc/{e}/stat", encoding="utf-8") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                kids.setdefault(int(fields[1]), []).append(int(e))
    out, todo = [], [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            out += [c]
            todo.append(c)
    return out


def alive(pids: list[int]) -> list[int]:
    out = []
    for p in pids:
        try:
            with open(f"/proc/{p}/stat", encoding="utf-8") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    out.append(p)
        except OSError:
            pass
    return out


def count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def ingest(src: Path, db: Path, fsize: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [*CLI, "ingest", str(src), "--db", str(db), "--quiet", "--workers", "2"],
        capture_output=True,
        text=True,
        preexec_fn=limit,
    )


def kill_run(src: Path, db: Path, points: list[int]) -> tuple[list[int], int]:
    """Kill at each point (articles stored), resume; returns the counts at the kills and the
    number of processes left running after them."""
    at, left = [], 0
    for point in points:
        proc = subprocess.Popen(
            [*CLI, "ingest", str(src), "--db", str(db), "--quiet", "--workers", "2"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while proc.poll() is None and count(db) < point:
            time.sleep(0.05)
        kids = descendants(proc.pid)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        at.append(count(db))
        deadline = time.monotonic() + 5
        while alive(kids) and time.monotonic() < deadline:
            time.sleep(0.1)
        left += len(alive(kids))
        for k in alive(kids):
            os.kill(k, signal.SIGKILL)
    return at, left


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cut_post(db: Path, docs: list[dict]) -> dict[str, object]:
    """A POST that stops half way, then a whole one; the server must store nothing of the first."""
    import httpx

    port = free_port()
    env = {**os.environ, "STORYFOLD_TOKEN": "faults"}
    proc = subprocess.Popen(
        [*CLI, "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        before = count(db)
        body = json.dumps({"documents": docs}).encode()
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(
                b"POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer faults\r\n"
                b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
            )
            s.sendall(body[: len(body) // 2])
        time.sleep(2)
        after_cut = count(db)
        r = httpx.post(
            base + "/api/articles", content=body, headers={"Authorization": "Bearer faults"}, timeout=600
        )
        whole = r.json() if r.status_code == 200 else {}
        kids = descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        time.sleep(2)
        return {
            "stored by the cut POST": after_cut - before,
            # every document of the whole POST is an article, a duplicate or a rejection
            "whole POST: documents unaccounted": len(docs)
            - sum(int(whole.get(k, 0)) for k in ("added", "skipped", "rejected")),
            "left running": len(alive(kids)),
        }
    finally:
        if proc.poll() is None:
            proc.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = ap.parse_args()
    files = prepare_streams(args.data, args.workdir, [args.n])[args.n]
    src = files.stream
    rng = random.Random(args.seed)
    rows: list[tuple[str, dict[str, object]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        t0 = time.perf_counter()
        clean_db = t / "clean.db"
        run = ingest(src, clean_db)
        print(f"clean: {' '.join(run.stdout.split())} ({time.perf_counter() - t0:.0f} s)", flush=True)
        clean = snapshot(clean_db)
        n_articles = sum(clean["articles"].values())  # type: ignore[union-attr]

        db = t / "killed.db"
        points = sorted(rng.sample(range(1, n_articles), args.kills))
        t0 = time.perf_counter()
        at, left = kill_run(src, db, points)
        last = ingest(src, db)
        print(
            f"kill -9 at {at}; then: {' '.join(last.stdout.split())} ({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        rows.append(
            (
                f"kill -9 at {args.kills} points, resumed",
                {**compare(clean, snapshot(db)), "left running": left},
            )
        )

        db = t / "full.db"
        limit = os.path.getsize(clean_db) // 2
        full = ingest(src, db, fsize=limit)
        message = [line for line in full.stderr.splitlines() if line.startswith("error")]
        stopped_at = count(db)
        again = ingest(src, db)
        print(
            f"disk full at {limit:,} bytes: exit {full.returncode}, {stopped_at:,} stored; {message[:1]}",
            flush=True,
        )
        print(f"  then: {' '.join(again.stdout.split())}", flush=True)
        row = compare(clean, snapshot(db))
        row["clear one-line error"] = int(not (full.returncode == 1 and len(message) == 1))
        rows.append(("disk full (file-size limit), then resumed", row))

        db = t / "locked.db"
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from storyfold.pipeline import Library

        with Library(db, workers=1):
            second = ingest(src, db)
        refused = second.returncode == 1 and "being written by process" in second.stderr
        print(f"locked: exit {second.returncode}: {second.stderr.strip()[:200]}", flush=True)
        rows.append(
            (
                "a second writer while one holds the database",
                {"not refused": int(not refused), "stored": count(db)},
            )
        )

        db = t / "post.db"
        with open(src, encoding="utf-8") as f:
            docs = [json.loads(line) for line, _ in zip(f, range(300), strict=False)]
        post = cut_post(db, docs)
        print(f"cut POST: {post}", flush=True)
        rows.append(("a POST cut off mid-body, then a whole one", post))

    print(
        f"\nfaults bench: N={args.n:,} articles of the synthetic stream, {n_articles:,} stored by a clean run\n"
    )
    print("| fault | figure | value | target |\n|---|---|---|---|")
    bad = 0
    for name, figures in rows:
        for k, v in figures.items():
            bad += 0 if v == 0 else 1
            print(f"| {name} | {k} | {v} | 0 |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
