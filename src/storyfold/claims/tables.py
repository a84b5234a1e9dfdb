"""A language's tables read from CLDR and ICU, kept on disk for the next process.

Every process that extracts claims reads, for each language it meets, the tables of that
language: scale words, currency names, units and months from CLDR (babel), numbers spelled
out by ICU. That costs about 30 ms a language, in every worker of every run: 1.5 s of CPU for
50 languages before a short run's first article is read, and babel keeps each locale's whole
data in memory after. The tables are plain data and change only with CLDR, ICU or the code
that reads them, so each is kept as a file under the user's cache folder, named by those
versions, and read back by the next process that needs it.

`STORYFOLD_CACHE` names another folder, or `off` for none. A folder that cannot be written
(read-only, full) is no error: the tables are computed as if there were none. Files are
written whole, under a temporary name then renamed, so a process never reads half a file.
Python's `marshal` stores them: it keeps dicts, tuples, frozensets, strings and numbers, and
reading it runs no code.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# the modules whose code makes the tables: a change to any of them is a new set of tables
_MAKERS = ("cldr.py", "numwords.py", "../textnorm.py")
_MISSING = object()


@functools.cache
def folder() -> Path | None:
    """Where this version's tables are kept; None when the cache is off."""
    where = os.environ.get("STORYFOLD_CACHE", "")
    if where.lower() == "off":
        return None
    if where:
        base = Path(where)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        try:
            base = (Path(xdg) if xdg else Path.home() / ".cache") / "storyfold"
        except (RuntimeError, KeyError):  # no home folder to be found: nothing kept
            return None
    return base / "tables" / _version()


def _version() -> str:
    """The versions the tables depend on: CLDR's (babel's), ICU's binding, and this code."""
    digest = hashlib.sha1()
    for package in ("babel", "icu4py"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package} {metadata.version(package)}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _MAKERS:
        with contextlib.suppress(OSError):
            digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def table(fn: Callable[P, R]) -> Callable[P, R]:
    """`functools.cache` for a function of a language's table, its answers also kept on disk.
    The answer must be what `marshal` stores (dicts, tuples, frozensets, strings, numbers)."""
    memo: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(fn)
    def cached(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (*args, *sorted(kwargs.items()))
        got = memo.get(key, _MISSING)
        if got is _MISSING:
            path = _path(fn.__name__, key)
            got = _read(path) if path is not None else _MISSING
            if got is _MISSING:
                got = fn(*args, **kwargs)
                if path is not None:
                    _write(path, got)
            memo[key] = got
        return got  # type: ignore[no-any-return]

    cached.cache_clear = memo.clear  # type: ignore[attr-defined]
    return cached


def _path(name: str, key: tuple[Any, ...]) -> Path | None:
    where = folder()
    if where is None:
        return None
    digest = hashlib.sha1(repr(key).encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return where / name / f"{digest}.marshal"


def _read(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return _MISSING
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # cut short or not ours: made again, and rewritten
        return _MISSING


def _write(path: Path, value: Any) -> None:
    try:
        data = marshal.dumps(value)
    except ValueError:  # not plain data: kept in memory only
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:  # a folder that cannot be written: the tables are made each time
        return
