"""What a claim's value means next to another's: compatible, similar, how specific.

Why its own module: truth discovery needs a notion of "can both be true" that knows about
rounding (1.8e9 and 1.79e9), bounds ("more than 300"), periods (2024 holds 2024-H1) and
lists of names ("Knuth" fits "Donald E. Knuth"), and the same notion decides which voices
support and which contradict a fact.
"""

from __future__ import annotations

import math
from functools import lru_cache

from storyfold.model import Bound, Claim, Period, ValueKind
from storyfold.reconcile import names

REL_TOLERANCE = 0.05  # 1.8e9 and 1.79e9 agree; 1.8e9 and 1.8e6 do not
# how far a one-sided bound reaches: "more than 300" fits 320 and 590, not 600 nor 3,000, and
# "up to $6 million" does not fit $6. A writer who knew of 3,000 would not say "more than
# 300", and "over 6 GW" and "over 15 GW" are two figures, not one stated twice.
BOUND_REACH = 2.0
GRANULARITY_RANK = {"decade": 0, "year": 1, "half": 2, "quarter": 3, "month": 4, "day": 5}


def agree(x: Claim, y: Claim) -> bool:
    """Whether two claims of one slot can both be true."""
    if x.kind is ValueKind.TIME or y.kind is ValueKind.TIME:
        try:
            return bool(x.period and y.period and Period(x.period).compatible(Period(y.period)))
        except ValueError:
            return x.period == y.period
    if x.kind is ValueKind.NAMES or y.kind is ValueKind.NAMES:
        a, b = names.parse_names(x.surface), names.parse_names(y.surface)
        return names.compatible(a, b)
    if x.value is None or y.value is None:
        return False
    return _fits(x, y.value) or _fits(y, x.value)


def similarity(x: Claim, y: Claim) -> float:
    """Partial support between incompatible values: only lists have a graded overlap."""
    if x.kind is ValueKind.NAMES and y.kind is ValueKind.NAMES:
        return names.similarity(names.parse_names(x.surface), names.parse_names(y.surface))
    return 0.0


@lru_cache(maxsize=65536)
def rounding_unit(v: float) -> float:
    """The precision a stated number implies: 1.79e9 -> 1e7, 478403 -> 1, 5.4 -> 0.1."""
    if v == 0 or not math.isfinite(v):
        return 1.0
    if float(v).is_integer():
        digits = str(int(abs(v)))
        return 10.0 ** (len(digits) - len(digits.rstrip("0")))
    decimals = len(f"{abs(v):.6f}".rstrip("0").split(".")[1])
    return 10.0**-decimals


def _fits(c: Claim, v: float) -> bool:
    """Does value v satisfy what claim c states (its bound or range)?

    Two figures agree when they differ by less than the rounding of the coarser one
    (1.8e9 and 1.79e9 do; census counts 478,403 and 470,000 do not), and never by more
    than REL_TOLERANCE of their size.
    """
    if c.value is None:  # a names claim holds no figure to fit
        return False
    lo = c.value
    hi = c.value_high if c.value_high is not None else lo
    size = max(abs(lo), abs(hi), 1e-12)
    tol = min(REL_TOLERANCE * size, max(rounding_unit(lo), rounding_unit(v)) / 2) + 1e-9 * size
    match c.bound:
        case Bound.GT | Bound.GE:
            return lo - tol <= v and (lo <= 0 or v < lo * BOUND_REACH)
        case Bound.LT | Bound.LE:
            return v <= hi + tol and (hi <= 0 or v > hi / BOUND_REACH)
        case Bound.RANGE:
            return lo - tol <= v <= hi + tol
        case Bound.APPROX:  # "about 500,000" is a loose figure by its own word
            return abs(v - lo) <= REL_TOLERANCE * size
        case _:
            return abs(v - lo) <= tol


def value_key(c: Claim) -> tuple[object, ...]:
    """Claims with the same key state the same value (one candidate)."""
    if c.kind is ValueKind.NAMES:
        return (c.kind, names.key(names.parse_names(c.surface)))
    return (c.kind, c.value, c.value_high, c.bound, c.period)


def specificity(c: Claim) -> float:
    """How much a value commits to: finer periods, fuller name lists, exact and precise figures.

    600,000 is compatible with 596,638 and says less; "more than 300" says less than 320.
    """
    if c.kind is ValueKind.TIME and c.period:
        try:
            return GRANULARITY_RANK[Period(c.period).granularity]
        except ValueError:
            return 0
    if c.kind is ValueKind.NAMES:
        return names.completeness(names.parse_names(c.surface))
    if c.value is None:
        return 0.0
    precision = -math.log10(rounding_unit(c.value))  # 596638 -> 0, 600000 -> -4, 5.4 -> 1
    return (100.0 if c.bound is Bound.EQ else 0.0) + precision
