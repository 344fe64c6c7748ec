"""``tiime invoices overdue`` and ``tiime invoices remind`` on the embedded sandbox, and the
reminders' ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tiime.reconcile import ReminderLedger

from .conftest import Isolation, Result

Cli = Callable[..., Result]


def ok(cli: Cli, *args: str) -> Any:
    result = cli("--sandbox", *args, "--format", "json")
    assert result.code == 0, result.err
    return result.json


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def test_overdue_lists_the_unpaid_past_due_with_totals_per_client(cli: Cli) -> None:
    every = ok(cli, "invoices", "list")
    expected = {
        i["id"]
        for i in every
        if i["status"] in ("saved", "sent") and i["due_date"] < today().isoformat()
    }
    rows = ok(cli, "invoices", "overdue")
    invoices = [r for r in rows if r["id"] is not None]
    totals = [r for r in rows if r["id"] is None]

    assert expected
    assert {r["id"] for r in invoices} == expected
    for row in invoices:
        assert row["days_late"] == (today() - date.fromisoformat(row["due_date"])).days > 0
    for total in totals:
        mine = [r for r in invoices if r["client_name"] == total["client_name"]]
        assert total["compiled_number"] == f"TOTAL ({len(mine)})"
        assert round(total["amount"], 2) == round(sum(r["amount"] for r in mine), 2)
    assert sum(
        len([r for r in invoices if r["client_name"] == t["client_name"]]) for t in totals
    ) == len(invoices)
    everywhere = ok(cli, "invoices", "overdue", "--all-companies")
    assert {r["id"] for r in everywhere if r["id"]} >= expected


def test_remind_previews_then_sends_once_a_day(cli: Cli, isolated: Isolation) -> None:
    rows = ok(cli, "invoices", "overdue")
    with_email = [r for r in rows if r["id"] is not None]
    target = with_email[0]
    preview = ok(cli, "invoices", "remind", str(target["id"]))
    [reminder] = preview
    number, due = target["compiled_number"], date.fromisoformat(target["due_date"])
    if reminder["email"] is None:  # the client has no e-mail: said, nothing to send
        assert reminder["status"] == "no e-mail on file"
        return
    assert reminder["status"] == "preview"
    assert reminder["subject"] == f"Relance : facture {number} échue le {due:%d/%m/%Y}"
    assert f"la facture {number} d'un montant de" in reminder["message"]
    assert f"({target['days_late']} jours de retard)" in reminder["message"]
    assert cli("sandbox", "outbox", "--format", "json").json == []

    sent = ok(cli, "invoices", "remind", str(target["id"]), "--apply", "--yes")
    assert sent[0]["status"] == "sent"
    again = ok(cli, "invoices", "remind", str(target["id"]), "--apply", "--yes")
    assert again[0]["status"] == "already reminded today"
    [message] = cli("sandbox", "outbox", "--format", "json").json
    assert message["subject"] == reminder["subject"]
    assert message["recipients"] == [reminder["email"]]
    ledger = isolated.config_dir / "reminders.json"
    assert ledger.stat().st_mode & 0o077 == 0


def test_remind_overdue_sends_one_per_invoice_and_a_paid_one_is_refused(cli: Cli) -> None:
    sent = ok(cli, "invoices", "remind", "--overdue", "--apply", "--yes")
    statuses = {r["status"] for r in sent}
    assert statuses <= {"sent", "no e-mail on file"}
    outbox = cli("sandbox", "outbox", "--format", "json").json
    assert len(outbox) == len([r for r in sent if r["status"] == "sent"])
    rerun = ok(cli, "invoices", "remind", "--overdue", "--apply", "--yes")
    assert {r["status"] for r in rerun} <= {"already reminded today", "no e-mail on file"}
    assert len(cli("sandbox", "outbox", "--format", "json").json) == len(outbox)
    paid = next(i for i in ok(cli, "invoices", "list", "--status", "paid"))
    refused = cli("--sandbox", "invoices", "remind", str(paid["id"]))
    assert refused.code == 2
    assert "is not overdue" in refused.error_line


def test_the_ledger_claims_once_a_day_and_releases_a_refused_one(tmp_path: Path) -> None:
    ledger = ReminderLedger(tmp_path / "config" / "reminders.json")
    key = ReminderLedger.key("http://x/v1", 1, 42)
    day = date(2026, 3, 2)
    assert ledger.claim(key, day)
    assert not ledger.claim(key, day)  # pending: the outcome may be lost, not twice
    ledger.settle(key, day, sent=False)
    assert ledger.claim(key, day)
    ledger.settle(key, day, sent=True)
    assert not ledger.claim(key, day)
    assert ledger.claim(key, date(2026, 3, 3))
    assert ledger.sent_on(key) == "2026-03-03"
    # A local sandbox listens on a new port each time: the same invoice, the same entry.
    assert ReminderLedger.key("http://127.0.0.1:4001/v1", 1, 42) == ReminderLedger.key(
        "http://127.0.0.1:5002/v1", 1, 42
    )
    assert ReminderLedger.key("https://a.tiime.fr/v1", 1, 42) != key
