"""``tiime reconcile``: the month-end pairs of bank transactions with invoices and
receipts, scored and explained (a preview unless ``--apply``), or with ``--gaps`` what is
left: payments without invoice, invoices without payment, card expenses without receipt.
The work is :mod:`tiime.reconcile`'s; this module reads flags and prints."""

from __future__ import annotations

import argparse
import sys

from ...i18n import _
from .._errors import EXIT_OK, EXIT_RUNTIME, CommandError, UsageError
from .._parser import Registrar, add_yes, day_range

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ...reconcile import Proposal
    from .._session import Session

PROPOSAL_COLUMNS = (
    "transaction_id",
    "transaction_date",
    "amount",
    "wording",
    "kind",
    "target_id",
    "target",
    "remaining",
    "score",
    "reasons",
)
GAP_COLUMNS = ("kind", "id", "date", "label", "amount", "remaining")
APPLIED_COLUMNS = ("kind", "transaction_id", "target_id", "status", "error", "note")


def register(registrar: Registrar) -> None:
    parser = registrar.command("reconcile", reconcile)
    parser.add_argument(
        "--from", dest="since", metavar="YYYY-MM-DD", help=_("first day (default: no bound)")
    )
    parser.add_argument(
        "--to", dest="until", metavar="YYYY-MM-DD", help=_("last day (default: no bound)")
    )
    parser.add_argument(
        "--min-score",
        type=int,
        metavar="N",
        help=_(
            "keep the pairs scoring N or more, 1 to 100 (default: 80, chosen by measurement "
            "on the sandbox's planted pairs: precision 0.999, recall 0.999)"
        ),
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--apply",
        action="store_true",
        help=_(
            "match the receipts and mark the invoices paid, part payments excepted "
            "(default: a preview, nothing sent)"
        ),
    )
    mode.add_argument(
        "--gaps",
        action="store_true",
        help=_(
            "list payments without invoice, invoices without payment, card expenses without "
            "receipt, with a total per list (default: the pairs)"
        ),
    )
    add_yes(parser)
    parser.add_argument(
        "--from-file",
        metavar="FILE",
        help=_(
            "the pairs to apply, reviewed: a CSV or JSON list with transaction_id, kind "
            "(invoice or document) and target_id, as this command prints them (default: "
            "compute)"
        ),
    )


def reconcile(session: Session, args: argparse.Namespace) -> int:
    from ...reconcile import DEFAULT_MIN_SCORE, Gap, apply, gaps, load_books, propose
    from ...reconcile._apply import Applied
    from ...reconcile._models import Proposal
    from .._confirm import confirm, require_terminal
    from .._progress import progress

    min_score = DEFAULT_MIN_SCORE if args.min_score is None else args.min_score
    if not 1 <= min_score <= 100:
        raise UsageError(_("--min-score {min_score}: give 1 to 100").format(min_score=min_score))
    since, until = day_range(args.since, args.until)
    if args.from_file and args.gaps:
        raise UsageError(_("--from-file applies reviewed pairs: not with --gaps"))
    if args.apply:
        require_terminal(_("apply the pairs"), yes=args.yes)
    client = session.client()
    if args.from_file:
        proposals = read_proposals(args.from_file)
    else:
        with progress(_("Reading the transactions, invoices and documents...")):
            books = load_books(client, since=since, until=until)
        proposals = propose(books, min_score=min_score)
        if args.gaps:
            found = gaps(books, proposals)
            session.output.many([*found, *_totals(found)], kind=Gap, columns=GAP_COLUMNS)
            return EXIT_OK
    if not args.apply:
        session.output.many(proposals, kind=Proposal, columns=PROPOSAL_COLUMNS)
        if proposals:
            sys.stderr.write(
                _(
                    "Preview: {n} pairs, nothing sent. Run again with --apply to match and mark "
                    "paid (or save as CSV/JSON, review, and --from-file)."
                ).format(n=len(proposals))
                + "\n"
            )
        return EXIT_OK
    question = _("Apply {n} pairs: match the receipts, mark the invoices paid?").format(
        n=len(proposals)
    )
    if proposals and not confirm(_("apply the pairs"), question, yes=args.yes):
        raise CommandError(
            _("nothing sent: {n} pairs not applied (not confirmed)").format(n=len(proposals))
        )
    results = apply(client, proposals)
    session.output.many(results, kind=Applied, columns=APPLIED_COLUMNS)
    bad = [row for row in results if row.status in ("failed", "unknown", "not_sent")]
    if bad:
        sys.stderr.write(
            _(
                "tiime: {n} pairs not applied (see status); an 'unknown' one may have been "
                "made: `tiime bank matchings TX` or `tiime invoices get ID` tells"
            ).format(n=len(bad))
            + "\n"
        )
        return EXIT_RUNTIME
    return EXIT_OK


def _totals(found: list[Any]) -> list[Any]:
    """One ``total`` line per list: its count in ``id``, its sum in ``amount`` (and in
    ``remaining``, what the invoices still owe, for the invoices' list)."""
    from decimal import Decimal

    from ...reconcile import Gap

    sums: dict[str, list[Any]] = {}
    for gap in found:
        sums.setdefault(gap.kind, []).append(gap)
    return [
        Gap(
            kind=f"total {kind}",
            id=len(gaps),
            label=f"{len(gaps)} items",
            amount=sum((gap.amount or Decimal(0) for gap in gaps), Decimal(0)),
            remaining=None
            if all(gap.remaining is None for gap in gaps)
            else sum((gap.remaining or Decimal(0) for gap in gaps), Decimal(0)),
        )
        for kind, gaps in sums.items()
    ]


def read_proposals(name: str) -> list[Proposal]:
    """The reviewed pairs of a CSV (a header line naming the columns) or JSON file (a list
    of objects): ``transaction_id``, ``kind`` and ``target_id`` each, the rest ignored."""
    import csv
    import json
    from pathlib import Path

    from ...reconcile import Proposal

    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            _("--from-file {path}: {value}").format(path=path, value=exc.strerror or exc)
        ) from None
    except UnicodeDecodeError:
        raise UsageError(_("--from-file {path}: not UTF-8 text").format(path=path)) from None
    rows: Any
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise UsageError(
                _("--from-file {path}: not valid JSON ({exc})").format(path=path, exc=exc)
            ) from None
        if not isinstance(rows, list):
            raise UsageError(_("--from-file {path}: expected a list of pairs").format(path=path))
    else:
        rows = list(csv.DictReader(text.splitlines()))
    proposals = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise UsageError(
                _("--from-file {path}: pair {number} is not an object").format(
                    path=path, number=number
                )
            )
        kind = row.get("kind")
        if kind not in ("invoice", "document"):
            raise UsageError(
                _("--from-file {path}: pair {number}: kind must be invoice or document").format(
                    path=path, number=number
                )
            )
        try:
            transaction_id, target_id = int(row["transaction_id"]), int(row["target_id"])
        except (KeyError, TypeError, ValueError):
            raise UsageError(
                _(
                    "--from-file {path}: pair {number}: transaction_id and target_id must be ids"
                ).format(path=path, number=number)
            ) from None
        if transaction_id < 1 or target_id < 1:
            raise UsageError(
                _("--from-file {path}: pair {number}: ids are positive").format(
                    path=path, number=number
                )
            )
        proposals.append(
            Proposal(kind=kind, transaction_id=transaction_id, target_id=target_id, score=0)
        )
    return proposals
