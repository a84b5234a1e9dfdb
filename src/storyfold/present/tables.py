"""Records as Arrow tables: what a notebook reads (`Library.stories()`, `.facts()`, `.sources()`)
and what the Parquet export writes.

Arrow because pandas (`.to_pandas()`) and polars (`polars.from_arrow`) both take it without
copying columns, and Parquet is its file form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from storyfold.model import Fact, SourceReliability, Story
from storyfold.present.report import reliability_dict

if TYPE_CHECKING:
    import pyarrow as pa

STORY_COLUMNS = ("id", "title", "languages", "first_date", "last_date", "n_articles", "n_disputed")
FACT_COLUMNS = (
    "story_id", "slot", "subject", "predicate", "kind", "display", "value", "unit", "period",
    "confidence", "disputed", "supporting_sources", "supporting_article_ids", "conflicting_sources",
    "conflicting_article_ids", "conflicting_values",
)  # fmt: skip
SOURCE_COLUMNS = ("source", "reliability", "n_claims", "n_agree")


def story_record(s: Story, n_articles: int, n_disputed: int = 0) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "languages": list(s.languages),
        "first_date": s.first_date.isoformat() if s.first_date else None,
        "last_date": s.last_date.isoformat() if s.last_date else None,
        "n_articles": n_articles,
        "n_disputed": n_disputed,
    }


def fact_record(f: Fact) -> dict[str, Any]:
    """A fact with the sources and articles on each side, flat (ids as lists)."""
    return {
        "story_id": f.story_id,
        "slot": f.slot,
        "subject": f.subject,
        "predicate": f.predicate,
        "kind": f.kind.value,
        "display": f.display,
        "value": f.value,
        "unit": f.unit,
        "period": f.period,
        "confidence": f.confidence,
        "disputed": f.disputed,
        "supporting_sources": [v.source for v in f.supporting],
        "supporting_article_ids": [a for v in f.supporting for a in v.article_ids],
        "conflicting_sources": [v.source for v in f.conflicting],
        "conflicting_article_ids": [a for v in f.conflicting for a in v.article_ids],
        "conflicting_values": [v.display for v in f.conflicting],
    }


def story_table(stories: Iterable[tuple[Story, int, int]]) -> pa.Table:
    """(story, its number of articles, its number of disputed facts) rows."""
    return records_table([story_record(s, n, d) for s, n, d in stories], STORY_COLUMNS)


def fact_table(facts: Iterable[Fact]) -> pa.Table:
    return records_table([fact_record(f) for f in facts], FACT_COLUMNS)


def source_table(sources: Iterable[SourceReliability]) -> pa.Table:
    return records_table([reliability_dict(r) for r in sources], SOURCE_COLUMNS)


def records_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] = ()) -> pa.Table:
    """One column per key (`columns` first, so an empty table still has them); lists stay list
    columns; a column of mixed kinds (an id that is a number here, a string there) becomes
    strings rather than failing; an all-empty column is typed as strings."""
    import pyarrow as pa

    names: dict[str, None] = dict.fromkeys(columns)
    for row in rows:
        for k in row:
            names.setdefault(k, None)
    arrays = {}
    for k in names:
        values = [row.get(k) for row in rows]
        try:
            arr = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            if any(isinstance(v, list) for v in values):
                arr = pa.array(
                    [None if v is None else [None if x is None else str(x) for x in v] for v in values],
                    type=pa.list_(pa.string()),
                )
            else:
                arr = pa.array([None if v is None else str(v) for v in values], type=pa.string())
        if pa.types.is_null(arr.type):
            arr = arr.cast(pa.string())
        elif pa.types.is_list(arr.type) and pa.types.is_null(arr.type.value_type):
            arr = arr.cast(pa.list_(pa.string()))
        arrays[k] = arr
    return pa.table(arrays)
