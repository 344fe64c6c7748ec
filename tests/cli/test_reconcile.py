"""``tiime reconcile`` on the embedded sandbox: the pairs previewed, applied, reviewed in a
file and applied from it, and the month-end gap lists with their totals."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import Result

Cli = Callable[..., Result]


def ok(cli: Cli, *args: str) -> Any:
    result = cli("--sandbox", *args, "--format", "json")
    assert result.code == 0, result.err
    return result.json


def test_preview_sends_nothing_and_explains_each_pair(cli: Cli) -> None:
    result = cli("--sandbox", "reconcile", "--format", "json")
    assert result.code == 0, result.err
    pairs = result.json
    assert {p["kind"] for p in pairs} == {"invoice", "document"}
    assert len(pairs) == 120  # the year's invoices paid into the bank, and receipts
    assert all(p["score"] >= 80 for p in pairs)
    for pair in pairs:  # 6 part payments: what their invoice still owes shown
        assert pair["reasons"].startswith("part payment " if pair["partial"] else "amount ")
        assert (pair["remaining"] is None) == (pair["kind"] == "document")
    assert len([p for p in pairs if p["partial"]]) == 6
    assert "Preview: 120 pairs, nothing sent" in result.err
    [one] = [p for p in pairs if p["kind"] == "document"][:1]
    assert ok(cli, "bank", "matchings", str(one["transaction_id"])) == []
    fewer = ok(cli, "reconcile", "--from", "2026-03-01", "--to", "2026-03-31")
    assert all("2026-03-01" <= p["transaction_date"] <= "2026-03-31" for p in fewer)
    assert len(fewer) < len(pairs)
    bad = cli("--sandbox", "reconcile", "--min-score", "0")
    assert bad.code == 2


def test_a_reviewed_csv_is_applied_from_the_file(cli: Cli, tmp_path: Path) -> None:
    table = cli("--sandbox", "reconcile", "--format", "csv")
    assert table.code == 0, table.err
    rows = list(csv.DictReader(io.StringIO(table.out)))
    kept = [row for row in rows if row["kind"] == "document"][:2]
    reviewed = tmp_path / "pairs.csv"
    with reviewed.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)

    applied = ok(cli, "reconcile", "--from-file", str(reviewed), "--apply", "--yes")

    assert [(a["transaction_id"], a["status"]) for a in applied] == [
        (int(row["transaction_id"]), "applied") for row in kept
    ]
    for row in kept:
        matched = ok(cli, "bank", "matchings", row["transaction_id"])
        assert [m["document"]["id"] for m in matched] == [int(row["target_id"])]
    again = ok(cli, "reconcile", "--from-file", str(reviewed), "--apply", "--yes")
    assert [a["status"] for a in again] == ["already", "already"]
    preview = ok(cli, "reconcile", "--from-file", str(reviewed))
    assert len(preview) == 2


def test_a_bad_file_is_one_usage_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "pairs.json"
    bad.write_text(json.dumps([{"transaction_id": 1, "kind": "receipt", "target_id": 2}]))
    result = cli("--sandbox", "reconcile", "--from-file", str(bad), "--apply", "--yes")
    assert result.code == 2
    assert "kind must be invoice or document" in result.error_line


def test_apply_then_the_gap_lists_with_totals(cli: Cli) -> None:
    before = ok(cli, "reconcile", "--gaps")
    applied = ok(cli, "reconcile", "--apply", "--yes")
    assert {a["status"] for a in applied} <= {"applied", "already", "partial"}
    assert "partial" in {a["status"] for a in applied}
    part_paid = {a["target_id"] for a in applied if a["status"] == "partial"}
    assert all("left unpaid" in a["note"] for a in applied if a["status"] == "partial")
    after = ok(cli, "reconcile", "--gaps")
    for gaps in (before, after):
        items = [g for g in gaps if not g["kind"].startswith("total ")]
        totals = {g["kind"]: g for g in gaps if g["kind"].startswith("total ")}
        assert set(totals) == {
            "total payment_without_invoice",
            "total invoice_without_payment",
            "total card_expense_without_receipt",
        }
        for name, total in totals.items():
            mine = [g for g in items if g["kind"] == name.removeprefix("total ")]
            assert total["id"] == len(mine)
            assert round(sum(g["amount"] for g in mine), 2) == round(total["amount"], 2)
        # A part-paid invoice is listed with what it still owes, less than its total.
        owing = {g["id"]: g for g in items if g["kind"] == "invoice_without_payment"}
        assert part_paid <= set(owing)
        assert all(0 < owing[i]["remaining"] < owing[i]["amount"] for i in part_paid)
    # A proposed pair is no gap before it is applied, nor after (then it is matched).
    receipts = [g for g in after if g["kind"] == "card_expense_without_receipt"]
    assert receipts == [g for g in before if g["kind"] == "card_expense_without_receipt"]
    matched = {a["transaction_id"] for a in applied if a["kind"] == "document"}
    assert matched
    assert not matched & {g["id"] for g in receipts}
    rerun = ok(cli, "reconcile", "--apply", "--yes")
    assert rerun
    assert {a["status"] for a in rerun} == {"already", "partial"}
    table = cli("--sandbox", "reconcile", "--gaps", "--format", "table")
    assert table.code == 0, table.err
    assert "card_expense_without_receipt" in table.out
