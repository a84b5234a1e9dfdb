"""robots.txt, read once per site and follow round, by `urllib.robotparser`.

What an answer means follows RFC 9309: a robots.txt that is missing (4xx) allows everything;
one that cannot be read (5xx, a network failure) disallows everything for now, since the site
may be in trouble; 401/403 are read as "keep out", as `robotparser` does.
"""

from __future__ import annotations

import asyncio
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


class RobotsCache:
    """The rules of each site, fetched on first need (one fetch per site even when many pages
    of it are asked at once)."""

    def __init__(self, agent: str, get: Callable[[str], Awaitable[Fetched]]) -> None:
        self.agent = agent
        self._get = get
        self._rules: dict[str, SiteRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules(self, url: str) -> SiteRules:
        site = site_of(url)
        if site in self._rules:
            return self._rules[site]
        lock = self._locks.setdefault(site, asyncio.Lock())
        async with lock:
            if site not in self._rules:
                self._rules[site] = await self._load(site)
        return self._rules[site]

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
