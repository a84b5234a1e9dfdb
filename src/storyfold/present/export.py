"""Everything as flat records: story, article, relation, claim, fact, source (JSONL or Parquet)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from storyfold.model import InputRecord, SourceReliability, StoryBrief
from storyfold.present.report import article_dict, claim_dict, relation_dict, reliability_dict
from storyfold.present.tables import fact_record, records_table

RECORD_TYPES = ("story", "article", "relation", "claim", "fact", "source", "input")


def export_records(
    briefs: Iterable[StoryBrief],
    sources: Iterable[SourceReliability] = (),
    inputs: Iterable[InputRecord] = (),
) -> Iterator[dict[str, Any]]:
    """One dict per record, each with "type"; articles, relations, claims, facts carry story_id.

    `sources` (the store's per-source reliability) come next, one "source" record each, so a
    dataset built from the export can weigh facts by who states them without the store. Then
    one "input" record per input ever read (`input_records`), so every input of the caller's
    can be joined back: to the article it made, the article it duplicates, or why it was
    rejected.
    """
    for brief in briefs:
        s = brief.story
        article_ids = list(s.article_ids) or [a.id for a in brief.articles]
        yield {
            "type": "story",
            "id": s.id,
            "title": s.title,
            "languages": list(s.languages),
            "first_date": s.first_date.isoformat() if s.first_date else None,
            "last_date": s.last_date.isoformat() if s.last_date else None,
            "article_ids": article_ids,
            "n_articles": len(article_ids),
            "n_facts": len(brief.facts),
            "n_disputed": sum(1 for f in brief.facts if f.disputed),
        }
        for a in brief.articles:
            yield {"type": "article", "story_id": s.id, **article_dict(a)}
        for r in brief.relations:
            yield {"type": "relation", "story_id": s.id, **relation_dict(r)}
        for c in brief.claims:
            yield {"type": "claim", "story_id": s.id, **claim_dict(c)}
        for f in brief.facts:
            yield {"type": "fact", **fact_record(f)}
    for src in sources:
        yield {"type": "source", **reliability_dict(src)}
    yield from input_records(inputs)


def input_records(inputs: Iterable[InputRecord]) -> Iterator[dict[str, Any]]:
    """One record per input: input_id (the caller's), source, status (article | duplicate |
    rejected), article_id, reason, last read."""
    for r in inputs:
        yield {
            "type": "input",
            "input_id": r.input_id,
            "source": r.source,
            "status": r.status,
            "article_id": r.article_id,
            "reason": r.reason,
            "read_at": r.at,
        }


def write_jsonl(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write one JSON object per line; returns how many."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def write_parquet(records: Iterable[dict[str, Any]], folder: str | Path) -> int:
    """One Parquet file per record type in `folder` (story.parquet, article.parquet, ...).

    Lists stay list columns. Returns the total number of rows written.
    """
    import pyarrow.parquet as pq

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        by_type.setdefault(str(rec.get("type", "record")), []).append(rec)
    for stale in RECORD_TYPES:  # a re-export must not leave an old type's rows behind
        if stale not in by_type and (folder / f"{stale}.parquet").exists():
            (folder / f"{stale}.parquet").unlink()
    total = 0
    for rtype, rows in by_type.items():
        table = records_table(rows)
        safe = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in rtype) or "record"
        pq.write_table(table, folder / f"{safe}.parquet")
        total += table.num_rows
    return total
