"""An exclusive lock across processes around the read-modify-write of a small file.

Two processes saving a login at once would otherwise each write back the file as they
read it, and the first one's login would be lost. ``flock`` on POSIX (threads of one
process exclude each other too: each takes the lock through its own descriptor),
``msvcrt.locking`` on Windows; waiting is polled, and bounded by :data:`LOCK_TIMEOUT`.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LOCK_TIMEOUT", "locked"]

# How long to wait for another process's write (it takes milliseconds).
LOCK_TIMEOUT = 10.0
_LOCK_POLL = 0.01


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of ``path`` (a file replaced whole on each write) while it is read,
    changed and replaced.

    The lock is ``<path>.lock`` beside it: ``path`` itself is replaced on every write, so it
    cannot carry the lock. The lock file stays, empty, owner-only; the system releases the
    lock when its process ends, so a crash leaves nothing to clean up. Creates the
    directory (0700) if needed. Raises ``TimeoutError`` after :data:`LOCK_TIMEOUT` seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _acquire(fd, lock_path)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` if it is free; ``False`` if another holds it."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise
    return True


def _acquire(fd: int, lock_path: Path) -> None:
    deadline = time.monotonic() + LOCK_TIMEOUT
    while not _try_lock(fd):
        if time.monotonic() > deadline:
            raise TimeoutError(
                errno.ETIMEDOUT,
                f"another process has held the lock of the stored logins for over "
                f"{LOCK_TIMEOUT:.0f} s; try again",
                str(lock_path),
            )
        time.sleep(_LOCK_POLL)


def _release(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
