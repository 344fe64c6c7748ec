"""Data lives in the SQLite file: it survives a restart, and temporary ones go away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from tiime.sandbox import DEMO_PASSWORD, Sandbox, open_database
from tiime.sandbox.seeding import seed_database

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

    with Sandbox(db_path=db_path) as second:
        url = f"{second.base_url}/companies/{second.company_id}/clients"
        # The token issued before the restart is still valid: the key is in the database.
        response = http.get(f"{url}/{created['id']}", headers=headers)
        assert response.status_code == 200
        assert response.json() == created
        # The seed is not run again: an existing database keeps its data as it is.
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
    with open_database(db_path) as db:
        seed_database(db, "empty", sizes={"clients": 1})

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
    with open_database(db_path) as db:
        seed_database(db, "empty")

    assert DEMO_PASSWORD.encode() not in db_path.read_bytes()


def test_clients_on_an_existing_database_tops_it_up(tmp_path: Path, http: httpx.Client) -> None:
    db_path = tmp_path / "topped.db"
    with Sandbox(db_path=db_path, clients=3) as first:
        headers = {"Authorization": f"Bearer {first.issue_token()}"}
        url = f"{first.base_url}/companies/{first.company_id}/clients"
        created = http.post(url, headers=headers, json={"name": "Client Durable"}).json()

    with Sandbox(db_path=db_path, clients=10) as second:
        listed = http.get(url.replace(first.url, second.url), headers=headers).json()
    with Sandbox(tmp_path / "fresh.db", clients=10) as fresh:
        fresh_headers = {"Authorization": f"Bearer {fresh.issue_token()}"}
        url = f"{fresh.base_url}/companies/{fresh.company_id}/clients"
        seeded_at_once = http.get(url, headers=fresh_headers).json()

    names = [client["name"] for client in listed]
    fresh_names = [client["name"] for client in seeded_at_once]
    assert len(names) == 10
    assert listed[3]["id"] == created["id"]
    # The added clients are those a fresh seed of 10 has at the same positions.
    assert names[:3] + names[4:] == fresh_names[:3] + fresh_names[4:]


def test_reset_recreates_the_database_from_the_seed(tmp_path: Path, http: httpx.Client) -> None:
    db_path = tmp_path / "reset.db"
    with Sandbox(db_path=db_path, clients=2) as first:
        headers = {"Authorization": f"Bearer {first.issue_token()}"}
        url = f"{first.base_url}/companies/{first.company_id}/clients"
        http.post(url, headers=headers, json={"name": "Client Éphémère"})

    with Sandbox(db_path=db_path, clients=2, reset=True) as second:
        # The signing secret is new too: the old token is refused.
        url = f"{second.base_url}/companies/{second.company_id}/clients"
        assert http.get(url, headers=headers).status_code == 401
        headers = {"Authorization": f"Bearer {second.issue_token()}"}
        names = [client["name"] for client in http.get(url, headers=headers).json()]

    assert len(names) == 2
    assert "Client Éphémère" not in names
