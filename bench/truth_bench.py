"""Truth discovery on the Population benchmark: majority vote, TruthFinder, and storyfold.

usage: python bench/truth_bench.py [--data ../shared/data]

"Ours" is `storyfold.reconcile.reconcile_all`, exactly as the pipeline runs it: every
(city, year) item is a story, every Wikipedia editor a source, every edit a claim. Accuracy
is the share of gold items (census values joined as the README says) whose chosen value
equals the census value exactly. Published: vote .807 (measured here), best .861 (LCA).
"""

from __future__ import annotations

import argparse
import gzip
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from storyfold.model import Article, Claim, ValueKind
from storyfold.reconcile import reconcile_all


def load(data: Path) -> tuple[dict[tuple[str, str], list[tuple[str, int]]], dict[tuple[str, str], int]]:
    items: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    with gzip.open(data / "truth" / "population" / "population_claims.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            f = [x.strip() for x in line.split("|\t")]
            if len(f) < 6 or not f[4].lstrip("-").isdigit():
                continue
            year = re.sub(r"\D", "", f[3])
            items[(f[2].lower(), year)].append((f[5], int(f[4])))
    gold = {}
    for line in (
        (data / "truth" / "population" / "population_truth.txt").read_text(encoding="utf-8").splitlines()
    ):
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 4:
            gold[(f"{parts[0]}, {parts[1]}".lower(), parts[2])] = int(parts[3])
    return items, gold


def vote(claims: list[tuple[str, int]]) -> int:
    counts = Counter(v for _, v in claims)
    return max(counts, key=lambda v: (counts[v], -claims.index(next(c for c in claims if c[1] == v))))


def truthfinder(items: dict, iterations: int = 10, t0: float = 0.9, gamma: float = 0.3) -> dict:
    """Yin et al. 2007 with exact-value facts (no implication between values)."""
    trust = defaultdict(lambda: t0)
    choice = {}
    for _ in range(iterations):
        conf: dict[tuple, dict[int, float]] = {}
        for key, claims in items.items():
            scores: dict[int, float] = defaultdict(float)
            for src, v in {(s, v) for s, v in claims}:
                scores[v] += -math.log(max(1e-9, 1 - trust[src]))
            conf[key] = {v: 1 / (1 + math.exp(-gamma * s)) for v, s in scores.items()}
        per_src = defaultdict(list)
        for key, claims in items.items():
            for src, v in {(s, v) for s, v in claims}:
                per_src[src].append(conf[key][v])
        trust = defaultdict(lambda: t0, {s: sum(c) / len(c) for s, c in per_src.items()})
        choice = {k: max(c, key=lambda v: (c[v], -v)) for k, c in conf.items()}
    return choice


def ours(items: dict) -> dict:
    story_claims: dict[str, list[Claim]] = {}
    articles: dict[str, Article] = {}
    for key, claims in items.items():
        sid = "|".join(key)
        out = []
        for i, (src, v) in enumerate(claims):
            aid = f"{src}"
            articles.setdefault(aid, Article(aid, aid, "", "", "und", outlet=src))
            out.append(
                Claim(
                    aid,
                    ValueKind.COUNT,
                    float(v),
                    "person",
                    "population",
                    "",
                    i,
                    i + 1,
                    str(v),
                    "und",
                    key[0],
                )
            )
        story_claims[sid] = out
    facts, _ = reconcile_all(story_claims, articles, [])
    return {tuple(f.story_id.split("|")): int(f.value) for f in facts}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    items, gold = load(ap.parse_args().data)
    scored = [k for k in gold if k in items]
    contested = {k for k in scored if len({v for _, v in items[k]}) > 1}
    t = time.perf_counter()
    tf = truthfinder(items)
    t_tf = time.perf_counter() - t
    t = time.perf_counter()
    mine = ours(items)
    t_ours = time.perf_counter() - t

    def acc(choice) -> float:
        return sum(choice.get(k) == gold[k] for k in scored) / len(scored)

    votes = {k: vote(items[k]) for k in scored}
    print(
        f"Population: {len(scored)} gold items with claims ({len(contested)} contested), {len(items)} items"
    )
    print(f"{'method':12} {'accuracy':>8} {'seconds':>8}")
    print(f"{'vote':12} {acc(votes):8.3f}")
    print(f"{'TruthFinder':12} {acc(tf):8.3f} {t_tf:8.1f}")
    print(f"{'storyfold':12} {acc(mine):8.3f} {t_ours:8.1f}")
    print(f"{'published':12} {'0.861':>8}  (best, LCA; vote 0.807 in the README)")


if __name__ == "__main__":
    main()
