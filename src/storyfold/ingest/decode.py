"""Bytes to text the way a careful reader would: UTF-8, else the declared charset, else cp1252."""

from __future__ import annotations

import codecs
import re

from storyfold.errors import NotText

__all__ = ["NotText", "decode_text", "declared_charset", "detect_charset", "looks_binary"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding=["']([\w-]+)""", re.I)


def looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters in the first block mean binary, not text.

    UTF-16 with a BOM is text despite its NUL bytes.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    if not head:
        return False
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl / len(head) > 0.05


def declared_charset(raw: bytes) -> str | None:
    """The charset named by an HTML <meta> or an XML declaration, if any."""
    head = raw[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(raw: bytes, charset: str | None = None) -> str:
    """Decode `raw`; raise NotText for binary data.

    Order: BOM, strict UTF-8, the given or declared charset, a detected legacy charset (for
    text mostly outside ASCII), cp1252, latin-1. cp1252 is tried
    before latin-1 because Western pages mislabelled as latin-1 are mostly cp1252 (curly quotes).
    """
    if looks_binary(raw[:8192]):
        raise NotText("binary data (NUL or control bytes), not text")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(enc, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for named in (charset, declared_charset(raw), detect_charset(raw), "cp1252"):
        if not named:
            continue
        try:
            return raw.decode(named)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")


def detect_charset(raw: bytes, sample: int = 65536) -> str | None:
    """The legacy charset of undeclared non-UTF-8 text (gb18030, big5, shift_jis, euc-kr,
    cp1251, koi8-r, cp1256, cp1253, cp874 ...) by charset-normalizer, or None.

    Only for text that is mostly not ASCII: among the single-byte Latin code pages the detector
    guesses badly on news (Spanish read as cp1250 in half the NTREX articles), so text that is
    mostly ASCII keeps the cp1252 reading, right for the Western European languages."""
    head = raw[:sample]
    if not head or sum(b < 0x80 for b in head) >= 0.85 * len(head):
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best.encoding if best is not None else None
