"""Fixtures of the dashboard tests: a sandbox serving pages of at most 25 items (so that
every figure is counted over many pages, where the reference counts one), the demo user
with a second company, and the SDK's own full listings to check the figures against."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tiime import TiimeClient
from tiime.sandbox import Sandbox

from . import _expected as X

PAGE_CAP = 25
TODAY = date(2026, 12, 2)  # the date the app tests give the dashboard (days late)
SECOND_COMPANY = "Seconde Boutique SARL"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No TIIME_* variable from the developer's shell; config and sandbox under tmp_path;
    English, whatever the machine's locale (the French tests ask for French)."""
    for name in list(os.environ):
        if name.startswith("TIIME_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TIIME_LANG", "en")
    monkeypatch.setenv("TIIME_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TIIME_SANDBOX_DB", str(tmp_path / "sandbox.db"))


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(max_page_size=PAGE_CAP) as sb:
        yield sb


@pytest.fixture(scope="session")
def second_company(sandbox: Sandbox) -> int:
    """A second company of the demo user, smaller, with its own data."""
    return sandbox.add_company(
        sandbox.email,
        SECOND_COMPANY,
        clients=5,
        sizes={"invoices": 30, "bank_accounts": 1, "bank_transactions": 80, "quotations": 6},
    )


@pytest.fixture(scope="session")
def sdk(sandbox: Sandbox, second_company: int) -> Iterator[TiimeClient]:
    """The SDK, logged in as the demo user (the second company exists from the start)."""
    with TiimeClient(
        base_url=sandbox.base_url,
        auth_url=sandbox.auth_url,
        email=sandbox.email,
        password=sandbox.password,
        company_id=sandbox.company_id,
    ) as client:
        yield client


@pytest.fixture(scope="session")
def demo_listings(sdk: TiimeClient) -> dict[str, Any]:
    """Every item of the demo company's listings, through the SDK (listed once)."""
    return X.listings(sdk)


@pytest.fixture(scope="session")
def expected_overview(demo_listings: dict[str, Any]) -> dict[str, Any]:
    return X.overview(demo_listings, TODAY)


@pytest.fixture(scope="session")
def expected_review(demo_listings: dict[str, Any]) -> dict[str, Any]:
    return X.review(demo_listings["invoices"], demo_listings["transactions"])


@pytest.fixture(scope="session")
def expected_second_overview(sdk: TiimeClient, second_company: int) -> dict[str, Any]:
    return X.overview(X.listings(sdk.with_options(company_id=second_company)), TODAY)
