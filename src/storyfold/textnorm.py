"""Script- and accent-neutral forms of names, shared by the stages that compare across languages.

Kept outside the stage packages so that fold and cluster can both use it without importing
each other.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache

# Russian GOST-like romanisation, simplified: what newspapers print ("Путин" -> "putin").
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def lower_key(text: str) -> str:
    """Text matched case-blind, lower-cased as the word it matched is written: "İ" (Turkish's
    capital of "i") matches "i", but lower-cases to two characters, "i" and a dot above."""
    return text.replace("\u0130", "i").lower()


def fold_name(word: str) -> str:
    """Lower-cased, accent-stripped, Latin-script form: 'Müller'->'muller', 'Москва'->'moskva'."""
    w = unicodedata.normalize("NFKD", word.casefold())
    w = "".join(c for c in w if not unicodedata.combining(c))
    if any("\u0400" <= c <= "\u04ff" for c in w):
        w = "".join(_CYRILLIC.get(c, c) for c in w).replace("_", "")
    return w


# ----------------------------------------------------------------------------- scripts and digits
# What every stage needs to know of writing systems, taken from the Unicode Character Database
# (through the `regex` module's script and property tables and `unicodedata`), never from lists
# of languages: a script added to Unicode needs nothing here.

# Scripts written without spaces between words: a run of them is not a word that can hold a
# number ("超过820,000人", "至5.2%"), and their sentences end without a following space.
_NO_SPACE_SCRIPTS = (
    "Han",
    "Hiragana",
    "Katakana",
    "Thai",
    "Lao",
    "Khmer",
    "Myanmar",
    "Tibetan",
    "Bopomofo",
    "Yi",
)


@cache
def all_chars() -> str:
    """Every code point, once: what character classes are computed from."""
    from array import array

    return (
        array("I", range(0x110000))
        .tobytes()
        .decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be", "surrogatepass")
    )


def _class_of(pattern: str) -> str:
    """A character class body (ranges) of the Basic Multilingual Plane characters matching
    `pattern` (a `regex` class). The BMP only: a class within it is tested in one step by the
    `re` engine (a bitmap), one reaching beyond it range by range, several times slower on every
    character of every text; beyond it are historic scripts and rare ideographs."""
    import regex

    return char_ranges("".join(regex.findall(pattern, all_chars()[:0x10000])), 0xFFFF)


def char_ranges(chars: Iterable[str], max_point: int = 0x10FFFF) -> str:
    """A character class body for a set of characters, as runs of consecutive code points (those
    up to `max_point`), escaped where a class would read a character as syntax."""
    points = sorted({ord(c) for c in chars if not 0xD800 <= ord(c) <= 0xDFFF and ord(c) <= max_point})
    out = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        first, last = _escape(points[i]), _escape(points[j])
        out.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "".join(out)


def _escape(point: int) -> str:
    """One character, escaped if a class would read it as syntax (or, doubled, as a set
    operation, which `re` warns about)."""
    c = chr(point)
    return "\\" + c if c in "\\]^-[&~|" else c


def no_space_property() -> str:
    """The scripts written without spaces as a `regex`-module class of Unicode properties: for
    patterns compiled per language, where `no_space_class` (thousands of code points) would cost
    more to compile than the pattern is used."""
    return "[" + "".join(rf"\p{{Script={s}}}" for s in _NO_SPACE_SCRIPTS) + "]"


@cache
def no_space_class() -> str:
    """Class body of the characters of scripts written without spaces between words."""
    scripts = "".join(rf"\p{{Script={s}}}" for s in _NO_SPACE_SCRIPTS)
    return _class_of(rf"(?V1)[[{scripts}]--\p{{Nd}}]")  # their digits are digits


@cache
def no_space_rx() -> re.Pattern[str]:
    """A character of a script written without spaces (`no_space_class`)."""
    return re.compile(f"[{no_space_class()}]")


@cache
def han_kana_rx() -> re.Pattern[str]:
    """A Han, Hiragana or Katakana character: scripts without spaces where one character may
    be a word ("人", "円") and names put the country first ("米ドル", "加拿大元")."""
    han_kana = _class_of(r"[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]")
    return re.compile(f"[{han_kana}]")


def icu_words(text: str) -> list[str]:
    """The words of a run of a script written without spaces, at ICU's word boundaries."""
    from icu4py.breakers import WordBreaker

    return [w for w in WordBreaker(text, "") if not w.isspace()]


@cache
def right_to_left_letter_class() -> str:
    """Class body of the letters of scripts written right to left (Unicode Bidi_Class R and AL:
    Hebrew, Arabic, Syriac, Thaana...), whose one-letter words ("و" and, "ב" in) are written
    against the word after them, a number too ("و20", "ב2017")."""
    return _class_of(r"(?V1)[\p{L}&&[\p{Bidi_Class=R}\p{Bidi_Class=AL}]]")


@cache
def prefix_letter_class() -> str:
    """Class body of the letters that are words of one letter written against the next word, a
    number too: those of scripts written right to left ("و20", "ב2017") and Ethiopic's
    syllables (Amharic and Tigrinya "በ2016", in 2016; "ከ1994", since 1994; "የ37", of 37)."""
    return right_to_left_letter_class() + _class_of(r"(?V1)[\p{L}&&\p{Script=Ethiopic}]")


@cache
def mark_class() -> str:
    """Class body of the combining marks (Unicode category M): the vowel signs of Indic scripts
    and other marks a word's letters carry, which the `re` word class does not match."""
    return _class_of(r"\p{M}")


@cache
def spaced_word_class() -> str:
    """Class body of the word characters (`re`'s \\w) but those of the scripts written without
    spaces: what a word glued to a number is made of when "at 5%" must not read "至5%" as a word."""
    word = "".join(re.findall(r"\w", all_chars()[:0x10000]))
    return char_ranges(re.sub(f"[{no_space_class()}]+", "", word)) + "\U00010000-\U0010ffff"


@cache
def sentence_end_class() -> str:
    """Class body of every script's sentence-ending punctuation (Unicode Sentence_Terminal:
    . ! ? 。 ！ ？ । ॥ ။ ። ؟ ۔ ...)."""
    return _class_of(r"\p{Sentence_Terminal}")


@cache
def _digit_table() -> dict[int, str]:
    # `re`'s \d is Unicode's Nd (decimal digits), every script's
    table = {ord(c): str(unicodedata.decimal(c)) for c in re.findall(r"\d", all_chars()) if not c.isascii()}
    # the Arabic script's own separators and percent sign (Unicode names them so)
    table.update({0x066B: ".", 0x066C: ",", 0x066A: "%", 0xFF05: "%"})
    return table


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of every script (Bengali ৮২০, Persian ۸۲۰, Devanagari,
    Thai, full-width ...) as its ASCII digit, and the Arabic decimal and thousands separators and
    percent sign as . , %: character for character, so offsets into `text` stay valid."""
    if text.isascii() or not _native_digit().search(text):
        return text
    return text.translate(_digit_table())


@cache
def _native_digit() -> re.Pattern[str]:
    return re.compile(f"[{char_ranges(''.join(map(chr, _digit_table())))}]")


@cache
def _no_space_run() -> re.Pattern[str]:
    return re.compile(f"[{no_space_class()}]+")


def segment(text: str) -> str:
    """`text` with each run of a script written without spaces split into words at ICU's word
    boundaries (dictionary-based for Chinese, Japanese, Thai, Lao, Khmer, Burmese), the words
    set apart by spaces: what the stages that count words (shingles, cluster terms, cleaning)
    read, so "中国有超过820,000人" is 中国 / 有 / 超过 / 820,000 / 人 and not one word. Offsets
    change: for counting, never for quoting."""
    if text.isascii():
        return text
    rx = _no_space_run()
    if rx.search(text) is None:
        return text
    return rx.sub(lambda m: " " + " ".join(icu_words(m.group(0))) + " ", text)
