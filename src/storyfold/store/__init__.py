"""The store: one SQLite file holding every stage's output and state, one writer at a time."""

from storyfold.store.errors import StoreError, WriterBusy
from storyfold.store.lock import WriterLock
from storyfold.store.sqlite import Store

__all__ = ["Store", "StoreError", "WriterBusy", "WriterLock"]
