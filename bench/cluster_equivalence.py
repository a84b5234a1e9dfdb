"""Snapshot of every decision the story clusterer makes on the shared data, to prove speed work
changes nothing.

Run (from the repository root, project venv active):

    python bench/cluster_equivalence.py --write /tmp/cluster_before.jsonl   # before a change
    python bench/cluster_equivalence.py --check /tmp/cluster_before.jsonl   # after it: identical?

Every stream goes through `assign` one by one, the reference the ingest's `assign_prepared`
matches (tests/test_cluster_batch.py checks that on its own).

Streams (as bench/cluster_bench.py builds them): ECB+ dev topics, ECB+ all 772, NewsWCL50,
Gedikli, the mixed ECB+/WMT stream without relations and with simulated translation relations,
and a small synthetic stream (restored singleton stories, then undated assignments: the restore
path and the article-count window). The mixed stream with the fold stage's own relations is left
out: the fold stage is not this snapshot's subject and may change under it. One JSON line per
article holds its Assignment (story id, new story, merged ids, score rounded to 1e-9); one line
per stream holds the final article -> story labels (merges relabel earlier articles). Only ids
and scores are written, never text, and only to the file you name, outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from storyfold.cluster import StoryClusterer
from storyfold_eval import datasets as D

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster_bench import interleave, perfect_translation_relations, zipf_documents  # noqa: E402 - same streams as the benchmark


def _assign(c: StoryClusterer, arts, relations=None) -> list:
    return [c.assign(a, (relations or {}).get(a.id, ())) for a in arts]


def _stream(name: str, golds, relations=None) -> Iterator[dict]:
    c = StoryClusterer()
    for a in _assign(c, [g.article for g in golds], relations):
        yield {
            "stream": name,
            "article": a.article_id,
            "story": a.story_id,
            "new": a.new_story,
            "merged": list(a.merged),
            "score": round(a.score, 9),
        }
    yield {"stream": name, "labels": c.labels()}


def _synthetic(n_stories: int = 3000, n_new: int = 300) -> Iterator[dict]:
    doc = zipf_documents(np.random.default_rng(1), 5_000, 2_000)
    c = StoryClusterer()
    for i in range(n_stories):
        c.restore(doc(i), f"s{i % (n_stories // 3)}")
    for a in _assign(c, [doc(i) for i in range(n_stories, n_stories + n_new)]):
        yield {
            "stream": "synthetic",
            "article": a.article_id,
            "story": a.story_id,
            "new": a.new_story,
            "merged": list(a.merged),
            "score": round(a.score, 9),
        }
    yield {"stream": "synthetic", "labels": c.labels()}


def records(data: Path) -> Iterator[dict]:
    ecb = D.ecbplus(data)
    yield from _stream("ecb_dev", [g for g in ecb if int(g.topic) in D.DEV_TOPICS])
    yield from _stream("ecb_all", ecb)
    yield from _stream("newswcl50", D.newswcl50(data))
    yield from _stream("gedikli", D.gedikli(data)[0])
    mixed = interleave(ecb, D.wmt(data))
    yield from _stream("mixed", mixed)
    sim = perfect_translation_relations(mixed)
    yield from _stream("mixed_sim", mixed, sim)
    yield from _synthetic()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", type=Path)
    g.add_argument("--check", type=Path)
    a = ap.parse_args()
    t = time.process_time()
    got = [json.dumps(r, sort_keys=True) for r in records(a.data)]
    cpu = time.process_time() - t
    if a.write:
        a.write.write_text("\n".join(got) + "\n")
        print(f"wrote {len(got)} records to {a.write} ({cpu:.1f} CPU s)")
        return
    want = a.check.read_text().splitlines()
    bad = [(i, w, x) for i, (w, x) in enumerate(zip(want, got, strict=False)) if w != x]
    if len(want) != len(got):
        print(f"record count differs: {len(want)} expected, {len(got)} now")
    for i, w, x in bad[:5]:
        print(f"line {i + 1} differs:\n  before {w[:300]}\n  now    {x[:300]}")
    ok = not bad and len(want) == len(got)
    print(f"{'IDENTICAL' if ok else f'{len(bad)} DIFFERENT'}: {len(got)} records ({cpu:.1f} CPU s)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
