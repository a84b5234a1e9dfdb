"""Instructions per article of claim extraction, counted by cachegrind: a noise-free speed figure.

Run (from the repository root, project venv active):

    python bench/claims_instructions.py            # 150 articles
    python bench/claims_instructions.py --n 60     # quicker, a little less representative

Why: on this shared 2-core VM wall-clock rates move by a third between runs, so a 3% change
cannot be seen in `claims_bench.py`. The instruction count of the same work is reproducible to
a few parts in ten thousand. The script runs itself twice under
`valgrind --tool=cachegrind --cache-sim=no` (PYTHONHASHSEED=0): once extracting N articles and
once extracting none, both after the same imports and the same warm-up article (so regexes are
compiled and caches filled in both), and prints (I(N) - I(0)) / N.

Articles: the speed benchmark's WMT set (`claims_bench.py`: en fr es de it pt, not newstest2014,
undated), shuffled with a fixed seed, the first N; the warm-up article is the last one of the
shuffled list, never among the N. Without valgrind it says so and exits 0.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cachegrind  # noqa: E402 - the bench folder's own helper

SEED = 4


def _articles(data: Path, n: int, seed: int) -> tuple[list, object]:
    """The speed rows' WMT articles (claims_bench.py reads them), shuffled: N of them and a
    warm-up article that is never one of the N."""
    sys.path.insert(0, str(HERE))
    from claims_bench import _wmt_articles

    arts = _wmt_articles(data)
    random.Random(seed).shuffle(arts)
    return arts[:n], arts[-1]


def _inner(data: Path, n: int, seed: int) -> None:
    """The measured program: imports, one warm-up article, then N articles."""
    from storyfold.claims import extract_claims

    chosen, warm = _articles(data, n, seed)
    extract_claims(warm)
    total = 0
    for a in chosen:
        total += len(extract_claims(a))
    print(f"claims {total}", file=sys.stderr)


def _count(data: Path, n: int, seed: int) -> int:
    here = Path(__file__).resolve()
    return cachegrind.instructions(here, "--inner", "--n", str(n), "--seed", str(seed), "--data", str(data))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--n", type=int, default=150, help="articles measured")
    ap.add_argument("--seed", type=int, default=SEED, help="shuffle seed of the WMT set")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        _inner(args.data, args.n, args.seed)
        return 0
    if not cachegrind.available():
        print("valgrind is not installed: no instruction count (apt-get install valgrind)")
        return 0
    full = _count(args.data, args.n, args.seed)
    base = _count(args.data, 0, args.seed)
    per = (full - base) / max(args.n, 1)
    print("| figure | value |")
    print("|---|---|")
    print(f"| instructions, {args.n} articles + start-up | {full:,} |")
    print(f"| instructions, start-up only (imports, warm-up article) | {base:,} |")
    print(f"| M instructions per article (WMT, seed {args.seed}) | {per / 1e6:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
