"""The per-article work on worker processes: the same database as in-process, a failure isolated
to its article, no process left behind. Real WMT articles (en fr es de it), both start methods."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import sqlite3

import pytest

from storyfold.claims import pool as claims_pool
from storyfold.engine import LocalExecutor, Step
from storyfold.model import Article
from storyfold.pipeline import Library

LANGS = ("en", "fr", "es", "de", "it")


def _wmt(shared_data, n: int) -> list[dict]:
    """The first `n` WMT documents in the five languages (long, number-rich news articles)."""
    docs = []
    with gzip.open(shared_data / "translations" / "wmt_docs.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["lang"] in LANGS:
                docs.append(d)
                if len(docs) == n:
                    break
    return docs


class _Square(Step[int]):
    name, parallel = "square", True

    def run(self, batch: list[int]) -> list[int]:
        return [x * x for x in batch]


class _Tally(Step[int]):
    """Serial: sees every batch once, in input order."""

    name, parallel = "tally", False

    def __init__(self) -> None:
        self.seen: list[int] = []

    def run(self, batch: list[int]) -> list[int]:
        self.seen.extend(batch)
        return [x + 1 for x in batch]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_executor_keeps_order_and_stops_its_workers(method):
    tally, before = _Tally(), set(multiprocessing.active_children())
    batches = [list(range(i, i + 7)) for i in range(0, 70, 7)]
    with LocalExecutor(2, mp_context=method, ahead=3) as ex:
        out = list(ex.run([_Square(), tally, _Square()], iter(batches)))
        assert set(multiprocessing.active_children()) - before  # the work went to worker processes
    assert not set(multiprocessing.active_children()) - before  # and close() stopped them
    assert tally.seen == [x * x for x in range(70)]  # the serial step saw every batch in order
    assert out == [[(x * x + 1) ** 2 for x in b] for b in batches]


def _opening(text: str) -> tuple[str, ...]:
    """The first words: how to know an article again after ingest normalised its spacing."""
    return tuple(text.split()[:12])


def _ingest(tmp_path, name: str, docs: list[dict], executor: LocalExecutor) -> tuple[list, list[str]]:
    corpus = tmp_path / f"{name}_in"
    corpus.mkdir()
    lines = [
        json.dumps({"id": d["id"], "lang": d["lang"], "text": d["text"]}, ensure_ascii=False) for d in docs
    ]
    (corpus / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / f"{name}.db"
    with Library(db, batch_size=8) as lib:
        lib.executor.close()
        lib.executor = executor
        report = lib.ingest([corpus])
    assert executor._pool is None  # the Library closed the executor it held
    rows = []
    con = sqlite3.connect(db)
    for table, order in (
        ("articles", "seq"),
        ("claims", "id"),
        ("relations", "a, b, kind"),
        ("facts", "slot"),
    ):
        cols = "id, title, text, lang, story_id" if table == "articles" else "*"
        rows.append(con.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").fetchall())
    con.close()
    return rows, [str(e).replace(str(corpus), "<in>") for e in report.errors]


def test_pooled_ingest_equals_in_process_and_goes_on_after_a_failure(shared_data, tmp_path, monkeypatch):
    docs = _wmt(shared_data, 24)
    bad_text = docs[7]["text"]
    real = claims_pool.extract_claims

    def fails_on_one(article: Article):
        if _opening(article.text) == _opening(bad_text):
            raise ValueError("cannot read this one")
        return real(article)

    # patched before the workers start: forked workers inherit it
    monkeypatch.setattr(claims_pool, "extract_claims", fails_on_one)
    pooled, pooled_errors = _ingest(tmp_path, "pooled", docs, LocalExecutor(2, mp_context="fork"))
    alone, alone_errors = _ingest(tmp_path, "alone", docs, LocalExecutor(1))
    # the failing article is reported by its input and still stored (without claims); the
    # other 23 go on
    assert len(pooled_errors) == 1
    assert pooled_errors[0].startswith("<in>/batch.jsonl:line 8: ")
    assert "claim extraction failed: ValueError: cannot read this one" in pooled_errors[0]
    articles, claims = pooled[0], pooled[1]
    assert len(articles) == 24
    bad = [a[0] for a in articles if _opening(a[2]) == _opening(bad_text)]
    assert len(bad) == 1 and not [c for c in claims if c[1] == bad[0]]
    assert len({c[1] for c in claims}) >= 15
    # and the pooled run stored exactly what the in-process run did
    assert pooled_errors == alone_errors
    assert pooled == alone


def test_a_large_ingest_keeps_the_fold_in_a_host_process_to_the_same_end(shared_data, tmp_path, monkeypatch):
    """The fold's decisions of a large run go to a host process beside the workers (what the
    command line's ingest does): the database is the one an ingest in one process writes, and
    stays so when the host dies mid-run (this process then relates the rest itself, from the
    window the store holds)."""
    from storyfold.pipeline import steps

    docs = _wmt(shared_data, 48)  # six batches of eight: a large run
    alone, _ = _ingest(tmp_path, "alone", docs, LocalExecutor(1))
    hosting = LocalExecutor(2, mp_context="fork", host=True)
    hosted, errors = _ingest(tmp_path, "hosted", docs, hosting)
    assert ("relate", "host") in hosting.spent and ("relate", "here") not in hosting.spent
    assert errors == [] and hosted == alone

    real, calls = steps.Relate.work, []

    def dies_at_the_third_batch(self, payload):
        calls.append(1)  # (counted in the host: it is forked with this patch)
        if len(calls) == 3:
            os._exit(1)
        return real(self, payload)

    monkeypatch.setattr(steps.Relate, "work", dies_at_the_third_batch)
    hosting = LocalExecutor(2, mp_context="fork", host=True)
    died, errors = _ingest(tmp_path, "died", docs, hosting)
    assert ("relate", "host") in hosting.spent
    assert errors == [] and died == alone
