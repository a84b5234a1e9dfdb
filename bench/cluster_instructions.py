"""Instructions per article of story clustering, counted by cachegrind: a noise-free speed figure.

Run (from the repository root, project venv active):

    python bench/cluster_instructions.py

Why: on this shared 2-core VM the wall clock of memory-bound code swings by up to 1.7x between
phases, for one process as for two, so `cluster_bench.py`'s articles/s cannot show a 10% change;
the instruction count of the same work repeats to a few parts in ten thousand. It counts
`StoryClusterer.assign` one by one in one process over the ECB+ stream (772 articles, benchmark
order), as (I(N) - I(0)) / N from two runs under `valgrind --tool=cachegrind --cache-sim=no`
(PYTHONHASHSEED=0) that do the same set-up. How the ingest spreads that work over processes is
`bench/ingest_bench.py`'s subject. Without valgrind it says so and exits 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cachegrind  # noqa: E402 - the bench folder's own helper


def _inner(data: Path, n: int) -> None:
    """The measured program: the same imports and set-up whatever N, then N articles assigned."""
    from storyfold.cluster import StoryClusterer
    from storyfold_eval import datasets as D

    arts = [g.article for g in D.ecbplus(data)]
    c = StoryClusterer()
    for a in arts[:n]:
        c.assign(a)


def _count(data: Path, n: int) -> int:
    args = ["--inner", "--n", str(n), "--data", str(data)]
    return cachegrind.instructions(Path(__file__).resolve(), *args)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--n", type=int, default=772, help="ECB+ articles measured (772: all)")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        _inner(args.data, args.n)
        return 0
    if not cachegrind.available():
        print("valgrind is not installed: no instruction count (apt-get install valgrind)")
        return 0
    print(f"| M instructions per ECB+ article ({args.n} articles) | value |")
    print("|---|---|")
    per = (_count(args.data, args.n) - _count(args.data, 0)) / args.n
    print(f"| 1 process: assign one by one | {per / 1e6:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
