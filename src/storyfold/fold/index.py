"""LSH banding over MinHash signatures: candidates in time independent of the corpus size."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import repeat
from operator import is_
from typing import Any

import numpy as np

_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit multiplier (golden ratio): rows mix into one key


class LSHIndex:
    """Members whose signatures agree on a whole band share a bucket.

    With b bands of r rows, a pair of Jaccard s becomes a candidate with probability
    1-(1-s^r)^b: for 16x4 that is 0.98 at s=0.6 and 0.05 at s=0.2.

    A band is keyed by one 64-bit int mixed from its rows, and a bucket holding one member (most
    do) holds it bare, not in a list: the index lives in memory for the whole window, and this
    keeps it at a third of what bytes keys and lists cost.
    """

    def __init__(self, bands: int = 16, rows: int = 4, max_bucket: int = 200) -> None:
        self.bands, self.rows, self.max_bucket = bands, rows, max_bucket
        self.buckets: list[dict[int, object]] = [{} for _ in range(bands)]

    def band_keys(self, sig: np.ndarray) -> list[int]:
        """The signature's band keys (what `query`, `add` and `remove` take)."""
        s = np.asarray(sig, dtype=np.uint64).reshape(self.bands, self.rows)
        h = s[:, 0].copy()
        with np.errstate(over="ignore"):
            for j in range(1, self.rows):
                h = h * _MIX + s[:, j]
        keys: list[int] = h.tolist()
        return keys

    def query(self, keys: Sequence[int]) -> list[Any]:
        """Members sharing at least one band, in insertion order (deterministic)."""
        seen: dict[Any, None] = {}  # the members, whatever the caller put in
        for band, key in zip(self.buckets, keys, strict=True):
            got = band.get(key)
            if got is None:
                continue
            if type(got) is list:
                for m in got:
                    seen.setdefault(m, None)
            else:
                seen.setdefault(got, None)
        return list(seen)

    def add(self, member: Hashable, keys: Sequence[int]) -> None:
        # most buckets are new: one setdefault each, in C, and a look at the few that were not
        # (members are unique objects, so `is` tells whether this one was just put there)
        got = list(map(dict.setdefault, self.buckets, keys, repeat(member, self.bands)))
        if got.count(member) == self.bands and all(map(is_, got, repeat(member))):
            return
        for band, key, old in zip(self.buckets, keys, got, strict=True):
            if old is member:
                continue
            if isinstance(old, list):
                if len(old) < self.max_bucket:  # a huge bucket is boilerplate, not a signal
                    old.append(member)
            else:
                band[key] = [old, member]

    def remove(self, member: Hashable, keys: Sequence[int]) -> None:
        """Take a member out (it left the window); buckets left empty go."""
        for band, key in zip(self.buckets, keys, strict=True):
            got = band.get(key)
            if got is None:
                continue
            if type(got) is list:
                if member in got:
                    got.remove(member)
                    if len(got) == 1:
                        band[key] = got[0]
            elif got == member:
                del band[key]
