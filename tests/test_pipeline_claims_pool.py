"""Claim extraction on worker processes: the same claims as in-process, failures isolated,
no process left behind. Real WMT articles (en fr es de it), with both start methods."""

from __future__ import annotations

import gzip
import json
import multiprocessing

import pytest

from storyfold.claims import ClaimPool, ExtractionFailure, extract_claims
from storyfold.claims import pool as claims_pool
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


def _articles(shared_data, n: int) -> list[Article]:
    return [
        Article(id=d["id"], source="wmt", title="", text=d["text"], lang=d["lang"])
        for d in _wmt(shared_data, n)
    ]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pooled_extraction_equals_in_process_and_isolates_a_failure(shared_data, method):
    arts = _articles(shared_data, 24)
    broken = Article(id="broken", source="x", title="", text=None, lang="en")  # type: ignore[arg-type]
    batch = arts[:10] + [broken] + arts[10:]
    expected = [extract_claims(a) for a in arts]
    assert sum(map(len, expected)) > 50  # a batch that really states values
    before = set(multiprocessing.active_children())
    with ClaimPool(2, min_batch=1, mp_context=method) as pool:
        assert pool.pooled(len(batch))
        got = list(pool.map(batch))
        assert set(multiprocessing.active_children()) - before  # the work went to worker processes
    assert not set(multiprocessing.active_children()) - before  # and close() stopped them
    failure = got.pop(10)
    assert isinstance(failure, ExtractionFailure)
    assert failure.error_type == "AttributeError" and "lower" in failure.message
    assert "extract_claims" in failure.traceback
    assert got == expected  # every other article: the same claims, in the same order


def test_small_batches_and_one_worker_stay_in_process(shared_data):
    arts = _articles(shared_data, 3)
    pool = ClaimPool(2, min_batch=4)
    assert not pool.pooled(3) and pool.pooled(4)
    assert list(pool.map(arts)) == [extract_claims(a) for a in arts]
    assert pool._executor is None  # nothing was started for a small batch
    assert not ClaimPool(1, min_batch=1).pooled(100)
    pool.close()
    assert not pool.pooled(100)  # a closed pool never starts workers again


def _opening(text: str) -> tuple[str, ...]:
    """The first words: how to know an article again after ingest normalised its spacing."""
    return tuple(text.split()[:12])


def _ingest(tmp_path, name: str, docs: list[dict], pool: ClaimPool, bad_text: str) -> dict:
    corpus = tmp_path / f"{name}_in"
    corpus.mkdir()
    lines = [
        json.dumps({"id": d["id"], "lang": d["lang"], "text": d["text"]}, ensure_ascii=False) for d in docs
    ]
    (corpus / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Library(tmp_path / f"{name}.db", batch_size=64) as lib:
        lib.claim_pool.close()
        lib.claim_pool = pool
        report = lib.ingest([corpus])
        arts = [a for a, _ in lib.store.iter_articles()]
        claims = sorted(
            lib.store.claims_of([a.id for a in arts]), key=lambda c: (c.article_id, c.start, c.end)
        )
    assert pool._executor is None  # the Library closed the pool it held
    bad = [a.id for a in arts if _opening(a.text) == _opening(bad_text)]
    return {
        "claims": claims,
        "errors": [str(e).replace(str(corpus), "<in>") for e in report.errors],
        "added": report.added,
        "bad": bad,
    }


def test_library_batch_path_pooled_equals_in_process_and_goes_on_after_a_failure(
    shared_data, tmp_path, monkeypatch
):
    docs = _wmt(shared_data, 24)
    bad_text = docs[7]["text"]
    real = claims_pool.extract_claims

    def fails_on_one(article: Article):
        if _opening(article.text) == _opening(bad_text):
            raise ValueError("cannot read this one")
        return real(article)

    # patched before the workers start: forked workers inherit it
    monkeypatch.setattr(claims_pool, "extract_claims", fails_on_one)
    pooled = _ingest(tmp_path, "pooled", docs, ClaimPool(2, min_batch=8, mp_context="fork"), bad_text)
    alone = _ingest(tmp_path, "alone", docs, ClaimPool(1), bad_text)
    # the failing article is reported by its input and still stored (without claims); the
    # other 23 go on
    assert len(pooled["errors"]) == 1
    assert pooled["errors"][0].startswith("<in>/batch.jsonl:line 8: ")
    assert "claim extraction failed: ValueError: cannot read this one" in pooled["errors"][0]
    assert pooled["added"] == 24 and len(pooled["bad"]) == 1
    assert not [c for c in pooled["claims"] if c.article_id == pooled["bad"][0]]
    assert len({c.article_id for c in pooled["claims"]}) >= 15
    # and the pooled run stored exactly what the in-process run did
    assert pooled["errors"] == alone["errors"]
    assert pooled["claims"] == alone["claims"]
