"""Instructions per article of story clustering, counted by cachegrind: a noise-free speed figure.

Run (from the repository root, project venv active):

    python bench/cluster_instructions.py            # the C extensions, as installed
    python bench/cluster_instructions.py --no-c     # the pure-Python paths (extensions blocked)

Why: on this shared 2-core VM the wall clock of memory-bound code swings by up to 1.7x between
phases, for one process as for two, so `cluster_bench.py`'s articles/s cannot show a 10% change;
the instruction count of the same work repeats to a few parts in ten thousand. It counts the
three parts of `StoryClusterer.assign_many(workers=2)` and of `assign`, over the ECB+ stream
(772 articles, benchmark order), each as (I(N) - I(0)) / N from two runs under
`valgrind --tool=cachegrind --cache-sim=no` (PYTHONHASHSEED=0) that do the same set-up:

- helper: what the helper process does per article (prepare, weigh, count, number for the handoff,
  pickle per chunk of 32);
- decider: what the deciding process does (unpickle, decode, decide), on records made in set-up;
- one process: `assign` one by one.

The two halves run at once on 2 cores, so one stream's rate is bound by the larger of them.
Without valgrind it says so and exits 0.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cachegrind  # noqa: E402 - the bench folder's own helper

CHUNK = 32


def _inner(data: Path, part: str, n: int, no_c: bool) -> None:
    """The measured program: the same imports and set-up whatever N, then N articles of `part`."""
    if no_c:
        sys.modules["storyfold.cluster._scoring"] = None  # type: ignore[assignment]
        sys.modules["storyfold.cluster._tokens"] = None  # type: ignore[assignment]
    from storyfold.cluster import StoryClusterer
    from storyfold.cluster import data as D
    from storyfold.cluster.handoff import Receiver, Sender
    from storyfold.cluster.weigh import DocFreqs, Prepared, Weighed, prepare

    arts = [g.article for g in D.ecbplus(data)]
    settings = StoryClusterer().settings

    def helper_side(todo: list) -> list[bytes]:
        freqs, sender, out, blobs = DocFreqs(settings.idf_prior_docs, settings.vector_terms), Sender(), [], []
        for a in todo:
            prep = prepare(a)
            w = freqs.weigh(prep, top=False)
            freqs.add(w.vec.keys(), prep.names, prep.anchors)
            out.append(sender.encode(prep, w))
            if len(out) == CHUNK:
                blobs.append(pickle.dumps((sender.pop_new(), out)))
                out = []
        if out:
            blobs.append(pickle.dumps((sender.pop_new(), out)))
        return blobs

    if part == "helper":
        helper_side(arts[:n])
    elif part == "decider":
        blobs = helper_side(arts)  # set-up: every record, whatever N
        c = StoryClusterer()
        c._freqs.deferred = []  # as in the 2-core path: body-term counts are the helper's
        receiver, done = Receiver(settings.vector_terms), 0
        for b in blobs:
            if done >= n:
                break
            new, recs = pickle.loads(b)
            receiver.add(new)
            for rec in recs[: n - done]:
                prep, w = receiver.decode(rec, Prepared, Weighed)
                c._decide(arts[done], prep, w, ())
                done += 1
    else:
        c = StoryClusterer()
        for a in arts[:n]:
            c.assign(a)


def _count(data: Path, part: str, n: int, no_c: bool) -> int:
    args = ["--inner", part, "--n", str(n), "--data", str(data)] + (["--no-c"] if no_c else [])
    return cachegrind.instructions(Path(__file__).resolve(), *args)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--n", type=int, default=772, help="ECB+ articles measured (772: all)")
    ap.add_argument("--no-c", action="store_true", help="block the C extensions: the Python paths")
    ap.add_argument("--inner", choices=("helper", "decider", "one"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        _inner(args.data, args.inner, args.n, args.no_c)
        return 0
    if not cachegrind.available():
        print("valgrind is not installed: no instruction count (apt-get install valgrind)")
        return 0
    paths = "pure Python (extensions blocked)" if args.no_c else "C extensions as installed"
    print(f"| M instructions per ECB+ article ({args.n} articles; {paths}) | value |")
    print("|---|---|")
    for part, label in (
        ("helper", "2 cores: helper process (prepare, weigh, count, hand over)"),
        ("decider", "2 cores: deciding process (receive, decode, decide)"),
        ("one", "1 process: assign one by one"),
    ):
        per = (_count(args.data, part, args.n, args.no_c) - _count(args.data, part, 0, args.no_c)) / args.n
        print(f"| {label} | {per / 1e6:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
