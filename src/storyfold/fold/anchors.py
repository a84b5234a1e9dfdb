"""Language-neutral anchors: what survives translation unchanged, in order.

A translator rewrites every word but keeps the numbers, the names, the dates and the order
of the facts. "10 billion" and "10 milliards", "1.5" and "1,5", "300,000" and "300 000" all
reduce to the same digit string; month names in any supported language become one month
token (in any script: CLDR's month names); names are accent-folded and Cyrillic is
transliterated, so "Путин" and "Putin" meet.

`anchors` gives the readable anchors; `anchor_keys` the coarser keys the translation matcher
compares (names cut to a phonetic 4-letter prefix, because translators and inflection change
a name's ending far more often than its start: Obamy/Obamovi, Moskau/Moscow, Барак/Barack).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from storyfold.textnorm import (
    ascii_digits,
    char_ranges,
    mark_class,
    no_space_class,
    no_space_rx,
    spaced_word_class,
)

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієґ"
_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia i e g"
_CYR = dict(zip(_CYRILLIC, _LATIN.split(), strict=True))
_CYR["ъ"] = _CYR["ь"] = ""

# A number: digits (of any script) with inner . , ' separators (and the Arabic ٫ ٬), then thousands groups after a space
# ("300 000"); a space-separated group must have exactly three digits, so "2008 10" stays two.
_NUMBER = r"\d+(?:[.,'’\u066b\u066c]\d+)*(?:[\u00a0\u202f\u2009 ]\d{3}(?!\d))*"
# The tokens, as a number, a run of a script written without spaces (Han, kana, Thai ...: it
# never runs into a number, "超过820,000人" holds 820,000) or a word. `anchor_spans` walks them
# with `_scanner`, which finds the same tokens but stops only at those that can be anchors.


@cache
def _token() -> re.Pattern[str]:
    return re.compile(rf"{_NUMBER}|[{no_space_class()}]+|[^\W\d_]{_word_chars()}*")


# "11.00" and "11,00" are an hour (or a round amount): the "00" is dropped so they meet "11 Uhr";
# "5 p.m." / "5:00 pm" meet "17 h" and "17.00".
_ROUND = re.compile(r"(\d{1,2})[.,]00")
_PM = re.compile(r"(?:[:.]00)?\s?(?:p\.\s?m\.|pm\b)", re.IGNORECASE)
# a capitalised word after one of these (and blanks) starts a sentence, or a quote
_SENT_PUNCT = frozenset('.!?:;«»"“”„()[]–—-')
_NOT_DIGIT = re.compile(r"\D")

# Month names (lower-cased, accent-folded stems) of the scripts that fold to ASCII, with the
# stems their inflections share; `_add_cldr_calendar_names` adds CLDR's names in every other script. A
# month is written as a word in every language, so "29 November"/"29 novembre"/"29 ноября"
# would otherwise share only the "29".
_MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    [
        "january januar janvier enero gennaio januari leden ledna ledne styczen styczna janeiro "
        "ianvar ianvaria ianvare",
        "february februar fevrier febrero febbraio februari unor unora unoru luty lutego fevereiro "
        "fevral fevralia fevrale",
        "march marz mars marzo maart marcius brezen brezna breznu marzec marca marco mart marta marte",
        "april avril abril aprile aprilis duben dubna dubnu kwiecien kwietnia aprel aprelia aprele",
        "may mai mayo maggio mei majus kveten kvetna kvetnu maj maja maio maia mae",
        "june juni juin junio giugno junius cerven cervna cervnu czerwiec czerwca junho iiun iiunia iiune",
        "july juli juillet julio luglio julius cervenec cervence lipiec lipca julho iiul iiulia iiule",
        "august aout agosto augustus augusztus srpen srpna srpnu sierpien sierpnia avgust avgusta avguste",
        "september septembre septiembre settembre szeptember zari wrzesien wrzesnia setembro "
        "sentiabr sentiabria sentiabre",
        "october oktober octobre octubre ottobre rijen rijna rijnu pazdziernik pazdziernika outubro "
        "oktiabr oktiabria oktiabre",
        "november novembre noviembre listopad listopadu novembro noiabr noiabria noiabre",
        "december dezember decembre diciembre dicembre prosinec prosince grudzien grudnia dezembro "
        "dekabr dekabria dekabre",
    ],
    start=1,
):
    for _w in _names.split():
        _MONTHS.setdefault(_w, _n)
# month words that are also common words or first names count only beside a number
_AMBIGUOUS_MONTHS = {
    "may",
    "mai",
    "mars",
    "maj",
    "maja",
    "march",
    "marta",
    "marco",
    "mae",
    "maio",
    "maia",
    "august",
}

# Capitalised words that are grammar, not names: weekdays, pronouns of polite address,
# articles that start place names in one language only ("The Hague" / "Den Haag").
_NOT_NAMES_TEXT = (
    "monday tuesday wednesday thursday friday saturday sunday "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend "
    "sie ihr ihre ihren ihrem ihrer ihnen du dich dir dein i the a an der die das den dem des "
    "el la los las le les il lo gli un une una uno mr mrs ms dr st herr frau"
)
_NOT_NAMES = set(_NOT_NAMES_TEXT.split())


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Accent-folded, transliterated, lower-cased form of a word (memoised: news repeats
    its words, and this runs on every token)."""
    w = word.casefold()
    if w.isascii():  # nothing to transliterate, decompose or strip (most words of most texts)
        return w
    if any("\u0400" <= c <= "\u04ff" for c in w):
        w = "".join(_CYR.get(c, c) for c in w)
    w = unicodedata.normalize("NFKD", w)
    return "".join(c for c in w if not unicodedata.combining(c)).replace("ß", "ss")


_PHONETIC = [
    ("dzh", "j"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("zh", "j"),
    ("kh", "h"),
    ("ck", "k"),
    ("ph", "f"),
    ("th", "t"),
    ("ts", "c"),
    ("tz", "c"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("c", "k"),
]


_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_REPEATS = re.compile(r"(.)\1+")
_AV = re.compile(r"^([ae])v")

# Names whose Russian form starts otherwise than in Latin-script languages, keyed as
# `name_key` would leave them: Россия, США, ЕС, МВФ, ООН, Великобритания, Китай.
_EXONYMS = {"rosi": "rusi", "sa": "us", "es": "eu", "mvf": "imf", "on": "un", "veli": "brit", "kita": "kina"}


@lru_cache(maxsize=1 << 16)
def name_key(name: str, length: int = 4) -> str:
    """A coarse phonetic prefix that transliterations and inflections of one name share.

    Applied alike to every language, so it only has to make variants meet, not be right:
    Clinton/Клинтон -> klin, Hillary/Хиллари -> hila, John/Джон -> ion, Syria/Сирия -> siri.
    """
    w = fold(name)
    for a, b in _PHONETIC:
        w = w.replace(a, b)
    w = w[:1] + w[1:].replace("h", "")
    w = _NOT_ALNUM.sub("", w)
    w = _REPEATS.sub(r"\1", w)
    w = _AV.sub(r"\1u", w)  # Avstraliia/Australia, Evropa/Europe
    w = _EXONYMS.get(w[:length], w)
    # a script the phonetic folding does not read (Greek, Armenian...) leaves nothing: the name
    # itself then is the key, so it still meets its own repetitions and never an empty key
    return w[:length] or "~" + name.casefold()[:length]


@lru_cache(maxsize=1 << 14)
def _number(tok: str) -> str | None:
    digits = ascii_digits(_NOT_DIGIT.sub("", tok))  # every script's digits: ৮২০ and ۸۲۰ are 820
    if not digits.strip("0"):
        return None
    digits = digits.lstrip("0") or "0"
    # 300,000 / 300 000 / 300.000 and 0.5 / 0,5 all compare; trailing zeros of big numbers
    # go because "1.5 billion" and "1 500 millions" then agree on "15".
    return "#" + (digits.rstrip("0") if len(digits) > 4 else digits)


def anchors(text: str, lang: str = "und") -> list[str]:
    """Numbers, months and mid-sentence capitalised names, in text order.

    Numbers come as "#" + digits, months as "@m" + month number, names as their folded
    form (see `anchor_spans`, which also gives where each starts).
    """
    return [a for a, _ in anchor_spans(text, lang)]


def anchor_spans(text: str, lang: str = "und") -> list[tuple[str, int]]:
    """Anchors with the character offset they start at, in text order.

    Numbers come as "#" + digits, months as "@m" + month number, names as their folded
    form. Sentence-initial words are left out: they are capitalised for grammar, not because
    they are names, and differ between languages. The rules are shared by all languages but
    one: Hungarian glues case endings to month names ("októberben", "májusi", "decemberében").
    """
    agglutinative = lang == "hu"
    classes = _CLASSES[agglutinative]
    if len(classes) > _MAX_CLASSES:  # a bounded memo: news repeats its words, not forever
        classes.clear()
    known = classes.get
    out: list[tuple[str, int]] = []
    for m in _scanner().finditer(text):
        tok = m[3]
        if tok is None:
            if (tok := m[2]) is not None and (num := _number_anchor(text, tok, m.end())) is not None:
                out.append((num, m.start(2)))
            continue
        c = known(tok)
        if c is None:
            c = classes[tok] = _classify(tok, agglutinative)
        if c is _SKIP:
            continue
        start = m.start(3)
        if c is _DIGIT:
            if (num := _number_anchor(text, tok, m.end())) is not None:
                out.append((num, start))
            continue
        month, ambiguous, parts = c
        if month is not None and (not ambiguous or _next_to_digit(text, start, m.end())):
            out.append((month, start))
        # one blank after the previous token: the commonest gap, and never a sentence start
        elif parts is not None and ((m[1] == " " and m.start(1)) or not _sentence_initial(m)):
            for w in parts:
                out.append((w, start))
    return out


def _number_anchor(text: str, tok: str, end: int) -> str | None:
    """The anchor of a token that starts with a digit and ends at `end`, or None ("0", "00")."""
    if 3 < len(tok) < 6 and (r := _ROUND.fullmatch(tok)) is not None:
        tok = r.group(1)
    # isdecimal: "³" and "①" are digits to str.isdigit but not to int()
    if len(tok) <= 2 and tok.isdecimal() and 0 < int(tok) < 12 and _PM.match(text, end):
        tok = str(int(tok) + 12)
    return _number(tok)


def _sentence_initial(m: re.Match[str]) -> bool:
    """Whether the word `m` stopped at starts a sentence, judged on the gap since the previous
    token (group 1): the text's first token, or one whose gap holds a line break or ends in
    sentence punctuation and blanks."""
    if m.start(1) == 0:
        return True
    gap = m[1]
    return "\n" in gap or gap.rstrip()[-1:] in _SENT_PUNCT


# What a word token is, whatever its place: the word-level half of `anchor_spans`, memoised
# per distinct token (most tokens are lower-case words looked up again and again). A class is
# (month anchor or None, whether the month word is ambiguous, name anchors or None if the
# token cannot be a name); _SKIP for a token that is neither; _DIGIT for a word that starts
# with a digit other than 0-9 ("²", "①"), which reads as a number.
_SKIP: tuple[Any, ...] = ()
_DIGIT: tuple[Any, ...] = (None,)
_CLASSES: dict[bool, dict[str, tuple[Any, ...]]] = {False: {}, True: {}}
_MAX_CLASSES = 1 << 18


def _classify(tok: str, agglutinative: bool) -> tuple[Any, ...]:
    if tok[0].isdigit():
        return _DIGIT
    if not tok[0].isupper() and fold(tok[:2])[:2] not in _MONTH_HEADS:
        return _SKIP  # a lower-case word is an anchor only if it is a month: most are not
    word = fold(tok.rstrip("'’").removesuffix("'s").removesuffix("’s"))
    month = _MONTHS.get(word)
    if month is None and agglutinative and len(word) > 5:
        month = _hungarian_month(word)
    # (a capitalised word only as the name itself: "Mondale" is a name, not a Monday)
    day = None if month is not None else _DAYS.get(word) if tok[0].isupper() else _weekday(word)
    parts = None
    if tok[0].isupper() and len(tok) > 1 and (tok.isupper() or word not in _NOT_NAMES):
        # "Нью-Йорк" / "New York", "Rio-de-Janeiro" / "Rio de Janeiro": one anchor per part
        pairs = zip(word.split("-"), tok.split("-"), strict=False)
        parts = tuple(w for w, part in pairs if part[:1].isupper())
    if month is None and day is None and parts is None:
        return _SKIP
    if day is not None:
        return (f"@d{day}", False, parts)
    return (None if month is None else f"@m{month}", word in _AMBIGUOUS_MONTHS, parts)


_MONTH_HEADS = {w[:2] for w in _MONTHS}
_HU_MONTHS = {w: n for w, n in _MONTHS.items() if len(w) >= 5}


def _hungarian_month(word: str) -> int | None:
    """'szeptemberben' -> 9: a month name followed by up to 7 letters of case endings."""
    for cut in range(len(word) - 1, max(4, len(word) - 8), -1):
        if (month := _HU_MONTHS.get(word[:cut])) is not None:
            return month
    return None


def _next_to_digit(text: str, start: int, end: int) -> bool:
    """'May 5' or '5 mai': a month word that is also a name or a verb counts only beside a date."""
    return bool(
        _DIGIT_BEFORE.search(text[max(0, start - 4) : start]) or _DIGIT_AFTER.match(text, end, end + 4)
    )


_DIGIT_BEFORE = re.compile(r"\d\.?\s*$")
_DIGIT_AFTER = re.compile(r"\s*\d")


# ----------------------------------------------------------------------------- the scanner
# Most tokens of a text are lower-case words that can never be anchors. `_scanner` steps over
# them inside the regex engine and stops only at a token that may be one: a number, a word
# starting with a capital or a digit, or a word whose start may fold to a month name. It
# walks the text exactly as _TOKEN.finditer does (one token after the other, the same
# boundaries), so the gap before a stopped-at word is the gap since the previous token,
# skipped or not. Skipping is a shortcut only: `_classify` still decides every token the
# scanner stops at, so the scanner may stop too often but must never skip an anchor.

# [\w'’-] and [\W_] (a token's characters, and the gaps between tokens) with the ASCII ones
# spelled out: the engine then finds most characters in a bitmap before asking Unicode
_WORD_CHARS = r"[a-zA-Z0-9\w'’-]"


@cache
def _word_chars() -> str:
    """The characters a word continues with: `_WORD_CHARS` but those of the scripts written
    without spaces, whose runs are tokens of their own, and the marks a letter carries (an
    Indic vowel sign or virama: "अक्तूबर" is one word)."""
    return f"[a-zA-Z0-9'’\\-{spaced_word_class()}{mark_class()}]"


_GAP_CHARS = r"[\x00-/:-@\[-`{-\x7f\W]"
# ASCII characters whose fold is themselves, lower-cased (of these, month names hold letters only)
_ASCII_SAME = r"[a-zA-Z0-9_'’-]"


def _add_cldr_calendar_names() -> None:
    """The month names CLDR gives in scripts the table above does not fold to ASCII (Greek,
    Arabic, Devanagari, Ethiopic, Burmese...), into `_MONTHS`: a month is an anchor in every
    script that writes it as a word. Names in a script written without spaces are left out
    (they are inside a run, never a word of their own).

    And the weekdays, into `_DAYS`: "on Friday", "el viernes", "يوم الجمعة", "την Παρασκευή"
    are one anchor, which a short story needs (a weekday is often one of its few facts) and
    a caseless script's version most (its names are no anchors). The names that fold to ASCII
    only from six letters on: shorter ones are other words too (Frisian "freed", "lun")."""
    from storyfold.claims.cldr import all_month_names, all_weekday_names

    no_space = no_space_rx()
    for name, number in all_month_names().items():
        word = fold(name)
        if not word.isascii() and not no_space.search(word) and len(word) >= 2:
            _MONTHS.setdefault(word, number)
            _MONTH_HEADS.add(word[:2])
    for name, number in all_weekday_names().items():
        word = fold(name)
        if no_space.search(word) or len(word) < (6 if word.isascii() else 2) or word in _MONTHS:
            continue
        _DAYS.setdefault(word, number)
        _MONTH_HEADS.add(word[:2])
        if len(word) >= 6:
            _DAY_STEMS.setdefault(word[:-1], number)


_DAYS: dict[str, int] = {}  # a weekday's folded name -> 0 (Monday) ... 6 (Sunday)
_DAY_STEMS: dict[str, int] = {}  # a long name but its last letter -> its day


def _weekday(word: str) -> int | None:
    """The weekday a word names, in the case forms that change a long name's last letters
    ("в пятницу" of "пятница", "pénteken" of "péntek"): the name, or its stem and up to two
    letters (three, in a word of seven or more)."""
    day = _DAYS.get(word)
    if day is None and len(word) >= 6:
        day = _DAY_STEMS.get(word[:-1]) or _DAY_STEMS.get(word[:-2])
        if day is None and len(word) >= 7:
            day = _DAY_STEMS.get(word[:-3])
    return day


@cache
def _scanner() -> re.Pattern[str]:
    """The token walk, built on first use (a one-off character survey of about 0.1 s): group 1
    the gap before the token it stops at, group 2 a number, group 3 a word (neither at the end).

    Possessive loops: the walk never backtracks, so it stays linear on any text."""
    _add_cldr_calendar_names()
    safe, pairs = _word_starts()
    skip = "|".join([_ascii_skip(), f"[{safe}]", *pairs])
    g, w, ns = _GAP_CHARS, _word_chars(), no_space_class()
    return re.compile(rf"(?:{g}*+(?:(?:{skip}){w}*+|[{ns}]++))*+({g}*+)(?:({_NUMBER})|([^\W\d_]{w}*+))?")


def _ascii_skip() -> str:
    """A word starting with a lower-case ASCII letter whose first three characters (all, if
    fewer) are ASCII letters, digits or _'’- and, lower-cased, start no month name. Those fold
    to themselves, so the word cannot fold to a month (nor a Hungarian month form); this is
    how most words of Latin-script texts are skipped, one alternative per letter so that the
    engine tries only the month beginnings of the word's own first letter."""
    rests: dict[str, set[str]] = {}
    for w in [*_MONTHS, *_DAYS]:
        if w.isascii():  # (the others never fold from an ASCII start)
            rests.setdefault(w[0], set()).add(w[1:3])
    letters = "|".join(
        f"{a}(?!" + "|".join(f"[{bc[0]}{bc[0].upper()}][{bc[1]}{bc[1].upper()}]" for bc in sorted(rest)) + ")"
        for a, rest in sorted(rests.items())
    )
    same = _ASCII_SAME
    return rf"(?:{letters})(?:{same}{{2}}|{same}?+(?!{_word_chars()}))"


def _word_starts() -> tuple[str, list[str]]:
    """What the first one or two characters of a word say, for the words `_classify` drops on
    its first test (lower-case, and the fold of the first two characters starts no month).

    Returns a character class of first characters that settle it alone (their fold is one
    letter no month starts with, or two letters no month starts with), and one pattern per
    letter x that starts a month: a first character folding to x, not followed by one whose
    fold starts with a letter that can follow x in a month. `fold` works character by
    character, so the fold of two characters is the two folds joined. Characters beyond the
    BMP are left to `_classify` (never a safe start, always a possible second character)."""
    heads = _MONTH_HEADS
    no_space = re.compile(f"[{no_space_class()}]")
    seconds: dict[str, set[str]] = {}
    for h in heads:
        seconds.setdefault(h[0], set()).add(h[1])
    by_letter: dict[str, list[str]] = {y: [] for ys in seconds.values() for y in ys}
    firsts: dict[str, list[str]] = {x: [] for x in seconds}
    safe: list[str] = []
    for c, f in zip(*_bmp_folds(), strict=True):
        x = f[:1]
        if x in by_letter:
            by_letter[x].append(c)
        if not x or (x in seconds and len(f) > 1 and f[:2] in heads):
            continue  # whether it can start a month depends on more than its first character
        if c in "_'’-" or c.isupper() or c.isdigit() or no_space.match(c):
            continue  # not a word start, a number, a capitalised word, or a run of its own
        (firsts[x] if x in seconds and len(f) == 1 else safe).append(c)
    pairs = []
    for x, cs in sorted(firsts.items()):
        if not cs:  # no character folds to x alone: no word starts so
            continue
        follows = [c for y in sorted(seconds[x]) for c in by_letter[y]]
        pairs.append(f"[{char_ranges(cs)}](?![{char_ranges(follows)}\U00010000-\U0010ffff])")
    return char_ranges(safe), pairs


def _bmp_folds() -> tuple[list[str], list[str]]:
    """Every BMP character a token can hold (a mark too), and its `fold`, worked out in bulk: the same steps
    on all of them joined by NULs (each step maps characters one by one, and NUL to itself)."""
    chars = re.findall(f"{_WORD_CHARS}|[{mark_class()}]", "".join(map(chr, range(0x10000))))
    w = "\0".join(chars).casefold()
    w = _CYRILLIC_CHAR.sub(lambda m: _CYR[m[0]], w)
    w = unicodedata.normalize("NFKD", w)
    if marks := [c for c in set(w) if unicodedata.combining(c)]:
        w = re.sub(f"[{char_ranges(marks)}]", "", w)
    return chars, w.replace("ß", "ss").split("\0")


_CYRILLIC_CHAR = re.compile(f"[{_CYRILLIC}]")


def anchor_keys(anchor_list: list[str]) -> list[str]:
    """The keys translations are compared on: numbers and months as they are, names by
    `name_key`."""
    return [a if a[0] in "#@" else name_key(a) for a in anchor_list]
