"""HTML extraction on a few real pages of the Zyte benchmark: most of the gold body comes through."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest

from storyfold.ingest import Ingestor
from storyfold.model import Article, RawDocument

PAGES = 5


@pytest.fixture(scope="module")
def aeb(shared_data):
    root = shared_data / "extraction" / "scrapinghub_aeb"
    gold = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    english = [pid for pid in sorted(gold) if gold[pid].get("url", "").count("/") > 3]
    picked = english[:: max(1, len(english) // PAGES)][:PAGES]
    return [
        (pid, gzip.decompress((root / "html" / f"{pid}.html.gz").read_bytes()), gold[pid]) for pid in picked
    ]


def _recall(gold: str, out: str) -> float:
    g, o = Counter(re.findall(r"\w+", gold.lower())), Counter(re.findall(r"\w+", out.lower()))
    return sum((g & o).values()) / max(1, sum(g.values()))


def test_extracted_text_covers_the_gold_body(aeb):
    ing = Ingestor()
    assert len(aeb) == PAGES
    for pid, raw, gold in aeb:
        art = ing.article(RawDocument(f"aeb/{pid}", "html", raw, {"url": gold["url"]}))
        assert isinstance(art, Article), (pid, art)
        assert _recall(gold["articleBody"], art.text) > 0.8, pid
        assert len(art.text) < 3 * len(gold["articleBody"]) + 500, pid  # not the whole page
