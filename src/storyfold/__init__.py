"""storyfold: fold overlapping news articles, in any language, into reconciled stories.

The public API, for scripts and notebooks::

    import storyfold
    with storyfold.open_library("news.db") as lib:
        report = lib.ingest(["dump/"])          # read == added + skipped + rejected
        for story in lib.list_stories(limit=10):
            brief = lib.brief(story.id)         # articles, relations, facts, timeline

The records passed between stages (`Article`, `Story`, `Claim`, `Fact`, ...) are plain frozen
dataclasses from `storyfold.model`; every error storyfold raises is a `StoryfoldError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storyfold.errors import AmbiguousId, InputError, NotText, StoreError, StoryfoldError, WriterBusy
from storyfold.model import (
    Article,
    Claim,
    Fact,
    InputRecord,
    RawDocument,
    Rejection,
    Relation,
    SourceReliability,
    Story,
    StoryBrief,
)

if TYPE_CHECKING:
    from storyfold.pipeline import IngestReport, Library

__version__ = "0.1.0"

__all__ = [
    "AmbiguousId",
    "Article",
    "Claim",
    "Fact",
    "Rejection",
    "IngestReport",
    "InputError",
    "InputRecord",
    "Library",
    "NotText",
    "RawDocument",
    "Relation",
    "SourceReliability",
    "StoreError",
    "Story",
    "StoryBrief",
    "StoryfoldError",
    "WriterBusy",
    "open_library",
]


def open_library(
    path: str, *, readonly: bool = False, workers: int | None = None, wait: float = 0.0
) -> Library:
    """A database and the stages that fill it; `readonly` for readers (any number at once),
    else the one writer (another waits up to `wait` seconds, then gets WriterBusy)."""
    from storyfold.pipeline import Library

    return Library(path, readonly=readonly, workers=workers, wait=wait)


def __getattr__(name: str) -> Any:
    # the pipeline pulls in every stage: imported when first asked for, so `import storyfold`
    # (and the CLI's start) stays light
    if name in ("Library", "IngestReport"):
        from storyfold import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'storyfold' has no attribute {name!r}")
