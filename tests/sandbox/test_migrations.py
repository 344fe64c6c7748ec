"""The database file: migrations on PRAGMA user_version, and files that are not ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from tiime.sandbox import Sandbox, SandboxError, open_database
from tiime.sandbox.kernel import Database, Migration
from tiime.sandbox.resources import RESOURCES, migrations

# The schema of the first release, as its store.py created it (user_version left at 0).
FIRST_RELEASE_SCHEMA = """
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


def first_release_database(path: Path) -> None:
    """A database as the first release left it: its schema, a user, a company, a client."""
    conn = sqlite3.connect(path)
    with conn:
        conn.executescript(FIRST_RELEASE_SCHEMA)
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("schema_version", "1"),
                ("jwt_secret", "s" * 64),
                ("seeded_at", "2025-01-01 00:00:00"),
                ("demo_email", "demo@tiime.test"),
                ("demo_company_id", "12345"),
            ],
        )
        conn.execute("INSERT INTO countries (id, name, code) VALUES (75, 'France', 'FR')")
        conn.execute(
            "INSERT INTO users (id, email, password_hash, firstname, lastname) "
            "VALUES (4201, 'demo@tiime.test', 'x', 'Camille', 'Martin')"
        )
        conn.execute("INSERT INTO companies (id, name, country_id) VALUES (12345, 'Ancienne', 75)")
        conn.execute("INSERT INTO memberships (user_id, company_id) VALUES (4201, 12345)")
        conn.execute(
            "INSERT INTO clients (id, company_id, name, name_folded, slug, country_id, color, "
            "acronym, created_at) VALUES (100101, 12345, 'Client Ancien', 'client ancien', "
            "'client-ancien', 75, '#000000', 'CA', '2025-01-01 00:00:00')"
        )
    conn.close()


def test_a_first_release_database_is_upgraded_in_place(tmp_path: Path, http: httpx.Client) -> None:
    db_path = tmp_path / "old.db"
    first_release_database(db_path)

    with Sandbox(db_path=db_path) as sb:
        assert sb.db.version == migrations()[-1].version
        assert not sb.db.created
        headers = {"Authorization": f"Bearer {sb.issue_token()}"}
        url = f"{sb.base_url}/companies/{sb.company_id}/clients"
        listed = http.get(url, headers=headers).json()
        created = http.post(url, headers=headers, json={"name": "Client Nouveau"})

    # The seed did not run again: the old data is all there, and new writes work.
    assert [client["name"] for client in listed] == ["Client Ancien"]
    assert created.status_code == 201
    assert created.json()["id"] == 100102


def test_a_first_release_database_takes_receipts(tmp_path: Path, http: httpx.Client) -> None:
    db_path = tmp_path / "old.db"
    first_release_database(db_path)

    with Sandbox(db_path=db_path) as sb:
        headers = {"Authorization": f"Bearer {sb.issue_token()}"}
        created = http.post(
            f"{sb.base_url}/companies/{sb.company_id}/documents",
            headers=headers,
            files={"file": ("ticket.pdf", b"%PDF-1.4\n" + b"x" * 100, "application/pdf")},
        )
        categories = http.get(
            f"{sb.base_url}/companies/{sb.company_id}/document_categories", headers=headers
        ).json()

    assert created.status_code == 201, created.text
    assert created.json()["type"] == "receipt"
    assert "receipt" in {category["identifier"] for category in categories}


def test_a_new_database_is_at_the_last_version(tmp_path: Path) -> None:
    with open_database(tmp_path / "new.db") as db:
        assert db.created
        assert db.version == migrations()[-1].version
    with open_database(tmp_path / "new.db") as again:
        assert not again.created


def test_later_migrations_run_once_in_order_keeping_the_data(tmp_path: Path) -> None:
    db_path = tmp_path / "steps.db"
    first = Migration(1, "t", "CREATE TABLE t (x INTEGER)")
    with Database(db_path, [first]) as db, db.transaction() as conn:
        conn.execute("INSERT INTO t (x) VALUES (1)")
    calls: list[int] = []

    def third(conn: sqlite3.Connection) -> None:
        calls.append(3)
        conn.execute("UPDATE t SET x = x + 10")

    steps = [Migration(3, "fix", third), first, Migration(2, "column", "ALTER TABLE t ADD y")]
    for _ in range(2):
        with Database(db_path, steps) as db:
            assert db.version == 3
            assert db.all("SELECT x, y FROM t") == [{"x": 11, "y": None}]
    assert calls == [3]


def test_a_failed_migration_leaves_the_database_at_the_step_before(tmp_path: Path) -> None:
    db_path = tmp_path / "failed.db"
    first = Migration(1, "t", "CREATE TABLE t (x INTEGER)")
    broken = Migration(2, "broken", "CREATE TABLE u (x INTEGER); NOT SQL")
    with pytest.raises(SandboxError, match=r"cannot upgrade .* to schema 2 \(broken\): near"):
        Database(db_path, [first, broken])
    with Database(db_path, [first]) as db:
        assert db.version == 1
        assert db.scalar("SELECT name FROM sqlite_master WHERE name = 'u'") is None


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    db_path = tmp_path / "newer.db"
    with open_database(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 9999")
    conn.close()

    with pytest.raises(SandboxError, match=r"newer tiime sandbox \(schema 9999") as caught:
        open_database(db_path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [b"not a database at all, just text\n" * 100, b"SQLite format 3\x00" + b"\xff" * 200],
)
def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, content: bytes) -> None:
    db_path = tmp_path / "notes.txt"
    db_path.write_bytes(content)

    with pytest.raises(SandboxError, match="is not a SQLite database") as caught:
        Sandbox(db_path=db_path).start()
    assert "\n" not in str(caught.value)
    assert db_path.read_bytes() == content


def test_another_sqlite_database_is_refused(tmp_path: Path) -> None:
    db_path = tmp_path / "other.db"
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.close()

    with pytest.raises(SandboxError, match="not a tiime sandbox database"):
        open_database(db_path)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SandboxError, match="is a directory"):
        Sandbox(db_path=tmp_path).start()


def test_migration_versions_are_unique_across_resources() -> None:
    versions = [step.version for step in migrations()]
    assert len(versions) == len(set(versions))
    assert versions[:4] == [1, 2, 3, 4]  # the first release's schema
    assert len({resource.NAME for resource in RESOURCES}) == len(RESOURCES)
    with pytest.raises(ValueError, match="unique"):
        Database(":memory:", [Migration(1, "a", ""), Migration(1, "b", "")])


def test_a_database_locked_by_another_process_is_one_line(tmp_path: Path) -> None:
    db_path = tmp_path / "locked.db"
    first_release_database(db_path)  # to be upgraded: the opening must write
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(SandboxError, match="database is locked") as caught:
            Database(db_path, migrations(), busy_timeout=0.1)
    finally:
        holder.close()
    assert "\n" not in str(caught.value)
