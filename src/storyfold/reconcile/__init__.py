"""Reconcile: slots, consensus values, outliers, source reliability, timeline."""

from storyfold.reconcile.slots import group_slots
from storyfold.reconcile.timeline import build_timeline
from storyfold.reconcile.truth import (
    SourceTally,
    reconcile_all,
    reconcile_story,
    reconcile_story_tally,
    tally_reliability,
)

__all__ = [
    "SourceTally",
    "build_timeline",
    "group_slots",
    "reconcile_all",
    "reconcile_story",
    "reconcile_story_tally",
    "tally_reliability",
]
