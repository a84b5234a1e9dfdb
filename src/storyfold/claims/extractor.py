"""Claims from one article: every value (money, percent, count, quantity, time) with context.

Per sentence: time expressions first (so years are not read as counts), then numbers with
what is written around them (bound, currency, scale, percent, counted noun, rate), then the
predicate from trigger words near the value, the subject (nearest preceding organisation
name, or for "the company" / "l'entreprise" / "das Unternehmen" the organisation the article
named last) and, for non-time values, the period stated in the same clause.

Speed: a sentence with no digit and no month or year word cannot hold a value or a time and
is skipped before any pattern runs; the costly patterns (case-insensitive alternations of
month names, trigger words) run only where a cheap test says they can match. Python's regex
engine tries a pattern at every position unless it starts with a literal or a character
class, so patterns are written that way (a guard tested after the first character, or a
look-ahead on the alternatives' first letters), and `$`-anchored look-backs are tried only
where a word can start. `bench/claims_equivalence.py --check` proves such rewrites change no
claim on the shared data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import regex

from storyfold.claims import cldr
from storyfold.claims import lexicon as lx
from storyfold.claims.locales import (
    bare_years,
    currency_of,
    locale_dates,
    locale_reference,
    locale_times,
    locale_words,
    no_space_rx,
)
from storyfold.claims.numparse import (
    BOUND_LAST_WORD_RE,
    BOUND_RE,
    DURATION_UNITS,
    NOUNS,
    PER_RE,
    PERCENT_RE,
    PREFIX_CURRENCY_RE,
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
    scale_regex,
    scale_value,
    second_number_regex,
)
from storyfold.claims.numwords import value_of, word_number_regex
from storyfold.claims.sentences import clause_of, sentences
from storyfold.claims.timeparse import (
    MONTHS,
    TimeSpan,
    clock_spans,
    find_times,
    infer_reference,
    time_cues,
    time_words,
)
from storyfold.model import Article, Bound, Claim, ValueKind
from storyfold.textnorm import ascii_digits

LANGS = {"en", "fr", "es", "de", "it", "pt"}

# "(?<![\w’'])[A-ZÀ-Ý][\w\-&]*(?:[’']s)?(?![\w’'$])|(?<![\w])[LlDd][’'][A-ZÀ-Ýa-zà-ÿ]\w*" written
# to start with one character class (guards tested after it), so the engine skips to capitals.
_NAME_TOKEN = re.compile(
    r"[A-ZÀ-Ýld](?:(?<=[A-ZÀ-Ý])(?<![\w’'].)[\w\-&]*(?:[’']s)?(?![\w’'$])|(?<=[LlDd])(?<!\w.)[’'][A-ZÀ-Ýa-zà-ÿ]\w*)"
)
_STOP_NAMES = set(
    [
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "You",
        "I",
        "His",
        "Her",
        "Their",
        "Our",
        "My",
        "In",
        "On",
        "At",
        "For",
        "From",
        "With",
        "By",
        "Of",
        "And",
        "Or",
        "But",
        "So",
        "As",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "Until",
        "During",
        "According",
        "However",
        "Meanwhile",
        "Also",
        "Although",
        "Though",
        "Both",
        "Others",
        "Other",
        "Some",
        "Many",
        "Most",
        "All",
        "Each",
        "Every",
        "Here",
        "There",
        "Now",
        "Then",
        "Still",
        "Yet",
        "Even",
        "Shortly",
        "Additionally",
        "Moreover",
        "Furthermore",
        "Besides",
        "Finally",
        "First",
        "Second",
        "Third",
        "Last",
        "Next",
        "Last",
        "What",
        "Why",
        "How",
        "Who",
        "Which",
        "Where",
        "Did",
        "Does",
        "Do",
        "Is",
        "Are",
        "Was",
        "Were",
        "Will",
        "Would",
        "Can",
        "Could",
        "May",
        "Might",
        "Should",
        "Must",
        "Having",
        "Being",
        "Little",
        "Companies",
        "Consumer",
        "News",
        "Such",
        "Not",
        "No",
        "Yes",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Des",
        "Du",
        "De",
        "Au",
        "Aux",
        "Et",
        "Ou",
        "Mais",
        "Donc",
        "Car",
        "Ce",
        "Cette",
        "Ces",
        "Il",
        "Elle",
        "Ils",
        "Elles",
        "On",
        "Nous",
        "Vous",
        "Selon",
        "Après",
        "Avant",
        "Depuis",
        "Pendant",
        "Dans",
        "Sur",
        "Pour",
        "Par",
        "Avec",
        "Sans",
        "Comme",
        "Que",
        "Qui",
        "Quand",
        "Cependant",
        "Toutefois",
        "Ainsi",
        "Alors",
        "Enfin",
        "Bien",
        "Et",
        "Maintenant",
        "Il",
        "Y",
        "El",
        "Los",
        "Las",
        "Una",
        "Unos",
        "Unas",
        "Y",
        "O",
        "Pero",
        "Según",
        "Tras",
        "Durante",
        "Desde",
        "En",
        "Con",
        "Sin",
        "Como",
        "Que",
        "Cuando",
        "Sin",
        "Embargo",
        "Además",
        "Der",
        "Die",
        "Das",
        "Den",
        "Dem",
        "Ein",
        "Eine",
        "Einen",
        "Und",
        "Oder",
        "Aber",
        "Nach",
        "Vor",
        "Seit",
        "Laut",
        "Mit",
        "Für",
        "Im",
        "Am",
        "Zum",
        "Zur",
        "Auch",
        "Doch",
        "Il",
        "Lo",
        "Gli",
        "Una",
        "E",
        "Ma",
        "Secondo",
        "Dopo",
        "Prima",
        "Con",
        "Per",
        "Anche",
        "Os",
        "As",
        "Um",
        "Uma",
        "Mas",
        "Segundo",
        "Após",
        "Com",
        "Para",
        "CEO",
        "CFO",
        "COO",
        "CTO",
        "PDG",
        "DG",
        "EV",
        "EVs",
        "AI",
        "IA",
        "AIoT",
        "OEM",
        "IPO",
        "GDP",
        "PIB",
        "US",
        "USA",
        "UK",
        "EU",
        "UE",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Janvier",
        "Enero",
        "Januar",
        "Jan",
        "Feb",
        "Apr",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "H1",
        "H2",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
    ]
)
_ORG_CUE = re.compile(r"(?:[’']s\b|\s+(?:CEO|PDG|CFO|chief|boss|founder|Inc|Group|shares|stock))")
_STOP_NAMES |= set(
    [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
        "Lunes",
        "Martes",
        "Miércoles",
        "Jueves",
        "Viernes",
        "Sábado",
        "Domingo",
        "Lunedì",
        "Martedì",
        "Mercoledì",
        "Giovedì",
        "Venerdì",
        "Sabato",
        "Segunda-feira",
        "Terça-feira",
        "Quarta-feira",
        "Quinta-feira",
        "Sexta-feira",
        "Land",
        "State",
        "Government",
        "Shares",
        "Production",
        "Construction",
        "Under",
        "Over",
        "About",
        "Around",
    ]
)
_NAME_NEXT = re.compile(r" (?!(?:CEO|PDG|The|In|On|And)\b)[A-ZÀ-Ý][\w\-&]*")
_JOINERS = {"EV", "AI", "Auto", "Mobile", "Motors", "Group", "Technology", "Tech"}
_DEMONYMS = set(
    [
        "Chinese",
        "American",
        "French",
        "German",
        "Spanish",
        "Japanese",
        "European",
        "Korean",
        "British",
        "Indian",
        "Italian",
        "Russian",
        "Brazilian",
        "Canadian",
        "Swiss",
        "Dutch",
        "Swedish",
        "Taiwanese",
        "Asian",
        "African",
        "Western",
        "Eastern",
        "Northern",
        "Southern",
        "Local",
        "Global",
        "International",
        "National",
        "Federal",
    ]
)
_ORG_SUFFIX_ALTS = (
    "Inc|Corp|Co|Ltd|LLC|Group|Motors?|Holdings?|AG|SA|SE|GmbH|Bank|Company|Technologies|Automotive|Auto|"
    "Airlines|Groupe|Grupo|Systems|Industries|Electric|Energy|Labs?|Partners|Capital"
)
_ORG_SUFFIX = re.compile(rf"\b(?:{_ORG_SUFFIX_ALTS})\b")
# the words `_ORG_SUFFIX.fullmatch` accepts ("Motors?" is "Motor" and "Motors"): a set lookup
# for every capitalised token instead of a pattern
_ORG_SUFFIX_WORDS = frozenset(
    w for alt in _ORG_SUFFIX_ALTS.split("|") for w in ((alt[:-2], alt[:-1]) if alt.endswith("s?") else (alt,))
)


class MidsentenceNames:
    """Is a word written capitalised in mid-sentence somewhere in `text` (after a lower-case or
    digit-initial word, or after a comma)? Then it is a name even at a sentence start.
    Answered per word on demand: an article asks about a handful of words, and scanning every
    token of it up front cost more than the rest of the extraction.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        hit = self.memo.get(word)
        if hit is None:
            hit = word[:1].isupper() and self._find(word)
            self.memo[word] = hit
        return hit

    def _find(self, word: str) -> bool:
        text = self.text
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            after_ok = j >= len(text) or not (text[j].isalnum() or text[j] in "_-&")
            before = text[max(0, i - 200) : i]
            if after_ok and before[-1:].isspace():
                prev = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
                if (
                    prev
                    and not prev.endswith((".", "!", "?", ":", "»", '"', "”"))
                    and (prev[:1].islower() or prev[:1].isdigit() or prev.endswith((",", ";")))
                ):
                    return True
            i = text.find(word, i + 1)
        return False


_DE_NOUN_SUFFIX = re.compile(
    r"(?:ung|heit|keit|tät|ion|schaft|ment|nis|tum|chen|jahr|hälfte|zellen|werk|börse|aktie|markt)$", re.I
)
_DE_NOUN_SUFFIX_MAX = 6  # the longest suffix: a match starts this close to the end of a word
_DE_ORG_NEXT = re.compile(r"\s+(?:AG|SE|GmbH|KGaA|Holding|Gruppe|Group)\b")
_PLACE_PREP = re.compile(
    r"(?:^|\s)(?:in|at|near|from|à|au|aux|en|nach|aus|bei|a|em|na|no)\s+$", re.IGNORECASE
)
# the same after a space: a pattern that starts with one character set, so the engine jumps
# from space to space instead of entering the matcher at every character
_PLACE_PREP_AFTER_SPACE = re.compile(
    r"\s(?:in|at|near|from|à|au|aux|en|nach|aus|bei|a|em|na|no)\s+$", re.IGNORECASE
)


def _place_prep_before(lead: str) -> bool:
    """`_PLACE_PREP.search(lead, len(lead) - 20)`: "in", "à", "nach"... then spaces to the end.
    Tried only when `lead` ends in a space, and past its start only after a space."""
    n = len(lead)
    if not n or not lead[-1].isspace():
        return False
    lo = max(0, n - 20)
    if "\n" in lead:  # "$" may stop before a final newline: leave that to the pattern itself
        return _PLACE_PREP.search(lead, lo) is not None
    if lo == 0 and _PLACE_PREP.match(lead, 0):
        return True
    return _PLACE_PREP_AFTER_SPACE.search(lead, lo) is not None


_SHARES_BEFORE = re.compile(
    r"\b(?:shares?|stock|stake|actions?|acciones|aktien?)\s+(?:in|of|de|von)\s+$", re.I
)


_DE_DET_BEFORE = re.compile(  # the look-ahead holds the determiners' first letters: a cheap test first
    r"\b(?=(?i:[abdeiksuvz]))(?i:der|die|das|den|dem|des|ein|eine|einer|eines|einem|einen|kein\w*|dies\w*|sein\w*|ihr\w*|"
    r"unser\w*|zur|zum|im|am|vom|beim|ins)\s+(?:[a-zäöüß][\w\-]*\s+){0,2}$"
)


# The same after a non-word character (the determiner then starts one character later): a
# pattern that starts with one character set, so the engine jumps from space to space of the
# 80-character look-back instead of entering the matcher at every position. A determiner is
# made of letters, so a non-word character before it is what `\b` asks; one that starts right at
# the look-back's start is read by `_DE_DET_BEFORE.match` there.
_DE_DET_AFTER_NONWORD = re.compile(r"\W" + _DE_DET_BEFORE.pattern[2:])

_DE_TOKEN = re.compile(r"[\w\-]+")


class GermanNouns:
    """German capitalises every noun: a word seen right after a determiner (up to two
    lower-case words between) is a noun, not a name. Answered per word on demand: scanning the
    whole article for every determiner cost more than the few words an article asks about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or word[0] not in "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ":
            return False
        if not _DE_TOKEN.fullmatch(word):  # "S&P": the determiner scan never read such a token
            return False
        hit = self.memo.get(word)
        if hit is None:
            hit = self.memo[word] = self._find(word)
        return hit

    def _find(self, word: str) -> bool:
        text, n = self.text, len(self.text)
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            # the determiner pattern ends in spaces: a word not after a space cannot match, so
            # the (costly) search runs only where it can
            whole = (i > 0 and text[i - 1].isspace()) and (
                j >= n or not (text[j].isalnum() or text[j] in "_-")
            )
            if whole:
                lo = max(0, i - 80)
                if _DE_DET_BEFORE.match(text, lo, i) or _DE_DET_AFTER_NONWORD.search(text, lo, i):
                    return True
            i = text.find(word, i + 1)
        return False


_LETTER_INITIAL = re.compile(r"([^\W\d_])[\w’'-]*")
# A cheap bound first: every upper-case initial is an ASCII capital or a non-ASCII character,
# and every a-z after a space is a lower-case initial. Title Case needs upper >= 0.6 * all
# initials, so upper >= 1.5 * lower; when even the bound on capitals falls short of that, the
# sentence is not a headline and its words need not be read one by one.
_UPPER_OR_NON_ASCII = re.compile(r"[A-Z\x80-\U0010ffff]")
_LOWER_AFTER_SPACE = re.compile(r"\s[a-z]")


@lru_cache(maxsize=1024)
def _titled(sent: str) -> bool:
    """A headline in Title Case: its capitals say nothing about names (asked once per claim)."""
    if 3 * len(_LOWER_AFTER_SPACE.findall(sent)) > 2 * len(_UPPER_OR_NON_ASCII.findall(sent)):
        return False
    initials = _LETTER_INITIAL.findall(sent)  # the first letter of each word
    return len(initials) >= 4 and sum(map(str.isupper, initials)) >= 0.6 * len(initials)


def subject_of(
    sent: str,
    upto: int,
    known: set[str] | MidsentenceNames,
    common: set[str] | GermanNouns | None = None,
    lang: str = "en",
) -> str | None:
    """Nearest organisation-like name before `upto` in the sentence; persons only as no-go."""
    return subject_before(name_tokens(sent, known, common, lang, upto), sent, upto)


class _Tok(NamedTuple):
    start: int
    end: int
    word: str
    poss: bool  # "Xiaomi’s": the name ends here
    skip: bool  # never part of a name here (stop word, German noun, place after "in")
    joiner: bool  # may extend the name before it ("Xiaomi EV Inc")
    stop: bool  # not a name start (sentence-initial unknown word, title case, unit...)


def name_tokens(
    sent: str,
    known: set[str] | MidsentenceNames,
    common: set[str] | GermanNouns | None = None,
    lang: str = "en",
    upto: int | None = None,
) -> list[_Tok]:
    """The capitalised tokens of a sentence (before `upto`) with what each can be; computed
    once per sentence, since every value of the sentence asks for its subject."""
    out: list[_Tok] = []
    titled: bool | None = None  # read only when a token asks (many sentences never do)
    for m in _NAME_TOKEN.finditer(sent, 0, len(sent) if upto is None else upto):
        tok = m.group(0)
        if tok[1:2] in _APOSTROPHES and tok[0] in "LlDd":  # elided "l'", "d’" ([LlDd][’'])
            rest = tok[2:]
            if not rest[:1].isupper():
                out.append(_Tok(m.start(), m.end(), tok, False, True, False, True))
                continue
            tok = rest
        poss = tok.endswith(("’s", "'s"))
        word = tok[:-2] if poss else tok
        org_suffix = word in _ORG_SUFFIX_WORDS
        joiner = word in _JOINERS or org_suffix
        if (word in _STOP_NAMES or word in _DEMONYMS) and not joiner:
            out.append(_Tok(m.start(), m.end(), word, poss, True, False, True))
            continue
        skip = False
        if lang == "de" and "-" in word and word.split("-")[0] in known:
            word = word.split("-")[0]  # "Corvane-Aktie"
            org_suffix = word in _ORG_SUFFIX_WORDS
            joiner = word in _JOINERS or org_suffix
        elif (
            lang == "de"
            and (
                _DE_NOUN_SUFFIX.search(word, max(0, len(word) - _DE_NOUN_SUFFIX_MAX))
                or word in (common or ())  # the cheap test first
            )
            and not _DE_ORG_NEXT.match(sent, m.end())  # "die Corvane AG" is a company
        ):
            skip = True
        if not skip:
            lead = sent[max(0, m.start() - 30) : m.start()]
            pt_article = lang == "pt" and _PT_ARTICLE.search(lead) is not None  # "a Corvane"
            skip = bool(_place_prep_before(lead) and not _SHARES_BEFORE.search(lead) and not pt_article)
        stop = skip or (
            word in _STOP_NAMES
            or word.lower() in QUANTITY_UNITS
            or word in _DEMONYMS
            or org_suffix
            or (
                (m.start() == 0 or (titled if titled is not None else (titled := _titled(sent))))
                and word not in known
                and not _ORG_CUE.match(sent, m.end())
                and not (m.start() == 0 and _NAME_NEXT.match(sent, m.end()))
            )
        )
        out.append(_Tok(m.start(), m.end(), word, poss, skip, joiner, stop))
    return out


def subject_before(toks: list[_Tok], sent: str, upto: int) -> str | None:
    """The nearest name made of `toks` that ends before `upto`, persons left out."""
    groups: list[list[_Tok]] = []
    last_end = -10
    for t in toks:
        if t.end > upto:
            break
        if t.skip:
            last_end = -10
            continue
        gap = sent[last_end : t.start] if last_end >= 0 else None
        joins = groups and gap is not None and gap in (" ", " & ", " de ", " of ")
        if joins and t.joiner:
            groups[-1].append(t)
            last_end = t.end if not t.poss else -10
            continue
        if t.stop:
            last_end = -10
            continue
        if joins:
            groups[-1].append(t)
        else:
            groups.append([t])
        last_end = t.end if not t.poss else -10
    for g in reversed(groups):
        words = [t.word for t in g]
        name = " ".join(words)
        personish = (
            2 <= len(words) <= 3
            and all(w[:1].isupper() and w[1:].islower() for w in words)
            and not _ORG_SUFFIX.search(name)
        )
        if personish:
            continue
        return name.rstrip(".")
    return None


_PT_ARTICLE = re.compile(r"(?:^|\s)[ao]\s+$")


# --------------------------------------------------------------------------- values


_PREV_TOKEN = re.compile(r"(\S+)\s$")
_APOSTROPHES = ("’", "'")
_PRODUCT_NAME = re.compile(r"[A-Za-z]*[A-Z][\w-]*")
_CLOCKISH = re.compile(r"[:h]\d")
_GLUED_SCALE = re.compile(r"(?i)(bn|mn|m\b|k\b|mrd|mio|mil)")
_FOUR_DIGITS = re.compile(r"\d{4}")
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
_CODE_AFTER = re.compile(r"^[ \u00a0\u202f]?(?P<cur>[A-Z]{3})(?!\w)")
_CAPS_WORD = re.compile(r"[^\W\d_]{2,}")


def _iso_code(code: str, neighbour: str) -> bool:
    """A currency code, not a word of a line in capitals ("WIN ALL 5 GAMES"): the code must be
    CLDR's and the word next to it not in capitals too."""
    caps = _CAPS_WORD.search(neighbour)
    return cldr.is_currency_code(code) and not (caps and caps[0].isupper())


@lru_cache(maxsize=64)
def _percent_word(lang: str) -> re.Pattern[str]:
    """After a number: the grammar language's CLDR percent word ("percento"), which the
    grammar's own pattern may spell otherwise ("per cento")."""
    alts = "|".join(re.escape(w).replace(r"\ ", r"\s?") for w in cldr.percent_words(lang)) or "(?!)"
    return re.compile(rf"^[ \u00a0\u202f]?(?P<pct>{alts})(?!\w)(?P<pp>(?!))?", re.IGNORECASE)


@lru_cache(maxsize=64)
def _currency_noun(lang: str) -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    """After a number: one of the currency nouns many currencies' names share (`cldr`), and
    each noun's own pattern with its code."""
    nouns = sorted(cldr.currency_nouns(lang).items(), key=lambda nc: (-len(nc[0]), nc[0]))
    forms = [(marks_optional(re.escape(n)), code) for n, code in nouns]
    alts = "|".join(f for f, _ in forms) or "(?!)"
    rx = re.compile(rf"^[ \u00a0\u202f]?(?:(?:de|of|di|d['’])\s?)?(?P<cur>{alts})(?!\w)", re.IGNORECASE)
    return rx, tuple((re.compile(f, re.IGNORECASE), code) for f, code in forms)


def _name_form(name: str) -> str:
    """A currency name as a pattern whose words may be inflected: each word of five letters or
    more loses its last letter and takes up to three ("britische Pfund": "britischen Pfund")."""
    return r"\s+".join(
        marks_optional(re.escape(w[:-1]) + r"\w{0,3}" if len(w) >= 5 else re.escape(w)) for w in name.split()
    )


@lru_cache(maxsize=64)
def _currency_names(lang: str) -> tuple[re.Pattern[str] | None, tuple[tuple[re.Pattern[str], str], ...]]:
    """After a number: a currency's full CLDR name in the grammar's language ("Norwegian kroner",
    "couronnes norvégiennes"), longest first; and each name's own pattern with its code."""
    names = sorted(cldr.currency_names(lang).items(), key=lambda nc: (-len(nc[0]), nc[0]))
    if not names:
        return None, ()
    forms = [(_name_form(n), code) for n, code in names]
    alts = "|".join(f for f, _ in forms)
    rx = re.compile(rf"^[ \u00a0\u202f]?(?:(?:de|of|di|d['’])\s?)?(?P<cur>{alts})(?!\w)", re.IGNORECASE)
    return rx, tuple((re.compile(f, re.IGNORECASE), code) for f, code in forms)


def _named_currency(rest: str, lang: str, scaled: bool = False) -> tuple[str, int] | None:
    """(ISO code, characters read) of a currency named right after a number by its full name
    or its code, or, after a scale word (`scaled`: "11 milioni di sterline"), by the noun many
    currencies' names share; None if none is. A bare noun needs the scale word: some are
    other words too ("livres" are books)."""
    rx, each = _currency_names(lang)
    m = rx.match(rest) if rx is not None else None
    if m:
        code = next(c for f, c in each if f.fullmatch(m["cur"]))
        return code, m.end()
    if scaled:
        rx, each = _currency_noun(lang)
        m = rx.match(rest)
        if m:
            return next(c for f, c in each if f.fullmatch(m["cur"])), m.end()
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

    def took(self, n: int) -> None:
        """The next `n` characters of `rest` belong to the value."""
        self.end += n
        self.rest = self.sent[self.end :]

    def scaled(self, factor: float) -> None:
        self.v *= factor
        self.low = self.low * factor if self.low is not None else None
        self.has_scale = True


class _Grammar(NamedTuple):
    """What `_values` reads a sentence with: the grammar's language and, when the article is in
    another, its locale (CLDR's scale, currency and percent words)."""

    lang: str
    locale: str | None
    num_lang: str
    second_rx: re.Pattern[str]
    sc_rx: re.Pattern[str]
    words: regex.Pattern[str] | None


def _values(sent: str, lang: str, blocked: list[tuple[int, int]], locale: str | None = None) -> list[Value]:
    """`locale`: the article's language when the grammar (`lang`) is another's: its scale
    words, currencies, percent words and decimal separator then come from CLDR (`cldr`)."""
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
    if spelled_rx is not None:
        spelled_matches = list(spelled_rx.finditer(sent))
        if spelled_matches:
            matches = sorted(matches + spelled_matches, key=re.Match.start)
    coded = -1  # where the last number written with a leading zero ended
    for m in matches:
        s, e = m.start(), m.end()
        spelled = m.re is spelled_rx
        if s < consumed or _overlaps(s, e, blocked):
            continue
        if not spelled and (_leading_zero(m.group(0)) or (coded >= 0 and not sent[coded:s].strip())):
            # "0800 555 111", "007", a split "22, 000": codes and fragments, not quantities
            coded = e
            continue
        if _not_a_figure(sent, s, e, g.words):
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
        r = _Reading(sent, s, e, v, None, s, e, "", sent[max(0, s - 40) : s])
        between = None
        if ranged is not None:
            r.low, r.v, r.e, between = v, ranged.high, ranged.end, ranged.between
            r.end = consumed = ranged.end
        _currency_before(r)
        r.rest = sent[r.end :]
        if not _hyphen_after(r, spelled, g):
            continue  # "two-thirds", "a 5-star hotel", "3-D": not figures
        _scale_after(r, g)
        _currency_after(r, g)
        _percent_after(r, g)
        noun_end = r.end
        if r.kind is None:
            if not _noun_after(r, m, spelled, prev_count, g):
                continue
            noun_end = r.end
        out.append(_finished(r, noun_end, between))
        if out[-1].kind is ValueKind.COUNT and out[-1].unit not in DURATION_UNITS:
            prev_count = out[-1]
    return out


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return bool(spans) and any(not (e <= a or s >= b) for a, b in spans)


def _not_a_figure(sent: str, s: int, e: int, words: regex.Pattern[str] | None) -> bool:
    """A number that is part of a name ("iPhone 13", "Model 3"), a clock time, or glued to a
    word ("5G", "1st"; not "5万", "10亿美元", "88GW")."""
    prev = _prev_token(sent, max(0, s - 80), s)
    if (
        prev
        and prev[0] > 0
        and _PRODUCT_NAME.fullmatch(prev[1])
        and prev[1] not in _STOP_NAMES
        and prev[1].lower() not in MONTHS
        and bound_of(prev[1]) is Bound.EQ
        and not PREFIX_CURRENCY_RE.search(prev[1] + " ")
        and not cldr.is_currency_code(prev[1])
    ):
        return True
    nxt = sent[e : e + 2]
    return bool(
        _CLOCKISH.match(nxt)
        or (
            nxt[:1].isalpha()
            and not _GLUED_SCALE.match(sent, e)
            and not _glued_unit().match(sent, e)
            and not (words and (no_space_rx().match(nxt) or words.match(sent, e)))
        )
    )


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
    pre_cur = PREFIX_CURRENCY_RE.search(before, max(0, len(before) - 12))
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


def _hyphen_after(r: _Reading, spelled: bool, g: _Grammar) -> bool:
    """ "a 25-year deal", "$31.5-million", "three-year": the hyphen read as a space. False for a
    hyphened word that makes no figure ("two-thirds", "a 5-star hotel", "3-D")."""
    rest = r.rest
    hy = _HYPHEN.match(rest) if rest[:3].lstrip(" \u00a0")[:1] in _HYPHENS else None
    if (
        hy
        and not (  # "25-year", "31.5-million", "92-hectare": a time noun, scale or unit
            _HYPHENED_WORD.match(rest, hy.end()) or _unit_after(" " + rest[hy.end() :], g.locale or g.lang)
        )
    ):
        hy = None
    if hy:
        r.end += hy.end() - 1
        r.rest = " " + r.sent[r.end + 1 :]
        return True
    return not ((spelled or r.kind is None) and _HYPHEN.match(rest))


def _scale_after(r: _Reading, g: _Grammar) -> None:
    """A scale word ("million", "Mrd.", "万", CLDR's "लाख"), "and a half", or a glued "m" of
    money ("£11m", "11m euros")."""
    rest = r.rest
    sm = g.sc_rx.match(rest)
    lm = g.words.match(rest) if g.words and not sm else None
    if lm and lm.groupdict().get("scale"):
        r.scaled(cldr.scale_words(g.locale or "")[lm["scale"].lower()])
        r.took(lm.end())
    elif sm and not (sm["scale"].lower() == "m" and r.kind is not ValueKind.MONEY):
        scale = scale_value(sm["scale"], g.lang)
        r.scaled(scale)
        r.end += sm.end()
        half = _AND_A_HALF.match(r.sent, r.end)
        if half and r.low is None:
            r.v += scale / 2
            r.end = half.end()
        r.rest = r.sent[r.end :]
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


def _currency_after(r: _Reading, g: _Grammar) -> None:
    """A currency named after the number: the grammar's own words, CLDR's names and codes, or
    the locale's currency words."""
    lc = g.words.match(r.rest) if g.words and r.kind is None else None
    if lc and lc.groupdict().get("cur"):
        r.kind, r.unit = ValueKind.MONEY, currency_of(g.locale or "", lc["cur"].lower())
        r.took(lc.end())
    cm = SUFFIX_CURRENCY_RE.match(r.rest)
    if cm and r.kind is None:
        r.kind, r.unit = ValueKind.MONEY, currency_code(cm["cur"], prefix=False)
        r.took(cm.end())
    elif r.kind is None and (named := _named_currency(r.rest, g.lang, r.has_scale)) is not None:
        r.kind, r.unit = ValueKind.MONEY, named[0]
        r.took(named[1])
    elif cm and r.kind is ValueKind.MONEY and cm["cur"].lower() in ("dollars", "dollar"):
        r.took(cm.end())  # "$5 million dollars"


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
    found = (
        (ValueKind.COUNT, "year", aged.end())
        if aged
        else (_unit_after(r.rest, g.locale or g.lang) or _counted_noun(r.rest, g.lang))
    )
    if found is not None:
        r.kind, r.unit, n = found
        r.end += n
        old = _OLD.match(r.sent, r.end) if r.unit == "year" else None
        if old:  # "the 28-year-old", "28 years old": an age
            r.end = old.end()
    elif spelled:
        return False  # "two" alone: a pronoun, a score, a name; a figure needs its noun
    elif _appositive_age(r.sent, r.s, r.e, r.v):
        r.kind, r.unit = ValueKind.COUNT, "year"  # "Teixeira, 28, signed": his age
    elif prev_count is not None:
        r.kind, r.unit = ValueKind.COUNT, prev_count.unit  # "... more than 600,000 in 2021"
    elif r.has_scale or _GROUPED.fullmatch(m.group(0)):
        r.kind, r.unit = ValueKind.COUNT, ""  # "35 millions en 2009", "estava em 12.729"
    else:
        return False
    r.rest = r.sent[r.end :]
    return True


def _finished(r: _Reading, noun_end: int, between: re.Match[str] | None) -> Value:
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
        return Value(start, end, r.low, r.kind, r.unit, Bound.RANGE, per, r.has_scale, noun_end, r.v)
    return Value(start, end, r.v, r.kind, r.unit, bound, per, r.has_scale, noun_end)


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


_DE_FUNCTION_WORDS = frozenset(
    [
        "gegen",
        "für",
        "mit",
        "von",
        "bis",
        "zu",
        "in",
        "im",
        "auf",
        "an",
        "am",
        "um",
        "über",
        "unter",
        "nach",
        "bei",
        "aus",
        "seit",
        "ohne",
        "durch",
        "und",
        "oder",
        "pro",
        "je",
        "als",
        "wie",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
    ]
)


_NAME_COMMA = re.compile(r"(?:^|[\s(])[^\W\d_][\w'’.-]*,[ \u00a0]$")


def _appositive_age(sent: str, s: int, e: int, v: float) -> bool:
    """ "Teixeira, 28, signed", "(Cheeks, 48)": a small whole number set off by commas right
    after a capitalised name is the person's age, in every language that writes names so."""
    if not (0 < v <= 120 and float(v).is_integer()) or sent[e : e + 1] not in (",", ")"):
        return False
    m = _NAME_COMMA.search(sent, max(0, s - 40), s)
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
    rx = cldr.unit_regex(unit_lang)
    m = rx.match(rest) if rx is not None else None
    if own is not None and (m is None or own.end() >= m.end()):  # the longer name wins
        return ValueKind.QUANTITY, QUANTITY_UNITS[own["unit"].lower()], own.end()
    if m is None:
        return None
    word = " ".join(m["unit"].lower().split())
    return ValueKind.QUANTITY, QUANTITY_UNITS.get(word) or cldr.unit_words(unit_lang)[word], m.end()


@lru_cache(maxsize=1)
def _own_units() -> re.Pattern[str]:
    """The grammar's own unit names (energy units CLDR lacks: "GWh", "Gigawattstunden")."""
    alts = "|".join(re.escape(w) for w in sorted(QUANTITY_UNITS, key=len, reverse=True) if len(w) > 1)
    return re.compile(rf"[ \u00a0\u202f]?(?P<unit>{alts})(?![^\W\d_])", re.IGNORECASE)


def _counted_noun(rest: str, lang: str) -> tuple[ValueKind, str, int] | None:
    """What follows a number: a known noun within three words ("300,000 electric cars"), a
    physical unit, or else the next noun as it is (English plural stripped).

    A noun is lower-case, except in German where every noun is capitalised ("270.000 Araber",
    "5 Mrd. tschechische Kronen") and a lower-case word right after a number is not one.
    """
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
        if w in STOP_NOUNS or (german and w in _DE_FUNCTION_WORDS):
            break
        if german and wm["w"][:1].isupper():
            return ValueKind.COUNT, w, pos + wm.end()
        if not wm["w"][:1].islower():
            break
        pos += wm.end()
    if german:
        return None
    fm = WORD_AFTER_RE.match(rest)
    if not fm or not fm["w"][:1].islower():
        return None
    w = fm["w"].lower()
    if w in STOP_NOUNS or (lang == "en" and (w in _EN_NOT_NOUNS or w.endswith(("ing", "ed")))):
        return None  # "the three who voted", "three voting", "two injured": no counted noun
    end = fm.end()
    if lang in _PLURAL_S and not w.endswith("s"):
        # "10 total games", "two semiautomatic weapons": a singular word before a plural one
        # is its adjective; the plural is what is counted
        nm = WORD_AFTER_RE.match(rest[end:])
        if nm and nm["w"][:1].islower() and nm["w"].endswith("s") and nm["w"].lower() not in STOP_NOUNS:
            w, end = nm["w"].lower(), end + nm.end()
    if lang == "en" and len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif lang == "en" and len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return ValueKind.COUNT, w, end


def _is_year_of_count(sent: str, t: TimeSpan, lang: str) -> bool:
    """'2000 employees', '2020 %': a bare year-looking number with a unit is a number."""
    if not _FOUR_DIGITS.fullmatch(sent, t.start, t.end):
        return False
    rest = sent[t.end :]
    wm = WORD_AFTER_RE.match(rest)
    if wm and wm["w"].lower() in NOUNS and NOUNS[wm["w"].lower()] not in DURATION_UNITS:
        return True
    return bool(PERCENT_RE.match(rest) or SUFFIX_CURRENCY_RE.match(rest) or scale_regex(lang).match(rest))


# --------------------------------------------------------------------------- predicates


def _nearest_trigger(sent: str, lo: int, hi: int, kinds: list[tuple[re.Pattern[str], str]]) -> str | None:
    """The trigger kind nearest to [lo, hi) in its clause, preferring ones before the value."""
    c0, c1 = clause_of(sent, lo, hi)
    for a, b, reach in ((c0, c1, 90), (0, len(sent), 150)):
        before: list[tuple[int, str]] = []
        after: list[tuple[int, str]] = []
        for rx, key in kinds:
            # the sentence's matches that lie in [a, b): no trigger spans a clause break
            for ms, me in lx.spans(rx, sent):
                if ms < a or me > b:
                    continue
                if me <= lo:
                    before.append((lo - me, key))
                elif ms >= hi:
                    after.append((ms - hi, key))
                else:
                    before.append((0, key))
        if before:
            d, key = min(before)
            if d <= reach:
                return key
        if after:
            d, key = min(after)
            if d <= 60:
                return key
    return None


_AS_PLANNED = re.compile(
    r"\s*(?:as\s+(?:originally\s+)?planned|comme\s+prévu|como\s+estaba\s+previsto|wie\s+(?:ursprünglich\s+)?geplant)",
    re.IGNORECASE,
)


def _time_predicate(sent: str, t: TimeSpan) -> str:
    lo, hi = t.start, t.end
    key = _nearest_trigger(
        sent,
        lo,
        hi,
        [
            (lx.MASS_PRODUCTION, "production"),
            (lx.VOM_BAND, "production"),
            (lx.PRODUCTION, "production"),
            (lx.CONSTRUCTION, "construction"),
        ],
    )
    if key is None:
        return "mention"
    c0, c1 = clause_of(sent, lo, hi)
    if key == "construction":
        d_start = lx.near(lx.START, sent, lo, hi)
        return "construction_start" if d_start is not None and d_start <= 60 else "mention"
    d_mass = min(
        (
            d
            for d in (lx.near(lx.MASS_PRODUCTION, sent, lo, hi), lx.near(lx.VOM_BAND, sent, lo, hi))
            if d is not None
        ),
        default=None,
    )
    d_start = lx.near(lx.START, sent, lo, hi)
    if (d_mass is not None and d_mass <= 90) or (d_start is not None and d_start <= 40):
        if lx.ORIGINAL_PLAN.search(sent[c0:lo]) or _AS_PLANNED.match(sent, hi):
            return "production_start_original"
        return "production_start"
    return "mention"


def _value_predicate(sent: str, v: Value) -> tuple[str, float]:
    lo, hi = v.start, v.end
    if v.kind is ValueKind.MONEY:
        best: tuple[int, str] | None = None
        for rx, key in (
            (lx.INVEST, "invest"),
            (lx.DEAL, "deal_value"),
            (lx.REVENUE, "revenue"),
            (lx.PROFIT, "profit"),
            (lx.PRICE, "price"),
            (lx.GRANT, "grant"),
        ):
            d = lx.near(rx, sent, lo, hi)
            if d is not None and d <= 80 and (best is None or d < best[0]):
                best = (d, key)
        if best is None or best[1] == "price":
            d_fac = lx.near(lx.FACILITY, sent, lo, hi)
            if d_fac is not None and d_fac <= 40:
                return "invest", v.value
        if best is None:
            return "amount", v.value
        if best[1] == "invest":
            trigs = [  # only the triggers within reach: a run-on "sentence" can hold thousands
                m
                for m in lx.INVEST.finditer(sent, max(0, lo - 200), hi + 200)
                if abs(m.end() - lo) <= 80 or abs(m.start() - hi) <= 80
            ]
            span_lo = min([m.start() for m in trigs] + [max(0, lo - 20)])
            span_hi = max([m.end() for m in trigs] + [hi + 30])
            window = sent[span_lo:span_hi]
            if any(
                not re.match(r"(?i)(more|más|mais)\s+(than|de|que)", window[m.start() :])
                for m in lx.ADDITIONAL.finditer(window)
            ):
                return "invest_additional", v.value
        return best[1], v.value
    if v.kind is ValueKind.PERCENT:
        d = lx.near(lx.SHARES, sent, lo, hi)
        move = min(
            (
                x
                for x in (lx.near(lx.SHARE_UP, sent, lo, hi), lx.near(lx.SHARE_DOWN, sent, lo, hi))
                if x is not None
            ),
            default=None,
        )
        if d is not None and (d <= 60 or (d <= 150 and move is not None and move <= 25)):
            down = lx.near(lx.SHARE_DOWN, sent, lo, hi)
            up = lx.near(lx.SHARE_UP, sent, lo, hi)
            sign = -1.0 if down is not None and (up is None or down < up) else 1.0
            return "share_move", sign * v.value
        return "amount", v.value
    if v.unit in DURATION_UNITS:
        aged = v.unit == "year" and (
            sent[v.start : v.end].endswith("old") or _appositive_age(sent, v.start, v.end, v.value)
        )
        return ("age" if aged else "amount"), v.value
    if v.unit == "employee":
        return "employees", v.value
    if v.unit == "person":  # "employs about 300 people"; "killed four people" is a count of people
        d = lx.near(lx.EMPLOYEES_VERB, sent, lo, hi)
        return ("employees" if d is not None and d <= 40 else "amount"), v.value
    if v.per is not None:
        d = lx.near(lx.CAPACITY, sent, lo, hi)
        if d is not None and d <= 100:
            return "capacity", v.value
    return "count", v.value


# --------------------------------------------------------------------------- main

_PERIOD_PREP = re.compile(
    r"(?:^|\b)(?=[adefilnop])(?:in|en|im|for|für|during|au|pour|durante|del|de|of|el|le|dans|nel|no|em|im\s+jahr)\s+"
    r"(?:the\s+|l['’]|el\s+|fiscal\s+|(?:the\s+)?year\s+|(?:l['’])?année\s+|el\s+año\s+|)?$",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")
# "The company has hired more than 300 employees": a definite description of an organisation
# stands for the organisation the article named last.
_ANAPHOR = re.compile(
    r"\b(?=[adeilot])(?:the\s+(?:[\w-]+\s+){0,2}?(?:company|firm|group|carmaker|automaker|manufacturer|maker|brand|"
    r"business|giant|start-?up|bank|lender|retailer|airline|insurer|conglomerate)\b"
    r"|(?:l['’]|la\s+|le\s+)(?:entreprise|société|firme|groupe|constructeur|fabricant|marque|"
    r"compagnie|banque|géant)\b"
    r"|(?:la|el)\s+(?:empresa|compañía|compañia|firma|grupo|fabricante|marca|banco|gigante)\b"
    r"|(?:das|dem|des|der|die)\s+(?:Unternehmens?|Konzerns?|Firma|Herstellers?|Gruppe|Autobauers?|"
    r"Bank|Marke)\b"
    r"|(?:l['’]|la\s+|il\s+)(?:azienda|società|gruppo|compagnia|produttore|marchio|banca|colosso)\b"
    r"|(?:a|o)\s+(?:empresa|companhia|grupo|fabricante|marca|montadora|banco)\b)",
    re.IGNORECASE,
)


def extract_claims(article: Article) -> list[Claim]:
    """Every value stated in the article, as claims sorted by offset (deterministic)."""
    text = article.text
    lang = article.lang if article.lang in LANGS else "en"
    # a language the grammar does not know: its numbers, scales, currencies from CLDR
    locale = article.lang if lang != article.lang and article.lang not in ("", "und") else None
    after_number = locale_words(locale) if locale else None
    low = text.lower()
    ref: date | None = article.published
    year_only = False
    # the article's time words (all the time functions ask about); a sentence's time words are
    # among them, since sentences break at non-word characters
    vocab = time_words(low)
    if ref is None:
        ref = infer_reference(text, low, vocab)
        if ref is None and locale:
            ref = locale_reference(text, locale)
        year_only = True
    cues = _cues(text, low, vocab, article.lang if article.lang not in ("", "und") else lang, locale)
    subject = _Subjects(text, lang)
    claims: list[Claim] = []
    # A sentence without a digit and without a month or year word states no value and no
    # time; most sentences are such, and skipping them is most of the extraction speed.
    # The next digit and the next cue at or after a sentence's start, kept while the sentences
    # before them are skipped: one search per digit-bearing stretch, not one per sentence.
    next_digit = -1
    n_cues = len(cues)
    ci = 0
    for s0, s1 in sentences(text):
        if next_digit < s0:
            dm = _DIGIT.search(text, s0)
            next_digit = dm.start() if dm is not None else len(text)
        while ci < n_cues and cues[ci] < s0:
            ci += 1
        if next_digit >= s1 and (ci == n_cues or cues[ci] >= s1):
            continue
        quoted = text[s0:s1]
        # every script's digits read as ASCII ones, character for character: the offsets are
        # the text's, and so are the sentences and surfaces the claims quote
        sent = ascii_digits(quoted)
        times = find_times(sent, ref, year_only, vocab)
        if locale:
            times = bare_years(sent, locale_times(sent, times, locale, ref), after_number)
        times = [t for t in times if not _is_year_of_count(sent, t, lang)]
        blocked = [(t.start, t.end) for t in times] + clock_spans(sent)
        values = _values(sent, lang, blocked, locale)
        limit = max([t.start for t in times] + [v.start for v in values], default=0)
        for t in times:
            claims.append(
                Claim(
                    article_id=article.id,
                    kind=ValueKind.TIME,
                    value=None,
                    unit="",
                    predicate=_time_predicate(sent, t),
                    sentence=_quote(quoted, t.start, t.end),
                    start=s0 + t.start,
                    end=s0 + t.end,
                    surface=quoted[t.start : t.end],
                    lang=article.lang,
                    subject=subject(sent, t.start, limit),
                    period=t.label,
                )
            )
        for v in values:
            pred, value = _value_predicate(sent, v)
            if not _finite(value) or not _finite(v.value_high):
                continue  # "1e400", a thousand digits: no figure anyone can compare
            period = _period_of(sent, v, times)
            if pred == "count":
                out = lx.near(lx.OUTPUT, sent, v.start, v.end)
                pred = "output" if period and out is not None and out <= 80 else "amount"
            claims.append(
                Claim(
                    article_id=article.id,
                    kind=v.kind,
                    value=value,
                    unit="employee" if pred == "employees" else v.unit,
                    predicate=pred,
                    sentence=_quote(quoted, v.start, v.end),
                    start=s0 + v.start,
                    end=s0 + v.end,
                    surface=quoted[v.start : v.end],
                    lang=article.lang,
                    subject=subject(sent, v.start, limit),
                    bound=v.bound,
                    value_high=v.value_high,
                    period=period,
                    per=v.per,
                )
            )
    claims.sort(key=lambda c: (c.start, c.end, c.predicate))
    return claims


def _cues(text: str, low: str, vocab: set[str], spelled_lang: str, locale: str | None) -> list[int]:
    """Where a sentence without a digit may still state a value or a time: the time words, the
    numbers written in words ("four people"), the locale's month names and "last year"."""
    cues = time_cues(text, low, vocab)
    spelled = word_number_regex(spelled_lang)
    if spelled is not None:
        more_cues = [m.start() for m in spelled.finditer(text)]
        if more_cues:
            cues = sorted(cues + more_cues)
    if locale:
        either = locale_dates(locale)[2]
        more = [m.start() for m in either.finditer(text)] if either is not None else []
        if more:
            cues = sorted(cues + more)
    return cues


class _Subjects:
    """Who a value or time of the article is about: the name before it in its sentence, or,
    where the sentence says "the company" or "it", the organisation named most recently."""

    def __init__(self, text: str, lang: str) -> None:
        self.text, self.lang = text, lang
        self.known = MidsentenceNames(text)
        self.nouns: set[str] | GermanNouns | None = None
        self.last: str | None = None
        self.tokens: dict[str, list[_Tok]] = {}
        self.anaphors: dict[str, bool] = {}

    def __call__(self, sent: str, upto: int, limit: int) -> str | None:
        """`limit`: the start of the sentence's last value; no name after it is ever asked for."""
        if self.nouns is None:  # only articles that state a value pay for the noun scan
            self.nouns = GermanNouns(self.text) if self.lang == "de" else set()
        toks = self.tokens.get(sent)
        if toks is None:
            toks = self.tokens[sent] = name_tokens(sent, self.known, self.nouns, self.lang, limit)
        found = subject_before(toks, sent, upto)
        if found is not None:
            self.last = found
        elif self.last is not None:
            # every value of a sentence may ask: the anaphor search runs once per sentence
            ana = self.anaphors.get(sent)
            if ana is None:
                ana = self.anaphors[sent] = _ANAPHOR.search(sent) is not None
            if ana:
                found = self.last
        return found


def _period_of(sent: str, v: Value, times: list[TimeSpan]) -> str | None:
    """The period a figure is of: the nearest dated time ("in 2021", "au premier semestre") of
    its clause, or of a short lead clause of the sentence ("In 2021, sales rose 5%")."""
    c0, c1 = clause_of(sent, v.start, v.end)
    in_clause = [
        t
        for t in times
        if not t.relative
        and t.start >= c0
        and t.end <= c1
        and _PERIOD_PREP.search(sent[max(0, t.start - 20) : t.start])
    ]
    if not in_clause and c0 > 0:
        lead = sent[: clause_of(sent, 0, 1)[1]]
        if len(lead.split()) <= 4:
            in_clause = [
                t
                for t in times
                if not t.relative
                and t.end <= len(lead)
                and _PERIOD_PREP.search(sent[max(0, t.start - 20) : t.start])
            ]
    if not in_clause:
        return None
    return min(in_clause, key=lambda t: min(abs(t.start - v.end), abs(v.start - t.end))).label


# the most of its sentence a claim keeps: a "sentence" of a page without full stops can be a
# megabyte, and every figure in it would store all of it
MAX_QUOTE = 600


def _quote(sentence: str, start: int, end: int) -> str:
    """The claim's sentence, or the window of it around the claim when the sentence is long."""
    if len(sentence) <= MAX_QUOTE:
        return sentence
    room = max(0, MAX_QUOTE - (end - start)) // 2
    lo = max(0, start - room)
    hi = min(len(sentence), end + room)
    return sentence[lo:hi]


def _finite(x: float | None) -> bool:
    return x is None or math.isfinite(x)
