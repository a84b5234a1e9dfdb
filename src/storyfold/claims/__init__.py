"""claims stage: values (money, percentages, counts, quantities, dates) with their context."""

from __future__ import annotations

from storyfold.model import Article, Claim


def extract_claims(article: Article) -> list[Claim]:
    """Placeholder until the grammar lands: no claims."""
    return []


__all__ = ["extract_claims"]
