"""``tiime audit``: transactions to impute and receipts missing, per company."""

from __future__ import annotations

import argparse

from ...i18n import _
from .._errors import EXIT_OK, EXIT_RUNTIME
from .._parser import Registrar, add_yes, positive_int
from .bank import add_companies

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

FINDING_COLUMNS = (
    "transaction_id",
    "transaction_date",
    "amount",
    "wording",
    "suggested_label_name",
)
MISSING_COLUMNS = ("transaction_id", "transaction_date", "amount", "wording", "label_name")
MAX_CONCURRENCY = 20


def register(registrar: Registrar) -> None:
    audit = registrar.command(
        "audit",
        audit_,
    )
    add_companies(audit)
    audit.add_argument(
        "--apply",
        action="store_true",
        help=_("impute each transaction that has a suggestion (default: off, report only)"),
    )
    add_yes(audit)
    audit.add_argument(
        "--concurrency",
        type=positive_int,
        default=5,
        metavar="N",
        help=_("requests at a time, at most {MAX_CONCURRENCY} (default: 5)").format(
            MAX_CONCURRENCY=MAX_CONCURRENCY
        ),
    )


def audit_(session: Session, args: argparse.Namespace) -> int:
    from .._audit import Audit, AuditRow, audit_companies, rows_of
    from .._bookkeeping import select_companies_async, today
    from .._confirm import confirm, require_terminal
    from .._errors import CommandError, UsageError
    from .._loop import run as run_loop

    if args.concurrency > MAX_CONCURRENCY:
        raise UsageError(
            _("--concurrency is at most {MAX_CONCURRENCY}, not {concurrency}").format(
                MAX_CONCURRENCY=MAX_CONCURRENCY, concurrency=args.concurrency
            )
        )
    if args.apply:
        require_terminal(_("impute"), yes=args.yes)  # before any call

    async def run() -> Audit:  # in one event loop; Ctrl-C cancels it all
        async with session.async_client() as client:
            companies = await select_companies_async(client, args.company, args.all_companies)
            names = ", ".join(company.name for company in companies)
            question = _(
                "Impute each transaction that has a suggested label, in {companies}?"
            ).format(companies=names)
            if args.apply and not confirm(_("impute"), question, yes=args.yes):
                raise CommandError(_("nothing imputed (not confirmed)"))  # before any write
            report = Audit(date=today(), companies=[], apply_mode=args.apply)
            report.companies = await audit_companies(
                client, companies, apply=args.apply, concurrency=args.concurrency
            )
            return report

    report = run_loop(run)
    output = session.output
    if output.fmt == "json":
        output.one(report)
    elif output.fmt == "csv":
        output.many(rows_of(report), kind=AuditRow, columns=())
    else:
        for audited in report.companies:
            output.out.write(f"\n== {audited.company_name} ({audited.company_id})\n")
            if audited.error:
                output.out.write(_("error: {error}").format(error=audited.error) + "\n")
                continue
            output.out.write(
                "\n"
                + _("To impute ({total_unimputed}):").format(
                    total_unimputed=audited.summary.total_unimputed
                )
                + "\n"
            )
            output.many(audited.unimputed_transactions, kind=AuditRow, columns=FINDING_COLUMNS)
            output.out.write(
                "\n"
                + _(
                    "Without receipt, {period_start} to {period_end} ({total_missing_documents}):"
                ).format(
                    period_start=audited.period_start,
                    period_end=audited.period_end,
                    total_missing_documents=audited.summary.total_missing_documents,
                )
                + "\n"
            )
            output.many(audited.missing_documents, kind=AuditRow, columns=MISSING_COLUMNS)
            output.out.write("\n")
            output.one(audited.summary)
    failed = any(
        c.error or any(a.status == "error" for a in c.applied_imputations) for c in report.companies
    )
    return EXIT_RUNTIME if failed else EXIT_OK
