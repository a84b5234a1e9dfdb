"""LSH banding over MinHash signatures: candidates in time independent of the corpus size."""

from __future__ import annotations

from collections import defaultdict

import numpy as np


class LSHIndex:
    """Keys whose signatures agree on a whole band share a bucket.

    With b bands of r rows, a pair of Jaccard s becomes a candidate with probability
    1-(1-s^r)^b: for 16x4 that is 0.98 at s=0.6 and 0.05 at s=0.2.
    """

    def __init__(self, bands: int = 16, rows: int = 4, max_bucket: int = 200) -> None:
        self.bands, self.rows, self.max_bucket = bands, rows, max_bucket
        self.buckets: list[dict[bytes, list[str]]] = [defaultdict(list) for _ in range(bands)]

    def _keys(self, sig: np.ndarray) -> list[bytes]:
        return [sig[i * self.rows : (i + 1) * self.rows].tobytes() for i in range(self.bands)]

    def query(self, sig: np.ndarray) -> list[str]:
        """Keys sharing at least one band, in insertion order (deterministic)."""
        seen: dict[str, None] = {}
        for band, key in zip(self.buckets, self._keys(sig), strict=True):
            for k in band.get(key, ()):
                seen.setdefault(k, None)
        return list(seen)

    def add(self, key: str, sig: np.ndarray) -> None:
        for band, bkey in zip(self.buckets, self._keys(sig), strict=True):
            bucket = band[bkey]
            if len(bucket) < self.max_bucket:  # a huge bucket is boilerplate, not a signal
                bucket.append(key)

    def remove(self, key: str, sig: np.ndarray) -> None:
        """Take a key out (it left the window); buckets left empty go."""
        for band, bkey in zip(self.buckets, self._keys(sig), strict=True):
            bucket = band.get(bkey)
            if bucket is not None and key in bucket:
                bucket.remove(key)
                if not bucket:
                    del band[bkey]
