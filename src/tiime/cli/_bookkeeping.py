"""What ``bank auto-impute``, ``audit`` and ``status`` share: choosing the companies,
imputing a transaction to a suggested label, a progress bar, and their output rows.

Imported by the handlers only (it imports the SDK and msgspec at its top).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import msgspec

from ._errors import UsageError

if TYPE_CHECKING:
    from .._client import TiimeClient
    from ..types import BankTransaction, LabelSuggestion

__all__ = [
    "AutoImputeRow",
    "Company",
    "bar",
    "impute_to",
    "select_companies",
    "today",
]

PARIS = ZoneInfo("Europe/Paris")


def today() -> date:
    """Today's date in France (Europe/Paris), whatever the machine's time zone."""
    return datetime.now(PARIS).date()


class Company(msgspec.Struct, frozen=True):
    """A company a command acts on: its id and name (the id as text when unknown)."""

    id: int
    name: str


class AutoImputeRow(msgspec.Struct, kw_only=True):
    """One line of ``tiime bank auto-impute``: a transaction and what was done with it.

    ``status``: ``skipped`` (then ``reason`` says why: :data:`NO_SUGGESTION`,
    :data:`ALREADY_IMPUTED`), ``proposed`` (a dry run), ``applied`` or ``error`` (then
    ``error`` says why).
    """

    company_id: int
    company_name: str
    transaction_id: int
    wording: str | None
    amount: Decimal | None
    currency: str | None
    suggested_label_id: int | None
    suggested_label_name: str | None
    status: str
    reason: str | None = None
    error: str | None = None


# Why ``bank auto-impute`` skips a transaction.
NO_SUGGESTION = "no label suggested"
ALREADY_IMPUTED = "already imputed"


def select_companies(client: TiimeClient, names: str | None, all_companies: bool) -> list[Company]:
    """The companies of ``--company ID|NAME,...`` (ids as given; names matched whole,
    ignoring case, among the user's companies), of ``--all-companies`` (every company of
    the user), or the client's own company.

    An unknown name is a usage error naming it; an id the user cannot reach fails later,
    as that company's error.
    """
    if all_companies:
        return [Company(c.id, c.name or str(c.id)) for c in client.list_companies()]
    if not names:
        company_id = client.require_company()
        try:
            name = client.company.get().name or str(company_id)
        except Exception:  # the name is for display only; the id will do
            name = str(company_id)
        return [Company(company_id, name)]
    parts = [part.strip() for part in names.split(",") if part.strip()]
    if not parts:
        raise UsageError("--company needs company ids or names, separated by commas")
    known = client.list_companies()
    by_id = {c.id: c.name for c in known}
    by_name = {(c.name or "").casefold(): c for c in known}
    chosen: list[Company] = []
    for part in parts:
        if part.isdigit() and int(part) > 0:
            company = Company(int(part), by_id.get(int(part)) or part)
        else:
            found = by_name.get(part.casefold())
            if found is None:
                raise UsageError(f"unknown company {part!r} (`tiime company list` shows yours)")
            company = Company(found.id, found.name or str(found.id))
        if company not in chosen:
            chosen.append(company)
    return chosen


def label_name(suggestion: LabelSuggestion | None) -> str | None:
    """What a label is called: its ``name``, else its ``label``."""
    return None if suggestion is None else suggestion.name or suggestion.label


def impute_to(
    client: TiimeClient, transaction: BankTransaction, suggestion: LabelSuggestion
) -> BankTransaction:
    """Impute the whole of ``transaction`` to the suggested label (not replayed on failure)."""
    label: dict[str, Any] = {
        "id": suggestion.id,
        "label": suggestion.label,
        "name": suggestion.name,
        "acronym": suggestion.acronym,
        "color": suggestion.color,
        "client": None if suggestion.client is None else {"id": suggestion.client.id},
        "disabled": False,
    }
    label = {key: value for key, value in label.items() if value is not None or key == "client"}
    return client.bank_transactions.impute(
        transaction,
        [
            {
                "label": label,  # type: ignore[typeddict-item]
                "amount": transaction.amount or Decimal(0),
                "documents": [],
                "accountant_detail_requests": [],
            }
        ],
    )


@contextmanager
def bar(total: int, what: str) -> Iterator[Any]:
    """A progress bar on stderr (a terminal only): ``advance()`` after each item."""
    if not sys.stderr.isatty() or total == 0:

        class Silent:
            def advance(self) -> None:
                pass

        yield Silent()
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(what, total=total)

        class Bar:
            def advance(self) -> None:
                progress.advance(task)

        yield Bar()
