"""How a language writes numbers, scale words, currencies and percentages, from CLDR (babel).

The claim grammar (`extractor`, `numparse`) is written for en/fr/es/de/it/pt. In every other
language a value is still a number with a scale word after it ("3,2 млрд", "10亿", "5 लाख",
"2 करोड़"), a currency name ("美元", "долларов", "złotych") and a percent word ("процентов",
"प्रतिशत"); CLDR holds these for every locale, so no language needs a table of its own here:
- scale words from the locale's compact decimal formats (long and short): "0亿" at 100000000
  says 亿 is 10^8, "00 लाख" at 1000000 says लाख is 10^5;
- currency names (singular and plural forms, and their words) and symbols from the locale's
  currency data, for the currencies news reports most and the locale's own;
- percent words from the locale's unit data (`concentr-percent`);
- the decimal separator from the locale's number symbols;
- units of measure (names in every plural form, and symbols) from the locale's unit data,
  each mapped to one symbol, so "kilomètres", "Kilometer", "километров" and "km" meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any

from storyfold.claims.tables import table

# the currencies most news figures are in, and a locale's own (added per locale)
_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CNY", "INR", "RUB", "CHF")
_PLURAL_SAMPLES = (1, 2, 3, 5, 11, 21, 100, 1.5)


@cache
def _locale(lang: str) -> Any:  # babel.Locale, imported lazily
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _word(pattern: str) -> tuple[str, int] | None:
    """The word of a compact pattern ("00 лакх" -> ("лакх", 2)) with its count of zeros; None
    for a pattern whose word comes before the number or that has none."""
    pattern = pattern.split(";")[0].replace("'", "")
    m = re.fullmatch(r"\s*(0+)[\s\u00a0]*([^\d\s][^\d]*?)\s*", pattern)
    if not m:
        return None
    return m[2].strip().lower(), len(m[1])


def _word_before(pattern: str) -> tuple[str, int] | None:
    """`_word` of a pattern whose word comes before the number ("milioni 0" -> ("milioni", 1))."""
    pattern = pattern.split(";")[0].replace("'", "").replace("\u200f", "")
    m = re.fullmatch(r"\s*([^\d\s0][^\d]*?)[\s\u00a0]*(0+)\s*", pattern)
    if not m:
        return None
    return m[1].strip().lower(), len(m[2])


def _compact_scales(
    lang: str, lengths: tuple[str, ...], read: Callable[[str], tuple[str, int] | None]
) -> dict[str, float]:
    """Word -> multiplier of the locale's compact formats, each pattern read by `read`; a word
    that two scales share is not kept."""
    loc = _locale(lang)
    if loc is None:
        return {}
    out: dict[str, float] = {}
    for length in lengths:
        for pats in loc.compact_decimal_formats.get(length, {}).values():
            for magnitude, pat in pats.items():
                got = read(getattr(pat, "pattern", str(pat)))
                if got is None:
                    continue
                word, zeros = got
                value = float(int(magnitude) // 10 ** (zeros - 1))
                if value >= 1000 and out.get(word, value) == value:
                    out[word] = value
                elif out.get(word) not in (None, value):
                    out[word] = 0.0  # the same word for two scales: not used
    return out


@table
def scale_words(lang: str) -> dict[str, float]:
    """Scale word (lower case) -> its multiplier, for the locale of `lang` ({} if CLDR has none)."""
    if _locale(lang) is None:
        return {}
    out = _compact_scales(lang, ("long", "short"), _word)
    for word, value in _spelled_scales(lang).items():
        out.setdefault(word, value)
    return {w: v for w, v in out.items() if v}


@table
def scale_words_before(lang: str) -> dict[str, float]:
    """Scale words the locale writes before the number (CLDR's compact formats: Swahili
    "milioni 0", Hausa "Miliyan 0", Sinhala "මිලියන 0") -> their multipliers."""
    return {w: v for w, v in _compact_scales(lang, ("long",), _word_before).items() if v}


def _spelled_scales(lang: str) -> dict[str, float]:
    """Scale words of the locale's spelled-out numbers (CLDR's rule-based formats, through
    ICU), where its compact formats abbreviate them (Hebrew's "K", "M" for "מיליון"): the one
    word that "one million", "two million" and "five million" share, written after the number."""
    from storyfold.claims.numwords import has_own_spellout

    if not has_own_spellout(lang):
        return {}  # ICU would spell it in English
    try:
        from icu4py.messageformat import MessageFormat

        fmt = MessageFormat("{n, spellout}", lang)
        out: dict[str, float] = {}
        for zeros in (6, 9, 12):
            spelled = [fmt.format({"n": m * 10**zeros}).split() for m in (1, 2, 5)]
            shared = set(spelled[0]).intersection(*spelled[1:])
            if len(shared) == 1 and all(len(words) >= 2 for words in spelled[1:]):
                word = shared.pop()
                if all(words[-1] == word for words in spelled[1:]):  # after the number
                    out[word.lower()] = float(10**zeros)
        return out
    except Exception:  # noqa: BLE001 - no ICU, or no rules for the locale
        return {}


def _own_currency(loc: Any) -> str | None:
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    territory = loc.territory
    if territory is None:
        likely = get_global("likely_subtags").get(loc.language, "")
        territory = likely.split("_")[-1] if "_" in likely else None
    if not territory:
        return None
    try:
        got = get_territory_currencies(territory)
    except Exception:  # noqa: BLE001 - an unknown territory: no own currency
        return None
    return got[0] if got else None


def _names_of(code: str, loc: Any) -> set[str]:
    """A currency's display name and its names in every plural form, in the locale: what
    `babel.numbers.get_currency_name` gives for a number of each plural category, read from
    the same data once per category rather than once per number."""
    display = loc.currencies.get(code, "")
    names = {display}
    plural = loc._data["currency_names_plural"].get(code)
    for form in _plural_forms(loc):
        if plural and form in plural:
            names.add(plural[form])
        elif plural and "other" in plural:
            names.add(plural["other"])
        else:
            names.add(loc.currencies.get(code, code))
    return names


@cache
def _plural_forms(loc: Any) -> tuple[str, ...]:
    """The plural categories of `_PLURAL_SAMPLES` in the locale, in their order."""
    forms: list[str] = []
    for n in _PLURAL_SAMPLES:
        try:
            form = loc.plural_form(n)
        except (OverflowError, ValueError):
            form = "other"
        if form not in forms:
            forms.append(form)
    return tuple(forms)


def _words(name: str) -> list[str]:
    """The words of a currency name, a hyphened one split too ("USA-dollár": "usa", "dollár")."""
    return [w for w in re.split(r"[\s\-‐]+", name.lower()) if w]


@table
def currency_words(lang: str) -> dict[str, str]:
    """Currency name or word (lower case) -> ISO code, for the locale of `lang`. A word two
    currencies share ("доллар" of the US and of Canada) goes to the first of `_CURRENCIES`."""
    loc = _locale(lang)
    if loc is None:
        return {}
    codes = list(_CURRENCIES)
    own = _own_currency(loc)
    if own and own not in codes:
        codes.append(own)
    out: dict[str, str] = {}
    for code in codes:
        names = _names_of(code, loc)
        sharing = _sharing(lang)
        words = {w for name in names for w in _words(name)}
        # the word several currencies share is the noun ("доллар" of "доллар США" and
        # "канадский доллар", "डॉलर" of "यूएस डॉलर"); the others say whose it is ("США")
        heads = {w for w in words if len(sharing.get(w, ())) >= 2 and len(w) >= (4 if w.isascii() else 2)}
        # a name written without spaces ends with the shared noun ("米ドル" with "カナダ ドル"'s "ドル")
        # or, in Thai, Lao, Khmer..., begins with it ("ดอลลาร์" of "ดอลลาร์สหรัฐ")
        glued = {
            w
            for w, shared in sharing.items()
            if len(shared) >= 2
            and len(w) >= 2
            and not w.isascii()
            and any(n.endswith(w) and n != w for n in words)
        } | {
            w
            for w, shared in _heads_sharing(lang).items()
            if len(shared) >= 2 and any(w in _glued_heads(n) for n in names)
        }
        for head in sorted(glued):
            out.setdefault(head, code)
        for name in filter(None, names):
            name = name.lower()
            if name != code.lower():
                out.setdefault(name, code)
            for word in _words(name):
                # the noun's inflected forms in the plural names: "долларов", "доллара"
                if any(word.startswith(h[: max(2, len(h) - 1)]) for h in heads):
                    out.setdefault(word, code)
    return out


@table
def _circulating() -> frozenset[str]:
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        try:
            codes.update(get_territory_currencies(territory))
        except Exception:  # noqa: BLE001 - a territory without current data
            continue
    return frozenset(codes)


def is_currency_code(code: str) -> bool:
    """An ISO 4217 code of a currency in circulation ("NOK", "ZAR"), as CLDR lists them."""
    return code in _circulating()


@table
def currency_names(lang: str) -> dict[str, str]:
    """The locale's full names of every circulating currency, in every plural form (lower case)
    -> ISO code: "norwegian kroner", "couronnes norvégiennes", "südafrikanische rand". Only
    names of two words or more, or of two joined by a hyphen ("us-dollar"): a bare "krone" or
    "dollar" does not say whose it is."""
    loc = _locale(lang)
    if loc is None:
        return {}
    out: dict[str, str] = {}
    clash: set[str] = set()
    for code in sorted(_circulating()):
        for name in _names_of(code, loc):
            name = " ".join(name.lower().split())
            if (len(name.split()) < 2 and "-" not in name.strip("-")) or name == code.lower():
                continue
            if out.get(name, code) != code:
                clash.add(name)
            out.setdefault(name, code)
    return {n: c for n, c in out.items() if n not in clash}


@table
def currency_nouns(lang: str) -> dict[str, str]:
    """The one-word currency nouns of `currency_words` that at least three currencies' names
    share ("sterline", "dollars", "roupies") -> the ISO code news means by them; a word only
    two names share may say whose the currency is ("unis" of "dollar des États-Unis" and
    "dirham des Émirats arabes unis") rather than what it is."""
    sharing = _sharing(lang) | _heads_sharing(lang)
    heads = [h for h, codes in sharing.items() if len(codes) >= 3 and len(h) >= 4]
    return {
        w: code
        for w, code in currency_words(lang).items()
        if " " not in w and "-" not in w and any(w.startswith(h[: max(2, len(h) - 1)]) for h in heads)
    }


@table
def _sharing(lang: str) -> dict[str, frozenset[str]]:
    """Each word of the locale's names of circulating currencies -> the currencies naming it."""
    loc = _locale(lang)
    out: dict[str, set[str]] = {}
    if loc is None:
        return {}
    for code in _circulating():
        for word in _words(loc.currencies.get(code) or ""):
            out.setdefault(word, set()).add(code)
    return {w: frozenset(c) for w, c in out.items()}


@table
def _heads_sharing(lang: str) -> dict[str, frozenset[str]]:
    """Each beginning of the locale's one-word currency names (`_glued_heads`) -> the
    currencies whose names begin with it."""
    loc = _locale(lang)
    out: dict[str, set[str]] = {}
    if loc is None:
        return {}
    for code in _circulating():
        for head in _glued_heads((loc.currencies.get(code) or "").lower()):
            out.setdefault(head, set()).add(code)
    return {w: frozenset(c) for w, c in out.items()}


def _glued_heads(word: str) -> list[str]:
    """The beginnings of a currency name written as one word without spaces that end at one of its ICU
    word boundaries, three characters or more: Thai writes the noun first and the country
    against it ("ดอลลาร์สหรัฐ", "ดอลลาร์แคนาดา"), so the noun the names share is a beginning.
    Not in Chinese and Japanese, which put the country first ("加拿大元"): there the shared
    noun ends the name."""
    # (CLDR's Lao and Khmer names mark syllables or words; a note says which country's:
    # "ปอนด์สเตอร์ลิง (สหราชอาณาจักร)")
    from storyfold.textnorm import han_kana_rx, icu_words, no_space_rx

    word = _NOTE.sub("", word.replace("\u200b", ""))
    if len(word) < 4 or not no_space_rx().match(word) or han_kana_rx().match(word) or " " in word:
        return []
    heads, at = [], 0
    for piece in icu_words(word):
        at += len(piece)
        if 3 <= at < len(word):
            heads.append(word[:at])
    return heads


_NOTE = re.compile(r"\s*\([^)]*\)")


@table
def _percent_unit(lang: str) -> tuple[str, ...]:
    """The locale's "N per cent" as its unit data writes it, for a few plural forms of N."""
    loc = _locale(lang)
    if loc is None:
        return ()
    from babel.units import format_unit

    texts = []
    for n in _PLURAL_SAMPLES:
        try:
            texts.append(format_unit(n, "concentr-percent", length="long", locale=loc))
        except Exception:  # noqa: BLE001 - no unit data for the locale
            break
    return tuple(texts)


def _percent_word_of(pattern: str, lang: str) -> tuple[str, ...]:
    words = set()
    for text in _percent_unit(lang):
        m = re.fullmatch(pattern, text)
        if m and m[1].strip() and m[1].strip() not in ("%", "٪"):
            words.add(m[1].strip().lower())
    return tuple(sorted(words, key=len, reverse=True))


@table
def percent_words(lang: str) -> tuple[str, ...]:
    """The words a locale writes after a number for "per cent" ("процентов", "प्रतिशत")."""
    return _percent_word_of(r"[\d.,\s\u00a0]+([^\d]+)", lang)


@table
def percent_before(lang: str) -> tuple[str, ...]:
    """What a locale writes before a number for "per cent": the sign where its percent format
    puts it first (Turkish and Basque "%41"), and the word of its unit pattern when it leads
    ("yüzde 41", "ehuneko 41")."""
    loc = _locale(lang)
    if loc is None:
        return ()
    fmt = loc.percent_formats.get(None)
    sign = ("%",) if fmt is not None and fmt.pattern.lstrip().startswith("%") else ()
    return _percent_word_of(r"([^\d]+?)[\s\u00a0]*[\d.,]+", lang) + sign


@table
def decimal_comma(lang: str) -> bool:
    """Whether the locale writes 3,2 for 3.2."""
    loc = _locale(lang)
    if loc is None:
        return False
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(loc) == ","


@table
def place_words(lang: str) -> frozenset[str]:
    """The words of the locale's names of territories and languages, lower case: "európai" of
    "Európai Unió" begins with "euró" but is no amount of euros."""
    loc = _locale(lang)
    if loc is None:
        return frozenset()
    return frozenset(
        w for names in (loc.territories, loc.languages) for v in names.values() for w in v.lower().split()
    )


@table
def count_joiner(lang: str) -> str:
    """The word the locale puts between a number and its noun ("20 de ani", "20 de zile":
    Romanian from twenty up), read from its unit patterns; "" for most languages."""
    loc = _locale(lang)
    if loc is None:
        return ""
    from babel.units import format_unit

    words = set()
    for unit in ("duration-year", "duration-day"):
        for n in (20, 100):
            try:
                parts = format_unit(n, unit, length="long", locale=loc).split()
            except Exception:  # noqa: BLE001 - no unit data for the locale
                return ""
            if len(parts) != 3 or parts[0] != str(n):
                return ""
            words.add(parts[1].lower())
    return words.pop() if len(words) == 1 else ""


@table
def month_first(lang: str) -> bool:
    """Whether the locale writes a day of a month month first ("October 1", "november 12."),
    by its long date pattern; unknown locales are taken to (English does)."""
    loc = _locale(lang)
    if loc is None:
        return True
    pattern = re.sub(r"'[^']*'", "", str(loc.date_formats["long"].pattern))
    m, d = pattern.find("M"), pattern.find("d")
    return m < 0 or d < 0 or m < d


@table
def all_month_names() -> dict[str, int]:
    """Every locale's month names (lower case, wide and abbreviated, format and stand-alone)
    that name one month wherever they occur, written in one word -> that month."""
    return _all_names("months", ("wide", "abbreviated"))


@table
def all_weekday_names() -> dict[str, int]:
    """Every locale's full weekday names (lower case, format and stand-alone) that name one
    day wherever they occur, written in one word -> that day (0 Monday ... 6 Sunday). Only
    the full names: the abbreviations are other words too ("ma", "di", "sa")."""
    return _all_names("days", ("wide",))


def _all_names(field: str, widths: tuple[str, ...]) -> dict[str, int]:
    """`field` ("months", "days") of every locale, the names of `widths` that are one word of
    three letters or more and name one number wherever they occur -> that number.

    Each locale's data is read and let go: babel keeps every locale it loads, and all of them
    would stay in the process (150 MB) for a table of a few thousand words."""
    from babel import localedata

    seen: dict[str, set[int]] = {}
    kept = set(localedata._cache)  # babel's memo of loaded locales: those loaded already stay
    for code in localedata.locale_identifiers():
        if "_" in code:
            continue
        data: Any = localedata.load(code)
        found = localedata.LocaleDataDict(data).get(field, {})  # (aliases resolved)
        for context in found.values():
            for width, names in context.items():
                if width not in widths:
                    continue
                for number, name in names.items():
                    name = name.lower().rstrip(".")
                    # letters and the marks they carry (an Indic vowel sign), in one word
                    if len(name) >= 3 and all(c.isalpha() or unicodedata.category(c)[0] == "M" for c in name):
                        seen.setdefault(name, set()).add(number)
        if code not in kept:
            localedata._cache.pop(code, None)
    return {name: next(iter(ns)) for name, ns in seen.items() if len(ns) == 1}


@table
def month_names(lang: str) -> dict[str, int]:
    """Month name (lower case; every form CLDR has: format and stand-alone, wide and
    abbreviated, "января"/"январь"/"янв", "10月") -> month number."""
    loc = _locale(lang)
    if loc is None:
        return {}
    out: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in loc.months.get(context, {}).get(width, {}).items():
                name = name.lower().rstrip(".")
                if len(name) >= (3 if name.isascii() else 2) and out.get(name, number) == number:
                    out[name] = number
    return out


@table
def wide_month_names(lang: str) -> frozenset[str]:
    """The full month names (format and stand-alone, lower case), without the abbreviations:
    an abbreviation may be a word too (Czech "pro", for, abbreviates "prosince")."""
    loc = _locale(lang)
    if loc is None:
        return frozenset()
    return frozenset(
        name.lower()
        for context in ("format", "stand-alone")
        for name in loc.months.get(context, {}).get("wide", {}).values()
    )


@table
def relative_years(lang: str) -> dict[str, int]:
    """CLDR's phrases for last, this and next year ("в прошлом году", "去年", "इस वर्ष") ->
    -1, 0, 1. Read from babel's locale data, which has no public accessor for them."""
    loc = _locale(lang)
    if loc is None:
        return {}
    out: dict[str, int] = {}
    for width in ("year", "year-short", "year-narrow"):  # "цього року", and the short "цьогоріч"
        try:
            fields = loc._data["date_fields"][width]["relative"]
            for offset, phrase in fields.items():
                if phrase and len(str(phrase)) >= 2:
                    out.setdefault(str(phrase).lower(), int(offset))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return out


@table
def day_month_words(lang: str) -> tuple[str, ...]:
    """The words CLDR writes between a day and its month name ("d 'de' MMMM": "de"; Maltese
    "d 'ta'’ MMMM": "ta’")."""
    loc = _locale(lang)
    pattern = str(loc.datetime_skeletons.get("MMMMd") or "") if loc is not None else ""
    m = re.search(r"d\s*((?:'[^']+'’?\s*)+)\s*MMMM", pattern)
    if m is None:
        return ()
    return tuple(
        w.strip().lower() for w in re.findall(r"'([^']+)'(’?)", m[1]) for w in ["".join(w)] if w.strip()
    )


@table
def year_words(lang: str) -> frozenset[str]:
    """The locale's words for a year as they stand next to a number (lower case): the unit's
    long names ("წელი", "gads") and the forms CLDR's "in N years" and "N years ago" give it,
    whose cases the unit names lack ("{0} წლის წინ", "pirms {0} gadiem", "{0} жылдан кейін")."""
    out = {w for w, unit in duration_words(lang, long_only=True).items() if unit == "year" and " " not in w}
    loc = _locale(lang)
    fields = loc._data.get("date_fields", {}).get("year", {}) if loc is not None else {}
    for when in ("future", "past"):
        try:
            patterns = list(fields[when].values())
        except (KeyError, TypeError, AttributeError):
            continue
        for pattern in patterns:
            m = re.search(r"\{0\}[\s\u00a0\u202f]*([^\W\d_]{2,})", str(pattern))
            if m:
                out.add(m[1].lower())
    return frozenset(out)


# Measures a news figure is given in (CLDR unit categories); durations are read as counted time
# nouns, percentages as percent words.
_UNIT_CATEGORIES = ("length", "area", "volume", "mass", "power", "energy", "speed", "temperature", "digital")
# short unit symbols that are also everyday words after a number in some language ("in" in
# English, "mi" in Italian, "ha" in Spanish and Italian): only their long names are read
_AMBIGUOUS_SYMBOLS = frozenset(["in", "mi", "ha", "pt", "st", "ct", "po", "at", "am", "an", "as", "is", "on"])
_SUPERSCRIPT = str.maketrans("²³", "23")
# units whose names are everyday words after a number ("5 points", "two cups", "three drops")
_SKIPPED_UNITS = tuple(  # unit id prefixes
    [
        "length-point",
        "length-fathom",
        "length-furlong",
        "volume-cup",
        "volume-drop",
        "volume-pinch",
        "volume-jigger",
        "volume-dessert-spoon",
        "mass-grain",
        "mass-stone",
        "mass-carat",
        "digital-bit",
        "digital-byte",
    ]
)


def _unit_form(pattern: str, lower: bool = True) -> str | None:
    """The words of a unit pattern whose number comes first ("{0} kilomètres" -> "kilomètres")."""
    m = re.fullmatch(r"\{0\}[\s\u00a0\u202f]*(.+?)\s*", pattern)
    if not m or "{" in m[1]:
        return None
    return m[1].strip().lower() if lower else m[1].strip()


@table
def unit_words(lang: str) -> dict[str, str]:
    """Unit name or symbol (lower case) -> canonical symbol (CLDR's English short form: "km",
    "MW", "m2", "bbl"), for the locale of `lang` and English symbols ({} without CLDR)."""
    en = _locale("en")
    # English news writes "metres" as often as "meters"
    locales = [_locale(x) for x in ((lang, "en_GB") if lang == "en" else (lang,))]
    if en is None or None in locales:
        return {}
    out: dict[str, str] = {}
    for loc in locales:
        out.update({w: s for w, s in _unit_words(loc, en).items() if w not in out})
    return out


@table
def unit_names(lang: str) -> frozenset[str]:
    """Every unit's names after a number in the locale (lower case), units of time and of
    every other kind included: the words a unit's name in another case must not be."""
    loc = _locale(lang)
    if loc is None:
        return frozenset()
    patterns = loc._data.get("unit_patterns", {})
    return frozenset(w for unit in patterns for _, w in _pattern_words(patterns[unit], ("long", "short")))


def _unit_words(loc: Any, en: Any) -> dict[str, str]:
    mine, english = loc._data.get("unit_patterns", {}), en._data["unit_patterns"]
    out: dict[str, str] = {}
    for unit, en_forms in english.items():
        if unit.split("-")[0] not in _UNIT_CATEGORIES or unit not in mine or unit.startswith(_SKIPPED_UNITS):
            continue
        symbol = _unit_form(en_forms["short"].get("other", ""), lower=False) if "short" in en_forms else None
        if not symbol:
            continue
        symbol = symbol.translate(_SUPERSCRIPT)
        for length, word in _pattern_words(mine[unit], ("long", "short", "narrow")):
            if length != "long" and (len(word) < 2 or word in _AMBIGUOUS_SYMBOLS):
                continue
            out.setdefault(word, symbol)
    return out


def _pattern_words(forms: Mapping[str, Any], lengths: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(length, word) of a CLDR unit's patterns in these lengths whose number comes first
    ("{0} kilomètres"), the "per" pattern and words holding digits left out."""
    for length in lengths:
        for category, pattern in forms.get(length, {}).items():
            if category == "per":
                continue
            word = _unit_form(pattern)
            if word and not any(ch.isdigit() for ch in word):
                yield length, word


_DURATIONS = ("century", "decade", "year", "month", "week", "day", "hour", "minute")


@table
def duration_words(lang: str, long_only: bool = False) -> dict[str, str]:
    """The locale's names of units of time after a number, every plural form (lower case) ->
    the English noun a duration is counted in: "jaar", "uur", "лет", "года", "hodin", "年",
    "시간" -> "year", "hour". Long names, and short ones of three letters or more that are not
    words of their own ("Std.", "мин") nor a month's ("dec", "déc."), so that "12 uur" and "12
    hours" are one figure. `long_only`: the full names alone ("минута", not "мин.")."""
    loc = _locale(lang)
    if loc is None:
        return {}
    patterns = loc._data.get("unit_patterns", {})
    months = month_names(lang)
    out: dict[str, str] = {}
    for unit in _DURATIONS:
        lengths = ("long",) if long_only else ("long", "short")
        for length, word in _pattern_words(patterns.get(f"duration-{unit}", {}), lengths):
            bare = word.rstrip(".")
            if length == "short" and (len(bare) < 3 or bare in _AMBIGUOUS_SYMBOLS or bare in months):
                continue
            out.setdefault(word, unit)
            out.setdefault(bare, unit)
    return out
