"""``tiime audit``: transactions to impute and receipts missing, per company."""

from __future__ import annotations

import argparse
import sys

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
        help="impute each transaction that has a suggestion (default: off, report only)",
    )
    add_yes(audit)
    audit.add_argument(
        "--concurrency",
        type=positive_int,
        default=5,
        metavar="N",
        help=f"requests at a time, at most {MAX_CONCURRENCY} (default: 5)",
    )


def audit_(session: Session, args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Event

    from ... import _exceptions as E
    from .._audit import Audit, AuditRow, CompanyAudit, audit_company, rows_of
    from .._bookkeeping import select_companies, today
    from .._confirm import confirm, require_terminal
    from .._errors import CommandError, UsageError, describe

    if args.concurrency > MAX_CONCURRENCY:
        raise UsageError(f"--concurrency is at most {MAX_CONCURRENCY}, not {args.concurrency}")
    if args.apply:
        require_terminal("impute", yes=args.yes)
    client = session.client()
    companies = select_companies(client, args.company, args.all_companies)
    names = ", ".join(company.name for company in companies)
    question = f"Impute each transaction that has a suggested label, in {names}?"
    if args.apply and not confirm("impute", question, yes=args.yes):
        raise CommandError("nothing imputed (not confirmed)")
    report = Audit(date=today(), companies=[], apply_mode=args.apply)
    pool, stopped = ThreadPoolExecutor(max_workers=args.concurrency), Event()
    try:
        for company in companies:
            try:
                done = audit_company(client, company, apply=args.apply, pool=pool, stopped=stopped)
            except E.TiimeError as exc:
                done = CompanyAudit(
                    company_id=company.id, company_name=company.name, error=describe(exc)
                )
                sys.stderr.write(f"tiime: company {company.id} ({company.name}): {done.error}\n")
            report.companies.append(done)
    except BaseException:  # Ctrl-C: the queued requests are dropped, not waited for;
        stopped.set()  # the running ones end with their current request (the session
        pool.shutdown(wait=False, cancel_futures=True)  # then closes the client), silently
        raise
    pool.shutdown()
    output = session.output
    if output.fmt == "json":
        output.one(report)
    elif output.fmt == "csv":
        output.many(rows_of(report), kind=AuditRow, columns=())
    else:
        for audited in report.companies:
            output.out.write(f"\n== {audited.company_name} ({audited.company_id})\n")
            if audited.error:
                output.out.write(f"error: {audited.error}\n")
                continue
            output.out.write(f"\nTo impute ({audited.summary.total_unimputed}):\n")
            output.many(audited.unimputed_transactions, kind=AuditRow, columns=FINDING_COLUMNS)
            output.out.write(
                f"\nWithout receipt, {audited.period_start} to {audited.period_end} "
                f"({audited.summary.total_missing_documents}):\n"
            )
            output.many(audited.missing_documents, kind=AuditRow, columns=MISSING_COLUMNS)
            output.out.write("\n")
            output.one(audited.summary)
    failed = any(
        c.error or any(a.status == "error" for a in c.applied_imputations) for c in report.companies
    )
    return EXIT_RUNTIME if failed else EXIT_OK
