"""One writer per database: an exclusive lock on a file beside it, held while the writer lives.

Why a lock file and not SQLite's own locking: SQLite serialises transactions, but two writers
would each decide against their own in-memory state (the live stories, the fold window) and
split the stories between them without a word. The operating system's lock (`flock`) is
released when its process ends, even by `kill -9`, so a crash never leaves a stale lock. The
file also says who holds it, so the second writer's one-line refusal can name the process.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from datetime import datetime
from pathlib import Path

from storyfold.store.errors import WriterBusy

try:
    import fcntl
except ImportError:  # not POSIX: no lock (the one-writer rule is then the user's)
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    """The exclusive right to write `db_path`, held from `acquire` until `release`."""

    def __init__(self, db_path: str | Path) -> None:
        db = Path(db_path)
        self.path = db.with_name(db.name + ".lock")
        self.db = db
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to `wait` seconds for the holder to finish; else WriterBusy."""
        if self._fd is not None or fcntl is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    hint = (
                        "send the articles to that server (POST /api/articles)"
                        if " serve" in holder
                        else "wait for it to finish (or give --wait SECONDS)"
                    )
                    raise WriterBusy(f"{self.db}: being written by {holder}; {hint}") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": _command()[:300],
            "since": datetime.now().isoformat(timespec="seconds"),
        }
        os.write(fd, json.dumps(info).encode())
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None and fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            info = json.loads(os.read(fd, 4096) or b"{}")
        except (OSError, ValueError):
            info = {}
        if not info:
            return "another process"
        return f"process {info.get('pid')} ({info.get('command', '?')}, since {info.get('since', '?')})"


def _command() -> str:
    """This process's command line, secrets masked (the lock file is readable by others)."""
    out, hide = [Path(sys.argv[0]).name], False
    for arg in sys.argv[1:]:
        if hide:
            out.append("***")
        elif arg.startswith("--token="):
            out.append("--token=***")
        else:
            out.append(arg)
        hide = arg == "--token"
    return " ".join(out)
