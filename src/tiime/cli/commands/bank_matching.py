"""``tiime bank transaction|suggestions|match|matchings|attach``: one transaction, the
labels suggested for it, the documents matched to it, and a receipt attached in one
command. Standard library only at the top (start-up speed)."""

from __future__ import annotations

import argparse

from ...i18n import N_, _
from .._errors import EXIT_OK, UsageError
from .._parser import add_id, positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..._client import TiimeClient
    from ...types import LabelSuggestion
    from .._parser import Group
    from .._session import Session

NOT_FOUND = N_("`tiime bank transactions` shows the transactions' ids")
SUGGESTION_COLUMNS = ("id", "name", "label", "acronym")
MATCHING_COLUMNS = ("id", "document", "bank_transaction", "matching_type", "invalid_matching")


def register_matching(group: Group) -> None:
    """The commands of this module, in the ``bank`` group."""
    add_id(
        group.command(
            "transaction",
            _("one transaction, with its imputations"),
            transaction_,
            not_found=NOT_FOUND,
        ),
        _("the transaction's id"),
    )
    add_id(
        group.command(
            "suggestions",
            _("the labels suggested for a transaction, best first"),
            suggestions_,
            not_found=NOT_FOUND,
        ),
        _("the transaction's id"),
    )
    match = group.command(
        "match",
        _("match documents to a transaction: the set given replaces the one matched"),
        match_,
        not_found=NOT_FOUND,
    )
    add_id(match, _("the transaction's id"))
    match.add_argument(
        "documents", type=positive_int, nargs="+", metavar="DOC", help=_("the documents' ids")
    )
    match.add_argument(
        "--keep",
        action="store_true",
        help=_("add to the documents already matched rather than replace them (default: replace)"),
    )
    add_id(
        group.command(
            "matchings",
            _("the documents matched to a transaction"),
            matchings_,
            not_found=NOT_FOUND,
        ),
        _("the transaction's id"),
    )
    attach = group.command(
        "attach",
        _("attach a receipt file to a transaction: uploaded and matched in one call"),
        attach_,
        not_found=NOT_FOUND,
    )
    add_id(attach, _("the transaction's id"))
    attach.add_argument("file", metavar="FILE", help=_("the receipt (PDF, JPEG, PNG...)"))


def transaction_(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().bank_transactions.get(args.id))
    return EXIT_OK


def suggestions_(session: Session, args: argparse.Namespace) -> int:
    from ...types import LabelSuggestion

    found = session.client().bank_transactions.label_suggestions(args.id)
    session.output.many(found, kind=LabelSuggestion, columns=SUGGESTION_COLUMNS)
    return EXIT_OK


def _matched_ids(client: TiimeClient, transaction_id: int) -> list[int]:
    return [
        matching.document.id
        for matching in client.bank_transactions.matchings(transaction_id)
        if matching.document is not None
    ]


def match_(session: Session, args: argparse.Namespace) -> int:
    from ...types import DocumentMatching

    client = session.client()
    ids = list(dict.fromkeys(args.documents))
    if args.keep:
        ids = list(dict.fromkeys([*_matched_ids(client, args.id), *ids]))
    matched = client.bank_transactions.match_documents(args.id, ids)
    session.output.many(matched, kind=DocumentMatching, columns=MATCHING_COLUMNS)
    return EXIT_OK


def matchings_(session: Session, args: argparse.Namespace) -> int:
    from ...types import DocumentMatching

    found = session.client().bank_transactions.matchings(args.id)
    session.output.many(found, kind=DocumentMatching, columns=MATCHING_COLUMNS)
    return EXIT_OK


def attach_(session: Session, args: argparse.Namespace) -> int:
    """Attach ``FILE`` to the transaction with one call, ``POST .../bank_transactions/{id}/
    receipts`` (the wire of the public Ruby client ``opus-codium/ruby-tiime``): the
    service makes the document and matches it, beside the documents already matched. The
    transaction is read first (an unknown id fails before any upload), and its matchings
    after (how many documents it has)."""
    from pathlib import Path

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(_("{path}: no such file").format(path=path))
    client = session.client()
    client.bank_transactions.get(args.id)
    document = client.bank_transactions.attach_receipt(args.id, path)
    matched = _matched_ids(client, args.id)
    session.output.one(
        {
            "status": "attached" if document.id in matched else "uploaded, not matched",
            "transaction_id": args.id,
            "document_id": document.id,
            "name": document.name,
            "matched_documents": len(matched),
        }
    )
    return EXIT_OK


def resolve_label(client: TiimeClient, suggestions: Sequence[LabelSuggestion], value: str) -> int:
    """The id of the label ``value`` names: an id as is; else the one label so named
    (case ignored), among the suggestions first, then the company's and the standard
    labels. None or several: a usage error listing the candidates."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    wanted = text.casefold()
    for listing in (lambda: suggestions, client.labels.list, client.labels.standard):
        found = {
            label.id: label
            for label in listing()
            if wanted in ((label.name or "").casefold(), (label.label or "").casefold())
        }
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            candidates = ", ".join(
                f"{key} {label.name or label.label}" for key, label in list(found.items())[:10]
            )
            raise UsageError(
                _("--label {text!r} names {n} labels: {candidates}; give its id").format(
                    text=text, n=len(found), candidates=candidates
                )
            )
    raise UsageError(
        _(
            "--label {text!r}: no label of that name (`tiime bank suggestions ID` and "
            "`tiime labels list` show them)"
        ).format(text=text)
    )
