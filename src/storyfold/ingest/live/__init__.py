"""Live sources: feeds, lists of page URLs and folders, fetched politely with httpx.

The rounds that feed them into the ingest are `storyfold.pipeline.follow`; this package only
fetches and reads: `fetch` (the HTTP client and its manners), `robots` (robots.txt), `guard`
(which URLs may be fetched), `sources` (what a source lists, and the documents pages make).
"""

from storyfold.ingest.live.fetch import Fetched, Fetcher, FetchSettings
from storyfold.ingest.live.sources import Item, Source, parse_source

__all__ = ["FetchSettings", "Fetched", "Fetcher", "Item", "Source", "parse_source"]
