"""A language's CLDR and ICU tables are kept on disk, and the next process reads them back.

Each case runs fresh interpreters, as the workers of two runs are: the first makes the tables
from babel and ICU, the second must get the same tables without importing babel at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ASK = """
import json, sys
from storyfold.claims import cldr, numwords
got = {
    "currency_words": cldr.currency_words("pl"),
    "unit_words": cldr.unit_words("de"),
    "month_names": cldr.month_names("ru"),
    "number_words": numwords.number_words("fr"),
}
print(json.dumps({"tables": got, "babel": "babel" in sys.modules}, sort_keys=True))
"""


def _ask(cache: str) -> dict:
    env = {**os.environ, "STORYFOLD_CACHE": cache}
    out = subprocess.run([sys.executable, "-c", ASK], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_the_next_process_reads_the_tables_back_without_cldr(tmp_path):
    first = _ask(str(tmp_path))
    assert first["babel"]  # made from CLDR
    assert first["tables"]["currency_words"]["dolarów"] == "USD"
    assert first["tables"]["unit_words"]["kilometer"] == "km"
    assert first["tables"]["month_names"]["октября"] == 10
    assert first["tables"]["number_words"]["quatre"] == 4
    again = _ask(str(tmp_path))
    assert again["tables"] == first["tables"]
    assert not again["babel"]  # read back: CLDR's data was never loaded


def test_a_damaged_table_file_is_made_again(tmp_path):
    made = _ask(str(tmp_path))["tables"]
    files = list(tmp_path.rglob("*.marshal"))
    assert files
    for f in files:
        f.write_bytes(b"\x00not a table")
    assert _ask(str(tmp_path))["tables"] == made
    assert _ask(str(tmp_path)) == {"tables": made, "babel": False}  # and written whole again


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    got = _ask(str(blocker / "tables"))
    assert got["tables"] == _ask("off")["tables"]


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert _ask("off")["babel"]
    assert not list(Path(tmp_path).rglob("*.marshal"))
