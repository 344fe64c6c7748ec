"""``tiime audit``: per company, what is left to impute (with the suggested labels), what
is imputed without a receipt over the accounting period, and totals.

One event loop, one async client: a few companies are audited at once, and every request
(periods, listings, suggestions, imputations) waits for one of ``concurrency`` slots, so
that one company's first steps overlap with another's suggestions. On Ctrl-C the loop
cancels every task: nothing queued is sent, and nothing more is written.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import msgspec

from .. import _exceptions as E
from ..i18n import _
from ._bookkeeping import Company, bars, impute_to_async, label_name, today
from ._errors import describe

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient
    from ..types import BankTransaction, LabelSuggestion

__all__ = [
    "Audit",
    "AuditRow",
    "CompanyAudit",
    "audit_companies",
    "audit_company",
    "period_of",
    "rows_of",
]

T = TypeVar("T")
P = ParamSpec("P")
# A new progress bar: its total and label, giving its advance().
AddBar = Callable[[int, str], Callable[[], None]]
# Companies audited at once: enough for one company's first steps (its period, its lists)
# to overlap with another's suggestions; few enough to hold only their lists in memory.
COMPANIES_AT_ONCE = 4


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


async def _limited(
    limit: asyncio.Semaphore, call: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``call(*args, **kwargs)`` once one of the ``limit`` slots is free (a slot per request
    at a time); not called at all when cancelled before."""
    async with limit:
        return await call(*args, **kwargs)


async def period_of(client: AsyncTiimeClient, limit: asyncio.Semaphore) -> tuple[date, date]:
    """The current accounting period; 1 January to today (Europe/Paris) if it cannot be read."""
    try:
        period = await _limited(limit, client.company.accounting_period)
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


async def _suggest(
    client: AsyncTiimeClient, transaction: BankTransaction, limit: asyncio.Semaphore
) -> tuple[BankTransaction, LabelSuggestion | None]:
    """The transaction (read whole when the list gave its id only) and its first suggestion."""
    if transaction.wording is None or transaction.amount is None:
        transaction = await _limited(limit, client.bank_transactions.get, transaction.id)
    try:
        suggestions = await _limited(
            limit, client.bank_transactions.label_suggestions, transaction.id
        )
    except E.TiimeError as exc:
        sys.stderr.write(
            _("tiime: suggestions of transaction {id}: {error}").format(
                id=transaction.id, error=describe(exc)
            )
            + "\n"
        )
        return transaction, None
    return transaction, (suggestions[0] if suggestions else None)


async def _suggest_all(
    client: AsyncTiimeClient,
    pending: Sequence[BankTransaction],
    limit: asyncio.Semaphore,
    workers: int,
    advance: Callable[[], None],
) -> list[tuple[BankTransaction, LabelSuggestion | None]]:
    """Each transaction with its first suggestion, in ``pending``'s order (a transaction
    that cannot be read is left out, in one line); ``workers`` take them in turn."""
    found: list[tuple[BankTransaction, LabelSuggestion | None] | None] = [None] * len(pending)
    queue = iter(enumerate(pending))  # shared: each worker takes the next one

    async def worker() -> None:
        for index, transaction in queue:
            try:
                found[index] = await _suggest(client, transaction, limit)
            except E.TiimeError as exc:
                sys.stderr.write(_("tiime: {error}").format(error=describe(exc)) + "\n")
            advance()

    await _all([worker() for _ in range(min(workers, len(pending)))])
    return [pair for pair in found if pair is not None]


async def _all(coroutines: Sequence[Coroutine[Any, Any, T]]) -> list[T]:
    """The coroutines' results, run at once; the first failure (or cancellation) cancels
    the others before it is raised."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _first_label(transaction: BankTransaction) -> str | None:
    imputations = transaction.imputations or []
    label = imputations[0].label if imputations else None
    return None if label is None else label.name or label.label


async def audit_company(
    client: AsyncTiimeClient,
    company: Company,
    *,
    apply: bool,
    limit: asyncio.Semaphore,
    workers: int,
    add_bar: AddBar,
) -> CompanyAudit:
    """One company's audit (raises the SDK's errors for the calls it cannot do without).

    Each request waits for a slot of ``limit``; ``workers`` ask the suggestions (the
    command's ``--concurrency``); ``add_bar`` shows the suggestions' progress.
    """
    scoped = client.with_options(company_id=company.id)
    start, end = await period_of(scoped, limit)
    listing = asyncio.ensure_future(
        _limited(limit, scoped.bank_transactions.list, from_date=start, to_date=end)
    )
    try:
        pending = await _limited(limit, scoped.bank_transactions.unimputed)
        result = CompanyAudit(
            company_id=company.id, company_name=company.name, period_start=start, period_end=end
        )
        advance = add_bar(len(pending), _("{company}: suggestions").format(company=company.name))
        suggested = await _suggest_all(scoped, pending, limit, workers, advance)
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
                    await _limited(limit, impute_to_async, scoped, transaction, suggestion)
                except E.TiimeError as exc:
                    applied.status, applied.error = "error", describe(exc)
                result.applied_imputations.append(applied)
        transactions = await listing
    finally:  # the listing is not waited for when the audit fails before it is needed
        listing.cancel()
        await asyncio.gather(listing, return_exceptions=True)
    for transaction in transactions:
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


async def audit_companies(
    client: AsyncTiimeClient, companies: Sequence[Company], *, apply: bool, concurrency: int
) -> list[CompanyAudit]:
    """Every company's audit, in ``companies``' order, :data:`COMPANIES_AT_ONCE` companies
    at a time and at most ``concurrency`` requests at a time. A company that cannot be
    audited is one with its ``error`` (and one line on stderr); the others go on."""
    limit = asyncio.Semaphore(concurrency)
    companies_limit = asyncio.Semaphore(COMPANIES_AT_ONCE)

    async def one(company: Company, add_bar: AddBar) -> CompanyAudit:
        try:
            async with companies_limit:
                return await audit_company(
                    client, company, apply=apply, limit=limit, workers=concurrency, add_bar=add_bar
                )
        except E.TiimeError as exc:
            done = CompanyAudit(
                company_id=company.id, company_name=company.name, error=describe(exc)
            )
            sys.stderr.write(
                _("tiime: company {id} ({name}): {error}").format(
                    id=company.id, name=company.name, error=done.error
                )
                + "\n"
            )
            return done

    with bars() as add_bar:
        return await _all([one(company, add_bar) for company in companies])


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
