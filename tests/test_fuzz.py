"""Property tests: generated hostile inputs through every reader, the cleaner, the number and
anchor readers, claims, and the whole flow (a small profile; `bench/fuzz_bench.py` runs the
same generators on 100,000 inputs)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import (
    check_pipeline,
    check_reader,
    check_text_functions,
    hostile_document,
    hostile_file,
    hostile_text,
)
from storyfold.pipeline import Library

SMALL = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SMALL
@given(st.text(alphabet=st.characters(codec=None, categories=None), max_size=400))
def test_text_functions_take_any_unicode(text: str) -> None:
    check_text_functions(text)


# The generators draw from a random.Random seeded by hypothesis: hypothesis's own randoms lean
# to the edges (0.0 again and again), which would make every text a megabyte.
SEEDS = st.integers(0, 2**64 - 1)


@SMALL
@given(SEEDS)
def test_text_functions_take_hostile_news(seed: int) -> None:
    check_text_functions(hostile_text(random.Random(seed)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS)
def test_readers_account_for_every_file(seed: int) -> None:
    suffix, data = hostile_file(random.Random(seed))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        check_reader(path)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS, st.integers(1, 40))
def test_the_whole_flow_loses_and_doubles_nothing(seed: int, n: int) -> None:
    rng = random.Random(seed)
    docs = [hostile_document(rng, i) for i in range(n)]
    docs += [dict(d) for d in docs[: n // 3]]  # copies of earlier documents, as callers send
    with tempfile.TemporaryDirectory() as tmp:
        check_pipeline(lambda: Library(Path(tmp) / "f.db", workers=1), docs)
