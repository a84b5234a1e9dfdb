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
