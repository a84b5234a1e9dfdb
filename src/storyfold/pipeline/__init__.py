"""The flow end to end: the Library, the steps of an ingest and the writer that commits them."""

from storyfold.pipeline.item import Item, Status
from storyfold.pipeline.library import Library, Progress
from storyfold.pipeline.writer import IngestReport, Writer

__all__ = ["IngestReport", "Item", "Library", "Progress", "Status", "Writer"]
