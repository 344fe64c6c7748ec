"""The registry of command groups: one module per group, one line per module below.

Each module ``tiime.cli.commands.<name>`` has a ``register(registrar)`` function that
declares its parser and handlers (see :mod:`tiime.cli` for the contract). The modules
import only the standard library at the top; the SDK is imported inside the handlers.

The line of a group carries its one-line help, so that ``tiime --help`` (and a typo's
suggestion) lists every group without importing any group module: only the group named
on the command line is imported and registered. The help lines are marked for the
catalog (``N_``) and translated where they are shown.
"""

from __future__ import annotations

from importlib import import_module

from ...i18n import N_

TYPE_CHECKING = False  # typing is not imported at run time: start-up speed
if TYPE_CHECKING:
    from .._parser import Registrar

GROUPS = {
    "auth": N_("log in, log out, show who is logged in"),
    "company": N_("list the companies, choose the one to act on"),
    "clients": N_("list, show, create and search clients"),
    "labels": N_("the accounting labels and the tags"),
    "open": N_("print (and on a desktop, open) the Tiime web app's page of a section"),
    "documents": N_("list, upload and download documents (receipts...)"),
    "expenses": N_("list, show and create expense reports"),
    "bank": N_("bank accounts, transactions and their imputation"),
    "audit": N_(
        "per company: transactions to impute (with suggested labels), imputed ones "
        "lacking a receipt over the accounting period, and totals"
    ),
    "status": N_(
        "the company at a glance: balances, invoices to finish or be paid, pending "
        "quotations, transactions to impute, clients"
    ),
    "reconcile": N_(
        "month end: pair bank transactions with invoices and receipts (scored, "
        "previewed, --apply), or list the gaps"
    ),
    "invoices": N_("list, create, send and download invoices"),
    "quotations": N_("list, create, send and download quotations"),
    "dashboard": N_(
        "serve a local web page of the books: treasury, unpaid invoices, cash flows, yearly review"
    ),
    "sync": N_("mirror the books into a local SQLite file, incrementally"),
    "sql": N_("run a SQL query on the mirror made by `tiime sync`"),
    "fec": N_("write the FEC (Fichier des Écritures Comptables) of a year, or check one"),
    "sandbox": N_("serve the local sandbox in the foreground"),
    "mcp": N_(
        "serve the books to an AI assistant (Model Context Protocol): read-only unless "
        "--allow-writes"
    ),
    "completion": N_("print the shell completion script"),
    "version": N_("the version of tiime and of Python (JSON with --format json)"),
}


def register(name: str, registrar: Registrar) -> None:
    """Let the group ``name`` of :data:`GROUPS` declare its commands."""
    import_module(f"{__name__}.{name}").register(registrar)
