"""The errors storyfold raises, in one tree, so a caller can catch all of them or one kind.

    StoryfoldError
    ├── InputError (ValueError)     an input cannot become an article; the message names it
    │   └── NotText                 binary data, not text in any encoding
    ├── StoreError (RuntimeError)   the database cannot be used: not SQLite, too new, full disk
    │   └── WriterBusy              another process is writing it
    └── AmbiguousId (LookupError)   a short id that starts several story ids

Inside an ingest, input errors never propagate: each becomes that input's rejection (an
`Rejection` record in the report, an `inputs` row in the store) and the batch goes on.
"""

from __future__ import annotations


class StoryfoldError(Exception):
    """Anything storyfold raises on purpose."""


class InputError(StoryfoldError, ValueError):
    """An input that cannot become an article."""


class NotText(InputError):
    """The bytes are not text in any encoding we accept (binary data)."""


class StoreError(StoryfoldError, RuntimeError):
    """The database file cannot be used (not SQLite, newer schema, locked, full disk...)."""


class WriterBusy(StoreError):
    """Another process is writing this database."""


class AmbiguousId(StoryfoldError, LookupError):
    """A short id that starts more than one story's id: the caller must type more of it."""

    def __init__(self, prefix: str, matches: list[str]) -> None:
        shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
        super().__init__(f"{prefix!r} is the start of several story ids ({shown}): give more of it")
        self.prefix = prefix
        self.matches = matches
