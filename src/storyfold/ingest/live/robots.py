"""robots.txt, read once per site and follow round, by `urllib.robotparser`.

What an answer means follows RFC 9309: a robots.txt that is missing (4xx) allows everything;
one that cannot be read (5xx, a network failure) disallows everything for now, since the site
may be in trouble; 401/403 are read as "keep out", as `robotparser` does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

if TYPE_CHECKING:
    from storyfold.ingest.live.fetch import Fetched

MAX_ROBOTS_BYTES = 500_000  # Google reads the first 500 KiB


@dataclass(frozen=True)
class SiteRules:
    parser: RobotFileParser | None  # None: no rules (everything allowed) or `refusal`
    refusal: str | None = None  # why nothing of the site may be fetched now

    def verdict(self, agent: str, url: str) -> str | None:
        """Why `url` may not be fetched, or None."""
        if self.refusal:
            return self.refusal
        if self.parser is not None and not self.parser.can_fetch(agent, url):
            return "disallowed by the site's robots.txt"
        return None

    def crawl_delay(self, agent: str) -> float:
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent)
        try:
            return max(0.0, float(delay or 0))
        except (TypeError, ValueError):
            return 0.0


def site_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


KEEP_S = 3600.0  # a site's rules are read again after an hour (RFC 9309 allows up to a day)

Known = dict[str, tuple[SiteRules, float]]  # site -> its rules, and when they were read


class RobotsCache:
    """The rules of each site, fetched on first need (one fetch per site even when many pages
    of it are asked at once) and kept for `KEEP_S`: a follower passes the same `known` to each
    round, so later rounds within the hour ask a site for its feed and pages only."""

    def __init__(
        self, agent: str, get: Callable[[str], Awaitable[Fetched]], known: Known | None = None
    ) -> None:
        self.agent = agent
        self._get = get
        self._known: Known = known if known is not None else {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _fresh(self, site: str) -> SiteRules | None:
        got = self._known.get(site)
        if got is None or time.monotonic() - got[1] > KEEP_S or got[0].refusal:
            return None  # a site that could not be read is asked again next time
        return got[0]

    async def rules(self, url: str) -> SiteRules:
        site = site_of(url)
        fresh = self._fresh(site)
        if fresh is not None:
            return fresh
        lock = self._locks.setdefault(site, asyncio.Lock())
        async with lock:
            fresh = self._fresh(site)
            if fresh is None:
                fresh = await self._load(site)
                self._known[site] = (fresh, time.monotonic())
        return fresh

    async def _load(self, site: str) -> SiteRules:
        got = await self._get(site + "/robots.txt")
        if got.status in (401, 403):
            return SiteRules(None, f"robots.txt answers HTTP {got.status}: the site keeps robots out")
        if 400 <= got.status < 500:
            return SiteRules(None)
        if got.status == 0 or got.status >= 500 or (got.error and not got.body):
            why = got.error or f"HTTP {got.status}"
            return SiteRules(
                None, f"robots.txt could not be read ({why}): nothing fetched from the site for now"
            )
        text = got.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        parser = RobotFileParser(site + "/robots.txt")
        parser.parse(text.splitlines())
        return SiteRules(parser)
