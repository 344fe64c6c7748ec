"""Data lives in the SQLite file: it survives a restart, and temporary ones go away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from tiime.sandbox import DEMO_PASSWORD, Sandbox, Store
from tiime.sandbox.seed import seed_if_new

from .conftest import CLIENT_ID, password_grant


def test_created_client_survives_a_restart(tmp_path: Path, http: httpx.Client) -> None:
    db_path = tmp_path / "sandbox.db"
    with Sandbox(db_path=db_path, clients=5) as first:
        login = http.post(
            first.auth_url, json=password_grant(first, scope="openid email offline_access")
        ).json()
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        url = f"{first.base_url}/companies/{first.company_id}/clients"
        created = http.post(url, headers=headers, json={"name": "Client Durable"}).json()
    assert db_path.exists()

    with Sandbox(db_path=db_path, clients=50) as second:
        url = f"{second.base_url}/companies/{second.company_id}/clients"
        # The token issued before the restart is still valid: the key is in the database.
        response = http.get(f"{url}/{created['id']}", headers=headers)
        assert response.status_code == 200
        assert response.json() == created
        # The seed is not run again (clients=50 is ignored for an existing database).
        assert len(http.get(url, headers=headers).json()) == 6
        refreshed = http.post(
            second.auth_url,
            json={
                "grant_type": "refresh_token",
                "client_id": CLIENT_ID,
                "refresh_token": login["refresh_token"],
            },
        )
        assert refreshed.status_code == 200
    assert second.db_path == db_path


def test_database_is_sqlite_in_wal_mode(tmp_path: Path) -> None:
    db_path = tmp_path / "wal.db"
    with Store(db_path) as store:
        seed_if_new(store, clients=1)

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM clients").fetchone()[0] == 1
    conn.close()


def test_temporary_database_is_deleted_on_exit() -> None:
    with Sandbox(clients=0) as sb:
        db_path = sb.db_path
        assert db_path.exists()

    assert not db_path.exists()
    assert not db_path.parent.exists()


def test_password_is_not_stored_in_clear(tmp_path: Path) -> None:
    db_path = tmp_path / "hash.db"
    with Store(db_path) as store:
        seed_if_new(store, clients=0)

    assert DEMO_PASSWORD.encode() not in db_path.read_bytes()
