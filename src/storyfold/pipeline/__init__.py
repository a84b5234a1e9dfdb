"""The flow end to end: the Library, the steps of an ingest and the writer that commits them."""

from storyfold.pipeline.item import Item, Status
from storyfold.pipeline.library import FULL_RECONCILE_MAX_STORIES, Library, Progress
from storyfold.pipeline.writer import IngestReport, Writer

__all__ = ["FULL_RECONCILE_MAX_STORIES", "IngestReport", "Item", "Library", "Progress", "Status", "Writer"]
