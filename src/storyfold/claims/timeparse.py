"""Dates and periods in en/fr/es/de/it/pt, normalised to Period labels.

Absolute forms (2024-H1, 2023-Q3, 2021-03, 2021-10-19, 2013) need no context; relative ones
("last March", "en mars dernier", "this year", "in August") are resolved against a reference
date and dropped when there is none.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyfold.claims import cldr
from storyfold.textnorm import prefix_letter_class

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "january jan janvier janv enero ene januar jän gennaio gen janeiro",
        "february feb février fevrier févr fév febrero februar febbraio fevereiro fev",
        "march mar mars marzo märz marz março",
        "april apr avril avr abril aprile",
        "may mai mayo maggio maio",
        "june jun juin junio juni giugno junho",
        "july jul juillet juil julio juli luglio julho",
        "august aug août aout agosto ago",
        "september sep sept septembre septiembre setiembre settembre setembro set",
        "october oct octobre octubre oktober ottobre outubro out",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre déc diciembre dic dezember dez dicembre dezembro",
    ],
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

# full month names only (abbreviations are read only inside a full date)
_FULL = sorted((n for n in MONTHS if len(n) > 3 or n in ("mai", "mayo", "may")), key=len, reverse=True)
_ABBR = sorted((n for n in MONTHS), key=len, reverse=True)
# Each starts with a look-ahead on the names' first letters: the same matches, but at a word
# boundary that cannot start a month the engine fails at once instead of trying a hundred
# case-insensitive names one by one.
_MONTH_INITIALS = "(?=[" + "".join(sorted({n[0] for n in MONTHS})) + "])"
MONTH_FULL = _MONTH_INITIALS + "(?:" + "|".join(re.escape(n) for n in _FULL) + ")"
MONTH_ANY = _MONTH_INITIALS + "(?:" + "|".join(re.escape(n) for n in _ABBR) + r")\.?"


def _abbreviated_only() -> set[str]:
    """The grammar's month names that CLDR gives as abbreviations and never as a full name in
    its languages ("sept" of en-GB's "Sept", "janv" of French "janv."; not German "Juni")."""
    tags = ("en", "en_GB", "fr", "es", "de", "it", "pt")
    short = {n for tag in tags for n in cldr.month_names(tag)}
    return short - {n for tag in tags for n in cldr.wide_month_names(tag)}


# "Sept." and "Dec.": every short name, and the longer ones CLDR abbreviates
_ABBREVIATED = _abbreviated_only()
MONTH_ABBR_DOT = "(?:" + "|".join(re.escape(n) for n in _ABBR if n not in _FULL or n in _ABBREVIATED) + r")\."

ORD_HALF = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "premier": 1,
    "1er": 1,
    "second_fr": 2,
    "deuxième": 2,
    "2e": 2,
    "primer": 1,
    "primero": 1,
    "segundo": 2,
    "erste": 1,
    "ersten": 1,
    "erstes": 1,
    "zweite": 2,
    "zweiten": 2,
    "zweites": 2,
    "1.": 1,
    "2.": 2,
    "primo": 1,
    "secondo": 2,
    "primeiro": 1,
    # feminine forms: "prima metà", "primera mitad", "segunda metade"
    "prima": 1,
    "seconda": 2,
    "primera": 1,
    "segunda": 2,
    "primeira": 1,
}
ORD_Q = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "premier": 1,
    "1er": 1,
    "deuxième": 2,
    "2e": 2,
    "troisième": 3,
    "3e": 3,
    "quatrième": 4,
    "4e": 4,
    "primer": 1,
    "primero": 1,
    "segundo": 2,
    "tercer": 3,
    "tercero": 3,
    "cuarto": 4,
    "erste": 1,
    "ersten": 1,
    "zweite": 2,
    "zweiten": 2,
    "dritte": 3,
    "dritten": 3,
    "vierte": 4,
    "vierten": 4,
    "1.": 1,
    "2.": 2,
    "3.": 3,
    "4.": 4,
    "primo": 1,
    "secondo": 2,
    "terzo": 3,
    "quarto": 4,
    "primeiro": 1,
    "terceiro": 3,
}


def trie_pattern(words: frozenset[str], piece: Callable[[str], str] = re.escape) -> str:
    """An alternation of `words` written as a trie ("jan(?:uary|v(?:ier)?)?"), so the engine
    follows one path per character instead of trying a hundred words one by one. `piece`
    writes one character as a pattern (a space may stand for any separator)."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [piece(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


# The ordinals as a trie behind a test of their first characters: the half/quarter patterns
# open on them after `\b`, so they are tried at every word start of a sentence that names a
# half or a quarter; sixty case-insensitive alternatives tried one by one there cost more than
# the rest of the sentence's time patterns. At one position the ordinals that match are
# prefixes of one another, and the trie tries the longer first, as the alternation sorted
# longest first did: the same matches.
_ORD_WORDS = frozenset(ORD_Q) | frozenset(ORD_HALF)
_ORD_RX = (
    "(?=["
    + "".join(re.escape(c) for c in sorted({k[0] for k in _ORD_WORDS}))
    + "])(?:"
    + trie_pattern(_ORD_WORDS)
    + ")"
)
YEAR = r"(?P<y>(?:19|20)\d{2})(?![\d])"
_YEAR_OF = r"(?:\s+(?:of|de|del|des|di|do|da|von)(?:\s+l['’]année)?)?\s+(?:the\s+year\s+|l['’]année\s+|el\s+año\s+|des\s+jahres\s+)?"


@dataclass(frozen=True)
class TimeSpan:
    start: int
    end: int
    label: str
    relative: bool = False


def _ordinal(word: str, table: dict[str, int]) -> int | None:
    return table.get(word.lower())


def _rx(p: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(p, flags)


_HALF_RXS = [
    _rx(rf"\b(?P<o>{_ORD_RX})\s+(?:metà|mitad|metade){_YEAR_OF}{YEAR}"),
    _rx(
        rf"\b(?P<o>{_ORD_RX})\s+(?:half|semestre|jahreshälfte|halbjahr|semester)(?:\s+year)?{_YEAR_OF}{YEAR}"
    ),
    _rx(
        rf"\b(?P<o>{_ORD_RX})\s+(?:half|semestre|jahreshälfte|halbjahr|semester){_YEAR_OF}(?:'|’)(?P<yy>\d{{2}})\b"
    ),
    _rx(rf"(?<![\w-])H(?P<n>[12])[\s/-]?{YEAR}", 0),
    _rx(r"(?<![\w-])H(?P<n>[12])[\s/-]?'?(?P<yy>\d{2})(?![\w])", 0),
    _rx(rf"{YEAR}[\s/-]?H(?P<n>[12])(?![\w])", 0),
    _rx(rf"(?P<n>[12](?<!\w.))(?:er|e|st|nd)?\s+(?:semestre|semester|halbjahr)\s+{YEAR}"),
]
_QUARTER_RXS = [
    _rx(rf"\b(?P<o>{_ORD_RX})\s+(?:quarter|trimestre|quartal|trimestre){_YEAR_OF}{YEAR}"),
    _rx(rf"(?<![\w-])Q(?P<n>[1-4])[\s/-]?{YEAR}", 0),
    _rx(r"(?<![\w-])Q(?P<n>[1-4])[\s/-]?'?(?P<yy>\d{2})(?![\w])", 0),
    _rx(rf"{YEAR}[\s/-]?Q(?P<n>[1-4])(?![\w])", 0),
    _rx(rf"(?<![\w-])(?P<n>[1-4])T\s?{YEAR}", 0),
]
# quarter/half without year: resolved against the reference year
_REL_PART_RXS = [
    (
        _rx(
            rf"\b(?P<o>{_ORD_RX})\s+(?:quarter|trimestre|quartal)\b(?!\s+(?:of\s+|de\s+|del\s+)?(?:19|20)\d\d)"
        ),
        "Q",
    ),
    (
        _rx(
            rf"\b(?P<o>{_ORD_RX})\s+(?:half|semestre|jahreshälfte|halbjahr)\b(?!\s+(?:of\s+|de\s+|del\s+)?(?:19|20)\d\d)"
        ),
        "H",
    ),
]
# Patterns that open on a day or half-year number start with the digit itself, its word
# boundary tested right after it (`\b\d` is a digit after no word character): a pattern that
# starts with a character class lets the engine jump to digits instead of trying each position.
_DAY_RXS = [
    # 19 October 2021, 19 octobre 2021, 19 de octubre de 2021, 19. Oktober 2021, 1er mars 2021
    _rx(
        rf"(?P<d>\d(?<!\w.)\d?)(?:st|nd|rd|th|er|\.|º)?\s+(?:de\s+)?(?P<m>{MONTH_ANY})\s+(?:de\s+|del\s+)?{YEAR}"
    ),
    # October 19, 2021 / Oct. 19 2021
    _rx(rf"\b(?P<m>{MONTH_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{YEAR}"),
    # ISO 2021-10-19
    _rx(r"(?<![\d-])(?P<y>(?:19|20)\d{2})-(?P<mm>\d{2})-(?P<d>\d{2})(?![\d-])"),
    # 22.11.2020 (always day first); 22/11/2020 only when the day cannot be a month
    _rx(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<mm>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?![\d.])"),
    _rx(r"(?<![\d/])(?P<d>1[3-9]|2\d|3[01])/(?P<mm>0?[1-9]|1[0-2])/(?P<y>(?:19|20)\d{2})(?![\d/])"),
]
_DAY_MONTH_RXS = [
    # not before a year ("19 de octubre de 2021" is a full date), but before a count: "am 24. Juli
    # 16 Konten" is the 24th of July and 16 accounts, not the 16th of July
    _rx(
        rf"(?P<d>\d(?<!\w.)\d?)(?:er|\.|º)?\s+(?:de\s+)?(?P<m>{MONTH_FULL})\b(?!\s+(?:de\s+|del\s+)?\d{{3}})"
    ),
    _rx(rf"\b(?P<m>{MONTH_FULL})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\d|[.,:]\d|%|\s*,?\s*\d)"),
    # "Dec. 27", "Sept. 20": an abbreviation with its full stop (news agency style)
    _rx(rf"\b(?P<m>{MONTH_ABBR_DOT})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\d|[.,:]\d|%|\s*,?\s*\d)"),
]


def _day_month_rxs(month_first: bool) -> list[re.Pattern[str]]:
    """The day-and-month patterns a language's order allows: the day first in every language,
    the month first ("October 1") where it writes it so."""
    return _DAY_MONTH_RXS if month_first else _DAY_MONTH_RXS[:1]


_MONTH_YEAR_RX = _rx(rf"\b(?P<m>{MONTH_FULL}|{MONTH_ANY})\s+(?:of\s+|de\s+|del\s+)?{YEAR}")
# relative months
_LAST_MONTH_RXS = [
    _rx(rf"\b(?:last|past|this\s+past)\s+(?P<m>{MONTH_FULL})\b"),
    _rx(rf"\b(?:en\s+|au\s+mois\s+de\s+)?(?P<m>{MONTH_FULL})\s+(?:dernier|passé)\b"),
    _rx(rf"\b(?:el\s+)?(?:pasado\s+(?:mes\s+de\s+)?(?P<m>{MONTH_FULL})|(?P<m2>{MONTH_FULL})\s+pasado)\b"),
    _rx(rf"\b(?:im\s+)?(?:vergangenen|letzten)\s+(?P<m>{MONTH_FULL})\b"),
    _rx(
        rf"\b(?:lo\s+)?scorso\s+(?:mese\s+di\s+)?(?P<m>{MONTH_FULL})\b|\b(?P<m2>{MONTH_FULL})\s+(?:scorso|passado)\b"
    ),
]
_IN_MONTH = 4  # the index in _THIS_MONTH_RXS of "in <month>", which names no year
_NEXT_MONTH_RXS = [
    _rx(rf"\bnext\s+(?P<m>{MONTH_FULL})\b"),
    _rx(rf"\b(?:en\s+)?(?P<m>{MONTH_FULL})\s+prochain\b"),
    _rx(rf"\b(?:el\s+)?próximo\s+(?:mes\s+de\s+)?(?P<m>{MONTH_FULL})\b"),
    _rx(rf"\b(?:im\s+)?(?:kommenden|nächsten)\s+(?P<m>{MONTH_FULL})\b"),
]
_THIS_MONTH_RXS = [
    _rx(rf"\b(?P<m>{MONTH_FULL})\s+(?:of\s+)?this\s+year\b"),
    _rx(rf"\b(?P<m>{MONTH_FULL})\s+(?:de\s+)?cette\s+année\b"),
    _rx(rf"\b(?P<m>{MONTH_FULL})\s+(?:de\s+)?(?:este|este\s+mismo)\s+año\b"),
    _rx(rf"\b(?P<m>{MONTH_FULL})\s+dieses\s+jahres\b"),
    _rx(  # the prepositions' first letters tested before their alternation
        rf"\b(?=[abefinsu])(?:in|en|im|a|em|au\s+mois\s+de|in\s+early|in\s+late|in\s+mid|since|until|by|from"
        rf"|nel\s+mese\s+di|en\s+el\s+mes\s+de|no\s+mês\s+de)\s+(?P<m>{MONTH_FULL})\b"
    ),
]
_REL_YEAR_PATTERNS = (
    (
        r"\b(?:this|current)\s+year\b|\bcette\s+année\b|\bl['’]année\s+en\s+cours\b|\beste\s+año\b"
        r"|\bdiese[sm]?\s+jahr(?:es)?\b|\bquest['’]anno\b|\beste\s+ano\b",
        0,
    ),
    (
        r"\bnext\s+year\b|\bl['’]an(?:née)?\s+prochaine?\b|\bel\s+(?:próximo\s+año|año\s+que\s+viene)\b"
        r"|\bnächste[sn]?\s+jahr(?:es)?\b|\bkommende[sn]?\s+jahr(?:es)?\b|\bl['’]anno\s+prossimo\b"
        r"|\bpróximo\s+an?o\b|\bprossimo\s+anno\b|\bano\s+que\s+vem\b",
        1,
    ),
    (
        r"\blast\s+year\b|\bl['’]an(?:née)?\s+(?:derni(?:er|ère)|passée?)\b|\bel\s+año\s+pasado\b"
        r"|\bpasado\s+año\b|\b(?:letzte[sn]?|vergangene[sn]?|vorige[sn]?)\s+jahr(?:es)?\b"
        r"|\bl['’]anno\s+scorso\b|\b(?:scorso|passato)\s+anno\b|\bano\s+passado\b",
        -1,
    ),
)


def _word_start_alternation(p: str) -> str:
    r"""`\bA|\bB|\b(?:C|D)` -> `\b(?=[abcd])(?:A|B|(?:C|D))`: the same matches (each branch
    opened on `\b`), but at a word start the engine tests one class of first letters instead
    of trying every branch, and inside a word it fails at the one `\b`."""
    branches, depth, start = [], 0, 0
    for k, c in enumerate(p):
        if c == "(" and p[k - 1 : k] != "\\":
            depth += 1
        elif c == ")" and p[k - 1 : k] != "\\":
            depth -= 1
        elif c == "|" and depth == 0:
            branches.append(p[start:k])
            start = k + 1
    branches.append(p[start:])
    firsts: set[str] = set()
    for b in branches:
        assert b.startswith("\\b"), b
        body = b[2:]
        if body.startswith("(?:"):
            inner = body[3 : body.index(")")]
            firsts |= {alt[0] for alt in inner.split("|")}
        else:
            firsts.add(body[0])
    assert all(c.isalpha() for c in firsts), firsts
    return "\\b(?=[" + "".join(sorted(firsts)) + "])(?:" + "|".join(b[2:] for b in branches) + ")"


_REL_YEAR = [(_rx(_word_start_alternation(p)), delta) for p, delta in _REL_YEAR_PATTERNS]
_DECADE_RX = _rx(r"\b(?:the\s+)?(?P<dec>(?:19|20)\d)0s\b")
# "les années 1980", "los años 80", "gli anni '80", "os anos 2000", "die 1980er Jahre": a
# decade written as the years of it; two digits stand for a decade of the 1900s
_DECADE_YEARS_RXS = [
    _rx(r"\b(?:années|años|anni|anos)\s+['’]?(?:(?P<dec>(?:19|20)\d)0|(?P<dd>[3-9])0)\b(?![.,]?\d)"),
    _rx(r"(?<![\d.,])(?:(?P<dec>(?:19|20)\d)0|(?P<dd>[3-9])0)er(?:\s+|-)jahren?\b"),
]
# The guard on the preceding character is tested after "19"/"20" (the same matches as a
# look-behind first), so the pattern starts with a literal the engine can skip to.
# A year may also follow a one-letter word written against it ("ב2017", in 2017; "በ2016").
_BARE_YEAR_RX = re.compile(
    rf"(?P<y>(?:19|20)(?:(?<![\w.,:/\-$€£¥]..)|(?<=(?<!\w)[{prefix_letter_class()}]..))\d{{2}})"
    r"(?![\w%]|[.,:/\-]\d)"
)
_PREV_WORD_RX = re.compile(r"([^\s]+)\s+$")
_CAPS_NAME_RX = re.compile(r"[A-Z]{2,}[\w-]*")
# H1 2024, Q3'24, 2024-Q3, 3T 2024 ("[HQT]\s?'?\d|\d\s?[HQT]", written to start with one class)
_HQ_RX = re.compile(r"[HQT\d](?:(?<=[HQT])\s?'?\d|(?<=\d)\s?[HQT])")
_NUMDATE_RX = re.compile(r"\d[-./]\d")
# "(?:19|20)\d\d-|[./](?:19|20)\d\d" written to start with one character set
_NUMDATE_YEAR_RX = re.compile(r"[12./](?:(?<=1)9\d\d-|(?<=2)0\d\d-|(?<=[./])(?:19|20)\d\d)")
_DIGITS_RX = re.compile(r"\d+")
# Every pattern with a four-digit year (YEAR, the numeric dates, decades, bare years) holds
# "19" or "20" and two digits (`\d` as those patterns read it, any Unicode digit): a sentence
# without one skips them all, and a bare year can start no earlier than the first one.
_YEAR_DIGITS_RX = re.compile(r"(?:19|20)\d\d")


def _needs_part(rx: re.Pattern[str]) -> bool:
    """Half/quarter patterns spelled with a word ("first half", "2e semestre") need that word;
    the others ("H1 2024", "Q3'24", "3T 2024") need an H, Q or T beside a digit."""
    return "o" in rx.groupindex or "semestre" in rx.pattern


_HALF_TAGGED = [(rx, _needs_part(rx)) for rx in _HALF_RXS]
_QUARTER_TAGGED = [(rx, _needs_part(rx)) for rx in _QUARTER_RXS]


# Clock times are not values: "17:30", "20h30", "9 h 15", "3 p.m.", "16:30 Uhr", "19.00 horas",
# "alle 17.00", "às 18h", "19 Uhr".
_CLOCK_AT = re.compile(
    r"\d{1,2}[:h]\d{2}"
    r"|(?<![\d.,])\d{1,2}(?:[:.]\d{2})?\s?(?:[ap]\.\s?m\.|[ap]m\b)"
    r"|(?<![\d.,])\d{1,2}\s?h(?:\s?\d{2})?(?![\w])"
    r"|(?<![\d.,])\d{1,2}[.,:]\d{2}\s?(?:Uhr|horas|heures|hrs|GMT|UTC|CET|CEST)\b"
    r"|(?<![\d.,])\d{1,2}\s?(?:Uhr|GMT|UTC|CET|CEST)\b",
    re.IGNORECASE,
)
_CLOCK_LEAD = re.compile(  # the look-ahead holds the words' first letters: a cheap test first
    r"\b(?=[agloruvà])(?:alle|ore|verso\s+le|las|às|à|um|gegen|at|around|vers)\s+$", re.IGNORECASE
)
_CLOCK_DOTTED = re.compile(r"\d{1,2}(?:[.:]\d{2}(?!\d)|\s?(?:horas|heures)\b)", re.IGNORECASE)


# Cheap gates: a family of patterns runs only when the text has the words it needs. Most
# sentences have no digit and no month name, and the patterns (case-insensitive alternations)
# are costly to try at every position.
_WORD_RX = re.compile(r"\w+")
_DIGIT_RX = re.compile(r"\d")
_FULL_SET = frozenset(_FULL)
_YEAR_WORDS = frozenset(["year", "année", "año", "jahr", "jahres", "anno", "ano"])  # and "l'an"
_PART_WORDS = frozenset(
    [
        "quarter",
        "trimestre",
        "quartal",
        "half",
        "semestre",
        "semester",
        "jahreshälfte",
        "halbjahr",
        "metà",
        "mitad",
        "metade",
    ]
)


# A sentence without a digit and without one of these words has no time expression
# (abbreviated months are read only next to a day or a year, so they need a digit).
_CASED_MONTHS = frozenset(["march", "may", "june"])  # English words too: capitalised only
TIME_WORDS = (frozenset(_FULL) - _CASED_MONTHS) | _YEAR_WORDS | _PART_WORDS


def time_cues(text: str, low: str | None = None, words: set[str] | None = None) -> list[int]:
    """Offsets of the words that can start a time expression without a digit, in order."""
    low = text.lower() if low is None else low
    words = set(_WORD_RX.findall(low)) if words is None else words
    present = TIME_WORDS.intersection(words)
    cased = {w.title() for w in _CASED_MONTHS if w in words}
    out = _word_offsets(text, text, cased)  # "May", not "may"
    out += _word_offsets(text, low, present)
    if "l'an" in low or "l’an" in low:
        out += [m.start() for m in _L_AN_RX.finditer(text)]
    return sorted(out)


def _word_offsets(text: str, low: str, words: set[str] | frozenset[str]) -> list[int]:
    """Where the (lower-case) `words` stand as whole words in `text`.

    `str.find` per word: a handful of words per article, and compiling a fresh alternation
    for each article's set cost more than the search itself.
    """
    if not words:
        return []
    if len(low) != len(text):  # a case mapping changed lengths: offsets would drift
        rx = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)
        return [m.start() for m in rx.finditer(text)]
    out = []
    n = len(low)
    for w in words:
        i = low.find(w)
        while i >= 0:
            j = i + len(w)
            if (i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_")) and (
                j >= n or not (low[j].isalnum() or low[j] == "_")
            ):
                out.append(i)
            i = low.find(w, i + 1)
    return out


def _whole_word_in(low: str, w: str) -> bool:
    """Does `w` stand in `low` as a whole \\w+ token (what `_WORD_RX.findall` would give)?"""
    n = len(low)
    i = low.find(w)
    while i >= 0:
        j = i + len(w)
        if (i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_")) and (
            j >= n or not (low[j].isalnum() or low[j] == "_")
        ):
            return True
        i = low.find(w, i + 1)
    return False


_L_AN_RX = re.compile(r"(?<!\w)l['’]an(?!\w)", re.IGNORECASE)


def _month_windows(text: str, low: str | None = None, words: set[str] | None = None) -> list[tuple[int, int]]:
    """Stretches of `text` around month-name tokens, merged, wide enough for any month pattern."""
    low = text.lower() if low is None else low
    present = MONTHS.keys() & (set(_WORD_RX.findall(low)) if words is None else words)
    wins: list[tuple[int, int]] = []
    for pos in sorted(_word_offsets(text, low, present)):
        lo, hi = max(0, pos - 40), pos + 60
        if wins and lo <= wins[-1][1]:
            wins[-1] = (wins[-1][0], hi)
        else:
            wins.append((lo, hi))
    return wins


def _with_year(text: str, wins: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The month windows holding a "19xx"/"20xx": a full date or a month-year lies inside one
    window and holds its year, so the other windows cannot have one."""
    return [w for w in wins if _YEAR_DIGITS_RX.search(text, w[0], w[1]) is not None]


def _scan(rx: re.Pattern[str], text: str, wins: list[tuple[int, int]]) -> list[re.Match[str]]:
    """`rx.finditer(text)` restricted to the windows: every match of a month pattern contains a
    month token, so it lies in that token's window. Scanning only there is what makes a
    case-insensitive alternation of month names affordable on long articles."""
    out: list[re.Match[str]] = []
    last = -1
    for lo, hi in wins:
        for m in rx.finditer(text, lo, hi):
            if m.start() >= last:
                out.append(m)
                last = m.end()
    return out


def _numdate_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of `text` around "3.5", "2021-10", "22/11": every numeric date (ISO, dotted,
    slashed; ten characters at most) holds such a digit-separator-digit triple, so its match lies
    in that triple's window. The numeric date patterns start with a look-behind and are costly
    to try at every position of a long article.

    No windows when the text has no "2021-" or ".2020" or "/2019": every numeric date holds one
    (a year before a hyphen, or after a dot or a slash), and most texts with decimals, thousands
    separators and ranges ("3.5", "1.000", "2010-11") have none.
    """
    if _NUMDATE_YEAR_RX.search(text) is None:
        return []
    wins: list[tuple[int, int]] = []
    for m in _NUMDATE_RX.finditer(text):
        lo, hi = max(0, m.start() - 12), m.start() + 16
        if wins and lo <= wins[-1][1]:
            wins[-1] = (wins[-1][0], hi)
        else:
            wins.append((lo, hi))
    return wins


def nearest_day(ref: date, month: int, day: int, year_only: bool = False) -> date | None:
    """A day and month without a year: the one nearest the article's date ("Dec. 27" in a
    January report is last December's; "March 3" in a December preview is next March's),
    the past preferred (`_distance`). With `year_only` the reference's year is taken.
    """
    best: date | None = None
    # a reference guessed from the years the text names holds only its year
    for year in (ref.year,) if year_only else (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if best is None or _distance(d, ref) < _distance(best, ref):
            best = d
    return best


def valid_day(month: int, day: int) -> bool:
    """A day some year has in this month (29 February included)."""
    return 1 <= day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])


def _distance(d: date, ref: date) -> int:
    """News looks back more than ahead: a date to come counts three times as far."""
    days = (d - ref).days
    return 3 * days if days > 0 else -days


def _month(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def _yy(s: str) -> int:
    return 2000 + int(s)


# The words find_times asks about; an article's share of them narrows every sentence's search.
TIME_VOCABULARY = frozenset(MONTHS) | _YEAR_WORDS | _PART_WORDS


_TIME_WORD_RX = re.compile(r"\b(?:" + trie_pattern(TIME_VOCABULARY) + r")\b")
# The same words after a non-word character: a pattern that starts with one character set, so
# the engine jumps from space to space (about one position in six) instead of trying the trie
# at every letter. The vocabulary is all letters, so a non-word character before one is what
# `\b` asks; only a word at the very start of the text has none, and `match` reads that one.
_TIME_WORD_AFTER_NONWORD_RX = re.compile(r"\W(" + trie_pattern(TIME_VOCABULARY) + r")\b")


def time_words(low: str) -> set[str]:
    """The words of TIME_VOCABULARY that stand whole in the lower-cased `low`: the same as
    `set(re.findall(r"\\w+", low)) & TIME_VOCABULARY`, without building the set of every word
    of an article (the only words the time functions ever ask about are these)."""
    found = set(_TIME_WORD_AFTER_NONWORD_RX.findall(low))
    first = _TIME_WORD_RX.match(low)
    if first is not None:
        found.add(first.group(0))
    return found


# (pattern, has a month-name group, has a month-number group): asked of every match otherwise
_DAY_TAGGED = [(rx, "m" in rx.groupindex, "mm" in rx.groupindex) for rx in _DAY_RXS]


def find_times(
    text: str,
    ref: date | None,
    ref_year_only: bool = False,
    vocab: set[str] | frozenset[str] | None = None,
    month_first: bool = True,
) -> list[TimeSpan]:
    """Time expressions in `text`, longest first, non-overlapping, sorted by offset.

    `ref` resolves relative expressions; with `ref_year_only` the reference is a guess of the
    article's year only, so "last March" (which needs the month) is not resolved. `vocab`, when
    given, must hold every word of TIME_VOCABULARY that `text` has as a whole word (the
    article's words do, for a sentence of it): then only those few are looked for, instead of
    tokenising the sentence. Without `month_first` (the language writes "1 October", `cldr.month_first`)
    a month followed by a number is not a day of it: "im Januar 19 Personen".
    """
    scan = _TimeScan(text, vocab)
    if scan.empty:
        return []
    # the order is the precedence: a span is kept only where nothing read before holds it
    scan.full_dates()
    scan.halves_and_quarters()
    scan.months_of_years()
    if ref is not None:
        scan.days_of_months(ref, ref_year_only, month_first)
    else:
        scan.days_without_a_year(month_first)
    scan.decades()
    if ref is not None:
        scan.relative(ref, ref_year_only)
    scan.bare_years()
    scan.found.sort(key=lambda t: (t.start, t.end))
    return scan.found


def undated_days(
    text: str, vocab: set[str] | frozenset[str] | None = None, month_first: bool = True
) -> list[tuple[int, int]]:
    """Days of months ("October 1", "1er octobre") in a text whose year nothing tells.

    They state no date a reader could compare, but their digits are not a figure either: "the
    October 1 referendum" is not one referendum.
    """
    scan = _TimeScan(text, vocab)
    if scan.empty or not (scan.has_digit and scan.any_month):
        return []
    scan.full_dates()
    scan.months_of_years()
    before = len(scan.taken)
    for rx in _day_month_rxs(month_first):  # in the order `days_of_months` tries them
        for m in _scan(rx, text, scan.wins):
            if _month_checked(m["m"]) and all(m.end() <= a or m.start() >= b for a, b in scan.taken):
                scan.taken.append((m.start(), m.end()))
    return scan.taken[before:]


class _TimeScan:
    """One text being read for time expressions: what it holds (cheap tests that say which
    patterns can match, and where) and the spans found so far."""

    def __init__(self, text: str, vocab: set[str] | frozenset[str] | None) -> None:
        self.text = text
        self.found: list[TimeSpan] = []
        self.taken: list[tuple[int, int]] = []
        self.has_digit = _DIGIT_RX.search(text) is not None
        low = text.lower()
        if vocab is None:
            words = set(_WORD_RX.findall(low))
        else:
            words = {w for w in vocab if w in low and _whole_word_in(low, w)}
        self.has_month = not words.isdisjoint(_FULL_SET)
        self.has_year_word = not words.isdisjoint(_YEAR_WORDS) or "l'an" in low or "l’an" in low
        self.has_part = not words.isdisjoint(_PART_WORDS)
        self.any_month = self.has_month or not words.isdisjoint(MONTHS)
        self.year_at = -1  # where the first "19xx"/"20xx" stands; -1 when none
        self.empty = not (self.has_digit or self.has_month or self.has_year_word or self.has_part)
        if self.empty:  # nothing can match: the windows are not worth computing
            self.any_month = self.has_hq = False
            self.has_year, self.wins, self.num_wins, self.year_wins = False, [], [], []
            return
        self.wins = _month_windows(text, low, words) if self.any_month else []
        if self.has_digit and (ym := _YEAR_DIGITS_RX.search(text)) is not None:
            self.year_at = ym.start()
        self.has_year = self.year_at >= 0
        self.num_wins = _numdate_windows(text) if self.has_year else []
        self.year_wins = _with_year(text, self.wins) if self.has_year and self.wins else []
        self.has_hq = self.has_digit and _HQ_RX.search(text) is not None

    def add(self, s: int, e: int, label: str, relative: bool = False) -> None:
        if all(e <= a or s >= b for a, b in self.taken):
            self.found.append(TimeSpan(s, e, label, relative))
            self.taken.append((s, e))

    def full_dates(self) -> None:
        """ "3 May 2021", "2021-05-03", "03/05/2021"."""
        for rx, named, numeric in _DAY_TAGGED if self.year_wins or self.num_wins else ():
            wins = self.year_wins if named else self.num_wins
            if not wins:
                continue
            for m in _scan(rx, self.text, wins):
                try:
                    mo = int(m["mm"]) if numeric and m["mm"] else _month_checked(m["m"])
                    if mo is None:
                        continue
                    d = date(int(m["y"]), mo, int(m["d"]))
                except (ValueError, TypeError):
                    continue
                self.add(m.start(), m.end(), d.isoformat())

    def halves_and_quarters(self) -> None:
        """ "the first half of 2024", "H1 2024", "Q3 2023", "3T 2024"."""
        if not (self.has_digit and (self.has_part or self.has_hq)):
            return  # (most sentences have neither a half/quarter word nor an H/Q/T by a digit)
        for tagged, ords, part in ((_HALF_TAGGED, ORD_HALF, "H"), (_QUARTER_TAGGED, ORD_Q, "Q")):
            for rx, needs_word in tagged:
                if not (self.has_part if needs_word else self.has_hq):
                    continue
                for m in rx.finditer(self.text):
                    n = int(m["n"]) if "n" in rx.groupindex else _ordinal(m["o"], ords)
                    if n is None:
                        continue
                    y = int(m["y"]) if "y" in rx.groupindex else _yy(m["yy"])
                    self.add(m.start(), m.end(), f"{y}-{part}{n}")

    def months_of_years(self) -> None:
        """ "May 2021", "mai 2021"."""
        for m in _scan(_MONTH_YEAR_RX, self.text, self.year_wins) if self.year_wins else ():
            mo = _month_checked(m["m"])
            if mo is not None:
                self.add(m.start(), m.end(), f"{int(m['y'])}-{mo:02d}")

    def days_of_months(self, ref: date, ref_year_only: bool, month_first: bool = True) -> None:
        """ "3 May", "May 3": the nearest such day, the past preferred."""
        if not (self.has_digit and self.any_month):
            return
        for rx in _day_month_rxs(month_first):
            for m in _scan(rx, self.text, self.wins):
                mo = _month_checked(m["m"])
                if not mo:
                    continue
                day = nearest_day(ref, mo, int(m["d"]), ref_year_only)
                if day is not None:
                    self.add(m.start(), m.end(), day.isoformat(), True)

    def days_without_a_year(self, month_first: bool = True) -> None:
        """ "3 May" in an article that gives no year at all: the day as ISO 8601 writes a date
        without its year ("--05-03"), for the story's dated articles to place
        (`reconcile.dates`)."""
        if not (self.has_digit and self.any_month):
            return
        for rx in _day_month_rxs(month_first):
            for m in _scan(rx, self.text, self.wins):
                mo = _month_checked(m["m"])
                if mo and valid_day(mo, int(m["d"])):
                    self.add(m.start(), m.end(), f"--{mo:02d}-{int(m['d']):02d}", True)

    def decades(self) -> None:
        """ "the 1990s", "les années 1990", "die 90er Jahre"."""
        for m in _DECADE_RX.finditer(self.text) if self.has_year and "0s" in self.text else ():
            self.add(m.start(), m.end(), f"{m['dec']}0s")
        for rx in _DECADE_YEARS_RXS if self.has_digit else ():
            for m in rx.finditer(self.text):
                self.add(m.start(), m.end(), f"{m['dec'] or '19' + m['dd']}0s")

    def relative(self, ref: date, ref_year_only: bool) -> None:
        """ "last March", "next May", "in December", "this year", "the second half"."""
        text = self.text
        if not ref_year_only and self.has_month:
            for rxs, later in ((_LAST_MONTH_RXS, False), (_NEXT_MONTH_RXS, True)):
                for rx in rxs:
                    for m in _scan(rx, text, self.wins):
                        mo = _month_checked(m["m"] if later or m["m"] else m["m2"])
                        if mo is None:
                            continue
                        if later:
                            y = ref.year if mo > ref.month else ref.year + 1
                        else:
                            y = ref.year if mo < ref.month else ref.year - 1
                        self.add(m.start(), m.end(), f"{y}-{mo:02d}", True)
        for k, rx in enumerate(_THIS_MONTH_RXS) if self.has_month else ():
            for m in _scan(rx, text, self.wins):
                mo = _month_checked(m["m"])
                if mo is None or m["m"].lower() in ("may", "mai", "mayo", "maio", "maggio"):
                    continue
                # "in December" without "this year": the nearest December, the past preferred
                near = nearest_day(ref, mo, 15, ref_year_only) if k == _IN_MONTH else None
                self.add(m.start(), m.end(), f"{near.year if near else ref.year}-{mo:02d}", True)
        for rx, delta in _REL_YEAR if self.has_year_word else ():
            for m in rx.finditer(text):
                self.add(m.start(), m.end(), str(ref.year + delta), True)
        for rx, part in _REL_PART_RXS if self.has_part else ():
            for m in rx.finditer(text):
                n = _ordinal(m["o"], ORD_Q if part == "Q" else ORD_HALF)
                if n is None or (part == "H" and n > 2):
                    continue
                self.add(m.start(), m.end(), f"{ref.year}-{part}{n}", True)

    def bare_years(self) -> None:
        """ "in 2021": a four-digit year no other expression holds, not a name's ("CES 2020")."""
        text = self.text
        for m in _BARE_YEAR_RX.finditer(text, self.year_at) if self.has_year else ():
            s, e = m.start(), m.end()
            # "CES 2020", "iPhone 2020": a year right after an all-caps or product token is a name
            prev = _PREV_WORD_RX.search(text[max(0, s - 20) : s])
            if prev and _CAPS_NAME_RX.fullmatch(prev[1]) and prev[1] not in ("H1", "H2"):
                continue
            self.add(s, e, m["y"])


def clock_spans(text: str) -> list[tuple[int, int]]:
    """Spans of clock times, tried only where a digit run starts (the patterns are costly)."""
    out: list[tuple[int, int]] = []
    end = -1
    for d in _DIGITS_RX.finditer(text):
        if d.start() < end or d.end() - d.start() > 2:
            continue
        m = _CLOCK_AT.match(text, d.start())
        if m is None:
            # the dotted form first: one match at the digit, where the lead word is a search
            # over the 14 characters before it (both must hold; the order changes nothing)
            m = _CLOCK_DOTTED.match(text, d.start())
            if m is not None and (lead := _CLOCK_LEAD.search(text, max(0, d.start() - 14), d.start())):
                out.append((lead.start(), m.end()))
                end = m.end()
            continue
        out.append((m.start(), m.end()))
        end = m.end()
    return out


def infer_reference(text: str, low: str | None = None, words: set[str] | None = None) -> date | None:
    """A guess of when an undated article was written: the latest full past date it states.

    Used only to place "this year" / "in August" in a year; never to resolve "last March".
    `low` and `words` (the lower-cased text and its word set, or just its `time_words`) save
    recomputing them.
    """
    days = _full_dates(text, low, words)
    return max(days) if days else None


def _full_dates(text: str, low: str | None = None, words: set[str] | None = None) -> list[date]:
    """The full dates find_times would read (they are matched first, so nothing hides them)."""
    if _YEAR_DIGITS_RX.search(text) is None:  # every full date has a four-digit year
        return []
    wins = _with_year(text, _month_windows(text, low, words))
    out: list[date] = []
    taken: list[tuple[int, int]] = []
    num_wins = _numdate_windows(text)
    for rx in _DAY_RXS:
        if not (wins if "m" in rx.groupindex else num_wins):
            continue
        for m in _scan(rx, text, wins if "m" in rx.groupindex else num_wins):
            try:
                mo = int(m["mm"]) if "mm" in rx.groupindex and m["mm"] else _month_checked(m["m"])
                if mo is None:
                    continue
                d = date(int(m["y"]), mo, int(m["d"]))
            except (ValueError, TypeError):
                continue
            if all(m.end() <= a or m.start() >= b for a, b in taken):
                out.append(d)
                taken.append((m.start(), m.end()))
    return out


def _month_checked(word: str | None) -> int | None:
    """Month number of a matched month word; lower-case "march"/"may" are not months."""
    if word is None:
        return None
    mo = _month(word)
    if mo is None:
        return None
    if word.lower().rstrip(".") in ("march", "may", "mar", "jun", "june") and not word[:1].isupper():
        return None
    return mo
