"""The companies of the seed profiles: the demo user's two, the accounting firm's forty."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tiime.sandbox import (
    DEMO_COMPANY_ID,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    FIRM_COMPANIES,
    SECOND_COMPANY_ID,
    Database,
    Sandbox,
    open_database,
)
from tiime.sandbox.seeding import create_account, profile_sizes, seed_database

# What a company needs to be tried with `company use`, `--company` and `--all-companies`.
RESOURCES = ("clients", "invoices", "bank_transactions", "bank_accounts", "quotations")


def counts(db: Database, company_id: int) -> dict[str, int]:
    return {
        table: int(db.scalar(f"SELECT COUNT(*) FROM {table} WHERE company_id = ?", (company_id,)))
        for table in RESOURCES
    }


def ids(db: Database, company_id: int) -> dict[str, list[int]]:
    return {
        table: [
            row["id"]
            for row in db.all(
                f"SELECT id FROM {table} WHERE company_id = ? ORDER BY id",
                (company_id,),
            )
        ]
        for table in (*RESOURCES, "documents", "labels", "expense_reports")
    }


@pytest.fixture(scope="module")
def firm(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = open_database(tmp_path_factory.mktemp("firm") / "firm.db")
    seed_database(db, "firm")
    return db


def test_the_demo_user_has_a_second_small_company(demo: Sandbox, http: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {demo.issue_token()}"}
    companies = http.get(f"{demo.base_url}/companies", headers=headers).json()

    # (other tests may give the demo user more companies after these two)
    assert [company["id"] for company in companies][:2] == [DEMO_COMPANY_ID, SECOND_COMPANY_ID]
    assert companies[1]["name"] == "Martin Formations"
    assert companies[1]["siret"] != companies[0]["siret"]
    second = counts(demo.db, SECOND_COMPANY_ID)
    assert all(second.values()), second  # something of each
    assert second["clients"] < 10
    assert second["invoices"] < 20
    clients = http.get(
        f"{demo.base_url}/companies/{SECOND_COMPANY_ID}/clients", headers=headers
    ).json()
    assert len(clients) == second["clients"]


def test_the_demo_company_is_the_same_with_or_without_the_second(tmp_path: Path) -> None:
    # The demo company alone, seeded as before there was a second one.
    with open_database(tmp_path / "alone.db") as alone:
        create_account(
            alone,
            DEMO_EMAIL,
            DEMO_PASSWORD,
            "Atelier Martin Conseil",
            company_id=DEMO_COMPANY_ID,
            sizes=profile_sizes("demo"),
        )
        expected = ids(alone, DEMO_COMPANY_ID)
    with open_database(tmp_path / "demo.db") as db:
        seed_database(db, "demo")
        assert SECOND_COMPANY_ID in [row["id"] for row in db.all("SELECT id FROM companies")]
        assert ids(db, DEMO_COMPANY_ID) == expected
    assert len(expected["clients"]) == 36
    assert len(expected["invoices"]) == 120


def test_the_firm_has_forty_small_companies_with_distinct_names(firm: Database) -> None:
    rows = firm.all(
        "SELECT c.id, c.name FROM companies c JOIN memberships m ON m.company_id = c.id "
        "JOIN users u ON u.id = m.user_id WHERE u.email = 'demo@tiime.test' ORDER BY c.id"
    )

    assert len(rows) == FIRM_COMPANIES == 40
    assert rows[0]["id"] == DEMO_COMPANY_ID
    assert len({row["name"].casefold() for row in rows}) == 40
    for row in rows:
        found = counts(firm, row["id"])
        assert all(found.values()), (row["name"], found)
        assert found["clients"] < 10, (row["name"], found)


def test_the_firm_profile_from_python(tmp_path: Path, http: httpx.Client) -> None:
    with Sandbox(db_path=tmp_path / "firm.db", seed="firm") as sb:
        headers = {"Authorization": f"Bearer {sb.issue_token()}", "Range": "items=0-99"}
        companies = http.get(f"{sb.base_url}/companies", headers=headers).json()
        last = companies[-1]["id"]
        invoices = http.get(f"{sb.base_url}/companies/{last}/invoices", headers=headers).json()

    assert sb.company_id == DEMO_COMPANY_ID
    assert len(companies) == 40
    assert invoices


def test_the_empty_profile_has_one_empty_company(tmp_path: Path) -> None:
    with open_database(tmp_path / "empty.db") as db:
        seed_database(db, "empty")
        assert [row["id"] for row in db.all("SELECT id FROM companies")] == [DEMO_COMPANY_ID]
        assert not any(counts(db, DEMO_COMPANY_ID).values())


def test_an_unknown_profile_names_the_three(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="demo, empty, firm"):
        profile_sizes("cabinet")
