"""The steps of an ingest, each a thin wrapper that calls one stage's functions on a batch.

    KnownInputs (serial)  raw bytes already stored or seen in this run -> KNOWN
    Extract (parallel)    reading, extraction, cleaning: one document alone -> Draft
    Outlets (serial)      article already stored -> KNOWN; the outlet pass (ordered counts)
    Prepare (parallel)    language, claims, fold fingerprints and profile, the article side of
                          clustering: everything that depends on the article alone
    Relate (portable)     a batch job only: the fold decisions, on a fold index of its own that
                          an executor may keep on another process (a Dask worker)
    Commit (serial)       fold and cluster decisions against the live state, the store write,
                          facts of the stories touched: one transaction a batch

Parallel steps keep no state and pickle small, so the executor can run them on any process.
Serial steps hold the `Writer`, which owns the store connection and the stages' live state.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyfold.claims.pool import extract_or_failure
from storyfold.cluster.weigh import prepare
from storyfold.engine import Step
from storyfold.engine.step import PortableStep
from storyfold.fold import FoldIndex, FoldSettings, fold_features
from storyfold.ingest.article import Ingestor
from storyfold.ingest.settings import IngestSettings
from storyfold.model import RawDocument, Rejection
from storyfold.pipeline.item import Item, Status

if TYPE_CHECKING:
    from storyfold.pipeline.writer import Writer

log = logging.getLogger(__name__)


def _contained(step: str, item: Item, work: Callable[[Item], None]) -> None:
    """One item's work; an exception becomes that item's rejection and the batch goes on."""
    try:
        work(item)
    except Exception as exc:  # noqa: BLE001 - one odd input must not sink the batch
        log.exception("%s failed on %s", step, item.source)
        item.reject(f"{step} failed: {type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------- parallel


@dataclass
class Extract(Step[Item]):
    """Reading, extraction and cleaning of each document on its own."""

    settings: IngestSettings = field(default_factory=IngestSettings)
    name = "extract"
    parallel = True

    def run(self, batch: list[Item]) -> list[Item]:
        ingestor = Ingestor(self.settings)
        for item in batch:
            if item.pending and item.raw is not None:
                raw = item.raw
                draft = ingestor.draft(raw)
                if isinstance(draft, Rejection):
                    item.status, item.error = Status.REJECTED, draft
                    continue
                item.draft = draft
                item.raw_z = zlib.compress(raw.raw, 6)
                hints = {k: v for k, v in raw.hints.items() if k not in ("text", "html")}
                item.raw = RawDocument(raw.source, raw.format, b"", hints)
        return batch


@dataclass
class Prepare(Step[Item]):
    """Everything that depends on one article alone: its language, claims, fold features and
    the article side of clustering."""

    settings: IngestSettings = field(default_factory=IngestSettings)
    fold_settings: FoldSettings = field(default_factory=FoldSettings)
    name = "prepare"
    parallel = True

    def run(self, batch: list[Item]) -> list[Item]:
        ingestor = Ingestor(self.settings)
        for item in batch:
            if item.pending and item.draft is not None:
                _contained("prepare", item, lambda it: self._one(ingestor, it))
        return batch

    def _one(self, ingestor: Ingestor, item: Item) -> None:
        assert item.draft is not None
        art = item.article = ingestor.complete(item.draft)
        item.draft = None
        item.claims = extract_or_failure(art)
        item.fold = fold_features(art, self.fold_settings)
        item.prep = prepare(art)


# ---------------------------------------------------------------------- serial


@dataclass
class KnownInputs(Step[Item]):
    """Inputs whose raw bytes are stored already, or met earlier in this run, are known."""

    writer: Writer
    name = "known inputs"

    def run(self, batch: list[Item]) -> list[Item]:
        todo = []
        for item in batch:
            if item.pending and item.raw is not None:
                item.sha1 = hashlib.sha1(item.raw.raw).hexdigest()
                todo.append(item)
        known = self.writer.known_raw([it.sha1 for it in todo if it.sha1])
        for item in todo:
            assert item.sha1 is not None  # set just above
            if item.sha1 in known:
                item.status = Status.KNOWN
            else:
                known.add(item.sha1)  # a second copy later in the run is known too
                self.writer.seen_raw.add(item.sha1)
                self.writer.expect_new = True
        return batch


@dataclass
class Outlets(Step[Item]):
    """Articles stored already are known; the others lose their outlet's template lines."""

    writer: Writer
    name = "outlets"

    def run(self, batch: list[Item]) -> list[Item]:
        w = self.writer
        drafts = [it for it in batch if it.pending and it.draft is not None]
        known = w.known_articles([it.draft.id for it in drafts if it.draft])
        fresh = []
        for item in drafts:
            assert item.draft is not None
            item.article_id = item.draft.id
            if item.draft.id in known:
                item.status, item.draft, item.store_raw = Status.KNOWN, None, True
            else:
                known.add(item.draft.id)
                fresh.append(item)
        w.prime_outlets([it.draft for it in fresh if it.draft])
        lines = w.ingestor.outlet_lines
        for item in fresh:
            assert item.draft is not None
            done = w.ingestor.finish(item.draft)
            # the counts travel with the article, so that they are stored with its batch and
            # not with an earlier one (this step runs batches ahead of the commit)
            item.outlet_counts = lines.take_changes() or None
            if isinstance(done, Rejection):
                item.status, item.error, item.draft = Status.REJECTED, done, None
            else:
                item.draft = done
        return batch


@dataclass
class Relate(PortableStep[Item]):
    """The fold's decisions on an index of its own, started from the stored window and fed the
    batches in order: the same index, articles and order as the commit's, so the same relations.
    The commit takes them while every batch came through here, and relates articles itself
    from the store's window once one did not (its state lost, or a batch that failed)."""

    settings: FoldSettings
    window: list[bytes]  # the stored window when the run began, oldest first
    name = "relate"

    def __post_init__(self) -> None:
        self._fold: FoldIndex | None = None

    def send(self, batch: list[Item]) -> list[tuple[int, Any, Any]]:
        return [
            (i, it.article, it.fold)
            for i, it in enumerate(batch)
            if it.pending and it.article is not None and it.fold is not None
        ]

    def work(self, payload: list[tuple[int, Any, Any]]) -> list[tuple[int, Any, Any]]:
        if not payload:
            return []  # (nothing new: the window need not even be read)
        if self._fold is None:
            self._fold = FoldIndex(self.settings)
            self._fold.load(self.window)
            self.window = []
        fold, out = self._fold, []
        for i, article, feats in payload:
            out.append((i, fold.relate(article, feats), fold.take_changes()))
        return out

    def receive(self, batch: list[Item], answer: list[tuple[int, Any, Any]]) -> list[Item]:
        for i, relations, changes in answer:
            item = batch[i]
            item.relations, item.fold_changes, item.related = relations, changes, True
        return batch

    def lost(self, batch: list[Item]) -> list[Item]:
        return batch  # unrelated: the commit relates them itself


@dataclass
class Commit(Step[Item]):
    """Fold and cluster decisions, the store write and the facts of the touched stories."""

    writer: Writer
    name = "commit"

    def run(self, batch: list[Item]) -> list[Item]:
        self.writer.commit(batch)
        return batch
