"""``tiime audit``: per company, what is left to impute (with the suggested labels), what
is imputed without a receipt over the accounting period, and totals.

Suggestions are asked ``concurrency`` at a time (a thread pool over the one client and its
connection pool); the period's transactions are listed meanwhile, in the same pool. On
Ctrl-C the queued requests are cancelled and the running ones end with the client.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from threading import Event
from typing import TYPE_CHECKING, Any

import msgspec

from .. import _exceptions as E
from ..i18n import _
from ._bookkeeping import Company, bar, impute_to, label_name, today
from ._errors import describe

if TYPE_CHECKING:
    from .._client import TiimeClient
    from ..types import BankTransaction, LabelSuggestion

__all__ = ["Audit", "AuditRow", "CompanyAudit", "audit_company", "period_of", "rows_of"]


class Finding(msgspec.Struct, kw_only=True):
    """An unimputed transaction and the label suggested first (``None`` without one)."""

    transaction_id: int
    wording: str | None
    amount: Decimal | None
    currency: str | None
    transaction_date: date | None
    suggested_label_id: int | None
    suggested_label_name: str | None


class Applied(msgspec.Struct, kw_only=True):
    """An imputation made by ``--apply``: ``status`` ``applied`` or ``error``."""

    transaction_id: int
    wording: str | None
    amount: Decimal | None
    label_name: str | None
    status: str
    error: str | None = None


class MissingDocument(msgspec.Struct, kw_only=True):
    """An imputed transaction of the period with no document and no invoice."""

    transaction_id: int
    wording: str | None
    amount: Decimal | None
    currency: str | None
    transaction_date: date | None
    operation_type: str | None
    label_name: str | None


class Summary(msgspec.Struct, kw_only=True):
    """A company's totals; amounts are sums of absolute values."""

    total_unimputed: int = 0
    total_unimputed_amount: Decimal = Decimal(0)
    with_suggestions: int = 0
    without_suggestions: int = 0
    total_missing_documents: int = 0
    total_missing_documents_amount: Decimal = Decimal(0)
    applied_count: int = 0


class CompanyAudit(msgspec.Struct, kw_only=True):
    """One company's audit; ``error`` says why it could not be made (lists then empty)."""

    company_id: int
    company_name: str
    error: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    unimputed_transactions: list[Finding] = msgspec.field(default_factory=list)
    missing_documents: list[MissingDocument] = msgspec.field(default_factory=list)
    applied_imputations: list[Applied] = msgspec.field(default_factory=list)
    summary: Summary = msgspec.field(default_factory=Summary)


class Audit(msgspec.Struct, kw_only=True):
    """``tiime audit``: the date (Europe/Paris), each company, and whether it applied."""

    date: date
    companies: list[CompanyAudit]
    apply_mode: bool


class AuditRow(msgspec.Struct, kw_only=True):
    """One CSV line: an unimputed transaction, a missing document or an imputation made."""

    company_id: int
    company_name: str
    kind: str
    transaction_id: int
    wording: str | None
    amount: Decimal | None
    currency: str | None = None
    transaction_date: date | None = None
    operation_type: str | None = None
    label_id: int | None = None
    label_name: str | None = None
    status: str | None = None


def period_of(client: TiimeClient) -> tuple[date, date]:
    """The current accounting period; 1 January to today (Europe/Paris) if it cannot be read."""
    try:
        period = client.company.accounting_period()
    except E.TiimeError as exc:
        sys.stderr.write(
            _("tiime: accounting period: {error}; using the calendar year").format(
                error=describe(exc)
            )
            + "\n"
        )
        period = None
    if period is not None and period.start_date and period.end_date:
        return period.start_date, period.end_date
    now = today()
    return date(now.year, 1, 1), now


def _suggest(
    client: TiimeClient, transaction: BankTransaction, stopped: Event
) -> tuple[BankTransaction, LabelSuggestion | None]:
    """The transaction (read whole when the list gave its id only) and its first suggestion.

    Once ``stopped`` is set (Ctrl-C), a failure is the client being closed under it: silent.
    """
    if transaction.wording is None or transaction.amount is None:
        transaction = client.bank_transactions.get(transaction.id)
    try:
        suggestions = client.bank_transactions.label_suggestions(transaction.id)
    except E.TiimeError as exc:
        if not stopped.is_set():
            sys.stderr.write(
                _("tiime: suggestions of transaction {id}: {error}").format(
                    id=transaction.id, error=describe(exc)
                )
                + "\n"
            )
        return transaction, None
    return transaction, (suggestions[0] if suggestions else None)


def _first_label(transaction: BankTransaction) -> str | None:
    imputations = transaction.imputations or []
    label = imputations[0].label if imputations else None
    return None if label is None else label.name or label.label


def audit_company(
    client: TiimeClient,
    company: Company,
    *,
    apply: bool,
    pool: ThreadPoolExecutor,
    stopped: Event | None = None,
) -> CompanyAudit:
    """One company's audit (raises the SDK's errors for the calls it cannot do without).

    ``stopped`` is set by the caller when it gives up (Ctrl-C): the requests still running
    in ``pool`` then fail without a word.
    """
    stopped = stopped or Event()
    scoped = client.with_options(company_id=company.id)
    start, end = period_of(scoped)
    listing: Future[list[BankTransaction]] = pool.submit(
        scoped.bank_transactions.list, from_date=start, to_date=end
    )
    pending = scoped.bank_transactions.unimputed()
    result = CompanyAudit(
        company_id=company.id, company_name=company.name, period_start=start, period_end=end
    )
    suggested: list[tuple[BankTransaction, LabelSuggestion | None]] = []
    with bar(len(pending), _("{company}: suggestions").format(company=company.name)) as progress:
        futures = [pool.submit(_suggest, scoped, transaction, stopped) for transaction in pending]
        for future in futures:
            try:
                suggested.append(future.result())
            except E.TiimeError as exc:
                sys.stderr.write(_("tiime: {error}").format(error=describe(exc)) + "\n")
            progress.advance()
    for transaction, suggestion in suggested:
        result.unimputed_transactions.append(
            Finding(
                transaction_id=transaction.id,
                wording=transaction.wording,
                amount=transaction.amount,
                currency=transaction.currency,
                transaction_date=transaction.transaction_date,
                suggested_label_id=None if suggestion is None else suggestion.id,
                suggested_label_name=label_name(suggestion),
            )
        )
        if apply and suggestion is not None:
            applied = Applied(
                transaction_id=transaction.id,
                wording=transaction.wording,
                amount=transaction.amount,
                label_name=label_name(suggestion),
                status="applied",
            )
            try:
                impute_to(scoped, transaction, suggestion)
            except E.TiimeError as exc:
                applied.status, applied.error = "error", describe(exc)
            result.applied_imputations.append(applied)
    for transaction in listing.result():
        if (
            transaction.imputations
            and not transaction.count_documents
            and not transaction.count_invoices
        ):
            result.missing_documents.append(
                MissingDocument(
                    transaction_id=transaction.id,
                    wording=transaction.wording,
                    amount=transaction.amount,
                    currency=transaction.currency,
                    transaction_date=transaction.transaction_date,
                    operation_type=transaction.operation_type,
                    label_name=_first_label(transaction),
                )
            )
    result.summary = _summary(result)
    return result


def _absolute_sum(amounts: list[Decimal | None]) -> Decimal:
    return sum((abs(amount) for amount in amounts if amount is not None), Decimal(0))


def _summary(audit: CompanyAudit) -> Summary:
    findings = audit.unimputed_transactions
    with_suggestion = sum(1 for f in findings if f.suggested_label_id is not None)
    return Summary(
        total_unimputed=len(findings),
        total_unimputed_amount=_absolute_sum([f.amount for f in findings]),
        with_suggestions=with_suggestion,
        without_suggestions=len(findings) - with_suggestion,
        total_missing_documents=len(audit.missing_documents),
        total_missing_documents_amount=_absolute_sum([m.amount for m in audit.missing_documents]),
        applied_count=sum(1 for a in audit.applied_imputations if a.status == "applied"),
    )


def rows_of(audit: Audit) -> list[AuditRow]:
    """The audit as CSV lines."""
    rows: list[AuditRow] = []
    for company in audit.companies:
        base: dict[str, Any] = {
            "company_id": company.company_id,
            "company_name": company.company_name,
        }
        rows += [
            AuditRow(
                **base,
                kind="unimputed",
                transaction_id=f.transaction_id,
                wording=f.wording,
                amount=f.amount,
                currency=f.currency,
                transaction_date=f.transaction_date,
                label_id=f.suggested_label_id,
                label_name=f.suggested_label_name,
            )
            for f in company.unimputed_transactions
        ]
        rows += [
            AuditRow(
                **base,
                kind="missing_document",
                transaction_id=m.transaction_id,
                wording=m.wording,
                amount=m.amount,
                currency=m.currency,
                transaction_date=m.transaction_date,
                operation_type=m.operation_type,
                label_name=m.label_name,
            )
            for m in company.missing_documents
        ]
        rows += [
            AuditRow(
                **base,
                kind="applied",
                transaction_id=a.transaction_id,
                wording=a.wording,
                amount=a.amount,
                label_name=a.label_name,
                status=a.status,
            )
            for a in company.applied_imputations
        ]
    return rows
