"""The sandbox's SQLite database: schema and every query the emulator runs.

One connection, shared by the server thread and the caller's thread behind a lock, in
WAL mode with ``synchronous=FULL``: every write is committed before the answer leaves,
so a created client survives a crash or a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .derive import fold

__all__ = ["COUNTRIES", "SCHEMA_VERSION", "Row", "Store", "now_text"]

SCHEMA_VERSION = "1"

Row = dict[str, Any]

# Tiime's numeric country ids (France is 75 in known payloads; the others are plausible).
COUNTRIES: tuple[tuple[int, str, str], ...] = (
    (75, "France", "FR"),
    (21, "Belgique", "BE"),
    (41, "Suisse", "CH"),
    (57, "Allemagne", "DE"),
    (68, "Espagne", "ES"),
    (110, "Italie", "IT"),
    (127, "Luxembourg", "LU"),
    (177, "Portugal", "PT"),
    (160, "Pays-Bas", "NL"),
    (235, "Royaume-Uni", "GB"),
)

# First ids handed out, so that ids look like the real service's.
_FIRST_IDS = {"users": 4200, "clients": 100100, "contacts": 7000}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE countries (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT NOT NULL UNIQUE);
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    firstname TEXT,
    lastname TEXT
);
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    siren TEXT,
    siret TEXT,
    legal_form TEXT,
    address TEXT,
    postal_code TEXT,
    city TEXT,
    country_id INTEGER REFERENCES countries(id),
    activity TEXT,
    vat_system TEXT
);
CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users(id),
    company_id INTEGER NOT NULL REFERENCES companies(id),
    PRIMARY KEY (user_id, company_id)
);
CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    slug TEXT NOT NULL,
    address TEXT,
    address_complement TEXT,
    postal_code TEXT,
    city TEXT,
    country_id INTEGER REFERENCES countries(id),
    email TEXT,
    phone TEXT,
    siren_or_siret TEXT,
    siret TEXT,
    siren TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    archived_at TEXT,
    professional INTEGER NOT NULL DEFAULT 0,
    color TEXT NOT NULL,
    acronym TEXT NOT NULL,
    note TEXT,
    bic TEXT,
    iban TEXT,
    invoicing_use_email INTEGER NOT NULL DEFAULT 0,
    payment_status TEXT,
    balance_cents INTEGER NOT NULL DEFAULT 0,
    billed_including_cents INTEGER NOT NULL DEFAULT 0,
    billed_excluding_cents INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX clients_by_company ON clients (company_id, archived, id);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    firstname TEXT,
    lastname TEXT,
    email TEXT,
    phone TEXT,
    job TEXT,
    invoicing_use_email INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_by_client ON contacts (client_id, id);
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    client_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

CLIENT_COLUMNS: tuple[str, ...] = (
    "company_id",
    "name",
    "name_folded",
    "slug",
    "address",
    "address_complement",
    "postal_code",
    "city",
    "country_id",
    "email",
    "phone",
    "siren_or_siret",
    "siret",
    "siren",
    "archived",
    "archived_at",
    "professional",
    "color",
    "acronym",
    "note",
    "bic",
    "iban",
    "invoicing_use_email",
    "payment_status",
    "balance_cents",
    "billed_including_cents",
    "billed_excluding_cents",
    "created_at",
)
CONTACT_COLUMNS: tuple[str, ...] = (
    "client_id",
    "firstname",
    "lastname",
    "email",
    "phone",
    "job",
    "invoicing_use_email",
)

_CLIENT_SELECT = (
    "SELECT cl.*, co.name AS country_name, co.code AS country_code "
    "FROM clients cl LEFT JOIN countries co ON co.id = cl.country_id"
)

_PBKDF2_ITERATIONS = 60_000
# SQLite integers are signed 64-bit; larger ids cannot exist.
MAX_ID = 2**63 - 1


def now_text() -> str:
    """The current UTC time as the API writes date-times: ``YYYY-MM-DD HH:MM:SS``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """PBKDF2-SHA256 of a password, as ``pbkdf2_sha256$ITERATIONS$SALT$HASH`` (hex)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _PBKDF2_ITERATIONS)
    return f"pbkdf2_sha256${_PBKDF2_ITERATIONS}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password`."""
    try:
        _, iterations, salt_hex, digest_hex = stored.split("$")
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), bytes.fromhex(salt_hex), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    """The sandbox database at ``path`` (created with its schema when new).

    ``created`` tells whether the file was initialised by this instance, which is when
    :mod:`tiime.sandbox.seed` puts the demo data in.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=10.0
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self.created = self._init_schema()

    # -- plumbing ---------------------------------------------------------------------

    @property
    def lock(self) -> threading.RLock:
        """The store's re-entrant lock: hold it to run several queries with no write between."""
        return self._lock

    def close(self) -> None:
        """Close the connection (the data is already committed)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
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

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            return [dict(row) for row in self._conn.execute(sql, params).fetchall()]

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def _init_schema(self) -> bool:
        with self.transaction() as conn:
            exists = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone()
            if exists:
                version = conn.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()
                if version is None or version[0] != SCHEMA_VERSION:
                    raise RuntimeError(
                        f"{self.path} is not a tiime sandbox database of schema version "
                        f"{SCHEMA_VERSION}; give another path or delete the file."
                    )
                return False
            # One statement at a time: executescript() would commit on its own.
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.executemany(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", _FIRST_IDS.items()
            )
            conn.executemany("INSERT INTO countries (id, name, code) VALUES (?, ?, ?)", COUNTRIES)
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("schema_version", SCHEMA_VERSION),
                    ("jwt_secret", secrets.token_urlsafe(48)),
                    ("created_at", now_text()),
                ],
            )
            return True

    # -- meta -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A value of the ``meta`` table (schema version, JWT secret, ...)."""
        value = self._scalar("SELECT value FROM meta WHERE key = ?", (key,))
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

    # -- countries --------------------------------------------------------------------

    def country(self, country_id: int) -> Row | None:
        """The country ``{id, name, code}`` of that id, or None."""
        if not 0 <= country_id <= MAX_ID:
            return None
        return self._one("SELECT id, name, code FROM countries WHERE id = ?", (country_id,))

    # -- users and companies ----------------------------------------------------------

    def create_user(self, email: str, password: str, firstname: str, lastname: str) -> int:
        """Add a user; raises ValueError when the email is taken."""
        password_hash = hash_password(password)
        try:
            with self.transaction() as conn:
                cursor = conn.execute(
                    "INSERT INTO users (email, password_hash, firstname, lastname) "
                    "VALUES (?, ?, ?, ?)",
                    (email, password_hash, firstname, lastname),
                )
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"a user with the email {email!r} already exists") from exc
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def user(self, user_id: int) -> Row | None:
        """The user of that id (without the password hash), or None."""
        return self._one(
            "SELECT id, email, firstname, lastname FROM users WHERE id = ?", (user_id,)
        )

    def user_by_email(self, email: str) -> Row | None:
        """The user of that email (case-insensitive), without the password hash, or None."""
        return self._one(
            "SELECT id, email, firstname, lastname FROM users WHERE email = ?", (email,)
        )

    def authenticate(self, email: str, password: str) -> Row | None:
        """The user when ``email`` and ``password`` match, else None."""
        row = self._one("SELECT id, password_hash FROM users WHERE email = ?", (email,))
        if row is None:
            # Spend the same time as a real check, so that timing does not reveal emails.
            check_password(password, hash_password("", salt=b"\0" * 16))
            return None
        if not check_password(password, row["password_hash"]):
            return None
        return self.user(row["id"])

    def create_company(
        self,
        name: str,
        *,
        company_id: int | None = None,
        siren: str | None = None,
        siret: str | None = None,
        legal_form: str | None = None,
        address: str | None = None,
        postal_code: str | None = None,
        city: str | None = None,
        country_id: int | None = 75,
        activity: str | None = None,
        vat_system: str | None = None,
    ) -> int:
        """Add a company (the next id after the highest one unless given); returns its id."""
        with self.transaction() as conn:
            if company_id is None:
                highest = conn.execute("SELECT MAX(id) FROM companies").fetchone()[0]
                company_id = max(int(highest or 0) + 1, 12345)
            conn.execute(
                "INSERT INTO companies (id, name, siren, siret, legal_form, address, "
                "postal_code, city, country_id, activity, vat_system) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    company_id,
                    name,
                    siren,
                    siret,
                    legal_form,
                    address,
                    postal_code,
                    city,
                    country_id,
                    activity,
                    vat_system,
                ),
            )
        return company_id

    def add_membership(self, user_id: int, company_id: int) -> None:
        """Let a user reach a company."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO memberships (user_id, company_id) VALUES (?, ?)",
                (user_id, company_id),
            )

    def company(self, company_id: int) -> Row | None:
        """The company of that id with its country columns, or None."""
        if not 0 <= company_id <= MAX_ID:
            return None
        return self._one(
            "SELECT c.*, co.name AS country_name, co.code AS country_code "
            "FROM companies c LEFT JOIN countries co ON co.id = c.country_id WHERE c.id = ?",
            (company_id,),
        )

    def is_member(self, user_id: int, company_id: int) -> bool:
        """Whether the user may reach the company."""
        if not 0 <= company_id <= MAX_ID:
            return False
        return (
            self._scalar(
                "SELECT 1 FROM memberships WHERE user_id = ? AND company_id = ?",
                (user_id, company_id),
            )
            is not None
        )

    def count_companies(self, user_id: int) -> int:
        """How many companies the user reaches."""
        return int(self._scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ?", (user_id,)))

    def companies(self, user_id: int, offset: int = 0, limit: int | None = None) -> list[Row]:
        """The user's companies by ascending id, ``limit`` of them from ``offset``."""
        return self._all(
            "SELECT c.*, co.name AS country_name, co.code AS country_code "
            "FROM companies c JOIN memberships m ON m.company_id = c.id "
            "LEFT JOIN countries co ON co.id = c.country_id "
            "WHERE m.user_id = ? ORDER BY c.id LIMIT ? OFFSET ?",
            (user_id, -1 if limit is None else limit, offset),
        )

    # -- clients ----------------------------------------------------------------------

    @staticmethod
    def _client_filter(
        company_id: int, archived: bool | None, search: str | None
    ) -> tuple[str, list[Any]]:
        where = ["cl.company_id = ?"]
        params: list[Any] = [company_id]
        if archived is not None:
            where.append("cl.archived = ?")
            params.append(int(archived))
        folded = fold(search) if search else ""
        if folded:
            where.append("instr(cl.name_folded, ?) > 0")
            params.append(folded)
        return " WHERE " + " AND ".join(where), params

    def count_clients(
        self, company_id: int, *, archived: bool | None = None, search: str | None = None
    ) -> int:
        """How many clients of the company match the filters."""
        where, params = self._client_filter(company_id, archived, search)
        sql = "SELECT COUNT(*) FROM clients cl" + where  # noqa: S608 - fixed fragments
        return int(self._scalar(sql, params))

    def clients(
        self,
        company_id: int,
        *,
        archived: bool | None = None,
        search: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Row]:
        """The company's clients matching the filters, by ascending id, one window of them.

        ``search`` matches a part of the name, ignoring case and accents.
        """
        where, params = self._client_filter(company_id, archived, search)
        return self._all(
            _CLIENT_SELECT + where + " ORDER BY cl.id LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        )

    def client(self, company_id: int, client_id: int) -> Row | None:
        """The client of that id if it belongs to the company, else None."""
        if not 0 <= client_id <= MAX_ID:
            return None
        return self._one(
            _CLIENT_SELECT + " WHERE cl.company_id = ? AND cl.id = ?", (company_id, client_id)
        )

    def insert_client(self, values: Mapping[str, Any]) -> int:
        """Insert one client (keys among :data:`CLIENT_COLUMNS`); returns its id."""
        row = _complete_client(values)
        with self.transaction() as conn:
            cursor = conn.execute(_insert_sql("clients", CLIENT_COLUMNS), row)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def insert_clients(
        self, clients: Iterable[Mapping[str, Any]], contacts: Mapping[int, Sequence[Row]]
    ) -> list[int]:
        """Insert many clients in one transaction; ``contacts`` maps a client's position
        in ``clients`` to its contacts. Returns the new client ids in order."""
        rows = [_complete_client(values) for values in clients]
        with self.transaction() as conn:
            first = int(
                conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'clients'").fetchone()[0]
            )
            ids = list(range(first + 1, first + 1 + len(rows)))
            conn.executemany(
                _insert_sql("clients", ("id", *CLIENT_COLUMNS)),
                [(client_id, *row) for client_id, row in zip(ids, rows, strict=True)],
            )
            contact_rows = [
                tuple(
                    ids[position] if column == "client_id" else contact.get(column)
                    for column in CONTACT_COLUMNS
                )
                for position, items in sorted(contacts.items())
                for contact in items
            ]
            conn.executemany(_insert_sql("contacts", CONTACT_COLUMNS), contact_rows)
        return ids

    # -- contacts ---------------------------------------------------------------------

    def count_contacts(self, client_id: int) -> int:
        """How many contacts the client has."""
        return int(self._scalar("SELECT COUNT(*) FROM contacts WHERE client_id = ?", (client_id,)))

    def contacts(self, client_id: int, offset: int = 0, limit: int | None = None) -> list[Row]:
        """The client's contacts by ascending id, one window of them."""
        return self._all(
            "SELECT * FROM contacts WHERE client_id = ? ORDER BY id LIMIT ? OFFSET ?",
            (client_id, -1 if limit is None else limit, offset),
        )

    # -- refresh tokens ---------------------------------------------------------------

    def create_refresh_token(self, user_id: int, client_id: str) -> str:
        """A new opaque refresh token for the user (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO refresh_tokens (token_hash, user_id, client_id, created_at) "
                "VALUES (?, ?, ?, ?)",
                (_token_hash(token), user_id, client_id, now_text()),
            )
        return token

    def refresh_token_user(self, token: str, client_id: str) -> Row | None:
        """The user a refresh token was issued to (for that client id), or None."""
        row = self._one(
            "SELECT user_id FROM refresh_tokens WHERE token_hash = ? AND client_id = ?",
            (_token_hash(token), client_id),
        )
        return None if row is None else self.user(row["user_id"])


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed column names
        f"VALUES ({', '.join('?' for _ in columns)})"
    )


def _complete_client(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """A client row in :data:`CLIENT_COLUMNS` order, with the folded name and defaults."""
    row = dict(values)
    row["name_folded"] = fold(row["name"])
    row.setdefault("created_at", now_text())
    for flag in ("archived", "professional", "invoicing_use_email"):
        row[flag] = int(bool(row.get(flag)))
    for amount in ("balance_cents", "billed_including_cents", "billed_excluding_cents"):
        row[amount] = int(row.get(amount) or 0)
    return tuple(row.get(column) for column in CLIENT_COLUMNS)
