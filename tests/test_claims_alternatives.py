"""Currency and unit names matched by their first letters give what the pattern of all of them
gives: the same word, its code, the same end, on every name CLDR has in a few locales."""

from __future__ import annotations

import re

import pytest

from storyfold.claims import cldr
from storyfold.claims.alternatives import Alternatives
from storyfold.claims.figures import _name_form, _name_starts
from storyfold.claims.numparse import BEFORE_CURRENCY


def _whole(alts: list[str]) -> re.Pattern[str]:
    body = "|".join(f"({a})" for a in alts)
    return re.compile(rf"{BEFORE_CURRENCY}(?:{body})(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize("lang", ["en", "fr", "de", "ru", "cs", "it"])
def test_currency_names_by_first_letter_match_as_the_whole_list(lang):
    names = sorted(cldr.currency_names(lang).items(), key=lambda wc: (-len(wc[0]), wc[0]))
    assert len(names) > 100
    alts = [_name_form(w) for w, _ in names]
    whole = _whole(alts)
    lazy = Alternatives(BEFORE_CURRENCY, alts, r"(?!\w)", re.IGNORECASE, _name_starts)
    texts = []
    for word, _ in names:
        texts += [
            f" {word} ",
            f" {word.upper()} and",
            f" de {word}",
            f"{word}s x",
            f" d'{word}",
            f" {word[:-2]}",
        ]
    texts += [" millions de dollars", " people", "", " ", " of the", " d’euros"]
    seen = 0
    for text in texts:
        w = whole.match(text)
        got = lazy.match(text)
        if w is None or w.lastindex is None:
            assert got is None, text
            continue
        seen += 1
        assert got is not None, text
        assert (got[0], got[1].end()) == (w.lastindex - 1, w.end()), text
    assert seen > len(names)  # most names were found, as the whole pattern finds them
