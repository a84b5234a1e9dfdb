"""Reconcile: slots, consensus values, outliers, source reliability, timeline."""

from storyfold.reconcile.slots import group_slots
from storyfold.reconcile.timeline import build_timeline
from storyfold.reconcile.truth import reconcile_all, reconcile_story

__all__ = ["build_timeline", "group_slots", "reconcile_all", "reconcile_story"]
