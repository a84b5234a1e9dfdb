"""What a value or a time is of: the trigger words near it ("invest", "revenue", "launch"),
and whether a year stands as the count it precedes."""

from __future__ import annotations

import re

from storyfold.claims import lexicon as lx
from storyfold.claims.figures import aged_before, appositive_age
from storyfold.claims.numparse import (
    DURATION_UNITS,
    NOUNS,
    PERCENT_RE,
    SUFFIX_CURRENCY_RE,
    WORD_AFTER_RE,
    Value,
    scale_regex,
)
from storyfold.claims.sentences import clause_of
from storyfold.claims.timeparse import (
    TimeSpan,
)
from storyfold.model import ValueKind

_FOUR_DIGITS = re.compile(r"\d{4}")


def is_year_of_count(sent: str, t: TimeSpan, lang: str) -> bool:
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


def time_predicate(sent: str, t: TimeSpan) -> str:
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


def value_predicate(sent: str, v: Value) -> tuple[str, float]:
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
            sent[v.start : v.end].endswith("old")
            or appositive_age(sent, v.start, v.end, v.value)
            or aged_before(sent, v.start)
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

PERIOD_PREP = re.compile(
    r"(?:^|\b)(?=[adefilnop])(?:in|en|im|for|für|during|au|pour|durante|del|de|of|el|le|dans|nel|no|em|im\s+jahr)\s+"
    r"(?:the\s+|l['’]|el\s+|fiscal\s+|(?:the\s+)?year\s+|(?:l['’])?année\s+|el\s+año\s+|)?$",
    re.IGNORECASE,
)
