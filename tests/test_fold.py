"""Fold: duplicates, near-duplicates, shared paragraphs and translations, on real and written text."""

from __future__ import annotations

from storyfold.fold import FoldIndex
from storyfold.ingest import Ingestor, read_inputs
from storyfold.model import Article, RelationKind, article_id

BASE = (
    "The regional government of Lorvane approved on Tuesday a plan to build a 40-kilometre tram line "
    "linking the airport with the old town, at a cost of 1.2 billion euros.\n\n"
    "Works should start in the second half of 2026 and the first trams should run in 2029, said the "
    "transport minister, Hella Marsk, after a four-hour session of the regional council.\n\n"
    "The opposition criticised the cost and asked for an independent audit of the traffic forecasts, "
    "which expect 90,000 passengers a day by 2035 on the new line."
)


def _art(text: str, lang: str = "en", outlet: str = "Lorvane Post") -> Article:
    return Article(
        id=article_id(text, outlet), source=outlet, title=text[:40], text=text, lang=lang, outlet=outlet
    )


def _kinds(rels, a: Article) -> set[RelationKind]:
    return {r.kind for r in rels if r.a == a.id}


def test_exact_copy_from_another_outlet_is_a_duplicate():
    idx = FoldIndex()
    first = _art(BASE)
    assert idx.add(first) == []
    copy = _art(BASE.replace("\n\n", "\n\n  "), outlet="Wire Mirror")
    assert _kinds(idx.add(copy), first) == {RelationKind.DUPLICATE}


def test_headline_only_items_are_not_all_one_duplicate():
    """Feed items and wire flashes can carry a headline and no body: different headlines are
    different articles, the same headline twice is a duplicate."""
    idx = FoldIndex()
    flashes = [
        Article(id=f"h{i}", source="wire", title=t, text="", lang="en")
        for i, t in enumerate(
            ["Tram line to Lorvane airport approved", "Harbour strike ends after eight days"]
        )
    ]
    assert idx.add(flashes[0]) == [] and idx.add(flashes[1]) == []
    again = Article(
        id="h9", source="mirror", title="Tram line to Lorvane airport approved", text="", lang="en"
    )
    assert [(r.a, r.kind) for r in idx.add(again)] == [("h0", RelationKind.DUPLICATE)]


def test_lightly_edited_republication_is_a_near_duplicate_not_a_new_article():
    idx = FoldIndex()
    first = _art(BASE)
    idx.add(first)
    edited = BASE.replace("after a four-hour session", "after a long session").replace(
        "Tuesday", "Tuesday evening"
    )
    near = _art("Share this article\n\n" + edited, outlet="Syndicated Daily")
    rels = idx.add(near)
    assert _kinds(rels, first) == {RelationKind.NEAR_DUPLICATE}
    unrelated = _art(
        "A storm cut power to 12,000 homes in the northern valleys overnight, the grid operator said, "
        "and crews expected to restore supply by Thursday afternoon after clearing fallen trees."
    )
    assert idx.add(unrelated) == []


def test_seed_translation_and_partial_copy(seeds_dir):
    ing = Ingestor()
    arts = [ing.article(r) for r in read_inputs([seeds_dir])]
    name = {a.id: a.source.rsplit("/", 1)[-1][:3] for a in arts}
    idx = FoldIndex()
    rels = [r for a in arts for r in idx.add(a)]
    found = {(name[r.a], name[r.b], r.kind) for r in rels}
    assert ("000", "002", RelationKind.TRANSLATION) in found
    assert ("000", "003", RelationKind.PARTIAL) in found
    assert not {k for a, b, k in found if {a, b} in ({"000", "001"}, {"000", "004"}, {"002", "003"})}
    assert not {k for a, b, k in found if k in (RelationKind.DUPLICATE, RelationKind.NEAR_DUPLICATE)}


def test_same_input_same_relations():
    def run():
        idx = FoldIndex()
        out = []
        for i, t in enumerate([BASE, BASE + "\n\nMore to follow.", BASE.upper()]):
            out.extend(idx.add(_art(t, outlet=f"o{i}")))
        return out

    assert run() == run()
