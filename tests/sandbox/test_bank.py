"""The sandbox's bank: accounts, transactions (filters, sorts, Range, metadata),
imputations, suggestions and matchings, spoken to with plain httpx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox

from .conftest import password_grant

V2 = "application/vnd.tiime.bank_transactions.v2+json"


def login(sb: Sandbox, http: httpx.Client) -> dict[str, str]:
    token = http.post(sb.auth_url, json=password_grant(sb)).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A sandbox of this module's own, whose transactions the tests impute."""
    with Sandbox(db_path=tmp_path_factory.mktemp("bank") / "sandbox.db") as sb:
        yield sb


@pytest.fixture(scope="module")
def base(own: Sandbox) -> str:
    return f"{own.base_url}/companies/{own.company_id}"


@pytest.fixture(scope="module")
def headers(own: Sandbox, http: httpx.Client) -> dict[str, str]:
    return login(own, http)


def transactions(http: httpx.Client, base: str, headers: dict[str, str], **query: Any) -> Any:
    response = http.get(f"{base}/bank_transactions", params=query, headers=headers)
    assert response.status_code in (200, 206), response.text
    return response


def test_the_seed_is_a_year_of_transactions_in_three_accounts(
    http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    accounts = http.get(f"{base}/bank_accounts", headers=headers).json()
    body = transactions(http, base, headers).json()

    assert len(accounts) == 3
    assert [a["enabled"] for a in accounts] == [True, True, False]
    assert len(body["transactions"]) == 600
    kinds = {t["operation_type"] for t in body["transactions"]}
    assert {"card", "direct_debit", "transfer", "bank_fees"} <= kinds
    dates = sorted(t["transaction_date"] for t in body["transactions"])
    assert dates[0] >= "2025-11-01"
    assert dates[-1] <= "2026-10-31"
    for account in accounts:
        own = [
            round(t["amount"] * 100)
            for t in body["transactions"]
            if t["bank_account"]["id"] == account["id"] and t["status"] != "refused"
        ]
        assert round(account["balance_amount"] * 100) == sum(own)


def test_the_seed_is_deterministic(own: Sandbox, tmp_path: Path, http: httpx.Client) -> None:
    with Sandbox(db_path=tmp_path / "again.db") as again:
        first = own.db.all("SELECT wording, amount_cents, transaction_date FROM bank_transactions")
        second = again.db.all(
            "SELECT wording, amount_cents, transaction_date FROM bank_transactions"
        )
    assert first == second


def test_a_page_holds_the_metadata_of_every_matching_transaction(
    http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    everything = transactions(http, base, headers, amount_type="negative").json()
    response = http.get(
        f"{base}/bank_transactions",
        params={"amount_type": "negative"},
        headers={**headers, "Range": "items=10-19", "Accept": V2},
    )

    assert response.status_code == 206
    assert response.headers["content-type"].startswith(V2)
    total = len(everything["transactions"])
    assert response.headers["content-range"] == f"items 10-19/{total}"
    page = response.json()
    assert page["transactions"] == everything["transactions"][10:20]
    cents = sum(round(t["amount"] * 100) for t in everything["transactions"])
    assert round(page["metadata"]["total_amount"] * 100) == cents


@pytest.mark.parametrize(
    "query",
    [
        {"sorts": "wording:asc"},
        {"sorts": "amount:sideways"},
        {"amount_type": "zero"},
        {"transaction_date_start": "2026-13-01"},
        {"hide_refused": "maybe"},
        {"bank_account": "abc"},
    ],
)
def test_bad_filters_are_400(
    http: httpx.Client, base: str, headers: dict[str, str], query: dict[str, str]
) -> None:
    response = http.get(f"{base}/bank_transactions", params=query, headers=headers)
    assert response.status_code == 400


def test_sorts_and_wording(http: httpx.Client, base: str, headers: dict[str, str]) -> None:
    by_amount = transactions(http, base, headers, sorts="amount:asc").json()["transactions"]
    found = transactions(http, base, headers, wording="sncf").json()["transactions"]

    amounts = [t["amount"] for t in by_amount]
    assert amounts == sorted(amounts)
    assert found
    assert all("SNCF" in t["wording"] for t in found)


def test_imputing_shrinks_unimputed_and_survives_a_restart(
    tmp_path: Path, http: httpx.Client
) -> None:
    db_path = tmp_path / "sandbox.db"
    with Sandbox(db_path=db_path) as first:
        headers = login(first, http)
        base = f"{first.base_url}/companies/{first.company_id}/bank_transactions"
        before = http.get(f"{base}/unimputed", headers=headers).json()
        target = next(
            t
            for t in before
            if http.get(f"{base}/{t['id']}/label_suggestions", headers=headers).json()
        )
        suggestion = http.get(f"{base}/{target['id']}/label_suggestions", headers=headers).json()[0]
        body = {"imputations": [{"label": {"id": suggestion["id"]}, "amount": target["amount"]}]}
        imputed = http.patch(f"{base}/{target['id']}", json=body, headers=headers)
        assert imputed.status_code == 200
        assert imputed.json()["imputations"][0]["label"]["name"] == suggestion["name"]

    with Sandbox(db_path=db_path) as second:
        base = f"{second.base_url}/companies/{second.company_id}/bank_transactions"
        after = http.get(f"{base}/unimputed", headers=headers).json()
        again = http.get(f"{base}/{target['id']}", headers=headers).json()
    assert len(after) == len(before) - 1
    assert target["id"] not in {t["id"] for t in after}
    assert again["imputations"] == imputed.json()["imputations"]


def test_suggestions_learn_from_past_imputations(
    http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    """Imputing one ``INTERETS CREDITEURS`` (no keyword finds it) makes the next suggest
    the same label first."""
    interest = transactions(http, base, headers, wording="interets crediteurs").json()
    first, second = interest["transactions"][:2]
    url = f"{base}/bank_transactions"
    assert http.get(f"{url}/{second['id']}/label_suggestions", headers=headers).json() == []

    body = {"imputations": [{"label": {"id": 24}, "amount": first["amount"]}]}
    assert http.patch(f"{url}/{first['id']}", json=body, headers=headers).status_code == 200

    suggested = http.get(f"{url}/{second['id']}/label_suggestions", headers=headers).json()
    assert [s["id"] for s in suggested] == [24]
    assert set(suggested[0]) == {"id", "label", "name", "acronym", "color", "client"}


@pytest.mark.parametrize(
    ("imputations", "field"),
    [
        ([{"label": {"id": 4}, "amount": 1.0}], "imputations"),
        ([{"label": {"id": 999999}, "amount": 0}], "imputations[0].label.id"),
        ([{"label": {"id": 4}, "amount": "x"}], "imputations[0].amount"),
        ([{"amount": 1}], "imputations[0].label"),
        ([], "imputations"),
    ],
)
def test_bad_imputations_are_422(
    http: httpx.Client, base: str, headers: dict[str, str], imputations: Any, field: str
) -> None:
    target = http.get(f"{base}/bank_transactions/unimputed", headers=headers).json()[0]
    response = http.patch(
        f"{base}/bank_transactions/{target['id']}",
        json={"imputations": imputations},
        headers=headers,
    )
    assert response.status_code == 422
    assert field in response.text
    unchanged = http.get(f"{base}/bank_transactions/{target['id']}", headers=headers).json()
    assert unchanged["imputations"] == []


def test_matchings_are_the_set_last_put(
    own: Sandbox, http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    tx = transactions(http, base, headers, operation_type="card").json()["transactions"][0]
    docs = [
        row["id"]
        for row in own.db.all(
            "SELECT id FROM documents WHERE company_id = ? ORDER BY id LIMIT 3", (own.company_id,)
        )
    ]
    url = f"{base}/bank_transactions/{tx['id']}"

    put = http.put(
        f"{url}/document_matchings", json={"documents": [{"id": d} for d in docs]}, headers=headers
    )
    again = http.put(
        f"{url}/document_matchings", json={"documents": [{"id": docs[0]}]}, headers=headers
    )
    listed = http.get(f"{url}/matchings", headers=headers).json()

    assert put.status_code == 200
    assert [m["document"]["id"] for m in put.json()] == docs
    assert [m["document"]["id"] for m in again.json()] == [docs[0]]
    assert listed == {"matchings": again.json()}
    assert http.get(url, headers=headers).json()["count_documents"] == 1


def test_another_company_s_transaction_is_404(
    own: Sandbox, http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    other = own.add_user(
        "autre@tiime.test",
        "another-password",
        "Autre Société",
        sizes={"bank_accounts": 1, "bank_transactions": 5},
    )
    foreign = own.db.scalar("SELECT id FROM bank_transactions WHERE company_id = ?", (other,))

    response = http.get(f"{base}/bank_transactions/{foreign}", headers=headers)

    assert response.status_code == 404
    assert "Transaction bancaire introuvable" in response.text


def test_an_imputation_cites_only_the_company_s_documents(
    own: Sandbox, http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    other = own.add_user(
        "voisin@tiime.test", "mot-de-passe-voisin", "Voisin SARL", sizes={"documents": 2}
    )
    foreign = own.db.scalar("SELECT id FROM documents WHERE company_id = ?", (other,))
    mine = own.db.scalar("SELECT id FROM documents WHERE company_id = ?", (own.company_id,))
    target = http.get(f"{base}/bank_transactions/unimputed", headers=headers).json()[0]
    url = f"{base}/bank_transactions/{target['id']}"

    def impute(document_id: int) -> httpx.Response:
        imputation = {
            "label": {"id": 4},
            "amount": target["amount"],
            "documents": [{"id": document_id}],
        }
        return http.patch(url, json={"imputations": [imputation]}, headers=headers)

    refused = impute(foreign)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == {
        "imputations[0].documents": f"Document introuvable : {foreign}."
    }
    assert http.get(url, headers=headers).json()["imputations"] == []
    accepted = impute(mine)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["imputations"][0]["count_documents"] == 1
