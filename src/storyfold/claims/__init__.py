"""claims stage: values (money, percentages, counts, quantities, dates) with their context."""

from __future__ import annotations

from storyfold.claims.extractor import extract_claims
from storyfold.claims.pool import FailedExtraction, extract_or_failure

__all__ = ["FailedExtraction", "extract_claims", "extract_or_failure"]
