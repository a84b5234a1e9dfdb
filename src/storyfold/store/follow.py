"""The state of followed sources in the store: each source's last read and validators, each
item's fate. Writes go inside the Store's transactions, like every other write."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from storyfold.model import FollowedItem, FollowedSource
from storyfold.store.sqlite import _CHUNK, Store


def _source(row: sqlite3.Row) -> FollowedSource:
    return FollowedSource(**{k: row[k] for k in row.keys()})  # noqa: SIM118 - sqlite3.Row


def _item(row: sqlite3.Row) -> FollowedItem:
    return FollowedItem(**{k: row[k] for k in row.keys() if k != "at"})  # noqa: SIM118


class FollowState:
    """Typed access to `follow_sources` and `follow_items` of one Store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def _db(self) -> sqlite3.Connection:
        return self.store.db

    def available(self) -> bool:
        """False on a database older than the follow tables, opened read-only."""
        return int(self.store.version) >= 7

    # ------------------------------------------------------------------ reads

    def sources(self) -> list[FollowedSource]:
        if not self.available():
            return []
        rows = self._db.execute("SELECT * FROM follow_sources ORDER BY kind, source").fetchall()
        return [_source(r) for r in rows]

    def source(self, source: str) -> FollowedSource | None:
        row = self._db.execute("SELECT * FROM follow_sources WHERE source = ?", (source,)).fetchone()
        return _source(row) if row else None

    def items(self, source: str, keys: Sequence[str] | None = None) -> dict[str, FollowedItem]:
        """The items of `source` already seen (those among `keys`, when given)."""
        if keys is None:
            rows = self._db.execute("SELECT * FROM follow_items WHERE source = ?", (source,)).fetchall()
            return {r["key"]: _item(r) for r in rows}
        out: dict[str, FollowedItem] = {}
        for i in range(0, len(keys), _CHUNK):
            part = list(keys[i : i + _CHUNK])
            sql = f"SELECT * FROM follow_items WHERE source = ? AND key IN ({','.join('?' * len(part))})"
            for r in self._db.execute(sql, [source, *part]):
                out[r["key"]] = _item(r)
        return out

    def retrying(self, source: str, max_attempts: int) -> int:
        """How many items of `source` wait to be tried again."""
        row = self._db.execute(
            "SELECT count(*) FROM follow_items WHERE source = ? AND status = 'retry' AND attempts < ?",
            (source, max_attempts),
        ).fetchone()
        return int(row[0])

    def done_urls(self, urls: Sequence[str]) -> dict[str, str | None]:
        """Of `urls`, those some source already turned into an article: url -> article id."""
        out: dict[str, str | None] = {}
        for i in range(0, len(urls), _CHUNK):
            part = list(urls[i : i + _CHUNK])
            sql = (
                "SELECT url, article_id FROM follow_items WHERE status = 'done' AND url IN"
                f" ({','.join('?' * len(part))})"
            )
            for url, article in self._db.execute(sql, part):
                out[url] = article
        return out

    # ------------------------------------------------------------------ writes

    def record_read(
        self,
        source: str,
        kind: str,
        *,
        status: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        keep_validators: bool = False,
    ) -> None:
        """One read of a source: when, its answer, and its validators (kept from the last read
        on a 304 or a failure, `keep_validators`)."""
        self._db.execute(
            "INSERT INTO follow_sources(source, kind) VALUES (?, ?) ON CONFLICT(source) DO NOTHING",
            (source, kind),
        )
        self._db.execute(
            """UPDATE follow_sources SET kind = ?, rounds = rounds + 1, last_fetch = datetime('now'),
                   last_status = ?,
                   etag = CASE WHEN ? THEN etag ELSE ? END,
                   last_modified = CASE WHEN ? THEN last_modified ELSE ? END,
                   last_error = coalesce(?, last_error),
                   last_error_at = CASE WHEN ? IS NULL THEN last_error_at ELSE datetime('now') END
               WHERE source = ?""",
            (kind, status, keep_validators, etag, keep_validators, last_modified, error, error, source),
        )

    def put_items(self, items: Iterable[FollowedItem]) -> None:
        """Insert or update items; an update counts one more attempt."""
        self._db.executemany(
            """INSERT INTO follow_items(source, key, url, status, attempts, article_id, reason, stamp)
               VALUES (?,?,?,?,?,?,?,?)
               ON CONFLICT(source, key) DO UPDATE SET url = excluded.url, status = excluded.status,
                   attempts = excluded.attempts, article_id = excluded.article_id,
                   reason = excluded.reason, stamp = excluded.stamp, at = datetime('now')""",
            [(i.source, i.key, i.url, i.status, i.attempts, i.article_id, i.reason, i.stamp) for i in items],
        )

    def add_counts(self, source: str, items: int = 0, added: int = 0, failed: int = 0) -> None:
        self._db.execute(
            "UPDATE follow_sources SET n_items = n_items + ?, n_added = n_added + ?, n_failed = n_failed + ?"
            " WHERE source = ?",
            (items, added, failed, source),
        )
