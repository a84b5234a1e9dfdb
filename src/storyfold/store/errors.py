"""What can go wrong with a database, as exceptions a caller can tell apart."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The database file cannot be used (not SQLite, newer schema, locked...)."""


class WriterBusy(StoreError):
    """Another process is writing this database."""
