"""Fuzz bench: generated hostile inputs through every stage, and the whole ingest as users run it.

    python bench/fuzz_bench.py                 # 100,000 inputs (about 15 minutes on 2 cores)
    python bench/fuzz_bench.py --scale 0.05    # a quick look

Three parts, with the generators of `tests/fuzzing.py` (the property tests' small profile
runs the same):
  texts  hostile text through anchors, cleaning, language, dates and claims in 4 languages
  files  hostile files (text, HTML, JSONL, WARC, feeds; cut, flipped, deep) through the
         readers and the extraction of each document
  ingest hostile documents as JSONL lines (and junk lines) through `storyfold ingest`, twice:
         every line must be accounted for in the inputs table, no article stored twice, the
         second run adding nothing, the command never crashing

Prints a table: inputs tried, crashes, lost and duplicated inputs, with the target beside.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the shared generators

from fuzzing import (  # noqa: E402
    check_reader,
    check_text_functions,
    hostile_document,
    hostile_file,
    hostile_text,
    odd_token,
)


def _text_case(i: int, seed: int) -> str | None:
    try:
        check_text_functions(hostile_text(random.Random(f"{seed}-text-{i}")))
    except Exception:  # noqa: BLE001 - what the bench counts
        return f"text seed {seed}-text-{i}: {traceback.format_exc(limit=3)}"
    return None


def _file_case(i: int, seed: int, tmp: str) -> str | None:
    suffix, data = hostile_file(random.Random(f"{seed}-file-{i}"))
    path = Path(tmp) / f"in{i}{suffix}"
    path.write_bytes(data)
    try:
        check_reader(path)
    except Exception:  # noqa: BLE001
        return f"file seed {seed}-file-{i} ({suffix}): {traceback.format_exc(limit=3)}"
    finally:
        path.unlink()
    return None


def _texts(job: tuple[int, int, int]) -> list[str]:
    start, stop, seed = job
    return [c for i in range(start, stop) if (c := _text_case(i, seed))]


def _files(job: tuple[int, int, int]) -> list[str]:
    start, stop, seed = job
    with tempfile.TemporaryDirectory() as tmp:
        return [c for i in range(start, stop) if (c := _file_case(i, seed, tmp))]


def run_parallel(fn, n: int, seed: int, procs: int) -> list[str]:  # noqa: ANN001
    """Cases 0..n-1 in chunks over `procs` processes; each case is seeded by its number alone."""
    step = 200
    jobs = [(a, min(a + step, n), seed) for a in range(0, n, step)]
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        return [c for part in pool.imap_unordered(fn, jobs) for c in part]


def _lines(n: int, seed: int) -> list[bytes]:
    rng = random.Random(f"{seed}-docs")
    lines: list[bytes] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.85:
            text = json.dumps(hostile_document(rng, i), ensure_ascii=rng.random() < 0.5)
            # a raw lone surrogate is invalid UTF-8: a few lines keep it, most are repaired
            lines.append(text.encode("utf-8", "surrogatepass" if rng.random() < 0.05 else "replace"))
        elif roll < 0.9 and lines:
            lines.append(lines[rng.randrange(len(lines))])  # a copy of an earlier line
        else:
            junk = odd_token(rng) + "".join(rng.choice("{[\"':,]} \t") for _ in range(rng.randint(0, 80)))
            lines.append(junk.encode("utf-8", "surrogatepass"))
    # one input per line: no line breaks inside, no blank lines
    return [b" ".join(line.splitlines()).strip() or b"{" for line in lines]


def run_ingest(n: int, seed: int, workdir: Path, chunk: int) -> dict[str, object]:
    """The lines in files of `chunk` lines, each ingested twice into a database of its own: the
    generated documents are variants of a few texts, so one database of them all grows a few
    stories of tens of thousands of articles (a scale test, not a fuzz test)."""
    lines = _lines(n, seed)
    parts = [
        _ingest_part(lines[i : i + chunk], workdir / f"part{i // chunk}") for i in range(0, len(lines), chunk)
    ]
    first = parts[0]
    by_status: dict[str, int] = {}
    for p in parts:
        for k, v in p["by_status"].items():  # type: ignore[attr-defined]
            by_status[k] = by_status.get(k, 0) + v
    return {
        "lines": sum(int(p["lines"]) for p in parts),  # type: ignore[call-overload]
        "rows": sum(int(p["rows"]) for p in parts),  # type: ignore[call-overload]
        "by_status": by_status,
        "articles": sum(int(p["articles"]) for p in parts),  # type: ignore[call-overload]
        "doubled": sum(int(p["doubled"]) for p in parts),  # type: ignore[call-overload]
        "orphans": sum(int(p["orphans"]) for p in parts),  # type: ignore[call-overload]
        "second_added": next((p["second_added"] for p in parts if p["second_added"] != 0), 0),
        "crashes": [c for p in parts for c in p["crashes"]],  # type: ignore[attr-defined]
        "seconds": [round(sum(p["seconds"][k] for p in parts), 1) for k in (0, 1)],  # type: ignore[index]
        "first": f"{len(parts)} databases; the first: {first['first']}",
    }


def _ingest_part(lines: list[bytes], workdir: Path) -> dict[str, object]:
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / "fuzz.jsonl"
    src.write_bytes(b"".join(line + b"\n" for line in lines))
    expected = len(lines)
    db = workdir / "fuzz.db"
    cli = [sys.executable, "-c", "from storyfold.cli import app; app()"]
    runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [*cli, "ingest", str(src), "--db", str(db), "--quiet"], capture_output=True, text=True
        )
        runs.append((proc, time.perf_counter() - t0))
    con = sqlite3.connect(db)
    rows = con.execute("SELECT count(*) FROM inputs").fetchone()[0]
    by_status = dict(con.execute("SELECT status, count(*) FROM inputs GROUP BY status").fetchall())
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    doubled = con.execute(
        "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) n FROM articles GROUP BY raw_sha1 HAVING n > 1)"
    ).fetchone()[0]
    orphans = con.execute(
        "SELECT count(*) FROM inputs WHERE status != 'rejected' AND article_id NOT IN (SELECT id FROM articles)"
    ).fetchone()[0]
    con.close()
    crashes = []
    for k, (proc, _) in enumerate(runs, start=1):
        if proc.returncode != 0 or "Traceback" in proc.stderr:
            crashes.append(f"ingest run {k}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    second = " ".join(runs[1][0].stdout.split())
    return {
        "lines": expected,
        "rows": rows,
        "by_status": by_status,
        "articles": articles,
        "doubled": doubled,
        "orphans": orphans,
        "second_added": 0 if " 0 articles added" in second else second,
        "crashes": crashes,
        "seconds": [round(t, 1) for _, t in runs],
        "first": " ".join(runs[0][0].stdout.split()),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0: 20k texts, 20k files, 60k ingested lines")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--chunk", type=int, default=10_000, help="lines per database in the ingest part")
    ap.add_argument(
        "--procs", type=int, default=os.cpu_count() or 1, help="processes for the texts and files"
    )
    args = ap.parse_args()
    n_text, n_file, n_doc = (max(1, int(x * args.scale)) for x in (20_000, 20_000, 60_000))
    t0 = time.perf_counter()
    texts = n_text, run_parallel(_texts, n_text, args.seed, args.procs)
    t_text = time.perf_counter() - t0
    files = n_file, run_parallel(_files, n_file, args.seed, args.procs)
    t_file = time.perf_counter() - t0 - t_text
    with tempfile.TemporaryDirectory() as tmp:
        ing = run_ingest(n_doc, args.seed, Path(tmp), args.chunk)
    total = n_text + n_file + int(ing["lines"])  # type: ignore[call-overload]
    lost = int(ing["lines"]) - int(ing["rows"])  # type: ignore[call-overload]
    rows = [
        ("hostile texts through the text functions", n_text, len(texts[1]), "-", "-", f"{t_text:.0f} s"),
        ("hostile files through readers + extraction", n_file, len(files[1]), "-", "-", f"{t_file:.0f} s"),
        (
            "hostile JSONL lines through `storyfold ingest` x2",
            ing["lines"],
            len(ing["crashes"]),  # type: ignore[arg-type]
            lost + int(ing["orphans"]),  # type: ignore[call-overload]
            int(ing["doubled"]) + (0 if ing["second_added"] == 0 else 1),  # type: ignore[call-overload]
            " + ".join(f"{s} s" for s in ing["seconds"]),  # type: ignore[attr-defined]
        ),
    ]
    print(f"\nfuzz bench, seed {args.seed}: {total:,} inputs tried\n")
    print(f"| {'part':<48} | {'inputs':>7} | crashes | lost | duplicated | time | target |")
    print(f"|{'-' * 50}|{'-' * 9}|---------|------|------------|------|--------|")
    for name, n, crash, lost_n, dup, t in rows:
        print(f"| {name:<48} | {n:>7,} | {crash:>7} | {lost_n!s:>4} | {dup!s:>10} | {t} | 0, 0, 0 |")
    print(f"\ningest: {ing['first']}")
    print(f"inputs table: {ing['rows']:,} rows {ing['by_status']}; articles {ing['articles']:,}")
    for c in (texts[1] + files[1] + ing["crashes"])[:5]:  # type: ignore[operator]
        print("\nCRASH", c)
    bad = len(texts[1]) + len(files[1]) + len(ing["crashes"]) + lost + int(ing["doubled"])  # type: ignore[arg-type, call-overload]
    return 1 if bad or ing["second_added"] != 0 or ing["orphans"] else 0


if __name__ == "__main__":
    sys.exit(main())
