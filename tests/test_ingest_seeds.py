"""The five seed reports through the ingest stage alone: chrome gone, content, dates, languages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from storyfold.ingest import Ingestor, read_inputs
from storyfold.ingest.decode import decode_text
from storyfold.model import Article, Rejection


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    ing = Ingestor()
    items = list(read_inputs([seeds_dir]))
    assert not [i for i in items if isinstance(i, Rejection)]
    arts = {i.source.rsplit("/", 1)[-1][:3]: ing.article(i) for i in items}
    assert all(isinstance(a, Article) for a in arts.values())
    return arts


def test_five_articles_readme_skipped(seeds):
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]


def test_languages_and_dates(seeds):
    assert {k: a.lang for k, a in seeds.items()} == {
        "000": "en",
        "001": "en",
        "002": "fr",
        "003": "en",
        "004": "en",
    }
    assert seeds["000"].published == date(2021, 10, 19)
    assert seeds["003"].published == date(2021, 11, 29)
    assert all(seeds[k].published is None for k in ("001", "002", "004"))
    assert seeds["000"].text.startswith("After confirming") and seeds["003"].text.startswith(
        "Little by little"
    )


def test_chrome_removed(seeds):
    t1 = seeds["001"].text
    for chrome in (
        "Search Search",
        "add a comment",
        "Comment sent successfully",
        "End of content",
        "No more pages",
    ):
        assert chrome not in t1, chrome
    headline = seeds["001"].title
    assert t1.count(headline) == 1
    assert "logo image" not in seeds["004"].text


# The comment form of 001: the only lines of six words or more that the seeds' README calls chrome.
_CHROME_LINES = ("add a comment", "Comment sent successfully")


def _sentences(text: str) -> list[str]:
    """Sentences of six words or more, line by line, leaving out the known chrome lines."""
    out = []
    for line in text.split("\n"):
        if line.strip().startswith(_CHROME_LINES):
            continue
        out += [s for s in re.split(r"(?<=[.!?])\s+", " ".join(line.split())) if len(s.split()) >= 6]
    return out


def test_no_real_sentence_is_lost(seeds, seeds_dir):
    for key, art in seeds.items():
        original = decode_text(next(seeds_dir.glob(f"{key}_*.txt")).read_bytes())
        original = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", original)
        kept = " ".join(art.text.split())
        lost = [s for s in _sentences(original) if s not in kept]
        assert not lost, (key, lost)


def test_titles(seeds):
    assert seeds["004"].title == "Xiaomi Cars Will Go Into Mass-Production by H1 2024, CEO Says"
    assert seeds["001"].title == "Xiaomi will mass produce its electric car as early as 2024"
    for a in seeds.values():
        assert 10 <= len(a.title) <= 121 and "\n" not in a.title


def test_ids_stable_on_reread(seeds, seeds_dir):
    ing = Ingestor()
    again = {i.source.rsplit("/", 1)[-1][:3]: ing.article(i) for i in read_inputs([seeds_dir])}
    assert {k: a.id for k, a in again.items()} == {k: a.id for k, a in seeds.items()}
    assert len({a.id for a in seeds.values()}) == 5
