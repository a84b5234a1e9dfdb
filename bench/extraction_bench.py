#!/usr/bin/env python3
"""Our HTML extraction (Ingestor) against plain trafilatura defaults, with the shared scorer.

    python bench/extraction_bench.py [--shared ../shared] [--limit N]

Figures: Zyte AEB body F1 / P / R (4-gram shingles, shared/tools/extraction_eval.py), date
accuracy on dates_mediacloud (htmldate's definition), pages/s. As in the published runs, no
tool sees the page URL. The peer is trafilatura with its defaults (and htmldate fast for dates,
which is what `trafilatura.extract` metadata gives).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

from storyfold.ingest import Ingestor
from storyfold.model import Article, RawDocument


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("extraction_eval", shared / "tools" / "extraction_eval.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("STORYFOLD_SHARED", here.parent / "shared"))
    )
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    ev = _scorer(args.shared)
    data = args.shared / "data" / "extraction"
    ingestor = Ingestor()

    def ours_text(raw: bytes) -> str:
        # body only: the date is measured separately, so skip htmldate here (hint a dummy date)
        art = ingestor.article(RawDocument("bench", "html", raw, {"date": "2000-01-01"}))
        return art.text if isinstance(art, Article) else ""

    def ours_date(raw: bytes) -> str | None:
        art = ingestor.article(RawDocument("bench", "html", raw))
        return art.published.isoformat() if isinstance(art, Article) and art.published else None

    def peer_date(raw: bytes) -> str | None:
        import trafilatura

        doc = trafilatura.bare_extraction(raw, with_metadata=True)
        return getattr(doc, "date", None) if doc else None

    rows = []
    aeb = list(ev.load("aeb", data / "scrapinghub_aeb"))[: args.limit]
    for name, fn in (("ours", ours_text), ("peer", ev.run_trafilatura)):
        start = time.perf_counter()
        row, _ = ev.evaluate("aeb", aeb, name, fn, n_boot=200)
        row["wall"] = time.perf_counter() - start
        rows.append(("aeb", row))
    dates = list(ev.load("dates", data / "dates_mediacloud"))[: args.limit]
    for name, fn in (("ours", ours_date), ("peer", peer_date)):
        row, _ = ev.evaluate("dates", dates, name, fn)
        rows.append(("dates", row))

    by = {(k, r["tool"]): r for k, r in rows}
    table = [
        ("AEB body F1", "f1", "aeb"),
        ("AEB precision", "precision", "aeb"),
        ("AEB recall", "recall", "aeb"),
        ("AEB exact-match accuracy", "accuracy", "aeb"),
        ("AEB F1 bootstrap std", "f1_std", "aeb"),
        ("AEB pages/s", "pages_per_s", "aeb"),
        ("AEB crashes", "errors", "aeb"),
        ("dates accuracy", "accuracy", "dates"),
        ("dates pages/s", "pages_per_s", "dates"),
    ]
    print(f"pages: aeb {len(aeb)}, dates {len(dates)}")
    print(f"| {'figure':<26} | {'ours':>8} | {'peer':>8} |")
    print(f"|{'-' * 28}|{'-' * 10}|{'-' * 10}|")
    for label, key, kind in table:
        o, p = by[(kind, "ours")][key], by[(kind, "peer")][key]
        fmt = "{:8.1f}" if "pages" in key else ("{:8d}" if key == "errors" else "{:8.3f}")
        print(f"| {label:<26} | {fmt.format(o)} | {fmt.format(p)} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
