"""Fold: exact duplicates, near-duplicates, partial copies and translations."""

from storyfold.fold.anchors import anchors
from storyfold.fold.relate import FoldIndex, FoldSettings

__all__ = ["FoldIndex", "FoldSettings", "anchors"]
