"""The command line as a user types it, on the seeds and on the built-in demo corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from storyfold.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, seeds_dir):
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "5 articles added" in result.output
    return db


def _story_id(db) -> str:
    from storyfold.pipeline import Library

    with Library(db, readonly=True) as lib:
        return lib.list_stories()[0].id


def test_stories_lists_one_story_of_five(seeds_db):
    result = runner.invoke(app, ["stories", "--db", str(seeds_db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert _story_id(seeds_db) in result.output and "en,fr" in result.output
    row = next(line for line in result.output.splitlines() if _story_id(seeds_db) in line)
    assert "│ 5 " in row and "After confirming" in row
    searched = runner.invoke(
        app, ["stories", "--db", str(seeds_db), "--q", "semestre"], env={"COLUMNS": "200"}
    )
    assert _story_id(seeds_db)[:12] in searched.output
    nothing = runner.invoke(app, ["stories", "--db", str(seeds_db), "--q", "volcano"], env={"COLUMNS": "200"})
    assert _story_id(seeds_db)[:12] not in nothing.output


def test_show_markdown_and_json_by_short_id(seeds_db):
    sid = _story_id(seeds_db)
    md = runner.invoke(app, ["show", sid[:6], "--db", str(seeds_db)])
    assert md.exit_code == 0, md.output
    assert "translation" in md.output.lower() and "2024-H1" in md.output
    js = runner.invoke(app, ["show", sid, "--db", str(seeds_db), "--format", "json"])
    assert js.exit_code == 0, js.output
    brief = json.loads(js.output)
    assert len(brief["articles"]) == 5
    assert any(f["disputed"] for f in brief["facts"])


def test_show_unknown_story_fails_cleanly(seeds_db):
    result = runner.invoke(app, ["show", "nope", "--db", str(seeds_db)])
    assert result.exit_code == 1 and "no story" in result.output


def test_export_jsonl_and_parquet(seeds_db, tmp_path):
    out = tmp_path / "seeds.jsonl"
    result = runner.invoke(app, ["export", "--db", str(seeds_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    types = {r["type"] for r in records}
    assert {"story", "article", "relation", "claim", "fact", "source"} <= types
    sources = {r["source"]: r for r in records if r["type"] == "source"}
    # no outlets, so each file is a voice; 002 (the translation of 000) speaks as 000's voice
    assert sorted(s[:3] for s in sources) == ["000", "001", "003", "004"]
    # 001 states the "US$ 10 million" outlier against everyone else: it ranks last
    worst = min(sources.values(), key=lambda r: r["reliability"])
    assert worst["source"].startswith("001_") and worst["n_claims"] >= 1
    story_ids = {r["id"] for r in records if r["type"] == "story"}
    assert all(r["story_id"] in story_ids for r in records if r["type"] == "article")
    pq_dir = tmp_path / "pq"
    result = runner.invoke(
        app, ["export", "--db", str(seeds_db), "--format", "parquet", "--out", str(pq_dir)]
    )
    assert result.exit_code == 0, result.output
    n_rows = sum(pq.read_table(f).num_rows for f in pq_dir.glob("*.parquet"))
    assert n_rows == len(records)
    assert pq.read_table(pq_dir / "source.parquet").num_rows == len(sources)


def test_sources_shows_reliability(seeds_db):
    result = runner.invoke(app, ["sources", "--db", str(seeds_db)])
    assert result.exit_code == 0 and "reliability" in result.output


def test_missing_database_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.output


def test_demo_runs_on_the_built_in_corpus(tmp_path):
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.output
    assert "stories in" in result.output
    assert result.output.count("\n") > 20


def test_ingest_workers_option(tmp_path, monkeypatch):
    from storyfold.pipeline import library

    seen: list[int | None] = []
    real = library.LocalExecutor

    def spy(workers=None, *a, **k):
        seen.append(workers)
        return real(workers, *a, **k)

    monkeypatch.setattr(library, "LocalExecutor", spy)
    demo = Path(__file__).resolve().parents[1] / "src" / "storyfold" / "demo" / "corpus"
    result = runner.invoke(app, ["ingest", str(demo), "--db", str(tmp_path / "w.db"), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert "12 articles added" in result.output and seen == [1]
    refused = runner.invoke(app, ["ingest", str(demo), "--db", str(tmp_path / "w.db"), "--workers", "0"])
    assert refused.exit_code == 2 and seen == [1]


def test_the_outlet_of_plain_text_files(tmp_path, seeds_dir):
    """A plain-text file names its outlet by a `Source:` line or its address; the rest take
    `--outlet`; these lines are not article text."""
    folder = tmp_path / "texts"
    folder.mkdir()
    seeds = sorted(seeds_dir.glob("*.txt"))
    body = [p.read_text(encoding="utf-8") for p in seeds[:3]]
    (folder / "a.txt").write_text("Source: Reuters\nURL: https://www.reuters.com/b/x\n\n" + body[0])
    (folder / "b.txt").write_text(body[1] + "\n\nhttps://www.lemonde.fr/economie/article/2021/x.html\n")
    (folder / "c.txt").write_text(body[2])
    db = tmp_path / "o.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--outlet", "Caixin", "-q"])
    assert result.exit_code == 0, result.output
    from storyfold.pipeline import Library

    with Library(db, readonly=True) as lib:
        got = {Path(a.source).name: a for a, _ in lib.store.iter_articles()}
    assert {k: (a.outlet, a.voice) for k, a in got.items()} == {
        "a.txt": ("Reuters", "Reuters"),
        "b.txt": ("lemonde.fr", "lemonde.fr"),
        "c.txt": ("Caixin", "Caixin"),
    }
    assert got["a.txt"].url == "https://www.reuters.com/b/x"
    assert body[0].lstrip().startswith("date 2021-10-19")  # after the source lines, still read
    assert str(got["a.txt"].published) == "2021-10-19"
    assert "Source:" not in got["a.txt"].text and "lemonde.fr" not in got["b.txt"].text

    again = tmp_path / "p.db"  # without the option, a file that names nothing speaks as itself
    assert runner.invoke(app, ["ingest", str(folder / "c.txt"), "--db", str(again), "-q"]).exit_code == 0
    with Library(again, readonly=True) as lib:
        assert [a.voice for a, _ in lib.store.iter_articles()] == ["c.txt"]
