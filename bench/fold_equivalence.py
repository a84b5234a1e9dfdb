"""Fold equivalence check: a speed change must leave every decision of FoldIndex unchanged.

usage:
  python bench/fold_equivalence.py --write /tmp/fold_before.jsonl   # before the change
  python bench/fold_equivalence.py --check /tmp/fold_before.jsonl   # after: exit 1 on any difference

Runs FoldIndex (default settings, no embeddings) over the WMT + MEANTIME pool in
bench/fold_bench.py's order, the five seeds (as tests/test_fold_seeds.py reads them) and the
demo corpus (as the bench ingests it), one index per corpus, and stores every Relation
(a, b, kind, score, detail) each article receives, one JSON line per article. Also prints the
pool's docs per CPU-second, so the same run measures speed before and after.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fold_bench import DATA, load_pool, to_article  # noqa: E402
from storyfold.fold import FoldIndex  # noqa: E402
from storyfold.model import Article, article_id  # noqa: E402

_HEADER = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s+")


def seeds(data: Path) -> list[Article]:
    """The seeds as tests/test_fold_seeds.py reads them."""
    out = []
    for path in sorted((data / "seeds").glob("0*.txt")):
        text = _HEADER.sub("", path.read_text(encoding="utf-8")).strip()
        text = "\n\n".join(p.strip() for p in text.split("\n\n") if p.strip())
        lang = "fr" if path.name.startswith("002") else "en"
        out.append(Article(article_id(text, path.name[:3]), path.name, "", text, lang, outlet=path.name[:3]))
    return out


def demo() -> list[Article]:
    from storyfold.cli import demo_corpus
    from storyfold.ingest import Ingestor, read_inputs

    ingestor = Ingestor()
    arts = [a for a in (ingestor.article(r) for r in read_inputs([demo_corpus()])) if isinstance(a, Article)]
    arts.sort(key=lambda a: (a.published or date.min, a.source))
    return arts


def run(corpus: str, arts: list[Article]) -> tuple[list[dict], float]:
    index = FoldIndex()
    rows = []
    t0 = time.process_time()
    for art in arts:
        rels = index.add(art)
        rows.append(
            {
                "corpus": corpus,
                "article": art.id,
                "relations": [[r.a, r.b, r.kind.value, r.score, r.detail] for r in rels],
            }
        )
    return rows, time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", type=Path)
    g.add_argument("--check", type=Path)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    pool = [to_article(d) for d in load_pool(args.data)]
    rows, secs = run("pool", pool)
    print(f"pool: {len(pool)} docs, {secs:.1f} CPU-s, {len(pool) / secs:.1f} docs per CPU-second")
    for name, arts in (("seeds", seeds(args.data)), ("demo", demo())):
        more, _ = run(name, arts)
        rows += more
    n_rel = sum(len(r["relations"]) for r in rows)
    if args.write:
        args.write.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        print(f"wrote {len(rows)} articles, {n_rel} relations to {args.write}")
        return
    before = [json.loads(line) for line in args.check.read_text(encoding="utf-8").splitlines()]
    diffs = [(b, a) for b, a in zip(before, rows, strict=False) if b != a]
    if len(before) != len(rows):
        print(f"article count differs: {len(before)} before, {len(rows)} now")
    for b, a in diffs[:20]:
        print(f"DIFF {b['corpus']} {b['article']}:\n  before {b['relations']}\n  now    {a['relations']}")
    if diffs or len(before) != len(rows):
        print(f"{len(diffs)} articles differ")
        raise SystemExit(1)
    print(f"identical: {len(rows)} articles, {n_rel} relations")


if __name__ == "__main__":
    main()
