"""Claim extraction as a value that always comes back: the claims, or why they could not be had.

Claims are a pure function of the `Article`, so the ingest extracts them on the executor's
worker processes (`storyfold.engine`), one article after another within a batch. A failing
article must not sink its batch, and an arbitrary exception may not pickle on its way back from
a worker: `extract_or_failure` turns it into an `FailedExtraction` (the exception's type,
message and traceback, plain strings), which the writing process records for that article
while the rest of the batch goes on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from storyfold.claims.extractor import extract_claims
from storyfold.model import Article, Claim


@dataclass(frozen=True)
class FailedExtraction:
    """Why extraction raised on one article; `str()` reads like the exception did."""

    error_type: str
    message: str
    traceback: str

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"


def extract_or_failure(article: Article) -> list[Claim] | FailedExtraction:
    """`extract_claims`, with an exception turned into a value (what a worker sends back)."""
    try:
        return extract_claims(article)
    except Exception as exc:  # one odd article must not sink the batch
        return FailedExtraction(type(exc).__name__, str(exc), traceback.format_exc())
