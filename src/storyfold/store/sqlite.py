"""The embedded store: one SQLite file in WAL mode holding every stage's output.

WAL lets the web server read while one writer ingests. Every write goes through
`transaction()`, so a crash mid-ingest loses at most the batch that was not yet committed,
never half an article. The schema carries a version (PRAGMA user_version) and is brought
up to date by the ordered MIGRATIONS on open, so an old database keeps working.
Raw inputs are kept zlib-compressed, keyed by their SHA-1, so any later improvement of
the extractors can re-process everything.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from storyfold.model import (
    Article,
    Bound,
    Claim,
    Fact,
    InputRecord,
    RawDocument,
    Rejection,
    Relation,
    RelationKind,
    SourceReliability,
    SourceTally,
    Story,
    ValueKind,
    Voice,
)
from storyfold.store.errors import StoreError
from storyfold.store.lock import WriterLock

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE raw (
        sha1 TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        data BLOB NOT NULL,            -- zlib-compressed bytes, exactly as read
        hints TEXT NOT NULL DEFAULT '{}',
        ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- arrival order
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        lang TEXT NOT NULL,
        published TEXT,
        url TEXT,
        outlet TEXT,
        raw_sha1 TEXT REFERENCES raw(sha1),
        story_id TEXT,
        story_score REAL,
        ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX articles_story ON articles(story_id);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        n_articles INTEGER NOT NULL DEFAULT 0,
        first_date TEXT,
        last_date TEXT,
        languages TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE relations (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (a, b, kind)
    );
    CREATE INDEX relations_b ON relations(b);
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        kind TEXT NOT NULL,
        value REAL,
        value_high REAL,
        unit TEXT NOT NULL,
        bound TEXT NOT NULL,
        predicate TEXT NOT NULL,
        subject TEXT,
        period TEXT,
        per TEXT,
        sentence TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        surface TEXT NOT NULL,
        lang TEXT NOT NULL
    );
    CREATE INDEX claims_article ON claims(article_id);
    CREATE TABLE facts (
        story_id TEXT NOT NULL,
        slot TEXT NOT NULL,
        disputed INTEGER NOT NULL,
        body TEXT NOT NULL,             -- the Fact as JSON
        PRIMARY KEY (story_id, slot)
    );
    CREATE TABLE reliability (
        source TEXT PRIMARY KEY,
        reliability REAL NOT NULL,
        n_claims INTEGER NOT NULL,
        n_agree INTEGER NOT NULL
    );
    CREATE TABLE ingest_errors (
        source TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (source, message)
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END;
    """,
    # 2: a merged story's id keeps answering, as the story it was merged into
    """
    CREATE TABLE story_aliases (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL
    );
    """,
    # 3: per-outlet counts of short paragraphs (an outlet's template), kept across runs
    """
    CREATE TABLE outlet_lines (
        k INTEGER PRIMARY KEY,          -- 64-bit hash of (outlet, normalised line)
        n INTEGER NOT NULL
    );
    """,
    # 4: the stages' live state, so that opening a database never replays its articles. The
    # blobs are the stages' own (fold/relate.py, cluster/stories.py); the store only keeps them.
    """
    CREATE TABLE fold_window (
        ord INTEGER PRIMARY KEY,        -- arrival order in the fold stage
        article_id TEXT NOT NULL,
        state BLOB NOT NULL
    );
    CREATE TABLE cluster_stories (
        id TEXT PRIMARY KEY,
        live INTEGER NOT NULL,          -- 1: held in memory, 0: left it
        head BLOB NOT NULL,             -- read for every live story on open
        state BLOB NOT NULL             -- read when the story is first needed
    );
    CREATE INDEX cluster_stories_live ON cluster_stories(live) WHERE live = 1;
    CREATE TABLE cluster_counted (
        arrival INTEGER PRIMARY KEY,    -- the articles in the document frequencies
        items BLOB NOT NULL
    );
    CREATE TABLE stage_meta (
        stage TEXT PRIMARY KEY,
        state BLOB NOT NULL
    );
    CREATE TABLE source_tallies (       -- what each story says of each source (reconcile)
        story_id TEXT NOT NULL,
        source TEXT NOT NULL,
        n INTEGER NOT NULL,
        agree INTEGER NOT NULL,
        p_sum REAL NOT NULL,
        PRIMARY KEY (story_id, source)
    ) WITHOUT ROWID;
    CREATE INDEX source_tallies_source ON source_tallies(source);
    """,
    # 5: the changes of the live stories' index since its last snapshot (cluster stage)
    """
    CREATE TABLE cluster_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        arrival INTEGER NOT NULL,
        story_id TEXT NOT NULL,
        kind TEXT NOT NULL,             -- live | evicted | gone
        merged_into TEXT                -- gone: the story it was merged into
    );
    """,
    # 6: every input accounted for: what each input became (an article, a duplicate of one, or
    # a rejection and why), under the caller's own id. Earlier articles are entered as their
    # own inputs, with the id their container gave, if any.
    """
    ALTER TABLE articles ADD COLUMN input_id TEXT;
    CREATE TABLE inputs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,           -- where it was read: file, line, record, entry, request
        raw_sha1 TEXT NOT NULL DEFAULT '',  -- of its bytes; '' when they could not be read
        input_id TEXT,                  -- the caller's own id
        status TEXT NOT NULL,           -- article | duplicate | rejected
        article_id TEXT,                -- the article it made, or the stored one it duplicates
        reason TEXT,                    -- duplicate: of what; rejected: why
        at TEXT NOT NULL DEFAULT (datetime('now')),
        UNIQUE (source, raw_sha1)
    );
    CREATE INDEX inputs_sha1 ON inputs(raw_sha1);
    CREATE INDEX inputs_input_id ON inputs(input_id);
    INSERT OR IGNORE INTO inputs(source, raw_sha1, input_id, status, article_id, at)
        SELECT a.source, coalesce(a.raw_sha1, ''), json_extract(r.hints, '$.id'), 'article', a.id,
               a.ingested_at
        FROM articles a LEFT JOIN raw r ON r.sha1 = a.raw_sha1 ORDER BY a.seq;
    INSERT OR IGNORE INTO inputs(source, status, reason, at)
        SELECT e.source, 'rejected', e.message, e.at FROM ingest_errors e
        WHERE e.source NOT IN (SELECT source FROM articles);
    """,
    # 7: followed sources (`storyfold follow`): each feed's validators and last fetch, and each
    # item seen, so that re-runs and restarts never fetch or add one twice
    """
    CREATE TABLE follow_sources (
        source TEXT PRIMARY KEY,        -- a feed URL, a file of URLs, a folder
        kind TEXT NOT NULL,             -- feed | urls | folder
        etag TEXT,
        last_modified TEXT,
        last_fetch TEXT,                -- when it was last read (UTC)
        last_status INTEGER,            -- HTTP status of that read, when it was fetched
        last_error TEXT,                -- the last failure to read it, one line
        last_error_at TEXT,
        rounds INTEGER NOT NULL DEFAULT 0,
        n_items INTEGER NOT NULL DEFAULT 0,   -- items seen
        n_added INTEGER NOT NULL DEFAULT 0,   -- articles they made
        n_failed INTEGER NOT NULL DEFAULT 0   -- items given up on
    );
    CREATE TABLE follow_items (
        source TEXT NOT NULL,
        key TEXT NOT NULL,              -- a feed item's GUID (else link), a URL, a file's path
        url TEXT,
        status TEXT NOT NULL,           -- done | retry | failed
        attempts INTEGER NOT NULL DEFAULT 0,
        article_id TEXT,
        reason TEXT,
        stamp TEXT,                     -- a file's modification time and size
        at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (source, key)
    );
    CREATE INDEX follow_items_url ON follow_items(url);
    """,
    # 8: stories whose facts wait to be computed (a large story between refreshes, every story
    # of a batch job until its end): a run cut short leaves them marked, and the next run
    # computes them, even if it brings nothing new
    """
    ALTER TABLE stories ADD COLUMN facts_due INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX stories_facts_due ON stories(id) WHERE facts_due = 1;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
_CHUNK = 900  # values bound in one IN (...): SQLite's default limit is well above


class Store:
    """Typed access to the SQLite file; with `store.follow`, the only code that writes SQL."""

    def __init__(self, path: str | Path, *, readonly: bool = False, wait: float = 0.0) -> None:
        """A writable store takes the database's writer lock first (`wait` seconds at most for
        the process holding it, else WriterBusy): one process writes, any number read."""
        self.path = Path(path)
        self.readonly = readonly
        self.lock = WriterLock(self.path)
        if not readonly:
            self.lock.acquire(wait)
        try:
            if readonly:
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                # the writer inserts into indexes keyed by hashes (article ids, raw digests, claim
                # ids), all over the B-trees: a 64 MB page cache keeps their inner pages at hand
                self.db.execute("PRAGMA cache_size = -65536")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.lock.release()
            raise StoreError(f"{self.path}: not a usable storyfold database ({exc})") from exc

    # ------------------------------------------------------------------ lifecycle

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this storyfold ({SCHEMA_VERSION})"
            )
        self.version = version
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            # every migration so far only adds; a reader of an older file sees what it holds
            # (no aliases before 2) rather than an error, and the next write brings it up to date
            return
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in _statements(script):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")
            self.version = number

    def close(self) -> None:
        self.db.close()
        self.lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: all of it lands, or none of it."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.commit()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads that see one state of the database, whatever a writer commits meanwhile."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN")
        try:
            yield self.db
        finally:
            self.db.rollback()

    # ------------------------------------------------------------------ writes (inside a transaction)

    def put_raw(self, raw: RawDocument, sha1: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO raw(sha1, source, format, data, hints) VALUES (?,?,?,?,?)",
            (sha1, raw.source, raw.format, zlib.compress(raw.raw, 6), _hints(raw)),
        )

    def put_raws(self, raws: Sequence[tuple[RawDocument, str, bytes | None]]) -> None:
        """(raw document, its sha1, its bytes already compressed or None) rows."""
        self.db.executemany(
            "INSERT OR IGNORE INTO raw(sha1, source, format, data, hints) VALUES (?,?,?,?,?)",
            [
                (sha1, r.source, r.format, z if z is not None else zlib.compress(r.raw, 6), _hints(r))
                for r, sha1, z in raws
            ],
        )

    def put_articles(self, rows: Sequence[Sequence[Any]]) -> None:
        """(article, story id, score) rows; an article already stored is left as it is."""
        self.db.executemany(
            "INSERT OR IGNORE INTO articles(id, source, title, text, lang, published, url, outlet,"
            " raw_sha1, story_id, story_score, input_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    a.id,
                    a.source,
                    a.title,
                    a.text,
                    a.lang,
                    a.published.isoformat() if a.published else None,
                    a.url,
                    a.outlet,
                    a.raw_sha1,
                    sid,
                    score,
                    a.input_id,
                )
                for a, sid, score in rows
            ],
        )

    def put_inputs(self, rows: Sequence[InputRecord]) -> None:
        """What each input of a batch became. Reading an input again replaces its row, except
        that an input found to be a duplicate of the very article it made stays that article."""
        self.db.executemany(
            "INSERT INTO inputs(source, raw_sha1, input_id, status, article_id, reason) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(source, raw_sha1) DO UPDATE SET input_id = excluded.input_id,"
            " status = excluded.status, article_id = excluded.article_id, reason = excluded.reason,"
            " at = excluded.at"
            " WHERE NOT (excluded.status = 'duplicate' AND inputs.article_id IS excluded.article_id)",
            [(r.source, r.raw_sha1 or "", r.input_id, r.status, r.article_id, r.reason) for r in rows],
        )

    def articles_of_raw(self, sha1s: Sequence[str]) -> dict[str, str]:
        """The article each of these stored raw inputs made or duplicates."""
        out: dict[str, str] = {}
        if self.version < 6:
            return out
        for i in range(0, len(sha1s), _CHUNK):
            part = sha1s[i : i + _CHUNK]
            sql = (
                "SELECT raw_sha1, article_id FROM inputs WHERE article_id IS NOT NULL"
                f" AND raw_sha1 IN ({','.join('?' * len(part))}) ORDER BY seq DESC"
            )
            out.update(self.db.execute(sql, part).fetchall())
        return out

    def iter_inputs(self) -> Iterator[InputRecord]:
        """Every input ever read, in the order it was first read."""
        if self.version < 6:
            return
        for r in self.db.execute(
            "SELECT source, raw_sha1, input_id, status, article_id, reason, at FROM inputs ORDER BY seq"
        ):
            yield InputRecord(r[0], r[3], r[2], r[4], r[5], r[1] or None, r[6])

    def input_counts(self) -> dict[str, int]:
        if self.version < 6:
            return {}
        return dict(self.db.execute("SELECT status, count(*) FROM inputs GROUP BY status").fetchall())

    def put_article(self, article: Article, story_id: str, score: float) -> bool:
        """Insert; False when the article is already stored (re-ingest is a no-op)."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO articles(id, source, title, text, lang, published, url, outlet,"
            " raw_sha1, story_id, story_score) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.source,
                article.title,
                article.text,
                article.lang,
                article.published.isoformat() if article.published else None,
                article.url,
                article.outlet,
                article.raw_sha1,
                story_id,
                score,
            ),
        )
        return cur.rowcount == 1

    def put_relations(self, relations: Iterable[Relation]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO relations(a, b, kind, score, detail) VALUES (?,?,?,?,?)",
            [(r.a, r.b, r.kind.value, float(r.score), r.detail) for r in relations],
        )

    def put_claims(self, claims: Iterable[Claim]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO claims(id, article_id, kind, value, value_high, unit, bound, predicate,"
            " subject, period, per, sentence, start, end, surface, lang)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    c.id,
                    c.article_id,
                    c.kind.value,
                    c.value,
                    c.value_high,
                    c.unit,
                    c.bound.value,
                    c.predicate,
                    c.subject,
                    c.period,
                    c.per,
                    c.sentence,
                    c.start,
                    c.end,
                    c.surface,
                    c.lang,
                )
                for c in claims
            ],
        )

    def touch_story(self, story_id: str) -> None:
        """Recompute a story's summary row from its articles."""
        rows = self.db.execute(
            "SELECT seq, title, lang, published FROM articles WHERE story_id = ? ORDER BY seq", (story_id,)
        ).fetchall()
        if not rows:
            self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            return
        dates = sorted(r["published"] for r in rows if r["published"])
        langs = sorted({r["lang"] for r in rows})
        self.db.execute(
            "INSERT INTO stories(id, title, first_seq, n_articles, first_date, last_date, languages)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET n_articles=excluded.n_articles,"
            " first_date=excluded.first_date, last_date=excluded.last_date, languages=excluded.languages,"
            " updated_at=datetime('now')",
            (
                story_id,
                _story_title(rows),
                rows[0]["seq"],
                len(rows),
                dates[0] if dates else None,
                dates[-1] if dates else None,
                ",".join(langs),
            ),
        )

    def merge_story(self, old: str, into: str, touch: bool = True) -> None:
        """Move a story's articles into another (the clusterer merged them); the old one is gone."""
        self.db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (into, old))
        self.db.execute("DELETE FROM facts WHERE story_id = ?", (old,))
        if self.version >= 4:
            self.db.execute("DELETE FROM source_tallies WHERE story_id = ?", (old,))
        # links, bookmarks and API clients hold story ids: the old one now names the merged story
        self.db.execute("UPDATE story_aliases SET new_id = ? WHERE new_id = ?", (into, old))
        self.db.execute("INSERT OR REPLACE INTO story_aliases(old_id, new_id) VALUES (?, ?)", (old, into))
        if touch:  # (a writer that touches every story of its batch at the end says no)
            self.touch_story(old)
            self.touch_story(into)

    def alias_of(self, story_id: str) -> str | None:
        """The live story a merged-away story id now stands for, if any."""
        if self.version < 2:
            return None
        row = self.db.execute("SELECT new_id FROM story_aliases WHERE old_id = ?", (story_id,)).fetchone()
        return row[0] if row else None

    def put_facts(self, story_id: str, facts: Sequence[Fact]) -> None:
        """A story's facts, now computed (no longer due)."""
        self.db.execute("DELETE FROM facts WHERE story_id = ?", (story_id,))
        self.db.executemany(
            "INSERT OR REPLACE INTO facts(story_id, slot, disputed, body) VALUES (?,?,?,?)",
            [(story_id, f.slot, int(f.disputed), json.dumps(f.as_dict())) for f in facts],
        )
        if self.version >= 8:
            self.db.execute("UPDATE stories SET facts_due = 0 WHERE id = ? AND facts_due = 1", (story_id,))

    def mark_facts_due(self, story_ids: Iterable[str]) -> None:
        """These stories' facts wait to be computed (`facts_due` lists them until then)."""
        self.db.executemany("UPDATE stories SET facts_due = 1 WHERE id = ?", [(s,) for s in story_ids])

    def facts_due(self) -> list[str]:
        """The stories whose facts wait to be computed."""
        if self.version < 8:
            return []
        return [r[0] for r in self.db.execute("SELECT id FROM stories WHERE facts_due = 1 ORDER BY id")]

    def put_reliability(self, rel: Iterable[SourceReliability]) -> None:
        self.db.execute("DELETE FROM reliability")
        self.db.executemany(
            "INSERT INTO reliability(source, reliability, n_claims, n_agree) VALUES (?,?,?,?)",
            [(r.source, r.reliability, r.n_claims, r.n_agree) for r in rel],
        )

    def put_error(self, err: Rejection) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO ingest_errors(source, message) VALUES (?,?)", (err.source, err.message)
        )

    def add_outlet_counts(self, changes: dict[int, int]) -> None:
        self.db.executemany(
            "INSERT INTO outlet_lines(k, n) VALUES (?,?) ON CONFLICT(k) DO UPDATE SET n = n + excluded.n",
            list(changes.items()),
        )

    def put_fold_window(self, added: Sequence[tuple[int, str, bytes]], gone: Sequence[int]) -> None:
        self.db.executemany("DELETE FROM fold_window WHERE ord = ?", [(o,) for o in gone])
        self.db.executemany(
            "INSERT OR REPLACE INTO fold_window(ord, article_id, state) VALUES (?,?,?)", added
        )

    def put_cluster_state(
        self,
        live: Sequence[tuple[str, bytes, bytes]],
        evicted: Sequence[tuple[str, bytes | None, bytes | None]],
        gone: Sequence[str],
        counted: Sequence[tuple[int, bytes]],
        forget_before: int,
        snapshot: bytes | None,
        meta: bytes,
        events: Sequence[tuple[int, str, str, str | None]] = (),
        index_snapshot: bytes | None = None,
        index_arrival: int = 0,
    ) -> None:
        db = self.db
        db.executemany("DELETE FROM cluster_stories WHERE id = ?", [(g,) for g in gone])
        db.executemany(
            "INSERT OR REPLACE INTO cluster_stories(id, live, head, state) VALUES (?,?,?,?)",
            [(sid, 1, h, b) for sid, h, b in live]
            + [(sid, 0, h, b) for sid, h, b in evicted if b is not None],
        )
        # left memory unread since opening: the stored state is its last
        db.executemany(
            "UPDATE cluster_stories SET live = 0 WHERE id = ?", [(sid,) for sid, _, b in evicted if b is None]
        )
        db.execute("DELETE FROM cluster_counted WHERE arrival < ?", (forget_before,))
        db.executemany("INSERT OR REPLACE INTO cluster_counted(arrival, items) VALUES (?,?)", counted)
        if snapshot is not None:
            self.put_meta("cluster_df", snapshot)
        if self.version >= 5:
            db.executemany(
                "INSERT INTO cluster_changes(arrival, story_id, kind, merged_into) VALUES (?,?,?,?)", events
            )
            if index_snapshot is not None:  # what it holds needs no replay any more
                self.put_meta("cluster_index", index_snapshot)
                db.execute("DELETE FROM cluster_changes WHERE arrival <= ?", (index_arrival,))
        self.put_meta("cluster", meta)

    def put_tallies(self, story_id: str, tallies: Iterable[SourceTally]) -> None:
        self.db.execute("DELETE FROM source_tallies WHERE story_id = ?", (story_id,))
        self.db.executemany(
            "INSERT INTO source_tallies(story_id, source, n, agree, p_sum) VALUES (?,?,?,?,?)",
            [(story_id, t.source, t.n, t.agree, t.p_sum) for t in tallies],
        )

    def source_sums(self, sources: Sequence[str]) -> list[tuple[str, int, int, float]]:
        """Per source: its tallies summed over every story (source, n, agree, p_sum)."""
        out: list[tuple[str, int, int, float]] = []
        for i in range(0, len(sources), _CHUNK):
            part = list(sources[i : i + _CHUNK])
            out.extend(
                self.db.execute(
                    "SELECT source, sum(n), sum(agree), sum(p_sum) FROM source_tallies"
                    f" WHERE source IN ({','.join('?' * len(part))}) GROUP BY source",
                    part,
                )
            )
        return out

    def upsert_reliability(self, rel: Iterable[SourceReliability]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO reliability(source, reliability, n_claims, n_agree) VALUES (?,?,?,?)",
            [(r.source, r.reliability, r.n_claims, r.n_agree) for r in rel],
        )

    def drop_reliability(self, sources: Sequence[str]) -> None:
        """Sources no story says anything about any more (their claims were merged away)."""
        self.db.executemany("DELETE FROM reliability WHERE source = ?", [(x,) for x in sources])

    def reliability_of(self, sources: Sequence[str]) -> dict[str, float]:
        out: dict[str, float] = {}
        for i in range(0, len(sources), _CHUNK):
            part = list(sources[i : i + _CHUNK])
            out.update(
                self.db.execute(
                    f"SELECT source, reliability FROM reliability WHERE source IN ({','.join('?' * len(part))})",
                    part,
                ).fetchall()
            )
        return out

    def put_meta(self, stage: str, state: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO stage_meta(stage, state) VALUES (?,?)", (stage, state))

    # ------------------------------------------------------------------ reads

    def meta(self, stage: str) -> bytes | None:
        if self.version < 4:
            return None
        row = self.db.execute("SELECT state FROM stage_meta WHERE stage = ?", (stage,)).fetchone()
        return row[0] if row else None

    def fold_window(self) -> Iterator[bytes]:
        for row in self.db.execute("SELECT state FROM fold_window ORDER BY ord"):
            yield row[0]

    def live_heads(self) -> Iterator[tuple[str, bytes]]:
        """The heads of the stories held in memory, in no particular order (each carries its own)."""
        yield from self.db.execute("SELECT id, head FROM cluster_stories WHERE live = 1")

    def story_state(self, story_id: str) -> tuple[bytes, bytes] | None:
        """A stored story's (head, state)."""
        row = self.db.execute("SELECT head, state FROM cluster_stories WHERE id = ?", (story_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def story_head(self, story_id: str) -> bytes | None:
        row = self.db.execute("SELECT head FROM cluster_stories WHERE id = ?", (story_id,)).fetchone()
        return row[0] if row else None

    def cluster_changes(self) -> list[tuple[int, str, str, str | None]]:
        """The changes of the live stories' index since its last snapshot, in order."""
        if self.version < 5:
            return []
        return self.db.execute(
            "SELECT arrival, story_id, kind, merged_into FROM cluster_changes ORDER BY seq"
        ).fetchall()

    def counted(self, lo: int, hi: int) -> list[tuple[int, bytes]]:
        """The stored words of the articles counted from arrival lo to hi."""
        return self.db.execute(
            "SELECT arrival, items FROM cluster_counted WHERE arrival BETWEEN ? AND ? ORDER BY arrival",
            (lo, hi),
        ).fetchall()

    def story_heads(self, story_id: str) -> list[Article]:
        """A story's articles in arrival order, without their text (what reconciling reads)."""
        rows = self.db.execute(
            "SELECT id, source, title, '' AS text, lang, published, url, outlet, raw_sha1 FROM articles"
            " WHERE story_id = ? ORDER BY seq",
            (story_id,),
        )
        return [_article(r) for r in rows]

    def story_claims(self, story_id: str) -> list[Claim]:
        """A story's claims, in arrival then text order (read on every batch that touches it:
        the columns in the record's order, positional, with the enums looked up once)."""
        cur = self.db.cursor()
        cur.row_factory = None
        rows = cur.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN articles a ON a.id = c.article_id"
            " WHERE a.story_id = ? ORDER BY a.seq, c.start",
            (story_id,),
        )
        kinds, bounds = _KINDS, _BOUNDS
        return [
            Claim(a, kinds[k], v, u, p, se, st, e, su, la, sb, bounds[b], vh, pe, pr)
            for a, k, v, u, p, se, st, e, su, la, sb, b, vh, pe, pr in rows
        ]

    def story_relations(self, story_id: str) -> list[Relation]:
        """The relations between two articles of the story."""
        rows = self.db.execute(
            "SELECT r.* FROM articles x JOIN relations r ON r.a = x.id JOIN articles y ON y.id = r.b"
            " WHERE x.story_id = ?1 AND y.story_id = ?1 ORDER BY r.a, r.b, r.kind",
            (story_id,),
        )
        return [Relation(r["a"], r["b"], RelationKind(r["kind"]), r["score"], r["detail"]) for r in rows]

    def story_state_of(self, article_id: str) -> tuple[str, bytes, bytes] | None:
        """The stored story an article is in, (id, head, state): to bring it back into memory."""
        row = self.db.execute(
            "SELECT s.id, s.head, s.state FROM articles a JOIN cluster_stories s ON s.id = a.story_id"
            " WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def stored_raw(self, sha1s: Sequence[str]) -> set[str]:
        """Which of these raw inputs are stored."""
        return set(self._in("SELECT sha1 FROM raw WHERE sha1 IN ({})", sha1s))

    def stored_articles(self, ids: Sequence[str]) -> set[str]:
        """Which of these articles are stored."""
        return set(self._in("SELECT id FROM articles WHERE id IN ({})", ids))

    def outlet_counts(self, keys: Sequence[int]) -> dict[int, int]:
        if self.version < 3:
            return {}
        out: dict[int, int] = {}
        for i in range(0, len(keys), _CHUNK):
            part = keys[i : i + _CHUNK]
            sql = f"SELECT k, n FROM outlet_lines WHERE k IN ({','.join('?' * len(part))})"
            out.update(self.db.execute(sql, part).fetchall())
        return out

    def _in(self, sql: str, values: Sequence[str]) -> Iterator[str]:
        """The first column of `sql` (with one IN ({}) placeholder) over `values`, in chunks."""
        for i in range(0, len(values), _CHUNK):
            part = values[i : i + _CHUNK]
            for row in self.db.execute(sql.format(",".join("?" * len(part))), part):
                yield row[0]

    def has_raw(self, sha1: str) -> bool:
        return self.db.execute("SELECT 1 FROM raw WHERE sha1 = ?", (sha1,)).fetchone() is not None

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def raw_bytes(self, sha1: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM raw WHERE sha1 = ?", (sha1,)).fetchone()
        return zlib.decompress(row["data"]) if row else None

    def count(self, table: str) -> int:
        if table not in {"raw", "articles", "stories", "relations", "claims", "facts", "ingest_errors"}:
            raise ValueError(table)
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def iter_articles(self) -> Iterator[tuple[Article, str]]:
        """Every article with its story id, in arrival order (to rebuild in-memory indexes)."""
        for row in self.db.execute("SELECT * FROM articles ORDER BY seq"):
            yield _article(row), row["story_id"]

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def story_article_ids(self, story_id: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute("SELECT id FROM articles WHERE story_id = ? ORDER BY seq", (story_id,))
        ]

    def articles_of(self, story_id: str) -> list[Article]:
        rows = self.db.execute(
            "SELECT * FROM articles WHERE story_id = ? ORDER BY coalesce(published, '9999'), seq", (story_id,)
        )
        return [_article(r) for r in rows]

    def story(self, story_id: str) -> Story | None:
        row = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return self._story(row) if row else None

    def story_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM stories ORDER BY first_seq")]

    def find_story(self, prefix: str) -> list[str]:
        """Story ids starting with `prefix` (users type short ids)."""
        esc = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM stories WHERE id LIKE ? ESCAPE '\\' ORDER BY first_seq LIMIT 10", (esc + "%",)
            )
        ]

    def stories(self, limit: int = 50, offset: int = 0, q: str | None = None) -> list[Story]:
        if q:
            rows = self.db.execute(
                "SELECT s.* FROM stories s WHERE s.id IN (SELECT a.story_id FROM articles_fts f"
                " JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH ?)"
                " ORDER BY s.n_articles DESC, s.first_seq LIMIT ? OFFSET ?",
                (_fts_query(q), limit, offset),
            )
        else:
            rows = self.db.execute(
                "SELECT * FROM stories ORDER BY n_articles DESC, first_seq LIMIT ? OFFSET ?", (limit, offset)
            )
        return [self._story(r) for r in rows]

    def article_counts(self, story_ids: Sequence[str]) -> dict[str, int]:
        """Articles per story, as kept on the story's row (no article is read)."""
        out: dict[str, int] = {}
        for i in range(0, len(story_ids), _CHUNK):
            part = list(story_ids[i : i + _CHUNK])
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT id, n_articles FROM stories WHERE id IN ({marks})", part)
            out.update((r[0], int(r[1])) for r in rows)
        return out

    def disputed_counts(self, story_ids: Sequence[str]) -> dict[str, int]:
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        rows = self.db.execute(
            f"SELECT story_id, sum(disputed) FROM facts WHERE story_id IN ({marks}) GROUP BY story_id",
            list(story_ids),
        )
        return {r[0]: int(r[1] or 0) for r in rows}

    def relations_among(self, article_ids: Sequence[str]) -> list[Relation]:
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self.db.execute(
            f"SELECT * FROM relations WHERE a IN ({marks}) OR b IN ({marks}) ORDER BY a, b, kind",
            list(article_ids) * 2,
        )
        return [Relation(r["a"], r["b"], RelationKind(r["kind"]), r["score"], r["detail"]) for r in rows]

    def all_relations(self) -> list[Relation]:
        rows = self.db.execute("SELECT * FROM relations ORDER BY a, b, kind")
        return [Relation(r["a"], r["b"], RelationKind(r["kind"]), r["score"], r["detail"]) for r in rows]

    def claims_of(self, article_ids: Sequence[str]) -> list[Claim]:
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        rows = self.db.execute(
            f"SELECT * FROM claims WHERE article_id IN ({marks}) ORDER BY article_id, start",
            list(article_ids),
        )
        return [_claim(r) for r in rows]

    def claims_by_story(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {}
        rows = self.db.execute(
            "SELECT c.*, a.story_id AS sid FROM claims c JOIN articles a ON a.id = c.article_id"
            " ORDER BY a.seq, c.start"
        )
        for r in rows:
            out.setdefault(r["sid"], []).append(_claim(r))
        return out

    def facts_of(self, story_id: str) -> list[Fact]:
        rows = self.db.execute("SELECT body FROM facts WHERE story_id = ? ORDER BY slot", (story_id,))
        return [_fact_from_json(json.loads(r[0])) for r in rows]

    def reliability(self) -> list[SourceReliability]:
        rows = self.db.execute("SELECT * FROM reliability ORDER BY reliability DESC, n_claims DESC, source")
        return [SourceReliability(r["source"], r["reliability"], r["n_claims"], r["n_agree"]) for r in rows]

    def errors(self) -> list[Rejection]:
        return [Rejection(r[0], r[1]) for r in self.db.execute("SELECT source, message FROM ingest_errors")]

    @staticmethod
    def _story(row: sqlite3.Row) -> Story:
        return Story(
            id=row["id"],
            title=row["title"],
            article_ids=(),
            first_date=_date(row["first_date"]),
            last_date=_date(row["last_date"]),
            languages=tuple(x for x in row["languages"].split(",") if x),
        )

    def story_full(self, story_id: str) -> Story | None:
        s = self.story(story_id)
        if s is None:
            return None
        return Story(
            s.id, s.title, tuple(self.story_article_ids(story_id)), s.first_date, s.last_date, s.languages
        )


# ---------------------------------------------------------------------- row <-> record


def _hints(raw: RawDocument) -> str:
    """What the container said of a document, without its text or HTML: the raw bytes, kept
    beside, hold those already (a JSONL line, a feed entry, a WARC payload)."""
    return json.dumps({k: v for k, v in raw.hints.items() if k not in ("text", "html")}, default=str)


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        text=row["text"],
        lang=row["lang"],
        published=_date(row["published"]),
        url=row["url"],
        outlet=row["outlet"],
        raw_sha1=row["raw_sha1"],
        input_id=row["input_id"] if "input_id" in row.keys() else None,  # noqa: SIM118 - sqlite3.Row
    )


_CLAIM_COLUMNS = ", ".join(
    f"c.{x}"
    for x in [
        "article_id",
        "kind",
        "value",
        "unit",
        "predicate",
        "sentence",
        "start",
        "end",
        "surface",
        "lang",
        "subject",
        "bound",
        "value_high",
        "period",
        "per",
    ]
)
_KINDS = {k.value: k for k in ValueKind}
_BOUNDS = {b.value: b for b in Bound}


def _claim(r: sqlite3.Row) -> Claim:
    return Claim(
        article_id=r["article_id"],
        kind=ValueKind(r["kind"]),
        value=r["value"],
        unit=r["unit"],
        predicate=r["predicate"],
        sentence=r["sentence"],
        start=r["start"],
        end=r["end"],
        surface=r["surface"],
        lang=r["lang"],
        subject=r["subject"],
        bound=Bound(r["bound"]),
        value_high=r["value_high"],
        period=r["period"],
        per=r["per"],
    )


def _story_title(rows: Sequence[sqlite3.Row]) -> str:
    """The founder's title: the article that started the story names it."""
    return str(rows[0]["title"])


def _fact_from_json(d: dict[str, Any]) -> Fact:
    def voices(items: list[dict[str, Any]]) -> tuple[Voice, ...]:
        return tuple(
            Voice(tuple(v["article_ids"]), v["source"], tuple(v["claim_ids"]), v["display"]) for v in items
        )

    return Fact(
        story_id=d["story_id"],
        slot=d["slot"],
        subject=d["subject"],
        predicate=d["predicate"],
        kind=ValueKind(d["kind"]),
        value=d["value"],
        unit=d["unit"],
        period=d["period"],
        display=d["display"],
        confidence=d["confidence"],
        supporting=voices(d["supporting"]),
        conflicting=voices(d["conflicting"]),
    )


def _fts_query(q: str) -> str:
    """User words as FTS5 phrases: no operator injection, every word must match."""
    words = [w.replace('"', '""') for w in q.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words) or '""'
