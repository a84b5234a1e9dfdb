"""Slots across languages: the same fact told in six languages is one slot; other measures,
other companies and other currencies are not.

The six reports are written for this test (one invented announcement, as a newsroom would
word it in each language); the expected slots are counted by hand.
"""

from __future__ import annotations

from datetime import date

from storyfold.claims import extract_claims
from storyfold.model import Article, Claim, ValueKind, article_id
from storyfold.reconcile import group_slots

REPORTS = {
    "en": "On Monday, Corvane said it will invest €3.2 billion in a battery plant and start mass "
    "production in the first half of 2026. The company will hire more than 1,200 workers.",
    "fr": "Lundi, Corvane a annoncé qu'il investira 3,2 milliards d'euros dans une usine de batteries "
    "et lancera la production en série au premier semestre 2026. L'entreprise embauchera plus de "
    "1 200 salariés.",
    "es": "El lunes, Corvane anunció que invertirá 3.200 millones de euros en una planta de baterías y "
    "empezará la producción en serie en el primer semestre de 2026. La empresa contratará a más de "
    "1.200 trabajadores.",
    "de": "Am Montag kündigte Corvane an, 3,2 Milliarden Euro in ein Batteriewerk zu investieren und "
    "die Serienproduktion im ersten Halbjahr 2026 zu starten. Das Unternehmen will mehr als 1.200 "
    "Mitarbeiter einstellen.",
    "it": "Lunedì Corvane ha annunciato che investirà 3,2 miliardi di euro in uno stabilimento di "
    "batterie e avvierà la produzione in serie nel primo semestre 2026. L'azienda assumerà oltre "
    "1.200 dipendenti.",
    "pt": "Na segunda-feira, a Corvane anunciou que vai investir 3,2 mil milhões de euros numa fábrica "
    "de baterias e iniciar a produção em massa no primeiro semestre de 2026. A empresa vai contratar "
    "mais de 1.200 trabalhadores.",
}


def _claims(text: str, lang: str) -> list[Claim]:
    a = Article(article_id(text, lang), f"{lang}.txt", "", text, lang, date(2025, 6, 2))
    return extract_claims(a)


def _six() -> list[Claim]:
    return [c for lang, text in REPORTS.items() for c in _claims(text, lang)]


def _slot(slots: dict[str, list[Claim]], predicate: str) -> list[Claim]:
    hits = [v for k, v in slots.items() if f"|{predicate}|" in f"{k}|"]
    assert len(hits) == 1, (predicate, list(slots))
    return hits[0]


def test_six_languages_one_slot_per_fact():
    slots = group_slots(_six())
    assert len(slots) == 3, list(slots)  # invest, production_start, employees
    for predicate, value in (("invest", 3.2e9), ("employees", 1200)):
        members = _slot(slots, predicate)
        assert sorted(c.lang for c in members) == sorted(REPORTS)
        assert {c.value for c in members} == {value}
        assert {c.subject for c in members} == {"Corvane"}
    start = _slot(slots, "production_start")
    assert sorted(c.lang for c in start) == sorted(REPORTS)
    assert {c.period for c in start} == {"2026-H1"}
    assert {c.kind for c in start} == {ValueKind.TIME}


def test_other_company_and_other_currency_are_other_slots():
    extra = _claims("Separately, Borel plans to invest €3.2 billion in Texas.", "en")
    extra += _claims(
        "Am Dienstag teilte Corvane mit, 3,2 Milliarden Dollar in ein zweites Werk zu investieren.", "de"
    )
    slots = group_slots(_six() + extra)
    invest = [v for k, v in slots.items() if "|invest|" in k]
    by_size = sorted(len(v) for v in invest)
    assert by_size == [1, 1, 6], list(slots)
    units = {(v[0].subject, v[0].unit) for v in invest}
    assert units == {("Corvane", "EUR"), ("Borel", "EUR"), ("Corvane", "USD")}


def test_untyped_values_are_facts_of_their_own():
    # a figure without a trigger word is still a fact a reader quotes: its own slot, not
    # merged into a typed one
    cs = _claims("Corvane's plant in Leipzig covers 120,000 square metres, the city said.", "en")
    assert cs and all(c.predicate in ("amount", "mention") for c in cs)
    slots = group_slots(cs)
    assert sorted(c.value for v in slots.values() for c in v if c.value is not None) == [120000.0]
    mixed = group_slots(_six() + cs)
    assert [v for v in mixed.values() if any(c.value == 120000.0 for c in v)] == [
        [c for c in cs if c.value == 120000.0]
    ]


def test_a_figure_with_its_period_and_without_it_is_one_fact_and_two_periods_are_two():
    claims = _claims("Corvane will employ 3,000 employees at the Velsburg plant in 2030.", "en")
    claims += _claims("The Velsburg plant of Corvane is to hire 3,000 employees, the state said.", "en")
    claims += _claims("Corvane hired 1,200 employees in 2024 and 900 employees in 2023.", "en")
    staff = sorted(
        sorted((c.value, c.period or "") for c in v)
        for v in group_slots(claims).values()
        if v[0].unit == "employee"
    )
    assert [(3000.0, ""), (3000.0, "2030")] in staff
    assert [(900.0, "2023")] in staff and [(1200.0, "2024")] in staff
