"""Tables a person reads at 80 columns: short headings, whole ids, numbers, dates and
amounts, money aligned with two decimals, negatives visible, a totals row."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

from tiime.cli._output import Output
from tiime.cli._table import money
from tiime.cli.commands import bank, invoices
from tiime.types import BankTransaction, Invoice

from .conftest import Result

Cli = Callable[..., Result]


def _invoice(i: int, name: str = "Cidrerie de Normandie et des Pays de la Loire") -> Invoice:
    return Invoice(
        id=500000 + i,
        compiled_number=f"F-2026-{i:04d}",
        client_name=name,
        emission_date=dt.date(2026, 12, 1),
        due_date=dt.date(2026, 12, 31),
        status="sent",
        total_excluding_taxes=Decimal("1264.83"),
        total_including_taxes=Decimal("1517.80"),
    )


def _table(items: list[object], kind: type, columns: tuple[str, ...], **options: object) -> str:
    out = io.StringIO()
    totals = options.pop("totals", ())
    Output("table", out=out, width=80, colour=False, **options).many(  # type: ignore[arg-type]
        items, kind=kind, columns=columns, totals=totals
    )
    return out.getvalue()


def test_invoices_at_80_columns_keep_ids_numbers_dates_and_amounts_whole() -> None:
    text = _table([_invoice(i) for i in range(1, 4)], Invoice, invoices.COLUMNS)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), text
    assert lines[0].split()[:4] == ["id", "number", "date", "total"]
    assert "F-2026-0001  2026-12-01  1,517.80" in lines[2]
    assert "500001" in lines[2]
    assert "Cidrerie de" in lines[2]  # the long name is what got shortened
    assert "…" in lines[2]


def test_columns_are_left_out_from_the_end_before_any_amount_is_cut() -> None:
    text = _table([_invoice(1)], Invoice, (*invoices.COLUMNS, "color", "title", "template"))
    header = text.splitlines()[0]
    assert len(header) <= 80
    assert "total" in header
    assert "template" not in header


def test_money_has_two_decimals_thousands_and_its_sign() -> None:
    assert money(Decimal("1517.8")) == "1,517.80"
    assert money(Decimal("-62.5")) == "-62.50"
    assert money(Decimal("0")) == "0.00"


def test_transactions_right_aligned_with_a_totals_row() -> None:
    rows = [
        BankTransaction(
            id=1, wording="CB", amount=Decimal("-62.5"), transaction_date=dt.date(2026, 11, 2)
        ),
        BankTransaction(
            id=2, wording="VIR", amount=Decimal("1517.8"), transaction_date=dt.date(2026, 11, 3)
        ),
    ]
    text = _table(rows, BankTransaction, bank.TRANSACTION_COLUMNS, totals=bank.TRANSACTION_TOTALS)
    lines = text.splitlines()
    amount_end = lines[0].index("amount") + len("amount")
    assert lines[2][:amount_end].endswith("-62.50")
    assert lines[3][:amount_end].endswith("1,517.80")
    assert lines[5].split()[:2] == ["total", "1,455.30"]
    assert lines[5][:amount_end].endswith("1,455.30")
    assert lines[-1] == "2 rows"


def test_a_negative_amount_is_red_on_a_colour_terminal_only() -> None:
    rows = [BankTransaction(id=1, amount=Decimal("-62.5"))]
    out = io.StringIO()
    Output("table", out=out, width=80, colour=True).many(
        rows, kind=BankTransaction, columns=("id", "amount")
    )
    assert "\x1b[31m-62.50\x1b[0m" in out.getvalue()
    assert "\x1b" not in _table(rows, BankTransaction, ("id", "amount"))


def test_invoices_list_ends_with_its_totals(cli: Cli) -> None:
    listed = cli("--sandbox", "invoices", "list", "--limit", "4", "--format", "json").json
    table = cli("--sandbox", "invoices", "list", "--limit", "4", "--format", "table").out
    total = sum(Decimal(str(invoice["total_including_taxes"])) for invoice in listed)
    assert table.splitlines()[-2].split()[:2] == ["total", money(total)]
