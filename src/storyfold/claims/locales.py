"""Values and dates in the languages the claim grammar does not cover, from their CLDR data.

The grammar (`extractor`, `numparse`, `timeparse`) reads en/fr/es/de/it/pt. For any other
language CLDR (through `cldr`) knows, this module builds, once per language, what follows a
number (scale words, currencies, percent words) and how dates are written (month names with
their day and year, last/this/next year), as `regex`-module patterns: they name the scripts
written without spaces by Unicode property, so a pattern compiles in milliseconds, where a class
of thousands of code points took a hundred.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import TypeVar

import regex

from storyfold.claims import cldr
from storyfold.claims.numparse import PERCENT_RE
from storyfold.claims.timeparse import TimeSpan, trie_pattern, valid_day
from storyfold.textnorm import lower_key, no_space_property, no_space_rx, prefix_letter_class

T = TypeVar("T")

FOUR_DIGITS = re.compile(r"\d{4}")


@cache
def locale_words(locale: str) -> regex.Pattern[str] | None:
    """After a number: a scale word, currency or percent word of the locale (CLDR), as group
    "scale", "cur" or "pct", the longest first; it ends where a word ends, or at a character of
    a script written without spaces ("10亿美元", "3.5万人").

    A scale, currency or percent noun is matched in the other cases and numbers its language gives it
    ("रुपया" and "रुपये", "εκατομμύρια" and "εκατομμυρίων", "відсотків" and "відсотками"): by its stem,
    for nouns long enough to have one, with its accents optional, since declension moves them. A
    scale word's stem takes one letter more than other nouns': agglutinating languages glue a
    case or an adjective's ending to it ("38,5 milliárddal", "£11 millionlyk", "£11 მილიონიანი")."""
    groups = []
    for name, found in (
        ("scale", cldr.scale_words(locale)),
        ("cur", cldr.currency_words(locale)),
        ("pct", dict.fromkeys(cldr.percent_words(locale), "")),
    ):
        if found:
            # a word of a script written without spaces is read whole: the next word is written
            # against it, and would be taken for an ending ("ล้านปอนด์", million pounds)
            alts = "|".join(
                re.escape(w)
                if no_space_rx().match(w)
                else (
                    _percent_stem(w) if name == "pct" else _currency_inflected(w) if name == "cur" else None
                )
                or (
                    _accents_optional(fold_accents(w)[:-1]) + _letters(4 if name == "scale" else 3)
                    if len(w) >= 5 and " " not in w
                    else re.escape(w)
                )
                for w in sorted(found, key=len, reverse=True)
            )
            groups.append(f"(?P<{name}>{alts})")
    if not groups:
        return None
    joiner = cldr.count_joiner(locale)  # "2.000 de dolari"
    joined = rf"(?:{re.escape(joiner)}\s+)?" if joiner else ""
    return regex.compile(rf"[ \u00a0\u202f]?{joined}(?:{'|'.join(groups)}){word_end()}", regex.IGNORECASE)


def _letters(most: int) -> str:
    """Up to `most` letters of an ending, a letter with its marks counting once (an Indic vowel
    sign is a character of its own: "ജനുവരിയിലാണ്" ends "യിലാണ്", three letters and their marks)."""
    return rf"(?:(?=\w)\X){{0,{most}}}"


def _percent_stem(word: str) -> str | None:
    """A percent word by its stem: all but its last letter (with that letter's marks; its last
    two for a long word), and up to four letters more than it left out. Languages that inflect
    it change its end more than other nouns': "சதவீதம்" gives "சதவீதத்தினர்", "אחוז" "אחוזים",
    "foiz" "foizi", "prosentti" "prosentin"; a number is seldom followed by another word that
    begins the same way."""
    letters = regex.findall(r"\X", fold_accents(word))
    if " " in word or len(letters) < 4:
        return None
    # a long word may change its last consonants too ("prosentti", "prosentin")
    stem = letters[:-2] if len(letters) >= 7 else letters[:-1]
    return _accents_optional("".join(stem)) + _letters(len(letters) - len(stem) + 4)


def _currency_inflected(word: str) -> str | None:
    """A short currency word with the case endings its language glues to it ("ডলারের" of "ডলার",
    "долларын" of "доллар", "ਡਾਲਰਾਂ" of "ਡਾਲਰ"): the whole word, then up to four letters more.
    Longer words are read by their stem already."""
    letters = regex.findall(r"\X", word)
    if " " in word or len(word) >= 5 or len(letters) < 3:
        return None
    return re.escape(word) + _letters(4)


def fold_accents(word: str) -> str:
    """Lower case, the accents of accented letters taken off ("ύ" -> "υ"); a mark written as a
    character of its own (an Indic vowel sign) stays."""
    return "".join(_unaccented(c) for c in word.lower())


def _unaccented(ch: str) -> str:
    parts = unicodedata.normalize("NFD", ch)
    return parts[0] if len(parts) > 1 and parts[0].isalpha() else ch


@cache
def _accented() -> dict[str, str]:
    """Each letter -> the precomposed letters that are it with an accent ("ι": "ίϊΐ...")."""
    out: dict[str, str] = {}
    for point in range(0x10000):
        ch = chr(point)
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) > 1 and parts[0].isalpha() and all(unicodedata.combining(c) for c in parts[1:]):
            out[parts[0]] = out.get(parts[0], "") + ch
    return out


def _accents_optional(folded: str) -> str:
    """A pattern of a folded word whose letters may carry any accent in the text."""
    variants = _accented()
    return "".join(f"[{re.escape(c)}{variants[c]}]" if c in variants else re.escape(c) for c in folded)


def _inflected(table: Mapping[str, T], word: str) -> T | None:
    """The entry of `table` a word met in the text stands for: itself, or the longest entry
    whose stem (accents aside) begins it."""
    word = word.lower()
    if word in table:
        return table[word]
    folded = fold_accents(word)
    stems = [w for w in table if len(w) >= 5 and " " not in w and folded.startswith(fold_accents(w)[:-1])]
    # a short word with an ending glued to it (`_currency_inflected`)
    stems += [w for w in table if len(w) < 5 and " " not in w and word.startswith(w)]
    return table[max(stems, key=len)] if stems else None


def currency_of(locale: str, word: str) -> str:
    """The ISO code of a currency word as met (maybe inflected: matched by its stem); "" for a
    word of a place's name that only begins like one ("európai")."""
    table = cldr.currency_words(locale)
    if word.lower() not in table and word.lower() in cldr.place_words(locale):
        return ""
    return _inflected(table, word) or ""


def scale_of(locale: str, word: str) -> float:
    """The multiplier of a scale word as met (maybe inflected)."""
    return _inflected(cldr.scale_words(locale), word) or 1.0


@cache
def word_end() -> str:
    """Where a word of a CLDR table ends (a `regex`-module pattern): before a non-word character,
    a digit or a script written without spaces, or anywhere after Hangul, whose particles join
    the word ("작년에", "달러를")."""
    return rf"(?:(?!\w)|(?={no_space_property()}|[0-9])|(?<=\p{{Script=Hangul}}))"


@cache
def locale_dates(
    locale: str,
) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """(a month name with its day and year around it, a relative year phrase, either of them
    alone) of the locale, from CLDR: "1 октября 2019", "15 marca", "2019年10月1日", "в прошлом
    году", "去年". The last is the cheap search that says whether the others can match."""
    months = cldr.month_names(locale)
    rel = cldr.relative_years(locale)
    ns = no_space_property()[1:-1]  # its properties, to go inside a class
    end = word_end()
    month_rx = month_word = None
    if months:
        # a long name's case forms ("марте", "júniusban", "czerwcu", "ജനുവരിയിലാണ്"): its stem
        # (`_month_stem`) and up to six letters more, a letter with its marks counting once; a
        # short one as it is ("мая" is not "маяк"). As tries, so the engine follows one path
        # per character instead of trying every name.
        stems = frozenset(_month_stem(n.lower()) for n in months if len(n) >= 5 and _lettered(n))
        exact = frozenset(n.lower() for n in months if not (len(n) >= 5 and _lettered(n)))
        # a four-letter name's case forms ("июне" of "июнь") only beside a year: alone, its
        # stem would take other words ("марш" for "март")
        short = frozenset(n[:-1].lower() for n in months if len(n) == 4 and n.isalpha())
        # a three-letter name's case forms ("maja" of "maj", "mail" of "mai", "майында" of
        # "май") only between a day and a year, where nothing else stands
        three = frozenset(n.lower() for n in months if len(n) == 3 and n.isalpha())
        alts = "|".join(
            [
                *([trie_pattern(stems) + _letters(6)] if stems else []),
                *(
                    [
                        rf"{trie_pattern(short)}\w{{1,2}}(?=\s?(?:1[89]|20)\d\d(?!\d))",
                        # ... or after its year ("2017-жылы июнда", in June 2017)
                        rf"(?<=(?<!\d)(?:1[89]|20)\d\d[^\d\s]{{0,8}}\s){trie_pattern(short)}\w{{1,2}}",
                    ]
                    if short
                    else []
                ),
                *(
                    [
                        rf"(?<=\d\.?\s){trie_pattern(three)}\w{{1,4}}(?=\s(?:[^\W\d_]{{1,6}}\s)?(?:1[89]|20)\d\d(?!\d))",
                        rf"(?<=(?:1[89]|20)\d\d\D{{0,12}}\d\d?\.?\s){trie_pattern(three)}\w{{1,4}}",
                    ]
                    if three
                    else []
                ),
                *([trie_pattern(exact)] if exact else []),
                # a month numbered in digits with its counter ("9月", "9월") may have a space
                # inside, as text that spaces digits from CJK writes it ("2017 年 9 月")
                *(
                    [rf"(?:1[0-2]|0?[1-9])[ \u00a0](?:{trie_pattern(counters)})"]
                    if (counters := frozenset(m[1] for n in exact if (m := _NUMBERED.fullmatch(n))))
                    else []
                ),
            ]
        )
        # never right after a digit: "12月" is December, not a day 1 of "2月"
        # (or after a word of one letter written against it: "בדצמבר", in December; "በጁን", in June)
        prefix = prefix_letter_class()
        month_word = rf"(?:(?<![^\W\d{ns}])|(?<=(?<!\w)[{prefix}]))(?<!\d)(?P<m>{alts}){end}"
        joiners = cldr.day_month_words(locale)
        between = rf"(?:(?:{'|'.join(map(regex.escape, joiners))})\s+)?" if joiners else ""
        month_rx = regex.compile(
            # a year first may carry a case ending and be followed by the word for year, as the
            # languages that write the year first do ("2017-ci ilin dekabr", "2017 жылдың
            # желтоқсаны", "2017 metų gruodžio", "2017. gada decembrī"): one word at most
            rf"(?:(?P<y1>(?:1[89]|20)\d\d)(?:[^\d\s]{{0,8}}\s?(?:(?P<yw>[^\W\d_]{{1,8}})[.,]?\s)?|\s?))?"
            # (a right-to-left language's "in" may stand against the month: "30 במאי 2005")
            # (an ordinal's ending may follow the day, "1ης Οκτωβρίου"; the word CLDR puts between
            # a day and its month may stand there, "30 de maio", "1 ta’ Ottubru"; an elided one
            # against the month, "1 d'octubre")
            rf"(?:(?P<d1>[0-3]?\d)(?:[^\W\d_]{{1,3}}(?=\s))?[.\-]?\s?{between}"
            rf"(?:[{prefix}](?=\w)|[^\W\d_]['’](?=\w))?)?{month_word}"
            # short words may stand between the month and its year, as news writes it
            # ("Σεπτέμβριο του 2017", "desember árið 2017", "dhjetor të vitit 2017"): two at most;
            # a day after the month is followed by its mark or an abbreviated word for day
            # ("gegužės 30 d.", "10 月 1 日"), never by the rest of a number ("decemberben
            # 6,68%-os")
            rf"(?:[\s,]*(?P<d2>[0-3]?\d)(?![.,]\d|\s?%)(?=[^\d\s]|\s[^\W\d_]{{1,2}}\.|\s[{ns}]))?[^\d\s]?"
            rf"(?:[\s,]*(?:(?!{alts})[^\W\d_]{{1,5}}\s+){{0,2}}(?P<y2>(?:1[89]|20)\d\d)(?!\d))?",
            regex.IGNORECASE,
        )
    rel_rx = rel_word = None
    if rel:
        # a case ending may follow ("bu yılın", "geçen yıldan")
        rel_word = rf"(?<![^\W{ns}])(?P<p>{trie_pattern(frozenset(p.lower() for p in rel))})"
        rel_rx = regex.compile(rf"{rel_word}(?:(?:(?![{ns}])[^\W\d_]){{0,4}}{end}|{end})", regex.IGNORECASE)
    words = [w for w in (month_word, rel_word) if w]
    either = regex.compile(
        "|".join(f"(?:{w})" for w in words).replace("?P<m>", "").replace("?P<p>", ""), regex.IGNORECASE
    )
    return month_rx, rel_rx, either if words else None


_NUMBERED = re.compile(r"\d+(\D+)")


def _month_stem(name: str) -> str:
    """What a month name's case forms share: all but its last letter, or its last two for a
    long name, whose last vowel declension may drop ("decembar", "decembru"; "detsember",
    "detsembris")."""
    return name[:-2] if len(name) >= 7 else name[:-1]


def _lettered(word: str) -> bool:
    """Letters and the marks written with them (the vowel signs of "ഡിസംബർ")."""
    return all(ch.isalpha() or unicodedata.category(ch)[0] == "M" for ch in word)


def _month_of(months: dict[str, int], word: str) -> int | None:
    """The month a matched name stands for: as CLDR writes it, or a case form of it (its stem;
    accents kept, unlike `_inflected`: the month patterns match them as written)."""
    word = word.lower()
    got = months.get(word) or months.get("".join(word.split()))
    if got is not None:
        return got
    # the longest name whose stem begins the word: "июле" is July's ("июль"), not June's
    stems = [
        w
        for w in months
        if len(w) >= 3
        and _lettered(w)
        and word.startswith(_month_stem(w) if len(w) >= 5 else w[:-1] if len(w) == 4 else w)
    ]
    return months[max(stems, key=len)] if stems else None


def locale_reference(text: str, locale: str) -> date | None:
    """When an undated article in a language the grammar does not know was written: the
    latest full date it states with the locale's month names ("1 октября 2019")."""
    month_rx, _, either = locale_dates(locale)
    if month_rx is None or either is None or either.search(text) is None:
        return None
    months = cldr.month_names(locale)
    days = []
    for m in month_rx.finditer(text):
        m = _without_a_year_across(month_rx, text, m, locale)
        year, day = m["y1"] or m["y2"], m["d1"] or m["d2"]
        month = _month_of(months, m["m"])
        if year and day and month:
            try:
                days.append(date(int(year), month, int(day)))
            except ValueError:
                continue
    return max(days) if days else None


def _without_a_year_across(
    rx: regex.Pattern[str], text: str, m: regex.Match[str], locale: str
) -> regex.Match[str]:
    """A year, a word, then a day and a month ("1848 a 23. říjen", 1848 and the 23rd of
    October): the word joins the year to the day and month only when it is the language's
    word for year ("2005 жылдың 30 мамырда", "2005. gada 30. maijā")."""
    if m["yw"] is not None and m["d1"] is not None and not _year_word(m["yw"], locale):
        again = rx.match(text, m.start("d1"))
        if again is not None:
            return again
    return m


def _year_word(word: str, locale: str) -> bool:
    """Whether a word is a case form of the locale's name for a year (`cldr.year_words`: "жыл"
    gives "жылдың", "gads" "gada", "{0} წლის წინ" "წლის")."""
    word = word.lower()
    return any(
        len(name) >= 2 and word.startswith(name[: max(2, len(name) - 1)]) for name in cldr.year_words(locale)
    )


def _doubtful(sent: str, m: regex.Match[str], locale: str) -> bool:
    """A month abbreviation, which may be a word too (Czech "pro", for, is December's "pro."):
    read only with its dot or against its day or year, never across another word to a year,
    nor hyphened to the year before it."""
    word = m["m"]
    low = word.lower()
    if not (m["y1"] or m["y2"]) and _three_letter_form(low, cldr.month_names(locale)):
        return True  # a three-letter name's case form needs its year: "18 procent" is no "pro."
    wide = cldr.wide_month_names(locale)
    if len(word) > 4 or low in wide:
        return False
    if m["d1"] and any(len(w) == 3 and word.lower().startswith(w) for w in wide):
        return False  # a three-letter name's case form after its day ("30 майи соли 2005")
    if m["y1"] and sent[m.end("y1") : m.start("m")] in ("-", "\u2010", "\u2011"):
        return True  # a year's ending, not a month: "2000-იან წლებში", in the 2000s
    dotted = sent[m.end("m") : m.end("m") + 1] == "."
    across = m["y2"] is not None and any(c.isalpha() for c in sent[m.end("m") : m.start("y2")])
    return across or not (dotted or m["d1"] or m["d2"] or m["y1"] or m["y2"])


def _three_letter_form(word: str, names: Mapping[str, int]) -> bool:
    """Whether a word reads as a month only as a case form of a three-letter name ("procent"
    of Czech "pro."), not as a name or a longer name's form ("srpnu" of "srpna")."""
    if word in names:
        return False
    longer = any(
        (len(w) >= 5 and _lettered(w) and word.startswith(_month_stem(w)))
        or (len(w) == 4 and w.isalpha() and word.startswith(w[:-1]))
        for w in names
    )
    return not longer and any(len(w) == 3 and w.isalpha() and word.startswith(w) for w in names)


@cache
def decade_rx(locale: str) -> regex.Pattern[str] | None:
    """A round year with the locale's word for a decade (CLDR's unit name, in its case forms)
    beside it, one short word at most between: "δεκαετία του 1980", "década de 1980",
    "1980 के दशक", "1980ના દાયકામાં", "1980ko hamarkadan": that decade, "1980s"."""
    names = [w for w, unit in cldr.duration_words(locale, long_only=True).items() if unit == "decade"]
    stems = frozenset(_month_stem(w) if len(w) >= 5 else w for w in names if _lettered(w))
    if not stems:
        return None
    word = rf"(?<![^\W\d_]){trie_pattern(stems)}\w{{0,6}}"
    year = r"(?P<y>(?:1[89]|20)\d)0(?![\d.,]?\d)"
    return regex.compile(
        rf"{word}(?:\s+[^\W\d_]{{1,4}})?\s+{year}"
        rf"|(?<![\d.,]){year}[’'‘]?[^\W\d_]{{0,4}}(?:\s+[^\W\d_]{{1,4}})?\s*{word}",
        regex.IGNORECASE,
    )


def decade_times(sent: str, times: list[TimeSpan], locale: str) -> list[TimeSpan]:
    """The decades the locale names with its word for one (`decade_rx`); a year read alone
    inside one gives way to it."""
    rx = decade_rx(locale)
    if rx is None:
        return times
    out = list(times)
    for m in rx.finditer(sent):
        out = [t for t in out if not (m.start() <= t.start and t.end <= m.end())]
        if all(m.end() <= t.start or m.start() >= t.end for t in out):
            out.append(TimeSpan(m.start(), m.end(), f"{m['y']}0s"))
    return sorted(out, key=lambda t: t.start)


def locale_times(sent: str, times: list[TimeSpan], locale: str, ref: date | None) -> list[TimeSpan]:
    """Months (with their day and year) and last/this/next year in a language the time grammar
    does not know, from CLDR's names for them; the article's year stands for a missing one."""
    month_rx, rel_rx, either = locale_dates(locale)
    out = list(times)
    if either is None or either.search(sent) is None:
        return out

    def free(s: int, e: int) -> bool:
        return all(e <= t.start or s >= t.end for t in out)

    if rel_rx is not None and ref is not None:
        rel = cldr.relative_years(locale)
        for m in rel_rx.finditer(sent):
            if free(m.start(), m.end()):
                out.append(TimeSpan(m.start(), m.end(), str(ref.year + rel[lower_key(m["p"])]), True))
    if month_rx is not None:
        months = cldr.month_names(locale)
        for m in month_rx.finditer(sent):
            m = _without_a_year_across(month_rx, sent, m, locale)
            if _doubtful(sent, m, locale):
                continue
            month = _month_of(months, m["m"])
            year_s = m["y1"] or m["y2"]
            year = int(year_s) if year_s else (ref.year if ref is not None else None)
            day_s = m["d1"] or m["d2"]
            if month is not None and year is None and day_s and valid_day(month, int(day_s)):
                # a day in an article that gives no year: ISO 8601's date without a year, for
                # the story's dated articles to place (`reconcile.dates`)
                if free(m.start(), m.end()):
                    out.append(TimeSpan(m.start(), m.end(), f"--{month:02d}-{int(day_s):02d}", relative=True))
                continue
            if month is None or year is None:
                continue
            inside = [t for t in out if m.start() <= t.start and t.end <= m.end()]
            if inside and all(FOUR_DIGITS.fullmatch(sent, t.start, t.end) for t in inside):
                out = [t for t in out if t not in inside]  # "1 октября 2019" holds the year
            if not free(m.start(), m.end()):
                continue
            label = f"{year}-{month:02d}"
            if day_s and 1 <= int(day_s) <= 31:
                label += f"-{int(day_s):02d}"
            out.append(TimeSpan(m.start(), m.end(), label, relative=not year_s))
    return sorted(out, key=lambda t: t.start)


_PREFIX_LETTER = re.compile(f"[{prefix_letter_class()}]")
BARE_YEAR = re.compile(r"(?<![\d.,])(?:1[89]|20)\d\d(?![\d.,]?\d)")


def _proclitic(sent: str, s: int) -> bool:
    """A word of one letter written against the number at `s` (`prefix_letter_class`): "ב2017",
    in 2017; "በ2016"."""
    return bool(_PREFIX_LETTER.fullmatch(sent, s - 1, s)) and not (s >= 2 and sent[s - 2].isalnum())


def bare_years(sent: str, times: list[TimeSpan], locale_words: re.Pattern[str] | None) -> list[TimeSpan]:
    """A language without a time grammar here still writes its years in digits ("в 2018 году",
    "2018年"): each four-digit number from 1800 to 2099 that no time expression holds, and that
    no scale, currency or percent word follows, is a year. A bare year the grammar read is
    dropped when such a word follows it ("2000 dolarów" is money)."""

    def amount_after(t: TimeSpan) -> bool:
        return (
            locale_words is not None
            and t.label == sent[t.start : t.end]
            and bool(locale_words.match(sent, t.end))
        )

    out = [t for t in times if not amount_after(t)]
    for m in BARE_YEAR.finditer(sent):
        s, e = m.start(), m.end()
        if any(not (e <= t.start or s >= t.end) for t in times):
            continue
        before = sent[s - 1 : s]
        if before and before.isalnum() and not no_space_rx().match(before) and not _proclitic(sent, s):
            continue  # part of a word or a code: "A2018"
        if locale_words is not None and locale_words.match(sent, e):
            continue  # "2040 万人": a count
        if PERCENT_RE.match(sent[e:]):
            continue
        out.append(TimeSpan(s, e, m.group(0)))
    return sorted(out, key=lambda t: t.start)
