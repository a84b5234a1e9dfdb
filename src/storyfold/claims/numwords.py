"""Numbers written as words ("four people", "quatre personnes", "vier Menschen"), in any
language ICU spells out.

The words come from ICU's rule-based number formats (CLDR's spellout rules): every number
from 2 to 99, and whole hundreds and thousands, is formatted in the locale's cardinal rule
sets (masculine, feminine and neuter where the language has them, with the case forms of the
languages that decline their numerals), and the forms are read back. One is left out: in most
languages it is also the indefinite article ("un", "ein", "one of"). Languages written
without spaces between words are left out too: their number characters sit inside ordinary
words (四川 is a province, not four rivers).
"""

from __future__ import annotations

import re
from functools import cache

from storyfold.claims.timeparse import trie_pattern
from storyfold.textnorm import no_space_class

__all__ = ["number_words", "value_of", "word_number_regex"]

# the cardinal rule sets, and the case forms CLDR spells for languages that decline their
# numerals ("двух", "dwóch", "trzech" after a preposition); a rule set a locale lacks gives its
# default forms, which are already in
_GENDERS = ("masculine", "feminine", "neuter")
_CASES = ("genitive", "dative", "accusative", "instrumental", "locative", "ablative", "prepositional")
_RULE_SETS = (
    "%spellout-cardinal",
    *(f"%spellout-cardinal-{g}" for g in _GENDERS),
    *(f"%spellout-cardinal-{g}-{c}" for g in _GENDERS for c in _CASES),
    "%spellout-cardinal-masculine-personal",
)
# 2-99, whole hundreds and whole thousands up to 99,000 ("trente mille personnes",
# "dreißigtausend"); one, a hundred and a thousand are left out ("un", "cent" of "pour cent")
_SPELLED = (*range(2, 100), *range(200, 1000, 100), *range(2000, 100_000, 1000))
_PROBES = (*range(2, 13), 20, 21, 22, 40, 100, 200, 2000)  # forms that tell two rule sets apart
_JOINER = re.compile(r"[\s\-\u00ad]+")


def _key(words: str) -> str:
    return _JOINER.sub(" ", words.replace("\u00ad", "")).strip().lower()


@cache
def number_words(locale: str) -> dict[str, int]:
    """Spelled-out cardinal -> its value, keys lower-cased with single spaces between parts;
    empty when ICU has no spellout for the locale or the language has no spaces."""
    if not locale or locale == "und":
        return {}
    try:
        from icu4py.messageformat import MessageFormat
    except ImportError:  # a build of storyfold without ICU: numbers in digits only
        return {}
    if not _has_own_spellout(locale):
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


def _has_own_spellout(locale: str) -> bool:
    """ICU formats a locale it has no spellout rules for with English words ("two" for Zulu,
    Malayalam, Hausa); those are not the language's numbers."""
    lang = locale.replace("-", "_").split("_")[0].lower()
    if lang == "en":
        return True
    from icu4py.messageformat import MessageFormat

    probe = "{n, spellout}"
    try:
        return MessageFormat(probe, locale).format({"n": 23}) != MessageFormat(probe, "en").format({"n": 23})
    except Exception:  # noqa: BLE001 - ICU refuses a locale it has no rules for
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
