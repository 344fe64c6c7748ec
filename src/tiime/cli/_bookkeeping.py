"""What ``bank auto-impute``, ``audit`` and ``status`` share: choosing the companies,
imputing a transaction to a suggested label, a progress bar, and their output rows.

Imported by the handlers only (it imports the SDK and msgspec at its top).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import msgspec

from ..i18n import N_, _
from ._errors import UsageError

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient, TiimeClient
    from ..types import BankTransaction, ImputationInput, LabelSuggestion
    from ..types import Company as CompanyInfo

__all__ = [
    "AutoImputeRow",
    "Company",
    "bar",
    "bars",
    "impute_to",
    "impute_to_async",
    "select_companies",
    "select_companies_async",
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

    ``status``: ``skipped`` (then ``reason`` says why, in the reader's language:
    :data:`NO_SUGGESTION`, :data:`ALREADY_IMPUTED`), ``proposed`` (a dry run), ``applied``
    or ``error`` (then ``error`` says why).
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
NO_SUGGESTION = N_("no label suggested")
ALREADY_IMPUTED = N_("already imputed")


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
    return _choose(_parts(names), client.list_companies())


async def select_companies_async(
    client: AsyncTiimeClient, names: str | None, all_companies: bool
) -> list[Company]:
    """:func:`select_companies` on the async client (the same requests, the same errors)."""
    if all_companies:
        return [Company(c.id, c.name or str(c.id)) for c in await client.list_companies()]
    if not names:
        company_id = client.require_company()
        try:
            name = (await client.company.get()).name or str(company_id)
        except Exception:  # the name is for display only; the id will do
            name = str(company_id)
        return [Company(company_id, name)]
    return _choose(_parts(names), await client.list_companies())


def _parts(names: str) -> list[str]:
    parts = [part.strip() for part in names.split(",") if part.strip()]
    if not parts:
        raise UsageError(_("--company needs company ids or names, separated by commas"))
    return parts


def _choose(parts: list[str], known: list[CompanyInfo]) -> list[Company]:
    by_id = {c.id: c.name for c in known}
    chosen: list[Company] = []
    for part in parts:
        if part.isdigit() and int(part) > 0:
            company = Company(int(part), by_id.get(int(part)) or part)
        else:
            found = company_named(known, part)
            company = Company(found.id, found.name or str(found.id))
        if company not in chosen:
            chosen.append(company)
    return chosen


def company_named(known: list[CompanyInfo], name: str) -> CompanyInfo:
    """The one of the user's companies ``known`` called ``name``: whole, ignoring case and
    runs of spaces. A usage error naming it when none is, or giving the ids when several
    are (``--company NAME`` and ``company use NAME`` alike)."""

    def folded(text: str) -> str:
        return " ".join(text.split()).casefold()

    wanted = folded(name)
    found = [c for c in known if folded(c.name or "") == wanted]
    if not found:
        raise UsageError(
            _("unknown company {name!r} (`tiime company list` shows yours)").format(name=name)
        )
    if len(found) > 1:
        ids = ", ".join(str(c.id) for c in found)
        raise UsageError(
            _("several of your companies are called {name!r}: give its id ({ids})").format(
                name=name, ids=ids
            )
        )
    return found[0]


def label_name(suggestion: LabelSuggestion | None) -> str | None:
    """What a label is called: its ``name``, else its ``label``."""
    return None if suggestion is None else suggestion.name or suggestion.label


def impute_to(
    client: TiimeClient, transaction: BankTransaction, suggestion: LabelSuggestion
) -> BankTransaction:
    """Impute the whole of ``transaction`` to the suggested label (not replayed on failure)."""
    return client.bank_transactions.impute(transaction, _imputation(transaction, suggestion))


async def impute_to_async(
    client: AsyncTiimeClient, transaction: BankTransaction, suggestion: LabelSuggestion
) -> BankTransaction:
    """:func:`impute_to` on the async client."""
    return await client.bank_transactions.impute(transaction, _imputation(transaction, suggestion))


def _imputation(transaction: BankTransaction, suggestion: LabelSuggestion) -> list[ImputationInput]:
    """The whole of ``transaction`` to the suggested label: the body of ``impute``."""
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
    return [
        {
            "label": label,  # type: ignore[typeddict-item]
            "amount": transaction.amount or Decimal(0),
            "documents": [],
            "accountant_detail_requests": [],
        }
    ]


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


@contextmanager
def bars() -> Iterator[Callable[[int, str], Callable[[], None]]]:
    """Progress bars on stderr (a terminal only), shown together, one per piece of work
    running at once: ``add(total, what)`` gives the ``advance`` of a new bar (each bar as
    :func:`bar` shows it)."""

    def silent(total: int, what: str) -> Callable[[], None]:
        return lambda: None

    if not sys.stderr.isatty():
        yield silent
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:

        def add(total: int, what: str) -> Callable[[], None]:
            if total == 0:
                return silent(total, what)
            task = progress.add_task(what, total=total)
            return lambda: progress.advance(task)

        yield add
