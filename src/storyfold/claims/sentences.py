"""Sentences and clauses, the spans a claim is read within, in every script.

A value belongs to the sentence that states it, and its time and subject to the clause around
it. Latin-script sentences end at . ! ? … before a capital or a digit (abbreviations and German
ordinal dates excepted); the scripts written without spaces end theirs at 。！？ wherever they
stand; every other script's Sentence_Terminal (Unicode: । ။ ። ؟ ۔ ...) ends one before a space.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from storyfold.claims import cldr
from storyfold.claims.timeparse import MONTHS
from storyfold.textnorm import all_chars, sentence_end_class

# --------------------------------------------------------------------------- sentences

# The pattern starts with one character set (the punctuation or a newline), which lets the
# regex engine skip ahead to candidate positions instead of trying every one (an alternation of
# sets does not: the engine then enters the matcher at every character); a look-behind on the
# character just read then picks the branch. The boundary itself is group "b" or "c" (or the
# whole match for a blank line).
_LATIN_BOUNDARY = (
    r"(?:(?<=[.!?…])(?P<b>[\"”»’]?\s+(?=[\"“«¿¡‘]?[A-ZÀ-Ý0-9]))|(?<=\n)\s*\n?"
    r"|(?<=[.!?])(?P<c>[\"”»]\s*(?=\S)))"
)


@cache
def _boundary() -> re.Pattern[str]:
    """The sentence boundary of every script: . ! ? … before a capital or a digit (with the
    quotes around them), a line break; the full-width terminals of the scripts written without
    spaces (。！？) wherever they stand; every other script's terminal (। ။ ። ؟ ۔ ...,
    Unicode Sentence_Terminal) before a space."""
    terminals = {c for c in re.findall(f"[{sentence_end_class()}]", all_chars()[:0x10000]) if not c.isascii()}
    wide = "".join(sorted(c for c in terminals if unicodedata.east_asian_width(c) in "WF" or c == "｡"))
    other = "".join(sorted(terminals - set(wide) - {"․"}))
    w, o = re.escape(wide), re.escape(other)
    return re.compile(
        rf"[.!?…\n{w}{o}](?:{_LATIN_BOUNDARY[3:-1]}|(?<=[{w}])[」』”）)]?(?P<d>)\s*|(?<=[{o}])(?P<e>\s+))"
    )


_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Inc|Corp|Co|Ltd|No|vs|etc|M|Mme|Sr|Sra|Hr|Fr|U\.S|e\.g|i\.e|Mrd|Mio|Mia|Bio|Tsd|ca|Nr|bzw|Mds|env|approx|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.)$"
)
# The last character of each abbreviation: a boundary after "." whose character before it is
# none of these cannot end one, and the abbreviation search is not run there.
_ABBREV_LAST = frozenset(
    alt.replace("\\.", ".")[-1] for alt in _ABBREV.pattern.split(r"\b(?:", 1)[1].split(r")\.)$")[0].split("|")
)
_WORD = re.compile(r"\w+")
_DE_ORDINAL_NOUNS = frozenset(["quartal", "halbjahr", "jahrhundert", "jahreshälfte", "semester", "platz"])
_DE_ORDINAL_DATE = re.compile(r"(?<!\d)\d{1,2}\.$")


def sentences(text: str, locale: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed. `locale`: the article's language,
    whose CLDR month names may follow a day and its dot too ("den 30. Mee 2005")."""
    months = cldr.month_names(locale) if locale else {}
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _boundary().finditer(text):
        li = m.lastindex  # group "b" (1) or "c" (2) marks the boundary; a blank line has none
        b0 = m.start(li) if li else m.start()
        gap = text[b0 : m.end()]
        inline = gap.strip() == "" and "\n" not in gap
        # only the end of the sentence so far can hold the abbreviation (no quadratic rescans)
        # both patterns end in "." right before the boundary, after a letter of an
        # abbreviation or a digit: the character tests first, the searches only then
        dot = inline and text[b0 - 1] == "." and b0 - 2 >= start
        if dot and text[b0 - 2] in _ABBREV_LAST and _ABBREV.search(text, max(start, b0 - 12), b0):
            continue
        if dot and text[b0 - 2].isdecimal() and _DE_ORDINAL_DATE.search(text, max(start, b0 - 4), b0):
            nxt = _WORD.match(text, m.end())
            word = nxt.group(0).lower() if nxt else ""
            if word in MONTHS or word in _DE_ORDINAL_NOUNS or word in months:
                continue  # "am 11. Oktober", "im 1. Quartal": an ordinal, not the end of a sentence
        spans.append((start, b0))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


# ",\s|;\s|:\s|\s[–—-]\s|\s(?:although|...)\s" with the two space-led branches joined and the
# conjunctions' first letters tested before the alternation: the same matches, fewer attempts.
# Written to start with one character set (the branch picked by a look-behind on the character
# just read): an alternation whose branches open on a literal and on a class is tried at every
# position of the sentence.
_CLAUSE = re.compile(
    r"[,;:\s](?:(?<=[,;:])\s|(?<=\s)(?:[–—-]\s|(?=[abemoptw])(?:although|though|while|whereas|but|mais|"
    r"alors\s+que|tandis\s+que|aunque|pero|mientras|aber|während|obwohl|ma|mentre|enquanto|embora)\s))",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def _clause_marks(sent: str) -> tuple[tuple[int, int], ...]:
    """Where the clause breaks of a sentence are; every value of the sentence asks."""
    return tuple(map(re.Match.span, _CLAUSE.finditer(sent)))


def clause_of(sent: str, lo: int, hi: int) -> tuple[int, int]:
    """The clause of `sent` around [lo, hi)."""
    a, b = 0, len(sent)
    for ms, me in _clause_marks(sent):
        if me <= lo:
            a = me
        elif ms >= hi:
            b = ms
            break
    return a, b


# --------------------------------------------------------------------------- subject
