"""What can go wrong with a database (defined with the rest of the tree in `storyfold.errors`)."""

from __future__ import annotations

from storyfold.errors import StoreError, WriterBusy

__all__ = ["StoreError", "WriterBusy"]
