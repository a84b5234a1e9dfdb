"""Language-neutral anchors: what survives translation unchanged, in order.

A translator rewrites every word but keeps the numbers, the names and the order of the
facts. "10 billion" and "10 milliards", "1.5" and "1,5", "300,000" and "300 000" all
reduce to the same digit string; names are accent-folded and Cyrillic is transliterated,
so "Путин" and "Putin" meet.
"""

from __future__ import annotations

import re

from storyfold.textnorm import fold_name

# digits with inner separators (., , thin/normal/nbsp spaces, apostrophes) | capitalised words
_TOKEN = re.compile(r"\d+(?:[.,'\u00a0\u202f\u2009 ]\d+)*|[^\W\d_][\w'’-]*", re.UNICODE)
_SENT_END = re.compile(r"[.!?:;«»\"“”]\s*$")


def fold(word: str) -> str:
    """The shared name form (see storyfold.textnorm)."""
    return fold_name(word)


def anchors(text: str, lang: str = "und") -> list[str]:
    """Numbers (separators removed) and mid-sentence capitalised names, in text order.

    Sentence-initial words are left out: they are capitalised for grammar, not because
    they are names, and differ between languages.
    """
    out: list[str] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        gap = text[prev_end : m.start()]
        sentence_start = prev_end == 0 or bool(_SENT_END.search(gap)) or "\n" in gap
        prev_end = m.end()
        if tok[0].isdigit():
            digits = re.sub(r"\D", "", tok)
            if digits.strip("0"):
                out.append("#" + digits.rstrip("0") if len(digits) > 4 else "#" + digits)
        elif tok[0].isupper() and not sentence_start and len(tok) > 1:
            out.append(fold(tok.rstrip("'’").removesuffix("'s").removesuffix("’s")))
    return out
