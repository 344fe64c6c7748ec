"""The arguments of every tool, as msgspec structs: one declaration gives both the JSON
schema the client sees (:func:`input_schema`) and the checking of a call's arguments
(:func:`parse`), so the two cannot drift apart.

The schema is msgspec's, made compact for a model's context: the root struct inlined,
nested structs inlined where used, ``title`` dropped, and an optional field's
``anyOf [X, null]`` written as ``X`` (leaving the field out means "not given").
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, TypeVar

import msgspec

__all__ = ["ArgumentError", "input_schema", "parse"]

T = TypeVar("T", bound=msgspec.Struct)

Id = Annotated[int, msgspec.Meta(ge=1)]
Company = Id  # the instructions say it: needed when several companies are served
Cursor = Annotated[str, msgspec.Meta(description="from the previous answer's next_cursor")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]

LISTABLE = Literal[
    "clients",
    "invoices",
    "quotations",
    "bank_accounts",
    "bank_transactions",
    "documents",
    "expense_reports",
    "labels",
    "standard_labels",
    "tags",
]
GETTABLE = Literal[
    "clients", "invoices", "quotations", "bank_accounts", "bank_transactions", "expense_reports"
]
DOWNLOADABLE = Literal["invoice_pdf", "quotation_pdf", "document"]
VAT = Literal["normal", "intermediate", "reduced", "super_reduced", "none"]


class ArgumentError(Exception):
    """A call's arguments do not fit the tool's schema (or each other)."""


class _Args(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class NoArgs(_Args):
    pass


class ListArgs(_Args):
    resource: LISTABLE
    company: Company | None = None
    status: (
        Annotated[Literal["draft", "saved", "sent", "paid"], msgspec.Meta(description="invoices")]
        | None
    ) = None
    search: (
        Annotated[Text, msgspec.Meta(description="clients: name; bank_transactions: wording")]
        | None
    ) = None
    archived: Annotated[bool, msgspec.Meta(description="clients")] | None = None
    from_date: Annotated[datetime.date, msgspec.Meta(description="bank_transactions")] | None = None
    to_date: Annotated[datetime.date, msgspec.Meta(description="bank_transactions")] | None = None
    amount_type: (
        Annotated[Literal["positive", "negative"], msgspec.Meta(description="bank_transactions")]
        | None
    ) = None
    bank_account: Annotated[Id, msgspec.Meta(description="bank_transactions")] | None = None
    type: Annotated[Text, msgspec.Meta(description="documents: category, e.g. receipt")] | None = (
        None
    )
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 20
    cursor: Cursor | None = None


class GetArgs(_Args):
    resource: GETTABLE
    id: Id
    company: Company | None = None


class CompanyArgs(_Args):
    company: (
        Annotated[int, msgspec.Meta(ge=1, description="company id (default: every company served)")]
        | None
    ) = None


class PagedArgs(_Args):
    company: Company | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=50)] = 10
    cursor: Cursor | None = None


class DownloadArgs(_Args):
    kind: DOWNLOADABLE
    id: Id
    company: Company | None = None


class Line(_Args):
    description: Text
    quantity: Annotated[float, msgspec.Meta(gt=0)]
    unit_price: Annotated[float, msgspec.Meta(description="euros, excluding VAT")]
    vat: VAT = "normal"


Lines = Annotated[list[Line], msgspec.Meta(min_length=1, max_length=100)]


class DraftArgs(_Args):
    kind: Literal["invoice", "quotation"]
    lines: Lines
    client_id: Id | None = None
    client_name: Text | None = None
    title: Text | None = None
    date: (
        Annotated[
            datetime.date, msgspec.Meta(description="emission date; default: today in France")
        ]
        | None
    ) = None
    due_date: Annotated[datetime.date, msgspec.Meta(description="invoice")] | None = None
    company: Company | None = None


class UpdateArgs(_Args):
    invoice_id: Id
    title: Text | None = None
    date: Annotated[datetime.date, msgspec.Meta(description="emission date")] | None = None
    due_date: datetime.date | None = None
    lines: Annotated[Lines, msgspec.Meta(description="replace all the lines")] | None = None
    company: Company | None = None


class Share(_Args):
    label_id: Id
    amount: Annotated[float, msgspec.Meta(description="euros, signed like the transaction")]


class ImputationArgs(_Args):
    transaction_id: Id
    imputations: Annotated[list[Share], msgspec.Meta(min_length=1, max_length=20)]
    company: Company | None = None


class BulkItem(_Args):
    transaction_id: Id
    label_id: Id


class BulkImputationArgs(_Args):
    items: Annotated[
        list[BulkItem],
        msgspec.Meta(min_length=1, max_length=50, description="each whole to one label"),
    ]
    company: Company | None = None


class MatchArgs(_Args):
    transaction_id: Id
    document_ids: Annotated[
        list[Id], msgspec.Meta(max_length=50, description="the whole set; [] unmatches all")
    ]
    company: Company | None = None


class SendArgs(_Args):
    invoice_id: Id
    recipients: Annotated[
        list[Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+$")]],
        msgspec.Meta(min_length=1, max_length=10),
    ]
    subject: Text | None = None
    message: Annotated[str, msgspec.Meta(max_length=5000)] | None = None
    company: Company | None = None


class UploadArgs(_Args):
    path: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=4096,
            description="absolute, or relative to the upload directory",
        ),
    ]
    type: (
        Annotated[Text, msgspec.Meta(description="category identifier; default: receipt")] | None
    ) = None
    company: Company | None = None


class CommitArgs(_Args):
    token: Annotated[str, msgspec.Meta(description="the token of a preview")]


def _compact(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_compact(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _compact(defs[ref.rsplit("/", 1)[1]], defs)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title":
            continue
        out[key] = _compact(value, defs)
    branches = out.get("anyOf")
    if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
        [kept] = [branch for branch in branches if branch != {"type": "null"}]
        del out["anyOf"]
        out.pop("default", None)
        out = {**kept, **out}
    return out


def input_schema(args: type[msgspec.Struct]) -> dict[str, Any]:
    """The JSON schema of a tool's arguments (compact: see the module's doc)."""
    raw = msgspec.json.schema(args)
    defs = raw.get("$defs", {})
    schema: dict[str, Any] = _compact(raw, defs)
    schema.pop("$defs", None)
    schema.pop("description", None)  # the tool's own description says it
    schema.setdefault("properties", {})
    return schema


def parse(args: type[T], arguments: dict[str, Any] | None) -> T:
    """A call's arguments as ``args``; :class:`ArgumentError` naming the first wrong one."""
    try:
        return msgspec.convert(arguments or {}, args)
    except msgspec.ValidationError as exc:
        raise ArgumentError(str(exc)) from None
