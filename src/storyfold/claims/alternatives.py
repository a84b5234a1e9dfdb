"""Long lists of words matched right after a number, compiled only where a text needs them.

A locale's currency names or unit names are hundreds of alternatives, and compiling them into
one pattern took much of a language's start-up in every process, while a text only ever
offers a few first letters where such a word may begin. `Alternatives` keeps the words in
their order of preference and compiles, once per set of first letters met, the pattern of
the words that can begin with them. A word left out cannot begin where the text offers a
word, so the match is the one the pattern of all of them gives: the first alternative, in
order, that matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence


def first_token(pattern: str) -> str:
    """The pattern of an alternative's first letter: "a", "\\-" or a class "[eé]"."""
    if pattern.startswith("["):
        return pattern[: pattern.index("]") + 1]
    return pattern[:2] if pattern.startswith("\\") else pattern[:1]


class Alternatives:
    """`before` + one of `alternatives` (each a pattern without groups of its own) + `after`,
    matched at the start of a string with `flags`; `starts(text)` gives the characters an
    alternative may begin with in it (after what `before` may take)."""

    def __init__(
        self,
        before: str,
        alternatives: Sequence[str],
        after: str,
        flags: re.RegexFlag,
        starts: Callable[[str], Iterable[str]],
    ) -> None:
        self._before, self._after, self._flags, self._starts = before, after, flags, starts
        self._alts = list(alternatives)
        self._of_lead: dict[str, list[int]] = {}
        for i, alt in enumerate(self._alts):
            self._of_lead.setdefault(first_token(alt), []).append(i)
        self._leads = [(tok, re.compile(tok, flags)) for tok in self._of_lead]
        self._by_char: dict[str, frozenset[str]] = {}
        self._compiled: dict[frozenset[str], tuple[re.Pattern[str], list[int]]] = {}

    def _leads_of(self, ch: str) -> frozenset[str]:
        got = self._by_char.get(ch)
        if got is None:
            got = self._by_char[ch] = frozenset(tok for tok, rx in self._leads if rx.fullmatch(ch))
        return got

    def match(self, text: str) -> tuple[int, re.Match[str]] | None:
        """(index of the alternative, the match), or None."""
        leads: set[str] = set()
        for ch in self._starts(text):
            if ch:
                leads |= self._leads_of(ch)
        if not leads:
            return None
        key = frozenset(leads)
        got = self._compiled.get(key)
        if got is None:
            idx = sorted(i for tok in key for i in self._of_lead[tok])
            body = "|".join(f"({self._alts[i]})" for i in idx)
            got = self._compiled[key] = (
                re.compile(f"{self._before}(?:{body}){self._after}", self._flags),
                idx,
            )
        m = got[0].match(text)
        if m is None or m.lastindex is None:
            return None
        return got[1][m.lastindex - 1], m
