"""Streaming limits: the arrival window for undated articles, capped index look-ups, features."""

from __future__ import annotations

from datetime import date

from storyfold.cluster import ClusterSettings, LinkModel, StoryClusterer
from storyfold.cluster.model import FEATURES
from storyfold.model import Article

XIAOMI = (
    "Xiaomi chief Lei Jun said the Beijing company will invest 10 billion dollars in "
    "electric cars and start mass production in 2024, hiring 300 engineers."
)
OTHER = [
    "Heavy rain flooded the harbour district of Valparaiso, closing the port for two days.",
    "The museum in Porto reopened its tile collection after a restoration lasting 18 months.",
    "A chess prodigy from Chennai won the junior title with a round to spare on Sunday.",
    "Farmers near Lyon reported a late frost that damaged apricot orchards across the valley.",
]


def art(i: str, text: str, d: date | None = None) -> Article:
    return Article(i, "t", text.split(",")[0], text, "en", d)


def test_undated_window_counts_arrivals():
    c = StoryClusterer(ClusterSettings(window_articles=3))
    assert c.assign(art("x1", XIAOMI)).new_story
    assert c.assign(art("x2", XIAOMI)).story_id == "sx1"  # within the window
    for i, t in enumerate(OTHER):
        assert c.assign(art(f"o{i}", t)).new_story
    # four arrivals since the story's last article: it no longer receives
    late = c.assign(art("x3", XIAOMI))
    assert late.new_story and late.story_id == "sx3"


def test_dated_window_edges_in_whole_days():
    """window_days=90: 90 days after the story's last article still joins, 91 does not; an
    article dated before the story joins too (the gap is not negative-capped)."""
    d0 = date(2021, 1, 10)
    c = StoryClusterer()
    assert c.assign(art("a", XIAOMI, d0)).new_story
    assert c.assign(art("b", XIAOMI, date(2021, 4, 10))).story_id == "sa"  # +90 days
    assert c.assign(art("c", XIAOMI, date(2020, 12, 1))).story_id == "sa"  # earlier
    late = c.assign(art("d", XIAOMI, date(2021, 7, 10)))  # +91 days after b
    assert late.new_story and late.story_id == "sd"


def test_keys_shared_by_too_many_stories_are_not_looked_up():
    c = StoryClusterer(ClusterSettings(max_posting=50, max_df_share=0.05))
    for i in range(200):  # 200 stories all holding the words "common" and "shared"
        c.restore(art(f"r{i}", f"common shared tok{i} mark{i}"), f"s{i}")
    # only the crowded keys in common: no candidate, so no scan of the 200 stories
    assert c.candidate_features(art("q", "common shared unrelated words")) == []
    # a rare key still finds its one story
    got = [sid for sid, _ in c.candidate_features(art("q2", "common shared tok17 mark17"))]
    assert got == ["s17"]


def test_year_features():
    zero = LinkModel((0.0,) * len(FEATURES), 0.0, 0.5)
    c = StoryClusterer(model=zero)
    c.restore(art("a", "Tara Reid checked into rehab in Malibu in 2008, her publicist said."), "s1")
    same = dict(
        zip(FEATURES, c.candidate_features(art("b", "Tara Reid rehab Malibu 2008"))[0][1], strict=True)
    )
    other = dict(
        zip(FEATURES, c.candidate_features(art("c", "Tara Reid rehab Malibu 2013"))[0][1], strict=True)
    )
    undated = dict(zip(FEATURES, c.candidate_features(art("d", "Tara Reid rehab Malibu"))[0][1], strict=True))
    assert (same["year_same"], same["year_clash"]) == (1.0, 0.0)  # 2008 in 1 of 1 articles
    assert (other["year_same"], other["year_clash"]) == (0.0, 1.0)
    assert (undated["year_same"], undated["year_clash"]) == (0.0, 0.0)
    # the publication year counts as a year the article speaks of
    dated = c.candidate_features(art("e", "Tara Reid rehab Malibu", date(2008, 5, 1)))[0][1]
    assert dated[FEATURES.index("year_same")] == 1.0


def test_shipped_model_has_every_feature():
    m = LinkModel.load()
    assert len(m.weights) == len(FEATURES) and 0.0 < m.threshold < 1.0
