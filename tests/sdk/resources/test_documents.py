"""``client.documents`` on the wire, against the sandbox (sync and async); the multipart
body and the no-replay rule on the scripted mock."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime import AsyncTiimeClient, NotFoundError, ServerError, TiimeError, ValidationError
from tiime.types import Document, DocumentCategory, DocumentsPage, MatchableDocument

from .._support import Env, FakeTiime, collect, run

LIST_ACCEPT = (
    "application/vnd.tiime.documents.v2+json,application/vnd.tiime.docs.query+json,"
    "application/vnd.tiime.docs.imputation+json"
)
MATCHABLE_ACCEPT = (
    "application/vnd.tiime.documents.v3+json,application/vnd.tiime.docs.imputation+json"
)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
DOCUMENT = {"id": 77, "name": "reçu.pdf", "type": "receipt", "source": "upload"}


def documents_path(env: Env, *rest: object) -> str:
    return "/".join([f"/v1/companies/{env.company_id}/documents", *map(str, rest)])


def open_files() -> list[str]:
    """What this process's file descriptors point to (Linux)."""
    names = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            names.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return names


def only_api_request(env: Env) -> Any:
    assert len(env.api_requests) == 1, [str(r.url) for r in env.api_requests]
    return env.api_requests[0]


async def test_list_sends_the_reference_query_accept_and_range(client: Any, env: Env) -> None:
    result = await run(client.documents.list())

    request = only_api_request(env)
    assert request.method == "GET"
    assert request.url.path == documents_path(env)
    assert request.url.query == b"sorts=created_at%3Adesc&expand=file_family%2Cpreview_available"
    assert request.headers["Accept"] == LIST_ACCEPT
    assert request.headers["Range"] == "items=0-*"
    assert len(result) >= 60
    assert all(isinstance(document, Document) for document in result)
    dates = [document.created_at for document in result]
    assert dates == sorted(dates, reverse=True)


async def test_list_filters_in_the_reference_order(client: Any, env: Env) -> None:
    result = await run(
        client.documents.list(
            types="receipt", source="upload", sorts="created_at:asc", accountable=True
        )
    )

    request = only_api_request(env)
    assert request.url.query == (
        b"sorts=created_at%3Aasc&expand=file_family%2Cpreview_available"
        b"&types=receipt&source=upload&accountable=true"
    )
    assert all(d.type == "receipt" and d.source == "upload" for d in result)


async def test_list_of_several_types_sends_them_comma_separated(client: Any, env: Env) -> None:
    result = await run(client.documents.list(types=["receipt", "invoice"], limit=40))

    assert b"&types=receipt%2Cinvoice" in only_api_request(env).url.query
    assert {d.type for d in result} == {"receipt", "invoice"}
    assert len(result) == 40


async def test_iter_follows_every_page_without_duplicates(client: Any, env: Env) -> None:
    everything = await run(client.documents.list())
    env.requests.clear()

    paged = await collect(client.documents.iter(page_size=10))

    assert [d.id for d in paged] == [d.id for d in everything]
    ranges = [r.headers["Range"] for r in env.api_requests]
    # Each page after the first starts at the item read last (how a shifted list is seen).
    assert ranges[:3] == ["items=0-9", "items=9-19", "items=19-29"]
    assert len(ranges) == -(-len(everything) // 10)


async def test_categories(client: Any, env: Env) -> None:
    categories = await run(client.documents.categories())

    request = only_api_request(env)
    assert request.url.path == f"/v1/companies/{env.company_id}/document_categories"
    assert request.headers["Accept"] == "application/vnd.tiime.documents.v3+json"
    assert all(isinstance(category, DocumentCategory) for category in categories)
    receipt = next(c for c in categories if c.identifier == "receipt")
    assert (receipt.count or 0) > 0
    assert receipt.editable is False


async def test_search_matchable_ignores_accents_and_case(client: Any, env: Env) -> None:
    found = await run(client.documents.search_matchable("ÉNERGIES"))

    request = only_api_request(env)
    assert request.url.path == documents_path(env)
    assert request.url.query == b"matchable=true&q=%C3%89NERGIES"
    assert request.headers["Accept"] == MATCHABLE_ACCEPT
    assert request.headers["Range"] == "items=0-*"
    assert found
    assert all(isinstance(document, MatchableDocument) for document in found)
    assert all(any(m.supplier_name == "Total Énergies" for m in d.metadata or []) for d in found)


async def test_upload_a_path_then_download_the_same_bytes(
    client: Any, env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "note de frais é.pdf"
    path.write_bytes(PDF)

    created = await run(client.documents.upload(path, type="invoice"))

    request = only_api_request(env)
    assert request.method == "POST"
    assert request.url.path == documents_path(env)
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert request.headers["Accept"] == "application/json"
    assert isinstance(created, Document)
    assert (created.name, created.type, created.mime_type) == (
        path.name,
        "invoice",
        "application/pdf",
    )
    env.requests.clear()

    assert await run(client.documents.download(created.id)) == PDF
    download = only_api_request(env)
    assert download.url.path == documents_path(env, created.id, "download")
    assert download.headers["Accept"] == "application/octet-stream"


async def test_upload_bytes_and_file_objects(client: Any) -> None:
    from_bytes = await run(client.documents.upload(b"\x89PNG\r\n\x1a\n1234", filename="a.png"))
    named = io.BytesIO(PDF)
    named.name = "/somewhere/else/facture.pdf"
    from_file = await run(client.documents.upload(named))

    assert (from_bytes.name, from_bytes.mime_type) == ("a.png", "image/png")
    assert (from_file.name, from_file.mime_type) == ("facture.pdf", "application/pdf")
    assert from_file.type == "receipt"  # the sandbox's default when no type is sent


async def test_streamed_download_writes_the_file(client: Any, tmp_path: Path) -> None:
    created = await run(client.documents.upload(PDF, filename="gros.pdf"))
    target = tmp_path / "copie.pdf"

    streaming = client.documents.with_streaming_response
    if isinstance(client, AsyncTiimeClient):
        async with streaming.download(created.id) as response:
            assert response.headers["content-type"] == "application/pdf"
            await response.write_to_file(target)
    else:
        with streaming.download(created.id) as response:
            assert response.headers["content-type"] == "application/pdf"
            response.write_to_file(target)

    assert target.read_bytes() == PDF
    assert "gros.pdf" in response.headers["content-disposition"]


async def test_preview_is_plain_json(client: Any, env: Env) -> None:
    created = await run(client.documents.upload(PDF, filename="apercu.pdf"))
    env.requests.clear()

    preview = await run(client.documents.preview(created.id))

    assert only_api_request(env).url.path == documents_path(env, created.id, "preview")
    assert isinstance(preview, dict)
    assert preview["preview_available"] is True


async def test_unknown_document_raises_not_found(client: Any) -> None:
    with pytest.raises(NotFoundError):
        await run(client.documents.download(999_999_999))


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((b"data",), {}, "filename is required"),
        (("/no/such/file.pdf",), {}, "cannot read the file"),
        ((".",), {}, "not a regular file"),
        ((io.StringIO("text"),), {"filename": "a.txt"}, "binary mode"),
        ((12,), {}, "path, bytes or a binary file object"),
        ((b"data",), {"filename": "a\nb.pdf"}, "filename"),
        ((b"data",), {"filename": "a.pdf", "type": "re\nceipt"}, "type"),
    ],
)
async def test_bad_uploads_are_refused_before_sending(
    client: Any, env: Env, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        await run(client.documents.upload(*args, **kwargs))
    assert env.api_requests == []


async def test_a_file_given_by_path_is_not_left_open(client: Any, tmp_path: Path) -> None:
    path = tmp_path / "ouvert.pdf"
    path.write_bytes(PDF)

    for _ in range(3):
        await run(client.documents.upload(path))

    assert str(path) not in open_files()


# -- on the scripted mock ------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["mock"])
async def test_upload_multipart_body_file_part_then_type(
    client: Any, fake: FakeTiime, tmp_path: Path
) -> None:
    fake.queue(httpx.Response(201, json=DOCUMENT))
    path = tmp_path / "reçu.pdf"
    path.write_bytes(PDF)

    await run(client.documents.upload(path, type="receipt"))

    body = fake.api_requests[0].content
    file_part = b'Content-Disposition: form-data; name="file"; filename="re\xc3\xa7u.pdf"\r\n'
    assert file_part + b"Content-Type: application/octet-stream\r\n\r\n" + PDF + b"\r\n" in body
    assert body.index(file_part) < body.index(b'name="type"\r\n\r\nreceipt\r\n')
    assert fake.api_requests[0].headers["Content-Length"] == str(len(body))


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("kind", [None, "", "  "])
async def test_upload_without_a_type_sends_no_type_part(
    client: Any, fake: FakeTiime, kind: str | None
) -> None:
    fake.queue(httpx.Response(201, json=DOCUMENT))

    await run(client.documents.upload(PDF, filename="a.pdf", type=kind))

    assert b'name="type"' not in fake.api_requests[0].content


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("failure", [503, httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_upload_is_not_replayed_once_it_may_have_arrived(
    client: Any, fake: FakeTiime, tmp_path: Path, failure: Any
) -> None:
    path = tmp_path / "une-fois.pdf"
    path.write_bytes(PDF)
    fake.queue(failure, httpx.Response(201, json=DOCUMENT))

    with pytest.raises(ServerError if failure == 503 else TiimeError):
        await run(client.documents.upload(path))

    assert len(fake.api_requests) == 1


def test_an_upload_over_the_server_s_limit_raises_413(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tiime import TiimeClient
    from tiime.sandbox import Sandbox

    monkeypatch.setenv("TIIME_SANDBOX_MAX_UPLOAD", "4096")
    path = tmp_path / "trop-gros.pdf"
    path.write_bytes(PDF * 2)
    with (
        Sandbox(db_path=tmp_path / "sandbox.db") as sb,
        TiimeClient(
            company_id=sb.company_id,
            email=sb.email,
            password=sb.password,
            base_url=sb.base_url,
            auth_url=sb.auth_url,
        ) as client,
    ):
        with pytest.raises(TiimeError) as caught:
            client.documents.upload(path)
        small = client.documents.upload(PDF[:1000], filename="petit.pdf")

    assert caught.value.status == 413
    assert caught.value.method == "POST"
    assert "4096 octets" in str(caught.value)
    assert small.name == "petit.pdf"


async def test_list_page_is_one_range_page_with_the_total(client: Any, env: Env) -> None:
    every = await run(client.documents.list(types="receipt"))
    env.requests.clear()

    page = await run(client.documents.list_page(page=3, page_size=4, types="receipt"))

    (request,) = env.api_requests
    assert request.headers["Range"] == "items=8-11"
    assert request.headers["Accept"] == LIST_ACCEPT
    assert isinstance(page, DocumentsPage)
    assert [d.id for d in page.items] == [d.id for d in every[8:12]]
    assert (page.page, page.page_size, page.total) == (3, 4, len(every))
