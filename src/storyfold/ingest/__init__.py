"""Ingest stage: read files, folders, JSONL, HTML, WARC and feeds; clean them into Articles.

for item in read_inputs(paths):          # RawDocument | Rejection, never raises
    art = Ingestor().article(item)      # Article | Rejection
"""

from storyfold.ingest.article import Ingestor
from storyfold.ingest.clean import OutletLines, clean_text
from storyfold.ingest.readers import detect_format, read_file, read_inputs
from storyfold.ingest.settings import IngestSettings

__all__ = [
    "Ingestor",
    "IngestSettings",
    "OutletLines",
    "clean_text",
    "detect_format",
    "read_file",
    "read_inputs",
]
