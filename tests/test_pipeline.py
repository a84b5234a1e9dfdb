"""The flow through the store: bad inputs beside good ones, re-runs, a crash mid-ingest."""

from __future__ import annotations

import gzip
import json

import pytest

from storyfold.claims import pool as claims_pool
from storyfold.pipeline import Library

GOOD = [
    (
        "harbour.txt",
        "date 2025-02-03 Dock workers at the port of Valmere walked out on Monday, halting container "
        "traffic.\n\nThe union said 1,800 members joined the strike and asked for a 6% pay rise.\n\n"
        "The port authority said losses could reach 40 million euros a week.",
    ),
    (
        "harbour_fr.txt",
        "date 2025-02-03 Les dockers du port de Valmere ont cessé le travail lundi, bloquant le trafic "
        "des conteneurs.\n\nLe syndicat a indiqué que 1 800 adhérents ont rejoint la grève et réclament une "
        "hausse de salaire de 6 %.\n\nL'autorité portuaire estime que les pertes pourraient atteindre 40 "
        "millions d'euros par semaine.",
    ),
    (
        "vineyard.txt",
        "date 2025-03-10 A late frost destroyed about 30% of the grape harvest in the Dorvel valley, growers "
        "said on Thursday.\n\nThe regional council promised 12 million euros in emergency aid to 450 farms.",
    ),
]


def _write_good(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD:
        (folder / name).write_text(text, encoding="utf-8")


def _counts(lib: Library) -> dict[str, int]:
    return {t: lib.store.count(t) for t in ("raw", "articles", "relations", "claims", "stories")}


def test_bad_inputs_are_reported_one_line_each_and_the_batch_goes_on(tmp_path):
    corpus = tmp_path / "in"
    _write_good(corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "junk.bin").write_bytes(bytes(range(256)) * 400)
    (corpus / "broken.jsonl").write_text(
        '{"title": "ok line", "text": "The mayor of Ostrel resigned on Friday after 12 years in office, '
        'citing health reasons.", "date": "2025-01-10"}\n{not json at all\n[1, 2, 3]\n',
        encoding="utf-8",
    )
    (corpus / "truncated.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n' * 50)[:40])
    with Library(tmp_path / "t.db") as lib:
        report = lib.ingest([corpus])
        assert report.added == 4  # three texts + the good JSONL line
        sources = [e.source for e in report.errors]
        for bad in ("empty.txt", "junk.bin", "broken.jsonl", "truncated.jsonl.gz"):
            assert any(bad in s for s in sources), (bad, sources)
        assert any("line 2" in s for s in sources) and any("line 3" in s for s in sources)
        for e in report.errors:
            assert "\n" not in str(e) and str(e).startswith(e.source)
        assert len(lib.store.errors()) == len(report.errors)


def test_rerun_is_idempotent_even_with_bad_inputs(tmp_path):
    corpus = tmp_path / "in"
    _write_good(corpus)
    (corpus / "junk.bin").write_bytes(b"\x00\xff" * 1000)
    db = tmp_path / "t.db"
    with Library(db) as lib:
        lib.ingest([corpus])
        before = _counts(lib)
        n_errors = len(lib.store.errors())
    with Library(db) as lib:
        again = lib.ingest([corpus])
        assert again.added == 0
        assert _counts(lib) == before
        assert len(lib.store.errors()) == n_errors


def test_crash_mid_ingest_keeps_committed_batches_and_resumes(tmp_path, monkeypatch):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(10):
        (corpus / f"a{i:02d}.jsonl").write_text(
            json.dumps(
                {
                    "outlet": f"Outlet {i}",
                    "date": f"2025-04-{i + 1:02d}",
                    "text": f"Story number {i}: the town of Number{i}ville opened bridge {i} costing {i + 2} "
                    f"million euros, officials in Number{i}ville said on day {i}.",
                }
            ),
            encoding="utf-8",
        )
    db = tmp_path / "t.db"
    real_extract = claims_pool.extract_claims  # what the batch path calls in-process
    calls = {"n": 0}

    def failing(article):
        calls["n"] += 1
        if calls["n"] == 7:
            raise KeyboardInterrupt("power cut")
        return real_extract(article)

    monkeypatch.setattr(claims_pool, "extract_claims", failing)
    with Library(db, batch_size=3, workers=1) as lib, pytest.raises(KeyboardInterrupt):
        lib.ingest([corpus])
    monkeypatch.setattr(claims_pool, "extract_claims", real_extract)
    with Library(db) as lib:
        assert lib.store.count("articles") == 6  # two whole batches of three; the third rolled back
        assert lib.store.count("raw") == 6
        report = lib.ingest([corpus])
        assert report.added == 4
        assert lib.store.count("articles") == 10 and lib.store.count("raw") == 10


def test_documents_posted_like_jsonl_go_through_the_same_flow(tmp_path):
    with Library(tmp_path / "t.db") as lib:
        summary = lib.ingest_documents(
            [
                {
                    "title": "Frost",
                    "text": GOOD[2][1].split(" ", 2)[2],
                    "date": "2025-03-10",
                    "outlet": "Farm News",
                },
                {"title": "no text"},
            ]
        )
        assert summary["added"] == 1 and len(summary["errors"]) == 1
        again = lib.ingest_documents(
            [
                {
                    "title": "Frost",
                    "text": GOOD[2][1].split(" ", 2)[2],
                    "outlet": "Farm News",
                    "date": "2025-03-10",
                }
            ]
        )
        assert again["added"] == 0


def test_the_brief_puts_disputed_facts_first_then_the_best_supported(tmp_path, seeds_dir):
    with Library(tmp_path / "seeds.db") as lib:
        lib.ingest([seeds_dir])
        (sid,) = lib.store.story_ids()
        facts = lib.brief(sid).facts
    disputed = [f for f in facts if f.disputed]
    assert sorted(f.predicate for f in disputed) == ["invest", "production_start"]  # seeds README
    assert list(facts[: len(disputed)]) == disputed  # a reader sees the contradictions first
    rest = [len(f.supporting) for f in facts[len(disputed) :]]
    assert rest == sorted(rest, reverse=True) and rest[0] >= 2  # then what most voices say
