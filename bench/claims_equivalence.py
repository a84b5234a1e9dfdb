"""Snapshot of every claim the extractor emits on the shared data, to prove speed work changes nothing.

Run (from the repository root, project venv active):

    python bench/claims_equivalence.py --write /tmp/claims_before.jsonl   # before a change
    python bench/claims_equivalence.py --check /tmp/claims_before.jsonl   # after it: identical?

Articles: every WMT document of the shared file in en fr es de it cs hu ru
(`translations/wmt_docs.jsonl.gz`), ECB+ (`title + blank line + text`, as its README says) and
NewsWCL50 (`events/*.jsonl.gz`). Each is extracted twice: with a fixed published date (relative
dates resolve against it) and undated (the extractor then guesses the reference date from the
text, a separate code path, and the one the speed benchmark times). One JSON line per article
and variant holds all fields of every claim (`dataclasses.asdict`). Nothing is copied into the
repository: the snapshot goes to a file you name, outside it.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
from collections.abc import Iterator
from datetime import date
from enum import Enum
from pathlib import Path

from storyfold.claims import extract_claims
from storyfold.model import Article

HERE = Path(__file__).resolve().parent
WMT_LANGS = ("en", "fr", "es", "de", "it", "cs", "hu", "ru")
PUBLISHED = date(2012, 6, 15)


def articles(data: Path) -> Iterator[Article]:
    with gzip.open(data / "translations" / "wmt_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["lang"] in WMT_LANGS:
                yield Article(id=d["id"], source="wmt", title="", text=d["text"], lang=d["lang"])
    with gzip.open(data / "events" / "ecbplus_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            body = (d.get("title") or "") + "\n\n" + (d.get("text") or "")
            yield Article(id="ecb:" + d["id"], source="ecb", title=d.get("title") or "", text=body, lang="en")
    with gzip.open(data / "events" / "newswcl50_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield Article(
                id="wcl:" + d["id"], source="wcl", title="", text=d["text"], lang=d.get("lang") or "en"
            )


def _plain(x: object) -> object:
    if isinstance(x, Enum):
        return x.value
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    return x


def snapshot(data: Path) -> Iterator[str]:
    for art in articles(data):
        for variant, published in (("dated", PUBLISHED), ("undated", None)):
            a = dataclasses.replace(art, published=published)
            claims = [_plain(dataclasses.asdict(c)) for c in extract_claims(a)]
            yield json.dumps(
                {"id": art.id, "variant": variant, "claims": claims}, ensure_ascii=False, sort_keys=True
            )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", type=Path, help="write the snapshot to this file")
    g.add_argument("--check", type=Path, help="compare with a snapshot written before")
    args = ap.parse_args()
    if args.write:
        n = 0
        with args.write.open("w", encoding="utf-8") as f:
            for line in snapshot(args.data):
                f.write(line + "\n")
                n += 1
        print(f"wrote {n} article snapshots to {args.write}")
        return 0
    with args.check.open(encoding="utf-8") as f:
        before = [line.rstrip("\n") for line in f]
    now = list(snapshot(args.data))
    diff = [(b, a) for b, a in zip(before, now, strict=False) if b != a]
    if len(before) != len(now):
        print(f"article count differs: {len(before)} before, {len(now)} now")
    for b, a in diff[:5]:
        bj, aj = json.loads(b), json.loads(a)
        print(
            f"DIFF {bj['id']} ({bj['variant']}): {len(bj['claims'])} claims before, {len(aj['claims'])} now"
        )
        for cb, ca in zip(bj["claims"], aj["claims"], strict=False):
            if cb != ca:
                print("  before:", json.dumps(cb, ensure_ascii=False)[:400])
                print("  now:   ", json.dumps(ca, ensure_ascii=False)[:400])
                break
    print(f"{len(now)} article snapshots, {len(diff)} differ")
    return 1 if diff or len(before) != len(now) else 0


if __name__ == "__main__":
    sys.exit(main())
