"""The HTTP API and web page over a Library.

Reads are open; the one write (POST /api/articles) needs `Authorization: Bearer <token>`,
and without a configured token the server is read-only. Every response carries a strict
Content-Security-Policy (no scripts, inline CSS only) and `nosniff`.

FastAPI runs sync endpoints in a thread pool. Each thread reads through its own read-only
connection (`Library.reader`), so a read never waits for a write in progress; writes go one at
a time through the Library, which is the database's one writer.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, replace
from typing import Any, Protocol, cast

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from storyfold.errors import AmbiguousId
from storyfold.ingest.readers import one_line, parse_json
from storyfold.model import Article, FollowedSource, SourceReliability, Story, StoryBrief
from storyfold.present.html import render_index, render_story
from storyfold.present.report import article_dict, brief_to_dict, reliability_dict, render_markdown

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
MAX_LIMIT = 500
MAX_BODY = 32 * 1024 * 1024  # a POST larger than this is refused (413) before it is parsed


class StoryReader(Protocol):
    """What the server reads through: a `Library` (or its read-only view per thread)."""

    def list_stories(self, limit: int = 50, offset: int = 0, q: str | None = None) -> list[Story]: ...
    def brief(self, story_id: str) -> StoryBrief | None: ...
    def resolve(self, story_ref: str) -> str | None: ...
    def article(self, article_id: str) -> Article | None: ...
    def reliability(self) -> list[SourceReliability]: ...
    def disputed_counts(self, story_ids: Sequence[str]) -> dict[str, int]: ...
    def article_counts(self, story_ids: Sequence[str]) -> dict[str, int]: ...
    def followed(self) -> list[FollowedSource]: ...


class ServedLibrary(Protocol):
    """What the server is given: a `Library` or the writer process of `serve` with a token; each
    gives every reading thread a read-only view of its own (`reader`), and writes documents."""

    def reader(self) -> StoryReader: ...
    def ingest_documents(self, docs: list[dict[str, Any]]) -> dict[str, Any]: ...


def create_app(library: ServedLibrary | StoryReader, token: str | None = None) -> FastAPI:
    """An app serving `library`: a `Library` or `serve`'s writer process; a bare `StoryReader`
    serves reads (give it no token: writes then answer 403, read-only)."""
    # no Swagger/ReDoc pages: they load scripts from a CDN, which the CSP (rightly) forbids
    app = FastAPI(
        title="storyfold", version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json"
    )
    write_lock = threading.Lock()
    # the object reads go through: a read-only view per thread when the library offers one
    local = threading.local()

    def reading() -> StoryReader:
        lib = getattr(local, "lib", None)
        if lib is None:
            make = getattr(library, "reader", None)
            lib = local.lib = make() if callable(make) else library
        return cast(StoryReader, lib)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            response = await call_next(request)
        except Exception:  # an unexpected error still answers with the headers, and no traceback
            response = JSONResponse({"detail": "internal error"}, status_code=500)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    # ------------------------------------------------------------------ helpers

    def _story_rows(
        limit: int, offset: int, q: str | None
    ) -> tuple[list[Any], dict[str, int], dict[str, int]]:
        lib = reading()
        stories = lib.list_stories(limit=limit, offset=offset, q=q or None)
        ids = [s.id for s in stories]
        disputed = lib.disputed_counts(ids) if ids else {}
        counts = lib.article_counts(ids) if ids else {}
        return stories, disputed, counts

    def _brief(story_id: str) -> Any:
        lib = reading()
        brief = lib.brief(story_id)
        if brief is None and hasattr(lib, "resolve"):
            try:
                sid = lib.resolve(story_id)
            except AmbiguousId as exc:
                raise HTTPException(status_code=409, detail=str(exc)) from exc
            brief = lib.brief(sid) if sid else None
        if brief is None:
            raise HTTPException(status_code=404, detail=f"no story {story_id!r}")
        return brief

    def _followed() -> list[FollowedSource]:
        lib = reading()
        got = getattr(lib, "followed", None)
        if not callable(got):
            return []
        return [replace(f, etag=None, last_modified=None) for f in got()]  # validators are ours

    def _limit(limit: int) -> int:
        return max(1, min(limit, MAX_LIMIT))

    # ------------------------------------------------------------------ JSON API

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/stories")
    def api_stories(
        limit: int = Query(50, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0),
        q: str | None = Query(None, max_length=500),
    ) -> dict[str, Any]:
        stories, disputed, counts = _story_rows(_limit(limit), offset, q)
        return {
            "stories": [
                {
                    "id": s.id,
                    "title": s.title,
                    "languages": list(s.languages),
                    "first_date": s.first_date.isoformat() if s.first_date else None,
                    "last_date": s.last_date.isoformat() if s.last_date else None,
                    "n_articles": counts.get(s.id),
                    "disputed": disputed.get(s.id, 0),
                }
                for s in stories
            ],
            "limit": _limit(limit),
            "offset": offset,
            "q": q,
        }

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: str) -> dict[str, Any]:
        return brief_to_dict(_brief(story_id), public=True)

    @app.get("/api/stories/{story_id}/markdown")
    def api_story_markdown(story_id: str) -> Response:
        return PlainTextResponse(render_markdown(_brief(story_id)), media_type="text/markdown; charset=utf-8")

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: str) -> dict[str, Any]:
        article = reading().article(article_id)
        if article is None:
            raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
        return article_dict(article, public=True)

    @app.get("/api/sources")
    def api_sources() -> dict[str, Any]:
        rel = reading().reliability()
        return {"sources": [reliability_dict(r) for r in rel]}

    @app.get("/api/follow")
    def api_follow() -> dict[str, Any]:
        """The followed sources: last read, its HTTP status, counts, last error."""
        return {"sources": [asdict(f) for f in _followed()]}

    @app.post("/api/articles")
    async def api_add_articles(request: Request) -> Response:
        if not token:
            return JSONResponse({"detail": "read-only server"}, status_code=403)
        auth = request.headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), token.encode("utf-8")
        ):
            return JSONResponse(
                {"detail": "missing or wrong bearer token"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return JSONResponse({"detail": f"body over {MAX_BODY} bytes"}, status_code=413)
        raw = bytearray()
        async for chunk in request.stream():  # a missing or false Content-Length is no way around it
            raw += chunk
            if len(raw) > MAX_BODY:
                return JSONResponse({"detail": f"body over {MAX_BODY} bytes"}, status_code=413)
        try:
            body = parse_json(raw.decode("utf-8"))
        except ValueError as exc:  # bad UTF-8, bad JSON, or nested too deeply
            return JSONResponse({"detail": one_line(f"body must be JSON: {exc}")}, status_code=400)
        docs = body.get("documents") if isinstance(body, dict) else body
        if isinstance(body, dict) and docs is None and ("text" in body or "html" in body):
            docs = [body]
        if not isinstance(docs, list):
            return JSONResponse(
                {"detail": 'expected a JSON list of documents or {"documents": [...]}'}, status_code=422
            )
        from starlette.concurrency import run_in_threadpool

        def ingest() -> dict[str, Any]:
            with write_lock:
                return cast(ServedLibrary, library).ingest_documents(docs)

        result = await run_in_threadpool(ingest)
        return JSONResponse(result, status_code=200)

    # ------------------------------------------------------------------ web page

    @app.get("/", response_class=HTMLResponse)
    def web_index(
        q: str | None = Query(None, max_length=500),
        limit: int = Query(50, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        stories, disputed, counts = _story_rows(limit, offset, q)
        followed = _followed() if not q and not offset else []
        return HTMLResponse(
            render_index(stories, disputed, counts, q=q, limit=limit, offset=offset, followed=followed)
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def web_story(story_id: str) -> HTMLResponse:
        try:
            brief = _brief(story_id)
        except HTTPException as exc:
            what = (
                "Several stories start so; give more of the id."
                if exc.status_code == 409
                else "No such story."
            )
            return HTMLResponse(
                f'<!doctype html><title>not found</title><p>{what} <a href="/">All stories</a></p>',
                status_code=exc.status_code,
            )
        return HTMLResponse(render_story(brief))

    return app


def serve(library: Any, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the app with uvicorn (blocking)."""
    import uvicorn

    uvicorn.run(create_app(library, token=token), host=host, port=port, log_level="info")
