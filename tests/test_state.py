"""The store is the state: opening a database never replays its articles, a database written in
several runs holds what one run writes, a failed batch leaves nothing behind, one writer at a time.

Real data: ECB+ articles (many outlets on a few events, with dates) and WMT translations, so the
stream has stories, copies, translations and merges.
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import storyfold.pipeline.writer as writer_module
from storyfold.cluster import ClusterSettings, StoryClusterer
from storyfold.fold import FoldIndex, FoldSettings
from storyfold.pipeline import Library
from storyfold.store import Store, WriterBusy

WIRE = (
    "Copyright 2009 The Continental Wire. All rights reserved. This material may not be published,"
    " broadcast, rewritten or redistributed without written permission."
)


def _records(shared_data: Path, n_ecb: int = 120, n_wmt: int = 60) -> list[dict]:
    """ECB+ articles of the first topics (dated where the corpus says), then WMT documents of a
    few groups in several languages, interleaved: one stream of real news."""
    ecb = []
    with gzip.open(shared_data / "events" / "ecbplus_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            ecb.append({"id": d["id"], "title": d["title"], "text": d["text"], "outlet": f"o{len(ecb) % 7}"})
            if len(ecb) == n_ecb:
                break
    wmt = []
    with gzip.open(shared_data / "translations" / "wmt_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["set"] == "newstest2009" and d["lang"] in ("en", "fr", "de", "es"):
                wmt.append(
                    {"id": d["id"], "lang": d["lang"], "text": d["text"], "outlet": d["lang"] + "-desk"}
                )
                if len(wmt) == n_wmt:
                    break
    out = []
    for i, r in enumerate(ecb):
        out.append(r)
        if i % 2 and wmt:
            out.append(wmt.pop(0))
        if i % 10 == 5:  # a near-copy of an earlier article by another outlet: its last sentence cut
            earlier = ecb[i - 3]
            sentences = re.split(r"(?<=[.!?])\s+", earlier["text"])
            cut = " ".join(sentences[:-1]) if len(sentences) > 3 else earlier["text"] + " Updated."
            out.append(dict(earlier, text=cut, outlet="copier", id=earlier["id"] + "-copy"))
    return out + wmt


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _snapshot(db: Path) -> dict[str, list]:
    """What a user sees of a database, keyed by content (not by input file names)."""
    con = sqlite3.connect(db)
    out = {
        "articles": con.execute(
            "SELECT id, story_id, round(story_score, 9) FROM articles ORDER BY id"
        ).fetchall(),
        "relations": con.execute(
            "SELECT a, b, kind, round(score, 6), detail FROM relations ORDER BY a, b, kind"
        ).fetchall(),
        "stories": con.execute("SELECT id, n_articles FROM stories ORDER BY id").fetchall(),
        "claims": con.execute("SELECT count(*) FROM claims").fetchall(),
    }
    con.close()
    return out


def _small_windows(monkeypatch) -> None:
    """Windows far smaller than the stream: articles leave the fold window, stories leave memory
    and come back, document frequencies forget, all within a few hundred articles."""
    monkeypatch.setattr(writer_module, "FoldIndex", lambda: FoldIndex(FoldSettings(window=40)))
    monkeypatch.setattr(
        writer_module,
        "StoryClusterer",
        lambda: StoryClusterer(
            ClusterSettings(
                df_window=50,
                df_snapshot_every=20,
                index_snapshot_every=13,
                max_live_stories=12,
                sweep_every=10,
                window_articles=30,
            )
        ),
    )


@pytest.mark.parametrize("small", [False, True], ids=["default windows", "tiny windows"])
def test_runs_on_a_reopened_database_equal_one_run_and_never_replay(
    shared_data, tmp_path, monkeypatch, small
):
    if small:
        _small_windows(monkeypatch)
    records = _records(shared_data)
    whole = _write(tmp_path / "all.jsonl", records)
    with Library(tmp_path / "one.db", batch_size=16, workers=1) as lib:
        lib.ingest([whole])

    # the same stream in four runs, each opening the database afresh; replaying the stored
    # articles to rebuild memory is forbidden from the second run on
    parts = [records[i : i + len(records) // 4 + 1] for i in range(0, len(records), len(records) // 4 + 1)]
    for i, part in enumerate(parts):
        if i:
            monkeypatch.setattr(Store, "iter_articles", lambda self: pytest.fail("an article was replayed"))
        with Library(tmp_path / "parts.db", batch_size=9, workers=1) as lib:
            lib.ingest([_write(tmp_path / f"part{i}.jsonl", part)])
    one, parts_db = _snapshot(tmp_path / "one.db"), _snapshot(tmp_path / "parts.db")
    assert len(one["articles"]) > 150
    assert {r[2] for r in one["relations"]} >= {"translation", "near_duplicate"}
    assert len(one["stories"]) < len(one["articles"]) * 0.8  # stories really group articles
    assert one == parts_db
    if small:  # memory held only the windows, yet the stream was decided the same way
        con = sqlite3.connect(tmp_path / "parts.db")
        assert con.execute("SELECT count(*) FROM fold_window").fetchone()[0] == 40
        # the counted words of the window, and of the articles a snapshot still needs
        assert 50 <= con.execute("SELECT count(*) FROM cluster_counted").fetchone()[0] <= 50 + 20
        live, gone = con.execute("SELECT sum(live), sum(1 - live) FROM cluster_stories").fetchone()
        assert live <= 12 + 10 and gone > 0
        # each reopening read the index from its snapshot and the changes since
        assert con.execute("SELECT count(*) FROM stage_meta WHERE stage = 'cluster_index'").fetchone()[0] == 1


def test_stories_whose_state_left_memory_decide_as_stories_kept_in_it(shared_data, tmp_path, monkeypatch):
    """A cap on full story states in memory (the rest read back from the store when an article
    needs them) changes no decision: the same stories, relations and facts as with every state
    kept, while the run really did read states back."""
    records = _records(shared_data)
    whole = _write(tmp_path / "all.jsonl", records)
    with Library(tmp_path / "kept.db", batch_size=16, workers=1) as lib:
        lib.ingest([whole])
    reads = []
    read = StoryClusterer._read

    def counted(self, sid):
        reads.append(sid)
        return read(self, sid)

    monkeypatch.setattr(StoryClusterer, "_read", counted)
    monkeypatch.setattr(
        writer_module, "StoryClusterer", lambda: StoryClusterer(ClusterSettings(max_loaded_stories=3))
    )
    with Library(tmp_path / "capped.db", batch_size=16, workers=1) as lib:
        lib.ingest([whole])
    assert len(reads) > 20  # states left memory and came back
    assert _snapshot(tmp_path / "kept.db") == _snapshot(tmp_path / "capped.db")


def test_the_state_read_beside_the_workers_is_the_state_read_in_place(shared_data, tmp_path, monkeypatch):
    """With worker processes, opening reads the stages' state on a thread of its own while the
    workers prepare the first batch; the articles after it are decided as after a read in place."""
    records = _records(shared_data, 80, 30)
    first, second = records[:70], records[70:]
    with Library(tmp_path / "a.db", batch_size=16, workers=1) as lib:
        lib.ingest([_write(tmp_path / "first.jsonl", first)])
    with sqlite3.connect(tmp_path / "b.db") as dst, sqlite3.connect(tmp_path / "a.db") as src:
        src.backup(dst)
    readers = []
    real = writer_module.read_stages

    def read_stages(store, fold_too=True):
        readers.append((threading.current_thread() is threading.main_thread(), store.readonly))
        return real(store, fold_too)

    monkeypatch.setattr(writer_module, "read_stages", read_stages)
    second_file = _write(tmp_path / "second.jsonl", second)
    with Library(tmp_path / "a.db", batch_size=16, workers=2) as lib:
        lib.ingest([second_file])
    assert readers == [(False, True)]  # once, on another thread, through a read-only connection
    with Library(tmp_path / "b.db", batch_size=16, workers=1) as lib:
        lib.ingest([second_file])
    assert readers[1:] == [(True, False)]
    assert _snapshot(tmp_path / "a.db") == _snapshot(tmp_path / "b.db")


def test_a_failed_batch_leaves_nothing_behind(shared_data, tmp_path, monkeypatch):
    records = _records(shared_data, 60, 20)
    first, second = records[:50], records[50:]
    db = tmp_path / "f.db"
    real = StoryClusterer.assign_prepared
    odd = first[19]["text"].split()[-8:]  # the 20th article: mid-batch, after 19 changed memory

    def fails_on_one(self, article, prep, relations=()):
        if article.text.split()[-8:] == odd:
            raise RuntimeError("disk on fire")
        return real(self, article, prep, relations)

    monkeypatch.setattr(StoryClusterer, "assign_prepared", fails_on_one)
    with Library(db, batch_size=32, workers=1) as lib:
        report = lib.ingest([_write(tmp_path / "a.jsonl", first)])
        # the batch was written again one article at a time: only the article that met the
        # failure is rejected, with its reason, the rest are stored
        assert report.added == 49 and len(report.errors) == 1
        assert "disk on fire" in str(report.errors[0])
        monkeypatch.setattr(StoryClusterer, "assign_prepared", real)
        db_copy = tmp_path / "copy.db"
        with sqlite3.connect(db_copy) as dst, sqlite3.connect(db) as src:
            src.backup(dst)
        lib.ingest([_write(tmp_path / "b.jsonl", second)])
    # the library that lived through the failure decides the next articles exactly as a fresh
    # open of the same database does: memory held nothing the store did not
    with Library(db_copy, batch_size=32, workers=1) as fresh:
        fresh.ingest([_write(tmp_path / "b2.jsonl", second)])
    assert _snapshot(db) == _snapshot(db_copy)


def test_facts_that_fail_to_compute_reject_no_article(seeds_dir, tmp_path, monkeypatch, caplog):
    """A story whose facts cannot be recomputed keeps its articles, and so do later articles of
    the same story: only its facts stay as they were, and the log names the story."""
    import storyfold.pipeline.writer as W

    real = W.reconcile_story_tally
    monkeypatch.setattr(W, "reconcile_story_tally", lambda *a, **k: (_ for _ in ()).throw(ValueError("odd")))
    with Library(tmp_path / "r.db", batch_size=2, workers=1) as lib:
        report = lib.ingest([seeds_dir])
        assert report.read == report.added == 5 and not report.errors
        assert "could not be recomputed" in caplog.text
        con = sqlite3.connect(tmp_path / "r.db")
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 0
        monkeypatch.setattr(W, "reconcile_story_tally", real)
        lib.reconcile_all()  # the full recompute brings them back
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] >= 3


def test_one_writer_at_a_time(shared_data, tmp_path):
    db = tmp_path / "w.db"
    corpus = _write(tmp_path / "x.jsonl", _records(shared_data, 10, 0))
    with Library(db, workers=1) as lib:
        lib.ingest([corpus])
        with pytest.raises(WriterBusy) as busy:
            Library(db, workers=1)
        assert "being written by process" in str(busy.value) and "pytest" in str(busy.value)
        # readers are never refused
        with Library(db, readonly=True) as ro:
            assert len(ro.list_stories()) > 0
        # another process is refused with one line naming this one, and nothing is written
        cli = Path(sys.executable).with_name("storyfold")
        run = subprocess.run(
            [str(cli), "ingest", str(corpus), "--db", str(db), "-q"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 1
        assert "being written by process" in run.stderr and len(run.stderr.strip().splitlines()) == 1

        # a writer that waits gets its turn when the first one closes
        got: list[Library] = []
        waiter = threading.Thread(target=lambda: got.append(Library(db, workers=1, wait=30)))
        waiter.start()
        time.sleep(0.5)
        assert not got
    waiter.join(30)
    assert got and got[0].store.lock.held
    got[0].close()


def _partials(tmp_path: Path, name: str, records: list[dict]) -> tuple[int, int]:
    with Library(tmp_path / f"{name}.db", workers=1) as lib:
        lib.ingest([_write(tmp_path / f"{name}.jsonl", records)])
        con = lib.store.db
        partial = con.execute("SELECT count(*) FROM relations WHERE kind = 'partial'").fetchone()[0]
        with_footer = con.execute(
            "SELECT count(*) FROM articles WHERE text LIKE '%Continental Wire. All rights reserved%'"
        ).fetchone()[0]
    return partial, with_footer


def test_boilerplate_paragraphs_link_nothing_beyond_a_few(shared_data, tmp_path):
    """Articles of unrelated events that all end with one wire footer: the footer is chrome, not
    a copied paragraph; it adds a few partial links among its first carriers and no more,
    however long the stream."""
    records = _records(shared_data, 160, 0)
    plain, _ = _partials(tmp_path, "plain", records)
    footed = [dict(r, text=r["text"] + "\n\n" + WIRE, outlet=f"paper {i}") for i, r in enumerate(records)]
    half, _ = _partials(tmp_path, "half", footed[: len(footed) // 2])
    plain_half, _ = _partials(tmp_path, "plain_half", records[: len(records) // 2])
    partial, kept = _partials(tmp_path, "footed", footed)
    assert kept == len(records)  # each paper printed it once: it stays in the text, fold ignores it
    assert partial - plain <= 15  # at most the first six carriers, linked among themselves
    assert partial - plain == half - plain_half  # and not one more as the stream doubles


def _facts(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT story_id, slot, disputed, body FROM facts ORDER BY story_id, slot").fetchall()
    con.close()
    return rows


def test_incremental_facts_equal_a_full_recompute(shared_data, tmp_path, monkeypatch):
    """Each batch recomputes only the stories it touched: with the sources' weights held fixed,
    the stored facts equal every story recomputed from scratch from its own claims and
    relations, and equal what one batch writes."""
    from storyfold.reconcile import reconcile_story_tally

    records = _records(shared_data, 80, 40)
    seeds = sorted((shared_data / "seeds").glob("0*.txt"))
    corpus = _write(tmp_path / "c.jsonl", records)
    monkeypatch.setattr(Store, "reliability_of", lambda self, sources: {})  # weights held at the prior
    with Library(tmp_path / "small.db", batch_size=4, workers=1) as lib:
        lib.ingest([*seeds, corpus])
        store = lib.store
        stories = store.story_ids()
        assert len(stories) >= 15
        for sid in stories:
            heads = {a.id: a for a in store.story_heads(sid)}
            facts, tallies = reconcile_story_tally(
                sid, store.story_claims(sid), heads, store.story_relations(sid), {}
            )
            assert sorted(store.facts_of(sid), key=lambda f: f.slot) == sorted(facts, key=lambda f: f.slot)
            stored = store.db.execute(
                "SELECT source, n, agree, p_sum FROM source_tallies WHERE story_id = ? ORDER BY source",
                (sid,),
            ).fetchall()
            assert [tuple(r) for r in stored] == [(t.source, t.n, t.agree, t.p_sum) for t in tallies]
    with Library(tmp_path / "big.db", batch_size=10_000, workers=1) as lib:
        lib.ingest([*seeds, corpus])
    assert _facts(tmp_path / "small.db") == _facts(tmp_path / "big.db")
    assert any("outlier" in b or '"conflicting": [{' in b for *_, b in _facts(tmp_path / "small.db"))


def test_reliability_is_the_sum_of_the_stories_tallies(shared_data, tmp_path):
    records = _records(shared_data, 80, 40)
    seeds = sorted((shared_data / "seeds").glob("0*.txt"))
    with Library(tmp_path / "r.db", batch_size=6, workers=1) as lib:
        lib.ingest([*seeds, _write(tmp_path / "c.jsonl", records)])
        con = lib.store.db
        sums = con.execute(
            "SELECT source, sum(n), sum(agree), sum(p_sum) FROM source_tallies GROUP BY source"
        )
        expected = sorted(tally_row for tally_row in (tuple(r) for r in sums))
        rel = {r.source: r for r in lib.reliability()}
    from storyfold.reconcile import tally_reliability

    assert len(expected) >= 5
    assert sorted(rel) == [e[0] for e in expected]
    for source, n, agree, p_sum in expected:
        assert rel[source] == tally_reliability(source, n, agree, p_sum)
    # 001 says "US$ 10 million" where the other seeds say $10 billion: the least reliable seed
    seeds_rel = {s: r for s, r in rel.items() if s.startswith("00")}
    assert min(seeds_rel.values(), key=lambda r: r.reliability).source.startswith("001_")


def test_a_run_cut_between_batches_resumes_to_one_run(shared_data, tmp_path, monkeypatch):
    """The outlet pass runs batches ahead of the write: a run cut after some batch was written
    must store exactly what that batch counted, or the resumed run sees every paragraph of the
    articles in flight twice and drops it as the outlet's template."""
    records = []
    for r in _records(shared_data):  # paragraphs of two sentences, as news pages print them
        sentences = re.split(r"(?<=[.!?])\s+", r["text"])
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
        records.append(dict(r, text="\n\n".join(paragraphs)))
    src = _write(tmp_path / "all.jsonl", records)
    with Library(tmp_path / "one.db", batch_size=8, workers=2) as lib:
        lib.ingest([src])
    real_commit = writer_module.Writer.commit
    calls = {"n": 0}

    def cut_at_the_fifth(self, batch):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # as a kill: no cleanup of what is in flight
        return real_commit(self, batch)

    monkeypatch.setattr(writer_module.Writer, "commit", cut_at_the_fifth)
    cut_db = tmp_path / "cut.db"
    with Library(cut_db, batch_size=8, workers=2) as lib, pytest.raises(KeyboardInterrupt):
        lib.ingest([src])
    monkeypatch.setattr(writer_module.Writer, "commit", real_commit)
    with Library(cut_db, batch_size=8, workers=2) as lib:
        assert 0 < lib.store.count("articles") < len(records)
        lib.ingest([src])
    texts = "SELECT id, text FROM articles ORDER BY id"
    one, cut = sqlite3.connect(tmp_path / "one.db"), sqlite3.connect(cut_db)
    assert cut.execute(texts).fetchall() == one.execute(texts).fetchall()
    assert _snapshot(cut_db) == _snapshot(tmp_path / "one.db")


def test_a_window_stored_before_articles_knew_their_original_is_read():
    """A database whose fold window was stored by the previous format (no original kept per
    article) opens without a rebuild: each article counts as its own original."""
    import marshal

    from storyfold.fold import relate
    from storyfold.model import Article

    index = FoldIndex()
    index.add(
        Article(
            id="a", source="t", title="", text="Corvane will invest 3.2 billion euros in Velsburg.", lang="en"
        )
    )
    index.add(
        Article(
            id="b",
            source="t",
            title="",
            text="Corvane investira 3,2 milliards d'euros à Velsburg.",
            lang="fr",
        )
    )
    (_, _, first), (_, _, second) = index.take_changes()[0]
    assert relate._load(second).family == relate._load(first).order  # the French one's original
    old = marshal.dumps((2, *marshal.loads(second)[1:-1]))  # the same state, as stored before
    assert relate._load(old).family == relate._load(old).order
