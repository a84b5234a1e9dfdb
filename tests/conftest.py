"""Shared fixtures: where the real data lives, and a skip only when it is truly absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
