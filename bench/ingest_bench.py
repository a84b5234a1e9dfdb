"""End-to-end ingest and serve benchmark: the `storyfold` command as a user runs it.

    python bench/ingest_bench.py [--sizes 10000,100000] [--data ../shared/data] [--workdir DIR]
                                 [--keep] [--skip-serve]

For each size N, on the first N records of the synthetic stream (bench/synth_stream.py, seed 0):
1. `storyfold ingest stream_N.jsonl --db bench_N.db --quiet` into a fresh database: wall time,
   articles/s overall (N / wall) and per window of 10,000 stored articles (from polling the
   database read-only every 0.5 s), the time after the last article is stored (final reconcile
   and close), peak RSS of the process tree and of the main process, and the database size
   (db + wal) right after the ingest.
2. BCubed P/R/F1 of the stored story ids against the stream's `gold_story` labels, each stored
   article found back by its `source` ("<path>:line <n>", 1-based).
3. `storyfold ingest add100_N.jsonl --db bench_N.db --quiet`: opening a database of N articles
   and adding 100 (process start, index rebuild from the store, the 100, reconcile).
4. `storyfold serve` on that database (token in STORYFOLD_TOKEN): 10 reader threads loop on
   GET /api/stories?limit=20 and GET /api/stories/<id>; after a ~5 s baseline one
   POST /api/articles of 1,500 further records is sent and timed while the readers go on. Read
   latency p50/p99 before and during the POST, and the POST's wall time.

Why end to end: what a user waits for is the command, not a function. The command's wall time
includes interpreter start, imports, reading and parsing the input, SQLite transactions and
the WAL, the worker processes, and the final reconcile, none of which an in-process
benchmark of one stage sees. The HTTP figures likewise include uvicorn, the request lock and
the index rebuild the first write triggers.

Why the process tree: `storyfold ingest` runs per-article work on worker processes, so the main
process's RSS understates what the machine must hold. The tree figure is the peak of the SUM
of VmRSS over the process and all its descendants at one sample (pages shared copy-on-write
with forked workers count once per process, so it is an upper bound); the main-process figure
is reported beside it. Memory and process trees are read from /proc (no psutil dependency),
and every process seen in a command's tree must be gone 3 s after the command exits (any that is
not is reported with its command line, then killed). The server is stopped as `kill PID` or a
service manager would: SIGTERM to its process, SIGKILL after 10 s.

The article count is polled with `SELECT max(seq) FROM articles` on a short-lived read-only
connection: `seq` is the AUTOINCREMENT arrival order and articles are never deleted, so it equals
count(*) (checked once at the end), and it costs O(log N) where count(*) scans a whole index
every 0.5 s on the machine being measured. Window rates come from the interpolated times at
which the count crosses k * 10,000 (for N < 20,000, windows of N/10), the first window counted
from the first stored batch, so that start-up (its own row) does not weigh on the ratio of the
last window's rate to the first's, which shows how ingest slows as the database grows.

The language tables storyfold keeps between runs (`STORYFOLD_CACHE`) are kept in WORKDIR/tables,
emptied when the bench starts: the first size's ingest makes them as a user's first run would,
and every later command (adding 100 articles, the server, the next size) reads them.

Stream files are generated once (one pass for all sizes, ~2k records/s) and reused from the
work directory; databases are deleted at the end unless --keep. Results are written to
WORKDIR/ingest_bench_results.json, and the previous run's file, if any, gives a reference row.
MB = 10^6 bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from storyfold_eval.metrics import bcubed

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "storyfold-ingest-bench"
DEFAULT_SIZES = "10000,100000"
RESULTS_FILE = "ingest_bench_results.json"

SEED = 0
N_ADD = 100  # records N .. N+99: the "open and add 100" ingest
N_POST = 1_500  # records N+100 .. N+1599: the POST
N_EXTRA = N_ADD + N_POST
WINDOW = 10_000
TOKEN = "benchtoken"
READERS = 10
BASELINE_S = 5.0
AFTER_POST_S = 1.0
SAMPLE_S = 0.5
PROGRESS_S = 30.0
STOP_GRACE_S = 10.0
LEFTOVER_GRACE_S = 3.0
MIN_BASELINE_REQUESTS = 2 * READERS
MAX_BASELINE_S = 120.0
HEALTH_TIMEOUT_S = 600.0
MB = 1e6
BYTES_PER_RECORD = 25_000  # on disk: ~3.3 kB of stream and ~20 kB of database (N=3,000)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


# ------------------------------------------------------------------ stream files


@dataclass(frozen=True)
class StreamFiles:
    n: int
    stream: Path  # records 0 .. N-1
    extra: Path  # records N .. N+1599
    add: Path  # the first 100 extra records, JSONL
    post: Path  # the next 1,500, as a JSON list
    stamp: Path  # what made the stream: the generator's hash, the seed, the data folder

    @classmethod
    def in_dir(cls, workdir: Path, n: int) -> StreamFiles:
        return cls(
            n,
            workdir / f"stream_{n}.jsonl",
            workdir / f"extra_{n}.jsonl",
            workdir / f"add{N_ADD}_{n}.jsonl",
            workdir / f"post{N_POST}_{n}.json",
            workdir / f"stream_{n}.stamp",
        )

    def complete(self, stamp: str) -> bool:
        """Generated by this generator, seed and data, and whole."""
        return (
            self.stamp.exists()
            and self.stamp.read_text(encoding="utf-8") == stamp
            and count_lines(self.stream) == self.n
            and count_lines(self.extra) == N_EXTRA
        )


def generator_stamp(data: Path) -> str:
    digest = hashlib.sha1((HERE / "synth_stream.py").read_bytes()).hexdigest()[:16]
    return f"synth_stream.py {digest}, seed {SEED}, data {data.resolve()}\n"


def count_lines(path: Path) -> int:
    """Newline count, or -1 for a missing file."""
    if not path.exists():
        return -1
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            n += chunk.count(b"\n")
    return n


def _stream(data: Path) -> Iterator[dict[str, Any]]:
    sys.path.insert(0, str(HERE))
    from synth_stream import StreamGenerator

    log(f"loading the real documents from {data}")
    return iter(StreamGenerator(data, SEED))


def generate(data: Path, todo: Sequence[StreamFiles]) -> None:
    """Write the stream and extra files of every size in `todo` in one pass over the stream."""
    ranges = [(0, f.n, f.stream) for f in todo] + [(f.n, f.n + N_EXTRA, f.extra) for f in todo]
    total = max(hi for _, hi, _ in ranges)
    t0 = last = time.perf_counter()
    with contextlib.ExitStack() as stack:
        outs = [
            (lo, hi, stack.enter_context(open(path.with_suffix(".part"), "w", encoding="utf-8")))
            for lo, hi, path in ranges
        ]
        for i, rec in enumerate(_stream(data)):
            if i >= total:
                break
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            for lo, hi, fh in outs:
                if lo <= i < hi:
                    fh.write(line)
            now = time.perf_counter()
            if now - last >= PROGRESS_S:
                rate = (i + 1) / (now - t0)
                log(
                    f"generate: {i + 1:,}/{total:,} records, {rate:,.0f}/s, eta {hms((total - i - 1) / rate)}"
                )
                last = now
    for _, _, path in ranges:
        path.with_suffix(".part").replace(path)
    log(f"generate: {total:,} records in {hms(time.perf_counter() - t0)}")


def split_extra(files: StreamFiles) -> None:
    # split on newlines only: str.splitlines also cuts at U+2028, U+0085 and the like, which a
    # JSON line written with ensure_ascii=False may hold inside a string
    lines = [x for x in files.extra.read_text(encoding="utf-8").split("\n") if x]
    files.add.write_text("".join(x + "\n" for x in lines[:N_ADD]), encoding="utf-8")
    files.post.write_text("[" + ",\n".join(lines[N_ADD:N_EXTRA]) + "]\n", encoding="utf-8")


def prepare_streams(data: Path, workdir: Path, sizes: Sequence[int]) -> dict[int, StreamFiles]:
    workdir.mkdir(parents=True, exist_ok=True)
    files = {n: StreamFiles.in_dir(workdir, n) for n in sizes}
    stamp = generator_stamp(data)
    todo = [f for f in files.values() if not f.complete(stamp)]
    if todo:
        log(f"generate streams for N = {', '.join(f'{f.n:,}' for f in todo)} (seed {SEED})")
        generate(data, todo)
        for f in todo:
            f.stamp.write_text(stamp, encoding="utf-8")
    else:
        log("reusing the stream files in " + str(workdir))
    for f in files.values():
        split_extra(f)
    return files


# ------------------------------------------------------------------ processes, from /proc


def proc_start(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks) of a live pid, None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    after = stat.rpartition(")")[2].split()  # comm may hold spaces and parentheses
    return after[0], int(after[19])


def children(pid: int) -> list[int]:
    kids: list[int] = []
    tasks = Path(f"/proc/{pid}/task")
    try:
        for task in tasks.iterdir():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                kids.extend(int(x) for x in (task / "children").read_text().split())
    except (FileNotFoundError, ProcessLookupError):
        return []
    if kids or (tasks / str(pid) / "children").exists():
        return kids
    return _children_by_ppid(pid)  # kernels without CONFIG_PROC_CHILDREN


def _children_by_ppid(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError, IndexError):
                if int((entry / "stat").read_text().rpartition(")")[2].split()[1]) == pid:
                    kids.append(int(entry.name))
    return kids


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0  # gone, a zombie, or a kernel thread


def still_running(seen: set[tuple[int, int]]) -> list[int]:
    """The pids of `seen` (pid, start time) that are the same process and not a zombie."""
    alive = []
    for pid, start in sorted(seen):
        now = proc_start(pid)
        if now is not None and now[1] == start and now[0] != "Z":
            alive.append(pid)
    return alive


def describe(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        cmd = "?"
    return f"{pid} {cmd.strip()[:100]}"


def kill_leftovers(seen: set[tuple[int, int]], grace: float = LEFTOVER_GRACE_S) -> list[str]:
    """Processes of a finished command's tree still running `grace` seconds after it exited:
    described (pid and command line), then killed, since the bench started them."""
    deadline = time.monotonic() + grace
    while (left := still_running(seen)) and time.monotonic() < deadline:
        time.sleep(0.2)
    described = [describe(pid) for pid in left]
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return described


def stop_process(proc: subprocess.Popen[bytes], grace: float = STOP_GRACE_S) -> int:
    """SIGTERM, then SIGKILL if it has not exited after `grace` seconds; the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            log(f"pid {proc.pid} ignored SIGTERM for {grace:.0f} s: killed")
            proc.kill()
    return proc.wait()


# ------------------------------------------------------------------ monitoring a command


def article_count(db: Path) -> int | None:
    """Stored articles (see the module docstring), None while the table is not there yet."""
    try:
        con = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:
        return None
    try:
        return int(con.execute("SELECT max(seq) FROM articles").fetchone()[0] or 0)
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()


@dataclass
class Usage:
    peak_tree_mb: float = 0.0
    peak_main_mb: float = 0.0
    max_processes: int = 0


class Monitor(threading.Thread):
    """Samples a process tree's RSS (and, given a db, its article count) every SAMPLE_S."""

    def __init__(self, pid: int, t0: float, label: str, db: Path | None = None) -> None:
        super().__init__(daemon=True)
        self.pid, self.t0, self.label, self.db = pid, t0, label, db
        self.usage = Usage()
        self.polls: list[tuple[float, int]] = []  # (seconds since t0, articles)
        self.seen: set[tuple[int, int]] = set()
        self._stop_event = threading.Event()
        self._last_log = (t0, 0)

    def run(self) -> None:
        while True:
            self.sample()
            if self._stop_event.wait(SAMPLE_S):
                return

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def sample(self) -> None:
        pids = process_tree(self.pid)
        rss = {p: rss_kb(p) for p in pids}
        for p in pids:
            st = proc_start(p)
            if st is not None:
                self.seen.add((p, st[1]))
        u = self.usage
        u.peak_tree_mb = max(u.peak_tree_mb, sum(rss.values()) * 1024 / MB)
        u.peak_main_mb = max(u.peak_main_mb, rss.get(self.pid, 0) * 1024 / MB)
        u.max_processes = max(u.max_processes, sum(1 for v in rss.values() if v))
        if self.db is not None:
            count = article_count(self.db)
            if count is not None:
                self.polls.append((time.perf_counter() - self.t0, count))
                self._progress(count, sum(rss.values()) * 1024 / MB)

    def _progress(self, count: int, tree_mb: float) -> None:
        now = time.perf_counter()
        t_last, n_last = self._last_log
        if now - t_last >= PROGRESS_S:
            rate = (count - n_last) / (now - t_last)
            log(
                f"{self.label}: {count:,} articles stored, {rate:,.0f}/s over the last {now - t_last:.0f} s, "
                f"elapsed {hms(now - self.t0)}, tree RSS {tree_mb:,.0f} MB"
            )
            self._last_log = (now, count)


def stderr_tail(path: Path, lines: int = 15) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except FileNotFoundError:
        return []


@dataclass
class CommandRun:
    """One finished command: its wall time from spawn to exit, with its process tree's memory."""

    cmd: list[str]
    exit_code: int
    wall_s: float
    usage: Usage
    stdout: str
    stderr_tail: list[str]
    leftovers: list[str]
    polls: list[tuple[float, int]] = field(default_factory=list)


def run_command(cmd: list[str], log_stem: Path, label: str, db: Path | None = None) -> CommandRun:
    out_path, err_path = log_stem.with_suffix(".stdout"), log_stem.with_suffix(".stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=log_stem.parent)
        monitor = Monitor(proc.pid, t0, label, db)
        monitor.start()
        try:
            code = proc.wait()
        finally:
            wall = time.perf_counter() - t0
            if proc.poll() is None:  # interrupted: the command must not outlive the bench
                stop_process(proc)
            monitor.stop()
            left = kill_leftovers({s for s in monitor.seen if s[0] != proc.pid})
    for line in left:
        log(f"{label}: still running {LEFTOVER_GRACE_S:.0f} s after the command exited, killed: {line}")
    return CommandRun(
        cmd,
        code,
        wall,
        monitor.usage,
        out_path.read_text(encoding="utf-8", errors="replace"),
        stderr_tail(err_path) if code else [],
        left,
        monitor.polls,
    )


# ------------------------------------------------------------------ ingest


@dataclass
class IngestResult:
    exit_code: int
    wall_s: float
    rate: float  # N / wall
    window: int
    window_rates: list[float]  # articles/s per window of `window` stored articles
    first_s: float | None  # wall time until the first batch was stored: start-up, first batch
    tail_s: float | None  # wall time after the last article was stored: final reconcile, close
    usage: Usage
    stored: int  # articles in the table at the end
    db_mb: float  # db + wal right after the ingest
    summary: str  # the command's stdout
    stderr_tail: list[str]
    leftovers: list[str]

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def window_size(n: int) -> int:
    return WINDOW if n >= 2 * WINDOW else max(1, n // 10)


def crossings(polls: Sequence[tuple[float, int]], window: int) -> list[float]:
    """Interpolated times at which the count reached window, 2 * window, ..."""
    out: list[float] = []
    prev_t, prev_n = 0.0, 0
    for t, n in polls:
        while n >= (len(out) + 1) * window:
            target = (len(out) + 1) * window
            frac = (target - prev_n) / (n - prev_n) if n > prev_n else 1.0
            out.append(prev_t + frac * (t - prev_t))
        prev_t, prev_n = t, n
    return out


def window_rates(polls: Sequence[tuple[float, int]], window: int) -> list[float]:
    """Articles/s between successive crossings, the first window from the first stored batch."""
    started = [(t, n) for t, n in polls if n > 0]
    if not started:
        return []
    points = [started[0]] + [
        (t, k * window) for k, t in enumerate(crossings(polls, window), start=1) if k * window > started[0][1]
    ]
    return [(n1 - n0) / (t1 - t0) if t1 > t0 else math.inf for (t0, n0), (t1, n1) in pairwise(points)]


def first_stored(polls: Sequence[tuple[float, int]]) -> float | None:
    return next((t for t, n in polls if n > 0), None)


def db_files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def db_size_mb(db: Path) -> float:
    return sum(p.stat().st_size for p in db_files(db)[:2] if p.exists()) / MB


def remove_db(db: Path) -> None:
    for p in db_files(db):
        p.unlink(missing_ok=True)


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a read, on a read-only connection; should SQLite refuse one (a WAL database whose
    -shm is gone with its writer), on a plain connection, which only reads too."""
    try:
        with contextlib.closing(
            sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        ) as con:
            return con.execute(sql).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as con:
        return con.execute(sql).fetchall()


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        [(n, top)] = query(db, "SELECT count(*), coalesce(max(seq), 0) FROM articles")
    except sqlite3.OperationalError:
        return 0
    if n != top:
        log(f"note: {db.name}: count(*) = {n:,} but max(seq) = {top:,}; the polled counts are max(seq)")
    return int(n)


def run_ingest(cli: Path, files: StreamFiles, db: Path) -> IngestResult:
    remove_db(db)
    label = f"ingest N={files.n:,}"
    log(f"{label}: start")
    run = run_command(
        [str(cli), "ingest", str(files.stream), "--db", str(db), "--quiet"],
        db.with_name(f"ingest_{files.n}"),
        label,
        db,
    )
    size = db_size_mb(db)  # before anything else opens it
    stored = stored_count(db)
    window = window_size(files.n)
    done = [t for t, n in run.polls if n >= stored]
    result = IngestResult(
        run.exit_code,
        run.wall_s,
        files.n / run.wall_s,
        window,
        window_rates(run.polls, window),
        first_stored(run.polls),
        run.wall_s - done[0] if done and stored else None,
        run.usage,
        stored,
        size,
        " ".join(run.stdout.split()),
        run.stderr_tail,
        run.leftovers,
    )
    status = "done" if result.ok else f"FAILED (exit {result.exit_code})"
    log(f"{label}: {status} in {hms(run.wall_s)}, {stored:,} articles stored; {result.summary}")
    for line in result.stderr_tail:
        log(f"{label} stderr: {line}")
    return result


# ------------------------------------------------------------------ quality


@dataclass
class Quality:
    precision: float
    recall: float
    f1: float
    scored: int
    not_found: int  # stored articles whose source is not a line of the stream


def gold_labels(stream: Path) -> list[str]:
    with open(stream, encoding="utf-8") as f:
        return [json.loads(line)["gold_story"] for line in f]


def quality(db: Path, stream: Path) -> Quality:
    """BCubed of the stored story ids against gold_story, keyed by the stream's line number."""
    gold = gold_labels(stream)
    prefix = f"{stream}:line "
    pred: dict[str, str] = {}
    not_found = 0
    for source, story_id, article_id in query(db, "SELECT source, story_id, id FROM articles"):
        line = source[len(prefix) :] if source.startswith(prefix) else ""
        if not line.isdigit() or not 1 <= int(line) <= len(gold):
            not_found += 1
            continue
        pred[line] = story_id or f"unassigned:{article_id}"
    prf = bcubed(pred, {str(i): g for i, g in enumerate(gold, start=1)})
    return Quality(prf.precision, prf.recall, prf.f1, len(pred), not_found)


# ------------------------------------------------------------------ serve


@dataclass(frozen=True)
class Request:
    start: float
    end: float
    status: int  # -1: no answer


@dataclass
class Latency:
    requests: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    per_s: float
    failed: int  # not 200
    seconds: float  # the window's length


def percentile(sorted_xs: Sequence[float], q: float) -> float:
    """Nearest rank."""
    return sorted_xs[max(0, math.ceil(q * len(sorted_xs)) - 1)] if sorted_xs else math.nan


def latency(reqs: Sequence[Request], answered: int, seconds: float) -> Latency:
    """`answered`: requests that finished within the window (for the rate)."""
    ms = sorted(1000 * (r.end - r.start) for r in reqs)
    return Latency(
        len(reqs),
        percentile(ms, 0.5),
        percentile(ms, 0.99),
        ms[-1] if ms else math.nan,
        answered / seconds if seconds > 0 else math.nan,
        sum(r.status != 200 for r in reqs),
        seconds,
    )


@dataclass
class ServeResult:
    error: str = ""
    ready_s: float = math.nan  # from spawn to /healthz answering
    baseline: Latency | None = None
    during: Latency | None = None
    post_wall_s: float = math.nan
    post_status: int = 0
    post_answer: dict[str, Any] = field(default_factory=dict)  # read/added/skipped, errors counted
    exit_code: int | None = None
    usage: Usage = field(default_factory=Usage)
    stderr_tail: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # still running after exit, then killed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(proc: subprocess.Popen[bytes], base: str, timeout: float = HEALTH_TIMEOUT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return True
        time.sleep(0.2)
    return False


def reader(base: str, ids: Sequence[str], offset: int, stop: threading.Event, out: list[Request]) -> None:
    """Alternates the story list and one story's brief until `stop`."""
    with httpx.Client(base_url=base, timeout=None) as client:
        i = offset
        while not stop.is_set():
            path = "/api/stories?limit=20"
            if i % 2 and ids:
                path = "/api/stories/" + quote(ids[(i // 2) % len(ids)], safe="")
            t = time.perf_counter()
            try:
                status = client.get(path).status_code
            except httpx.HTTPError:
                status = -1
            out.append(Request(t, time.perf_counter(), status))
            if status == -1:
                time.sleep(0.1)
            i += 1


def post_documents(base: str, body: bytes) -> tuple[int, float, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    t = time.perf_counter()
    try:
        resp = httpx.post(base + "/api/articles", content=body, headers=headers, timeout=None)
    except httpx.HTTPError as exc:
        log(f"POST failed: {exc!r}")
        return -1, time.perf_counter() - t, {}
    wall = time.perf_counter() - t
    try:
        answer = resp.json()
    except ValueError:
        answer = {"body": resp.text[:500]}
    if not isinstance(answer, dict):
        answer = {"body": str(answer)[:500]}
    if isinstance(answer.get("errors"), list):
        answer["errors"] = len(answer["errors"])
    answer.pop("stories_touched", None)
    return resp.status_code, wall, answer


def wait_baseline(t_start: float, reqs: list[Request]) -> None:
    """BASELINE_S, longer if needed for MIN_BASELINE_REQUESTS answers, at most MAX_BASELINE_S."""
    while (elapsed := time.perf_counter() - t_start) < MAX_BASELINE_S and (
        elapsed < BASELINE_S or len(reqs) < MIN_BASELINE_REQUESTS
    ):
        time.sleep(0.1)


def load_test(base: str, post_body: bytes, result: ServeResult) -> None:
    """Readers for a baseline, then the POST under them; fills `result`."""
    first = httpx.get(base + "/api/stories?limit=20", timeout=None).json()
    ids = [s["id"] for s in (first.get("stories", []) if isinstance(first, dict) else first)]
    stop = threading.Event()
    reqs: list[Request] = []
    threads = [
        threading.Thread(target=reader, args=(base, ids, k, stop, reqs), daemon=True) for k in range(READERS)
    ]
    t_start = time.perf_counter()
    for th in threads:
        th.start()
    try:
        wait_baseline(t_start, reqs)
        t_post = time.perf_counter()
        log(f"serve: POST {N_POST:,} records under {READERS} readers")
        result.post_status, result.post_wall_s, result.post_answer = post_documents(base, post_body)
        t_done = t_post + result.post_wall_s
        if result.post_status != 200:
            result.error = f"POST /api/articles answered {result.post_status}: {result.post_answer}"
        time.sleep(AFTER_POST_S)
    finally:
        stop.set()  # interrupted, the readers (daemons) stop when the server does
    for th in threads:
        th.join(60)  # each finishes the request it is in
    base_reqs = [r for r in reqs if r.end <= t_post]
    result.baseline = latency(base_reqs, len(base_reqs), t_post - t_start)
    # during: every request that overlapped the POST; the rate counts those answered within it
    during = [r for r in reqs if r.start < t_done and r.end > t_post]
    result.during = latency(during, sum(t_post <= r.end <= t_done for r in reqs), t_done - t_post)


def run_serve(cli: Path, files: StreamFiles, db: Path) -> ServeResult:
    result = ServeResult()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, STORYFOLD_TOKEN=TOKEN)
    err_path = db.with_name(f"serve_{files.n}.stderr")
    log(f"serve N={files.n:,}: start on {base}")
    with open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(cli), "serve", "--db", str(db), "--port", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            env=env,
            cwd=db.parent,
        )
        monitor = Monitor(proc.pid, t0, f"serve N={files.n:,}")
        monitor.start()
        try:
            if not wait_healthy(proc, base):
                result.error = "the server did not answer /healthz" + (
                    f" (exited {proc.returncode})" if proc.returncode is not None else ""
                )
            else:
                result.ready_s = time.perf_counter() - t0
                load_test(base, b'{"documents": ' + files.post.read_bytes() + b"}", result)
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            result.error = f"{type(exc).__name__}: {exc}"
        finally:
            monitor.sample()  # the tree as it is just before the signal
            result.exit_code = stop_process(proc)
            monitor.stop()
            result.leftovers = kill_leftovers({s for s in monitor.seen if s[0] != proc.pid})
    result.usage = monitor.usage
    if result.error:
        result.stderr_tail = [ln for ln in stderr_tail(err_path, 200) if "HTTP/1.1" not in ln][-15:]
        log(f"serve N={files.n:,}: {result.error}")
        for line in result.stderr_tail:
            log(f"serve stderr: {line}")
    for line in result.leftovers:
        log(
            f"serve N={files.n:,}: still running {LEFTOVER_GRACE_S:.0f} s after the server exited, killed: {line}"
        )
    log(f"serve N={files.n:,}: POST {result.post_status} in {result.post_wall_s:.1f} s; server stopped")
    return result


# ------------------------------------------------------------------ one size


@dataclass
class AddResult:
    exit_code: int
    wall_s: float
    peak_tree_mb: float
    stderr_tail: list[str]
    leftovers: list[str]


@dataclass
class SizeResult:
    n: int
    ingest: IngestResult
    quality: Quality | None = None
    add: AddResult | None = None
    serve: ServeResult | None = None


def run_add(cli: Path, files: StreamFiles, db: Path) -> AddResult:
    label = f"add {N_ADD} N={files.n:,}"
    log(f"{label}: start")
    run = run_command(
        [str(cli), "ingest", str(files.add), "--db", str(db), "--quiet"],
        db.with_name(f"add_{files.n}"),
        label,
    )
    log(f"{label}: exit {run.exit_code} in {run.wall_s:.1f} s; {' '.join(run.stdout.split())}")
    return AddResult(run.exit_code, run.wall_s, run.usage.peak_tree_mb, run.stderr_tail, run.leftovers)


def bench_size(cli: Path, files: StreamFiles, workdir: Path, skip_serve: bool) -> SizeResult:
    db = workdir / f"bench_{files.n}.db"
    res = SizeResult(files.n, run_ingest(cli, files, db))
    if res.ingest.stored:
        log(f"quality N={files.n:,}: BCubed against gold_story")
        try:
            res.quality = quality(db, files.stream)
        except sqlite3.Error as exc:  # the schema the bench reads back has changed
            log(f"quality N={files.n:,}: cannot read the stories back: {exc}")
    if not res.ingest.ok:
        log(f"N={files.n:,}: the ingest failed, the add and serve steps are skipped")
        return res
    res.add = run_add(cli, files, db)
    if not skip_serve:
        res.serve = run_serve(cli, files, db)
    return res


# ------------------------------------------------------------------ report


def _num(x: float | None, digits: int = 1) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _windows(r: SizeResult) -> str:
    w = r.ingest.window_rates
    if not w:
        return "-"
    return f"{min(w):,.0f} / {max(w):,.0f}" + ("" if r.ingest.window == WINDOW else f" ({r.ingest.window:,})")


def _lat(lat: Latency | None) -> str:
    if lat is None:
        return "-"
    failed = f", {lat.failed} failed" if lat.failed else ""
    return f"{_num(lat.p50_ms)} / {_num(lat.p99_ms)} (n {lat.requests:,}, {lat.per_s:,.1f} req/s{failed})"


def _ingest_status(r: SizeResult) -> str:
    i = r.ingest
    status = "ok" if i.ok else f"FAILED exit {i.exit_code}"
    return status + (f", {len(i.leftovers)} processes left" if i.leftovers else "")


def _post(s: ServeResult | None) -> str:
    if s is None:
        return "-"
    if s.error and not s.post_status:
        return "failed: " + s.error
    added = s.post_answer.get("added")
    return f"{_num(s.post_wall_s)} (HTTP {s.post_status}" + (
        f", {added} added)" if added is not None else ")"
    )


def _add(r: SizeResult) -> str:
    if r.add is None:
        return "-"
    return _num(r.add.wall_s, 2) + ("" if r.add.exit_code == 0 else f" (FAILED exit {r.add.exit_code})")


def _server_exit(r: SizeResult) -> str:
    s = r.serve
    if s is None or s.exit_code is None:
        return "-"
    code = f"{s.exit_code} (killed by SIGTERM)" if s.exit_code == -signal.SIGTERM else str(s.exit_code)
    return f"{code}; {len(s.leftovers)} left" + (" (killed)" if s.leftovers else "")


def _quality(q: Quality | None) -> str:
    if q is None:
        return "-"
    missing = f", {q.not_found} not found" if q.not_found else ""
    return f"{q.f1:.3f} (P {q.precision:.3f} R {q.recall:.3f}{missing})"


def _ratio(r: SizeResult) -> str:
    w = r.ingest.window_rates
    return f"{w[-1] / w[0]:.2f}" if len(w) >= 2 and w[0] else "-"


Row = tuple[str, Callable[[SizeResult], str]]
ROWS: list[Row] = [
    ("ingest status", _ingest_status),
    ("articles stored / records", lambda r: f"{r.ingest.stored:,} / {r.n:,}"),
    ("ingest wall s", lambda r: _num(r.ingest.wall_s)),
    ("articles/s overall (N / wall)", lambda r: _num(r.ingest.rate) if r.ingest.ok else "-"),
    ("articles/s min / max over 10k windows", _windows),
    ("rate last window / first window", _ratio),
    ("s to the first stored batch (start-up)", lambda r: _num(r.ingest.first_s)),
    ("s after the last article stored (reconcile, close)", lambda r: _num(r.ingest.tail_s)),
    ("peak RSS process tree MB", lambda r: _num(r.ingest.usage.peak_tree_mb, 0)),
    ("peak RSS main process MB", lambda r: _num(r.ingest.usage.peak_main_mb, 0)),
    ("most processes in the tree", lambda r: str(r.ingest.usage.max_processes)),
    ("db size MB (db + wal, after ingest)", lambda r: _num(r.ingest.db_mb)),
    (f"open + add {N_ADD} s", _add),
    ("serve: s to /healthz", lambda r: "-" if r.serve is None else _num(r.serve.ready_s, 2)),
    (f"POST {N_POST:,} wall s", lambda r: _post(r.serve)),
    ("read p50 / p99 ms baseline", lambda r: _lat(r.serve and r.serve.baseline)),
    ("read p50 / p99 ms during POST", lambda r: _lat(r.serve and r.serve.during)),
    ("peak RSS server tree MB", lambda r: "-" if r.serve is None else _num(r.serve.usage.peak_tree_mb, 0)),
    ("server exit on SIGTERM; processes left", _server_exit),
    ("BCubed F1 vs gold", lambda r: _quality(r.quality)),
]


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", "--no-optional-locks", *args], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def storyfold_version(workdir: Path) -> str:
    """The commit of the storyfold the command imports (this repository's, or else its path)."""
    found = subprocess.run(
        [sys.executable, "-c", "import storyfold; print(storyfold.__file__)"],
        cwd=workdir,
        capture_output=True,
        text=True,
    ).stdout.strip()
    package = Path(found).resolve().parent if found else None
    if package is None or not package.is_relative_to(REPO):
        return f"imported from {package or '?'} (not {REPO})"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return _git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if dirty not in ("", "?") else "")


def machine(workdir: Path) -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": storyfold_version(workdir),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def previous_row(previous: dict[str, Any] | None) -> Row:
    """The ingest wall time in the previous run's results file, for reference."""
    sizes = (previous or {}).get("sizes", {})

    def cell(r: SizeResult) -> str:
        prev = sizes.get(str(r.n))
        if prev is None:
            return "-"
        code = prev["ingest"]["exit_code"]
        return _num(prev["ingest"]["wall_s"]) + ("" if code == 0 else f" (FAILED exit {code})")

    return ("previous run: ingest wall s", cell)


def table(results: Sequence[SizeResult], rows: Sequence[Row]) -> str:
    header = ["figure", *(f"N={r.n:,}" for r in results)]
    body = [[label, *(fn(r) for r in results)] for label, fn in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return " | ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), "-+-".join("-" * w for w in widths), *(line(b) for b in body)])


def report(info: dict[str, Any], results: Sequence[SizeResult], previous: dict[str, Any] | None) -> None:
    print(
        f"\nstoryfold ingest/serve bench: {info['cores']} cores ({info['usable_cores']} usable), "
        f"Python {info['python']}, storyfold {info['commit']}, {info['date']}"
    )
    if previous:
        run = previous.get("machine", {})
        print(f"previous run (last row): storyfold {run.get('commit', '?')}, {run.get('date', '?')}")
    print(table(results, [*ROWS, previous_row(previous)]))
    for line in failures(results):
        print(line)
    sys.stdout.flush()


def failures(results: Sequence[SizeResult]) -> Iterator[str]:
    """The last stderr lines of every failed step, under the table."""
    for r in results:
        steps = [("ingest", r.ingest.stderr_tail), ("add", r.add.stderr_tail if r.add else [])]
        if r.serve and r.serve.error:
            steps.append(("serve", [r.serve.error, *r.serve.stderr_tail]))
        for step, tail in steps:
            if tail:
                yield f"N={r.n:,} {step} failed; last lines of its stderr:"
                yield from (f"    {line}" for line in tail[-5:])
        lefts = [
            ("ingest", r.ingest.leftovers),
            (f"add {N_ADD}", r.add.leftovers if r.add else []),
            ("serve", r.serve.leftovers if r.serve else []),
        ]
        for step, left in lefts:
            if left:
                yield f"N={r.n:,} {step}: processes still running after it exited (killed by the bench):"
                yield from (f"    {line}" for line in left)


def load_previous(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def save(path: Path, info: dict[str, Any], results: Sequence[SizeResult]) -> None:
    data = {"machine": info, "sizes": {str(r.n): asdict(r) for r in results}}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    tmp.replace(path)


# ------------------------------------------------------------------ main


def storyfold_command() -> Path:
    """The console script installed beside this interpreter (what a user of the venv runs)."""
    cli = Path(sys.executable).with_name("storyfold")
    if cli.exists():
        return cli
    found = shutil.which("storyfold")
    if found is None:
        sys.exit("no `storyfold` command beside the interpreter or on PATH: pip install -e . first")
    return Path(found)


def parse_sizes(text: str) -> list[int]:
    units = {"k": 1_000, "m": 1_000_000}
    out = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*([\d_]+)\s*([kKmM]?)\s*", part)
        if not m:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}")
        out.append(int(m.group(1)) * units.get(m.group(2).lower(), 1))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument(
        "--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES), help="e.g. 10000,100k,1M"
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    ap.add_argument("--skip-serve", action="store_true")
    args = ap.parse_args(argv)
    # a stopped bench stops its commands: SIGTERM unwinds like Ctrl-C, through the `finally`s
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    cli = storyfold_command()
    info = machine(workdir)
    results_path = workdir / RESULTS_FILE
    previous = load_previous(results_path)
    free = shutil.disk_usage(workdir).free
    log(f"{cli}; work dir {workdir} ({free / 1e9:,.0f} GB free)")
    need = sum(args.sizes) * BYTES_PER_RECORD
    if need > free:
        log(
            f"warning: the streams and databases may need ~{need / 1e9:,.0f} GB; {free / 1e9:,.0f} GB are free"
        )

    # the language tables every command keeps (`storyfold.claims.tables`) start empty, as on a
    # user's first run: the first ingest makes them, every later command reads them
    tables = workdir / "tables"
    shutil.rmtree(tables, ignore_errors=True)
    os.environ["STORYFOLD_CACHE"] = str(tables)
    files = prepare_streams(args.data, workdir, args.sizes)
    results: list[SizeResult] = []
    try:
        for n in args.sizes:
            results.append(bench_size(cli, files[n], workdir, args.skip_serve))
            report(info, results, previous)
            save(results_path, info, results)
    finally:
        if not args.keep:
            for n in args.sizes:
                remove_db(workdir / f"bench_{n}.db")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        log("interrupted: the commands were stopped and the databases removed (unless --keep)")
        sys.exit(130)
