"""The examples each command's ``--help`` ends with: real commands, checked on the sandbox.

``tests/cli/test_help.py`` runs every one of them against the demo sandbox (with
``--sandbox``), so that an example that stops working fails a test: the ids below are
the demo data's (client 100101, invoice 500118, draft 500120, quotation 80030,
transaction 880319, label 900001, document 500060, expense report 3001).
A plain dict of text: imported by ``--help`` alone, it costs nothing at start-up.
"""

from __future__ import annotations

EXAMPLES: dict[str, tuple[str, ...]] = {
    "auth status": ("tiime auth status",),
    "company list": ("tiime company list",),
    "company get": ("tiime company get",),
    "company vat": ("tiime company vat",),
    "company me": ("tiime company me",),
    "clients list": (
        "tiime clients list --limit 10",
        "tiime clients list --format csv --columns id,name,email > clients.csv",
    ),
    "clients get": ("tiime clients get 100101",),
    "clients create": (
        "tiime clients create --name 'Boulangerie Martin' --email contact@boulangerie.fr",
    ),
    "clients search": ("tiime clients search boulangerie",),
    "clients contacts": ("tiime clients contacts 100101",),
    "labels list": ("tiime labels list",),
    "labels standard": ("tiime labels standard --limit 20",),
    "labels tags": ("tiime labels tags",),
    "documents list": ("tiime documents list --limit 10",),
    "documents categories": ("tiime documents categories",),
    "documents download": ("tiime documents download 500060 --output .",),
    "expenses list": ("tiime expenses list",),
    "expenses get": ("tiime expenses get 3001",),
    "expenses create": ("tiime expenses create --name 'Déplacement Lyon' --date 2026-11-03",),
    "bank balance": ("tiime bank balance",),
    "bank accounts": ("tiime bank accounts",),
    "bank transactions": (
        "tiime bank transactions --limit 20",
        "tiime bank transactions --format xlsx --output transactions.xlsx",
    ),
    "bank unimputed": ("tiime bank unimputed --limit 10",),
    "bank impute": ("tiime bank impute 880319 --label-id 900001 --dry-run",),
    "bank auto-impute": ("tiime bank auto-impute --limit 5",),
    "invoices list": (
        "tiime invoices list --status sent --limit 10",
        "tiime invoices list --format xlsx --output factures.xlsx",
        "tiime invoices list --format csv --columns id,compiled_number,total_including_taxes",
    ),
    "invoices get": ("tiime invoices get 500118",),
    "invoices create": (
        "tiime invoices create --client-id 100101 --description 'Conseil' "
        "--quantity 2 --unit-price 450 --vat normal",
    ),
    "invoices update": ("tiime invoices update 500120 --title 'Mission de novembre'",),
    "invoices duplicate": ("tiime invoices duplicate 500118",),
    "invoices send": ("tiime invoices send 500118 --email compta@client.fr",),
    "invoices pdf": ("tiime invoices pdf 500118 --output facture.pdf",),
    "invoices delete": ("tiime invoices delete 500120 --yes",),
    "quotations list": ("tiime quotations list --limit 10",),
    "quotations get": ("tiime quotations get 80030",),
    "quotations create": (
        "tiime quotations create --client-id 100101 --description 'Audit' "
        "--quantity 3 --unit-price 800 --vat normal",
    ),
    "quotations send": ("tiime quotations send 80030 --email achats@client.fr",),
    "quotations pdf": ("tiime quotations pdf 80030 --output devis.pdf",),
    "audit": ("tiime audit",),
    "status": ("tiime status",),
}


def epilog(name: str) -> str | None:
    """The ``Examples:`` block of the command ``name`` (``"invoices list"``), if any."""
    examples = EXAMPLES.get(name)
    if not examples:
        return None
    from ..i18n import _

    return _("examples:") + "\n" + "".join(f"  {example}\n" for example in examples)
