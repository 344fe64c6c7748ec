"""Two sandbox servers on one database file: each write decided on what the other wrote,
and a reset refused while another one serves the file."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox, SandboxError, open_database, seeding
from tiime.sandbox.kernel.http import run_unsuspended
from tiime.sandbox.seeding import seed_database

SAVES = 60  # concurrent saves of one draft, spread over the two servers
DRAFT = {
    "emission_date": "2030-06-01",
    "lines": [
        {"description": "Dev", "quantity": 1, "unit_amount": 100, "vat_type": {"code": "normal"}}
    ],
}


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Sandbox, Sandbox]]:
    """Two servers, each with its own connection, on one database file."""
    db_path = tmp_path / "shared.db"
    with Sandbox(db_path, seed="empty") as first, Sandbox(db_path) as second:
        yield first, second


def _race(calls: list[Any]) -> list[httpx.Response]:
    """Run the calls at once (each in its thread, released together); their answers."""
    answers: list[httpx.Response | None] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(position: int) -> None:
        barrier.wait(timeout=30)
        answers[position] = calls[position]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answer is not None for answer in answers)
    return [answer for answer in answers if answer is not None]


def test_a_draft_saved_through_both_servers_at_once_is_numbered_once(
    pair: tuple[Sandbox, Sandbox],
) -> None:
    first, second = pair
    headers = {"Authorization": f"Bearer {first.issue_token()}"}
    path = f"/companies/{first.company_id}/invoices"
    draft = {**DRAFT, "client_name": "Client Pressé"}
    with httpx.Client(timeout=60) as http:
        created = http.post(first.base_url + path, headers=headers, json=draft)
        assert created.status_code == 201
        one = f"{path}/{created.json()['id']}"
        calls = [
            (lambda sb=sb: http.put(sb.base_url + one, headers=headers, json={"status": "saved"}))
            for n in range(SAVES)
            for sb in [(first, second)[n % 2]]
        ]
        answers = _race(calls)

    assert {answer.status_code for answer in answers} == {200}
    told = {answer.json()["compiled_number"] for answer in answers}
    with sqlite3.connect(first.db_path) as conn:
        stored = conn.execute(
            "SELECT number, number_year FROM invoices WHERE id = ?", (created.json()["id"],)
        ).fetchone()
        last = conn.execute("SELECT last FROM document_numbers WHERE kind = 'invoice'").fetchall()
    conn.close()
    # One numbering: every caller was told the number the database holds, none was burnt.
    assert told == {f"F-{stored[1]}-{stored[0]:04d}"}
    assert last == [(1,)]


def test_a_draft_deleted_and_saved_at_once_is_one_or_the_other(
    pair: tuple[Sandbox, Sandbox],
) -> None:
    first, second = pair
    headers = {"Authorization": f"Bearer {first.issue_token()}"}
    path = f"/companies/{first.company_id}/invoices"
    with httpx.Client(timeout=60) as http:
        ids = []
        for _ in range(10):
            created = http.post(
                first.base_url + path,
                headers=headers,
                json={**DRAFT, "client_name": "C"},
            )
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
        calls: list[Any] = []
        for invoice_id in ids:
            one = f"{path}/{invoice_id}"
            calls.append(lambda one=one: http.delete(second.base_url + one, headers=headers))
            calls.append(
                lambda one=one: http.put(
                    first.base_url + one, headers=headers, json={"status": "saved"}
                )
            )
        answers = _race(calls)

    with sqlite3.connect(first.db_path) as conn:
        numbered = conn.execute("SELECT COUNT(*) FROM invoices WHERE number IS NOT NULL").fetchone()
        last = conn.execute("SELECT MAX(last) FROM document_numbers").fetchone()
    conn.close()
    saves = [answer for answer in answers if answer.request.method == "PUT"]
    deletes = [answer for answer in answers if answer.request.method == "DELETE"]
    # Each draft was either deleted (204, and its save 404) or saved (200, its delete 409).
    assert sum(answer.status_code == 200 for answer in saves) == numbered[0]
    assert sum(answer.status_code == 204 for answer in deletes) == len(ids) - numbered[0]
    assert {a.status_code for a in saves} <= {200, 404}
    assert {a.status_code for a in deletes} <= {204, 409}
    # No number was taken for a draft that was deleted.
    assert (last[0] or 0) == numbered[0]


def test_two_processes_seeding_one_new_database_seed_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "new.db"
    first, second = open_database(db_path), open_database(db_path)
    outcome: list[object] = []

    def seed_second() -> None:
        try:
            outcome.append(seed_database(second, "empty"))
        except BaseException as exc:  # reported below
            outcome.append(exc)

    real = seeding.create_account
    other = threading.Thread(target=seed_second)

    def create_account_meanwhile(*args: Any, **kwargs: Any) -> int:
        if not other.is_alive() and not outcome:
            # The second process seeds while the first is about to: it must wait for it.
            other.start()
            other.join(timeout=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(seeding, "create_account", create_account_meanwhile)
    try:
        assert seed_database(first, "empty") is True
        other.join(timeout=60)
        assert outcome == [False]
        assert first.scalar("SELECT COUNT(*) FROM users") == 1
    finally:
        first.close()
        second.close()


def test_a_write_handler_that_awaits_inside_its_transaction_is_refused() -> None:
    async def handler() -> int:
        await asyncio.sleep(0)
        return 1

    async def quick() -> int:
        return 2

    with pytest.raises(RuntimeError, match="awaited inside its write transaction"):
        run_unsuspended(handler())
    assert run_unsuspended(quick()) == 2


def test_a_reset_is_refused_while_another_sandbox_serves_the_database(
    tmp_path: Path, http: httpx.Client
) -> None:
    db_path = tmp_path / "served.db"
    with Sandbox(db_path, clients=1) as serving:
        headers = {"Authorization": f"Bearer {serving.issue_token()}"}
        url = f"{serving.base_url}/companies/{serving.company_id}/clients"
        created = http.post(url, headers=headers, json={"name": "Avant la remise à zéro"})
        assert created.status_code == 201

        with pytest.raises(SandboxError, match="another sandbox process is using it") as caught:
            Sandbox(db_path, reset=True).start()
        assert "\n" not in str(caught.value)
        for command in (["tiime.sandbox"], ["tiime", "sandbox"]):
            options = ["--db", str(db_path), "--reset", "--port", _free_port()]
            refused = subprocess.run(
                [sys.executable, "-m", *command, *options],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert refused.returncode == 1
            assert refused.stderr.count("\n") == 1
            assert "another sandbox process is using it" in refused.stderr

        # The serving one goes on with its data, and its writes land in the file.
        assert http.get(f"{url}/{created.json()['id']}", headers=headers).status_code == 200
        later = http.post(url, headers=headers, json={"name": "Après"})
        assert later.status_code == 201
    with sqlite3.connect(db_path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM clients")}
    conn.close()
    assert {"Avant la remise à zéro", "Après"} <= names

    # Once nobody serves it, the reset goes through.
    with Sandbox(db_path, reset=True, seed="empty") as reset:
        assert reset.db.scalar("SELECT COUNT(*) FROM clients") == 0


def _free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])
