"""The core under every resource: what a call reads (a model, bytes, nothing), PUT/PATCH/DELETE
and their replay rules, multipart bodies, streamed answers, ``with_options``, a closed
client, compression, and what ``help()`` / ``inspect.signature`` show.

The calls are made through a probe resource written here the way resources are written.
"""

from __future__ import annotations

import gzip
import inspect
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime import (
    AsyncTiimeClient,
    ClientClosedError,
    NotFoundError,
    ResponseFormatError,
    ServerError,
    TiimeClient,
)
from tiime._request import APIRequest, Operation
from tiime._resource import (
    APIResource,
    AsyncAPIResource,
    AsyncStreamingAPIResource,
    SyncAPIResource,
    SyncStreamingAPIResource,
    endpoint,
    view,
)
from tiime._response import NOTHING, BytesReader
from tiime.types import Client

from ._support import FakeTiime, close, run

PDF_TYPE = "application/pdf"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


class _ProbeCalls(APIResource):
    @endpoint
    def pdf(self) -> Operation[bytes]:
        return APIRequest.get(self._company_path("probe", "pdf"), BytesReader("application/pdf"))

    @endpoint
    def remove(self) -> Operation[None]:
        return APIRequest.delete(self._company_path("probe", 1), NOTHING)

    @endpoint
    def replace(self) -> Operation[Client]:
        return APIRequest.put(self._company_path("probe", 1), Client, json={"name": "X"})

    @endpoint
    def replace_once(self) -> Operation[Client]:
        return APIRequest.put(
            self._company_path("probe", 1), Client, json={"name": "X"}, replay_safe=False
        )

    @endpoint
    def patch(self) -> Operation[Client]:
        return APIRequest.patch(self._company_path("probe", 1), Client, json={"name": "X"})

    @endpoint
    def upload(self, file: Any) -> Operation[Client]:
        return APIRequest.post(
            self._company_path("probe"),
            Client,
            files=[
                ("file", ("reçu.pdf", file, "application/octet-stream")),
                ("type", (None, "receipt")),
            ],
        )


class _SyncStreaming(_ProbeCalls, SyncStreamingAPIResource):
    pass


class _AsyncStreaming(_ProbeCalls, AsyncStreamingAPIResource):
    pass


class _SyncProbe(_ProbeCalls, SyncAPIResource):
    with_streaming_response = view(_SyncStreaming)


class _AsyncProbe(_ProbeCalls, AsyncAPIResource):
    with_streaming_response = view(_AsyncStreaming)


def probe(client: Any) -> Any:
    return _AsyncProbe(client) if isinstance(client, AsyncTiimeClient) else _SyncProbe(client)


def serve(fake: FakeTiime, answer: Any) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request) if callable(answer) else answer

    fake.api = handler
    return seen


# -- what a call reads -----------------------------------------------------------------------


async def test_bytes_answer_is_returned_as_is_with_its_accept(client: Any, fake: FakeTiime) -> None:
    seen = serve(fake, httpx.Response(200, content=PDF, headers={"Content-Type": PDF_TYPE}))

    data = await run(probe(client).pdf())

    assert data == PDF
    assert seen[0].headers["Accept"] == "application/pdf"


async def test_a_json_answer_where_a_file_was_expected_is_a_format_error(
    client: Any, fake: FakeTiime
) -> None:
    serve(fake, httpx.Response(200, json={"oops": True}))

    with pytest.raises(ResponseFormatError, match="expected a file"):
        await run(probe(client).pdf())


@pytest.mark.parametrize(
    "answer",
    [
        lambda request: httpx.Response(204),
        lambda request: httpx.Response(200, content=b""),
        lambda request: httpx.Response(200, json={"deleted": True}),
    ],
    ids=["204", "empty 200", "json 200"],
)
async def test_a_call_that_reads_nothing_accepts_204_and_empty_bodies(
    client: Any, fake: FakeTiime, answer: Any
) -> None:
    seen = serve(fake, answer)

    assert await run(probe(client).remove()) is None
    assert seen[0].method == "DELETE"


async def test_an_error_to_a_delete_is_still_typed(client: Any, fake: FakeTiime) -> None:
    serve(fake, httpx.Response(404, json={"error_description": "Facture introuvable"}))

    with pytest.raises(NotFoundError, match="Facture introuvable"):
        await run(probe(client).remove())


# -- replay rules of PUT, PATCH, DELETE ------------------------------------------------------


async def test_put_is_replayed_after_a_503(client: Any, fake: FakeTiime) -> None:
    fake.queue(503)
    seen = serve(fake, httpx.Response(200, json={"id": 1, "name": "X"}))

    result = await run(probe(client).replace())

    assert result.id == 1
    assert len(seen) == 1  # the 503 came from the queue, then this answer
    assert len(fake.api_requests) == 2
    assert json.loads(fake.api_requests[0].content) == {"name": "X"}


@pytest.mark.parametrize("call", ["patch", "replace_once"])
async def test_patch_and_unsafe_put_are_not_replayed_after_a_503(
    client: Any, fake: FakeTiime, call: str
) -> None:
    fake.queue(503)

    with pytest.raises(ServerError):
        await run(getattr(probe(client), call)())

    assert len(fake.api_requests) == 1


@pytest.mark.parametrize("call", ["patch", "replace_once"])
async def test_patch_and_unsafe_put_are_not_replayed_after_a_read_timeout(
    client: Any, fake: FakeTiime, call: str
) -> None:
    fake.queue(httpx.ReadTimeout)

    with pytest.raises(Exception, match="timed out"):
        await run(getattr(probe(client), call)())

    assert len(fake.api_requests) == 1


# -- multipart ---------------------------------------------------------------------------------


async def test_multipart_upload_sends_the_file_part_then_the_type(
    client: Any, fake: FakeTiime
) -> None:
    seen = serve(fake, httpx.Response(201, json={"id": 9, "name": "reçu.pdf"}))

    created = await run(probe(client).upload(io.BytesIO(PDF)))

    assert created.id == 9
    request = seen[0]
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    body = request.content
    assert PDF in body
    assert b'name="file"; filename="' in body
    assert body.index(b'name="file"') < body.index(b'name="type"')
    assert b"receipt" in body


async def test_a_multipart_post_is_not_replayed_after_a_503(client: Any, fake: FakeTiime) -> None:
    fake.queue(503)

    with pytest.raises(ServerError):
        await run(probe(client).upload(io.BytesIO(PDF)))

    assert len(fake.api_requests) == 1


# -- streamed answers --------------------------------------------------------------------------


async def test_streamed_answer_writes_to_a_file(
    client: Any, fake: FakeTiime, tmp_path: Path
) -> None:
    serve(fake, httpx.Response(200, content=PDF, headers={"Content-Type": "application/pdf"}))
    target = tmp_path / "out" / "facture.pdf"
    target.parent.mkdir()

    streaming = probe(client).with_streaming_response
    if isinstance(client, AsyncTiimeClient):
        async with streaming.pdf() as response:
            assert response.status_code == 200
            await response.write_to_file(target)
    else:
        with streaming.pdf() as response:
            assert response.headers["content-type"] == "application/pdf"
            response.write_to_file(target)

    assert target.read_bytes() == PDF
    assert list(target.parent.iterdir()) == [target]  # no partial file left


async def test_an_error_answer_to_a_streamed_call_is_read_and_raised(
    client: Any, fake: FakeTiime
) -> None:
    serve(fake, httpx.Response(404, json={"error_description": "Document introuvable"}))

    streaming = probe(client).with_streaming_response

    async def open_stream() -> None:
        if isinstance(client, AsyncTiimeClient):
            async with streaming.pdf():
                pass
        else:
            with streaming.pdf():
                pass

    with pytest.raises(NotFoundError, match="Document introuvable"):
        await open_stream()


# -- with_options ------------------------------------------------------------------------------


async def test_with_options_shares_pool_and_login(client: Any, fake: FakeTiime) -> None:
    other = client.with_options(company_id=777, max_retries=0, timeout=5)

    await run(client.clients.get(100001))
    with pytest.raises(Exception, match="403"):
        await run(other.clients.get(100001))

    assert other._http is client._http
    assert len(fake.logins) == 1
    paths = [r.url.path for r in fake.api_requests]
    assert paths[-1].startswith("/v1/companies/777/")
    assert other.company_id == 777
    assert client.company_id == fake.company_id
    assert other.max_retries == 0
    assert other.timeout.read == 5
    assert fake.api_requests[-1].extensions["timeout"]["read"] == 5


async def test_closing_a_copy_leaves_the_pool_open(client: Any, fake: FakeTiime) -> None:
    other = client.with_options(company_id=fake.company_id)

    await close(other)

    assert (await run(client.clients.get(100001))).id == 100001


# -- a closed client ---------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [TiimeClient, AsyncTiimeClient])
async def test_a_call_on_a_closed_client_raises_a_typed_error(cls: type[Any]) -> None:
    fake = FakeTiime()
    client = cls(access_token="t", company_id=1, base_url=fake.base_url)
    await close(client)

    with pytest.raises(ClientClosedError, match="closed"):
        await run(client.clients.get(1))


# -- compression -------------------------------------------------------------------------------


async def test_requests_ask_for_compression_and_gzip_answers_are_read(
    client: Any, fake: FakeTiime
) -> None:
    body = gzip.compress(json.dumps({"id": 5, "name": "Zoé"}).encode())
    seen = serve(
        fake,
        httpx.Response(
            200,
            content=body,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        ),
    )

    result = await run(client.clients.get(5))

    assert result.name == "Zoé"
    assert "gzip" in seen[0].headers["Accept-Encoding"]


# -- introspection -----------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [TiimeClient, AsyncTiimeClient])
def test_the_constructor_shows_its_real_parameters(cls: type[Any]) -> None:
    parameters = inspect.signature(cls).parameters

    for name in ("company_id", "email", "password", "access_token", "base_url", "timeout"):
        assert name in parameters
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
    assert "options" not in parameters


def test_calls_looked_up_on_the_class_show_parameters_and_doc() -> None:
    signature = inspect.signature(TiimeClient.list_companies)
    assert signature.return_annotation == "list[Company]"
    assert "GET companies" in (TiimeClient.list_companies.__doc__ or "")

    from tiime.resources.clients import Clients

    listing = inspect.signature(Clients.list)
    assert list(listing.parameters) == ["self", "archived", "limit"]
    assert listing.return_annotation == "list[Client]"
    assert inspect.signature(Clients.iter).return_annotation == "Iterator[Client]"
    assert "<tiime._resource" not in repr(TiimeClient.list_companies)
