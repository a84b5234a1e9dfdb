"""Fold: exact duplicates, near-duplicates, partial copies and translations.

`FoldIndex.add(article)` relates each new article to the earlier ones; the pure functions
below are shared with other stages (cluster reuses the language-neutral anchors).
"""

from storyfold.fold.anchors import anchor_keys, anchors, name_key
from storyfold.fold.relate import FoldFeatures, FoldIndex, FoldSettings, fold_features
from storyfold.fold.signatures import minhash, paragraph_similarity

__all__ = [
    "FoldFeatures",
    "FoldIndex",
    "FoldSettings",
    "anchor_keys",
    "anchors",
    "fold_features",
    "minhash",
    "name_key",
    "paragraph_similarity",
]
