"""The SDK's models as rows of the mirror's tables (see :mod:`tiime.sync.schema`).

Each function takes one item as the SDK returns it and gives ``{table: [row, ...]}``: the
item's own row and the rows of its children (an invoice's lines and VAT totals, a
transaction's imputations). A row is a tuple in the order of the table's columns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..types import (
    BankAccount,
    BankTransaction,
    Client,
    Company,
    Contact,
    Document,
    ExpenseReport,
    Invoice,
    InvoiceLine,
    Label,
    Quotation,
    Tag,
)

Row = tuple[Any, ...]
Rows = dict[str, list[Row]]

__all__ = [
    "Row",
    "Rows",
    "bank_account_rows",
    "client_rows",
    "company_rows",
    "contact_rows",
    "document_rows",
    "expense_report_rows",
    "invoice_rows",
    "label_rows",
    "quotation_rows",
    "tag_rows",
    "transaction_rows",
]


def amount(value: Decimal | None) -> str | None:
    """An exact decimal as TEXT (``'4900.14'``, never an exponent); non-finite: NULL."""
    if value is None or not value.is_finite():
        return None
    return format(value, "f")


def day(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _tags(tags: Iterable[Tag] | None) -> str | None:
    return None if tags is None else json.dumps([t.label for t in tags], ensure_ascii=False)


def _code(value: Any) -> str | None:
    """The code of a nested ``{id, code, ...}`` (or the text the API sent instead)."""
    if value is None or isinstance(value, str):
        return value
    return getattr(value, "code", None)


def company_rows(c: Company) -> Rows:
    return {
        "companies": [
            (
                c.id,
                c.id,
                c.name,
                c.legal_form,
                c.siren,
                c.siret,
                c.intracom_vat_number,
                _code(c.ape_code),
                c.activity,
                c.address or c.street,
                c.postal_code,
                c.city,
                c.country_code,
                amount(c.share_capital),
                day(c.registration_date),
                _code(c.vat_system),
                c.tax_regime,
            )
        ]
    }


def client_rows(company_id: int, c: Client) -> Rows:
    return {
        "clients": [
            (
                c.id,
                company_id,
                c.name,
                c.address,
                c.address_complement,
                c.postal_code,
                c.city,
                c.country_code,
                c.email,
                c.phone,
                c.siren,
                c.siret or c.siren_or_siret,
                c.intracom_vat_number,
                flag(c.archived),
                flag(c.professional),
                c.acronym,
                c.note,
                c.payment_status,
                amount(c.balance_including_taxes),
                amount(c.billed_including_taxes),
                amount(c.billed_excluding_taxes),
            )
        ]
    }


def contact_rows(company_id: int, client_id: int, c: Contact) -> Rows:
    return {
        "contacts": [
            (
                c.id,
                company_id,
                client_id,
                c.firstname,
                c.lastname,
                c.email,
                c.phone,
                c.job,
                flag(c.invoicing_use_email),
            )
        ]
    }


def _line(parent_id: int, position: int, company_id: int, line: InvoiceLine) -> Row:
    return (
        parent_id,
        position,
        company_id,
        line.id,
        line.description,
        amount(line.quantity),
        amount(line.unit_amount),
        amount(line.line_amount),
        _code(line.vat_type),
        _code(line.invoicing_unit),
        line.invoicing_category_type,
        amount(line.discount_amount),
        amount(line.discount_percentage),
    )


def invoice_rows(company_id: int, i: Invoice) -> Rows:
    return {
        "invoices": [
            (
                i.id,
                company_id,
                i.client_id,
                i.client_name,
                i.compiled_number,
                i.number,
                day(i.emission_date),
                day(i.due_date),
                i.status,
                i.title,
                i.type,
                amount(i.total_excluding_taxes),
                amount(i.total_including_taxes),
                _tags(i.tags),
            )
        ],
        "invoice_lines": [
            _line(i.id, n, company_id, line) for n, line in enumerate(i.lines or [], 1)
        ],
        "invoice_vat_totals": [
            (i.id, rate, company_id, amount(t.total_excluding_taxes), amount(t.vat_amount))
            for rate, t in sorted((i.totals_per_vat_type or {}).items())
        ],
    }


def quotation_rows(company_id: int, q: Quotation) -> Rows:
    total_ex = q.total_excluding_taxes
    total_inc = q.total_including_taxes
    return {
        "quotations": [
            (
                q.id,
                company_id,
                q.client.id if q.client is not None else None,
                q.client_name or (q.client.name if q.client is not None else None),
                q.compiled_number or q.quotation_number,
                day(q.date or q.emission_date),
                q.status,
                q.title,
                amount(total_ex if total_ex is not None else q.amount_excluding_taxes),
                amount(total_inc if total_inc is not None else q.amount_including_taxes),
                json.dumps(sorted(i.id for i in q.invoices or [])),
            )
        ],
        "quotation_lines": [
            _line(q.id, n, company_id, line) for n, line in enumerate(q.lines or [], 1)
        ],
    }


def bank_account_rows(company_id: int, a: BankAccount) -> Rows:
    return {
        "bank_accounts": [
            (
                a.id,
                company_id,
                a.name,
                a.bank.name if a.bank is not None else a.short_bank_name,
                a.iban,
                a.bic,
                flag(a.enabled),
                flag(a.closed),
                amount(a.balance_amount),
                a.balance_currency,
                day(a.balance_date),
            )
        ]
    }


def transaction_rows(company_id: int, t: BankTransaction) -> Rows:
    return {
        "transactions": [
            (
                t.id,
                company_id,
                t.bank_account.id if t.bank_account is not None else None,
                day(t.transaction_date),
                day(t.realization_date),
                t.wording,
                t.original_wording,
                amount(t.amount),
                t.currency,
                t.operation_type,
                t.status,
                t.comment,
                _tags(t.tags),
                t.count_documents,
                t.count_invoices,
            )
        ],
        "imputations": [
            (
                i.id,
                company_id,
                t.id,
                n,
                amount(i.amount),
                i.label.id if i.label is not None else None,
                (i.label.name or i.label.label) if i.label is not None else None,
                i.label.type if i.label is not None else None,
                i.label.registry_type if i.label is not None else None,
                i.count_documents,
                i.comment,
            )
            for n, i in enumerate(t.imputations or [], 1)
        ],
    }


def document_rows(company_id: int, d: Document) -> Rows:
    meta = d.metadata
    return {
        "documents": [
            (
                d.id,
                company_id,
                d.name,
                d.type,
                d.source,
                d.mime_type,
                day(d.created_at),
                day(meta.date) if meta is not None else None,
                amount(meta.amount) if meta is not None else None,
                meta.supplier_name if meta is not None else None,
                d.ocr_status,
                d.payment_status,
                None,  # file_sha256: the engine's (kept from the mirror, or fetched)
            )
        ]
    }


def expense_report_rows(company_id: int, e: ExpenseReport) -> Rows:
    return {
        "expense_reports": [
            (
                e.id,
                company_id,
                e.name or e.title,
                e.status,
                amount(e.total_amount),
                day(e.metadata.date) if e.metadata is not None else None,
                day(e.created_at),
            )
        ]
    }


def label_rows(company_id: int, label: Label) -> Rows:
    return {
        "labels": [
            (
                label.id,
                company_id,
                label.name or label.label,
                label.type,
                label.registry_type,
                label.acronym,
                flag(label.disabled),
                flag(label.sales),
                label.client.id if label.client is not None else None,
            )
        ]
    }


def tag_rows(company_id: int, tag: Tag) -> Rows:
    return {"tags": [(tag.id, company_id, tag.label)]}
