"""The sandbox's calls of the public Ruby client ``opus-codium/ruby-tiime``: a receipt
attached to a transaction (document and matching in one write transaction), one document
read and its metadata changed. On a sandbox of their own: the demo one's documents stay
those of the seed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox

from .conftest import password_grant

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 20


def login(sb: Sandbox, http: httpx.Client) -> dict[str, str]:
    token = http.post(sb.auth_url, json=password_grant(sb)).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def own() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def own_auth(own: Sandbox, http: httpx.Client) -> dict[str, str]:
    return login(own, http)


def a_transaction(sb: Sandbox) -> int:
    return int(
        sb.db.scalar("SELECT MIN(id) FROM bank_transactions WHERE company_id = ?", (sb.company_id,))
    )


def counts(sb: Sandbox) -> tuple[int, int]:
    return (
        int(sb.db.scalar("SELECT COUNT(*) FROM documents")),
        int(sb.db.scalar("SELECT COUNT(*) FROM bank_document_matchings")),
    )


def post_receipt(
    sb: Sandbox, http: httpx.Client, auth: dict[str, str], transaction: int, **fields: Any
) -> httpx.Response:
    files: list[Any] = [("file", ("ticket.pdf", PDF, "application/octet-stream"))]
    files += [(key, (None, value)) for key, value in fields.items()]
    url = f"{sb.base_url}/companies/{sb.company_id}/bank_transactions/{transaction}/receipts"
    return http.post(url, headers=auth, files=files)


def test_a_receipt_is_a_document_matched_to_its_transaction(
    own: Sandbox, http: httpx.Client, own_auth: dict[str, str]
) -> None:
    transaction = a_transaction(own)
    response = post_receipt(own, http, own_auth, transaction)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["name"] == "ticket.pdf"
    assert made["type"] == "receipt"
    assert response.headers["Location"].endswith(f"/documents/{made['id']}")
    matchings = http.get(
        f"{own.base_url}/companies/{own.company_id}/bank_transactions/{transaction}/matchings",
        headers=own_auth,
    ).json()["matchings"]
    assert made["id"] in [m["document"]["id"] for m in matchings]


def test_a_refused_receipt_makes_nothing(
    own: Sandbox, http: httpx.Client, own_auth: dict[str, str]
) -> None:
    before = counts(own)
    assert post_receipt(own, http, own_auth, 999_999_999).status_code == 404
    assert post_receipt(own, http, own_auth, a_transaction(own), type="inconnu").status_code == 422
    assert counts(own) == before


def test_a_matching_that_fails_takes_its_document_and_file_with_it(
    tmp_path: Path, http: httpx.Client
) -> None:
    with Sandbox(db_path=tmp_path / "sandbox.db") as sb:
        with sb.db.transaction() as conn:  # the matching's insert fails, after the document's
            conn.execute(
                "CREATE TRIGGER no_matching BEFORE INSERT ON bank_document_matchings "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        files = sb.db.path.with_name(sb.db.path.name + ".files")
        kept = set(files.iterdir()) if files.is_dir() else set()
        before = counts(sb)

        response = post_receipt(sb, http, login(sb, http), a_transaction(sb))

        assert response.status_code == 500
        assert counts(sb) == before  # no document without its matching
        assert (set(files.iterdir()) if files.is_dir() else set()) == kept


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"key": "colour", "type": "string", "value": "red"}, "metadata[0]"),
        ({"key": "date", "type": "datetime", "value": "05/01/2026"}, "metadata[0]"),
        (
            {"key": "amount", "type": "amount", "value": {"currency": "USD", "value": 1}},
            "metadata[0]",
        ),
        ({"key": "amount", "type": "amount", "value": {"value": 1.234}}, "metadata[0]"),
        ({"key": "wording", "type": "string", "value": 12}, "metadata[0]"),
    ],
)
def test_bad_metadata_is_refused_and_nothing_changes(
    own: Sandbox, http: httpx.Client, own_auth: dict[str, str], entry: Any, field: str
) -> None:
    url = f"{own.base_url}/companies/{own.company_id}/documents"
    document = http.get(url, headers=own_auth).json()[0]
    response = http.patch(f"{url}/{document['id']}", headers=own_auth, json={"metadata": [entry]})
    assert response.status_code == 422
    assert field in response.text
    assert http.get(f"{url}/{document['id']}", headers=own_auth).json() == document


def test_the_ruby_client_s_date_and_amounts_are_read(
    own: Sandbox, http: httpx.Client, own_auth: dict[str, str]
) -> None:
    url = f"{own.base_url}/companies/{own.company_id}/documents"
    document = http.get(url, headers=own_auth).json()[-1]
    body = {
        "metadata": [
            {"key": "date", "type": "datetime", "value": "Fri Feb 13 2026"},
            {"key": "amount", "type": "amount", "value": {"currency": "EUR", "value": 19.9}},
        ]
    }
    changed = http.patch(f"{url}/{document['id']}", headers=own_auth, json=body)
    assert changed.status_code == 200, changed.text
    assert changed.json()["metadata"]["date"] == "2026-02-13"
    assert changed.json()["metadata"]["amount"] == 19.9
    assert http.get(f"{url}/999999999", headers=own_auth).status_code == 404
