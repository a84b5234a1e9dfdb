"""Bounds and approximations around a value: "more than 300", "plus de 300", "rund 500".

The phrase is read from the text just before the value (and, for "or more", just after),
so "plus de 300 employés" is a GT bound on 300 employees, not a claim of exactly 300.
"""

from __future__ import annotations

import re

from storyfold.model import Bound

_BEFORE: dict[Bound, str] = {
    Bound.GT: (
        r"more\s+than|over|above|in\s+excess\s+of|upwards\s+of|exceeding|a\s+little\s+over|"
        r"just\s+over|well\s+over|"
        r"plus\s+d['’]|plus\s+de|au-delà\s+de|au-dessus\s+de|"
        r"más\s+de|por\s+encima\s+de|"
        r"mehr\s+als|über|knapp\s+über|"
        r"più\s+di|oltre|oltre\s+a|"
        r"mais\s+de|acima\s+de"
    ),
    Bound.GE: (
        r"at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|"
        r"au\s+moins|pas\s+moins\s+de|au\s+minimum|"
        r"al\s+menos|por\s+lo\s+menos|como\s+mínimo|"
        r"mindestens|wenigstens|"
        r"almeno|non\s+meno\s+di|"
        r"pelo\s+menos|no\s+mínimo"
    ),
    Bound.LT: (
        r"less\s+than|fewer\s+than|under|below|just\s+under|"
        r"moins\s+d['’]|moins\s+de|en\s+dessous\s+de|"
        r"menos\s+de|por\s+debajo\s+de|"
        r"weniger\s+als|unter|knapp\s+unter|"
        r"meno\s+di|sotto|"
        r"abaixo\s+de"
    ),
    Bound.LE: (
        r"up\s+to|as\s+many\s+as|as\s+much\s+as|no\s+more\s+than|a\s+maximum\s+of|at\s+most|"
        r"jusqu['’]à|au\s+plus|au\s+maximum|"
        r"hasta|como\s+máximo|"
        r"bis\s+zu|höchstens|maximal|"
        r"fino\s+a|al\s+massimo|"
        r"até|no\s+máximo"
    ),
    Bound.APPROX: (
        r"about|around|approximately|roughly|nearly|almost|some|close\s+to|an\s+estimated|"
        r"estimated|circa|ca\.|approx\.|"
        r"environ|près\s+d['’]|près\s+de|quelque|quelques|autour\s+de|presque|"
        r"approximativement|"
        r"unos|unas|cerca\s+de|alrededor\s+de|aproximadamente|casi|"
        r"rund|etwa|ungefähr|fast|knapp|annähernd|gut|"
        r"circa|quasi|intorno\s+a|all['’]incirca|"
        r"cerca\s+de|quase|aproximadamente|por\s+volta\s+de"
    ),
}
_BEFORE_RX = re.compile(
    r"(?:^|(?<=[\s(\"'«“]))(?:"
    + "|".join(f"(?P<{b.name}>(?i:{rx}))" for b, rx in _BEFORE.items())
    + r")[ \u00a0]*$"
)
_AFTER_RX = re.compile(
    r"(?i)[ \u00a0]*(?:(?P<GE>or\s+more|ou\s+plus|o\s+más|oder\s+mehr|o\s+più|ou\s+mais|and\s+(?:up|above))"
    r"|(?P<LE>or\s+less|ou\s+moins|o\s+menos|oder\s+weniger|o\s+meno)"
    r"|(?P<APPROX>or\s+so|environ))(?![\w])"
)


def bound_before(text: str, start: int) -> tuple[Bound, int] | None:
    """A bound phrase ending right before `start`: (bound, where the phrase begins)."""
    lo = max(0, start - 28)
    m = _BEFORE_RX.search(text, lo, start)
    if not m:
        return None
    for b in _BEFORE:
        if m.group(b.name):
            return b, m.start(b.name)
    return None


def bound_after(text: str, pos: int) -> tuple[Bound, int] | None:
    """'or more' / 'ou plus' right after the value: (bound, end)."""
    m = _AFTER_RX.match(text, pos)
    if not m:
        return None
    for name in ("GE", "LE", "APPROX"):
        if m.group(name):
            return Bound[name], m.end()
    return None


# range openers: "between 5 and 7", "entre 5 et 7", "zwischen 5 und 7", "tra 5 e 7"
RANGE_OPEN = re.compile(r"(?i)(?:^|(?<=\s))(?:between|entre|zwischen|tra|fra|dai|dalle|dagli)[ \u00a0]*$")
RANGE_JOIN_AFTER_OPEN = re.compile(r"(?i)[ \u00a0]*(?:and|et|y|und|e|to|à|a|bis|ai|al|até)[ \u00a0]*")
# "from 5% to 7%" is a change, not a range: a dash/"to" range is refused after these
CHANGE_OPEN = re.compile(r"(?i)(?:^|(?<=\s))(?:from|de|desde|von|da|dal|dalla)[ \u00a0]*$")
RANGE_DASH = re.compile(r"[ \u00a0]?[-–—][ \u00a0]?|(?i:[ \u00a0]+(?:to|à|a|bis|al|até)[ \u00a0]+)")
