"""The fast paths of the cluster stage: names by hand, and pruning that never drops a row
that could decide a join or a merge, on the whole ECB+ stream."""

from __future__ import annotations

from storyfold.cluster import StoryClusterer
from storyfold.cluster import features as F
from storyfold.cluster.weigh import prepare
from storyfold_eval.datasets import ecbplus


def test_names_rule_by_hand():
    # sentence openers are dropped (after '.', ':', a newline, or at the very start, quotes and
    # spaces skipped); names in the sentence are kept, folded and cut to 7 characters
    text = 'Police said. "Berlin officials met Müller: Today in Moskau Москва, said Jean-Pierre Dupont.'
    assert F.names(text) == {"muller", "moskau", "moskva", "jean-pi", "dupont"}  # not Berlin: opens one
    assert F.names("Berlin is big") == set()  # text start
    assert F.names('  "Berlin is big') == set()  # only spaces and quotes before it
    assert F.names("x Berlin") == {"berlin"}
    assert F.names("U.S.Army and the Navy") == {"navy"}  # a dot right before: not a name start
    assert F.names("The one and The two") == set()  # a stop word is never a name


def test_capital_first_pattern_by_hand():
    """A capital (Latin, Cyrillic) not after a word character or a dot, and two more word
    characters, apostrophes or hyphens."""
    text = "Ab'''Cde x «Ёлка» и Ёж O'Neil d'Artagnan-Smith ÀÖØÞ ×Abc x.Abc aBcd Ab Ёжик"
    got = [m.group(1) for m in F._NAME.finditer(text)]
    assert got == ["Ab'''Cde", "Ёлка", "O'Neil", "Artagnan-Smith", "ÀÖØÞ", "Abc", "Ёжик"]


def test_terms_memo_gives_the_same_counts_when_full(monkeypatch):
    text = "Floods closed the harbour; the harbour reopened 2 days later, floods receding"
    want = {"floods": 2, "closed": 1, "harbour": 2, "reopene": 1, "days": 1, "later": 1, "recedin": 1}
    assert F.terms(text) == want
    monkeypatch.setattr(F, "_MEMO_MAX", 0)  # every call now clears the memo first
    assert F.terms(text) == want
    assert F.terms(text) == want


def test_pruning_keeps_every_row_that_could_decide(shared_data):
    """Every candidate at or above the join/merge floor keeps its exact row; only rows below it
    go, and on ECB+ most rows do."""
    c = StoryClusterer()
    floor = min(c.threshold, c.merge_threshold)
    kept = total = 0
    for g in ecbplus(shared_data):
        prep = prepare(g.article)
        q = c._query(g.article, prep, c._freqs.weigh(prep))
        full, fast = c._scored(q, None), c._scored(q, floor)
        assert set(fast) <= set(full)
        assert {r for r in full if c.model.prob(r[1]) >= floor} <= set(fast)
        kept, total = kept + len(fast), total + len(full)
        c.assign(g.article)
    assert kept < total / 2
