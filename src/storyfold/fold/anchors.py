"""Language-neutral anchors: what survives translation unchanged, in order.

A translator rewrites every word but keeps the numbers, the names, the dates and the order
of the facts. "10 billion" and "10 milliards", "1.5" and "1,5", "300,000" and "300 000" all
reduce to the same digit string; month names in any supported language become one month
token; names are accent-folded and Cyrillic is transliterated, so "Путин" and "Putin" meet.

`anchors` gives the readable anchors; `anchor_keys` the coarser keys the translation matcher
compares (names cut to a phonetic 4-letter prefix, because translators and inflection change
a name's ending far more often than its start: Obamy/Obamovi, Moskau/Moscow, Барак/Barack).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієґ"
_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia i e g"
_CYR = dict(zip(_CYRILLIC, _LATIN.split(), strict=True))
_CYR["ъ"] = _CYR["ь"] = ""

# A number: digits with inner . , ' separators, then thousands groups after a space
# ("300 000"); a space-separated group must have exactly three digits, so "2008 10" stays two.
_NUMBER = r"\d+(?:[.,'’]\d+)*(?:[\u00a0\u202f\u2009 ]\d{3}(?!\d))*"
_TOKEN = re.compile(rf"{_NUMBER}|[^\W\d_][\w'’-]*", re.UNICODE)
# "11.00" and "11,00" are an hour (or a round amount): the "00" is dropped so they meet "11 Uhr";
# "5 p.m." / "5:00 pm" meet "17 h" and "17.00".
_ROUND = re.compile(r"(\d{1,2})[.,]00")
_PM = re.compile(r"(?:[:.]00)?\s?(?:p\.\s?m\.|pm\b)", re.IGNORECASE)
_SENT_END = re.compile(r"[.!?:;«»\"“”„()\[\]–—-]\s*$")

# Month names (lower-cased, accent-folded stems) in the languages the project meets. A month
# is written as a word in every language, so "29 November"/"29 novembre"/"29 ноября" would
# otherwise share only the "29".
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
    w = re.sub(r"[^a-z0-9]", "", w)
    w = re.sub(r"(.)\1+", r"\1", w)
    w = re.sub(r"^([ae])v", r"\1u", w)  # Avstraliia/Australia, Evropa/Europe
    w = _EXONYMS.get(w[:length], w)
    # a script the phonetic folding does not read (Greek, Armenian...) leaves nothing: the name
    # itself then is the key, so it still meets its own repetitions and never an empty key
    return w[:length] or "~" + name.casefold()[:length]


def _number(tok: str) -> str | None:
    digits = re.sub(r"\D", "", tok)
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
    out: list[tuple[str, int]] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        gap_start, prev_end = prev_end, m.end()
        if tok[0].isdigit():
            if (r := _ROUND.fullmatch(tok)) is not None:
                tok = r.group(1)
            if len(tok) <= 2 and 0 < int(tok) < 12 and _PM.match(text, m.end()):
                tok = str(int(tok) + 12)
            if (num := _number(tok)) is not None:
                out.append((num, m.start()))
            continue
        c = classes.get(tok)
        if c is None:
            c = classes[tok] = _classify(tok, agglutinative)
        if c is _SKIP:
            continue
        month, ambiguous, parts = c
        if month is not None and (not ambiguous or _next_to_digit(text, m)):
            out.append((month, m.start()))
            continue
        if parts is not None:
            # only a capitalised word needs to know whether it starts a sentence
            gap = text[gap_start : m.start()]
            if gap_start == 0 or "\n" in gap or _SENT_END.search(gap):
                continue
            start = m.start()
            out.extend((w, start) for w in parts)
    return out


# What a word token is, whatever its place: the word-level half of `anchor_spans`, memoised
# per distinct token (most tokens are lower-case words looked up again and again). A class is
# (month anchor or None, whether the month word is ambiguous, name anchors or None if the
# token cannot be a name); _SKIP for a token that is neither.
_SKIP: tuple = ()
_CLASSES: dict[bool, dict[str, tuple]] = {False: {}, True: {}}
_MAX_CLASSES = 1 << 18


def _classify(tok: str, agglutinative: bool) -> tuple:
    if not tok[0].isupper() and fold(tok[:2])[:2] not in _MONTH_HEADS:
        return _SKIP  # a lower-case word is an anchor only if it is a month: most are not
    word = fold(tok.rstrip("'’").removesuffix("'s").removesuffix("’s"))
    month = _MONTHS.get(word)
    if month is None and agglutinative and len(word) > 5:
        month = _hungarian_month(word)
    parts = None
    if tok[0].isupper() and len(tok) > 1 and (tok.isupper() or word not in _NOT_NAMES):
        # "Нью-Йорк" / "New York", "Rio-de-Janeiro" / "Rio de Janeiro": one anchor per part
        pairs = zip(word.split("-"), tok.split("-"), strict=False)
        parts = tuple(w for w, part in pairs if part[:1].isupper())
    if month is None and parts is None:
        return _SKIP
    return (None if month is None else f"@m{month}", word in _AMBIGUOUS_MONTHS, parts)


_MONTH_HEADS = {w[:2] for w in _MONTHS}
_HU_MONTHS = {w: n for w, n in _MONTHS.items() if len(w) >= 5}


def _hungarian_month(word: str) -> int | None:
    """'szeptemberben' -> 9: a month name followed by up to 7 letters of case endings."""
    for cut in range(len(word) - 1, max(4, len(word) - 8), -1):
        if (month := _HU_MONTHS.get(word[:cut])) is not None:
            return month
    return None


def _next_to_digit(text: str, m: re.Match[str]) -> bool:
    """'May 5' or '5 mai': a month word that is also a name or a verb counts only beside a date."""
    before = text[max(0, m.start() - 4) : m.start()]
    after = text[m.end() : m.end() + 4]
    return bool(re.search(r"\d\.?\s*$", before) or re.match(r"\s*\d", after))


def anchor_keys(anchor_list: list[str]) -> list[str]:
    """The keys translations are compared on: numbers and months as they are, names by
    `name_key`."""
    return [a if a[0] in "#@" else name_key(a) for a in anchor_list]
