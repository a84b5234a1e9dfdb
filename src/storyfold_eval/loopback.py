"""A news site on loopback, for the follow tests and bench: feeds, pages, robots.txt, and the
ways real sites fail (redirect chains and loops, 404/500/429, slow and never-ending answers,
huge pages, wrong charsets, non-HTML types).

Standard library only (`http.server`), one thread per request. Several sites can run at once on
127.0.0.1, 127.0.0.2, ... (all loopback on Linux), so per-site politeness can be measured.
Static resources answer conditional GETs (ETag and Last-Modified) with 304, as real servers do.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[["Request"], "Answer"]


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # slow answers: the body is sent in `chunks` pieces `interval` seconds apart (forever: never ends)
    interval: float = 0.0
    forever: bool = False


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up (a cut-off slow answer) is expected here


class Site:
    """One loopback HTTP server. `add` a resource, then fetch `site.url(path)`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.agents: set[str] = set()
        self.times: list[tuple[str, float]] = []  # (path, when the request arrived)
        self._lock = threading.Lock()
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site._serve(self)

        self.server = _QuietServer((host, port), _Handler)
        self.server.daemon_threads = True
        bound_host, self.port = self.server.server_address[:2]
        self.host = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ content

    def add(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        encoding: str | None = None,
    ) -> None:
        """A static resource, with validators, answering conditional GETs with 304; sent
        compressed (`encoding` gzip or br) whatever the client asked, as some servers do."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(time.time() - 3600, usegmt=True)
        extra = dict(headers or {})

        def handle(req: Request) -> Answer:
            if req.headers.get("if-none-match") == etag:
                return Answer(304, b"", {"ETag": etag})
            h = {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified, **extra}
            out = data
            if encoding == "gzip":
                out = gzip.compress(data)
            elif encoding == "br":
                import brotli

                out = brotli.compress(data)
            if encoding:
                h["Content-Encoding"] = encoding
            return Answer(status, out, h)

        self.routes[path] = handle

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        self.routes[path] = lambda _req: Answer(status, b"", {"Location": to})

    def robots(self, text: str) -> None:
        self.add("/robots.txt", text, "text/plain")

    # ------------------------------------------------------------------ serving

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("#", 1)[0]
        with self._lock:
            self.hits[path] += 1
            self.times.append((path, time.monotonic()))
            self.agents.add(h.headers.get("User-Agent", ""))
        handler = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
        req = Request(path, {k.lower(): v for k, v in h.headers.items()})
        answer = handler(req) if handler else Answer(404, b"not found", {"Content-Type": "text/plain"})
        if answer.status == 304:
            with self._lock:
                self.not_modified[path] += 1
        try:
            h.send_response(answer.status)
            for k, v in answer.headers.items():
                h.send_header(k, v)
            if answer.forever:
                h.send_header("Content-Type", answer.headers.get("Content-Type", "text/html"))
                h.end_headers()
                while True:  # a server that never finishes its answer
                    h.wfile.write(answer.body or b"<p>still here</p>\n")
                    h.wfile.flush()
                    time.sleep(answer.interval or 0.5)
            if answer.status not in (204, 304) and "Content-Length" not in answer.headers:
                h.send_header("Content-Length", str(len(answer.body)))
            h.end_headers()
            if answer.interval and answer.body:
                step = max(1, len(answer.body) // 10)
                for i in range(0, len(answer.body), step):
                    h.wfile.write(answer.body[i : i + step])
                    h.wfile.flush()
                    time.sleep(answer.interval)
            elif answer.status not in (204, 304):
                h.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what a slow answer is for


def rss(title: str, items: list[dict[str, str]], link: str = "http://example.invalid/") -> str:
    """An RSS 2.0 document; each item a dict of title, link, guid, pubDate, description."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{_x(title)}</title><link>{_x(link)}</link><description>news</description>",
    ]
    for it in items:
        out.append("<item>")
        for key in ("title", "link", "guid", "pubDate", "description"):
            if key in it:
                permalink = ' isPermaLink="false"' if key == "guid" and "://" not in it[key] else ""
                out.append(f"<{key}{permalink}>{_x(it[key])}</{key}>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(title: str, entries: list[dict[str, str]]) -> str:
    """An Atom 1.0 document; each entry a dict of title, link, id, updated, summary."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{_x(title)}</title><id>urn:feed:{_x(title)}</id><updated>2024-05-01T00:00:00Z</updated>",
    ]
    for e in entries:
        out.append("<entry>")
        out.append(f"<title>{_x(e.get('title', ''))}</title>")
        if "link" in e:
            out.append(f'<link rel="alternate" href="{_x(e["link"])}"/>')
        out.append(f"<id>{_x(e.get('id', e.get('link', '')))}</id>")
        out.append(f"<updated>{_x(e.get('updated', '2024-05-01T00:00:00Z'))}</updated>")
        if "summary" in e:
            out.append(f"<summary>{_x(e['summary'])}</summary>")
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out)


def rdf(title: str, items: list[dict[str, str]]) -> str:
    """An RSS 1.0 (RDF) document; each item a dict of title, link, description, date."""
    about = "".join(f'<rdf:li rdf:resource="{_x(i["link"])}"/>' for i in items)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f'<channel rdf:about="urn:x"><title>{_x(title)}</title><link>http://example.invalid/</link>'
        f"<description>news</description><items><rdf:Seq>{about}</rdf:Seq></items></channel>",
    ]
    for i in items:
        out.append(
            f'<item rdf:about="{_x(i["link"])}"><title>{_x(i.get("title", ""))}</title>'
            f"<link>{_x(i['link'])}</link><description>{_x(i.get('description', ''))}</description>"
            + (f"<dc:date>{_x(i['date'])}</dc:date>" if "date" in i else "")
            + "</item>"
        )
    out.append("</rdf:RDF>")
    return "\n".join(out)


def page(title: str, paragraphs: list[str], *, charset: str = "utf-8", date: str | None = None) -> str:
    """A news page with site chrome around the article, as trafilatura meets them."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{_x(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>{_x(title)}</title>{meta}</head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/search">Search</a></nav>'
        f"<article><h1>{_x(title)}</h1>{body}</article>"
        "<footer>© The Loopback Times. All rights reserved.</footer></body></html>"
    )


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
