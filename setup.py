"""Optional C speed-ups for story clustering; everything else is declared in pyproject.toml.

Why a setup.py: setuptools builds C extensions only from here. Both modules are `optional`:
without a C compiler the build warns and storyfold runs on its pure-Python paths, which give
identical results (tests compare the two on real articles).
"""

import sys

from setuptools import Extension, setup

# No fused multiply-add contraction: every float operation must round as Python's own does,
# so that the C and Python paths give bit-identical scores.
_FLAGS = [] if sys.platform == "win32" else ["-O2", "-ffp-contract=off", "-fno-fast-math"]

setup(
    ext_modules=[
        Extension(
            "storyfold.cluster._scoring",
            ["src/storyfold/cluster/_scoring.c"],
            optional=True,
            extra_compile_args=_FLAGS,
        ),
        Extension(
            "storyfold.cluster._tokens",
            ["src/storyfold/cluster/_tokens.c"],
            optional=True,
            extra_compile_args=_FLAGS,
        ),
    ]
)
