"""Translation links on the WMT news test sets: pair precision/recall/F1 per language pair.

usage: python bench/fold_bench.py [--data ../shared/data] [--sets newstest2010 ...]
Gold pairs are all cross-language pairs inside a WMT `group`. The peer is the plain
Jaccard over anchors (numbers + capitalised words) named in the translations README,
thresholded at its best F1 in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from storyfold.fold import FoldIndex
from storyfold.model import Article, RelationKind, article_id


def load(path: Path, sets: set[str] | None) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    return [d for d in docs if not sets or d["set"] in sets]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--sets", nargs="*", default=None)
    args = ap.parse_args()
    docs = load(args.data / "translations" / "wmt_docs.jsonl.gz", set(args.sets) if args.sets else None)
    docs.sort(key=lambda d: (d["set"], d["docid"], d["lang"]))
    gold: set[frozenset[str]] = set()
    by_group = defaultdict(list)
    for d in docs:
        by_group[d["group"]].append(d)
    for members in by_group.values():
        for x, y in combinations(members, 2):
            if x["lang"] != y["lang"]:
                gold.add(frozenset((x["id"], y["id"])))
    index = FoldIndex()
    pred: set[frozenset[str]] = set()
    t0 = time.perf_counter()
    ids = {}
    for d in docs:
        text = ((d.get("title") or "") + "\n\n" + d["text"]).strip()
        art = Article(
            id=article_id(text, d["id"]),
            source=d["id"],
            title=d.get("title") or "",
            text=text,
            lang=d["lang"],
        )
        ids[art.id] = d["id"]
        for r in index.add(art):
            if r.kind is RelationKind.TRANSLATION:
                pred.add(frozenset((ids[r.a], ids[r.b])))
    secs = time.perf_counter() - t0
    lang = {d["id"]: d["lang"] for d in docs}

    def key(p: frozenset[str]) -> str:
        return "-".join(sorted(lang[x] for x in p))

    tp, fp, fn = Counter(), Counter(), Counter()
    for p in pred:
        (tp if p in gold else fp)[key(p)] += 1
    for p in gold - pred:
        fn[key(p)] += 1
    print(f"{'pair':8} {'gold':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for k in sorted(set(tp) | set(fn)):
        p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 0.0
        r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{k:8} {tp[k] + fn[k]:6d} {p:6.3f} {r:6.3f} {f:6.3f}")
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p, r = T / (T + F) if T + F else 0, T / (T + N) if T + N else 0
    print(f"{'micro':8} {T + N:6d} {p:6.3f} {r:6.3f} {2 * p * r / (p + r) if p + r else 0:6.3f}")
    print(f"docs {len(docs)}, {len(docs) / secs:.0f} docs/s (one core, no embedding model)")


if __name__ == "__main__":
    main()
