"""``tiime fec --year Y`` and ``tiime fec check FILE``: the Fichier des Écritures
Comptables, a pre-accounting export for the accountant to import and review (see
:mod:`tiime.fec` for the mapping)."""

from __future__ import annotations

import argparse
import sys

from ...i18n import _
from .._errors import EXIT_OK, EXIT_RUNTIME
from .._parser import Registrar
from .bank import add_companies

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

MIN_YEAR, MAX_YEAR = 1900, 9999


def _year(text: str) -> int:
    if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise argparse.ArgumentTypeError(_("a year such as 2026, not {text!r}").format(text=text))
    return int(text)


def register(registrar: Registrar) -> None:
    command = registrar.command(
        "fec",
        fec_,
        description=_(
            "Write the FEC (Fichier des Écritures Comptables) of the accounting period "
            "closing in --year: a sales journal from the invoices, a bank journal per "
            "account from the imputed transactions, unimputed ones on the suspense account "
            "471000 (listed in a warning). A pre-accounting export built from Tiime's data, "
            "for the accountant to import and review. `tiime fec check FILE` checks any FEC "
            "(fields, encoding, dates, amounts, balanced entries)."
        ),
    )
    command.add_argument(
        "check",
        nargs="*",
        metavar="check FILE",
        help=_("check the FEC file FILE instead of writing one"),
    )
    command.add_argument(
        "--year", type=_year, help=_("the year the period closes in (required to write a FEC)")
    )
    add_companies(command)
    command.add_argument(
        "--dir",
        default=".",
        metavar="DIR",
        help=_("where to write <SIREN>FEC<AAAAMMJJ>.txt (default: the current directory)"),
    )


def fec_(session: Session, args: argparse.Namespace) -> int:
    from .._errors import UsageError

    if args.check:
        if len(args.check) != 2 or args.check[0] != "check":
            raise UsageError(_("usage: tiime fec check FILE, or tiime fec --year YEAR"))
        if args.year is not None or args.company or args.all_companies:
            raise UsageError(_("tiime fec check takes a file only"))
        return _check(session, args.check[1])
    if args.year is None:
        raise UsageError(_("--year is required (the year the accounting period closes in)"))
    return _export(session, args)


def _export(session: Session, args: argparse.Namespace) -> int:
    from pathlib import Path

    from ...fec import build_fec, fec_filename, write_fec
    from .._bookkeeping import select_companies
    from .._errors import CommandError

    directory = Path(args.dir)
    if not directory.is_dir():
        raise CommandError(_("--dir {directory}: no such directory").format(directory=directory))
    client = session.client()
    written = []
    for company in select_companies(client, args.company, args.all_companies):
        export = build_fec(client.with_options(company_id=company.id), args.year)
        path = write_fec(export, directory)
        for warning in export.warnings:
            sys.stderr.write(
                _("tiime: warning: {name}: {warning}").format(name=company.name, warning=warning)
                + "\n"
            )
        written.append(
            {
                "company_id": company.id,
                "file": str(path),
                "name": fec_filename(export),
                "period_start": export.start,
                "period_end": export.end,
                "entries": export.entries,
                "lines": len(export.lines),
                "unimputed_transactions": export.unimputed,
                "warnings": export.warnings,
            }
        )
    sys.stderr.write(
        _(
            "tiime: a pre-accounting export built from Tiime's data: for the accountant to "
            "import and review"
        )
        + "\n"
    )
    session.output.one(written[0] if len(written) == 1 else {"files": written})
    return EXIT_OK


def _check(session: Session, file: str) -> int:
    from pathlib import Path

    from ...fec import check_fec
    from .._errors import CommandError

    path = Path(file)
    if not path.is_file():
        raise CommandError(_("{path}: no such file").format(path=path))
    result = check_fec(path)
    session.output.one(
        {
            "file": str(path),
            "ok": result.ok,
            "encoding": result.encoding,
            "lines": result.lines,
            "entries": result.entries,
            "debit": result.debit,
            "credit": result.credit,
            "problems": result.problems,
            "more_problems": result.more_problems,
        }
    )
    return EXIT_OK if result.ok else EXIT_RUNTIME
