"""The fact gold set is grounded in the articles it names.

Every label of `bench/facts_gold/` was written by reading the articles; these checks keep it
honest as it grows: each quoted surface stands in its article's text, each article it cites is
in the story, each value is of its kind, and the stories and facts are as many as the bench
claims. (Nothing here runs storyfold: the gold must not depend on the code it measures.)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
GOLD = BENCH / "facts_gold"
KINDS = {"money", "percent", "count", "quantity", "duration", "age", "time"}
PERIOD = re.compile(r"^(?:\d{4}(?:-(?:\d{2}(?:-\d{2})?|H[12]|Q[1-4]))?|\d{3}0s|--\d{2}-\d{2}|\d{2}-\d{2})$")


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    stories = []
    for path in sorted(GOLD.glob("*.jsonl")):
        stories += [
            json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return stories


@pytest.fixture(scope="module")
def texts(gold, shared_data) -> dict[str, str]:
    sys.path.insert(0, str(BENCH))
    try:
        from facts_bench import load_documents
    finally:
        sys.path.remove(str(BENCH))
    docs = load_documents(shared_data, {a for s in gold for a in s["articles"]})
    out = {}
    for aid, d in docs.items():
        if "path" in d:
            out[aid] = d["path"].read_text(encoding="utf-8")
        else:
            out[aid] = (d["title"] + "\n\n" + d["text"]) if d["title"] else d["text"]
    return out


def test_the_set_is_as_large_as_the_bench_says(gold):
    assert len(gold) >= 40
    assert sum(len(s["facts"]) for s in gold) >= 300
    assert len({s["story"] for s in gold}) == len(gold)
    assert {s["split"] for s in gold} == {"dev", "test"}
    langs = {lang for s in gold for lang in s["articles"].values()}
    assert len(langs) >= 5  # the translated stories put facts in other languages


def test_every_surface_stands_in_its_article(gold, texts):
    missing = []
    for s in gold:
        assert set(s["articles"]) <= set(texts), s["story"]
        for f in s["facts"]:
            for side in ("stated", "contradicted"):
                for aid, st in (f.get(side) or {}).items():
                    assert aid in s["articles"], (s["story"], f["fact"], aid)
                    if st["surface"] not in texts[aid]:
                        missing.append((s["story"], f["fact"], aid, st["surface"]))
    assert not missing, missing[:5]


def test_every_fact_has_a_kind_a_value_and_a_statement(gold):
    for s in gold:
        for f in s["facts"]:
            where = (s["story"], f["fact"])
            assert f["kind"] in KINDS, where
            assert f.get("stated") or f.get("contradicted"), where
            if f["kind"] == "time":
                assert PERIOD.match(str(f["value"])), where
            else:
                assert isinstance(f["value"], int | float) and f.get("unit"), where
