"""claims stage: values (money, percentages, counts, quantities, dates) with their context."""

from __future__ import annotations

from storyfold.claims.extractor import extract_claims

__all__ = ["extract_claims"]
