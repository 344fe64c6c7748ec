"""Writes in two calls: a **preview** that checks the arguments, builds the exact request
with the SDK's own builder and sends nothing, then a **commit** that sends it.

The preview answers a confirmation token ``NONCE.EXPIRES.MAC``: MAC is an HMAC-SHA256,
under a secret drawn when the process starts, of the nonce, the expiry, the action, the
company, the method, the path and the SHA-256 of the body. The commit accepts a token
once: it is spent on its first use whatever comes next, so a write is never sent twice;
a token that is unknown, spent, expired or altered (a longer expiry, another nonce) is
refused. Before sending, the request is built again from the same arguments and its MAC
checked against the token: what is sent is what was shown.

A commit whose outcome is unknown (no answer, a timeout, a 5xx) is not sent again: the
answer says so and how to find out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import _exceptions as E
from .._json import encode_body
from .._today import today
from . import _args as A
from ._books import Books, ServedCompany
from ._data import plain
from ._errors import ToolFailure, explain

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient

__all__ = ["TOKEN_TTL", "Writes"]

TOKEN_TTL = 300.0  # seconds a preview's token stays good
MAX_PENDING = 100

# What an imputation's label carries (as `tiime bank impute` sends it).
LABEL_KEYS = ("id", "label", "name", "acronym", "color", "client")
# Failures that say the request was not carried out (the server refused it, or the SDK did
# before sending); any other one leaves the outcome unknown.
REFUSED = (
    E.ValidationError,
    E.AuthenticationError,
    E.PermissionDeniedError,
    E.NotFoundError,
    E.RateLimitError,
    E.ConfigurationError,
    E.ClientClosedError,
)
# How to find out, when a write's outcome is unknown.
CHECK = {
    "create_invoice": "list invoices with status draft and look for it",
    "create_quotation": "list quotations and look for it",
    "update_invoice": "get the invoice and compare it with the preview",
    "impute_transaction": "get the bank_transactions record and read its imputations",
    "send_invoice": "ask the user to look at the invoice's sending history in Tiime",
}


@dataclass(frozen=True)
class Pending:
    """A previewed write: what the commit will call, and what the token is bound to."""

    action: str
    company: int
    build: Callable[[], Any]
    send: Callable[[], Awaitable[Any]]
    expires: int


def _lines(lines: list[A.Line]) -> list[dict[str, Any]]:
    """The lines as the SDK takes them (it computes the amounts)."""
    return [
        {
            "description": line.description,
            "quantity": line.quantity,
            "unit_amount": line.unit_price,
            "vat_type": {"code": line.vat},
        }
        for line in lines
    ]


def _builder(resource: Any, name: str) -> Callable[..., Any]:
    """The SDK builder of ``resource.name``: it checks the arguments and returns the request
    the call sends, without sending it (the same one ``tiime invoices create --dry-run``
    prints)."""
    build: Callable[..., Any] = inspect.getattr_static(type(resource), name).__wrapped__
    return lambda *args, **kwargs: build(resource, *args, **kwargs)


class Writes:
    """The preview and commit tools of one server. ``clock`` is ``time.monotonic`` unless a
    test moves time on."""

    def __init__(
        self,
        books: Books,
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = TOKEN_TTL,
        only: Sequence[str] = (),
    ) -> None:
        self.books = books
        self.only = {name.casefold() for name in only}
        self.clock = clock
        self.ttl = ttl
        self._secret = secrets.token_bytes(32)
        self._pending: dict[str, Pending] = {}

    # -- tokens ---------------------------------------------------------------------------

    def _mac(self, nonce: str, expires: int, pending: Pending, request: Any) -> str:
        body = encode_body(request.json)
        message = "\n".join(
            [
                nonce,
                str(expires),
                pending.action,
                str(pending.company),
                request.method,
                request.path,
                hashlib.sha256(body).hexdigest(),
            ]
        )
        digest = hmac.new(self._secret, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    async def _writable(self, company: int | None) -> tuple[AsyncTiimeClient, ServedCompany]:
        """The client of ``company`` if writes are allowed on it."""
        client, served = await self.books.pick(company)
        if self.only and not {str(served.id), served.name.casefold()} & self.only:
            raise ToolFailure(
                f"Writes are not allowed on company {served.id} ({served.name}) by this "
                "server (only on those after --allow-writes): the user does it in Tiime."
            )
        return client, served

    async def _preview(
        self,
        action: str,
        company: int | None,
        call: Callable[[AsyncTiimeClient], tuple[Callable[..., Any], Callable[..., Any]]],
        kwargs: dict[str, Any],
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        client, served = await self._writable(company)
        build, send = call(client)
        request = build(**kwargs)  # checks the arguments: a ValidationError before anything
        now = self.clock()
        for nonce in [n for n, p in self._pending.items() if p.expires < now]:
            del self._pending[nonce]
        if len(self._pending) >= MAX_PENDING:
            raise ToolFailure(
                f"{MAX_PENDING} previews are waiting for a commit: commit or let them expire "
                f"({int(self.ttl)} s), then preview again."
            )
        expires = int(now + self.ttl) + 1
        pending = Pending(
            action=action,
            company=served.id,
            build=lambda: build(**kwargs),
            send=lambda: send(**kwargs),
            expires=expires,
        )
        nonce = secrets.token_urlsafe(12)
        token = f"{nonce}.{expires}.{self._mac(nonce, expires, pending, request)}"
        self._pending[nonce] = pending
        return {
            "action": action,
            "company": served.id,
            "method": request.method,
            "path": request.path,
            "body": plain(request.json),
            **(extra or {}),
            "token": token,
            "expires_in_seconds": int(self.ttl),
            "next": "nothing was sent: show this to the user; once they agree, call commit "
            "with the token",
        }

    async def commit(self, args: A.CommitArgs) -> dict[str, Any]:
        parts = args.token.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            raise ToolFailure("This is not a preview's token: preview the write again.")
        nonce, expires_text, mac = parts
        pending = self._pending.pop(nonce, None)  # spent now, whatever comes next
        if pending is None:
            raise ToolFailure(
                "This token is unknown or was already used (a write is never sent twice): "
                "preview the write again if it is still wanted."
            )
        expires = int(expires_text)
        request = pending.build()
        expected = self._mac(nonce, expires, pending, request)
        if expires != pending.expires or not hmac.compare_digest(mac, expected):
            raise ToolFailure(
                "This token does not match its preview (altered): preview the write again."
            )
        if self.clock() > expires:
            raise ToolFailure("This token has expired: preview the write again.")
        try:
            result = await pending.send()
        except Exception as exc:
            if isinstance(exc, REFUSED):  # answered 4xx, or checked before sending
                raise ToolFailure(f"Nothing was changed: {explain(exc)}") from None
            # No answer, a 5xx, an unreadable answer: it may have been done.
            raise ToolFailure(
                f"Outcome unknown: {explain(exc)} The request may have been carried out; it is "
                f"not sent again. To find out, {CHECK[pending.action]} before any new preview."
            ) from None
        answer: dict[str, Any] = {"done": pending.action, "company": pending.company}
        if result is not None:
            answer["result"] = plain(result)
        return answer

    # -- the previews ---------------------------------------------------------------------

    async def preview_draft(self, args: A.DraftArgs) -> dict[str, Any]:
        if (args.client_id is None) == (args.client_name is None):
            raise A.ArgumentError("give client_id or client_name (one of them)")
        if args.kind == "quotation" and args.due_date is not None:
            raise A.ArgumentError("due_date: a quotation has none")
        # The date is fixed now: the body must not change if the commit comes after midnight.
        date_name = "emission_date" if args.kind == "invoice" else "date"
        kwargs: dict[str, Any] = {
            "lines": _lines(args.lines),
            date_name: args.date or today(),
            "status": "draft",
        }
        for name in ("client_id", "client_name", "title", "due_date"):
            if getattr(args, name) is not None:
                kwargs[name] = getattr(args, name)
        extra: dict[str, Any] = {}
        if args.client_id is not None:  # a client that exists, named in the preview
            client, _ = await self._writable(args.company)
            found = await client.clients.get(args.client_id)
            extra["client"] = {"id": found.id, "name": found.name}

        def call(client: AsyncTiimeClient) -> Any:
            resource = client.invoices if args.kind == "invoice" else client.quotations
            return _builder(resource, "create"), resource.create

        return await self._preview(f"create_{args.kind}", args.company, call, kwargs, extra)

    async def preview_update(self, args: A.UpdateArgs) -> dict[str, Any]:
        client, _ = await self._writable(args.company)
        invoice = await client.invoices.get(args.invoice_id)
        if invoice.status != "draft":
            raise ToolFailure(
                f"Invoice {args.invoice_id} is {invoice.status}, not a draft: only a draft "
                "changes (a saved invoice is numbered and final)."
            )
        kwargs: dict[str, Any] = {}
        if args.title is not None:
            kwargs["title"] = args.title
        if args.date is not None:
            kwargs["emission_date"] = args.date
        if args.due_date is not None:
            kwargs["due_date"] = args.due_date
        if args.lines is not None:
            kwargs["lines"] = _lines(args.lines)
        if not kwargs:
            raise A.ArgumentError("give at least one of title, date, due_date, lines")
        now = plain(invoice)
        now.pop("totals_per_vat_type", None)
        invoice_id = invoice.id

        def call(client: AsyncTiimeClient) -> Any:
            build = _builder(client.invoices, "update")
            return (
                lambda **kw: build(invoice_id, **kw),
                lambda **kw: client.invoices.update(invoice_id, **kw),
            )

        extra = {"draft_now": now}
        return await self._preview("update_invoice", args.company, call, kwargs, extra)

    async def preview_imputation(self, args: A.ImputationArgs) -> dict[str, Any]:
        client, _ = await self._writable(args.company)
        transaction = await client.bank_transactions.get(args.transaction_id)
        if transaction.amount is None:
            raise ToolFailure("This transaction has no amount: it cannot be imputed.")
        labels = {label.id: label for label in await client.labels.standard()}
        labels.update({label.id: label for label in await client.labels.list()})
        shares = []
        for n, share in enumerate(args.imputations):
            label = labels.get(share.label_id)
            if label is None:
                raise A.ArgumentError(
                    f"imputations[{n}].label_id: no label {share.label_id} among the company's "
                    "and the standard ones (list resource=labels or standard_labels)"
                )
            fields = {key: value for key, value in plain(label).items() if key in LABEL_KEYS}
            shares.append({"label": fields, "amount": share.amount})
        kwargs = {
            "transaction": transaction.id,
            "imputations": shares,
            "amount": transaction.amount,
        }
        already = [plain(i) for i in transaction.imputations or []]
        extra = {
            "transaction": {"id": transaction.id, "wording": transaction.wording},
            "replaces": already,
        }

        def call(client: AsyncTiimeClient) -> Any:
            return _builder(client.bank_transactions, "impute"), client.bank_transactions.impute

        return await self._preview("impute_transaction", args.company, call, kwargs, extra)

    async def preview_send(self, args: A.SendArgs) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"recipients": list(args.recipients)}
        if args.subject is not None:
            kwargs["subject"] = args.subject
        if args.message is not None:
            kwargs["message"] = args.message
        invoice_id = args.invoice_id
        client, _ = await self._writable(args.company)
        invoice = await client.invoices.get(invoice_id)
        if invoice.status == "draft":
            raise ToolFailure(
                f"Invoice {invoice_id} is a draft: it is sent once saved (numbered); "
                "the user saves it in Tiime or with `tiime invoices update --status saved`."
            )
        extra = {
            "invoice": {
                "id": invoice.id,
                "number": invoice.compiled_number,
                "client_name": invoice.client_name,
                "total_including_taxes": invoice.total_including_taxes,
            }
        }

        def call(client: AsyncTiimeClient) -> Any:
            build = _builder(client.invoices, "send")
            return (
                lambda **kw: build(invoice_id, **kw),
                lambda **kw: client.invoices.send(invoice_id, **kw),
            )

        return await self._preview("send_invoice", args.company, call, kwargs, extra)
