"""The first acceptance case: the five seed reports of one announcement (../shared/data/seeds).

Expectations come from the seeds' README, written by people who read the articles; the
whole flow runs through the real store, as `storyfold ingest` does.
"""

from __future__ import annotations

from datetime import date

import pytest

from storyfold.model import Fact, Period, RelationKind, StoryBrief, ValueKind
from storyfold.pipeline import Library


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seeds_dir):
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Library(db) as lib:
        report = lib.ingest([seeds_dir])
        stories = lib.list_stories()
        briefs = [lib.brief(s.id) for s in stories]
    return report, briefs


def _ids(brief: StoryBrief) -> dict[str, str]:
    """Seed file prefix ('000'...) -> article id."""
    return {a.source.rsplit("/", 1)[-1][:3]: a.id for a in brief.articles}


def _by_file(brief: StoryBrief) -> dict[str, str]:
    return {v: k for k, v in _ids(brief).items()}


def _fact(brief: StoryBrief, predicate: str, unit: str | None = None) -> Fact:
    hits = [f for f in brief.facts if f.predicate == predicate and (unit is None or f.unit == unit)]
    assert hits, (
        f"no {predicate}/{unit} fact; facts: {[(f.predicate, f.unit, f.display) for f in brief.facts]}"
    )
    return max(hits, key=lambda f: len(f.supporting))


def _files(brief: StoryBrief, voices) -> set[str]:
    names = _by_file(brief)
    return {names[a] for v in voices for a in v.article_ids}


def test_five_articles_one_story_two_languages(seeded):
    report, briefs = seeded
    assert report.added == 5 and not report.errors
    assert len(briefs) == 1
    brief = briefs[0]
    assert sorted(_ids(brief)) == ["000", "001", "002", "003", "004"]
    assert set(brief.story.languages) == {"en", "fr"}
    langs = {_by_file(brief)[a.id]: a.lang for a in brief.articles}
    assert langs == {"000": "en", "001": "en", "002": "fr", "003": "en", "004": "en"}


def test_dates_of_000_and_003_and_no_invented_dates(seeded):
    brief = seeded[1][0]
    dates = {_by_file(brief)[a.id]: a.published for a in brief.articles}
    assert dates["000"] == date(2021, 10, 19)
    assert dates["003"] == date(2021, 11, 29)
    assert dates["001"] is None and dates["002"] is None and dates["004"] is None


def test_relations_translation_and_partial_copy(seeded):
    brief = seeded[1][0]
    ids = _ids(brief)
    pairs = {(frozenset((r.a, r.b)), r.kind) for r in brief.relations}
    assert (frozenset((ids["000"], ids["002"])), RelationKind.TRANSLATION) in pairs
    between_000_003 = {k for p, k in pairs if p == frozenset((ids["000"], ids["003"]))}
    assert RelationKind.PARTIAL in between_000_003
    assert not between_000_003 & {RelationKind.DUPLICATE, RelationKind.NEAR_DUPLICATE}
    # 001 and 004 report the announcement independently: nothing folds them into 000
    for other in ("001", "004"):
        folded = {
            k for p, k in pairs if p == frozenset((ids["000"], ids[other])) and k != RelationKind.PARTIAL
        }
        assert not folded, other


def test_page_chrome_is_gone_and_content_kept(seeded):
    brief = seeded[1][0]
    text = {_by_file(brief)[a.id]: a.text for a in brief.articles}
    for chrome in (
        "Search Search",
        "add a comment",
        "Comment sent successfully",
        "End of content",
        "No more pages",
    ):
        assert chrome not in text["001"], chrome
    assert "logo image" not in text["004"]
    assert "DeepMotion" in text["001"] and "Zang Ziyuan" in text["004"]
    assert text["000"].startswith("After confirming")  # the date header is metadata, not text


def test_investment_consensus_and_the_outlier(seeded):
    brief = seeded[1][0]
    fact = _fact(brief, "invest", "USD")
    assert fact.value == pytest.approx(1e10)
    assert {"000", "002", "003", "004"} <= _files(brief, fact.supporting)
    assert _files(brief, fact.conflicting) == {"001"}
    assert [v.display for v in fact.conflicting] == ["10 million USD"]
    # 002 is a translation of 000: one voice, not two
    voices_000 = [v for v in fact.supporting if brief.articles and _ids(brief)["000"] in v.article_ids]
    assert len(voices_000) == 1 and _ids(brief)["002"] in voices_000[0].article_ids


def test_production_start_first_half_2024_with_2025_flagged(seeded):
    brief = seeded[1][0]
    fact = _fact(brief, "production_start")
    assert fact.kind is ValueKind.TIME and fact.period == "2024-H1"
    assert {"000", "001", "004"} <= _files(brief, fact.supporting)
    assert _files(brief, fact.conflicting) == {"004"}
    assert any("2025" in v.display for v in fact.conflicting)


def test_other_facts_are_attributed_to_the_right_files(seeded):
    brief = seeded[1][0]
    extra = _fact(brief, "invest_additional", "USD")
    assert extra.value == pytest.approx(1.5e9)
    assert _files(brief, extra.supporting) == {"000", "002"}
    jobs = _fact(brief, "employees")
    assert jobs.value == pytest.approx(300) and _files(brief, jobs.supporting) == {"000", "002", "003"}
    capacity = _fact(brief, "capacity")
    assert capacity.value == pytest.approx(300_000) and _files(brief, capacity.supporting) == {"003"}
    shares = _fact(brief, "share_move")
    assert shares.value == pytest.approx(5.4) and _files(brief, shares.supporting) == {"004"}


def test_each_fact_names_its_company(seeded):
    """The table's facts are about Xiaomi, except Tesla's output; "the company" in 000/002/003
    and "the smartphone manufacturer" in 004 stand for Xiaomi named earlier in the article."""
    brief = seeded[1][0]
    for predicate in (
        "invest",
        "invest_additional",
        "employees",
        "capacity",
        "share_move",
        "production_start",
    ):
        fact = _fact(brief, predicate)
        assert fact.subject and fact.subject.startswith("Xiaomi"), (predicate, fact.subject)
    tesla = [f for f in brief.facts if f.predicate == "output" and f.period == "2020"]
    assert len(tesla) == 1 and tesla[0].subject == "Tesla"
    assert tesla[0].value == pytest.approx(500_000) and _files(brief, tesla[0].supporting) == {"003"}
    assert not tesla[0].disputed


def test_only_the_two_real_conflicts_are_flagged(seeded):
    brief = seeded[1][0]
    disputed = sorted(f.predicate for f in brief.facts if f.disputed)
    assert disputed == ["invest", "production_start"]


def test_timeline_has_the_dated_events_in_order(seeded):
    brief = seeded[1][0]
    periods = [t.period for t in brief.timeline]
    starts = [Period(p).start for p in periods]
    assert starts == sorted(starts)  # chronological
    for p in ("2013", "2015", "2021-03", "2021-08", "2021-10-19", "2021-11-29", "2024-H1"):
        assert p in periods, (p, periods)


def test_reingesting_the_seeds_adds_nothing(tmp_path, seeds_dir):
    db = tmp_path / "again.db"
    with Library(db) as lib:
        lib.ingest([seeds_dir])
        counts = {t: lib.store.count(t) for t in ("raw", "articles", "relations", "claims", "stories")}
    with Library(db) as lib:  # a new process: indexes rebuilt from the store
        again = lib.ingest([seeds_dir])
        assert again.added == 0 and again.skipped == 5
        assert {t: lib.store.count(t) for t in counts} == counts


def test_timeline_shows_each_sentence_once_and_only_the_first_and_latest_report(seeded):
    brief = seeded[1][0]
    texts = [t.text for t in brief.timeline]
    assert len(texts) == len(set(texts)), texts
    reports = [t.period for t in brief.timeline if t.text.startswith(("first report:", "latest report:"))]
    assert reports == ["2021-10-19", "2021-11-29"]


def test_the_source_that_also_says_2025_is_not_all_agreement(seeded):
    brief = seeded[1][0]
    by_file = _by_file(brief)
    rows = {by_file[a.id]: r for a in brief.articles for r in brief.reliability if r.source == a.voice}
    assert rows["004"].n_agree < rows["004"].n_claims  # it states 2024-H1 and 2025
    assert rows["000"].n_agree == rows["000"].n_claims


def test_a_figure_without_a_trigger_word_is_labelled_by_the_words_around_it(seeded):
    from storyfold.present.report import fact_label

    brief = seeded[1][0]
    claims = {c.id: c for c in brief.claims}
    loose = [f for f in brief.facts if f.predicate == "amount"]
    assert loose
    for f in loose:
        first = claims[f.supporting[0].claim_ids[0]]
        label = fact_label(f, claims)
        assert " ".join(first.surface.split()) in label and "“" in label, label
        assert fact_label(f).endswith("figure")  # without the claims at hand
