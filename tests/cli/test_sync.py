"""``tiime sync`` and ``tiime sql`` on the command line: the summary (JSON when piped), one
sync of a database at a time (one line), kill -9 at any point then a re-run ending as a
clean sync, and the query's output formats."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tiime import TiimeClient
from tiime.sandbox import Sandbox
from tiime.sync import TABLES, canonical_dump

from .conftest import Result, tiime_command


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox of its own, bigger than the demo (a sync takes long enough to be cut)."""
    sizes = {"bank_transactions": 3000, "invoices": 600, "documents": 600}
    with Sandbox(db_path=tmp_path / "served.db", sizes=sizes) as sb:
        yield sb


def credentials(sb: Sandbox) -> dict[str, Any]:
    return {
        "base_url": sb.base_url,
        "auth_url": sb.auth_url,
        "email": sb.email,
        "password": sb.password,
        "company_id": sb.company_id,
    }


def env_of(sb: Sandbox) -> dict[str, str]:
    return {
        **os.environ,
        "TIIME_BASE_URL": sb.base_url,
        "TIIME_AUTH_URL": sb.auth_url,
        "TIIME_EMAIL": sb.email,
        "TIIME_PASSWORD": sb.password,
        "TIIME_COMPANY_ID": str(sb.company_id),
    }


def run_sync(sb: Sandbox, db: Path, *more: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*tiime_command(), "sync", "--db", str(db), *more],
        env=env_of(sb),
        capture_output=True,
        timeout=120,
        check=False,
    )


def stored_files(db: Path) -> list[str]:
    store = db.with_name(db.name + ".files")
    return sorted(str(p.relative_to(store)) for p in store.rglob("*") if p.is_file())


def test_kill_9_at_random_points_then_a_rerun_equals_a_clean_sync(
    served: Sandbox, tmp_path: Path
) -> None:
    started = time.monotonic()
    assert run_sync(served, tmp_path / "measure.sqlite", "--files").returncode == 0
    duration = time.monotonic() - started
    cut = tmp_path / "cut.sqlite"
    rng = random.Random()
    codes = []
    with TiimeClient(**credentials(served)) as client:
        labels = client.labels.list()
        unimputed = client.bank_transactions.unimputed()
        for n in range(8):
            # the books change between runs: each run has something to write when killed
            client.clients.create(name=f"Client coupé {n}")
            todo = client.bank_transactions.get(unimputed[n].id)
            client.bank_transactions.impute(
                todo,
                [{"label": {"id": labels[n % len(labels)].id}, "amount": todo.amount}],  # type: ignore[typeddict-item]
            )
            process = subprocess.Popen(
                [*tiime_command(), "sync", "--db", str(cut), "--files"],
                env=env_of(served),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.1, 1.1) * duration)
            process.kill()  # SIGKILL on POSIX
            codes.append(process.wait(timeout=30))
    assert any(code != 0 for code in codes)  # some runs were cut (most are)
    finished = run_sync(served, cut, "--files")
    assert finished.returncode == 0, finished.stderr
    clean = tmp_path / "clean.sqlite"
    assert run_sync(served, clean, "--files").returncode == 0
    assert canonical_dump(cut) == canonical_dump(clean)
    assert stored_files(cut) == stored_files(clean)  # no part left, none missing or extra
    with sqlite3.connect(cut) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sync_prints_the_summary_as_json_when_piped(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    db = tmp_path / "books.sqlite"
    first = cli("sync", "--db", str(db))
    assert first.code == 0, first.err
    assert first.json["companies"] == [logged_in.company_id]
    assert set(first.json["tables"]) == set(TABLES)
    assert first.json["tables"]["invoices"]["added"] > 0
    again = cli("sync", "--db", str(db), "--format", "csv")
    assert again.code == 0, again.err
    lines = again.out.splitlines()
    assert lines[0] == "table,added,changed,deleted"
    assert "invoices,0,0,0" in lines


def test_a_second_sync_of_a_database_is_refused_in_one_line(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    db = tmp_path / "books.sqlite"
    lock = sqlite3.connect(tmp_path / "books.sqlite.lock", isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # what a running sync holds
    try:
        result = cli("sync", "--db", str(db))
    finally:
        lock.close()
    assert result.code == 1
    assert "another tiime sync is writing" in result.error_line


def test_sql_in_the_output_formats(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    db = tmp_path / "books.sqlite"
    assert cli("sync", "--db", str(db)).code == 0
    query = "SELECT id, compiled_number, total_including_taxes FROM unpaid_invoices ORDER BY id"
    as_json = cli("sql", query, "--db", str(db))
    assert as_json.code == 0, as_json.err
    with sqlite3.connect(db) as conn:
        expected = conn.execute(query).fetchall()
    assert [tuple(row.values()) for row in as_json.json] == expected
    as_csv = cli("sql", query, "--db", str(db), "--format", "csv")
    assert as_csv.out.splitlines()[0] == "id,compiled_number,total_including_taxes"
    assert len(as_csv.out.splitlines()) == len(expected) + 1
    table = cli("sql", "SELECT count(*) AS n FROM invoices", "--db", str(db), "--format", "table")
    assert table.out.splitlines()[0].strip() == "n"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("DELETE FROM invoices", "readonly database"),
        ("SELECT * FROM nothing_here", "no such table: nothing_here"),
    ],
)
def test_sql_errors_are_one_line(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path, query: str, message: str
) -> None:
    db = tmp_path / "books.sqlite"
    assert cli("sync", "--db", str(db)).code == 0
    result = cli("sql", query, "--db", str(db))
    assert result.code == 1
    assert message in result.error_line
    missing = cli("sql", "SELECT 1", "--db", str(tmp_path / "none.sqlite"))
    assert missing.code == 1
    assert "tiime sync --db" in missing.error_line


def test_a_database_that_cannot_be_opened_is_one_line(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    nowhere = cli("sync", "--db", str(tmp_path / "no" / "such" / "dir.sqlite"))
    assert nowhere.code == 1
    assert "unable to open database file" in nowhere.error_line
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database, but mine\n" * 100, encoding="utf-8")
    garbage = cli("sync", "--db", str(text))
    assert garbage.code == 1
    assert "not a database" in garbage.error_line
    assert text.read_text(encoding="utf-8") == "not a database, but mine\n" * 100


def test_sync_to_a_dlt_destination(
    logged_in: Sandbox,
    cli: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import duckdb

    monkeypatch.chdir(tmp_path)  # duckdb's file: <pipeline>.duckdb in the current directory
    monkeypatch.setenv("DLT_DATA_DIR", str(tmp_path / "dlt"))  # the pipeline's state
    first = cli("sync", "--to", "duckdb", "--dataset", "books")
    assert first.code == 0, first.err
    assert first.json["rows_loaded"]["invoices"] > 0
    again = cli("sync", "--to", "duckdb", "--dataset", "books")
    assert again.code == 0, again.err
    assert set(again.json["rows_loaded"].values()) == {0}  # nothing changed: nothing sent
    with duckdb.connect(str(tmp_path / "tiime.duckdb"), read_only=True) as conn:
        loaded = conn.execute("SELECT count(*) FROM books.invoices").fetchone()
    assert loaded == (first.json["rows_loaded"]["invoices"],)


def test_sync_files_counted_in_the_summary_and_stderr_clean_when_piped(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    db = tmp_path / "books.sqlite"
    first = cli("sync", "--db", str(db), "--files")
    assert first.code == 0, first.err
    assert first.err == ""  # not a terminal: no progress
    files = first.json["files"]
    assert files["fetched"] == first.json["tables"]["documents"]["added"] > 0
    stored = [p for p in (tmp_path / "books.sqlite.files").rglob("*") if p.is_file()]
    assert files["written"] == len(stored)
    again = cli("sync", "--db", str(db), "--files", "--format", "csv")
    assert again.code == 0, again.err
    assert again.err == ""
    assert "files,0,0,0" in again.out.splitlines()


def test_contacts_per_sync_option(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    from tiime.cli.commands import sync as command
    from tiime.sync import CONTACTS_PER_SYNC

    assert command.CONTACTS_PER_SYNC == CONTACTS_PER_SYNC  # the help's default is the SDK's
    db = str(tmp_path / "books.sqlite")
    wrong = cli("sync", "--db", db, "--contacts-per-sync", "-1")
    assert wrong.code == 2
    assert "a whole number, 0 or more" in wrong.err
    assert cli("sync", "--db", db, "--contacts-per-sync", "0").code == 0
    with sqlite3.connect(db) as conn:  # the first sync read them all, none since
        (clients,) = conn.execute("SELECT count(*) FROM clients").fetchone()
        assert conn.execute("SELECT count(*) FROM contacts_read").fetchone() == (clients,)
    assert cli("sync", "--db", db, "--contacts-per-sync", "0").code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT max(run) FROM contacts_read").fetchone() == (1,)
    assert cli("sync", "--db", db, "--contacts-per-sync", "5").code == 0
    with sqlite3.connect(db) as conn:
        runs = dict(conn.execute("SELECT run, count(*) FROM contacts_read GROUP BY run"))
    assert runs == {1: clients - 5, 2: 5}


def test_files_are_not_for_a_dlt_destination(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = cli("sync", "--to", "duckdb", "--files")
    assert result.code == 2
    assert "--files stores the files beside the SQLite file" in result.error_line


def test_a_progress_bar_per_resource_on_a_terminal(served: Sandbox, tmp_path: Path) -> None:
    """stderr on a pseudo-terminal: a bar per resource, with its count; stdout still the
    summary."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [*tiime_command(), "sync", "--db", str(tmp_path / "books.sqlite"), "--files"],
        env={**env_of(served), "TERM": "xterm", "COLUMNS": "120"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.stdout is not None
    out = process.stdout.read()
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8"))
    company = served.company_id
    for resource, count in (("invoices", 600), ("transactions", 3000), ("files", 600)):
        assert f"{company} {resource}" in text
        assert f"{count}/{count}" in text
    assert "━" in text  # drawn as a bar
    assert json.loads(out)["tables"]["invoices"]["added"] == 600
