"""Batch bench: `storyfold batch` on a local Dask cluster of 1 and 2 workers, next to
`storyfold ingest`, on the ingest bench's synthetic stream, as a user runs them.

    python bench/batch_bench.py [--sizes 10000] [--data ../shared/data] [--workdir DIR]
    python bench/batch_bench.py --dev     # ingest and batch on the dev sets, against their gold

For each size N (the first N records of bench/synth_stream.py, seed 0, the same files as the
ingest bench): `storyfold ingest` (its default workers), `storyfold batch --workers 1` and
`storyfold batch --workers 2` into fresh databases, each measured from spawn to exit with the
peak RSS of its process tree (the Dask nanny and worker processes included), then BCubed of
each run's stories against the stream's gold stories, and the agreement of each batch run's
stories with the ingest's (BCubed of one partition against the other: 1.000 is the same
stories).

Where the CPU went: `storyfold batch` ends with its account by step and place (the per-article
work and the facts on the workers; the fold's decisions on the one worker holding its state;
the story decisions and the write, with Dask's client and the local cluster's scheduler, in
the writing process). From the 2-worker run's account, a second table predicts a cluster with
a core for each worker and one for the writing process: with n workers a job takes at least
the longest of (workers' CPU + the fold's) / n, the fold's alone, and the writing process's.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ingest_bench import DEFAULT_DATA, DEFAULT_WORKDIR, prepare_streams, quality, run_command  # noqa: E402
from storyfold_eval.metrics import bcubed  # noqa: E402

CLI = [sys.executable, "-c", "from storyfold.cli import app; app()"]


def stories(db: Path) -> dict[str, str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return {src: sid for src, sid in con.execute("SELECT source, story_id FROM articles")}


def account(stderr: Path) -> dict[str, float]:
    """The CPU seconds of a batch run's account: on the workers, on the fold's host, in the
    writing process (its whole CPU time)."""
    text = stderr.read_text(encoding="utf-8").replace("\n", " ")
    m = re.search(r"CPU seconds by step.*?\)", text)
    line = m.group(0) if m else ""
    got = {"workers": 0.0, "host": 0.0, "here": 0.0}
    for label, key in (("on the workers", "workers"), ("on the worker holding it", "host")):
        m = re.search(label + r": ([^;(]*)", line)
        if m:
            got[key] = sum(float(x) for x in re.findall(r" (\d+\.\d+)", " " + m.group(1)))
    m = re.search(r"this process in all[^:]*: (\d+\.\d+)", line)
    got["here"] = float(m.group(1)) if m else 0.0
    return got


def predict(n_articles: int, cpu: dict[str, float], workers: int) -> tuple[float, str]:
    """Articles/s with `workers` workers, a core each and one for the writing process, and what
    bounds it."""
    bounds = {
        "the workers": (cpu["workers"] + cpu["host"]) / workers,
        "the fold's host": cpu["host"],
        "the writing process": cpu["here"],
    }
    what = max(bounds, key=lambda k: bounds[k])
    return n_articles / max(bounds[what], 1e-9), what


# the dev sets with gold stories: (file, the field that groups one event's or one document's versions)
DEV_SETS = (
    ("events/ecbplus_docs.jsonl.gz", "cluster"),
    ("translations/wmt_docs.jsonl.gz", "group"),
    ("translations/meantime_docs.jsonl.gz", "group"),
    ("translations/ntrex_dev.jsonl.gz", "group"),
)


def stories_by_input(db: Path) -> dict[str, str]:
    """Each input's story, by the input's own id (an input stored as a copy joins its article's)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return dict(
            con.execute(
                "SELECT i.input_id, a.story_id FROM inputs i JOIN articles a ON a.id = i.article_id"
                " WHERE i.input_id IS NOT NULL"
            )
        )


def dev_agreement(data: Path, workdir: Path) -> None:
    """`ingest` and `batch --workers 2` on each dev set: BCubed of each against the gold
    groups, and of one against the other."""
    print("| dev set | documents | ingest BCubed F1 vs gold | batch BCubed F1 vs gold | batch vs ingest |")
    print("|---|---|---|---|---|")
    for name, field in DEV_SETS:
        gold: dict[str, str] = {}
        src = workdir / f"dev_{Path(name).name.split('.')[0]}.jsonl"
        with gzip.open(data / name, "rt", encoding="utf-8") as f, src.open("w", encoding="utf-8") as out:
            for i, line in enumerate(f):
                d = json.loads(line)
                key = f"{d['id']}#{i}"  # NTREX repeats the ids of one Spanish version
                gold[key] = str(d[field])
                rec = {"id": key, "title": d.get("title"), "text": d["text"]}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        got = {}
        for label, cmd in (("ingest", ["ingest"]), ("batch", ["batch", "--workers", "2"])):
            db = workdir / f"{src.stem}_{label}.db"
            for p in db.parent.glob(db.name + "*"):
                p.unlink()
            run = run_command([*CLI, *cmd, str(src), "--db", str(db), "--quiet"], db.with_suffix(""), label)
            if run.exit_code:
                raise SystemExit(f"{label} on {name} failed: {run.stderr_tail}")
            got[label] = stories_by_input(db)
        print(
            f"| {name} | {len(gold):,} | {bcubed(got['ingest'], gold).f1:.3f} | "
            f"{bcubed(got['batch'], gold).f1:.3f} | {bcubed(got['batch'], got['ingest']).f1:.3f} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--dev", action="store_true", help="instead: ingest and batch on the dev sets")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = ap.parse_args()
    if args.dev:
        args.workdir.mkdir(parents=True, exist_ok=True)
        dev_agreement(args.data, args.workdir)
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    files = prepare_streams(args.data, args.workdir, sizes)
    rows = []
    accounts: list[tuple[int, dict[str, float]]] = []
    for n in sizes:
        f = files[n]
        runs = {}
        for label, cmd in (
            ("ingest", ["ingest"]),
            ("batch, 1 worker", ["batch", "--workers", "1"]),
            ("batch, 2 workers", ["batch", "--workers", "2"]),
        ):
            db = args.workdir / f"batch_{n}_{label.replace(', ', '_').replace(' ', '')}.db"
            for p in db.parent.glob(db.name + "*"):
                p.unlink()
            run = run_command(
                [*CLI, *cmd, str(f.stream), "--db", str(db), "--quiet"], db.with_suffix(""), label
            )
            if run.exit_code:
                raise SystemExit(f"{label} failed: {run.stderr_tail}")
            runs[label] = (run, db)
        base = stories(runs["ingest"][1])
        accounts.append((n, account(runs["batch, 2 workers"][1].with_suffix(".stderr"))))
        one = runs["batch, 1 worker"][0].wall_s
        for label, (run, db) in runs.items():
            q = quality(db, f.stream)
            agree = bcubed(stories(db), base).f1
            rows.append(
                (
                    f"{n:,}",
                    label,
                    f"{run.wall_s:.1f} s",
                    f"{n / run.wall_s:.0f}",
                    f"{one / run.wall_s:.2f}x" if label != "ingest" else "",
                    f"{run.usage.peak_tree_mb:,.0f} MB",
                    f"{q.f1:.3f}",
                    f"{agree:.3f}",
                )
            )
    head = (
        "N",
        "command",
        "wall",
        "articles/s",
        "vs 1 worker",
        "peak RSS (tree)",
        "BCubed F1 vs gold",
        "same stories as ingest",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    print(
        "| N | CPU s on the workers | on the fold's host | in the writing process"
        " | predicted articles/s with 1 / 2 / 10 / 100 workers | bound at 100 |"
    )
    print("|---|---|---|---|---|---|")
    for n, cpu in accounts:
        preds = [predict(n, cpu, w) for w in (1, 2, 10, 100)]
        print(
            f"| {n:,} | {cpu['workers']:.1f} | {cpu['host']:.1f} | {cpu['here']:.1f} | "
            + " / ".join(f"{p:,.0f}" for p, _ in preds)
            + f" | {preds[-1][1]} |"
        )
    shutil.rmtree(args.workdir / "dask-scratch-space", ignore_errors=True)


if __name__ == "__main__":
    main()
