"""A create whose answer is lost, against the sandbox (sync and async): the request reaches
the server and its answer is dropped (or it never reaches it). The SDK says the write may
have been made (AmbiguousWriteError, still an APIConnectionError), sends it once, and
``find_created()`` tells whether the record exists: its id, or None (safe to retry)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tiime import (
    AmbiguousWriteError,
    APIConnectionError,
    AsyncTiimeClient,
    TiimeClient,
)

from .._support import Env, close, run

LINES: list[Any] = [
    {"description": "Audit", "quantity": 2, "unit_amount": "150.25", "vat_type": {"code": "normal"}}
]


def _drops(request: httpx.Request) -> bool:
    """The API's POSTs lose their answer (the login's does not)."""
    return request.method == "POST" and "/v1/" in request.url.path


class DropAnswer(httpx.BaseTransport):
    """Sends each request to the sandbox; the answer to a POST is read there, then lost
    (the connection dropped after the request was sent). With ``reach=False`` the POST
    is lost before the server sees it."""

    def __init__(self, reach: bool) -> None:
        self.inner = httpx.HTTPTransport()
        self.reach = reach
        self.posts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not _drops(request):
            return self.inner.handle_request(request)
        self.posts += 1
        if self.reach:
            response = self.inner.handle_request(request)
            response.read()
            response.close()
        raise httpx.ReadError("connection reset by peer", request=request)

    def close(self) -> None:
        self.inner.close()


class AsyncDropAnswer(httpx.AsyncBaseTransport):
    """:class:`DropAnswer` for the async client."""

    def __init__(self, reach: bool) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.reach = reach
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not _drops(request):
            return await self.inner.handle_async_request(request)
        self.posts += 1
        if self.reach:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            await response.aclose()
        raise httpx.ReadError("connection reset by peer", request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def lossy(env: Env, flavour: str) -> Any:
    """``lossy(reach=...)``: a client whose POSTs lose their answer."""
    made: list[Any] = []

    def make(*, reach: bool) -> tuple[Any, Any]:
        settings = {
            "company_id": env.company_id,
            "email": env.email,
            "password": env.password,
            "base_url": env.base_url,
            "auth_url": env.auth_url,
        }
        if flavour == "sync":
            transport: Any = DropAnswer(reach)
            client: Any = TiimeClient(http_client=httpx.Client(transport=transport), **settings)
        else:
            transport = AsyncDropAnswer(reach)
            client = AsyncTiimeClient(
                http_client=httpx.AsyncClient(transport=transport), **settings
            )
        made.append(client)
        return client, transport

    yield make
    for client in made:
        await close(client)
        await run(client._http.aclose() if flavour == "async" else client._http.close())


def _unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:12]}"


# Each create: (record type, resource name, the create call, how to list what it made).
Create = Callable[[Any, str], Any]
CREATES: dict[str, tuple[str, Create]] = {
    "invoices": (
        "invoice",
        lambda c, tag: c.invoices.create(lines=LINES, title=tag, client_name="ACME"),
    ),
    "quotations": (
        "quotation",
        lambda c, tag: c.quotations.create(lines=LINES, title=tag, client_name="ACME"),
    ),
    "clients": (
        "client",
        lambda c, tag: c.clients.create(name=tag, email="compta@acme.example", city="Lyon"),
    ),
    "expense_reports": ("expense report", lambda c, tag: c.expense_reports.create(tag)),
    "documents": (
        "document",
        lambda c, tag: c.documents.upload(b"%PDF-1.4 receipt", filename=f"{tag}.pdf"),
    ),
}


async def _made(client: Any, resource: str, tag: str) -> list[int]:
    """The ids of the records carrying ``tag`` (read with a client that loses nothing)."""
    if resource == "invoices":
        items = await run(client.invoices.list(status="draft"))
        return [i.id for i in items if i.title == tag]
    if resource == "quotations":
        return [q.id for q in await run(client.quotations.list()) if q.title == tag]
    if resource == "clients":
        return [c.id for c in await run(client.clients.search(tag))]
    if resource == "expense_reports":
        return [r.id for r in await run(client.expense_reports.list()) if r.name == tag]
    return [d.id for d in await run(client.documents.list()) if d.name == f"{tag}.pdf"]


@pytest.mark.parametrize("resource", sorted(CREATES))
async def test_a_create_whose_answer_is_lost_is_found(
    client: Any, lossy: Any, resource: str
) -> None:
    record_type, create = CREATES[resource]
    tag = _unique("Perdu")
    lossy_client, transport = lossy(reach=True)

    with pytest.raises(AmbiguousWriteError) as caught:
        await run(create(lossy_client, tag))

    exc = caught.value
    assert isinstance(exc, APIConnectionError)  # existing except clauses still catch it
    assert exc.method == "POST"
    assert exc.endpoint is not None
    assert exc.endpoint.endswith(f"/{resource}")
    assert "may have been made" in str(exc)
    assert exc.record_type == record_type
    assert transport.posts == 1  # sent once, never replayed
    made = await _made(client, resource, tag)
    assert len(made) == 1

    found = await run(exc.find_created())
    assert found is not None
    assert found.id == made[0]
    by_resource = await run(getattr(lossy_client, resource).find_created(exc.sent, since=exc.since))
    assert by_resource is not None
    assert by_resource.id == made[0]


@pytest.mark.parametrize("resource", sorted(CREATES))
async def test_a_create_that_never_reached_the_server_is_not_found(
    client: Any, lossy: Any, resource: str
) -> None:
    _, create = CREATES[resource]
    tag = _unique("Jamais")
    lossy_client, _ = lossy(reach=False)

    with pytest.raises(AmbiguousWriteError) as caught:
        await run(create(lossy_client, tag))

    assert await _made(client, resource, tag) == []
    assert await run(caught.value.find_created()) is None  # not created: safe to retry


async def test_an_invoice_like_the_one_sent_but_older_is_told_apart(
    client: Any, lossy: Any
) -> None:
    tag = _unique("Autre")
    lossy_client, _ = lossy(reach=False)
    # Same title, other lines: not what the lost call sent.
    await run(
        client.invoices.create(
            lines=[{**LINES[0], "unit_amount": Decimal("99")}], title=tag, client_name="ACME"
        )
    )

    with pytest.raises(AmbiguousWriteError) as caught:
        await run(lossy_client.invoices.create(lines=LINES, title=tag, client_name="ACME"))

    assert await run(caught.value.find_created()) is None


async def test_a_send_whose_answer_is_lost_says_it_may_have_been_sent(
    client: Any, lossy: Any
) -> None:
    invoice = await run(client.invoices.create(lines=LINES, title=_unique("Envoi")))
    lossy_client, transport = lossy(reach=True)

    with pytest.raises(AmbiguousWriteError) as caught:
        await run(lossy_client.invoices.send(invoice.id, recipients=["a@example.com"]))

    assert transport.posts == 1
    assert caught.value.record_type is None
    assert caught.value.sent == {"recipients": [{"email": "a@example.com"}]}
    with pytest.raises(TypeError, match="read the resource back"):
        caught.value.find_created()


@pytest.mark.parametrize("reach", [True, False])
async def test_a_receipt_attached_whose_answer_is_lost_is_found_or_not(
    client: Any, lossy: Any, reach: bool
) -> None:
    transaction = (await run(client.bank_transactions.list(limit=1)))[0].id
    tag = _unique("Reçu").replace(" ", "-")
    lossy_client, transport = lossy(reach=reach)

    with pytest.raises(AmbiguousWriteError) as caught:
        await run(
            lossy_client.bank_transactions.attach_receipt(
                transaction, b"%PDF-1.4 receipt", filename=f"{tag}.pdf"
            )
        )

    exc = caught.value
    assert exc.endpoint is not None
    assert exc.endpoint.endswith(f"/bank_transactions/{transaction}/receipts")
    assert exc.record_type == "document"
    assert transport.posts == 1  # sent once, never replayed
    made = await _made(client, "documents", tag)
    found = await run(exc.find_created())
    if reach:
        assert len(made) == 1
        assert found is not None
        assert found.id == made[0]
        matched = await run(client.bank_transactions.matchings(transaction))
        assert made[0] in [m.document.id for m in matched if m.document]
    else:
        assert made == []
        assert found is None  # not made: safe to retry
