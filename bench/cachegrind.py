"""Instruction counts under cachegrind, for the `*_instructions.py` benchmarks.

Why: on this shared VM the wall clock swings by a third and more between runs, while the
instruction count of the same work repeats to a few parts in ten thousand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def available() -> bool:
    """Whether valgrind is installed (the benchmarks say so and exit 0 when it is not)."""
    return shutil.which("valgrind") is not None


def instructions(script: Path, *args: str) -> int:
    """Instructions executed by `python script args...` (PYTHONHASHSEED=0, so dict and set
    orders, and with them the work, repeat exactly)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        cmd = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            f"--cachegrind-out-file={out}",
            sys.executable,
            str(script),
            *args,
        ]
        env = dict(os.environ, PYTHONHASHSEED="0")
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        for line in out.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("cachegrind wrote no summary line")
