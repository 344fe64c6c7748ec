"""The FEC's entries from the SDK's invoices and bank transactions (mapping: see
:mod:`tiime.fec`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .. import NotFoundError, TiimeClient
from ..types import BankTransaction, Imputation, Invoice

__all__ = ["FecExport", "Line", "build_fec"]

ZERO = Decimal(0)
CLIENTS = ("411000", "Clients")
SUSPENSE = ("471000", "Compte d'attente")
REVENUE = {
    "normal": ("706100", "Prestations de services TVA 20 %"),
    "intermediate": ("706200", "Prestations de services TVA 10 %"),
    "reduced": ("706300", "Prestations de services TVA 5,5 %"),
    "super_reduced": ("706400", "Prestations de services TVA 2,1 %"),
    "none": ("706500", "Prestations de services sans TVA"),
}
VAT = {
    "normal": ("445711", "TVA collectée 20 %"),
    "intermediate": ("445712", "TVA collectée 10 %"),
    "reduced": ("445713", "TVA collectée 5,5 %"),
    "super_reduced": ("445714", "TVA collectée 2,1 %"),
}
BILLED = ("saved", "sent", "paid")


@dataclass(frozen=True)
class Line:
    """One line of an entry: the FEC's 18 fields, typed."""

    journal_code: str
    journal_lib: str
    ecriture_num: str
    ecriture_date: dt.date
    compte_num: str
    compte_lib: str
    comp_aux_num: str
    comp_aux_lib: str
    piece_ref: str
    piece_date: dt.date
    ecriture_lib: str
    debit: Decimal
    credit: Decimal
    valid_date: dt.date


@dataclass
class FecExport:
    """What :func:`build_fec` made: the lines in order, the period, and what to review."""

    siren: str
    start: dt.date
    end: dt.date
    lines: list[Line] = field(default_factory=list)
    unimputed: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return len({(line.journal_code, line.ecriture_num) for line in self.lines})


@dataclass
class _Entry:
    journal: tuple[str, str]
    date: dt.date
    piece: str
    label: str
    sort_id: int
    # (account, account label, aux, aux label, signed amount: debit > 0, credit < 0)
    legs: list[tuple[str, str, str, str, Decimal]] = field(default_factory=list)


def _period(client: TiimeClient, year: int) -> tuple[dt.date, dt.date]:
    """The accounting period closing in ``year`` when it is the company's current one,
    else the calendar year."""
    try:
        current = client.company.accounting_period()
    except NotFoundError:  # no period known: the calendar year
        current = None
    if (
        current is not None
        and current.start_date is not None
        and current.end_date is not None
        and current.end_date.year == year
    ):
        return current.start_date, current.end_date
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _invoice_entry(invoice: Invoice, warnings: list[str]) -> _Entry | None:
    date = invoice.emission_date
    if date is None:
        warnings.append(f"invoice {invoice.id}: no emission date, left out")
        return None
    number = invoice.compiled_number or str(invoice.number or invoice.id)
    client = invoice.client_name or ""
    entry = _Entry(("VE", "Ventes"), date, number, f"Facture {number} {client}".strip(), invoice.id)
    total = ZERO
    for rate, amounts in sorted((invoice.totals_per_vat_type or {}).items()):
        revenue = REVENUE.get(rate, ("706000", f"Prestations de services ({rate})"))
        vat = VAT.get(rate, ("445710", f"TVA collectée ({rate})"))
        base = amounts.total_excluding_taxes or ZERO
        tax = amounts.vat_amount or ZERO
        if base:
            entry.legs.append((*revenue, "", "", -base))
        if tax:
            entry.legs.append((*vat, "", "", -tax))
        total += base + tax
    if not entry.legs:
        warnings.append(f"invoice {number}: no amount per VAT rate, left out")
        return None
    if invoice.total_including_taxes is not None and invoice.total_including_taxes != total:
        warnings.append(
            f"invoice {number}: total {invoice.total_including_taxes} is not its rates' "
            f"sum {total}; the sum is used"
        )
    aux = f"C{invoice.client_id}" if invoice.client_id is not None else "C0"
    entry.legs.insert(0, (*CLIENTS, aux, client or aux, total))
    return entry


def _label_account(imputation: Imputation) -> tuple[str, str, str, str]:
    label = imputation.label
    if label is None:
        return (*SUSPENSE, "", "")
    name = label.name or label.label or str(label.id)
    if label.client is not None:
        return (*CLIENTS, f"C{label.client.id}", label.client.name or name)
    if label.sales or label.type in ("income", "sales"):
        return f"70{label.id}", name, "", ""
    if label.type == "expense" or label.registry_type == "purchase":
        return f"60{label.id}", name, "", ""
    return f"47{label.id}", name, "", ""


def _transaction_entry(
    t: BankTransaction, journals: dict[int, tuple[str, str, str, str]], export: FecExport
) -> _Entry | None:
    if t.transaction_date is None or t.amount is None or t.bank_account is None:
        export.warnings.append(f"transaction {t.id}: no date, amount or account, left out")
        return None
    code, name, account, account_name = journals[t.bank_account.id]
    wording = t.wording or t.original_wording or f"Transaction {t.id}"
    entry = _Entry((code, name), t.transaction_date, f"T{t.id}", wording, t.id)
    entry.legs.append((account, account_name, "", "", t.amount))
    rest = t.amount
    for imputation in t.imputations or []:
        amount = imputation.amount or ZERO
        if amount:
            entry.legs.append((*_label_account(imputation), -amount))
        rest -= amount
    if rest:
        if not t.imputations:
            export.unimputed.append(t.id)
        else:
            export.warnings.append(
                f"transaction {t.id}: its imputations leave {rest}, put on {SUSPENSE[0]}"
            )
        entry.legs.append((*SUSPENSE, "", "", -rest))
    return entry


def _in(date: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return date is not None and start <= date <= end


def build_fec(client: TiimeClient, year: int) -> FecExport:
    """The FEC of the client's company for the period closing in ``year``.

    Sends ``GET companies/{cid}`` (the SIREN), ``GET .../accounting_period/current``,
    the bank accounts, the invoices (every page) and the transactions of the period
    (``transaction_date_start``/``_end``). Returns the lines, numbered per journal in date
    order, and what to review (unimputed transactions, warnings).
    """
    company = client.company.get()
    start, end = _period(client, year)
    export = FecExport((company.siren or "").replace(" ", ""), start, end)
    if not export.siren:
        export.warnings.append("the company has no SIREN: the file name lacks it")
    entries: list[_Entry] = []
    for invoice in client.invoices.iter(page_size=1000):
        if invoice.status in BILLED and _in(invoice.emission_date, start, end):
            made = _invoice_entry(invoice, export.warnings)
            if made is not None:
                entries.append(made)
    accounts = sorted(client.bank_accounts.list(), key=lambda a: a.id)
    journals = {
        a.id: (f"BQ{n}", f"Banque {a.name or a.id}"[:100], f"5121{n}", a.name or f"Banque {n}")
        for n, a in enumerate(accounts, 1)
    }
    transactions = client.bank_transactions.iter(from_date=start, to_date=end, page_size=1000)
    for t in transactions:
        if not _in(t.transaction_date, start, end):
            continue
        if t.bank_account is not None and t.bank_account.id not in journals:
            n = len(journals) + 1
            journals[t.bank_account.id] = (f"BQ{n}", f"Banque {n}", f"5121{n}", f"Banque {n}")
        made = _transaction_entry(t, journals, export)
        if made is not None:
            entries.append(made)
    if export.unimputed:
        export.warnings.append(
            f"{len(export.unimputed)} unimputed transactions put on the suspense account "
            f"{SUSPENSE[0]}: impute them in Tiime, or let the accountant do it"
        )
    export.lines = list(_numbered(entries))
    return export


def _numbered(entries: list[_Entry]) -> Iterable[Line]:
    """The lines, journal by journal, entries numbered ``<JOURNAL>-000001`` in date order."""
    entries.sort(key=lambda e: (e.journal[0], e.date, e.sort_id))
    counters: dict[str, int] = {}
    for entry in entries:
        code, name = entry.journal
        counters[code] = counters.get(code, 0) + 1
        number = f"{code}{counters[code]:06d}"
        for account, account_name, aux, aux_name, amount in entry.legs:
            yield Line(
                code,
                name,
                number,
                entry.date,
                account,
                account_name,
                aux,
                aux_name,
                entry.piece,
                entry.date,
                entry.label,
                amount if amount > 0 else ZERO,
                -amount if amount < 0 else ZERO,
                entry.date,
            )
