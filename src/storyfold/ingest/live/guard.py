"""Which URLs a follower may fetch: http and https only, and no way into a private network
through a redirect.

A feed is content from strangers: its item links and redirects could point at
`http://169.254.169.254/` (a cloud's metadata service) or at the router on the user's own
network. A fetch that starts at a public address may not be led to a private, loopback or
link-local one unless the user allows it; a source the user names on a private address (an
intranet feed, a test server on loopback) is theirs to fetch, with the redirects it makes.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

SCHEMES = ("http", "https")


def scheme_refusal(url: str) -> str | None:
    """Why `url` cannot be fetched at all (not http/https, no host), or None."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"not a URL ({exc})"
    if parts.scheme.lower() not in SCHEMES:
        return f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'!r}"
    if not parts.hostname:
        return "the URL has no host"
    return None


def _private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


async def is_private(url: str) -> bool:
    """Whether the host of `url` is, or resolves to, a non-public address. A name that does not
    resolve is not private: its fetch will fail on its own, with the resolver's message."""
    host = urlsplit(url).hostname or ""
    try:
        return _private(ipaddress.ip_address(host))
    except ValueError:
        pass
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return any(_private(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in infos)
