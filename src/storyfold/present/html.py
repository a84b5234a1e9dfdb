"""The web page: a story index and one page per story, rendered by Jinja2 with autoescape on.

Templates live in present/web/. Every value from an article reaches the page through
autoescaping; nothing external is loaded (inline CSS only, no scripts).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from storyfold.model import FollowedSource, Story, StoryBrief
from storyfold.present.report import fact_label, relation_sentence

WEB_DIR = Path(__file__).resolve().parent / "web"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(WEB_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _dates(first: Any, last: Any) -> str:
    parts = [str(d) for d in dict.fromkeys([first, last]) if d]
    return " – ".join(parts) or "undated"


def render_index(
    stories: Sequence[Story],
    disputed: dict[str, int] | None = None,
    n_articles: dict[str, int] | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    followed: Sequence[FollowedSource] = (),
) -> str:
    disputed = disputed or {}
    n_articles = n_articles or {}
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "languages": list(s.languages),
            "dates": _dates(s.first_date, s.last_date),
            "n_articles": n_articles.get(s.id, len(s.article_ids) or None),
            "disputed": disputed.get(s.id, 0),
        }
        for s in stories
    ]

    def query(off: int) -> str:
        params: dict[str, Any] = {"limit": limit, "offset": max(off, 0)}
        if q:
            params["q"] = q
        return urlencode(params)

    return (
        environment()
        .get_template("index.html")
        .render(
            stories=rows,
            q=q,
            offset=offset,
            more=len(rows) >= limit,
            prev_query=query(offset - limit),
            next_query=query(offset + limit),
            followed=followed,
        )
    )


def render_story(brief: StoryBrief) -> str:
    story = brief.story
    by_id = {a.id: a for a in brief.articles}
    claims = {c.id: c for c in brief.claims}
    facts = [
        {
            "label": fact_label(f, claims),
            "display": f.display,
            "confidence": f.confidence,
            "disputed": f.disputed,
            "supporting": [_voice(v) for v in f.supporting],
            "conflicting": [_voice(v) for v in f.conflicting],
        }
        for f in brief.facts
    ]
    timeline = [
        {
            "period": t.period,
            "text": t.text,
            "sources": sorted({by_id[a].voice if a in by_id else a[:8] for a in t.article_ids}),
        }
        for t in brief.timeline
    ]
    return (
        environment()
        .get_template("story.html")
        .render(
            story=story,
            articles=brief.articles,
            voices=sorted({a.voice for a in brief.articles}),
            languages=sorted({a.lang for a in brief.articles}) or list(story.languages),
            dates=_dates(story.first_date, story.last_date),
            relations=[relation_sentence(r, by_id, escape=False) for r in brief.relations],
            facts=facts,
            n_disputed=sum(1 for f in brief.facts if f.disputed),
            timeline=timeline,
            reliability=brief.reliability,
            q=None,
        )
    )


def _voice(v: Any) -> dict[str, Any]:
    return {
        "source": v.source,
        "display": v.display,
        "short_ids": ", ".join(a[:8] for a in v.article_ids),
    }
