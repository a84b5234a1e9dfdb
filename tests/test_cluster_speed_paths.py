"""The fast paths of the cluster stage decide exactly what the plain ones did.

Names: the capital-first pattern against the look-behind-first one it replaced, and the
sentence-opening rule on hand-made cases. Pruning: a clusterer that never skips a candidate
(no floor) makes the same assignments on real ECB+ topics.
"""

from __future__ import annotations

import re

from storyfold.cluster import StoryClusterer
from storyfold.cluster import features as F
from storyfold.cluster.data import ecbplus

# the pattern as first written: look-behind, then the capital
_PLAIN_NAME = re.compile(r"(?<![\w.])([A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]{2,})")


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


def test_capital_first_pattern_matches_the_plain_one(shared_data):
    texts = [f"{g.article.title}\n\n{g.article.text}" for g in ecbplus(shared_data)]
    texts += ["Ab'''Cde x", "«Ёлка» и Ёж", "O'Neil and d'Artagnan-Smith met ÀÖØÞ ×Abc"]
    for t in texts:
        assert [m.span(1) for m in F._NAME.finditer(t)] == [m.span(1) for m in _PLAIN_NAME.finditer(t)]


def test_terms_memo_gives_the_same_counts_when_full(monkeypatch):
    text = "Floods closed the harbour; the harbour reopened 2 days later, floods receding"
    want = {"floods": 2, "closed": 1, "harbour": 2, "reopene": 1, "days": 1, "later": 1, "recedin": 1}
    assert F.terms(text) == want
    monkeypatch.setattr(F, "_MEMO_MAX", 0)  # every call now clears the memo first
    assert F.terms(text) == want
    assert F.terms(text) == want


class _NoPruning(StoryClusterer):
    def _scored(self, q, floor=None):  # noqa: ANN001, ANN202 - test double
        return super()._scored(q, None)


def test_pruning_changes_no_assignment(shared_data):
    golds = ecbplus(shared_data, topics={2, 5, 12})
    fast, full = StoryClusterer(), _NoPruning()
    for g in golds:
        assert fast.assign(g.article) == full.assign(g.article)
    assert len(set(fast.labels().values())) < len(golds)  # the stream did join articles
