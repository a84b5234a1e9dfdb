"""The figures of a sentence: each number with what is written around it (a range, a currency
before or after, a scale word, a percent word, the unit or counted noun, a bound, a rate), read
as steps over one figure's reading."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import NamedTuple

import regex

from storyfold.claims import cldr
from storyfold.claims.alternatives import Alternatives
from storyfold.claims.locales import (
    currency_of,
    fold_accents,
    locale_words,
    scale_of,
)
from storyfold.claims.numparse import (
    BEFORE_CURRENCY,
    BOUND_LAST_WORD_RE,
    BOUND_RE,
    CURRENCY_PREPOSITIONS,
    DURATION_UNITS,
    KNOWN_COUNTED,
    NOUNS,
    PER_RE,
    PERCENT_RE,
    QUANTITY_UNITS,
    STOP_NOUNS,
    SUFFIX_CURRENCY_RE,
    TIME_NOUNS,
    WORD_AFTER_RE,
    Value,
    bound_of,
    currency_code,
    marks_optional,
    number_regex,
    parse_number,
    per_canon,
    prefix_currency_re,
    scale_regex,
    scale_value,
    second_number_regex,
)
from storyfold.claims.numwords import glued_number_regex, glued_value, value_of, word_number_regex
from storyfold.claims.subjects import STOP_NAMES
from storyfold.claims.timeparse import (
    MONTHS,
)
from storyfold.model import Bound, ValueKind
from storyfold.textnorm import han_kana_rx, icu_words, lower_key, no_space_class, no_space_rx

_PREV_TOKEN = re.compile(r"(\S+)\s$")
_PRODUCT_NAME = re.compile(r"[A-Za-z]*[A-Z][\w-]*")
_CLOCKISH = re.compile(r"[:h]\d")
_GLUED_SCALE = re.compile(r"(?i)(bn|mn|m\b|k\b|mrd|mio|mil)")
_GROUPED = re.compile(r"\d{1,3}(?:[,. \u00a0\u202f\u2009]\d{3})+")
# "7 millions et demi", "7 millones y medio", "7 milioni e mezzo", "7 milhões e meio"
_AND_A_HALF = re.compile(r"\s+(?:et\s+demie?|y\s+medio|e\s+mezzo|e\s+meio|and\s+a\s+half)(?!\w)", re.I)


def _prev_token(sent: str, lead: int, s: int) -> tuple[int, str] | None:
    """The token right before a number and one space: `(\\S+)\\s$` searched in sent[lead:s],
    without trying that pattern at each of the 80 positions before every number."""
    if s - lead < 2 or sent.find("\n", lead, s) >= 0:  # "$" may stop before a newline: the regex
        m = _PREV_TOKEN.search(sent, lead, s)
        return (m.start(1), m[1]) if m else None
    if not sent[s - 1].isspace() or sent[s - 2].isspace():
        return None
    i = s - 2
    while i > lead and not sent[i - 1].isspace():
        i -= 1
    return i, sent[i : s - 1]


_BOUND_SPACES = " \u00a0\u202f\u2009"


def _bound_before(before: str) -> re.Match[str] | None:
    """`BOUND_RE.search(before, len(before) - 30)`, tried only where a word can start (after a
    space or "(") and only when `before` ends in a space, as every match does."""
    n = len(before)
    if not n or (before[-1] not in _BOUND_SPACES and before[-1] != "\n"):
        return None
    lo = max(0, n - 30)
    if before[-1] == "\n":
        return BOUND_RE.search(before, lo)
    # the word before the final spaces (after a space or "(") must end a bound phrase
    word = before.rstrip(_BOUND_SPACES).rsplit(None, 1)
    if not word or not BOUND_LAST_WORD_RE.fullmatch(word[-1].rpartition("(")[2]):
        return None
    if lo == 0 and (m := BOUND_RE.match(before, 0)):
        return m
    for w in _SPACE_OR_PAREN.finditer(before, max(0, lo - 1), n - 1):
        if m := BOUND_RE.match(before, w.end()):
            return m
    return None


_SPACE_OR_PAREN = re.compile(r"[\s(]")


_PAREN_NOTE = re.compile(r"^\s*\([^)]{1,12}\)")
_GLUED_M = re.compile(r"(?i)m\b")
# an ISO 4217 code by a number ("NOK 260 billion", "5 million SEK"), upper case as written
_CODE_BEFORE = re.compile(r"(?:^|(?<=[\s(]))(?P<cur>[A-Z]{3})[ \u00a0\u202f]?$")
# the per-language tables kept at once: every language a mixed stream brings (CLDR has about
# 200 with currency names; evicting one rebuilds and recompiles its tables, ~6 ms each time)
LANGUAGES = 512

_CODE_AFTER = re.compile(r"^[ \u00a0\u202f]?(?P<cur>[A-Z]{3})(?!\w)")
_CAPS_WORD = re.compile(r"[^\W\d_]{2,}")


def _iso_code(code: str, neighbour: str) -> bool:
    """A currency code, not a word of a line in capitals ("WIN ALL 5 GAMES"): the code must be
    CLDR's and the word next to it not in capitals too."""
    caps = _CAPS_WORD.search(neighbour)
    return cldr.is_currency_code(code) and not (caps and caps[0].isupper())


@lru_cache(maxsize=LANGUAGES)
def _percent_word(lang: str) -> re.Pattern[str]:
    """After a number: the grammar language's CLDR percent word ("percento"), which the
    grammar's own pattern may spell otherwise ("per cento")."""
    alts = "|".join(re.escape(w).replace(r"\ ", r"\s?") for w in cldr.percent_words(lang)) or "(?!)"
    return re.compile(rf"^[ \u00a0\u202f]?(?P<pct>{alts})(?!\w)(?P<pp>(?!))?", re.IGNORECASE)


_NAME_PREFIX = re.compile(CURRENCY_PREPOSITIONS, re.IGNORECASE)
_SPACE = re.compile(r"\s")


def _name_starts(rest: str) -> set[str]:
    """The characters a currency word may begin with in `rest`: after an optional space, and
    after "de", "of", "di" or "d'" and an optional space."""
    chars: set[str] = set()
    for lead in (0, 1) if rest[:1] in " \u00a0\u202f" else (0,):
        chars.add(rest[lead : lead + 1])
        p = _NAME_PREFIX.match(rest, lead)
        if p:
            chars.add(rest[p.end() : p.end() + 1])
            if _SPACE.match(rest, p.end()):
                chars.add(rest[p.end() + 1 : p.end() + 2])
    return chars


class _Named:
    """Currency words after a number ("Norwegian kroner", "sterline") and their codes, the
    longest word first."""

    def __init__(self, words: dict[str, str], form: Callable[[str], str]) -> None:
        ordered = sorted(words.items(), key=lambda wc: (-len(wc[0]), wc[0]))
        self._codes = [code for _, code in ordered]
        self._alts = Alternatives(
            BEFORE_CURRENCY,
            [form(w) for w, _ in ordered],
            # (the wider test only where it can matter: its patterns are slower to build)
            _word_end_or_glued() if any(no_space_rx().search(w) for w in words) else r"(?!\w)",
            re.IGNORECASE,
            _name_starts,
        )

    def match(self, rest: str) -> tuple[str, int] | None:
        got = self._alts.match(rest)
        return None if got is None else (self._codes[got[0]], got[1].end())


@cache
def _word_end_or_glued() -> str:
    """Where a currency word ends: before a character that is not a letter, or before a letter
    of a script written without spaces, where the next word is written against it
    ("ปอนด์ของเขา", his pounds)."""
    # (case-blind matching would fold every character of those ranges at each compile)
    return rf"(?!(?-i:[^\W{no_space_class()}]))"


def _name_form(name: str) -> str:
    """A currency name as a pattern whose words may be inflected: each word of five letters or
    more loses its last letter and takes up to three ("britische Pfund": "britischen Pfund")."""
    return r"\s+".join(
        marks_optional(re.escape(w[:-1]) + r"\w{0,3}" if len(w) >= 5 else re.escape(w)) for w in name.split()
    )


@lru_cache(maxsize=LANGUAGES)
def _currency_names(lang: str) -> _Named:
    """A currency's full CLDR name in the grammar's language ("Norwegian kroner", "couronnes
    norvégiennes")."""
    return _Named(cldr.currency_names(lang), _name_form)


@lru_cache(maxsize=LANGUAGES)
def _currency_nouns(lang: str) -> _Named:
    """One of the currency nouns many currencies' names share (`cldr.currency_nouns`), in any
    case its language gives it after a scale word: CLDR spells "libra", "font", "punta", and
    news writes "milionu liber", "millió fontot", "miljoonan punnan". A noun is then read by
    its first three letters and at most as many letters more as its longest form has, unless
    another currency's noun begins the same way ("rupee" and "rupiah" stay whole)."""
    nouns = cldr.currency_nouns(lang)
    codes: dict[str, set[str]] = {}
    longest: dict[str, int] = {}
    for noun, code in nouns.items():
        codes.setdefault(noun[:3], set()).add(code)
        longest[noun[:3]] = max(longest.get(noun[:3], 0), len(noun))
    words: dict[str, str] = {}
    forms: dict[str, str] = {}
    for noun, code in nouns.items():
        stem = noun[:3]
        if len(noun) >= 4 and stem.isalpha() and len(codes[stem]) == 1 and not no_space_rx().match(noun):
            # a stem takes as many letters more as its longest noun has ("ste" of "sterline": 8)
            words[stem], forms[stem] = code, marks_optional(re.escape(stem)) + rf"\w{{0,{longest[stem]}}}"
        else:
            words[noun], forms[noun] = code, marks_optional(re.escape(noun))
    return _Named(words, forms.__getitem__)


def _named_currency(rest: str, lang: str, scaled: bool = False) -> tuple[str, int] | None:
    """(ISO code, characters read) of a currency named right after a number by its full name
    or its code, or, after a scale word (`scaled`: "11 milioni di sterline"), by the noun many
    currencies' names share; None if none is. A bare noun needs the scale word: some are
    other words too ("livres" are books)."""
    got = _currency_names(lang).match(rest) or (_currency_nouns(lang).match(rest) if scaled else None)
    if got is not None:
        return got
    m = _CODE_AFTER.match(rest)
    if m and _iso_code(m["cur"], rest[m.end() : m.end() + 20]):
        return m["cur"], m.end()
    return None


_OF_NOUN = re.compile(r"^\s+(?:of|de|d['’]|von|di)\s+[^\W\d][^,;.()]{0,30}?(?=\s+\S+\s+\S+|\s+\S+)")


def _year_span(first: str, second: str, low: float, high: float) -> bool:
    """Two four-digit years a few years apart ("2021-2022"): a period, when a dash joins them."""
    return (
        len(first) == len(second) == 4
        and first.isdigit()
        and second.isdigit()
        and 1800 <= low < high <= 2199
        and high - low <= 30
    )


def _leading_zero(token: str) -> bool:
    """A numeral written with a leading zero and more digits ("007", "0800", "000"): a code or
    a fragment; "0.07" and "0,5" are numbers."""
    return len(token) > 1 and token[0] == "0" and token[1].isdigit()


@dataclass
class _Reading:
    """One figure while the words around it are read: its number's span (`s`, `e`), the
    value's span so far (`start`, `end`), what follows it (`rest`: usually `sent[end:]`; after
    a hyphen, read as if a space stood there) and what has been learnt of it."""

    sent: str
    s: int
    e: int
    v: float
    low: float | None
    start: int
    end: int
    rest: str
    before: str
    kind: ValueKind | None = None
    unit: str = ""
    has_scale: bool = False
    compound: str = ""  # the English unit of time a hyphened word after it begins with

    def took(self, n: int) -> None:
        """The next `n` characters of `rest` belong to the value."""
        self.end += n
        self.rest = self.sent[self.end :]

    def scaled(self, factor: float) -> None:
        self.v *= factor
        self.low = self.low * factor if self.low is not None else None
        self.has_scale = True


class _Grammar(NamedTuple):
    """What `read_figures` reads a sentence with: the grammar's language and, when the article is in
    another, its locale (CLDR's scale, currency and percent words)."""

    lang: str
    locale: str | None
    num_lang: str
    second_rx: re.Pattern[str]
    sc_rx: re.Pattern[str]
    words: regex.Pattern[str] | None


def read_figures(
    sent: str, lang: str, blocked: list[tuple[int, int]], locale: str | None = None
) -> list[Value]:
    """The figures of one sentence (its digits already ASCII), outside the `blocked` spans
    (its times and clock times), in order. `locale`: the article's language when the grammar
    (`lang`) is another's: its scale words, currencies, percent words and decimal separator
    then come from CLDR (`cldr`)."""
    num_lang = lang if locale is None else ("de" if cldr.decimal_comma(locale) else "en")
    g = _Grammar(
        lang,
        locale,
        num_lang,
        second_number_regex(num_lang),
        scale_regex(lang),
        locale_words(locale) if locale else None,
    )
    out: list[Value] = []
    prev_count: Value | None = None
    consumed = 0
    matches: list[re.Match[str]] = list(number_regex(num_lang).finditer(sent))
    spelled_rx = word_number_regex(locale or lang)
    collective_rx = None if locale else collective_numbers(lang)
    glued_rx = glued_numbers(locale) if locale else None
    in_words = [
        m for rx in (spelled_rx, collective_rx, glued_rx) if rx is not None for m in rx.finditer(sent)
    ]
    if in_words:
        matches = sorted(matches + in_words, key=re.Match.start)
    coded = -1  # where the last number written with a leading zero ended
    # the numbers of a list so far, and where the next one begins
    listed: list[tuple[_Reading, re.Match[str], int]] = []
    for m in matches:
        s, e = m.start(), m.end()
        if m.re is collective_rx:  # "une vingtaine de personnes": about twenty people
            s, e = m.start("w"), m.end("w")
            if not (s < consumed or _overlaps(s, e, blocked)):
                a = m.start()  # quoted with its article: "more than a dozen people"
                v = float(_COLLECTIVE[lang][lower_key(m["w"])])
                r = _Reading(sent, s, e, v, None, a, e, "", sent[max(0, a - 40) : a])
                joint = _COLLECTIVE_OF.match(sent, e)
                r.end = joint.end() - 1 if joint else e  # the noun after "de", "of", "di"
                r.rest = " " + sent[r.end + 1 :]
                if _OF_THEM.match(r.rest):  # "une centaine d'entre eux": a group named before
                    r.kind, r.end, r.rest = ValueKind.COUNT, e, sent[e:]
                    got = _finished(r, e, None)
                    out.append(replace(got, bound=Bound.APPROX) if got.bound is Bound.EQ else got)
                    continue
                sm = g.sc_rx.match(r.rest)
                if sm and sm["scale"].lower() not in ("m", "k"):  # "une centaine de milliers (de)"
                    r.scaled(scale_value(sm["scale"], g.lang))
                    joint = _COLLECTIVE_OF.match(sent, r.end + sm.end())
                    r.end = joint.end() - 1 if joint else r.end + sm.end()
                    r.rest = " " + sent[r.end + 1 :]
                if _noun_after(r, m, True, None, g):
                    got = _finished(r, r.end, None)
                    out.append(replace(got, bound=Bound.APPROX) if got.bound is Bound.EQ else got)
            continue
        if locale and m.re is glued_rx:  # "两年": read as the digits it stands for
            v = float(glued_value(locale, m.group(0)) or 0)
            if v and not (s < consumed or _overlaps(s, e, blocked)):
                r = _Reading(sent, s, e, v, None, s, e, "", sent[max(0, s - 40) : s])
                r.rest = sent[e:]
                if _noun_after(r, m, False, prev_count, g):
                    out.append(_finished(r, r.end, None))
            continue
        spelled = m.re is spelled_rx
        if s < consumed or _overlaps(s, e, blocked):
            continue
        if not spelled and (_leading_zero(m.group(0)) or (coded >= 0 and not sent[coded:s].strip())):
            # "0800 555 111", "007", a split "22, 000": codes and fragments, not quantities
            coded = e
            continue
        if _not_a_figure(sent, s, e, g):
            continue
        try:
            v = (
                float(value_of(locale or lang, m.group(0)) or 0)
                if spelled
                else parse_number(m.group(0), num_lang)
            )
        except ValueError:
            continue
        if spelled and not v:
            continue
        ranged = None if spelled else _range_after(sent, m, v, blocked, g)
        if ranged is not None and ranged.years:
            consumed = ranged.end
            continue
        if ranged is None and not spelled and (frac := _fraction_after(sent, e, v)) is not None:
            v, e = frac  # "2 1/2 years", "3-1/2-inch", "2½ times": one figure
            consumed = e
        r = _Reading(sent, s, e, v, None, s, e, "", sent[max(0, s - 40) : s])
        between = None
        if ranged is not None:
            r.low, r.v, r.e, between = v, ranged.high, ranged.end, ranged.between
            r.end = consumed = ranged.end
        _currency_before(r)
        if r.kind is None and locale:
            _percent_before(r, locale)
        if locale and r.low is None:
            _scale_before(r, locale)
        r.rest = sent[r.end :]
        if not _hyphen_after(r, spelled, g):
            continue  # "two-thirds", "a 5-star hotel", "3-D": not figures
        _scale_after(r, g)
        _currency_after(r, g)
        _percent_after(r, g)
        noun_end = bare_end = r.end
        if listed and s != listed[-1][2]:
            prev_count = _each_on_its_own(listed, out, prev_count, g)  # "pages 33, 34 and 39"
            listed = []
        if r.kind is None:
            nxt = None if spelled or r.low is not None else _LIST_NEXT.match(r.rest)
            if nxt is not None and not listed and _from_before(r.before):
                nxt = None  # "de 600 à 700 personnes", "from 600 to 700": not a list
            if nxt is not None:  # "33, 34 і 39 гадоў": the list's last noun is every item's
                listed.append((r, m, r.end + nxt.end()))
                continue
            if not _noun_after(r, m, spelled, prev_count, g):
                if not listed:
                    continue
                prev_count = _each_on_its_own(listed, out, prev_count, g)
                listed = []
                if not _noun_after(r, m, spelled, prev_count, g):
                    continue
            noun_end = r.end
        got = _finished(r, noun_end, between, bare_end)
        if listed and (got.kind is ValueKind.QUANTITY or got.unit in KNOWN_COUNTED):
            for item, _, _ in listed:
                item.kind, item.unit = got.kind, got.unit
                out.append(_finished(item, item.end, None, item.end))
        elif listed:
            prev_count = _each_on_its_own(listed, out, prev_count, g)
        listed = []
        out.append(got)
        if _lends_its_noun(got):
            prev_count = got
    if listed:  # "35 million for 2009": what looked like a list's next number was a year
        _each_on_its_own(listed, out, prev_count, g)
        out.sort(key=lambda v: v.start)
    return out


def _each_on_its_own(
    listed: list[tuple[_Reading, re.Match[str], int]], out: list[Value], prev_count: Value | None, g: _Grammar
) -> Value | None:
    """The numbers of a list whose last item names no known noun or unit, each read as if it
    stood alone ("aged 33, 34 and 39 have been arrested": ages by the word before them)."""
    for r, m, _ in listed:
        bare_end = r.end
        if _noun_after(r, m, False, prev_count, g):
            out.append(_finished(r, r.end, None, bare_end))
            if _lends_its_noun(out[-1]):
                prev_count = out[-1]
    return prev_count


def _lends_its_noun(v: Value) -> bool:
    """Whether a figure's noun is the one a bare number after it counts ("600,000 people ...
    more than 700,000 in 2021"): a count, not of a unit of time."""
    return v.kind is ValueKind.COUNT and v.unit not in DURATION_UNITS


def _from_before(before: str) -> bool:
    """Whether "from" (of the grammar's languages) comes right before a number."""
    opener = _RANGE_OPEN.search(before[-20:])
    return opener is not None and opener["o"].lower() in _FROM


# what comes between the items of a list of numbers: a comma, or one short word ("and", "і",
# "και", "eta", "و" written against the next number), before the next number; the grammar's
# words for "to" make ranges ("100 thousand to 5 years"), not lists
_LIST_NEXT = re.compile(r"\s*,\s*(?=\d)|\s+(?!(?:to|à|bis)\s)[^\W\d_]{1,4}\s*(?=\d)", re.IGNORECASE)


# the grammar languages' nouns of about so many ("une vingtaine de personnes", "un centenar de
# ellos", "a dozen people"): a figure after an indefinite article, its noun after "de", "of"...
# (plurals, "des centaines", "dozens of", are vague: no figure)
_COLLECTIVE: dict[str, dict[str, int]] = {
    "en": {"dozen": 12},
    "fr": {
        "dizaine": 10,
        "douzaine": 12,
        "quinzaine": 15,
        "vingtaine": 20,
        "trentaine": 30,
        "quarantaine": 40,
        "cinquantaine": 50,
        "soixantaine": 60,
        "centaine": 100,
        "millier": 1000,
    },
    "es": {
        "decena": 10,
        "docena": 12,
        "quincena": 15,
        "veintena": 20,
        "treintena": 30,
        "cuarentena": 40,
        "cincuentena": 50,
        "centenar": 100,
        "millar": 1000,
    },
    "it": {
        "decina": 10,
        "dozzina": 12,
        "quindicina": 15,
        "ventina": 20,
        "trentina": 30,
        "quarantina": 40,
        "cinquantina": 50,
        "sessantina": 60,
        "centinaio": 100,
        "migliaio": 1000,
    },
    "pt": {
        "dezena": 10,
        "dúzia": 12,
        "quinzena": 15,
        "vintena": 20,
        "trintena": 30,
        "centena": 100,
        "milhar": 1000,
    },
    "de": {"dutzend": 12},
}
_OF_THEM = re.compile(r"\s(?:entre|ellos|ellas|eux|elles|them|loro)\b", re.IGNORECASE)
_COLLECTIVE_OF = re.compile(r"\s+(?:de\s+|d['’]|of\s+|di\s+|von\s+)?", re.IGNORECASE)
_COLLECTIVE_RX = {
    lang: re.compile(
        r"(?P<a>\b(?:an?|une?|una?|uma?|eine[mnrs]?|ein)\s+)(?P<w>"
        + "|".join(sorted(words, key=len, reverse=True))
        + r")\b(?=\s+(?:de\s+|d['’]|of\s+|di\s+|von\s+)?[^\W\d_])",
        re.IGNORECASE,
    )
    for lang, words in _COLLECTIVE.items()
}


def collective_numbers(lang: str) -> re.Pattern[str] | None:
    """The grammar language's nouns of about so many, after an indefinite article."""
    return _COLLECTIVE_RX.get(lang)


@lru_cache(maxsize=256)
def glued_numbers(locale: str) -> re.Pattern[str] | None:
    """Spelled-out numbers before a unit of time in a language without spaces ("两年")."""
    return glued_number_regex(locale, tuple(cldr.duration_words(locale)))


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return bool(spans) and any(not (e <= a or s >= b) for a, b in spans)


def _not_a_figure(sent: str, s: int, e: int, g: _Grammar) -> bool:
    """A number that is part of a name ("iPhone 13", "Model 3"), a clock time, or glued to a
    word ("5G", "1st"; not "5万", "10亿美元", "88GW", nor an age glued to its unit of time,
    "24letý", "24χρονος"). A number after a name that a scale word, a currency or a percent
    sign follows is an amount: "gave Siemens 300 million euros", "Stanów Zjednoczonych 140
    milionów dolarów", "YouGov 41%"."""
    words, locale = g.words, g.locale or g.lang
    prev = _prev_token(sent, max(0, s - 80), s)
    if (
        prev
        and prev[0] > 0
        and _PRODUCT_NAME.fullmatch(prev[1])
        and prev[1] not in STOP_NAMES
        and prev[1].lower() not in MONTHS
        and bound_of(prev[1]) is Bound.EQ
        and not prefix_currency_re().search(prev[1] + " ")
        and not cldr.is_currency_code(prev[1])
        and not _amount_after(sent[e:], g)
    ):
        return True
    nxt = sent[e : e + 2]
    return bool(
        _CLOCKISH.match(nxt)
        or (
            nxt[:1].isalpha()
            and not _GLUED_SCALE.match(sent, e)
            and not _glued_unit().match(sent, e)
            and not (words and (no_space_rx().match(nxt) or words.match(sent, e) or _HANGUL.match(nxt)))
            and not ((glued := _WORD_AT.match(sent, e)) and _time_compound(glued[0], locale))
        )
    )


# a whole number's fraction: " 1/2", "-1/2" (the numerator the smaller, not a date's "1/2/2020")
_ASCII_FRACTION = re.compile(r"[ \u00a0-]?([1-9]\d?)/([1-9]\d?)(?![\d/])")


def _fraction_after(sent: str, e: int, v: float) -> tuple[float, int] | None:
    """(value, end) of a whole number and the fraction written right after it: "2 1/2",
    "3-1/2", or one of Unicode's vulgar fractions, "2½" (its value from the character
    database); None if none follows."""
    if not v.is_integer():
        return None
    ch = sent[e : e + 1]
    if ch and unicodedata.category(ch) == "No" and 0 < (part := unicodedata.numeric(ch, 0.0)) < 1:
        return v + part, e + 1
    m = _ASCII_FRACTION.match(sent, e)
    if m is None or int(m[1]) >= int(m[2]):
        return None
    return v + int(m[1]) / int(m[2]), m.end()


def _amount_after(rest: str, g: _Grammar) -> bool:
    """Whether a scale word, a currency or a percent sign follows a number ("YouGov 41%")."""
    if g.sc_rx.match(rest) or SUFFIX_CURRENCY_RE.match(rest) or PERCENT_RE.match(rest):
        return True
    lm = g.words.match(rest) if g.words else None
    if lm is not None and (lm.groupdict().get("scale") or lm.groupdict().get("cur")):
        return True
    return _named_currency(rest, g.locale or g.lang) is not None


class _Range(NamedTuple):
    high: float
    end: int
    between: re.Match[str] | None
    years: bool = False  # two years joined by a dash: a period, no figure


def _range_after(
    sent: str, m: re.Match[str], v: float, blocked: list[tuple[int, int]], g: _Grammar
) -> _Range | None:
    """ "3-5", "between 3 and 5", "$2m to $3m": the range's high end and where it ends (`years`
    for two years joined by a dash, which are a period); None if no range follows."""
    s, e = m.start(), m.end()
    nxt = sent[e : e + 2]
    # a joiner opens (after spaces) on one of its first characters: tested before the pattern
    first = nxt[1:2] if nxt[:1].isspace() else nxt[:1]
    if not (first in _RANGE_FIRST or first.isspace()):
        return None
    jm = _RANGE_JOIN.match(sent, e)
    if not jm:
        return None
    between = _RANGE_OPEN.search(sent[max(0, s - 20) : s])  # "between 3 and 5"
    if not (between or jm["w"] not in _RANGE_NEEDS_OPEN) or (between and between["o"].lower() in _FROM):
        return None
    skip = 1 if sent[jm.end() : jm.end() + 1] in ("$", "€", "£", "¥") else 0  # "$2m to $3m"
    m2 = g.second_rx.match(sent, jm.end() + skip)
    if not m2 or _overlaps(m2.start(), m2.end(), blocked):
        return None
    try:
        high = parse_number(m2.group(0), g.num_lang)
    except ValueError:
        return None
    if jm["w"] in "-–—" and _year_span(m.group(0), m2.group(0), v, high):
        return _Range(high, m2.end(), None, years=True)  # "during 2021-2022": not a count
    if high > v:  # "3-1", "4 zu 3": scores, not ranges
        return _Range(high, m2.end(), between)
    return None


def _currency_before(r: _Reading) -> None:
    """A currency symbol or ISO code just before the number ("$", "US$", "NOK ")."""
    before = r.before
    pre_cur = prefix_currency_re().search(before, max(0, len(before) - 12))
    if pre_cur:
        r.kind, r.unit = ValueKind.MONEY, currency_code(pre_cur["cur"], prefix=True)
    else:
        pre_cur = _CODE_BEFORE.search(before, max(0, len(before) - 5))
        if not (
            pre_cur and _iso_code(pre_cur["cur"], before[max(0, pre_cur.start() - 20) : pre_cur.start()])
        ):
            return
        r.kind, r.unit = ValueKind.MONEY, pre_cur["cur"]
    r.start = r.s - (len(before) - pre_cur.start("cur"))
    r.before = r.sent[max(0, r.start - 40) : r.start]


@lru_cache(maxsize=256)
def _scale_before_rx(locale: str) -> re.Pattern[str] | None:
    """A scale word the locale writes before its number, and maybe a currency word before
    that ("dola bilioni 60", 60 billion dollars)."""
    scales = cldr.scale_words_before(locale)
    if not scales:
        return None
    words = [w for w in cldr.currency_words(locale) if len(w) >= 3 and not any(c.isdigit() for c in w)]
    cur = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    alts = "|".join(map(re.escape, sorted(scales, key=len, reverse=True)))
    pre = rf"(?:(?:^|(?<=[\s(]))(?P<c>{cur})[ \u00a0]+)?" if cur else ""
    return re.compile(rf"{pre}(?:(?:^|(?<=[\s(]))(?P<w>{alts})[ \u00a0\u202f]?)?$", re.IGNORECASE)


def _scale_before(r: _Reading, locale: str) -> None:
    """A scale word and a currency, or either, before the number, where CLDR writes the scale
    word there ("dola bilioni 60", "ඩොලර් මිලියන 140", "dola 350")."""
    rx = _scale_before_rx(locale)
    m = rx.search(r.before, max(0, len(r.before) - 40)) if rx is not None else None
    cur = m.groupdict().get("c") if m is not None else None
    if m is None or not (m["w"] or cur):
        return
    if m["w"]:
        r.scaled(cldr.scale_words_before(locale)[lower_key(m["w"])])
    if cur and r.kind is None:
        r.kind, r.unit = ValueKind.MONEY, cldr.currency_words(locale)[lower_key(cur)]
    r.start = r.s - (len(r.before) - m.start())
    r.before = r.sent[max(0, r.start - 40) : r.start]


@lru_cache(maxsize=256)
def _percent_before_rx(locale: str) -> re.Pattern[str] | None:
    words = cldr.percent_before(locale)
    if not words:
        return None
    alts = "|".join(map(re.escape, words))
    return re.compile(rf"(?:^|(?<=[\s(]))(?P<p>{alts})[ \u00a0\u202f]?$", re.IGNORECASE)


def _percent_before(r: _Reading, locale: str) -> None:
    """A percent sign or word the locale writes before the number ("%41", "yüzde 41")."""
    rx = _percent_before_rx(locale)
    m = rx.search(r.before, max(0, len(r.before) - 20)) if rx is not None else None
    if m is None:
        return
    r.kind, r.unit = ValueKind.PERCENT, "%"
    r.start = r.s - (len(r.before) - m.start("p"))
    r.before = r.sent[max(0, r.start - 40) : r.start]


def _hyphen_after(r: _Reading, spelled: bool, g: _Grammar) -> bool:
    """ "a 25-year deal", "$31.5-million", "three-year": the hyphen read as a space. False for a
    hyphened word that makes no figure ("two-thirds", "a 5-star hotel", "3-D")."""
    rest = r.rest
    hy = _HYPHEN.match(rest) if rest[:3].lstrip(" \u00a0")[:1] in _HYPHENS else None
    if (
        hy
        and not (  # "25-year", "31.5-million", "92-hectare": a time noun, scale or unit
            _HYPHENED_WORD.match(rest, hy.end())
            or _unit_after(" " + rest[hy.end() :], g.locale or g.lang)
            or _percent_word_at(rest, hy.end(), g)  # "40-працэнтнай": a percent word's adjective
        )
    ):
        word = _WORD_AT.match(rest, hy.end())
        r.compound = _time_compound(word[0], g.locale or g.lang, hyphened=True) if word else ""
        if not r.compound:
            hy = None
    if hy:
        r.end += hy.end() - 1
        r.rest = " " + r.sent[r.end + 1 :]
        return True
    if not spelled and rest[:1].isalpha() and (word := _WORD_AT.match(rest)):
        r.compound = _time_compound(word[0], g.locale or g.lang)  # "24letý", "24χρονος"
    return not ((spelled or r.kind is None) and _HYPHEN.match(rest))


def _percent_word_at(rest: str, at: int, g: _Grammar) -> bool:
    lm = g.words.match(rest, at) if g.words else None
    return lm is not None and bool(lm.groupdict().get("pct"))


def _scale_after(r: _Reading, g: _Grammar) -> None:
    """A scale word ("million", "Mrd.", "万", CLDR's "लाख"), "and a half", or a glued "m" of
    money ("£11m", "11m euros")."""
    rest = r.rest
    sm = g.sc_rx.match(rest)
    lm = g.words.match(rest) if g.words and not sm else None
    if lm and lm.groupdict().get("scale"):
        r.scaled(scale_of(g.locale or "", lm["scale"]))
        r.took(lm.end())
        if r.rest[:1] == "." and _currency_next(r.rest[1:], g):
            r.took(1)  # an abbreviation's dot before the currency: "2,8 млрд. долларов"
    elif sm and not (sm["scale"].lower() == "m" and r.kind is not ValueKind.MONEY):
        scale = scale_value(sm["scale"], g.lang)
        r.scaled(scale)
        r.end += sm.end()
        half = _AND_A_HALF.match(r.sent, r.end)
        if half and r.low is None:
            r.v += scale / 2
            r.end = half.end()
        r.rest = r.sent[r.end :]
        if r.rest[:1] == "." and _currency_next(r.rest[1:], g):
            r.took(1)  # "1,5 mln. svarų", "2,8 mlrd. GBP"
    elif (
        _GLUED_M.match(rest)
        and (
            r.kind is ValueKind.MONEY  # "11m euros": millions when money is named after it, else metres
            or SUFFIX_CURRENCY_RE.match(rest[1:])
            or _named_currency(rest[1:], g.lang)
        )
    ):
        r.v *= 1e6
        r.low = r.low * 1e6 if r.low is not None else None
        r.took(1)


def _currency_next(rest: str, g: _Grammar) -> bool:
    """Whether a currency is named at the start of `rest` (after a space at most)."""
    lc = g.words.match(rest) if g.words else None
    if lc is not None and lc.groupdict().get("cur") and currency_of(g.locale or "", lc["cur"].lower()):
        return True
    return bool(SUFFIX_CURRENCY_RE.match(rest)) or _named_currency(rest, g.locale or g.lang, True) is not None


def _currency_after(r: _Reading, g: _Grammar) -> None:
    """A currency named after the number: the grammar's own words, CLDR's names and codes, or
    the locale's currency words."""
    lc = g.words.match(r.rest) if g.words and r.kind is None else None
    if lc and lc.groupdict().get("cur") and (code := currency_of(g.locale or "", lc["cur"].lower())):
        r.kind, r.unit = ValueKind.MONEY, code
        r.took(lc.end())
    cm = SUFFIX_CURRENCY_RE.match(r.rest)
    if cm and r.kind is None:
        r.kind, r.unit = ValueKind.MONEY, currency_code(cm["cur"], prefix=False)
        r.took(cm.end())
    elif r.kind is None and (named := _named_currency(r.rest, g.locale or g.lang, r.has_scale)) is not None:
        r.kind, r.unit = ValueKind.MONEY, named[0]
        r.took(named[1])
    elif cm and r.kind is ValueKind.MONEY and cm["cur"].lower() in ("dollars", "dollar"):
        r.took(cm.end())  # "$5 million dollars"
    if r.kind is ValueKind.MONEY and r.unit == "GBP" and g.lang == "en" and _weighed(r):
        r.kind, r.unit = ValueKind.QUANTITY, "lb"


# "pound" is money and weight: money is mostly written "£", a weight is weighed or describes a
# thing ("a 550 pound hog", "a 650-pound pig"); these nouns after "a five-pound ..." are money
_POUND = re.compile(r"[\s\-\u2010\u2011]*pounds?\b", re.IGNORECASE)
_WEIGH = re.compile(r"\b(?:weigh\w*|heav(?:y|ier|iest))\b[^.;:]{0,40}$", re.IGNORECASE)
_ADJECTIVE_POUND = re.compile(r"[\s\-\u2010\u2011]*pound[\s\u00a0]+([a-z]+)")
_MONEY_NOUNS = frozenset(
    [
        "note",
        "notes",
        "coin",
        "coins",
        "fine",
        "fines",
        "fee",
        "fees",
        "bill",
        "bills",
        "ticket",
        "tickets",
        "bet",
        "bets",
        "prize",
        "bonus",
        "charge",
        "levy",
        "tax",
        "voucher",
        "payment",
        "payout",
        "deal",
        "bid",
        "offer",
        "fund",
        "loan",
        "budget",
        "donation",
        "grant",
        "salary",
        "wage",
        "rise",
        "increase",
        "cut",
        "reward",
    ]
)


def _weighed(r: _Reading) -> bool:
    """Whether pounds named after a number, without "£", weigh: after a word of weight, or as
    the singular that describes a thing."""
    said = r.sent[r.e : r.end]
    if r.has_scale or not _POUND.fullmatch(said):
        return False
    if _WEIGH.search(r.sent, max(0, r.s - 60), r.s):
        return True
    adjective = _ADJECTIVE_POUND.match(r.sent, r.e)
    return adjective is not None and r.v != 1 and adjective[1] not in _MONEY_NOUNS


def _percent_after(r: _Reading, g: _Grammar) -> None:
    if r.kind is not None:
        return
    pm = PERCENT_RE.match(r.rest) or _percent_word(g.lang).match(r.rest)
    lp = g.words.match(r.rest) if g.words and not pm else None
    if pm:
        r.kind, r.unit = ValueKind.PERCENT, ("pp" if pm["pp"] else "%")
        r.took(pm.end())
    elif lp and lp.groupdict().get("pct"):
        r.kind, r.unit = ValueKind.PERCENT, "%"
        r.took(lp.end())


def _noun_after(r: _Reading, m: re.Match[str], spelled: bool, prev_count: Value | None, g: _Grammar) -> bool:
    """What a figure with no currency or percent counts or measures: an age, a unit, a counted
    noun, an appositive age, the noun of the count before it. False: not a figure."""
    aged = _YEAR_OLD.match(r.rest)
    compound = _WORD_AT.match(r.rest, 1 if r.rest[:1].isspace() else 0) if r.compound else None
    found = (
        (ValueKind.COUNT, r.compound, compound.end())
        if compound
        else (ValueKind.COUNT, "year", aged.end())
        if aged
        else (_unit_after(r.rest, g.locale or g.lang) or _counted_noun(r.rest, g.lang, g.locale or g.lang))
    )
    if found is not None:
        r.kind, r.unit, n = found
        if r.unit == "lb" and r.has_scale:
            # millions of pounds are money, as in English ("150 mld naela", "150 მილიარდი
            # ფუნტი"): where CLDR's sterling is another word, news still calls it the pound
            r.kind, r.unit = ValueKind.MONEY, "GBP"
        r.end += n
        old = _OLD.match(r.sent, r.end) if r.unit == "year" else None
        if old:  # "the 28-year-old", "28 years old": an age
            r.end = old.end()
    elif spelled:
        return False  # "two" alone: a pronoun, a score, a name; a figure needs its noun
    elif g.locale and (counter := _counter_after(r.rest)):
        # "200人", "3つ", "5명": a counter, its noun; "3年", "3時間", "5시간": a duration
        r.kind, r.unit = ValueKind.COUNT, counter
        timed = _time_unit_glued(r.rest, g.locale)
        if timed is not None:
            counter, r.unit = timed
        r.end += len(counter)
    elif g.lang == "en" and 0 < r.v <= 120 and aged_before(r.sent, r.s):
        r.kind, r.unit = ValueKind.COUNT, "year"  # "a man aged 33", "aged 33, 34 and 39"
    elif appositive_age(r.sent, r.s, r.e, r.v):
        r.kind, r.unit = ValueKind.COUNT, "year"  # "Teixeira, 28, signed": his age
    elif prev_count is not None:
        r.kind, r.unit = ValueKind.COUNT, prev_count.unit  # "... more than 600,000 in 2021"
    elif r.has_scale or _GROUPED.fullmatch(m.group(0)):
        r.kind, r.unit = ValueKind.COUNT, ""  # "35 millions en 2009", "estava em 12.729"
    else:
        return False
    r.rest = r.sent[r.end :]
    return True


# Korean puts spaces between words but writes its counters against the number ("5명", "3년")
_HANGUL = regex.compile(r"\p{Script=Hangul}")


def _counter_after(rest: str) -> str | None:
    """The counter or noun written against a number in a script without spaces, or a Korean
    counter ("人" of "200人", "명" of "5명"): the figure counts it. None when a space, a digit
    or punctuation follows."""
    if not rest[:1] or not rest[0].isalpha() or not (no_space_rx().match(rest) or _HANGUL.match(rest)):
        return None
    if _HANGUL.match(rest) or han_kana_rx().match(rest):
        return rest[0]  # one character is a counter there ("人", "つ", "명")
    return _first_word(rest)  # elsewhere (Thai, Lao, Khmer, Burmese) a character is a piece of a word


def _first_word(run: str) -> str:
    """The first word (ICU's boundaries) of a run of a script written without spaces."""
    return next(iter(icu_words(run[:40])), "") or run


def _time_unit_glued(rest: str, locale: str) -> tuple[str, str] | None:
    """(its text, the English unit) of a unit of time written against a number, the longest
    that `rest` begins with ("時間" of "3時間", not "時")."""
    words = cldr.duration_words(locale)
    for n in range(min(4, len(rest)), 0, -1):
        unit = words.get(rest[:n])
        if unit is not None:
            return rest[:n], unit
    return None


def _finished(r: _Reading, noun_end: int, between: re.Match[str] | None, bare_end: int = -1) -> Value:
    """The value with its bound ("in excess of", "alrededor de") and its rate ("a year", "par
    an"), read once the number is known to be a value."""
    assert r.kind is not None
    start, end, rest = r.start, r.end, r.rest
    bound = Bound.EQ
    bm = _bound_before(r.before)
    if bm:
        bound = bound_of(bm["bound"].strip())
        start = start - (len(r.before) - bm.start("bound"))
    per = None
    if "(" in rest:  # the note opens on a parenthesis: no search without one
        rest = _PAREN_NOTE.sub(lambda x: " " * len(x.group(0)), rest)
    pr = PER_RE.match(rest)
    if pr and r.kind is not ValueKind.PERCENT:
        per = per_canon(pr["u1"] or pr["u2"])
        end += pr.end()
    elif r.kind is not ValueKind.PERCENT:
        per = _per_after_of_noun(rest)
    if r.low is not None:
        if between and start == r.s:
            start = r.s - (min(20, r.s) - between.start("o"))
        return Value(
            start, end, r.low, r.kind, r.unit, Bound.RANGE, per, r.has_scale, noun_end, r.v, bare_end
        )
    return Value(start, end, r.v, r.kind, r.unit, bound, per, r.has_scale, noun_end, None, bare_end)


def _per_after_of_noun(rest: str) -> str | None:
    """ "40 GWh of battery cells a year", "40 GWh de cellules de batterie par an": the rate
    after the measured thing."""
    om = _OF_NOUN.match(rest)
    if not om:
        return None
    for k in range(om.end(), min(len(rest), om.end() + 40)):
        if rest[k] in ",;.(":
            return None
        pr2 = PER_RE.match(rest[k:])
        if pr2 and rest[k].isspace():
            return per_canon(pr2["u1"] or pr2["u2"])
    return None


_WORD_AT = re.compile(r"[^\W\d_]+")


def _time_compound(word: str, locale: str, slack: int | None = None, hyphened: bool = False) -> str:
    """The English unit of time a word joined to a number begins with, in the article's
    language (CLDR's names, accents aside): "24-Jährige", "15-monatigen", "24-летний", "24letý"
    are an age or a duration in years, months; "" for any other word ("5-star", "3-D").
    `slack`: at most this many letters after the name (a word of its own after a space, "24
    वर्षीय", "24 ساله", is the name with a suffix, not a compound of it). `hyphened`: the word
    is joined to the number by a hyphen, where a compound is all it can be, so a short name
    counts too, and its last letter may change ("42-årig" of "år", "42-ročný" of "rok",
    "68-річний" of "рік")."""
    folded = fold_accents(word)
    for stem, unit in _time_stems(locale):
        if folded.startswith(stem) and (slack is None or len(folded) - len(stem) <= slack):
            return unit
    if slack is None:  # a compound may change the name's last letters: "24-годишният" of "година"
        for stem, unit in _time_stems(locale):
            if len(stem) >= 5 and len(os.path.commonprefix((stem, folded))) >= max(4, len(stem) - 2):
                return unit
    if hyphened and len(folded) > 2 and locale != "en":  # (English lists its own: "3-day")
        for stem, unit in _time_stems(locale, shortest=2):
            if (
                len(stem) == 2
                and folded.startswith(stem)
                or 3 <= len(stem) <= 4
                and folded.startswith(stem[:-1])
            ):
                return unit
    return ""


def _declined_time(word: str, lang: str, locale: str) -> str:
    """A unit of time in a case CLDR does not spell ("napot", "hodinách", "годам", "वर्षीय"):
    for languages the grammar does not know, whose own nouns it does not list ("mesas" are
    tables, not months)."""
    return _time_compound(word, locale, slack=3) if locale != lang else ""


@cache
def _time_stems(locale: str, shortest: int = 3) -> list[tuple[str, str]]:
    """The locale's full names of units of time (accents aside, `shortest` letters or more; an
    abbreviation begins too many other words: "мес." of "мест", "min" of "minors"), the longest
    first, with their English units."""
    stems = {fold_accents(name): unit for name, unit in cldr.duration_words(locale, long_only=True).items()}
    return sorted(
        ((s, u) for s, u in stems.items() if len(s) >= shortest), key=lambda su: (-len(su[0]), su[0])
    )


_HYPHENS = frozenset("-\u2010\u2011")
# a time noun or a scale word after a number and a hyphen ("25-year", "31.5-million"); units of
# measure are read by `_unit_after`, and other words ("5-star", "two-thirds") are not figures
_HYPHENED_WORD = re.compile(
    "(?:"
    + "|".join(
        sorted(
            {re.escape(w) for words in TIME_NOUNS.values() for w in words.split()}
            | {"millions?", "billions?", "trillions?", "mln", "bn"},
            key=len,
            reverse=True,
        )
    )
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_YEAR_OLD = re.compile(r"[ \u00a0](?:years?|yrs?)[-\u2010\u2011 ]old\b", re.IGNORECASE)
_HYPHEN = re.compile(r"[ \u00a0]?[-\u2010\u2011][ \u00a0]?(?=[^\W\d_])")
_OLD = re.compile(r"[ \u00a0]?[-\u2010\u2011 ][ \u00a0]?old\b", re.IGNORECASE)

_RANGE_OPEN = re.compile(  # the look-ahead holds the words' first letters: a cheap test first
    r"(?=[bdeftvz])(?P<o>between|entre|zwischen|tra|from|de|von|desde|du)\s+\S{0,4}$", re.IGNORECASE
)
_FROM = {"from", "de", "von", "desde", "du"}
_RANGE_JOIN = re.compile(r"\s*(?P<w>[-–—]|to|and|et|y|und|à|a|bis|e)\s*(?=[\d$€£¥])")
_RANGE_NEEDS_OPEN = {"and", "et", "y", "und", "e", "a"}
_RANGE_FIRST = frozenset("-–—taeyuàb")  # the first characters of _RANGE_JOIN's joiners


# German function words a capitalised noun may follow that STOP_NOUNS does not hold already
# (its articles and most prepositions are there)
_DE_FUNCTION_WORDS = frozenset(
    [
        "als",
        "aus",
        "bei",
        "durch",
        "einem",
        "einer",
        "gegen",
        "je",
        "nach",
        "ohne",
        "pro",
        "seit",
        "unter",
        "wie",
        "zu",
        "über",
    ]
)


# ages that other languages write with their unit ("âgé de 33 ans") English may give bare
_AGED = re.compile(r"\baged\s+(?:between\s+)?(?:\d{1,3}(?:\s*,\s*|\s*(?:and|or|to|-|–)\s*))*$", re.IGNORECASE)


def aged_before(sent: str, s: int) -> bool:
    """Whether the figure at `s` follows "aged" ("a man aged 33", "aged 33, 34 and 39")."""
    return _AGED.search(sent, max(0, s - 40), s) is not None


_NAME_BRACKET = re.compile(r"(?:^|\s)([^\W\d_][\w'’.-]*)[ \u00a0]([^\W\d_][\w'’.-]*)[ \u00a0]\($")
_NAME_COMMA = re.compile(r"(?:^|[\s(])[^\W\d_][\w'’.-]*,[ \u00a0]$")


def appositive_age(sent: str, s: int, e: int, v: float) -> bool:
    """ "Teixeira, 28, signed", "(Cheeks, 48)", "Narcis Termes (68), elektrikár": a small whole
    number set off by commas or brackets right after a capitalised name is the person's age,
    in every language that writes names so."""
    if not (0 < v <= 120 and float(v).is_integer()) or sent[e : e + 1] not in (",", ")"):
        return False
    m = _NAME_COMMA.search(sent, max(0, s - 40), s)
    if m is None and sent[e : e + 1] == ")" and sent[s:e].isdigit():  # not a record, "(5-10)"
        # in brackets, after a full name: "Narcis Termes (68)", not "Apple (3)"
        b = _NAME_BRACKET.search(sent, max(0, s - 60), s)
        return b is not None and b[1][:1].isupper() and b[2][:1].isupper()
    return m is not None and sent[m.start() : m.end()].lstrip(" (")[:1].isupper()


@lru_cache(maxsize=1)
def _glued_unit() -> re.Pattern[str]:
    """A unit symbol written against its number ("88GW", "675GWh", "150km"), as the symbol
    is written (case matters: "5G" is a network, "5g" five grams is too short to tell)."""
    symbols = {sym for sym in QUANTITY_UNITS.values() if len(sym) >= 2}
    symbols |= {sym for sym in cldr.unit_words("en").values() if len(sym) >= 2 and " " not in sym}
    symbols -= {"st", "nd", "rd", "th"}  # "3rd" is an ordinal, not three rods
    alts = "|".join(re.escape(x) for x in sorted(symbols, key=len, reverse=True))
    return re.compile(rf"(?:{alts})(?![^\W\d_])")


_PLURAL_S = frozenset(["en", "fr", "es", "pt"])  # grammars whose nouns take an -s plural
_EN_NOT_NOUNS = frozenset(["who", "whom", "which", "that", "said", "says", "against", "than", "more", "less"])


def _unit_after(rest: str, unit_lang: str) -> tuple[ValueKind, str, int] | None:
    """A unit of measure right after the number, by its CLDR name or symbol in the article's
    language ("12 kilomètres", "5 square miles", "300 МВт"); the grammar's own names first."""
    own = _own_units().match(rest)
    units = _cldr_units(unit_lang)
    got = units[0].match(rest) if units is not None else None
    m = got[1] if got is not None else None
    if own is not None and (m is None or own.end() >= m.end()):  # the longer name wins
        return ValueKind.QUANTITY, QUANTITY_UNITS[lower_key(own["unit"])], own.end()
    if got is None or m is None or m.lastindex is None or units is None:
        return None
    word = units[1][got[0]]  # the name as CLDR has it: the text may be in another case
    said = " ".join(lower_key(m.group(m.lastindex)).split())
    if len(said) > len(word) and said in cldr.unit_names(unit_lang):
        return None  # another unit's own name ("Quartale" is not "Quart" in a case)
    return ValueKind.QUANTITY, QUANTITY_UNITS.get(word) or cldr.unit_words(unit_lang)[word], m.end()


def _after_a_space(rest: str) -> tuple[str, ...]:
    """Where a unit may begin: at once, or after one space."""
    return (rest[:1], rest[1:2]) if rest[:1] in " \u00a0\u202f" else (rest[:1],)


# letters a unit's name may take in a case CLDR does not spell ("35 Kilometern", "километрах")
INFLECTION = 3
_INFLECTED_FROM = 5  # letters a name needs to take them: never a symbol ("5 more" is not metres)


def _unit_name(word: str, inflects: bool) -> str:
    """A unit's name as a pattern; in a grammar with cases, a long name of letters alone may
    end in a case's letters. CLDR gives a unit's name in the forms a number's plural category
    calls for ("километр", "километра", "километров"), not in the other cases a sentence puts
    it in ("в 35 километрах", "in 35 Kilometern Entfernung", "35 kilometrin päässä", "30
    méterre"); those end the same name with a few letters."""
    pattern = re.escape(word).replace(r"\ ", r"[\s\u00a0]+")
    if inflects and len(word) >= _INFLECTED_FROM and word.isalpha():
        return pattern + rf"[^\W\d_]{{0,{INFLECTION}}}"
    return pattern


@cache
def _cldr_units(lang: str) -> tuple[Alternatives, list[str]] | None:
    """The locale's CLDR unit names and symbols right after a number (after at most one
    space), the longest first, and the names in that order (an alternative's index names it)."""
    words = sorted(cldr.unit_words(lang), key=len, reverse=True)
    if not words:
        return None
    # grammars whose nouns take only a plural -s have every form in CLDR ("deux livrets" are no
    # pounds)
    inflects = lang.split("_")[0] not in _PLURAL_S
    alternatives = Alternatives(
        r"[ \u00a0\u202f]?",
        [_unit_name(w, inflects) for w in words],
        r"(?![^\W\d_])",
        re.IGNORECASE,
        _after_a_space,
    )
    return alternatives, words


@lru_cache(maxsize=1)
def _own_units() -> re.Pattern[str]:
    """The grammar's own unit names (energy units CLDR lacks: "GWh", "Gigawattstunden")."""
    alts = "|".join(re.escape(w) for w in sorted(QUANTITY_UNITS, key=len, reverse=True) if len(w) > 1)
    return re.compile(rf"[ \u00a0\u202f]?(?P<unit>{alts})(?![^\W\d_])", re.IGNORECASE)


def _noun_start(word: str) -> bool:
    """A word that may be a counted noun: it starts with a lower-case letter or a letter of a
    script without case (Devanagari, Arabic, Hebrew...); a capital starts a name, and "½" is
    no letter."""
    first = word[:1]
    return first.isalpha() and not first.isupper()


# between a number and the group it counts some of: "eight of the jurors" (the grammar's
# languages; a language read through CLDR joins its noun with `cldr.count_joiner`)
_PARTITIVE = {
    lang: re.compile(rf"\s+(?:{words})(?=\s)", re.IGNORECASE)
    for lang, words in {
        "en": r"of\s+(?:the|these|those|his|her|their|its|our)",
        "fr": r"des|de\s+(?:ces|ses|leurs|nos)",
        "es": r"de\s+(?:los|las|estos|estas|sus)",
        "it": r"dei|degli|delle|di\s+(?:questi|queste|loro)",
        "pt": r"dos|das|destes|destas|de\s+(?:seus|suas)",
        "de": r"der|dieser|seiner|ihrer",
    }.items()
}


def _number_near(rest: str, locale: str) -> bool:
    """Whether a number, in digits or words, is among the next three words: "of their last
    five matches", "of the 50 states"."""
    pos = 0
    for _ in range(3):
        m = _NEXT_TOKEN.match(rest, pos)
        if m is None:
            return False
        if m[1][0].isdigit() or value_of(locale, m[1]) is not None:
            return True
        pos = m.end()
    return False


_NEXT_TOKEN = re.compile(r"\s+(\w+)")


def _counted_noun(
    rest: str, lang: str, locale: str, joined: bool = False
) -> tuple[ValueKind, str, int] | None:
    """What follows a number: a known noun within three words ("300,000 electric cars"), a
    physical unit, a unit of time in the article's language (CLDR: "12 uur" counts hours, "5
    лет" years), or else the next noun as it is (English plural stripped).

    A noun is lower-case or of a script without case ("20 साल", "2000 جندي"), except in German
    where every noun is capitalised ("270.000 Araber", "5 Mrd. tschechische Kronen") and a
    lower-case word right after a number is not one.
    """
    if not joined and locale == lang and (pm := _PARTITIVE.get(lang)) and (part := pm.match(rest)):
        # "eight of the jurors", "trois des jurés", "ocho de los jurados": the noun after it;
        # not when a number comes first ("four of their last five matches": that one counts)
        if _number_near(rest[part.end() :], locale):
            return None
        got = _counted_noun(rest[part.end() :], lang, locale, joined=True)
        return None if got is None else (got[0], got[1], part.end() + got[2])
    joiner = cldr.count_joiner(locale) if locale != lang and not joined else ""
    if joiner and (jm := WORD_AFTER_RE.match(rest)) and jm["w"].lower() == joiner:
        # "540 de persoane": the locale's word between a number and its noun
        got = _counted_noun(rest[jm.end() :], lang, locale, joined=True)
        return None if got is None else (got[0], got[1], jm.end() + got[2])
    german = lang == "de"
    pos = 0
    for i in range(3):
        wm = WORD_AFTER_RE.match(rest[pos:])
        if not wm:
            break
        w = wm["w"].lower().strip("’'")
        if w in NOUNS:
            return ValueKind.COUNT, NOUNS[w], pos + wm.end()
        if i == 0 and w in QUANTITY_UNITS:
            return ValueKind.QUANTITY, QUANTITY_UNITS[w], wm.end()
        if i == 0 and (unit := cldr.duration_words(locale).get(w) or _declined_time(w, lang, locale)):
            return ValueKind.COUNT, unit, wm.end()
        if i == 0 and (two := WORD_AFTER_RE.match(rest[wm.end() :])):
            # a name of two words ("68 de ani": Romanian puts "de" before the noun from 20 up)
            named = cldr.duration_words(locale).get(f"{w} {two['w'].lower()}")
            if named:
                return ValueKind.COUNT, named, wm.end() + two.end()
        if w in STOP_NOUNS or (german and w in _DE_FUNCTION_WORDS):
            break
        if german and wm["w"][:1].isupper():
            return ValueKind.COUNT, w, pos + wm.end()
        if not _noun_start(wm["w"]):
            break
        pos += wm.end()
    if german:
        return None
    fm = WORD_AFTER_RE.match(rest)
    if not fm or not _noun_start(fm["w"]):
        return None
    w = fm["w"].lower()
    if no_space_rx().match(w):
        # a script written without spaces runs on into the rest of the clause: its first word
        first = _first_word(w)
        return ValueKind.COUNT, first, fm.start("w") + len(first)
    if w in STOP_NOUNS or (locale == "en" and (w in _EN_NOT_NOUNS or w.endswith(("ing", "ed")))):
        return None  # "the three who voted", "three voting", "two injured": no counted noun
    end = fm.end()
    if locale in _PLURAL_S and not _plural(w, locale):
        # "10 total games", "two semiautomatic weapons", "five suspicious boats": a singular
        # word before a plural one is its adjective; the plural is what is counted
        nm = WORD_AFTER_RE.match(rest[end:])
        if (
            nm
            and nm["w"][:1].islower()
            and _plural(nm["w"].lower(), locale)
            and nm["w"].lower() not in STOP_NOUNS
        ):
            w, end = nm["w"].lower(), end + nm.end()
    if locale == "en" and len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif locale == "en" and w.endswith(_EN_ES_PLURALS):
        w = w[:-2]  # "boxes", "churches", "classes"
    elif locale == "en" and len(w) > 3 and _plural(w, locale):
        w = w[:-1]
    return ValueKind.COUNT, w, end


# English words whose final s is not a plural's ("suspicious", "bus", "class", "crisis"), and
# plurals that take -es after a hissing sound
_EN_NOT_PLURAL = ("ous", "ss", "us", "is")
_EN_ES_PLURALS = ("sses", "xes", "ches", "shes", "zzes")


def _plural(word: str, locale: str) -> bool:
    """Whether a word of a grammar with an -s plural reads as a plural."""
    return word.endswith("s") and not (locale == "en" and word.endswith(_EN_NOT_PLURAL))
