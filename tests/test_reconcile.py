"""Reconcile on hand-made claims with known answers: slots, voices, tolerance, granularity, reliability."""

from __future__ import annotations

import dataclasses
from datetime import date

from storyfold.claims import extract_claims
from storyfold.model import Article, Bound, Claim, Period, Relation, RelationKind, ValueKind, article_id
from storyfold.reconcile import build_timeline, group_slots, reconcile_all, reconcile_story
from storyfold.reconcile.slots import voices
from storyfold.reconcile.truth import agree


def _art(name: str, lang: str = "en") -> Article:
    return Article(
        id=article_id(name, name), source=f"{name}.txt", title=name, text=name, lang=lang, outlet=name
    )


def _money(a: Article, v: float, pred: str = "invest", subject: str | None = "Acme", bound=Bound.EQ) -> Claim:
    surface = f"€{v:g}"
    sentence = (
        f"{subject or 'The company'} will {pred} {surface} in its new battery plant, the {a.outlet} reported."
    )
    at = sentence.index(surface)
    return Claim(
        a.id,
        ValueKind.MONEY,
        v,
        "EUR",
        pred,
        sentence,
        at,
        at + len(surface),
        surface,
        a.lang,
        subject,
        bound,
    )


def _aside(c: Claim, sentence: str) -> Claim:
    """The claim said in another sentence."""
    at = sentence.index(c.surface)
    return dataclasses.replace(c, sentence=sentence, start=at, end=at + len(c.surface))


def _time(a: Article, period: str, pred: str = "production_start") -> Claim:
    return Claim(
        a.id,
        ValueKind.TIME,
        None,
        "",
        pred,
        f"starts {period}",
        len(period),
        len(period) + 4,
        period,
        a.lang,
        "Acme",
        period=period,
    )


def test_closeness_bounds_and_granularity():
    a = _art("a")
    assert agree(_money(a, 1.8e9), _money(a, 1.79e9))
    assert not agree(_money(a, 1.8e9), _money(a, 1.8e6))
    assert agree(_money(a, 300, bound=Bound.GT), _money(a, 320))
    assert agree(_money(a, 300, bound=Bound.GT), _money(a, 590))
    # a bound reaches as far as a writer would round: not to ten times its figure
    assert not agree(_money(a, 300, bound=Bound.GT), _money(a, 3000))
    assert not agree(_money(a, 6e6, bound=Bound.LE), _money(a, 6))
    assert agree(_money(a, 6e6, bound=Bound.LE), _money(a, 5.5e6))
    assert not agree(_money(a, 6, bound=Bound.GT), _money(a, 15, bound=Bound.GT))
    assert agree(_time(a, "2024"), _time(a, "2024-H1"))
    assert not agree(_time(a, "2025"), _time(a, "2024-H1"))


def test_french_and_english_claims_share_a_slot_and_subjects_split():
    en, fr = _art("en"), _art("fr", "fr")
    slots = group_slots(
        [
            _money(en, 3.2e9),
            _money(fr, 3.2e9, subject="Acme’s"),
            _money(en, 5e6, subject="Borel"),
            _aside(_money(fr, 1e3, "mention"), "Le billet d'entrée du musée coûte €1000 depuis janvier."),
        ]
    )
    assert sorted(len(v) for v in slots.values()) == [1, 1, 2]
    # the figure without a trigger word is a fact of its own, not folded into "invest"
    alone = [v for v in slots.values() if v[0].predicate == "mention"]
    assert len(alone) == 1 and [c.value for c in alone[0]] == [1e3]


def _said(art: Article, value: float, sentence: str, unit: str = "person") -> Claim:
    word = {2: "wo people", 3: "hree people", 4: "our people"}[int(value)]  # the first letter's case varies
    at = sentence.index(word) - 1
    surface = sentence[at : at + len(word) + 1]
    return Claim(
        art.id, ValueKind.COUNT, value, unit, "amount", sentence, at, at + len(surface), surface, art.lang
    )


def test_untyped_figures_join_by_value_and_by_context():
    a, b, c = _art("a"), _art("b"), _art("c")
    root = {x.id: x.id for x in (a, b, c)}
    claims = [
        _said(a, 4, "The gunman killed four people in the courthouse and wounded two people outside."),
        _said(a, 2, "The gunman killed four people in the courthouse and wounded two people outside."),
        _said(b, 4, "Police said four people were killed in the courthouse shooting on Friday."),
        _said(c, 3, "Three people were killed in the courthouse shooting, the sheriff said."),
        _said(c, 2, "Two people were wounded outside the building."),
    ]
    name = {a.id: "a", b.id: "b", c.id: "c"}
    slots = sorted(
        sorted((name[x.article_id], x.value) for x in v) for v in group_slots(claims, root).values()
    )
    # the dead: four in a and b, three in c (a conflict); the wounded: two in a and c
    assert slots == [[("a", 2.0), ("c", 2.0)], [("a", 4.0), ("b", 4.0), ("c", 3.0)]]


def _counted(art: Article, value: float, noun: str, sentence: str, surface: str) -> Claim:
    at = sentence.index(surface)
    return Claim(
        art.id, ValueKind.COUNT, value, noun, "amount", sentence, at, at + len(surface), surface, art.lang
    )


def test_one_figure_counting_two_nouns_is_one_fact_where_its_words_agree():
    a, b, c = _art("a"), _art("b"), _art("c")
    root = {x.id: x.id for x in (a, b, c)}
    s_a = "Nichols killed four people at the Fulton County courthouse before his escape."
    s_b = "Prosecutors said Nichols killed four victims in the Fulton County courthouse rampage."
    s_c = "Nichols also faces four charges of escape and theft in a separate federal case."
    claims = [
        _counted(a, 4, "person", s_a, "four people"),
        _counted(b, 4, "victim", s_b, "four victims"),
        _counted(c, 4, "charge", s_c, "four charges"),
    ]
    slots = sorted(sorted(x.article_id for x in v) for v in group_slots(claims, root).values())
    # the dead are one fact whatever the noun; the charges, said otherwise, are another
    assert slots == [[a.id, b.id], [c.id]]
    # two nouns never make a conflict: a different figure of another noun is another fact
    five = s_b.replace("four", "five")
    other = [_counted(a, 4, "person", s_a, "four people"), _counted(b, 5, "victim", five, "five victims")]
    assert len(group_slots(other, root)) == 2


def test_reports_that_disagree_are_near_in_value_and_far_figures_need_alike_words():
    a, b, c = _art("a"), _art("b"), _art("c")
    root = {x.id: x.id for x in (a, b, c)}
    s_a = "Officials said 150 people were evacuated from the flooded valley on Sunday night."
    s_b = "Police said 160 people were evacuated from the valley, most of them by boat."
    s_c = "Officials said 900 people were evacuated from the flooded valley towns in all."
    claims = [
        _counted(a, 150, "person", s_a, "150 people"),
        _counted(b, 160, "person", s_b, "160 people"),
        _counted(c, 900, "person", s_c, "900 people"),
    ]
    slots = sorted(sorted(x.article_id for x in v) for v in group_slots(claims, root).values())
    # 150 and 160 are one count reported two ways (a conflict), though fewer of their words
    # agree than 150's and 900's; six times the figure is another count
    assert slots == [sorted([a.id, b.id]), [c.id]]


def test_translation_counts_once_and_outlier_is_flagged():
    orig, trans, b, c, wrong = (_art(n) for n in ("orig", "trans", "b", "c", "wrong"))
    claims = [_money(x, 1e10) for x in (orig, trans, b, c)] + [_money(wrong, 1e7)]
    claims += [_time(x, "2024-H1") for x in (orig, trans, b)] + [
        _time(c, "2024"),
        _time(wrong, "2024-H1"),
        _time(wrong, "2025"),
    ]
    rel = [Relation(orig.id, trans.id, RelationKind.TRANSLATION, 0.9)]
    arts = {x.id: x for x in (orig, trans, b, c, wrong)}
    facts = {f.predicate: f for f in reconcile_story("s", claims, arts, rel, {})}
    inv = facts["invest"]
    assert inv.value == 1e10 and inv.disputed
    assert [v.article_ids for v in inv.conflicting] == [(wrong.id,)]
    assert len(inv.supporting) == 3  # orig+trans are one voice
    assert any(set(v.article_ids) == {orig.id, trans.id} for v in inv.supporting)
    start = facts["production_start"]
    assert start.period == "2024-H1"  # the most specific value the majority allows
    assert {v.source for v in start.supporting} == {"orig", "b", "c", "wrong"}
    assert [(v.source, v.display) for v in start.conflicting] == [("wrong", "2025")]


def test_a_source_that_keeps_disagreeing_loses_reliability_and_then_loses_ties():
    liar, x, y = _art("liar"), _art("x"), _art("y")
    stories = {}
    for i in range(6):  # six stories where the liar is the odd one out
        stories[f"s{i}"] = [
            _money(x, 100 + i, subject=None),
            _money(y, 100 + i, subject=None),
            _money(liar, 999, subject=None),
        ]
    # a two-voice tie: trust decides
    stories["tie"] = [_money(x, 5.0, subject=None), _money(liar, 7.0, subject=None)]
    arts = {a.id: a for a in (liar, x, y)}
    facts, rel = reconcile_all(stories, arts, [])
    assert rel["liar"].reliability < rel["x"].reliability
    assert rel["liar"].n_claims == 7 and rel["x"].n_agree >= 6
    tie = next(f for f in facts if f.story_id == "tie")
    assert tie.value == 5.0


def test_timeline_is_chronological_and_includes_publication_dates():
    from datetime import date

    a = Article("a1", "a.txt", "Plant announced", "t", "en", published=date(2021, 10, 19))
    claims = [_time(a, "2024-H1", "mention"), _time(a, "2013", "mention"), _time(a, "2021-03", "mention")]
    claims = [
        Claim(
            "a1", c.kind, None, "", c.predicate, c.sentence, c.start, c.end, c.surface, "en", period=c.period
        )
        for c in claims
    ]
    periods = [t.period for t in build_timeline(claims, {"a1": a})]
    assert periods == ["2013", "2021-03", "2021-10-19", "2024-H1"]


def test_timeline_text_keeps_the_date_of_a_long_sentence_in_view():
    lead = (
        "MUNICH, March 10 (Meridian Wire) - German battery maker Corvane Batteries will invest 3.2 billion "
        "euros in a cell factory in Velsburg, Lower Saxony, the company said on Tuesday, its largest "
        "project since it was founded in 2019."
    )
    a = Article("a1", "a.txt", "Corvane", lead, "en")

    def said(surface: str, period: str) -> Claim:
        at = lead.index(surface)
        return Claim(
            "a1",
            ValueKind.TIME,
            None,
            "",
            "mention",
            lead,
            at,
            at + len(surface),
            surface,
            "en",
            period=period,
        )

    entries = {
        t.period: t.text
        for t in build_timeline([said("2019", "2019"), said("March 10", "2026-03-10")], {"a1": a})
    }
    late, early = entries["2019"], entries["2026-03-10"]
    assert len(lead) > 160 and len(late) <= 160 and len(early) <= 160
    assert late.startswith("…") and late.endswith("founded in 2019.")  # cut at the front, not the date
    assert early.startswith("MUNICH, March 10") and early.endswith(
        "…"
    )  # a date near the start: cut at the end
    short = "Production starts in the second half of 2027."
    claim = Claim(
        "a1",
        ValueKind.TIME,
        None,
        "",
        "production_start",
        short,
        0,
        5,
        "second half of 2027",
        "en",
        period="2027-H2",
    )
    assert build_timeline([claim], {"a1": a})[0].text == short


def test_a_translation_whose_figures_disagree_in_value_is_a_voice_of_its_own():
    # "$2.4 million" in English, "2,4 Milliarden" in the German version: the same digits, another
    # scale. Folded, the one voice would stand on both sides of the fact.
    en, de, other = _art("en"), _art("de", "de"), _art("other")
    claims = [_money(en, 2.4e6), _money(de, 2.4e9), _money(other, 2.4e6)]
    rel = [Relation(en.id, de.id, RelationKind.TRANSLATION, 0.9)]
    facts = [f for f in reconcile_story("s", claims, {a.id: a for a in (en, de, other)}, rel, {}) if f.value]
    assert len(facts) == 1 and facts[0].value == 2.4e6
    assert sorted(v.source for v in facts[0].supporting) == ["en", "other"]
    assert [(v.source, v.article_ids) for v in facts[0].conflicting] == [("de", (de.id,))]
    # and it votes as a voice of its own, not as a second statement of the English outlet
    root = voices([en.id, de.id, other.id], rel, claims)
    assert root[de.id] == de.id and root[en.id] == en.id
    assert voices([en.id, de.id], rel)[de.id] == en.id  # without figures the link folds
    # the same translation with the same figure is one voice again
    agreeing = [_money(en, 2.4e6), _money(de, 2.4e6), _money(other, 2.4e6)]
    fact = reconcile_story("s", agreeing, {a.id: a for a in (en, de, other)}, rel, {})[0]
    assert sorted(len(v.article_ids) for v in fact.supporting) == [1, 2]


def test_two_values_of_one_measure_in_one_sentence_are_two_facts_not_a_dissent():
    """Gedikli's wind-farm reports: one sentence gives the jobs of two phases (or a price
    range); a voice is on both sides of a fact only when two of its sentences disagree."""
    from storyfold.claims import extract_claims

    a, b = _art("a"), _art("b")
    text = "The project is expected to create 225 direct jobs during the construction phase and 75 permanent jobs during operation."
    claims = [c for x in (a, b) for c in extract_claims(dataclasses.replace(x, text=text))]
    assert {c.predicate for c in claims} == {"employees"}
    slots = group_slots(claims, {a.id: a.id, b.id: b.id})
    for members in slots.values():
        for art in (a, b):
            assert len({c.value for c in members if c.article_id == art.id}) <= 1, members
    assert sorted(sorted(c.value for c in v) for v in slots.values()) == [[75, 75], [225, 225]]
    # two sentences of one article that disagree stay one fact, the article on both sides
    said = "Acme will start mass production of its car in the first half of 2024."
    later = "Having its car ready for mass production by 2025 is a big target for Acme."
    c = extract_claims(dataclasses.replace(a, text=said + " " + later))
    d = extract_claims(dataclasses.replace(b, text=said))
    times = [x for x in c + d if x.kind is ValueKind.TIME]
    got = group_slots(times, {a.id: a.id, b.id: b.id})
    assert sorted(sorted(x.period for x in v) for v in got.values()) == [["2024-H1", "2024-H1", "2025"]]


def _report(outlet: str, text: str, published: date | None) -> Article:
    return Article(article_id(text, outlet), f"{outlet}.txt", "", text, "en", published, outlet=outlet)


def test_a_day_without_a_year_takes_the_year_of_the_storys_dated_reports():
    """ECB+ sentences: an undated report's "May 29" is placed by the story's dated report; with
    no dated report it stays a day without a year, on which the reports still agree, and out
    of the timeline, which has no place for it."""
    undated = _report("a", "Kathina Thomas, 10, was shot on May 29 while standing on her porch.", None)
    dated = _report("b", "Police charged a teenager in the shooting of Kathina Thomas.", date(2008, 6, 10))
    other = _report("c", "The girl was struck by a stray bullet on May 29 in Albany.", None)
    claims = {a.id: extract_claims(a) for a in (undated, dated, other)}
    assert [c.period for c in claims[undated.id] if c.kind is ValueKind.TIME] == ["--05-29"]

    def dates(*arts: Article) -> list[tuple[str | None, int]]:
        cs = [c for a in arts for c in claims[a.id]]
        facts = reconcile_story("s", cs, {a.id: a for a in arts}, [], {})
        return [(f.period, len(f.supporting)) for f in facts if f.kind is ValueKind.TIME]

    assert dates(undated, dated) == [("2008-05-29", 1)]
    assert dates(undated, other) == [("--05-29", 2)]
    cs = claims[undated.id] + claims[other.id]
    assert build_timeline(cs, {a.id: a for a in (undated, other)}, []) == []
    with_dated = claims[undated.id] + claims[dated.id]
    periods = [e.period for e in build_timeline(with_dated, {a.id: a for a in (undated, dated)}, [])]
    assert "2008-05-29" in periods


def test_a_day_without_a_year_agrees_with_that_day_only():
    assert Period("--05-29").compatible(Period("2008-05-29"))
    assert not Period("--05-29").compatible(Period("2008-05-30"))
    # a year is another fact than a day of it, whichever year that is
    assert not Period("2008").compatible(Period("--05-29"))
    assert Period("--05-29").granularity == "day"


def test_a_dateline_is_not_a_fact_nor_an_event():
    """Gedikli's Reuters copy opens with its dateline: when it was filed, not what happened."""
    text = (
        "MADRID, June 21 (Reuters) - The renewable energy unit of Acciona will start trading on "
        "July 1 at a valuation of up to 9.8 billion euros."
    )
    a = _report("reuters", text, date(2021, 6, 21))
    claims = extract_claims(a)
    assert [(c.period, c.predicate) for c in claims if c.kind is ValueKind.TIME] == [
        ("2021-06-21", "dateline"),
        ("2021-07-01", "mention"),
    ]
    facts = reconcile_story("s", claims, {a.id: a}, [], {})
    assert "2021-06-21" not in {f.period for f in facts if f.kind is ValueKind.TIME}
    assert "2021-07-01" in {f.period for f in facts if f.kind is ValueKind.TIME}
    events = [e for e in build_timeline(claims, {a.id: a}, []) if e.period == "2021-06-21"]
    assert [e.text.split(":")[0] for e in events] == ["first report"]


def test_one_fractional_figure_given_with_two_nouns_is_one_fact():
    """ECB+ Qeshm reports: "a 5.6 quake" and "5.6 magnitude" measure the same thing; nothing is
    counted in tenths, so the two nouns need no words in common to be one fact."""
    a = _report("a", "Iran's Qeshm island was jolted by a 5.6 quake on Sunday, state television said.", None)
    b = _report("b", "The tremor, of 5.6 magnitude, struck near the port of Dargahan in the Gulf.", None)
    claims = extract_claims(a) + extract_claims(b)
    assert sorted(c.value for c in claims if c.value is not None) == [5.6, 5.6]
    facts = reconcile_story("s", claims, {x.id: x for x in (a, b)}, [], {})
    assert [(f.value, len(f.supporting)) for f in facts if f.value is not None] == [(5.6, 2)]


def test_one_voice_saying_a_figure_in_two_languages_says_one_fact():
    """WMT newstest2010 (washpost 79421) in English and in its German translation: the police
    estimate is one statement retold, though the words around it share nothing; the
    organisers' 100,000 stays a fact of its own."""
    en = dataclasses.replace(
        _report(
            "washpost",
            "Protesters said as many 100,000 people joined in the event, but police estimated the "
            "count was closer to 25,000. The event was relatively peaceful.",
            date(2009, 12, 12),
        ),
        lang="en",
    )
    de = dataclasses.replace(
        _report(
            "washpost-de",
            "Demonstranten sagten, dass 100.000 Menschen sich der Veranstaltung angeschlossen hatten, "
            "wohingegen die Polizeischätzungen eher von ungefähr 25.000 ausgingen.",
            date(2009, 12, 12),
        ),
        lang="de",
    )
    claims = extract_claims(en) + extract_claims(de)
    assert sorted(c.value for c in claims if c.value is not None) == [25_000, 25_000, 100_000, 100_000]
    one_voice = {en.id: en.id, de.id: en.id}
    slots = group_slots(claims, one_voice)
    assert sorted(sorted(c.value for c in cs) for cs in slots.values()) == [[25_000] * 2, [100_000] * 2]
    two_voices = {en.id: en.id, de.id: de.id}  # not a translation: the words must agree
    apart = group_slots(claims, two_voices).values()
    assert not any(sorted(c.value for c in cs) == [25_000, 25_000] for cs in apart)
