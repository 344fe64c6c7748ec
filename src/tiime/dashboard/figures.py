"""The dashboard's figures: the overview and the yearly review, computed from the SDK's models.

Pure computation, no I/O: each figure is a *tally* fed one item at a time (so that a
listing streamed by the SDK's ``iter()`` is counted over every page in bounded memory),
and :func:`overview` and :func:`review` compute the whole from iterables. Amounts are
:class:`~decimal.Decimal`, summed exactly; only the two quotients (an average invoice, to
the cent, and the inflows/outflows ratio, to four places) are rounded, half up.

Definitions (the reference's, §4 of the resources specification, counted over all pages):

* a transaction's date is its ``transaction_date``, else its ``realization_date``; one
  with neither counts in the totals but in no month and no year;
* an amount > 0 is an inflow, any other an outflow (by its absolute value in months);
* "non-draft" invoices are those whose status is not ``draft``; revenue counts them only;
* a quotation is pending while its status is neither ``accepted`` nor ``declined``;
* ``unpaid`` invoices are those whose status is ``sent``; ``days_late`` is how many days
  today (in France) is past the due date, 0 when not past;
* the overview's ``monthly`` is the last 12 months that have transactions, ascending (a
  month without any is left out, never shown as zero); ``total_outflows`` is negative;
* the review's ``total_outflows`` is positive (the absolute value of the sum); "first on
  ties" means the earliest month, and for invoices and names the first met in the
  listing's order;
* an expense is named by its first imputation's label ``name``, else by its cleaned
  wording (``wording``, else ``original_wording``, else "Other"; trimmed, lower-cased, one
  leading ``carte ``, ``vir ``, ``prlv ``, ``chq `` or ``ret dab `` removed, trimmed).

The names of what has none ("All companies", "No client", "Other") are those of a
:class:`~.texts.Names`, in the dashboard's language (English by default).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .models import (
    Account,
    BankFigures,
    Biggest,
    ClientFigures,
    CompanyInfo,
    GlobalFigures,
    InvoiceFigures,
    Month,
    MonthNet,
    Named,
    Overview,
    QuotationFigures,
    RevenueMonth,
    Review,
    Stats,
    Treasury,
    Unpaid,
)
from .texts import OTHER_EXPENSE, Names

if TYPE_CHECKING:
    from ..types import BankAccount, BankTransaction, Company, Invoice, Quotation

__all__ = [
    "FlowTally",
    "InvoiceTally",
    "QuotationTally",
    "ReviewTally",
    "StatsTally",
    "assemble_overview",
    "clean_wording",
    "company_info",
    "overview",
    "review",
]

ZERO = Decimal(0)
CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")
MONTHS_SHOWN = 12
TOP = 5
_ANSWERED = frozenset({"accepted", "declined"})
_PREFIXES = ("carte ", "vir ", "prlv ", "chq ", "ret dab ")


# -- helpers -----------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> Decimal | None:
    """An amount that can be summed: ``None`` for a missing or non-finite one."""
    return value if value is not None and value.is_finite() else None


def transaction_date(transaction: BankTransaction) -> date | None:
    """A transaction's date: ``transaction_date``, else ``realization_date``."""
    return transaction.transaction_date or transaction.realization_date


def clean_wording(transaction: BankTransaction, other: str = OTHER_EXPENSE) -> str:
    """What an unlabelled expense is called: its wording, cleaned (see the module's rule);
    ``other`` when it has none."""
    text = (transaction.wording or transaction.original_wording or other).strip().lower()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text.strip()


def expense_name(transaction: BankTransaction, other: str = OTHER_EXPENSE) -> str:
    """The first imputation's label ``name``, else the cleaned wording (else ``other``)."""
    imputations = transaction.imputations or []
    label = imputations[0].label if imputations else None
    if label is not None and label.name:
        return label.name
    return clean_wording(transaction, other)


def _top(totals: dict[str, Decimal]) -> list[Named]:
    """The five largest, descending; equal totals keep the order they were first met in."""
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return [Named(name=name, amount=amount) for name, amount in ranked[:TOP]]


def _months(months: dict[str, list[Decimal]]) -> list[Month]:
    return [
        Month(month=month, inflows=flows[0], outflows=flows[1])
        for month, flows in sorted(months.items())
    ]


def years_active(start: date | None, today: date) -> int:
    """max(1, floor((today - start) / 365.25 days) + 1); 1 without a start."""
    if start is None:
        return 1
    elapsed = Decimal((today - start).days) / Decimal("365.25")
    return max(1, int(elapsed.to_integral_value(rounding=ROUND_FLOOR)) + 1)


# -- the overview ------------------------------------------------------------------------------


class InvoiceTally:
    """The overview's invoice figures, fed one invoice at a time."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.count = 0
        self.drafts = 0
        self.unpaid: list[Unpaid] = []
        self.unpaid_total = ZERO
        self.revenue_ttc = ZERO
        self.revenue_ht = ZERO
        self.months: dict[str, list[Decimal]] = {}

    def add(self, invoice: Invoice) -> None:
        self.count += 1
        if invoice.status == "draft":
            self.drafts += 1
            return
        ttc = _amount(invoice.total_including_taxes) or ZERO
        ht = _amount(invoice.total_excluding_taxes) or ZERO
        self.revenue_ttc += ttc
        self.revenue_ht += ht
        if invoice.emission_date is not None:
            month = self.months.setdefault(f"{invoice.emission_date:%Y-%m}", [ZERO, ZERO])
            month[0] += ttc
            month[1] += ht
        if invoice.status == "sent":
            due = invoice.due_date
            late = max(0, (self.today - due).days) if due is not None else 0
            self.unpaid_total += ttc
            self.unpaid.append(
                Unpaid(
                    id=invoice.id,
                    number=invoice.compiled_number,
                    client=invoice.client_name,
                    amount=_amount(invoice.total_including_taxes),
                    due_date=due,
                    emission_date=invoice.emission_date,
                    days_late=late,
                )
            )

    def figures(self) -> InvoiceFigures:
        """Unpaid invoices, the latest first (most days late first, then by due date)."""
        unpaid = sorted(self.unpaid, key=lambda u: (-u.days_late, u.due_date or date.max))
        return InvoiceFigures(
            drafts=self.drafts,
            unpaid_count=len(unpaid),
            unpaid_total=self.unpaid_total,
            unpaid=unpaid,
        )

    def monthly_revenue(self) -> list[RevenueMonth]:
        chosen = sorted(self.months.items())[-MONTHS_SHOWN:]
        return [RevenueMonth(month=m, revenue_ttc=v[0], revenue_ht=v[1]) for m, v in chosen]


class FlowTally:
    """Transactions' totals and months, fed one transaction at a time."""

    def __init__(self) -> None:
        self.count = 0
        self.inflows = ZERO
        self.outflows = ZERO  # negative: the sum of the negative amounts
        self.months: dict[str, list[Decimal]] = {}

    def add(self, transaction: BankTransaction) -> None:
        self.count += 1
        amount = _amount(transaction.amount)
        if amount is None:
            return
        if amount > 0:
            self.inflows += amount
        elif amount < 0:
            self.outflows += amount
        when = transaction_date(transaction)
        if when is not None:
            month = self.months.setdefault(f"{when:%Y-%m}", [ZERO, ZERO])
            if amount > 0:
                month[0] += amount
            else:
                month[1] -= amount

    def merge(self, other: FlowTally) -> None:
        """Add ``other``'s transactions, as if they had been fed after these."""
        self.count += other.count
        self.inflows += other.inflows
        self.outflows += other.outflows
        for month, (inflows, outflows) in other.months.items():
            mine = self.months.setdefault(month, [ZERO, ZERO])
            mine[0] += inflows
            mine[1] += outflows

    def monthly(self, last: int | None = None) -> list[Month]:
        months = _months(self.months)
        return months if last is None else months[-last:]


class QuotationTally:
    def __init__(self) -> None:
        self.pending_count = 0
        self.pending_total = ZERO

    def add(self, quotation: Quotation) -> None:
        if quotation.status in _ANSWERED:
            return
        self.pending_count += 1
        amount = quotation.amount_including_taxes
        if amount is None:
            amount = quotation.total_including_taxes
        self.pending_total += _amount(amount) or ZERO


def treasury(accounts: Iterable[BankAccount]) -> Treasury:
    """The enabled accounts, in the server's order, and the sum of their balances."""
    lines = [
        Account(
            id=a.id,
            name=a.name,
            bank=a.bank.name if a.bank is not None else a.short_bank_name,
            balance=_amount(a.balance_amount),
            currency=a.balance_currency,
            balance_date=a.balance_date,
            iban=a.iban,
        )
        for a in accounts
    ]
    return Treasury(total_balance=sum((a.balance or ZERO for a in lines), ZERO), accounts=lines)


def assemble_overview(
    company_id: int,
    accounts: Iterable[BankAccount],
    invoices: InvoiceTally,
    flows: FlowTally,
    quotations: QuotationTally,
    unimputed_count: int,
    clients_count: int,
) -> Overview:
    """The overview from the tallies fed with every page of each listing."""
    return Overview(
        company_id=company_id,
        treasury=treasury(accounts),
        invoices=invoices.figures(),
        quotations=QuotationFigures(
            pending_count=quotations.pending_count, pending_total=quotations.pending_total
        ),
        bank=BankFigures(unimputed_count=unimputed_count),
        clients=ClientFigures(total=clients_count),
        global_=GlobalFigures(
            total_invoices=invoices.count,
            total_revenue_ttc=invoices.revenue_ttc,
            total_revenue_ht=invoices.revenue_ht,
            total_transactions=flows.count,
            total_inflows=flows.inflows,
            total_outflows=flows.outflows,
            net_cashflow=flows.inflows + flows.outflows,
            monthly=flows.monthly(MONTHS_SHOWN),
            monthly_revenue=invoices.monthly_revenue(),
        ),
    )


def overview(
    company_id: int,
    *,
    accounts: Iterable[BankAccount],
    invoices: Iterable[Invoice],
    transactions: Iterable[BankTransaction],
    quotations: Iterable[Quotation],
    unimputed_count: int,
    clients_count: int,
    today: date,
) -> Overview:
    """The overview of a company from its full listings (every page of each)."""
    invoice_tally, flows, quotation_tally = InvoiceTally(today), FlowTally(), QuotationTally()
    for invoice in invoices:
        invoice_tally.add(invoice)
    for transaction in transactions:
        flows.add(transaction)
    for quotation in quotations:
        quotation_tally.add(quotation)
    return assemble_overview(
        company_id, accounts, invoice_tally, flows, quotation_tally, unimputed_count, clients_count
    )


# -- the yearly review -------------------------------------------------------------------------


class StatsTally:
    """One year's (or all time's) review figures, fed invoice by invoice and transaction by
    transaction (only non-draft invoices are to be given); ``names``: of what has none."""

    def __init__(self, names: Names | None = None) -> None:
        self.names = names or Names()
        self.revenue_ttc = ZERO
        self.revenue_ht = ZERO
        self.invoices_count = 0
        self.biggest: Invoice | None = None
        self.clients: dict[str, Decimal] = {}
        self.expenses: dict[str, Decimal] = {}
        self.flows = FlowTally()

    def add_invoice(self, invoice: Invoice) -> None:
        ttc = _amount(invoice.total_including_taxes)
        self.revenue_ttc += ttc or ZERO
        self.revenue_ht += _amount(invoice.total_excluding_taxes) or ZERO
        self.invoices_count += 1
        if ttc is not None and (
            self.biggest is None or ttc > (self.biggest.total_including_taxes or ZERO)
        ):
            self.biggest = invoice
        client = invoice.client_name or self.names.no_client
        self.clients[client] = self.clients.get(client, ZERO) + (ttc or ZERO)

    def add_transaction(self, transaction: BankTransaction) -> None:
        self.flows.add(transaction)
        amount = _amount(transaction.amount)
        if amount is not None and amount < 0:
            name = expense_name(transaction, self.names.other_expense)
            self.expenses[name] = self.expenses.get(name, ZERO) - amount

    def merge(self, other: StatsTally) -> None:
        """Add ``other``'s items, as if they had been fed after these (ties: these first)."""
        self.revenue_ttc += other.revenue_ttc
        self.revenue_ht += other.revenue_ht
        self.invoices_count += other.invoices_count
        theirs = other.biggest
        if theirs is not None and (
            self.biggest is None
            or (theirs.total_including_taxes or ZERO) > (self.biggest.total_including_taxes or ZERO)
        ):
            self.biggest = theirs
        for mine, their in ((self.clients, other.clients), (self.expenses, other.expenses)):
            for name, amount in their.items():
                mine[name] = mine.get(name, ZERO) + amount
        self.flows.merge(other.flows)

    def stats(self) -> Stats:
        monthly = self.flows.monthly()
        nets = [
            MonthNet(
                month=m.month, net=m.inflows - m.outflows, inflows=m.inflows, outflows=m.outflows
            )
            for m in monthly
        ]
        best = worst = None
        for month in nets:  # ascending: on ties the earliest month stays
            if best is None or month.net > best.net:
                best = month
            if worst is None or month.net < worst.net:
                worst = month
        inflows, outflows = self.flows.inflows, -self.flows.outflows
        if outflows:
            ratio = (inflows / outflows).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
        else:
            ratio = Decimal(-1) if inflows else ZERO
        average = (
            (self.revenue_ttc / self.invoices_count).quantize(CENT, rounding=ROUND_HALF_UP)
            if self.invoices_count
            else ZERO
        )
        big = self.biggest
        return Stats(
            revenue_ttc=self.revenue_ttc,
            revenue_ht=self.revenue_ht,
            invoices_count=self.invoices_count,
            avg_invoice=average,
            biggest_invoice=None
            if big is None
            else Biggest(
                amount=big.total_including_taxes or ZERO,
                client_name=big.client_name,
                number=big.compiled_number,
                date=big.emission_date,
            ),
            top_clients=_top(self.clients),
            top_expenses=_top(self.expenses),
            monthly=monthly,
            best_month=best,
            worst_month=worst,
            total_inflows=inflows,
            total_outflows=outflows,
            inflow_outflow_ratio=ratio,
            transactions_count=self.flows.count,
        )


class ReviewTally:
    """The review of one company or several: all time and year by year (``names``: of what
    has none)."""

    def __init__(self, names: Names | None = None) -> None:
        self.names = names or Names()
        self.all_time = StatsTally(self.names)
        self.years: dict[int, StatsTally] = {}

    def _year(self, when: date | None) -> StatsTally | None:
        if when is None:
            return None
        return self.years.setdefault(when.year, StatsTally(self.names))

    def add_invoice(self, invoice: Invoice) -> None:
        """Count a non-draft invoice (a draft is left out)."""
        if invoice.status == "draft":
            return
        self.all_time.add_invoice(invoice)
        year = self._year(invoice.emission_date)
        if year is not None:
            year.add_invoice(invoice)

    def add_transaction(self, transaction: BankTransaction) -> None:
        self.all_time.add_transaction(transaction)
        year = self._year(transaction_date(transaction))
        if year is not None:
            year.add_transaction(transaction)

    def merge(self, other: ReviewTally) -> None:
        """Add another company's items after these."""
        self.all_time.merge(other.all_time)
        for year, tally in other.years.items():
            self.years.setdefault(year, StatsTally(self.names)).merge(tally)

    def review(self, company: CompanyInfo) -> Review:
        years = sorted(self.years, reverse=True)
        return Review(
            company=company,
            available_years=years,
            all_time=self.all_time.stats(),
            years={str(year): self.years[year].stats() for year in years},
        )


def start_of(company: Company) -> date | None:
    """When a company started: ``activity_start_date``, else ``registration_date``."""
    return company.activity_start_date or company.registration_date


def company_info(
    companies: Iterable[Company], today: date, *, merged: bool, names: Names | None = None
) -> CompanyInfo:
    """Who a review is of: the one company, or (``merged``) all of them since the earliest
    (named ``names.all_companies``)."""
    chosen = list(companies)
    starts = [s for s in map(start_of, chosen) if s is not None]
    if merged:
        name, start = (names or Names()).all_companies, min(starts, default=None)
    else:
        [company] = chosen
        name, start = company.name or str(company.id), start_of(company)
    return CompanyInfo(name=name, registration_date=start, years_active=years_active(start, today))


def review(
    companies: Iterable[Company],
    *,
    invoices: Iterable[Invoice],
    transactions: Iterable[BankTransaction],
    today: date,
    merged: bool = False,
    names: Names | None = None,
) -> Review:
    """The yearly review of a company (or, ``merged``, of several) from full listings."""
    tally = ReviewTally(names)
    for invoice in invoices:
        tally.add_invoice(invoice)
    for transaction in transactions:
        tally.add_transaction(transaction)
    return tally.review(company_info(companies, today, merged=merged, names=names))
