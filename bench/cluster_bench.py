"""Story clustering benchmark: prints a table (figure, ours, peer in the same run).

    python bench/cluster_bench.py [--data ../shared/data] [--stories 100000] [--no-fold]

Peer: plain TF-IDF cosine single-link union at 0.25 over title + text (the events README
baseline, 0.842 on the ECB+ shared file), run offline over all pairs with a global idf.
Ours: the online StoryClusterer with the shipped link model (weights, join threshold and
story-merge threshold fitted on ECB+ train topics + NewsWCL50 + Gedikli; ECB+ dev topics never
read by the fitter, so "ECB+ dev" is the clean figure; NewsWCL50 and Gedikli are in-sample).
Speed: wall-clock and CPU (process) time per article, one process; the machine is shared. One
stream on several cores is the ingest's business (its executor prepares articles on worker
processes while the writing process decides): `bench/ingest_bench.py` measures it end to end.
The 2-process row runs two independent clusterers, each over its own copy of the ECB+ stream, at
once: total articles over the wall time of both (how 2 cores serve 2 streams, not one stream).
Mixed stream: the undated WMT documents dropped at random (seed 0) into the ECB+ stream,
which keeps its date/file order, with (a) no fold
relations, (b) the fold stage's own relations (FoldIndex run over the same stream, its time
not counted), (c) simulated perfect translation relations (the upper bound of (b)).
Synthetic scale: N singleton stories restored from Zipf-vocabulary documents (50k words,
20k names), then 1,000 new documents assigned one by one and timed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from storyfold.cluster import ClusterSettings, StoryClusterer
from storyfold.model import Article, Relation, RelationKind
from storyfold_eval import datasets as D
from storyfold_eval.metrics import bcubed, n_clusters, pair_labels, pairwise

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def run(golds, relations=None, embed: bool = False) -> tuple[dict[str, str], float, float]:
    """Labels, wall seconds, CPU seconds."""
    c = StoryClusterer(ClusterSettings(use_embeddings=embed))
    t, tc = time.perf_counter(), time.process_time()
    for g in golds:
        c.assign(g.article, (relations or {}).get(g.article.id, ()))
    return c.labels(), time.perf_counter() - t, time.process_time() - tc


def _assign_all(golds) -> tuple[float, float]:
    """One worker of `two_processes`: its own clusterer over the whole stream; (start, end) wall."""
    c = StoryClusterer()
    t0 = time.time()
    for g in golds:
        c.assign(g.article)
    return t0, time.time()


def two_processes(golds) -> float:
    """Articles per wall second with 2 worker processes, each clustering its own copy of the
    stream with its own store (independent streams; the machine's 2 cores, shared with others)."""
    import multiprocessing as mp

    with mp.get_context("fork").Pool(2) as pool:
        spans = pool.map(_assign_all, [golds, golds])
    return 2 * len(golds) / (max(e for _, e in spans) - min(s for s, _ in spans))


def interleave(timed: list, undated: list, seed: int = 0) -> list:
    """The undated documents (shuffled) dropped into random slots of the time-ordered stream:
    ECB+ keeps its own order, so a change in its score is the other documents' doing."""
    rng = random.Random(seed)
    rest = list(undated)
    rng.shuffle(rest)
    slots = sorted(rng.sample(range(len(timed) + len(rest)), len(rest)))
    out, it_t, it_u = [], iter(timed), iter(rest)
    pos = set(slots)
    for i in range(len(timed) + len(rest)):
        out.append(next(it_u) if i in pos else next(it_t))
    return out


def perfect_translation_relations(golds) -> dict[str, list[Relation]]:
    """What a perfect fold stage would say of the stream: each WMT document after the first of
    its group is a translation of that first one (ECB+ articles get no relation)."""
    sim: dict[str, list[Relation]] = {}
    first: dict[str, str] = {}
    for g in golds:
        if g.label.startswith("wmt:"):
            if g.label in first:
                sim[g.article.id] = [Relation(first[g.label], g.article.id, RelationKind.TRANSLATION, 0.9)]
            else:
                first[g.label] = g.article.id
    return sim


def fold_relations(golds) -> dict[str, list[Relation]]:
    """The fold stage's relations over the stream, as the pipeline would pass them."""
    from storyfold.fold import FoldIndex  # the bench may use both stages; cluster never imports fold

    fold = FoldIndex()
    return {g.article.id: fold.add(g.article) for g in golds}


def tfidf_single_link(golds, thr: float = 0.25) -> dict[str, str]:
    from sklearn.feature_extraction.text import TfidfVectorizer  # peer only

    texts = [f"{g.article.title}\n\n{g.article.text}" for g in golds]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    sim = (x @ x.T).toarray()
    parent = list(range(len(golds)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(sim, 1) >= thr), strict=True):
        parent[find(i)] = find(j)
    return {g.article.id: str(find(i)) for i, g in enumerate(golds)}


def row(name: str, ours: str, peer: str = "") -> None:
    print(f"| {name:<46} | {ours:<26} | {peer:<26} |")


def fmt(m) -> str:
    return f"{m.precision:.3f}/{m.recall:.3f}/{m.f1:.3f}"


def zipf_documents(rng: np.random.Generator, n_words: int, n_names: int) -> Callable[[int], Article]:
    """A maker of synthetic articles: 60 words drawn Zipf(1.3) from `n_words`, 4 names Zipf(1.5)
    from `n_names`, so a few terms are everywhere and most are rare, as in news."""
    vocab = [f"w{i}x" for i in range(n_words)]
    names = [f"Name{i}" for i in range(n_names)]

    def doc(i: int) -> Article:
        words = [vocab[min(k, n_words - 1)] for k in rng.zipf(1.3, 60)]
        ns = [names[min(k, n_names - 1)] for k in rng.zipf(1.5, 4)]
        return Article(
            f"d{i}", "syn", " ".join(words[:6]), " ".join(words) + " and " + " and ".join(ns), "en"
        )

    return doc


def synthetic_latency(n_stories: int, seed: int = 0) -> tuple[float, float, float]:
    """Zipf-vocabulary documents: n_stories restored as singleton stories, then timed assigns.
    Every story stays live (no cap, no arrival window): the latency with that many candidates."""
    doc = zipf_documents(np.random.default_rng(seed), 50_000, 20_000)
    c = StoryClusterer(ClusterSettings(max_live_stories=n_stories * 2, window_articles=n_stories * 2))
    t = time.perf_counter()
    for i in range(n_stories):
        c.restore(doc(i), f"s{i}")
    build = time.perf_counter() - t
    lat = []
    for i in range(n_stories, n_stories + 1000):
        a = doc(i)
        t0 = time.perf_counter()
        c.assign(a)
        lat.append(time.perf_counter() - t0)
    return statistics.median(lat) * 1000, sorted(lat)[int(0.99 * len(lat))] * 1000, build


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--stories", type=int, default=100_000)
    ap.add_argument("--no-fold", action="store_true", help="skip the mixed stream with fold relations")
    ap.add_argument(
        "--embed", action="store_true", help="also a small mixed stream with the optional encoder (slow)"
    )
    a = ap.parse_args()
    P = a.data
    print("| figure | ours (P/R/F1) | peer TF-IDF single-link |")
    print("|---|---|---|")
    ecb = D.ecbplus(P)
    for label, topics in (
        ("dev topics (clean; vs 0.92)", D.DEV_TOPICS),
        ("train topics", set(range(1, 36)) - D.DEV_TOPICS),
        ("all 772", None),
    ):
        gs = [g for g in ecb if topics is None or int(g.topic) in topics]
        gold = {g.article.id: g.label for g in gs}
        pred, dt, cpu = run(gs)
        peer = tfidf_single_link(gs)
        row(f"ECB+ {label} BCubed", fmt(bcubed(pred, gold)), fmt(bcubed(peer, gold)))
        row(
            f"ECB+ {label.split(' (')[0]} clusters (gold {n_clusters(gold)})",
            str(n_clusters(pred)),
            str(n_clusters(peer)),
        )
        if topics is None:
            row("ECB+ all pairwise", fmt(pairwise(pred, gold)), fmt(pairwise(peer, gold)))
            row("ECB+ all articles/s, wall / CPU (1 process)", f"{len(gs) / dt:.0f} / {len(gs) / cpu:.0f}")
            row("ECB+ all articles/s, wall (2 processes, 2 streams)", f"{two_processes(gs):.0f}")
            base_f1 = bcubed(pred, gold).f1
            again, _, _ = run(gs)
            row("determinism (2 runs identical)", str(again == pred))
    wcl = D.newswcl50(P)
    gold = {g.article.id: g.label for g in wcl}
    peer = tfidf_single_link(wcl, 0.20)
    row("NewsWCL50 BCubed (in-sample; peer at 0.20)", fmt(bcubed(run(wcl)[0], gold)), fmt(bcubed(peer, gold)))
    ged, pairs = D.gedikli(P)
    row(
        "Gedikli pairwise (in-sample; peer at 0.14)",
        fmt(pair_labels(run(ged)[0], pairs)),
        fmt(pair_labels(tfidf_single_link(ged, 0.14), pairs)),
    )

    # Mixed stream: ECB+ shuffled with the WMT documents (5 languages, translation groups).
    wmt = D.wmt(P)
    mixed = interleave(ecb, wmt)
    gold_ecb = {g.article.id: g.label for g in ecb}
    sim = perfect_translation_relations(mixed)
    variants: list[tuple[str, dict | None]] = [("no fold relations", None)]
    if not a.no_fold:
        variants.append(("fold stage relations", fold_relations(mixed)))
    variants.append(("simulated perfect relations", sim))
    for label, r in variants:
        pred, dt, cpu = run(mixed, r)
        grp: dict[str, set[str]] = {}
        for g in wmt:
            grp.setdefault(g.label, set()).add(pred[g.article.id])
        together = sum(len(s) == 1 for s in grp.values()) / len(grp)
        f = bcubed({k: pred[k] for k in gold_ecb}, gold_ecb).f1
        row(f"mixed, {label}: WMT groups in one story", f"{together:.3f} ({len(grp)} groups)")
        row(f"mixed, {label}: ECB+ BCubed F1 (change)", f"{f:.3f} ({f - base_f1:+.3f})")
        row(f"mixed, {label}: articles/s wall / CPU", f"{len(mixed) / dt:.0f} / {len(mixed) / cpu:.0f}")
    if a.embed:
        # ECB+ dev with two small WMT sets (8 languages), no fold relations: what the encoder adds
        small = [g for g in ecb if int(g.topic) in D.DEV_TOPICS] + D.wmt(
            P, {"newssyscomb2009", "newstest2021-frde"}
        )
        small = interleave(
            [g for g in small if not g.label.startswith("wmt:")],
            [g for g in small if g.label.startswith("wmt:")],
        )
        gold_dev = {g.article.id: g.label for g in small if not g.label.startswith("wmt:")}
        for label, embed in (("without encoder", False), ("with encoder", True)):
            pred, dt, _ = run(small, None, embed)
            grp = {}
            for g in small:
                if g.label.startswith("wmt:"):
                    grp.setdefault(g.label, set()).add(pred[g.article.id])
            together = sum(len(s) == 1 for s in grp.values()) / len(grp)
            f = bcubed({k: pred[k] for k in gold_dev}, gold_dev).f1
            row(f"dev+2 WMT sets {label}: WMT groups / ECB+ F1", f"{together:.3f} / {f:.3f}")
            row(f"dev+2 WMT sets {label}: articles/s wall", f"{len(small) / dt:.0f}")
    p50, p99, build = synthetic_latency(a.stories)
    row(f"synthetic {a.stories:,} stories: p50 / p99 ms", f"{p50:.2f} / {p99:.2f}")
    row("synthetic: restore rate (articles/s)", f"{a.stories / build:.0f}")


if __name__ == "__main__":
    main()
