"""The event grouping of NTREX-128 dev (`bench/ntrex_events.json`) names real documents, each
once, in groups of two or more; the tsunami and Ryder Cup reports all name their event."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

EVENTS = Path(__file__).resolve().parents[1] / "bench" / "ntrex_events.json"


def test_every_listed_document_exists_once(shared_data):
    events = json.loads(EVENTS.read_text(encoding="utf-8"))["events"]
    with gzip.open(shared_data / "translations" / "ntrex_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        english = {d["group"]: d for d in map(json.loads, fh) if d["lang"] == "eng"}
    listed = [g for groups in events.values() for g in groups]
    assert len(listed) == len(set(listed)) and set(listed) <= set(english)
    assert all(len(groups) >= 2 for groups in events.values())
    # the documents of one event share words of their headline topic
    for name, groups in events.items():
        key = {"indonesia-tsunami-2018": "tsunami", "ryder-cup-2018": "ryder cup"}.get(name)
        if key:
            assert all(key in (english[g]["title"] + english[g]["text"]).lower() for g in groups), name
