"""Number reading lives in `numparse`; this module keeps the older import path working."""

from __future__ import annotations

from storyfold.claims.numparse import number_regex, parse_number, scale_regex, scale_value

SUPPORTED = ("en", "fr", "es", "de", "it", "pt")

__all__ = ["SUPPORTED", "number_regex", "parse_number", "scale_regex", "scale_value"]
