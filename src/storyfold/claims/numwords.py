"""Numbers written as words ("four people", "quatre personnes", "vier Menschen"), in any
language ICU spells out.

The words come from ICU's rule-based number formats (CLDR's spellout rules): every number
from 2 to 99, and whole hundreds and thousands, is formatted in the locale's cardinal rule
sets (masculine, feminine and neuter where the language has them, with the case forms of the
languages that decline their numerals), and the forms are read back. One is left out: in most
languages it is also the indefinite article ("un", "ein", "one of"). In languages written
without spaces between words, number characters sit inside ordinary words (四川 is a province,
not four rivers): there a spelled-out number is read only right before a unit of time
(`glued_number_regex`: "两年", two years).
"""

from __future__ import annotations

import re
from functools import cache

from storyfold.claims.tables import table
from storyfold.claims.timeparse import trie_pattern
from storyfold.textnorm import no_space_class

__all__ = [
    "glued_number_regex",
    "glued_value",
    "has_own_spellout",
    "number_words",
    "value_of",
    "word_number_regex",
]

# the cardinal rule sets, and the case forms CLDR spells for languages that decline their
# numerals, by gender ("двух", "dwóch", "trzech" after a preposition) or without one, in the
# singular and plural (Finnish "kahdeksasta", "neljäntoista", "kahden"); a rule set a locale
# lacks gives its default forms, which are already in
_GENDERS = ("masculine", "feminine", "neuter")
_CASES = ("genitive", "dative", "accusative", "instrumental", "locative", "ablative", "prepositional")
_UNGENDERED_CASES = (
    "genitive",
    "partitive",
    "essive",
    "translative",
    "inessive",
    "elative",
    "illative",
    "adessive",
    "ablative",
    "allative",
)
_RULE_SETS = (
    "%spellout-cardinal",
    *(f"%spellout-cardinal-{g}" for g in _GENDERS),
    *(f"%spellout-cardinal-{g}-{c}" for g in _GENDERS for c in _CASES),
    "%spellout-cardinal-masculine-personal",
    *(f"%spellout-cardinal-{c}{n}" for c in _UNGENDERED_CASES for n in ("", "-plural")),
)
# 2-99, whole hundreds and whole thousands up to 99,000 ("trente mille personnes",
# "dreißigtausend"); one, a hundred and a thousand are left out ("un", "cent" of "pour cent")
_SPELLED = (*range(2, 100), *range(200, 1000, 100), *range(2000, 100_000, 1000))
_PROBES = (*range(2, 13), 20, 21, 22, 40, 100, 200, 2000)  # forms that tell two rule sets apart
_JOINER = re.compile(r"[\s\-\u00ad]+")


def _key(words: str) -> str:
    return _JOINER.sub(" ", words.replace("\u00ad", "")).strip().lower()


@table
def number_words(locale: str) -> dict[str, int]:
    """Spelled-out cardinal -> its value, keys lower-cased with single spaces between parts;
    empty when ICU has no spellout for the locale or the language has no spaces."""
    if not locale or locale == "und":
        return {}
    try:
        from icu4py.messageformat import MessageFormat
    except ImportError:  # a build of storyfold without ICU: numbers in digits only
        return {}
    if not has_own_spellout(locale):
        return {}
    out: dict[str, int] = {}
    no_space = re.compile(f"[{no_space_class()}]")
    seen: set[tuple[str, ...]] = set()
    for rule_set in _RULE_SETS:
        try:
            fmt = MessageFormat("{n, spellout," + rule_set + "}", locale)
        except Exception:  # noqa: BLE001 - ICU refuses a locale it has no rules for
            return {}
        probe = tuple(fmt.format({"n": n}) for n in _PROBES)
        if probe in seen:
            continue  # a rule set the locale lacks gives forms already read: not again
        seen.add(probe)
        for n in _SPELLED:
            form = fmt.format({"n": n})
            if not form or any(ch.isdigit() for ch in form):
                return {}  # no spellout rules: ICU fell back to digits
            if no_space.search(form):
                return {}
            out.setdefault(_key(form), n)
    return out


@table
def has_own_spellout(locale: str) -> bool:
    """ICU formats a locale it has no spellout rules for with English words ("two" for Zulu,
    Malayalam, Hausa); those are not the language's numbers."""
    lang = locale.replace("-", "_").split("_")[0].lower()
    if lang == "en":
        return True
    probe = "{n, spellout}"
    try:
        from icu4py.messageformat import MessageFormat

        return MessageFormat(probe, locale).format({"n": 23}) != MessageFormat(probe, "en").format({"n": 23})
    except Exception:  # noqa: BLE001 - no ICU, or ICU refuses a locale it has no rules for
        return False


@cache
def word_number_regex(locale: str) -> re.Pattern[str] | None:
    """A pattern that finds the locale's spelled-out numbers as whole words, longest first,
    parts joined by a space, a hyphen or nothing ("twenty-one", "twenty one", "einundzwanzig")."""
    words = number_words(locale)
    if not words:
        return None
    return re.compile(r"(?<!\w)" + trie_pattern(frozenset(words), _piece) + r"(?!\w)", re.IGNORECASE)


def _piece(ch: str) -> str:
    """A space between the parts of a spelled number: a space, a hyphen or nothing."""
    return r"[\s\-\u00ad]?" if ch == " " else re.escape(ch)


def value_of(locale: str, surface: str) -> int | None:
    """The value of a spelled-out number found by `word_number_regex`."""
    return number_words(locale).get(_key(surface))


# the rule sets whose forms a language without spaces writes before a unit ("两年", "三个月")
_GLUED_SETS = ("%spellout-cardinal", "%spellout-cardinal-alternate2", "%spellout-numbering")


@table
def _glued_forms(locale: str) -> tuple[dict[str, int], str]:
    """A language written without spaces: its spelled-out numbers (form -> value) and the
    characters they are made of; empty when ICU has no spellout for it."""
    if not locale or locale == "und" or not has_own_spellout(locale):
        return {}, ""
    try:
        from icu4py.messageformat import MessageFormat
    except ImportError:
        return {}, ""
    forms: dict[str, int] = {}
    for rule_set in _GLUED_SETS:
        try:
            fmt = MessageFormat("{n, spellout," + rule_set + "}", locale)
        except Exception:  # noqa: BLE001 - a rule set the locale lacks
            continue
        for n in _SPELLED:
            form = fmt.format({"n": n}).replace("\u200b", "")  # (ICU's Thai marks its word breaks)
            if not form or any(ch.isdigit() for ch in form) or " " in form:
                return {}, ""
            forms.setdefault(form, n)
    # the characters that are numbers by themselves ("二", "〇"); Thai's number words are made
    # of ordinary letters
    return forms, "".join(sorted({ch for f in forms for ch in f if _is_numeral(ch)}))


def _is_numeral(ch: str) -> bool:
    import unicodedata

    return unicodedata.numeric(ch, None) is not None or ch == "两"


@cache
def glued_number_regex(locale: str, units: tuple[str, ...]) -> re.Pattern[str] | None:
    """In a language written without spaces, a spelled-out number right before one of `units`
    (its units of time, CLDR): "两年" is two years, "三个月" three months. Elsewhere its number
    characters are parts of words ("四川", a province), so only there. Not after another
    number character ("二〇一八年" is the year 2018) nor after the ordinal's prefix ("第三年")."""
    forms, chars = _glued_forms(locale)
    no_space = re.compile(f"[{no_space_class()}]")
    if not units or not any(no_space.search(f) for f in forms):
        return None  # (a language with spaces reads its number words as words: `number_words`)
    try:
        from icu4py.messageformat import MessageFormat

        ordinal = MessageFormat("{n, spellout,%spellout-ordinal}", locale).format({"n": 3})
    except Exception:  # noqa: BLE001 - no ordinal rules: nothing to keep out
        ordinal = ""
    forms3 = [f for f, v in forms.items() if v == 3]
    prefix = ordinal[: ordinal.find(forms3[0])] if forms3 and forms3[0] in ordinal else ""
    before = re.escape(chars + prefix + "〇")
    after = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?<![{before}])" + trie_pattern(frozenset(forms), re.escape) + rf"(?=(?:{after}))")


def glued_value(locale: str, surface: str) -> int | None:
    """The value of a number found by `glued_number_regex`."""
    return _glued_forms(locale)[0].get(surface)
