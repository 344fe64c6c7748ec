"""``tiime bank balance|accounts|transactions|transaction|unimputed|suggestions|impute|match|
matchings|attach|auto-impute``: the bank, and month-end matching."""

from __future__ import annotations

import argparse
import sys

from ...i18n import N_, _
from .._errors import EXIT_OK, EXIT_RUNTIME
from .._parser import (
    Registrar,
    add_id,
    add_limit,
    add_yes,
    date_range,
    iso_date,
    positive_int,
    sorts,
)
from .bank_matching import register_matching

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._session import Session

ACCOUNT_COLUMNS = ("id", "name", "balance_amount", "balance_currency", "iban", "enabled", "closed")
BALANCE_COLUMNS = ("name", "balance_amount", "currency")
# What a table shows, by importance: the last ones are left out on a narrow terminal.
TRANSACTION_COLUMNS = (
    "id",
    "transaction_date",
    "amount",
    "wording",
    "operation_type",
    "count_documents",
    "bank_name",
    "status",
)
TRANSACTION_TOTALS = ("amount",)
AUTO_COLUMNS = (
    "transaction_id",
    "amount",
    "status",
    "reason",
    "suggested_label_name",
    "wording",
    "company_name",
    "error",
)
NOT_FOUND = N_("`tiime bank transactions` shows the transactions' ids")


def register(registrar: Registrar) -> None:
    group = registrar.group("bank")
    group.command("balance", _("the balance of each enabled account"), balance)

    accounts = group.command("accounts", _("the bank accounts"), accounts_)
    accounts.add_argument(
        "--enabled",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=_("enabled accounts, or with --no-enabled the disabled ones (default: enabled)"),
    )
    accounts.add_argument(
        "--all", action="store_true", help=_("every account, enabled or not (default: off)")
    )

    listing = group.command(
        "transactions",
        _("the bank transactions (`transactions get TX`: one, with its imputations)"),
        transactions,
        not_found=NOT_FOUND,
    )
    listing.add_argument(
        "get", nargs="?", choices=("get",), help=_("`get TX` shows one transaction")
    )
    listing.add_argument("tx", nargs="?", type=positive_int, metavar="TX", help=argparse.SUPPRESS)
    listing.add_argument(
        "--bank-account", type=positive_int, metavar="ID", help=_("one account only (default: all)")
    )
    listing.add_argument(
        "--hide-refused",
        action="store_true",
        help=_("leave refused transactions out (default: off)"),
    )
    listing.add_argument(
        "--sort",
        metavar="FIELD:DIR",
        type=sorts(),
        help=_("order, e.g. amount:asc (default: the server's, latest first)"),
    )
    listing.add_argument(
        "--from",
        dest="from_date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("first day (default: none)"),
    )
    listing.add_argument(
        "--to",
        dest="to_date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("last day (default: none)"),
    )
    listing.add_argument("--search", metavar="TEXT", help=_("part of the wording (default: none)"))
    listing.add_argument(
        "--page",
        type=positive_int,
        help=_("one page only (from 1), printed with its metadata in JSON (default: every page)"),
    )
    listing.add_argument(
        "--page-size",
        type=positive_int,
        default=100,
        help=_("transactions a page with --page (default: 100)"),
    )
    listing.add_argument(
        "--all",
        action="store_true",
        help=_("every page (the default already; kept for scripts of the TypeScript CLI)"),
    )
    add_limit(listing)

    unimputed = group.command("unimputed", _("the transactions not imputed yet"), unimputed_)
    add_limit(unimputed)

    impute = group.command(
        "impute", _("impute a transaction to a label"), impute_, not_found=NOT_FOUND
    )
    add_id(impute, _("the transaction's id"))
    which_label = impute.add_mutually_exclusive_group(required=True)
    which_label.add_argument(
        "--label",
        metavar="NAME|ID",
        help=_(
            "the label, by id or by name (suggested ones first, then the company's and the "
            "standard labels; a name shared by several is refused, the candidates listed; "
            "required: this or --label-id)"
        ),
    )
    which_label.add_argument(
        "--label-id", type=positive_int, help=_("the label's id (required: this or --label)")
    )
    impute.add_argument(
        "--label-name", help=_("the label's name shown by --dry-run (default: the label's own)")
    )
    impute.add_argument(
        "--dry-run",
        action="store_true",
        help=_("show what would be sent, send nothing (default: off)"),
    )

    register_matching(group)

    auto = group.command(
        "auto-impute",
        _("impute each unimputed transaction to its first suggested label"),
        auto_impute,
    )
    mode = auto.add_mutually_exclusive_group()
    mode.add_argument(
        "--apply", action="store_true", help=_("impute for real (default: off, a dry run)")
    )
    mode.add_argument(
        "--dry-run",
        action="store_true",
        help=_("only show what would be imputed (the default without --apply)"),
    )
    add_companies(auto)
    auto.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help=_("stop after N transactions with a suggestion, per company (default: all)"),
    )
    add_yes(auto)


def add_companies(parser: argparse.ArgumentParser) -> None:
    """``--company ID|NAME,...`` and ``--all-companies`` (auto-impute, audit)."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--company",
        metavar="ID|NAME,...",
        help=_("these companies, by id or name (case ignored) (default: the current company)"),
    )
    which.add_argument(
        "--all-companies", action="store_true", help=_("every company of the user (default: off)")
    )


def balance(session: Session, args: argparse.Namespace) -> int:
    from ...types import AccountBalance

    balances = session.client().bank_accounts.balance()
    session.output.many(balances, kind=AccountBalance, columns=BALANCE_COLUMNS)
    return EXIT_OK


def accounts_(session: Session, args: argparse.Namespace) -> int:
    from ...types import BankAccount

    enabled = None if args.all else args.enabled
    found = session.client().bank_accounts.list(enabled=enabled)
    session.output.many(found, kind=BankAccount, columns=ACCOUNT_COLUMNS)
    return EXIT_OK


def transactions(session: Session, args: argparse.Namespace) -> int:
    if args.get is not None:
        from .._errors import UsageError

        if args.tx is None:
            raise UsageError(_("transactions get: give the transaction's id (TX)"))
        session.output.one(session.client().bank_transactions.get(args.tx))
        return EXIT_OK
    from ...types import BankTransaction
    from .._listing import limited, page_size, read_ahead
    from .._progress import until_first

    date_range(args.from_date, args.to_date)
    filters = {
        "bank_account": args.bank_account,
        "hide_refused": args.hide_refused,
        "sorts": args.sort,
        "from_date": args.from_date,
        "to_date": args.to_date,
        "search": args.search,
    }
    client = session.client()
    if args.page is not None:
        page = client.bank_transactions.list_page(
            page=args.page, page_size=args.page_size, **filters
        )
        if session.output.fmt == "json":
            session.output.one(page)
        else:
            shown = limited(page.transactions or [], args.limit)
            session.output.many(
                shown, kind=BankTransaction, columns=TRANSACTION_COLUMNS, totals=TRANSACTION_TOTALS
            )
        return EXIT_OK
    found = client.bank_transactions.iter(page_size=page_size(args.limit), **filters)
    shown = until_first(read_ahead(limited(found, args.limit)), _("Fetching transactions..."))
    session.output.many(
        shown, kind=BankTransaction, columns=TRANSACTION_COLUMNS, totals=TRANSACTION_TOTALS
    )
    return EXIT_OK


def unimputed_(session: Session, args: argparse.Namespace) -> int:
    from ...types import BankTransaction
    from .._progress import progress

    with progress(_("Fetching unimputed transactions...")):
        found = session.client().bank_transactions.unimputed(limit=args.limit)
    session.output.many(
        found, kind=BankTransaction, columns=TRANSACTION_COLUMNS, totals=TRANSACTION_TOTALS
    )
    return EXIT_OK


def impute_(session: Session, args: argparse.Namespace) -> int:
    from ...types import LabelSuggestion
    from .._bookkeeping import impute_to, label_name
    from .._errors import CommandError

    client = session.client()
    transaction = client.bank_transactions.get(args.id)
    suggestions = client.bank_transactions.label_suggestions(args.id)
    if args.label is not None:
        from .bank_matching import resolve_label

        args.label_id = resolve_label(client, suggestions, args.label)
    label = next((s for s in suggestions if s.id == args.label_id), None)
    if label is None:  # not suggested: the company's own labels, then the standard ones
        found = next(
            (
                known
                for listing in (client.labels.list, client.labels.standard)
                for known in listing()
                if known.id == args.label_id
            ),
            None,
        )
        if found is None:
            raise CommandError(
                _(
                    "label {label_id} is neither suggested for transaction {id} nor among the "
                    "company's labels (`tiime labels list` shows them)"
                ).format(label_id=args.label_id, id=args.id)
            )
        label = LabelSuggestion(
            id=found.id,
            label=found.label,
            name=found.name,
            acronym=found.acronym,
            color=found.color,
            client=found.client,
        )
    if args.dry_run:
        session.output.one(
            {
                "dry_run": True,
                "transaction_id": transaction.id,
                "wording": transaction.wording,
                "amount": transaction.amount,
                "currency": transaction.currency,
                "label_id": label.id,
                "label_name": args.label_name or label_name(label),
            }
        )
        return EXIT_OK
    session.output.one(impute_to(client, transaction, label))
    return EXIT_OK


def auto_impute(session: Session, args: argparse.Namespace) -> int:
    """Each company's unimputed transactions and their first suggested label (a row each,
    ``proposed`` or ``skipped`` with its reason); with ``--apply``, once confirmed, the
    proposed ones imputed."""
    from ... import _exceptions as E
    from .._bookkeeping import (
        ALREADY_IMPUTED,
        NO_SUGGESTION,
        AutoImputeRow,
        bar,
        impute_to,
        label_name,
        select_companies,
    )
    from .._confirm import confirm, require_terminal
    from .._errors import CommandError, describe

    if args.apply:
        require_terminal(_("impute"), yes=args.yes)
    client = session.client()
    companies = select_companies(client, args.company, args.all_companies)
    rows: list[AutoImputeRow] = []
    todo: list[tuple[AutoImputeRow, Any, Any, Any]] = []  # row, client, transaction, label
    failed = False
    for company in companies:
        scoped = client.with_options(company_id=company.id)
        try:
            pending = scoped.bank_transactions.unimputed()
        except E.TiimeError as exc:
            sys.stderr.write(
                _("tiime: company {id} ({name}): {value}").format(
                    id=company.id, name=company.name, value=describe(exc)
                )
                + "\n"
            )
            failed = True
            continue
        suggested = 0
        with bar(
            len(pending), _("{name}: {n} transactions").format(name=company.name, n=len(pending))
        ) as progress:
            for transaction in pending:
                if args.limit is not None and suggested >= args.limit:
                    break
                row = AutoImputeRow(
                    company_id=company.id,
                    company_name=company.name,
                    transaction_id=transaction.id,
                    wording=transaction.wording,
                    amount=transaction.amount,
                    currency=transaction.currency,
                    suggested_label_id=None,
                    suggested_label_name=None,
                    status="skipped",
                )
                rows.append(row)
                progress.advance()
                if transaction.imputations:  # in part, or since the listing
                    row.reason = _(ALREADY_IMPUTED)
                    continue
                try:
                    suggestions = scoped.bank_transactions.label_suggestions(transaction.id)
                except E.TiimeError as exc:
                    row.status, row.error = "error", describe(exc)
                    failed = True
                    continue
                if not suggestions:
                    row.reason = _(NO_SUGGESTION)
                    continue
                suggested += 1
                first = suggestions[0]
                row.suggested_label_id, row.suggested_label_name = first.id, label_name(first)
                row.status = "proposed"
                todo.append((row, scoped, transaction, first))
    if args.apply and todo:
        question = _("Impute {n} transactions to their first suggested label?").format(n=len(todo))
        if not confirm(_("impute"), question, yes=args.yes):
            raise CommandError(
                _("nothing imputed: {n} transactions kept (not confirmed)").format(n=len(todo))
            )
        with bar(len(todo), _("Imputing {n} transactions").format(n=len(todo))) as progress:
            for row, scoped, transaction, first in todo:
                try:
                    if transaction.amount is None or transaction.wording is None:
                        transaction = scoped.bank_transactions.get(transaction.id)
                    if transaction.imputations:
                        row.status, row.reason = "skipped", _(ALREADY_IMPUTED)
                    else:
                        impute_to(scoped, transaction, first)
                        row.status = "applied"
                except E.TiimeError as exc:
                    row.status, row.error = "error", describe(exc)
                    failed = True
                progress.advance()
    session.output.many(rows, kind=AutoImputeRow, columns=AUTO_COLUMNS)
    if not args.apply and any(row.status == "proposed" for row in rows):
        sys.stderr.write(_("Dry run: nothing imputed. Run again with --apply to impute.") + "\n")
    if failed:
        sys.stderr.write(_("tiime: some companies or transactions failed (reported above)") + "\n")
        return EXIT_RUNTIME
    return EXIT_OK
