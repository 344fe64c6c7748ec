"""Every text the dashboard shows, in one place: the server's words and the pages' labels.

The texts are written here in English, marked for extraction into the ``dashboard``
gettext domain (``tiime/i18n/locales/fr/LC_MESSAGES/dashboard.po``); :class:`Texts` gives
them in one language. The pages read theirs from ``GET /api/config`` with the locale their
numbers, amounts and dates are written in (the browser's ``Intl`` formats them: the JSON
routes give numbers and ISO dates whatever the language).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import LANGUAGES, N_, catalog, language

__all__ = [
    "ALL_COMPANIES",
    "DOMAIN",
    "NO_CLIENT",
    "OTHER_EXPENSE",
    "PAGE",
    "Names",
    "Texts",
    "errors",
    "resolve_language",
]

DOMAIN = "dashboard"

# Names the figures give to what has none (the reference's "Toutes les sociétés",
# "Sans client" and "Autre").
ALL_COMPANIES = N_("All companies")
NO_CLIENT = N_("No client")
OTHER_EXPENSE = N_("Other")


class errors:
    """The one-line error answers of the JSON routes, and what the server prints."""

    INVALID_COMPANY = N_("Invalid company ID")
    UNKNOWN_RESOURCE = N_("Unknown resource: {resource}")
    NOT_FOUND = N_("Not found")
    TOKEN_REQUIRED = N_(
        "Access token required: open the URL that `tiime dashboard` printed (it carries the token)"
    )
    BAD_HOST = N_("Invalid Host header: the dashboard answers on 127.0.0.1 and localhost only")
    UNAUTHENTICATED = N_(
        "Not logged in, or the login expired: run `tiime auth login`, then refresh"
    )
    UNREACHABLE = N_("Cannot reach the Tiime API: {reason}")
    INTERNAL = N_("Internal error: {error}")
    # What `tiime dashboard` prints, and its failures to start.
    SERVING = N_("Tiime dashboard on {url}")
    STOP = N_("Press Ctrl-C to stop.")
    REMOTE = N_(
        "WARNING: the dashboard listens on {host}, reachable from other machines: "
        "anyone with the URL below can read your books."
    )
    CANNOT_RESOLVE = N_("cannot listen on {host!r}: {reason}")
    REFUSE_REMOTE = N_(
        "refusing to listen on {host} ({ip}), which other machines can reach: "
        "use 127.0.0.1, or allow it with --allow-remote"
    )
    PORT_IN_USE = N_("port {port} on {host} is already in use (choose another with --port)")
    CANNOT_LISTEN = N_("cannot listen on {address}: {reason}")


PAGE: dict[str, str] = {
    "title": N_("Tiime dashboard"),
    "overview": N_("Overview"),
    "review": N_("Yearly review"),
    "company": N_("Company"),
    "all_companies": ALL_COMPANIES,
    "refresh": N_("Refresh"),
    "loading": N_("Loading…"),
    "year": N_("Year"),
    "all_time": N_("All time"),
    "treasury": N_("Treasury"),
    "total_balance": N_("Total balance"),
    "account": N_("Account"),
    "bank": N_("Bank"),
    "balance": N_("Balance"),
    "balance_date": N_("As of"),
    "no_accounts": N_("No enabled bank account"),
    "unpaid_invoices": N_("Unpaid invoices"),
    "drafts": N_("Draft invoices"),
    "number": N_("Number"),
    "client": N_("Client"),
    "amount": N_("Amount"),
    "due_date": N_("Due"),
    "days_late": N_("Days late"),
    "on_time": N_("on time"),
    "no_unpaid": N_("No unpaid invoice"),
    "pending_quotations": N_("Pending quotations"),
    "unimputed": N_("Transactions to impute"),
    "clients": N_("Clients"),
    "revenue_ttc": N_("Revenue incl. tax"),
    "revenue_ht": N_("Revenue excl. tax"),
    "inflows": N_("Inflows"),
    "outflows": N_("Outflows"),
    "net_cashflow": N_("Net cash flow"),
    "monthly_flows": N_("Inflows and outflows by month"),
    "monthly_revenue": N_("Revenue by month (incl. tax)"),
    "invoices_count": N_("Invoices"),
    # The page picks one of the two by the language's plural rule (Intl.PluralRules).
    "n_invoice": N_("{n} invoice"),
    "n_invoices": N_("{n} invoices"),
    "avg_invoice": N_("Average invoice"),
    "biggest_invoice": N_("Biggest invoice"),
    "best_month": N_("Best month"),
    "worst_month": N_("Worst month"),
    "net": N_("Net"),
    "ratio": N_("Inflows / outflows"),
    "transactions_count": N_("Transactions"),
    "top_clients": N_("Top clients"),
    "top_expenses": N_("Top expenses"),
    "expense": N_("Expense"),
    "none": "—",
    "years_active": N_("Years active"),
    "since": N_("since"),
    "no_data": N_("Nothing this year"),
}

# How the pages write numbers and dates in each language: the BCP 47 locale given to the
# browser's Intl, and "iso" (2026-01-31, as the API gives them) or "locale" (31/01/2026).
_FORMATS = {"en": ("en-GB", "iso"), "fr": ("fr-FR", "locale")}


@dataclass(frozen=True)
class Names:
    """What the figures call what has no name, in the dashboard's language."""

    all_companies: str = ALL_COMPANIES
    no_client: str = NO_CLIENT
    other_expense: str = OTHER_EXPENSE


def resolve_language(lang: str | None = None) -> str:
    """``lang`` (``"fr"``/``"en"``) when given, else the process's language
    (``TIIME_LANG``, then the locale, then English). ``ValueError`` for another one."""
    if lang is None:
        return language()
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


class Texts:
    """The dashboard's texts in one language (``"fr"`` or ``"en"``), whatever the process's.

    ``texts(errors.NOT_FOUND)`` translates one; :meth:`config` is what the pages read.
    """

    def __init__(self, lang: str | None = None) -> None:
        self.language = resolve_language(lang)
        self._catalog = catalog(DOMAIN, self.language)

    def __call__(self, message: str) -> str:
        """``message`` (one of this module's) in the dashboard's language."""
        return self._catalog.gettext(message) if message else message

    def page(self) -> dict[str, str]:
        """The pages' labels, by key."""
        return {key: self(text) for key, text in PAGE.items()}

    def names(self) -> Names:
        """The figures' names of what has none."""
        return Names(self(ALL_COMPANIES), self(NO_CLIENT), self(OTHER_EXPENSE))

    def config(self) -> dict[str, Any]:
        """What ``/api/config`` tells the pages of their language: ``lang``, the ``locale``
        of ``Intl``, ``dates`` (``"iso"`` or ``"locale"``) and the ``texts``."""
        locale, dates = _FORMATS[self.language]
        return {"lang": self.language, "locale": locale, "dates": dates, "texts": self.page()}
