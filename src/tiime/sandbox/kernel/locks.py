"""File locks between sandbox processes: who uses a database, which upload is in progress.

* Every process with a sandbox database open holds a shared lock on ``<database>.lock``
  (made 0600 beside it, and left there); ``--reset`` deletes the database only with the
  exclusive lock, taken without waiting: while any other process uses the database the
  reset is refused, instead of leaving that process writing to a deleted file.
* An upload in progress holds an exclusive lock on its temporary file, so that the files
  left by a crash (nobody's lock) can be told from those of another running process.

The locks are ``flock`` locks, held per open file (two sandboxes of one process exclude
each other too) and released by the system when the process ends, however it ends. Where
there is no ``flock`` (Windows), nothing is locked: there the system refuses to delete a
file another process has open.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from ...i18n import N_
from .errors import SandboxError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["UseLock", "hold", "remove_unlocked"]

_POLL = 0.05


def hold(fd: int) -> int | None:
    """Lock the open file ``fd`` exclusively (waiting for it); returns a duplicate of
    ``fd`` that keeps the lock until it is closed, whatever becomes of ``fd`` (None where
    there is no ``flock``)."""
    if fcntl is None:  # pragma: no cover - Windows
        return None
    fcntl.flock(fd, fcntl.LOCK_EX)
    return os.dup(fd)


def remove_unlocked(path: Path) -> bool:
    """Delete the file ``path`` if nobody holds a lock on it; whether it was deleted.

    Its lock is held while it is deleted: one who locks it just after finds it has no
    name left (``st_nlink`` 0) and makes another.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # in use
        try:
            path.unlink()
        except OSError:  # Windows: in use
            return False
        return True
    finally:
        os.close(fd)


class UseLock:
    """The lock file of the database at ``database``: :meth:`share` while using it,
    :meth:`exclusive` to delete it; :meth:`release` (or closing) lets go."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise SandboxError(
                    N_("cannot open the lock file {path}: {reason}"),
                    path=self.path,
                    reason=exc.strerror,
                ) from exc
        return self._fd

    def share(self, timeout: float) -> None:
        """Take the shared lock, waiting up to ``timeout`` seconds for a reset to end."""
        if fcntl is None:  # pragma: no cover - Windows
            return
        fd = self._open()
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.release()
                    raise SandboxError(
                        N_(
                            "{path} is being reset by another process: "
                            "try again when it has started"
                        ),
                        path=self.database,
                    ) from None
                time.sleep(_POLL)

    def exclusive(self) -> bool:
        """Take the exclusive lock without waiting; False when another process holds it
        (uses the database)."""
        if fcntl is None:  # pragma: no cover - Windows
            return True
        try:
            fcntl.flock(self._open(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        """Let go of the lock (closing the file)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
