"""Fold on the five seed articles: one translation, one partial copy, two independent reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyfold.fold import FoldIndex
from storyfold.model import Article, Relation, RelationKind, article_id

_HEADER = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s+")


def read_seed(path: Path) -> Article:
    """Plain text, minus the leading 'date YYYY-MM-DD' header some seeds carry."""
    text = _HEADER.sub("", path.read_text(encoding="utf-8")).strip()
    text = "\n\n".join(p.strip() for p in text.split("\n\n") if p.strip())
    lang = "fr" if path.name.startswith("002") else "en"
    return Article(
        id=article_id(text, path.name[:3]),
        source=path.name,
        title="",
        text=text,
        lang=lang,
        outlet=path.name[:3],
    )


@pytest.fixture(scope="module")
def seed_relations(seeds_dir: Path) -> tuple[list[Article], list[Relation]]:
    arts = [read_seed(p) for p in sorted(seeds_dir.glob("0*.txt"))]
    assert [a.source[:3] for a in arts] == ["000", "001", "002", "003", "004"]
    index = FoldIndex()
    return arts, [r for a in arts for r in index.add(a)]


def _by_name(arts: list[Article], rels: list[Relation]) -> dict[tuple[str, str], set[RelationKind]]:
    name = {a.id: a.source[:3] for a in arts}
    out: dict[tuple[str, str], set[RelationKind]] = {}
    for r in rels:
        out.setdefault((name[r.a], name[r.b]), set()).add(r.kind)
    return out


def test_french_seed_is_a_translation_of_the_first(seed_relations):
    arts, rels = seed_relations
    assert _by_name(arts, rels).get(("000", "002")) == {RelationKind.TRANSLATION}
    (r,) = [x for x in rels if x.kind is RelationKind.TRANSLATION]
    assert r.score >= 0.5 and "anchors" in r.detail


def test_later_report_shares_the_two_quoted_paragraphs_but_is_no_copy(seed_relations):
    arts, rels = seed_relations
    assert _by_name(arts, rels).get(("000", "003")) == {RelationKind.PARTIAL}
    (r,) = [x for x in rels if x.kind is RelationKind.PARTIAL]
    assert r.detail == "2 shared paragraphs"


def test_independent_reports_are_not_folded(seed_relations):
    arts, rels = seed_relations
    pairs = _by_name(arts, rels)
    for other in ("001", "004"):
        assert ("000", other) not in pairs
    # only the two relations above: no translation of 002 to the other English reports
    assert sorted(pairs) == [("000", "002"), ("000", "003")]


def test_without_the_original_the_translation_finds_no_stand_in(seeds_dir: Path):
    """The French seed must not be linked to the best English report that is not its source:
    the threshold separates a translation from the same event reported in another language."""
    index = FoldIndex()
    arts = [read_seed(p) for p in sorted(seeds_dir.glob("0*.txt")) if not p.name.startswith("000")]
    assert [r for a in arts for r in index.add(a) if r.kind is RelationKind.TRANSLATION] == []


def test_same_input_order_gives_the_same_relations(seeds_dir: Path, seed_relations):
    arts, rels = seed_relations
    again = FoldIndex()
    assert [r for a in [read_seed(p) for p in sorted(seeds_dir.glob("0*.txt"))] for r in again.add(a)] == rels
    assert again.add(arts[0]) == []  # an article already seen is not related to itself


def test_the_encoder_is_extra_evidence_not_a_veto(seeds_dir: Path):
    """With an embedding, a pair the anchors alone accept stays a translation even when the
    encoder disagrees (it is weak on some language pairs); and a weak-anchor pair needs the
    encoder's model to clear its own, higher threshold."""
    from dataclasses import replace

    arts = {p.name[:3]: read_seed(p) for p in sorted(seeds_dir.glob("0*.txt"))}
    index = FoldIndex()
    index.add(arts["000"])
    index.add(arts["002"])
    (f, _) = next((f, p) for o, f, p in index.last_candidates if o == arts["000"].id)
    s = index.settings
    # a borderline pair: the same anchors, but fewer of them in place (a looser translation)
    loose = replace(f, seq=0.3, sentences=0.3)
    p_anchor = index.model.probability(loose)
    assert p_anchor >= s.translation_threshold
    for cosine in (0.0, 0.9):  # the encoder disagreeing, or even agreeing, must not veto it
        doubted = replace(loose, embedding=cosine)
        assert index.model.probability(doubted) < s.translation_threshold_with_embedding
        assert index._judge(doubted) == (pytest.approx(p_anchor), True)
    # with few anchors in place, the anchors alone reject; the encoder's model decides
    weak = replace(f, seq=0.2, sentences=0.2)
    assert index.model.probability(weak) < s.translation_threshold
    assert not index._judge(replace(weak, embedding=0.0))[1]
    # 001 is an independent report of the same story: neither model may accept it, even with
    # the encoder calling the two texts fairly close
    index.add(arts["001"])
    for other, g, _ in index.last_candidates:
        assert not index._judge(replace(g, embedding=0.5))[1], other
