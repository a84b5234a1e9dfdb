"""Polite, bounded HTTP fetching with httpx (async).

Politeness: at most `per_host` requests at once to one site, and `delay` seconds (or the
site's robots.txt Crawl-delay, if longer) between the starts of two requests to it; robots.txt
is obeyed; the User-Agent says who is asking. Bounds: every request has a deadline for the
whole answer (a server that trickles bytes forever is cut off), a page is read up to
`max_bytes` after decompression, redirects are followed by hand, at most `max_redirects`, and
each hop is checked (`guard`). A 429 or 5xx answer, a timeout or a dropped connection is retried
with exponential backoff (a Retry-After is honoured up to a cap). Conditional GET: given the
validators of the last answer, an unchanged resource costs one 304.

A fetch never raises: it returns a `Fetched` whose `error` says in one line what went wrong.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin

import httpx

from storyfold.ingest.live.guard import is_private, scheme_refusal
from storyfold.ingest.live.robots import Known, RobotsCache, site_of

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def _version() -> str:
    try:
        return version("storyfold")
    except PackageNotFoundError:
        return "0"


USER_AGENT = f"storyfold/{_version()} (news story folding; follows feeds it was given)"
ROBOTS_AGENT = "storyfold"


@dataclass(frozen=True)
class FetchSettings:
    """Politeness and limits of a follower's requests; defaults suit news sites."""

    user_agent: str = USER_AGENT
    per_host: int = 2  # requests at once to one site
    delay: float = 1.0  # seconds between request starts on one site
    concurrency: int = 32  # requests at once, all sites
    timeout: float = 20.0  # connect, and each read
    deadline: float = 60.0  # the whole answer, body included
    max_bytes: int = 5_000_000  # of a body, decompressed
    max_redirects: int = 5
    retries: int = 2  # after the first try, on 429/5xx/timeouts/dropped connections
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_wait: float = 60.0  # cap on a Retry-After or a backoff wait
    robots: bool = True
    allow_private: bool = False  # let redirects from public sites lead to private addresses


@dataclass(frozen=True)
class Fetched:
    """One answer, or why there is none."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int = 0  # the last HTTP status; 0 when no answer came
    body: bytes = b""
    content_type: str = ""  # media type, lower case, without parameters
    charset: str | None = None  # from the Content-Type header
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # one line; None for a 2xx or a 304
    retryable: bool = False  # a failure that another round may not repeat (429, 5xx, network)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Site:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _media(content_type: str) -> tuple[str, str | None]:
    media, _, params = content_type.partition(";")
    charset = None
    for p in params.split(";"):
        key, _, val = p.strip().partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'") or None
    return media.strip().lower(), charset


class Fetcher:
    """An httpx client with the follower's manners; use inside one event loop:

    async with Fetcher(settings) as f:
        page = await f.get(url)
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        robots: Known | None = None,
    ):
        """`robots`: the sites' rules read before (a follower's earlier rounds), kept an hour."""
        self.settings = s = settings or FetchSettings()
        self.client = httpx.AsyncClient(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            timeout=httpx.Timeout(s.timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=s.concurrency, max_keepalive_connections=s.concurrency),
            transport=transport,
            trust_env=False,  # no proxy or netrc from the environment: the user's flags say all
        )
        self.robots = RobotsCache(
            ROBOTS_AGENT, lambda url: self._fetch(url, None, None, robots=False), robots
        )
        self._sites: dict[str, _Site] = {}
        self._all = asyncio.Semaphore(s.concurrency)
        self.requests = 0  # HTTP requests made, robots.txt included
        self.not_modified = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET `url` (conditionally, when validators are given), with retries; never raises."""
        return await self._fetch(url, etag, last_modified, robots=self.settings.robots)

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None, robots: bool) -> Fetched:
        s = self.settings
        refusal = scheme_refusal(url)
        if refusal:
            return Fetched(url, url, error=refusal)
        if robots:
            rules = await self.robots.rules(url)
            verdict = rules.verdict(ROBOTS_AGENT, url)
            if verdict:
                return Fetched(url, url, error=verdict)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            got, wait = await self._follow(url, headers)
            if not got.retryable or attempt >= s.retries:
                return got
            attempt += 1
            await asyncio.sleep(min(s.max_wait, wait if wait is not None else s.backoff * 2 ** (attempt - 1)))

    async def _follow(self, url: str, headers: dict[str, str]) -> tuple[Fetched, float | None]:
        """One try: the request and its redirects. Returns the answer and a Retry-After, if any."""
        s = self.settings
        origin_private = await is_private(url)
        seen = {url}
        current = url
        for _ in range(s.max_redirects + 1):
            got, location, wait = await self._once(url, current, headers)
            if location is None:
                return got, wait
            target = urljoin(current, location)
            refusal = scheme_refusal(target)
            if refusal is None and target in seen:
                refusal = "redirect loop"
            if refusal is None and not (origin_private or s.allow_private) and await is_private(target):
                refusal = "redirected to a private network address (allow it with allow_private)"
            if refusal:
                return Fetched(url, target, got.status, error=f"{refusal}: {target}"), None
            seen.add(target)
            current = target
        return Fetched(url, current, error=f"more than {s.max_redirects} redirects"), None

    async def _once(
        self, url: str, current: str, headers: dict[str, str]
    ) -> tuple[Fetched, str | None, float | None]:
        """One HTTP exchange, in the site's turn: (answer, redirect location, Retry-After)."""
        s = self.settings
        async with self._turn(current):
            self.requests += 1
            try:
                async with asyncio.timeout(s.deadline):
                    return await self._exchange(url, current, headers)
            except TimeoutError:
                return self._failed(url, current, f"no complete answer within {s.deadline:g} s", True)
            except httpx.TimeoutException as exc:
                return self._failed(url, current, f"timed out ({type(exc).__name__})", True)
            except httpx.HTTPError as exc:
                text = " ".join(str(exc).split()) or type(exc).__name__
                return self._failed(url, current, f"{type(exc).__name__}: {text}"[:200], True)

    @staticmethod
    def _failed(url: str, current: str, why: str, retryable: bool) -> tuple[Fetched, None, None]:
        return Fetched(url, current, error=why, retryable=retryable), None, None

    async def _exchange(
        self, url: str, current: str, headers: dict[str, str]
    ) -> tuple[Fetched, str | None, float | None]:
        s = self.settings
        async with self.client.stream("GET", current, headers=headers) as resp:
            status = resp.status_code
            if resp.is_redirect:
                location = resp.headers.get("location")
                if location:
                    return Fetched(url, current, status), location, None
            media, charset = _media(resp.headers.get("content-type", ""))
            etag = resp.headers.get("etag")
            modified = resp.headers.get("last-modified")
            if status == 304:
                self.not_modified += 1
                return Fetched(url, current, status, b"", media, charset, etag, modified), None, None
            if status >= 400 or status < 200:
                reason = resp.reason_phrase or ""
                return (
                    Fetched(
                        url,
                        current,
                        status,
                        content_type=media,
                        error=f"HTTP {status} {reason}".strip(),
                        retryable=status in RETRY_STATUS,
                    ),
                    None,
                    _retry_after(resp.headers.get("retry-after")),
                )
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > s.max_bytes and "content-encoding" not in resp.headers:
                return self._too_large(url, current, status, media, f"{int(declared):,} bytes"), None, None
            body = bytearray()
            async for chunk in resp.aiter_bytes():  # decoded: a compressed bomb is cut off too
                body += chunk
                if len(body) > s.max_bytes:
                    return self._too_large(url, current, status, media, "more"), None, None
            return Fetched(url, current, status, bytes(body), media, charset, etag, modified), None, None

    def _too_large(self, url: str, current: str, status: int, media: str, size: str) -> Fetched:
        return Fetched(
            url,
            current,
            status,
            content_type=media,
            error=f"answer of {size} over the {self.settings.max_bytes:,}-byte limit (max_bytes)",
        )

    def _site(self, url: str) -> _Site:
        key = site_of(url)
        site = self._sites.get(key)
        if site is None:
            site = self._sites[key] = _Site(asyncio.Semaphore(max(1, self.settings.per_host)))
        return site

    def _turn(self, url: str) -> _Turn:
        return _Turn(self, url)

    async def _delay_of(self, url: str) -> float:
        delay = self.settings.delay
        if self.settings.robots and not url.endswith("/robots.txt"):
            delay = max(delay, (await self.robots.rules(url)).crawl_delay(ROBOTS_AGENT))
        return delay


class _Turn:
    """A request's turn on its site: a slot among `per_host`, started `delay` after the last."""

    def __init__(self, fetcher: Fetcher, url: str) -> None:
        self.fetcher = fetcher
        self.url = url
        self.site = fetcher._site(url)

    async def __aenter__(self) -> None:
        f, site = self.fetcher, self.site
        delay = await f._delay_of(self.url)
        await site.slots.acquire()  # the site's slot first: waiting for it holds no global one
        try:
            loop = asyncio.get_running_loop()
            async with site.lock:
                now = loop.time()
                start = max(now, site.next_start)
                site.next_start = start + delay
            if start > now:
                await asyncio.sleep(start - now)
            await f._all.acquire()
        except BaseException:
            site.slots.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self.fetcher._all.release()
        self.site.slots.release()
