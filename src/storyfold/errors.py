"""Errors a caller of storyfold can tell apart."""

from __future__ import annotations


class AmbiguousId(LookupError):
    """A short id that starts more than one story's id: the caller must type more of it."""

    def __init__(self, prefix: str, matches: list[str]) -> None:
        shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
        super().__init__(f"{prefix!r} is the start of several story ids ({shown}): give more of it")
        self.prefix = prefix
        self.matches = matches
