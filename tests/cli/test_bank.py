"""``tiime bank``, ``tiime audit`` and ``tiime status`` on the embedded sandbox."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from tiime import ServerError
from tiime.sandbox import SECOND_COMPANY_ID, Sandbox
from tiime.sandbox.resources import companies
from tiime.sandbox.seeding import seed_company

from .conftest import Isolation, Result

Cli = Callable[..., Result]


def sb(cli: Cli, *args: str) -> Result:
    return cli("--sandbox", *args)


def as_json(cli: Cli, *args: str) -> Any:
    result = sb(cli, *args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def unimputed_count(cli: Cli) -> int:
    return len(as_json(cli, "bank", "unimputed"))


@pytest.fixture
def second_company(isolated: Isolation) -> int:
    """A second company of the demo user, "Boutique du Port", with its own bank."""
    with Sandbox(db_path=isolated.sandbox_db) as sandbox:
        db = sandbox.db
        user = db.scalar("SELECT id FROM users WHERE email = ?", (sandbox.email,))
        company_id = companies.create_company(db, "Boutique du Port", siren="732829320")
        companies.add_membership(db, user, company_id)
        seed_company(db, company_id, {"bank_accounts": 1, "bank_transactions": 40})
    return company_id


def test_balance_and_accounts(cli: Cli) -> None:
    balances = as_json(cli, "bank", "balance")
    enabled = as_json(cli, "bank", "accounts")
    disabled = as_json(cli, "bank", "accounts", "--no-enabled")
    every = as_json(cli, "bank", "accounts", "--all")

    assert [b["name"] for b in balances] == [a["name"] for a in enabled]
    assert [b["balance_amount"] for b in balances] == [a["balance_amount"] for a in enabled]
    assert all(a["enabled"] for a in enabled)
    assert [a["enabled"] for a in disabled] == [False]
    assert len(every) == len(enabled) + len(disabled)


def test_transactions_filters_and_one_page(cli: Cli) -> None:
    found = as_json(cli, "bank", "transactions", "--search", "sncf", "--from", "2026-01-01")
    page = as_json(cli, "bank", "transactions", "--page", "2", "--page-size", "3")
    every = as_json(cli, "bank", "transactions")

    assert found
    assert all("SNCF" in t["wording"] and t["transaction_date"] >= "2026-01-01" for t in found)
    assert set(page) == {"metadata", "transactions"}
    assert [t["id"] for t in page["transactions"]] == [t["id"] for t in every[3:6]]
    assert len(every) == 600


def test_a_bad_date_is_a_usage_error(cli: Cli) -> None:
    result = sb(cli, "bank", "transactions", "--from", "01/02/2026")

    assert result.code == 2
    assert result.error_line.startswith("tiime: error: --from: not a date (YYYY-MM-DD)")


def test_impute_dry_run_sends_nothing_then_impute(cli: Cli) -> None:
    proposal = as_json(cli, "bank", "auto-impute", "--limit", "1")
    target = next(row for row in proposal if row["status"] == "proposed")
    before = unimputed_count(cli)
    tx, label = str(target["transaction_id"]), str(target["suggested_label_id"])

    dry = as_json(cli, "bank", "impute", tx, "--label-id", label, "--dry-run")
    assert unimputed_count(cli) == before
    imputed = as_json(cli, "bank", "impute", "--id", tx, "--label-id", label)

    assert dry == {
        "dry_run": True,
        "transaction_id": target["transaction_id"],
        "wording": target["wording"],
        "amount": target["amount"],
        "currency": "EUR",
        "label_id": target["suggested_label_id"],
        "label_name": target["suggested_label_name"],
    }
    assert imputed["imputations"][0]["label"]["id"] == target["suggested_label_id"]
    assert imputed["imputations"][0]["amount"] == target["amount"]
    assert unimputed_count(cli) == before - 1


def test_impute_to_an_unknown_label_is_refused_before_sending(cli: Cli) -> None:
    tx = str(as_json(cli, "bank", "unimputed", "--limit", "1")[0]["id"])
    before = unimputed_count(cli)

    result = sb(cli, "bank", "impute", tx, "--label-id", "999999")

    assert result.code == 1
    assert "label 999999 is neither suggested" in result.error_line
    assert unimputed_count(cli) == before


def test_impute_to_a_label_not_suggested(cli: Cli) -> None:
    """The interest of savings has no suggestion; "Virement interne" is a standard label."""
    tx = as_json(cli, "bank", "transactions", "--search", "interets crediteurs", "--limit", "1")[0]
    standard = 24  # "Virement interne", the last standard label

    dry = as_json(cli, "bank", "impute", str(tx["id"]), "--label-id", str(standard), "--dry-run")
    imputed = as_json(cli, "bank", "impute", str(tx["id"]), "--label-id", str(standard))

    assert dry["label_name"] == "Virement interne"
    assert imputed["imputations"][0]["label"]["name"] == "Virement interne"


@pytest.mark.parametrize("mode", [(), ("--dry-run",)])
def test_auto_impute_previews_by_default(cli: Cli, mode: tuple[str, ...]) -> None:
    before = unimputed_count(cli)

    rows = as_json(cli, "bank", "auto-impute", *mode)

    assert len(rows) == before
    assert {row["status"] for row in rows} == {"proposed", "skipped"}
    skipped = [row for row in rows if row["status"] == "skipped"]
    assert all(row["suggested_label_id"] is None for row in skipped)
    assert unimputed_count(cli) == before


def test_auto_impute_apply_with_a_limit(cli: Cli) -> None:
    before = unimputed_count(cli)

    rows = as_json(cli, "bank", "auto-impute", "--apply", "--yes", "--limit", "2")

    assert [row["status"] for row in rows].count("applied") == 2
    assert unimputed_count(cli) == before - 2


def test_auto_impute_apply_and_dry_run_together_is_a_usage_error(cli: Cli) -> None:
    assert sb(cli, "bank", "auto-impute", "--apply", "--dry-run").code == 2


def test_auto_impute_goes_on_after_a_failure(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from tiime.cli import _bookkeeping

    real, calls = _bookkeeping.impute_to, []

    def failing_once(client: Any, transaction: Any, suggestion: Any) -> Any:
        calls.append(transaction.id)
        if len(calls) == 1:
            raise ServerError("scripted failure", status=503, method="PATCH", endpoint="x")
        return real(client, transaction, suggestion)

    monkeypatch.setattr(_bookkeeping, "impute_to", failing_once)
    result = sb(cli, "bank", "auto-impute", "--apply", "--yes", "--limit", "3", "--format", "json")

    rows = json.loads(result.out)
    assert result.code == 1
    assert [row["status"] for row in rows if row["status"] != "skipped"] == [
        "error",
        "applied",
        "applied",
    ]
    assert "scripted failure" in next(row["error"] for row in rows if row["status"] == "error")


def test_companies_by_name_any_case_and_all(cli: Cli, second_company: int) -> None:
    by_name = as_json(cli, "bank", "auto-impute", "--company", "boutique du PORT")
    both = as_json(cli, "bank", "auto-impute", "--company", f"12345, {second_company}")
    every = as_json(cli, "bank", "auto-impute", "--all-companies")
    unknown = sb(cli, "bank", "auto-impute", "--company", "Nulle Part")

    assert {row["company_id"] for row in by_name} == {second_company}
    assert {row["company_name"] for row in by_name} == {"Boutique du Port"}
    assert {row["company_id"] for row in both} == {12345, second_company}
    # Every company: the demo user's own second one (Martin Formations) too.
    assert {row["company_id"] for row in every} == {12345, SECOND_COMPANY_ID, second_company}
    assert [row for row in every if row["company_id"] != SECOND_COMPANY_ID] == both
    assert unknown.code == 2
    assert "Nulle Part" in unknown.error_line


def test_a_company_out_of_reach_is_reported_and_the_rest_goes_on(cli: Cli) -> None:
    result = sb(cli, "bank", "auto-impute", "--company", "999999,12345", "--format", "json")

    rows = json.loads(result.out)
    assert result.code == 1
    assert "company 999999" in result.err
    assert rows
    assert {row["company_id"] for row in rows} == {12345}


def test_audit_reports_and_applies(cli: Cli) -> None:
    report = as_json(cli, "audit")
    (company,) = report["companies"]
    summary = company["summary"]

    assert report["apply_mode"] is False
    assert company["error"] is None
    assert (
        summary["total_unimputed"] == len(company["unimputed_transactions"]) == unimputed_count(cli)
    )
    with_suggestion = [f for f in company["unimputed_transactions"] if f["suggested_label_id"]]
    assert summary["with_suggestions"] == len(with_suggestion)
    assert summary["total_missing_documents"] == len(company["missing_documents"]) > 0
    missing = sum(abs(m["amount"]) for m in company["missing_documents"])
    assert summary["total_missing_documents_amount"] == pytest.approx(missing)
    assert all(
        company["period_start"] <= m["transaction_date"] <= company["period_end"]
        for m in company["missing_documents"]
    )

    applied = as_json(cli, "audit", "--apply", "--yes")["companies"][0]
    assert applied["summary"]["applied_count"] == summary["with_suggestions"]
    assert unimputed_count(cli) == summary["without_suggestions"]


def test_audit_csv_and_table(cli: Cli) -> None:
    csv = sb(cli, "audit", "--format", "csv")
    table = sb(cli, "audit", "--format", "table")

    assert csv.code == 0
    header, first = csv.out.splitlines()[:2]
    assert header.startswith("company_id,company_name,kind,transaction_id")
    assert ",unimputed," in first
    assert table.code == 0
    assert "To impute" in table.out
    assert "Without receipt" in table.out


def test_audit_reports_a_failing_company_and_goes_on(
    cli: Cli, second_company: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiime.cli import _audit

    real = _audit.audit_company

    def refuse_second(client: Any, company: Any, **options: Any) -> Any:
        if company.id == second_company:
            raise ServerError("scripted failure", status=500, method="GET", endpoint="x")
        return real(client, company, **options)

    monkeypatch.setattr(_audit, "audit_company", refuse_second)
    result = sb(cli, "audit", "--all-companies", "--format", "json")

    report = json.loads(result.out)
    assert result.code == 1
    by_id = {c["company_id"]: c for c in report["companies"]}
    assert "scripted failure" in by_id[second_company]["error"]
    assert by_id[second_company]["unimputed_transactions"] == []
    assert by_id[12345]["error"] is None
    assert by_id[12345]["unimputed_transactions"]


def test_status_counts_everything(cli: Cli, isolated: Isolation) -> None:
    status = as_json(cli, "status")
    with Sandbox(db_path=isolated.sandbox_db) as sandbox:

        def count(sql: str) -> int:
            return int(sandbox.db.scalar(sql + " AND company_id = 12345"))

        drafts = count("SELECT COUNT(*) FROM invoices WHERE status = 'draft'")
        unpaid = count("SELECT COUNT(*) FROM invoices WHERE status = 'sent'")
        pending = count(
            "SELECT COUNT(*) FROM quotations WHERE status NOT IN ('accepted', 'declined')"
        )

    assert status["company_id"] == 12345
    assert [a["name"] for a in status["bank_accounts"]] == [
        a["name"] for a in as_json(cli, "bank", "accounts")
    ]
    assert status["unimputed_transactions"] == unimputed_count(cli)
    assert status["total_clients"] == 36
    assert status["invoices"] == {"drafts": drafts, "unpaid": unpaid}
    assert status["pending_quotations"] == pending


def test_status_on_a_terminal_is_readable(cli: Cli) -> None:
    result = sb(cli, "status", "--format", "table")

    assert result.code == 0
    assert "Bank balances:" in result.out
    assert "Transactions to impute:" in result.out
    assert re.search(r"-?€[\d,]+\.\d\d\n", result.out)  # English money: €1,517.80


def test_status_names_the_company(cli: Cli) -> None:
    name = as_json(cli, "company", "get")["name"]
    assert name
    table = sb(cli, "status", "--format", "table")
    assert table.out.splitlines()[0] == f"Company {name} (12345)"
    figures = as_json(cli, "status")
    assert (figures["company_id"], figures["company_name"]) == (12345, name)


class _Raw:
    def __init__(self, content_range: str | None) -> None:
        self.headers = {} if content_range is None else {"content-range": content_range}


@pytest.mark.parametrize(
    ("content_range", "expected"), [("items 0-0/42", 42), ("items 0-0/*", 7), (None, 7)]
)
def test_status_counts_by_the_total_or_by_every_page(
    content_range: str | None, expected: int
) -> None:
    from tiime.status import count

    listed: list[int] = []

    def every() -> Any:
        listed.append(1)
        return iter(range(7))

    assert count(lambda: _Raw(content_range), every) == expected  # type: ignore[arg-type,return-value]
    assert listed == ([] if expected == 42 else [1])


def test_auto_impute_says_why_it_skips(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from tiime.resources.bank_transactions import BankTransactions, _BankTransactionsCalls
    from tiime.types import Imputation

    real = vars(_BankTransactionsCalls)["unimputed"]

    def one_imputed_since(self: Any, **options: Any) -> Any:  # imputed by someone meanwhile
        found = real.__get__(self, type(self))(**options)
        return [msgspec.structs.replace(found[0], imputations=[Imputation(id=1)]), *found[1:]]

    monkeypatch.setattr(BankTransactions, "unimputed", one_imputed_since)
    rows = as_json(cli, "bank", "auto-impute", "--apply", "--yes")

    reasons = {row["reason"] for row in rows if row["status"] == "skipped"}
    assert reasons == {"already imputed", "no label suggested"}
    assert rows[0]["status"] == "skipped"
    assert rows[0]["reason"] == "already imputed"
    assert all(row["reason"] is None for row in rows if row["status"] != "skipped")


def test_every_table_has_distinct_headings() -> None:
    import importlib
    import pkgutil

    from tiime.cli import commands
    from tiime.cli._table import heading

    tables = {
        f"{info.name}.{name}": value
        for info in pkgutil.iter_modules(commands.__path__)
        for name, value in vars(importlib.import_module(f"{commands.__name__}.{info.name}")).items()
        if name.endswith("COLUMNS") and isinstance(value, tuple)
    }
    assert "bank.AUTO_COLUMNS" in tables
    for name, columns in tables.items():
        headings = [heading(column) for column in columns]
        assert len(set(headings)) == len(headings), (name, headings)
