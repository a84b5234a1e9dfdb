"""Batch bench: `storyfold batch` on a local Dask cluster of 1 and 2 workers, next to
`storyfold ingest`, on the ingest bench's synthetic stream, as a user runs them.

    python bench/batch_bench.py [--sizes 10000] [--data ../shared/data] [--workdir DIR]

For each size N (the first N records of bench/synth_stream.py, seed 0, the same files as the
ingest bench): `storyfold ingest` (its default workers), `storyfold batch --workers 1` and
`storyfold batch --workers 2` into fresh databases, each measured from spawn to exit with the
peak RSS of its process tree (the Dask nanny and worker processes included), then BCubed of
each run's stories against the stream's gold stories, and the agreement of each batch run's
stories with the ingest's (BCubed of one partition against the other: 1.000 is the same
stories). The per-article work is what the Dask workers take; the fold and cluster decisions
and the write stay in the writing process, so the curve says how much of a run is that
serial part.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    files = prepare_streams(args.data, args.workdir, sizes)
    rows = []
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
    shutil.rmtree(args.workdir / "dask-scratch-space", ignore_errors=True)


if __name__ == "__main__":
    main()
