"""The public API as a notebook uses it: `import storyfold`, open a library, ingest, read."""

from __future__ import annotations

import subprocess
import sys

import pytest

import storyfold


def test_a_notebook_session_on_the_seeds(tmp_path, seeds_dir):
    with storyfold.open_library(str(tmp_path / "nb.db"), workers=1) as lib:
        report = lib.ingest([seeds_dir])
        assert isinstance(report, storyfold.IngestReport)
        assert report.read == 5 == report.added + report.skipped + report.rejected
        stories = lib.list_stories()
        assert stories and all(isinstance(s, storyfold.Story) for s in stories)
        brief = lib.brief(stories[0].id)
        assert isinstance(brief, storyfold.StoryBrief)
        assert all(isinstance(f, storyfold.Fact) for f in brief.facts)
    with storyfold.open_library(str(tmp_path / "nb.db"), readonly=True) as reader:
        assert [s.id for s in reader.list_stories()] == [s.id for s in stories]


def test_every_error_is_a_storyfold_error_and_keeps_its_builtin_kind(tmp_path):
    tree = {
        storyfold.InputError: ValueError,
        storyfold.NotText: ValueError,
        storyfold.StoreError: RuntimeError,
        storyfold.WriterBusy: RuntimeError,
        storyfold.AmbiguousId: LookupError,
    }
    for cls, builtin in tree.items():
        assert issubclass(cls, storyfold.StoryfoldError) and issubclass(cls, builtin)
    db = tmp_path / "w.db"
    with (
        storyfold.open_library(str(db)),
        pytest.raises(storyfold.StoryfoldError, match="being written by process"),
    ):
        storyfold.open_library(str(db))
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(storyfold.StoreError, match="junk.db"):
        storyfold.open_library(str(tmp_path / "junk.db"))


def test_import_storyfold_stays_light_and_exports_what_all_says():
    code = (
        "import sys, storyfold; "
        "assert 'storyfold.pipeline' not in sys.modules, 'import storyfold loaded the stages'; "
        "missing = [n for n in storyfold.__all__ if not hasattr(storyfold, n)]; "
        "assert not missing, missing"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_stories_and_facts_as_arrow_tables_for_data_frames(tmp_path, seeds_dir):
    """The seeds: five reports of one announcement, one stating "US$ 10 million" where the others
    say "$10 billion"; a notebook reads them as tables and data frames."""
    import pandas  # the dev extras: a missing one fails here, in CI too
    import pyarrow as pa  # a dependency of storyfold

    with storyfold.open_library(str(tmp_path / "t.db"), workers=1) as lib:
        lib.ingest([seeds_dir])
        stories = lib.stories()
        assert isinstance(stories, pa.Table)
        assert stories.column_names[:3] == ["id", "title", "languages"]
        assert stories.num_rows == 1 and stories["n_articles"].to_pylist() == [5]
        assert stories["n_disputed"][0].as_py() >= 1
        assert set(stories["languages"][0].as_py()) >= {"en", "fr"}
        assert lib.stories(q="semestre").num_rows == 1 and lib.stories(q="zyxwvut").num_rows == 0

        sid = stories["id"][0].as_py()
        facts = lib.facts(sid[:8])  # a unique prefix, as users type ids
        assert facts.num_rows == lib.facts().num_rows > 0
        money = [r for r in facts.to_pylist() if r["kind"] == "money" and r["value"] == 1e10]
        assert len(money) == 1 and money[0]["unit"] == "USD" and money[0]["disputed"]
        assert len(money[0]["supporting_sources"]) >= 3 and len(money[0]["conflicting_sources"]) == 1
        assert lib.facts("nothing-like-this").num_rows == 0  # empty, with its columns
        assert "disputed" in lib.facts("nothing-like-this").column_names

        sources = lib.sources()
        assert sources.column_names == ["source", "reliability", "n_claims", "n_agree"]
        assert sources.num_rows >= 4

        frame = facts.to_pandas()
        assert isinstance(frame, pandas.DataFrame) and len(frame) == facts.num_rows
        assert frame.loc[frame["disputed"], "story_id"].eq(sid).all()
