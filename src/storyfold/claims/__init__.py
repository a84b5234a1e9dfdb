"""claims stage: values (money, percentages, counts, quantities, dates) with their context."""

from __future__ import annotations

from storyfold.claims.extractor import extract_claims
from storyfold.claims.pool import ClaimPool, ExtractionFailure

__all__ = ["ClaimPool", "ExtractionFailure", "extract_claims"]
