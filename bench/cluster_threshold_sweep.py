"""Sweep the story-joining threshold (or, with --merge, the story-merge threshold at the
shipped join threshold; 1.01 = never merge) on ECB+ (all and dev topics), NewsWCL50 and Gedikli.

usage: python bench/cluster_threshold_sweep.py [--data ../shared/data] [--merge]
For inspection only: the shipped thresholds are chosen by the fitter (python -m
storyfold_eval.fit_cluster) on ECB+ train, NewsWCL50 and Gedikli, never on ECB+ dev.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from storyfold.cluster import ClusterSettings, StoryClusterer
from storyfold_eval import datasets as D
from storyfold_eval.metrics import bcubed, pair_labels

DEV = D.DEV_TOPICS


def run(golds, thr: float, merge: bool = False) -> dict[str, str]:
    c = StoryClusterer(ClusterSettings(merge_threshold=thr) if merge else ClusterSettings(threshold=thr))
    for g in golds:
        c.assign(g.article)
    return c.labels()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--merge", action="store_true", help="sweep the merge threshold instead")
    a = ap.parse_args()
    data, merge = a.data, a.merge
    ecb, wcl = D.ecbplus(data), D.newswcl50(data)
    ged, pairs = D.gedikli(data)
    gold = {g.article.id: g.label for g in ecb}
    dev = [g.article.id for g in ecb if int(g.topic) in DEV]
    print(f"{'threshold':>9} {'ECB+ all':>9} {'ECB+ dev':>9} {'NewsWCL50':>10} {'Gedikli pairs':>14}")
    for thr in (0.5, 0.6, 0.7, 0.8, 0.9, 1.01) if merge else (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        lab = run(ecb, thr, merge)
        f_dev = bcubed({k: lab[k] for k in dev}, {k: gold[k] for k in dev}).f1
        fw = bcubed(run(wcl, thr, merge), {g.article.id: g.label for g in wcl}).f1
        fg = pair_labels(run(ged, thr, merge), pairs).f1
        print(f"{thr:9.2f} {bcubed(lab, gold).f1:9.3f} {f_dev:9.3f} {fw:10.3f} {fg:14.3f}")


if __name__ == "__main__":
    main()
