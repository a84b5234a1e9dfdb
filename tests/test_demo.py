"""The built-in demo corpus gives the answers its README promises (src/storyfold/demo/corpus/README.md)."""

from __future__ import annotations

import pytest

from storyfold.cli import demo_corpus
from storyfold.model import RelationKind
from storyfold.pipeline import Library


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with Library(tmp_path_factory.mktemp("demo") / "demo.db") as lib:
        report = lib.ingest([demo_corpus()])
        briefs = [lib.brief(s.id) for s in lib.list_stories()]
    return report, briefs


def _key(article) -> str:
    """A1..C3 from the README's table: JSONL ids carry it; files are named per article."""
    src = article.source.rsplit("/", 1)[-1]
    names = {
        "wirtschaftsblatt-corvane-velsburg.html": "A4",
        "harbourlight-feed.xml#entry 1": "C1",
        "harbourlight-feed.xml#entry 2": "B2",
        "almaren-strike-ends.txt": "B3",
        "brightmoor-calder-bay-reaction.txt": "C2",
    }
    if src in names:
        return names[src]
    line = int(src.rsplit("line ", 1)[1])
    return ["A1", "A2", "A3", "A5", "A6", "B1", "C3"][line - 1]


def test_every_input_is_read_and_three_stories_come_out(demo):
    report, briefs = demo
    assert report.added == 12 and not report.errors
    stories = sorted(sorted(_key(a) for a in b.articles) for b in briefs)
    assert stories == [["A1", "A2", "A3", "A4", "A5", "A6"], ["B1", "B2", "B3"], ["C1", "C2", "C3"]]


def test_translation_near_duplicate_and_partial_copy(demo):
    _, briefs = demo
    rel = set()
    for b in briefs:
        key = {a.id: _key(a) for a in b.articles}
        rel |= {(key[r.a], key[r.b], r.kind) for r in b.relations}
    assert ("A1", "A2", RelationKind.TRANSLATION) in rel
    assert ("A1", "A3", RelationKind.NEAR_DUPLICATE) in rel
    assert any(k is RelationKind.PARTIAL and {a, b} == {"B2", "B3"} for a, b, k in rel)
    # independent reports are not folded into each other
    folded = {frozenset((a, b)) for a, b, k in rel if k is not RelationKind.PARTIAL}
    for independent in (("A1", "A4"), ("A1", "A6"), ("A4", "A5"), ("B1", "B2"), ("C1", "C3")):
        assert frozenset(independent) not in folded, independent


def test_the_planted_investment_conflict_is_flagged(demo):
    _, briefs = demo
    story_a = next(b for b in briefs if len(b.articles) == 6)
    key = {a.id: _key(a) for a in story_a.articles}
    invest = [f for f in story_a.facts if f.predicate == "invest" and f.unit == "EUR"]
    assert invest, [(f.predicate, f.display) for f in story_a.facts]
    fact = max(invest, key=lambda f: len(f.supporting))
    assert fact.value == pytest.approx(3.2e9)
    assert {key[a] for v in fact.conflicting for a in v.article_ids} == {"A5"}


def test_page_chrome_is_gone_from_the_html_and_the_syndicated_copy(demo):
    _, briefs = demo
    texts = {_key(a): a.text for b in briefs for a in b.articles}
    assert "Subscribe to our newsletter" not in texts["A3"]
    assert "cookie" not in texts["A4"].lower()
    assert not texts["C1"].rstrip().endswith("business news.")
