"""The store: schema versioning, raw bytes kept, atomic batches, idempotent writes."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from storyfold.model import (
    Article,
    Bound,
    Claim,
    Fact,
    RawDocument,
    Relation,
    RelationKind,
    ValueKind,
    Voice,
    article_id,
)
from storyfold.store.sqlite import MIGRATIONS, SCHEMA_VERSION, Store, StoreError


def _article(text: str, outlet: str = "Daily Example") -> Article:
    return Article(
        id=article_id(text, outlet),
        source="x.txt",
        title=text.split(".")[0],
        text=text,
        lang="en",
        published=date(2024, 3, 1),
        outlet=outlet,
        raw_sha1="ab" * 20,
    )


def _with_raw(store: Store) -> None:
    store.put_raw(RawDocument("x.txt", "text", b"the bytes"), "ab" * 20)


def test_new_database_is_at_current_schema_in_wal_mode(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_from_a_newer_storyfold_is_refused(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_a_file_that_is_not_sqlite_gives_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"\x00\x01 this is not a database " * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(path)


def test_raw_bytes_are_kept_and_come_back_identical(tmp_path):
    payload = "Ünïcödé body\x00 with a NUL and 10 € ".encode() * 50
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.put_raw(RawDocument("in.bin", "text", payload), "f" * 40)
        assert store.raw_bytes("f" * 40) == payload
        stored = store.db.execute("SELECT length(data) FROM raw").fetchone()[0]
        assert stored < len(payload)  # compressed


def test_failed_transaction_leaves_nothing_behind(tmp_path):
    art = _article("A port strike closed the harbour. Dockers asked for 4% more.")
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError), store.transaction():
            _with_raw(store)
            store.put_article(art, "s1", 1.0)
            raise RuntimeError("crash mid-batch")
        assert store.count("articles") == 0
        assert store.count("raw") == 0
        assert store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0


def test_same_article_twice_is_stored_once(tmp_path):
    art = _article("Same words twice. Nothing else.")
    with Store(tmp_path / "s.db") as store, store.transaction():
        _with_raw(store)
        assert store.put_article(art, "s1", 1.0) is True
        assert store.put_article(art, "s1", 1.0) is False
    with Store(tmp_path / "s.db") as store:
        assert store.count("articles") == 1


def test_round_trip_of_claims_relations_facts_and_search(tmp_path):
    a = _article("Acme will invest 3.2 billion euros in a battery plant in Lyon.")
    b = _article("Acme va investir 3,2 milliards d'euros dans une usine à Lyon.", outlet="Le Exemple")
    claim = Claim(
        article_id=a.id,
        kind=ValueKind.MONEY,
        value=3.2e9,
        unit="EUR",
        predicate="invest",
        sentence=a.text,
        start=17,
        end=35,
        surface="3.2 billion euros",
        lang="en",
        subject="Acme",
        bound=Bound.GT,
    )
    voice = Voice((a.id, b.id), "Daily Example", (claim.id,), "3.2e9 EUR")
    fact = Fact(
        "s1",
        "Acme|invest|EUR",
        "Acme",
        "invest",
        ValueKind.MONEY,
        3.2e9,
        "EUR",
        None,
        "3.2e9 EUR",
        0.9,
        (voice,),
    )
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            _with_raw(store)
            store.put_article(a, "s1", 1.0)
            store.put_article(b, "s1", 0.9)
            store.put_relations([Relation(a.id, b.id, RelationKind.TRANSLATION, 0.93, "anchors")])
            store.put_claims([claim])
            store.touch_story("s1")
            store.put_facts("s1", [fact])
        assert store.claims_of([a.id]) == [claim]
        assert store.facts_of("s1") == [fact]
        assert store.relations_among([b.id])[0].kind is RelationKind.TRANSLATION
        story = store.story_full("s1")
        assert story.article_ids == (a.id, b.id) and story.languages == ("en",)
        # accent-insensitive full-text search, and user text cannot inject FTS syntax
        assert [s.id for s in store.stories(q="usine a lyon")] == ["s1"]
        assert store.stories(q='"unbalanced OR (') == []


def test_an_older_schema_is_read_as_it_is_and_migrated_on_the_next_write(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)  # what a version-1 storyfold left behind
    con.executescript(MIGRATIONS[0])
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with Store(path, readonly=True) as ro:  # `storyfold stories` on it still works
        assert ro.story_ids() == [] and ro.alias_of("s123") is None
    with Store(path) as rw:
        assert rw.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert rw.alias_of("s123") is None
        assert rw.db.execute("SELECT count(*) FROM story_aliases").fetchone()[0] == 0
