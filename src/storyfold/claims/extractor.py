"""Claims from one article: every value (money, percent, count, quantity, time) with context.

Per sentence: time expressions first (`timeparse`; so years are not read as counts), then
numbers with what is written around them (`figures`: bound, currency, scale, percent, counted
noun, rate), then the predicate from trigger words near the value (`predicates`), the subject
(`subjects`: nearest preceding organisation name, or for "the company" / "l'entreprise" /
"das Unternehmen" the organisation the article named last) and, for non-time values, the
period stated in the same clause (here).

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
from dataclasses import replace
from datetime import date

from storyfold.claims import lexicon as lx
from storyfold.claims.cldr import month_first as cldr_month_first
from storyfold.claims.figures import collective_numbers, glued_numbers, read_figures
from storyfold.claims.locales import (
    bare_years,
    decade_times,
    locale_dates,
    locale_reference,
    locale_times,
    locale_words,
)
from storyfold.claims.numparse import (
    KNOWN_COUNTED,
    Value,
)
from storyfold.claims.numwords import word_number_regex
from storyfold.claims.predicates import PERIOD_PREP, is_year_of_count, time_predicate, value_predicate
from storyfold.claims.sentences import clause_of, sentences
from storyfold.claims.subjects import Subjects
from storyfold.claims.timeparse import (
    TimeSpan,
    clock_spans,
    find_times,
    infer_reference,
    time_cues,
    time_words,
    undated_days,
)
from storyfold.model import Article, Claim, ValueKind
from storyfold.textnorm import ascii_digits

LANGS = {"en", "fr", "es", "de", "it", "pt"}


_DIGIT = re.compile(r"\d")


# "The company has hired more than 300 employees": a definite description of an organisation
# stands for the organisation the article named last.
def extract_claims(article: Article) -> list[Claim]:
    """Every value stated in the article, as claims sorted by offset (deterministic)."""
    text = article.text
    lang = article.lang if article.lang in LANGS else "en"
    # a language the grammar does not know: its numbers, scales, currencies from CLDR
    locale = article.lang if lang != article.lang and article.lang not in ("", "und") else None
    after_number = locale_words(locale) if locale else None
    # decades named with the word for one: every language but English, which the grammar reads
    decades = article.lang not in ("", "und", "en")
    low = text.lower()
    ref: date | None = article.published
    year_only = False
    # the article's time words (all the time functions ask about); a sentence's time words are
    # among them, since sentences break at non-word characters
    vocab = time_words(low)
    month_first = cldr_month_first(article.lang) if article.lang not in ("", "und") else True
    if ref is None:
        ref = infer_reference(text, low, vocab)
        if ref is None and locale:
            ref = locale_reference(text, locale)
        year_only = True
    cues = _cues(text, low, vocab, article.lang if article.lang not in ("", "und") else lang, locale)
    subject = Subjects(text, lang)
    claims: list[Claim] = []
    amounts: dict[float, str] = {}  # the article's scaled sums of money so far, by value
    # A sentence without a digit and without a month or year word states no value and no
    # time; most sentences are such, and skipping them is most of the extraction speed.
    # The next digit and the next cue at or after a sentence's start, kept while the sentences
    # before them are skipped: one search per digit-bearing stretch, not one per sentence.
    next_digit = -1
    n_cues = len(cues)
    ci = 0
    for s0, s1 in sentences(text, article.lang if article.lang not in ("", "und") else None):
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
        times = find_times(sent, ref, year_only, vocab, month_first)
        if decades:
            times = decade_times(sent, times, article.lang)
        if locale:
            times = bare_years(sent, locale_times(sent, times, locale, ref), after_number)
        times = [t for t in times if not is_year_of_count(sent, t, lang)]
        blocked = [(t.start, t.end) for t in times] + clock_spans(sent)
        if ref is None:
            blocked += undated_days(sent, vocab, month_first)
        values = _elided_currencies(read_figures(sent, lang, blocked, locale), amounts)
        limit = max([t.start for t in times] + [v.start for v in values], default=0)
        datelines = [t for t in times if s0 == 0 and is_dateline(sent, t)]
        for t in times:
            claims.append(
                Claim(
                    article_id=article.id,
                    kind=ValueKind.TIME,
                    value=None,
                    unit="",
                    predicate="dateline" if t in datelines else time_predicate(sent, t),
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
            pred, value = value_predicate(sent, v)
            if not _finite(value) or not _finite(v.value_high):
                continue  # "1e400", a thousand digits: no figure anyone can compare
            period = _period_of(sent, v, [t for t in times if t not in datelines] if datelines else times)
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


# a wire story's opening: its place, the date, the agency, a dash ("MADRID, June 21 (Reuters) -",
# "PARIS, 12 mars (AFP) -", "MUNICH, March 10 (Meridian Wire) -")
_DATELINE_PLACE = re.compile(r"\W*[^\W\d_][^\n,.;:!?]{0,40},\s*")
_DATELINE_END = re.compile(r"\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/)?\s*[-\u2013\u2014:]")


def _elided_currencies(values: list[Value], amounts: dict[float, str]) -> list[Value]:
    """A scaled sum said again without its currency ("le plan de 700 milliards de dollars ...
    le plan de 700 milliards vise", "i 700 miliardi di dollari ... dei 700 miliardi dipende")
    is the same money, not 700 billion of the next word. `amounts` (value -> currency, "" when
    two currencies gave it) carries the article's scaled sums from sentence to sentence; a
    count stays a count when its noun is one the grammar knows ("2 million people")."""
    out = values
    for i, v in enumerate(values):
        if not v.has_scale or v.value_high is not None:
            continue
        if v.kind is ValueKind.MONEY:
            known = amounts.setdefault(v.value, v.unit)
            if known != v.unit:
                amounts[v.value] = ""
        elif (
            v.kind is ValueKind.COUNT
            and v.unit not in KNOWN_COUNTED
            and amounts.get(v.value)
            and v.bare_end > 0
        ):
            if out is values:
                out = list(values)
            out[i] = replace(
                v, kind=ValueKind.MONEY, unit=amounts[v.value], end=v.bare_end, noun_end=v.bare_end
            )
    return out


def is_dateline(sent: str, t: TimeSpan) -> bool:
    """Whether a date is the dateline an article opens with: when and where it was filed, not a
    fact of the story (the article's date, which its metadata gives or a reader takes from it)."""
    return (
        _DATELINE_PLACE.fullmatch(sent, 0, t.start) is not None
        and _DATELINE_END.match(sent, t.end) is not None
    )


def _cues(text: str, low: str, vocab: set[str], spelled_lang: str, locale: str | None) -> list[int]:
    """Where a sentence without a digit may still state a value or a time: the time words, the
    numbers written in words ("four people"), the locale's month names and "last year"."""
    cues = time_cues(text, low, vocab)
    # numbers in words: spelled out, nouns of about so many ("une vingtaine"), in a language
    # without spaces before a unit of time ("两年"); and the locale's month and year words
    words = [
        word_number_regex(spelled_lang),
        None if locale else collective_numbers(spelled_lang),
        glued_numbers(locale) if locale else None,
        locale_dates(locale)[2] if locale else None,
    ]
    more = [m.start() for rx in words if rx is not None for m in rx.finditer(text)]
    return sorted(cues + more) if more else cues


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
        and PERIOD_PREP.search(sent[max(0, t.start - 20) : t.start])
    ]
    if not in_clause and c0 > 0:
        lead = sent[: clause_of(sent, 0, 1)[1]]
        if len(lead.split()) <= 4:
            in_clause = [
                t
                for t in times
                if not t.relative
                and t.end <= len(lead)
                and PERIOD_PREP.search(sent[max(0, t.start - 20) : t.start])
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
