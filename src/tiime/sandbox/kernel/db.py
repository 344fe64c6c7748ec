"""The sandbox's SQLite database: one connection, one lock, and ordered migrations.

One connection, shared by the server thread and the caller's thread behind a re-entrant
lock, in WAL mode with ``synchronous=FULL``: every write is committed before the answer
leaves, so an acknowledged write survives a crash or a restart.

The schema is the list of :class:`Migration` of the kernel and of every resource, applied
in version order, each in its own transaction that also sets ``PRAGMA user_version``. A
database of the first release (``user_version`` 0 and a ``meta`` table saying
``schema_version`` '1') holds the tables of migrations 1 to :data:`LEGACY_VERSION` and is
upgraded from there, keeping its data. One from a newer release, a file that is not SQLite,
a directory or a path that cannot be created raise :class:`SandboxError` with one line.

While open, a Database holds a shared lock on ``<file>.lock`` (see :mod:`.locks`), and
:func:`remove_database` (``--reset``) refuses to delete a database another one uses.

The file holds the token signing secret: it is created 0600 (SQLite gives its -wal and
-shm files the same mode) and missing directories are created 0700. An existing file is
checked before anything is changed in it or about it: one that is not SQLite (its
header), or a SQLite database of something else, is refused with its modes, its
journal and its siblings left as they were; only a sandbox database (ours) is made
private.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ...i18n import N_
from .errors import SandboxError
from .locks import UseLock

# Messages raised from several places (tiime.i18n's "sandbox" domain).
_CANNOT_OPEN = N_("cannot open the sandbox database {path}: {reason}")
_CANNOT_RESET = N_("cannot reset {path}: {reason}")

__all__ = [
    "KERNEL_MIGRATIONS",
    "LEGACY_VERSION",
    "MAX_ID",
    "Database",
    "Migration",
    "Row",
    "insert_sql",
    "now_text",
    "remove_database",
    "run_script",
]

Row = dict[str, Any]
# SQLite integers are signed 64-bit; larger ids cannot exist.
MAX_ID = 2**63 - 1
# The first release had no user_version; its tables are those of migrations 1 to 4.
LEGACY_VERSION = 4


@dataclass(frozen=True)
class Migration:
    """One schema step: ``up`` is SQL (statements separated by ``;``) or a function
    given the connection, run inside the step's transaction. ``version`` is global
    (unique across the kernel and every resource) and steps run in its order."""

    version: int
    description: str
    up: str | Callable[[sqlite3.Connection], None]

    def apply(self, conn: sqlite3.Connection) -> None:
        """Run the step on ``conn`` (inside the caller's transaction)."""
        if callable(self.up):
            self.up(conn)
        else:
            run_script(conn, self.up)


def run_script(conn: sqlite3.Connection, sql: str) -> None:
    """Run statements separated by ``;`` inside the caller's transaction (no ``;`` inside
    a statement: executescript() would commit on its own)."""
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def now_text() -> str:
    """The current UTC time as the API writes date-times: ``YYYY-MM-DD HH:MM:SS``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns...) VALUES (?, ...)`` for fixed, trusted names."""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed column names
        f"VALUES ({', '.join('?' for _ in columns)})"
    )


def _create_meta(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        [
            ("schema_version", "1"),
            ("jwt_secret", secrets.token_urlsafe(48)),
            ("created_at", now_text()),
        ],
    )


KERNEL_MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "meta: the token signing secret and the seed's marks", _create_meta),
)


# The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def _open_file(path: Path) -> None:
    """Create ``path`` readable by its owner only, or check that the existing one is a
    regular file holding a SQLite database (or nothing yet), without changing it.

    SQLite gives the -wal and -shm files of a new database the database file's mode.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fd = _open_existing(path)
    except IsADirectoryError as exc:
        raise SandboxError(N_("{path} is a directory, not a sandbox database"), path=path) from exc
    except OSError as exc:
        raise SandboxError(_CANNOT_OPEN, path=path, reason=exc.strerror) from exc
    except ValueError as exc:  # a NUL byte in the path
        raise SandboxError(
            N_("cannot open the sandbox database {path!r}: {reason}"), path=path, reason=exc
        ) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SandboxError(N_("{path} is not a regular file"), path=path)
        header = os.read(fd, len(SQLITE_HEADER))
    finally:
        os.close(fd)
    if header and header != SQLITE_HEADER:
        raise SandboxError(
            N_("{path} is not a SQLite database: give the sandbox another file"), path=path
        )


def _open_existing(path: Path) -> int:
    try:
        return os.open(path, os.O_RDONLY)
    except IsADirectoryError as exc:
        raise SandboxError(N_("{path} is a directory, not a sandbox database"), path=path) from exc
    except OSError as exc:
        raise SandboxError(_CANNOT_OPEN, path=path, reason=exc.strerror) from exc


def _make_private(path: Path) -> None:
    """Make the files of a sandbox database (ours) readable by their owner only."""
    if not hasattr(os, "getuid"):  # Windows: no POSIX modes
        return
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            info = file.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                file.chmod(0o600)


def _private_directory(directory: Path) -> None:
    """Create the missing directories of ``directory`` with mode 0700."""
    missing = [parent for parent in (directory, *directory.parents) if not parent.exists()]
    for parent in reversed(missing):
        try:
            parent.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            raise SandboxError(
                N_("cannot create the directory {path}: {reason}"), path=parent, reason=exc.strerror
            ) from exc


def _refuse_foreign(path: Path) -> None:
    """SandboxError when ``path`` holds something else than a sandbox database: a file
    that is not SQLite, or a SQLite database without the sandbox's ``meta`` table (one
    that cannot be read, a damaged sandbox database say, may go)."""
    try:
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SandboxError(_CANNOT_RESET, path=path, reason=exc.strerror) from exc
    if not header:
        return
    if header != SQLITE_HEADER:
        raise SandboxError(
            N_("cannot reset {path}: it is not a SQLite database (left as it is)"), path=path
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.Error:
        return
    if tables and "meta" not in tables:
        raise SandboxError(
            N_("cannot reset {path}: it is not a tiime sandbox database (left as it is)"),
            path=path,
        )


def remove_database(path: Path) -> None:
    """Delete the database at ``path`` and its -wal and -shm files (``--reset``).

    Raises :class:`SandboxError` while another process (or another Database of this
    one) uses it (see :class:`~tiime.sandbox.kernel.locks.UseLock`), and for a file that
    is not a sandbox database: that is left as it is.
    """
    if not path.parent.is_dir():
        return  # nothing to delete
    lock = UseLock(path)
    try:
        if not lock.exclusive():
            raise SandboxError(
                N_("cannot reset {path}: another sandbox process is using it (stop it first)"),
                path=path,
            )
        _refuse_foreign(path)
        for suffix in ("", "-wal", "-shm"):
            try:
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            except OSError as exc:
                raise SandboxError(_CANNOT_RESET, path=path, reason=exc.strerror) from exc
    finally:
        lock.release()


class Database:
    """The sandbox database at ``path``, created and migrated to ``migrations``' last version.

    ``created`` tells whether this instance created the schema (a new, empty database).
    ``busy_timeout`` is how long a query waits for another process's lock, in seconds.
    Raises :class:`SandboxError` (one line) when the file cannot be used.
    """

    def __init__(
        self, path: str | Path, migrations: Sequence[Migration], *, busy_timeout: float = 10.0
    ) -> None:
        self.path = Path(path)
        self._migrations = sorted(migrations, key=lambda migration: migration.version)
        versions = [migration.version for migration in self._migrations]
        if len(set(versions)) != len(versions) or (versions and versions[0] < 1):
            raise ValueError(f"migration versions must be unique and positive: {versions}")
        self.latest = versions[-1] if versions else 0
        self._lock = threading.RLock()
        self._depth = 0
        if self.path.is_dir():
            raise SandboxError(N_("{path} is a directory, not a sandbox database"), path=self.path)
        _private_directory(self.path.parent)
        _open_file(self.path)
        # In use from now on (a reset elsewhere is refused); the file is checked again
        # under the lock, for a reset may have deleted it meanwhile.
        self._use = UseLock(self.path)
        self._use.share(busy_timeout)
        try:
            _open_file(self.path)
            self._conn = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=busy_timeout
            )
        except sqlite3.Error as exc:
            self._use.release()
            raise SandboxError(_CANNOT_OPEN, path=self.path, reason=exc) from exc
        except BaseException:
            self._use.release()
            raise
        try:
            self._conn.row_factory = sqlite3.Row
            try:
                self._check_ours()
                self._conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                raise  # locked, say: answered below
            except sqlite3.DatabaseError as exc:
                raise SandboxError(
                    N_("{path} is not a SQLite database ({reason})"), path=self.path, reason=exc
                ) from exc
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self.created = self._migrate()
            _make_private(self.path)
        except sqlite3.Error as exc:  # locked by another process for too long, say
            self._conn.close()
            self._use.release()
            raise SandboxError(
                N_("cannot use the sandbox database {path}: {reason}"), path=self.path, reason=exc
            ) from exc
        except BaseException:
            self._conn.close()
            self._use.release()
            raise

    # -- plumbing ---------------------------------------------------------------------

    @property
    def lock(self) -> threading.RLock:
        """The re-entrant lock: hold it to run several queries with no write between."""
        return self._lock

    def close(self) -> None:
        """Close the connection (the data is already committed) and let go of the
        database (a reset may delete it now)."""
        with self._lock:
            self._conn.close()
            self._use.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction, committed on success, rolled back else.

        Nested blocks (in the same thread) join the outermost transaction.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Every row of a query, as dicts."""
        with self._lock:
            return [dict(row) for row in self._conn.execute(sql, params).fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query as a dict, or None."""
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row of a query, or None."""
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- schema -----------------------------------------------------------------------

    @property
    def version(self) -> int:
        """The schema version of the file (``PRAGMA user_version``)."""
        return int(self.scalar("PRAGMA user_version"))

    def _migrate(self) -> bool:
        """Bring the schema to :attr:`latest`; returns whether the database was new."""
        created = False
        with self.transaction() as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if version == 0 and tables:
                version = self._legacy_version(conn, tables)
                conn.execute(f"PRAGMA user_version = {version}")
            created = not tables
        if version > self.latest:
            raise SandboxError(
                N_(
                    "{path} was made by a newer tiime sandbox (schema {version}, this one "
                    "knows up to {latest}): upgrade tiime or give another database"
                ),
                path=self.path,
                version=version,
                latest=self.latest,
            )
        for migration in self._migrations:
            with self.transaction() as conn:
                # Read again inside the transaction: another process may have migrated.
                if migration.version <= int(conn.execute("PRAGMA user_version").fetchone()[0]):
                    continue
                try:
                    migration.apply(conn)
                except sqlite3.Error as exc:
                    raise SandboxError(
                        N_("cannot upgrade {path} to schema {version} ({migration}): {reason}"),
                        path=self.path,
                        version=migration.version,
                        migration=migration.description,
                        reason=exc,
                    ) from exc
                conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        return created

    def _check_ours(self) -> None:
        """Refuse a SQLite database of something else before changing anything in it."""
        conn = self._conn
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if version == 0 and tables:
            self._legacy_version(conn, tables)

    def _legacy_version(self, conn: sqlite3.Connection, tables: set[str]) -> int:
        """The version of a database without user_version: the first release's, or none."""
        if "meta" in tables:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is not None and row[0] == "1":
                return LEGACY_VERSION
        raise SandboxError(N_("{path} is not a tiime sandbox database"), path=self.path)

    # -- meta -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A value of the ``meta`` table (JWT secret, the seed's marks, ...)."""
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the ``meta`` table."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def jwt_secret(self) -> str:
        """The per-database HS256 secret, so that tokens survive a restart."""
        secret = self.meta("jwt_secret")
        assert secret is not None
        return secret
