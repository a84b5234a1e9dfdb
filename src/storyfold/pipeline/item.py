"""The envelope one input travels in through the steps of an ingest.

Each step fills the fields it is responsible for; the stage records themselves (Article, Claim,
Relation, Assignment, the fold and cluster features) stay the plain model and stage types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from storyfold.claims import FailedExtraction
from storyfold.cluster.weigh import Prepared
from storyfold.fold import FoldFeatures
from storyfold.ingest.article import Draft
from storyfold.model import Article, Assignment, Claim, RawDocument, Rejection, Relation


class Status(StrEnum):
    PENDING = "pending"  # still on its way
    NEW = "new"  # became an article, stored by this run
    KNOWN = "known"  # already stored: the same raw bytes, or the same article from another input
    REJECTED = "rejected"  # could not become an article; `error` says why


@dataclass
class Item:
    """One input of a run, and what the steps made of it so far."""

    raw: RawDocument | None  # None for an input a reader could not read at all
    error: Rejection | None = None
    status: Status = Status.PENDING
    sha1: str | None = None  # of the raw bytes
    # the raw bytes compressed for the store, where they were read; `raw` then keeps only what
    # the container said, so the bytes do not travel between processes again
    raw_z: bytes | None = None
    article_id: str | None = None  # once drafted
    store_raw: bool = False  # known as an article, but these raw bytes are new: keep them
    draft: Draft | None = None
    # what the outlet pass counted for this article (paragraph key -> +n), stored with its batch
    outlet_counts: dict[int, int] | None = None
    article: Article | None = None
    claims: list[Claim] | FailedExtraction | None = None
    fold: FoldFeatures | None = None
    prep: Prepared | None = None
    relations: list[Relation] = field(default_factory=list)
    # set by a fold kept on another process (`Relate`): the relations are its decisions, and
    # what the fold window gained and lost with this article is stored with it
    related: bool = False
    fold_changes: tuple[list[tuple[int, str, bytes]], list[int]] | None = None
    assignment: Assignment | None = None

    @property
    def source(self) -> str:
        if self.raw is not None:
            return self.raw.source
        return self.error.source if self.error is not None else "?"

    @property
    def input_id(self) -> str | None:
        """The caller's own id of this input (JSONL/POST `id`, feed GUID, WARC-Record-ID, path)."""
        if self.raw is not None:
            return self.raw.input_id
        return self.error.input_id if self.error is not None else None

    @property
    def pending(self) -> bool:
        return self.status is Status.PENDING

    def reject(self, message: str) -> None:
        self.status = Status.REJECTED
        self.error = Rejection(self.source, message, self.input_id)
        # what was prepared is of no use now: do not carry it between processes
        self.draft = self.article = self.claims = self.fold = self.prep = None
