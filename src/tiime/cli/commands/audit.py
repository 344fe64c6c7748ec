"""``tiime audit``: transactions to impute and receipts missing, per company."""

from __future__ import annotations

import argparse
import sys

from .._errors import EXIT_OK, EXIT_RUNTIME
from .._parser import Registrar, positive_int
from .bank import add_companies

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._audit import Audit
    from .._bookkeeping import Company
    from .._session import Session

FINDING_COLUMNS = (
    "transaction_id",
    "transaction_date",
    "wording",
    "amount",
    "suggested_label_name",
)
MISSING_COLUMNS = ("transaction_id", "transaction_date", "wording", "amount", "label_name")
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
    audit.add_argument(
        "--concurrency",
        type=positive_int,
        default=5,
        metavar="N",
        help=f"requests at a time, at most {MAX_CONCURRENCY} (default: 5)",
    )


def audit_(session: Session, args: argparse.Namespace) -> int:
    import asyncio

    from .._audit import Audit, AuditRow, rows_of
    from .._bookkeeping import select_companies, today
    from .._errors import UsageError

    if args.concurrency > MAX_CONCURRENCY:
        raise UsageError(f"--concurrency is at most {MAX_CONCURRENCY}, not {args.concurrency}")
    companies = select_companies(session.client(), args.company, args.all_companies)
    report = Audit(date=today(), companies=[], apply_mode=args.apply)
    # One event loop: on Ctrl-C it cancels every task where it stands (nothing queued is
    # sent), closes the client and raises KeyboardInterrupt (one line, exit 130).
    asyncio.run(_audit_all(session, companies, report, args))
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


async def _audit_all(
    session: Session, companies: list[Company], report: Audit, args: argparse.Namespace
) -> None:
    """Each company's audit in turn, on one async client, ``--concurrency`` requests at most
    at a time."""
    import asyncio

    from ... import _exceptions as E
    from .._audit import CompanyAudit, audit_company
    from .._errors import describe

    slots = asyncio.Semaphore(args.concurrency)
    async with session.async_client() as client:
        for company in companies:
            try:
                done = await audit_company(client, company, apply=args.apply, slots=slots)
            except E.TiimeError as exc:
                done = CompanyAudit(
                    company_id=company.id, company_name=company.name, error=describe(exc)
                )
                sys.stderr.write(f"tiime: company {company.id} ({company.name}): {done.error}\n")
            report.companies.append(done)
