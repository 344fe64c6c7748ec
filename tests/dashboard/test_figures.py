"""The dashboard's figures (RESOURCES.md §4) on hand-built data: every rule, ties, edges."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tiime.dashboard import figures as F
from tiime.dashboard.app import encode
from tiime.types import (
    Bank,
    BankAccount,
    BankTransaction,
    Company,
    Imputation,
    ImputationLabel,
    Invoice,
    Quotation,
)

TODAY = date(2026, 12, 2)
D = Decimal


def invoice(
    id: int,
    ttc: str | None,
    *,
    ht: str | None = None,
    status: str = "paid",
    client: str | None = "Client A",
    emitted: str | None = "2025-03-10",
    due: str | None = None,
    number: str | None = None,
) -> Invoice:
    return Invoice(
        id=id,
        status=status,
        client_name=client,
        compiled_number=number or f"F-{id}",
        total_including_taxes=None if ttc is None else D(ttc),
        total_excluding_taxes=None if ht is None else D(ht),
        emission_date=None if emitted is None else date.fromisoformat(emitted),
        due_date=None if due is None else date.fromisoformat(due),
    )


def tx(
    id: int,
    amount: str | None,
    when: str | None = "2025-03-05",
    *,
    realized: str | None = None,
    wording: str | None = "VIR CLIENT",
    original: str | None = None,
    label: str | None = None,
) -> BankTransaction:
    imputations = (
        None
        if label is None
        else [Imputation(id=id, label=ImputationLabel(id=1, name=label or None))]
    )
    return BankTransaction(
        id=id,
        amount=None if amount is None else D(amount),
        transaction_date=None if when is None else date.fromisoformat(when),
        realization_date=None if realized is None else date.fromisoformat(realized),
        wording=wording,
        original_wording=original,
        imputations=imputations,
    )


def as_json(value: Any) -> Any:
    return json.loads(encode(value))


# -- the cleaned wording ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wording", "original", "expected"),
    [
        ("PRLV SEPA EDF", None, "sepa edf"),
        ("  CARTE 12/03 AMAZON  ", None, "12/03 amazon"),
        ("Vir Loyer Mars", None, "loyer mars"),
        ("CHQ 0012345", None, "0012345"),
        ("RET DAB PARIS 15", None, "paris 15"),
        ("VIR PRLV ORANGE", None, "prlv orange"),  # one prefix only
        ("CARTEX BOUTIQUE", None, "cartex boutique"),  # a prefix is a whole word
        ("PRLV", None, "prlv"),  # no space after it: not a prefix
        (None, "  PRLV  SEPA  ", "sepa"),  # original_wording when no wording
        ("", "CARTE TOTAL", "total"),
        (None, None, "other"),
        ("   ", None, ""),
    ],
)
def test_cleaned_wording(wording: str | None, original: str | None, expected: str) -> None:
    assert F.clean_wording(tx(1, "-1", wording=wording, original=original)) == expected


def test_an_expense_is_named_by_its_first_label_else_its_cleaned_wording() -> None:
    assert F.expense_name(tx(1, "-5", wording="PRLV EDF", label="Énergie")) == "Énergie"
    assert F.expense_name(tx(1, "-5", wording="PRLV EDF", label="")) == "edf"
    assert F.expense_name(tx(1, "-5", wording="PRLV EDF")) == "edf"


# -- the overview ----------------------------------------------------------------------------


def make_overview(**given: Any) -> F.Overview:
    options: dict[str, Any] = {
        "accounts": [],
        "invoices": [],
        "transactions": [],
        "quotations": [],
        "unimputed_count": 0,
        "clients_count": 0,
        "today": TODAY,
        **given,
    }
    return F.overview(7, **options)


def test_overview_of_nothing_is_zeros() -> None:
    data = as_json(make_overview())
    assert data == {
        "company_id": 7,
        "treasury": {"total_balance": 0, "accounts": []},
        "invoices": {"drafts": 0, "unpaid_count": 0, "unpaid_total": 0, "unpaid": []},
        "quotations": {"pending_count": 0, "pending_total": 0},
        "bank": {"unimputed_count": 0},
        "clients": {"total": 0},
        "global": {
            "total_invoices": 0,
            "total_revenue_ttc": 0,
            "total_revenue_ht": 0,
            "total_transactions": 0,
            "total_inflows": 0,
            "total_outflows": 0,
            "net_cashflow": 0,
            "monthly": [],
            "monthly_revenue": [],
        },
    }


def test_treasury_sums_the_balances_exactly_and_keeps_the_servers_order() -> None:
    accounts = [
        BankAccount(id=2, name="B", bank=Bank(id=9, name="SG"), balance_amount=D("0.1")),
        BankAccount(id=1, name="A", short_bank_name="LBP", balance_amount=D("0.2")),
        BankAccount(id=3, name="C", balance_amount=None),
    ]
    treasury = make_overview(accounts=accounts).treasury
    assert treasury.total_balance == D("0.3")
    assert [(a.id, a.bank, a.balance) for a in treasury.accounts] == [
        (2, "SG", D("0.1")),
        (1, "LBP", D("0.2")),
        (3, None, None),
    ]
    assert b'"total_balance":0.3' in encode(treasury)


def test_drafts_are_counted_but_never_revenue() -> None:
    invoices = [
        invoice(1, "120.00", ht="100.00", status="draft"),
        invoice(2, "240.00", ht="200.00", status="saved"),
        invoice(3, "0.10", ht="0.10", status="paid"),
        invoice(4, "0.20", ht="0.20", status="sent", due="2026-12-01"),
    ]
    o = make_overview(invoices=invoices)
    assert o.invoices.drafts == 1
    assert o.global_.total_invoices == 4
    assert o.global_.total_revenue_ttc == D("240.30")
    assert o.global_.total_revenue_ht == D("200.30")
    assert [(m.month, m.revenue_ttc) for m in o.global_.monthly_revenue] == [
        ("2025-03", D("240.30"))
    ]


def test_unpaid_invoices_are_the_sent_ones_over_every_item_with_days_late() -> None:
    invoices = [invoice(i, "10.00", status="sent", due="2026-12-02") for i in range(1, 31)]
    invoices += [
        invoice(100, "5.55", status="sent", due="2026-11-22"),  # 10 days late
        invoice(101, "1.00", status="sent", due=None),  # no due date: not late
        invoice(102, "99.00", status="paid", due="2020-01-01"),
        invoice(103, "99.00", status="saved", due="2020-01-01"),
    ]
    figures = make_overview(invoices=invoices).invoices
    assert figures.unpaid_count == 32  # more than one page of 25: all counted
    assert figures.unpaid_total == D("306.55")
    first = figures.unpaid[0]
    assert (first.id, first.days_late, first.amount) == (100, 10, D("5.55"))
    assert {u.days_late for u in figures.unpaid[1:]} == {0}
    assert {u.id for u in figures.unpaid} == {*range(1, 31), 100, 101}


def test_pending_quotations_are_those_neither_accepted_nor_declined() -> None:
    quotations = [
        Quotation(id=1, status="draft", amount_including_taxes=D("100.10")),
        Quotation(id=2, status="saved", amount_including_taxes=D("0.20")),
        Quotation(id=3, status="accepted", amount_including_taxes=D("1000")),
        Quotation(id=4, status="declined", amount_including_taxes=D("1000")),
        Quotation(id=5, status="saved", total_including_taxes=D("3")),  # the other field name
        Quotation(id=6, status=None),
    ]
    figures = make_overview(quotations=quotations).quotations
    assert (figures.pending_count, figures.pending_total) == (4, D("103.30"))


def test_overview_flows_split_by_sign_outflows_negative() -> None:
    transactions = [
        tx(1, "100.10", "2026-01-15"),
        tx(2, "-0.10", "2026-01-20"),
        tx(3, "-0.20", None, realized="2026-02-01"),  # realization_date when no date
        tx(4, "50", None),  # no date: in the totals, in no month
        tx(5, None, "2026-03-01"),  # no amount: counted, nothing summed
    ]
    g = make_overview(transactions=transactions).global_
    assert g.total_transactions == 5
    assert (g.total_inflows, g.total_outflows, g.net_cashflow) == (
        D("150.10"),
        D("-0.30"),
        D("149.80"),
    )
    assert [(m.month, m.inflows, m.outflows) for m in g.monthly] == [
        ("2026-01", D("100.10"), D("0.10")),
        ("2026-02", D("0"), D("0.20")),
    ]


def test_overview_monthly_is_the_last_twelve_months_that_have_transactions() -> None:
    # 2024-01 .. 2025-12 with a gap: months without transactions are left out, not zeros.
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13) if m not in (5, 6)]
    transactions = [tx(i, "1", f"{month}-10") for i, month in enumerate(reversed(months))]
    monthly = make_overview(transactions=transactions).global_.monthly
    assert [m.month for m in monthly] == months[-12:]
    assert "2025-05" not in [m.month for m in monthly]


def test_no_outflows_gives_zero_outflows() -> None:
    g = make_overview(transactions=[tx(1, "10", "2026-01-01")]).global_
    assert (g.total_outflows, g.net_cashflow) == (0, D("10"))
    assert g.monthly[0].outflows == 0


# -- the yearly review -----------------------------------------------------------------------


def company(**fields: Any) -> Company:
    return Company(id=fields.pop("id", 7), name=fields.pop("name", "Atelier"), **fields)


def make_review(invoices: list[Invoice], transactions: list[BankTransaction]) -> F.Review:
    return F.review([company()], invoices=invoices, transactions=transactions, today=TODAY)


def test_review_of_nothing() -> None:
    data = as_json(make_review([], []))
    assert data["available_years"] == []
    assert data["years"] == {}
    stats = data["all_time"]
    assert stats["biggest_invoice"] is None
    assert stats["best_month"] is None
    assert stats["worst_month"] is None
    assert stats["avg_invoice"] == 0
    assert stats["inflow_outflow_ratio"] == 0
    assert stats["top_clients"] == []
    assert stats["top_expenses"] == []
    assert stats["monthly"] == []


def test_review_excludes_drafts_and_splits_years_by_date() -> None:
    invoices = [
        invoice(1, "100", ht="80", emitted="2024-05-01"),
        invoice(2, "50", ht="40", emitted="2025-01-01", status="sent"),
        invoice(3, "999", ht="999", emitted="2025-02-01", status="draft"),
        invoice(4, "7", ht="7", emitted=None),  # no date: all time only
    ]
    transactions = [tx(1, "10", "2023-06-30"), tx(2, "-3", None)]
    review = make_review(invoices, transactions)
    assert review.available_years == [2025, 2024, 2023]
    assert review.all_time.invoices_count == 3
    assert review.all_time.revenue_ttc == D("157")
    assert review.years["2025"].invoices_count == 1
    assert review.years["2025"].revenue_ht == D("40")
    assert review.years["2023"].invoices_count == 0
    assert review.years["2023"].transactions_count == 1
    assert review.all_time.transactions_count == 2


def test_average_is_rounded_to_the_cent_half_up() -> None:
    invoices = [invoice(1, "0.01"), invoice(2, "0.02")]  # 0.015 -> 0.02
    assert make_review(invoices, []).all_time.avg_invoice == D("0.02")
    thirds = [invoice(i, "10") for i in range(3)] + [invoice(9, "0")]
    assert make_review(thirds, []).all_time.avg_invoice == D("7.50")


def test_biggest_invoice_keeps_the_first_on_ties() -> None:
    invoices = [
        invoice(1, "10", client="A", number="F-1"),
        invoice(2, "30", client="B", number="F-2", emitted="2025-04-01"),
        invoice(3, "30", client="C", number="F-3"),
        invoice(4, None, client="D"),
    ]
    big = make_review(invoices, []).all_time.biggest_invoice
    assert big is not None
    assert (big.amount, big.client_name, big.number, big.date) == (
        D("30"),
        "B",
        "F-2",
        date(2025, 4, 1),
    )


def test_top_clients_top_five_descending_ties_in_order_met() -> None:
    invoices = [
        invoice(1, "10", client="E"),
        invoice(2, "20", client="A"),
        invoice(3, "20", client="B"),
        invoice(4, "5", client=None),
        invoice(5, "5", client=""),
        invoice(6, "20", client="C"),
        invoice(7, "1", client="F"),
        invoice(8, "1", client="G"),
    ]
    top = make_review(invoices, []).all_time.top_clients
    assert [(n.name, n.amount) for n in top] == [
        ("A", D("20")),
        ("B", D("20")),
        ("C", D("20")),
        ("E", D("10")),
        ("No client", D("10")),
    ]


def test_top_expenses_by_label_else_wording_absolute_amounts() -> None:
    transactions = [
        tx(1, "-10.10", wording="PRLV SEPA EDF"),
        tx(2, "-0.90", wording="prlv sepa edf"),
        tx(3, "-5", wording="CARTE X", label="Repas"),
        tx(4, "-6", wording="CARTE Y", label="Repas"),
        tx(5, "500", wording="VIR CLIENT"),  # an inflow is no expense
        tx(6, "-1", wording=None),
    ]
    top = make_review([], transactions).all_time.top_expenses
    assert [(n.name, n.amount) for n in top] == [
        ("sepa edf", D("11.00")),  # a tie: the name met first comes first
        ("Repas", D("11")),
        ("other", D("1")),
    ]


def test_best_and_worst_months_earliest_on_ties_empty_months_are_not_months() -> None:
    transactions = [
        tx(1, "100", "2025-01-10"),
        tx(2, "-40", "2025-01-11"),  # net 60
        tx(3, "60", "2025-03-01"),  # net 60, a tie: January stays best
        tx(4, "-10", "2025-04-01"),  # net -10
        tx(5, "-10", "2025-06-01"),  # net -10, a tie: April stays worst
        # February and May have no transaction: no month, not a "worst" of 0
    ]
    stats = make_review([], transactions).all_time
    assert [m.month for m in stats.monthly] == ["2025-01", "2025-03", "2025-04", "2025-06"]
    assert stats.best_month is not None
    assert stats.worst_month is not None
    assert (stats.best_month.month, stats.best_month.net) == ("2025-01", D("60"))
    assert (stats.best_month.inflows, stats.best_month.outflows) == (D("100"), D("40"))
    assert (stats.worst_month.month, stats.worst_month.net) == ("2025-04", D("-10"))


def test_totals_and_ratio_outflows_positive() -> None:
    stats = make_review([], [tx(1, "10", "2025-01-01"), tx(2, "-3", "2025-01-02")]).all_time
    assert (stats.total_inflows, stats.total_outflows) == (D("10"), D("3"))
    assert stats.inflow_outflow_ratio == D("3.3333")
    assert make_review([], [tx(1, "10")]).all_time.inflow_outflow_ratio == -1  # no outflows
    assert make_review([], [tx(1, "-10")]).all_time.inflow_outflow_ratio == 0
    assert make_review([], []).all_time.inflow_outflow_ratio == 0


def test_years_active_and_the_start_date() -> None:
    assert F.years_active(None, TODAY) == 1
    assert F.years_active(date(2026, 12, 2), TODAY) == 1
    assert F.years_active(date(2030, 1, 1), TODAY) == 1  # a start in the future
    assert F.years_active(date(2025, 12, 2), TODAY) == 1  # 365 days < 365.25
    assert F.years_active(date(2025, 12, 1), TODAY) == 2
    info = F.company_info(
        [company(activity_start_date=date(2020, 1, 1), registration_date=date(2019, 1, 1))],
        TODAY,
        merged=False,
    )
    assert (info.name, info.registration_date, info.years_active) == (
        "Atelier",
        date(2020, 1, 1),
        7,
    )
    merged = F.company_info(
        [company(registration_date=date(2022, 5, 1)), company(id=8), company(id=9)],
        TODAY,
        merged=True,
    )
    assert (merged.name, merged.registration_date) == ("All companies", date(2022, 5, 1))


def test_merging_companies_is_counting_their_items_one_after_the_other() -> None:
    first = (
        [invoice(1, "30", client="A"), invoice(2, "10", client="B", emitted="2024-01-01")],
        [tx(1, "5", "2025-01-01"), tx(2, "-2", wording="PRLV X")],
    )
    second = (
        [invoice(3, "30", client="C"), invoice(4, "25", client="B")],
        [tx(3, "-1", "2025-01-01", wording="PRLV Y"), tx(4, "-2", "2024-02-01", wording="PRLV X")],
    )
    tallies = []
    for invoices, transactions in (first, second):
        tally = F.ReviewTally()
        for item in invoices:
            tally.add_invoice(item)
        for item in transactions:
            tally.add_transaction(item)
        tallies.append(tally)
    merged = F.ReviewTally()
    for tally in tallies:
        merged.merge(tally)
    info = F.CompanyInfo(name="x", registration_date=None, years_active=1)
    together = F.ReviewTally()
    for item in first[0] + second[0]:
        together.add_invoice(item)
    for transaction in first[1] + second[1]:
        together.add_transaction(transaction)
    assert encode(merged.review(info)) == encode(together.review(info))
    top = merged.review(info).all_time
    assert top.biggest_invoice is not None
    assert top.biggest_invoice.client_name == "A"
