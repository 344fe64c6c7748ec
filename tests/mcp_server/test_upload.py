"""Uploading a local file through preview_upload and commit, against a sandbox of its own:
refused without --allow-writes and outside the upload directory, a preview sends nothing,
a commit uploads once what was previewed (a file changed since is refused, even while it
is being sent), and an upload whose answer was lost is looked for and found."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime.mcp import _upload
from tiime.sandbox import Sandbox
from tiime.sandbox.filetypes import sniff as sandbox_sniff
from tiime.sandbox.filetypes import tiny_pdf, tiny_png

from .conftest import call, connect, failure, sdk_client

PDF = tiny_pdf(["Restaurant Le Zinc", "Total TTC 42,50 EUR"])


def documents(sb: Sandbox) -> int:
    return int(sb.db.scalar("SELECT count(*) FROM documents"))


@pytest.fixture
def receipt(tmp_path: Path) -> Path:
    """A PDF receipt in the upload directory, under a name that does not say PDF."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    path = folder / "ticket-zinc.bin"
    path.write_bytes(PDF)
    return path


def writable(receipt: Path, **options: Any) -> dict[str, Any]:
    return {"allow_writes": True, "upload_dir": str(receipt.parent), **options}


async def test_upload_is_not_offered_without_allow_writes(
    fresh_sandbox: Sandbox, receipt: Path
) -> None:
    before = documents(fresh_sandbox)
    async with connect(fresh_sandbox, upload_dir=str(receipt.parent)) as session:
        sentence = await failure(session, "preview_upload", path=str(receipt))
    assert "No tool 'preview_upload'" in sentence
    assert "--allow-writes" in sentence
    assert documents(fresh_sandbox) == before


async def test_preview_sends_nothing_and_commit_uploads_once(
    fresh_sandbox: Sandbox, receipt: Path
) -> None:
    before = documents(fresh_sandbox)
    async with connect(fresh_sandbox, **writable(receipt)) as session:
        preview = await call(session, "preview_upload", path=receipt.name, type="receipt")
        assert documents(fresh_sandbox) == before  # nothing sent
        assert preview["method"] == "POST"
        assert preview["path"] == f"companies/{fresh_sandbox.company_id}/documents"
        assert preview["file"] == {
            "path": str(receipt.resolve()),
            "name": "ticket-zinc.bin",
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "type": "application/pdf",  # from its content, not its name
        }
        assert preview["body"] == {
            "multipart": [
                {
                    "part": "file",
                    "filename": "ticket-zinc.bin",
                    "content_type": "application/octet-stream",
                },
                {"part": "type", "value": "receipt"},
            ]
        }
        done = await call(session, "commit", token=preview["token"])
        assert done["done"] == "upload_document"
        document = done["result"]
        assert document["name"] == "ticket-zinc.bin"
        assert document["mime_type"] == "application/pdf"  # the sandbox says the same type
        assert documents(fresh_sandbox) == before + 1
        sentence = await failure(session, "commit", token=preview["token"])
        assert "already used" in sentence
    assert documents(fresh_sandbox) == before + 1
    async with sdk_client(fresh_sandbox) as sdk:
        assert await sdk.documents.download(document["id"]) == PDF


async def test_a_file_changed_since_the_preview_is_refused(
    fresh_sandbox: Sandbox, receipt: Path
) -> None:
    before = documents(fresh_sandbox)
    async with connect(fresh_sandbox, **writable(receipt)) as session:
        preview = await call(session, "preview_upload", path=str(receipt))
        receipt.write_bytes(PDF.replace(b"42,50", b"99,50"))  # the same size, other bytes
        sentence = await failure(session, "commit", token=preview["token"])
        assert sentence == "The file changed since the preview: preview again."
        assert "already used" in await failure(session, "commit", token=preview["token"])

        preview = await call(session, "preview_upload", path=str(receipt))
        receipt.write_bytes(PDF + b"more")
        sentence = await failure(session, "commit", token=preview["token"])
        assert sentence == "The file changed since the preview: preview again."

        preview = await call(session, "preview_upload", path=str(receipt))
        receipt.unlink()
        sentence = await failure(session, "commit", token=preview["token"])
        assert sentence.startswith("Cannot read")
    assert documents(fresh_sandbox) == before


class ChangesTheFile(httpx.AsyncBaseTransport):
    """Forwards every request; just before an upload's body is sent, changes the file."""

    def __init__(self, path: Path) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.path = path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/documents"):
            self.path.write_bytes(PDF.replace(b"42,50", b"99,50"))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_file_changed_while_it_is_sent_is_not_uploaded(
    fresh_sandbox: Sandbox, receipt: Path
) -> None:
    before = documents(fresh_sandbox)
    async with httpx.AsyncClient(transport=ChangesTheFile(receipt)) as http:
        client = sdk_client(fresh_sandbox, http_client=http)
        async with connect(fresh_sandbox, client=client, **writable(receipt)) as session:
            preview = await call(session, "preview_upload", path=str(receipt))
            sentence = await failure(session, "commit", token=preview["token"])
    assert sentence == (
        "The file changed while it was being sent (nothing was uploaded): preview again."
    )
    assert documents(fresh_sandbox) == before


def test_a_pinned_file_withholds_its_last_bytes_when_they_changed(tmp_path: Path) -> None:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(PDF)
    facts = _upload.read_facts(path)
    pinned = _upload.PinnedFile(facts)
    assert pinned.seek(0, os.SEEK_END) == len(PDF)
    pinned.seek(0)
    assert b"".join(iter(lambda: pinned.read(100), b"")) == PDF
    pinned.seek(0)  # read again from the start (a retry), the same bytes
    assert pinned.read() == PDF

    path.write_bytes(PDF[:-1] + b"X")
    pinned = _upload.PinnedFile(facts)
    first = pinned.read(len(PDF) - 10)
    assert first == PDF[: len(PDF) - 10]
    with pytest.raises(_upload.FileChanged):
        pinned.read(100)  # the last chunk is never given
    path.write_bytes(PDF[:-10])
    with pytest.raises(_upload.FileChanged):
        _upload.PinnedFile(facts).read()
    path.unlink()
    with pytest.raises(_upload.FileChanged):
        _upload.PinnedFile(facts).read()


async def test_paths_outside_the_upload_directory_are_refused(
    fresh_sandbox: Sandbox, receipt: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(PDF)
    (receipt.parent / "link.pdf").symlink_to(outside)
    before = documents(fresh_sandbox)
    async with connect(fresh_sandbox, **writable(receipt)) as session:
        for path in (str(outside), "../secret.pdf", "link.pdf"):
            sentence = await failure(session, "preview_upload", path=path)
            assert sentence == (
                f"{path!r} is outside the directory files are uploaded from "
                f"({receipt.parent.resolve()}): the user moves the file there or restarts "
                "the server with --upload-dir."
            )
    assert documents(fresh_sandbox) == before


async def test_the_upload_directory_is_the_current_one_by_default(
    fresh_sandbox: Sandbox, receipt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(receipt.parent)
    async with connect(fresh_sandbox, allow_writes=True) as session:
        preview = await call(session, "preview_upload", path=receipt.name)
        assert preview["file"]["path"] == str(receipt.resolve())
        assert "outside the directory" in await failure(
            session, "preview_upload", path="/etc/hostname"
        )


async def test_a_preview_checks_the_file_and_the_type(
    fresh_sandbox: Sandbox, receipt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = receipt.parent
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "sub").mkdir()
    before = documents(fresh_sandbox)
    async with connect(fresh_sandbox, **writable(receipt)) as session:
        assert "is empty" in await failure(session, "preview_upload", path="empty.pdf")
        assert "not a regular file" in await failure(session, "preview_upload", path="sub")
        sentence = await failure(session, "preview_upload", path="missing.pdf")
        assert sentence.startswith("Cannot read")
        sentence = await failure(session, "preview_upload", path=receipt.name, type="nope")
        assert "no category 'nope'" in sentence
        assert "receipt" in sentence
        monkeypatch.setattr(_upload, "MAX_UPLOAD", len(PDF) - 1)
        sentence = await failure(session, "preview_upload", path=receipt.name)
        assert "the upload limit" in sentence
    assert documents(fresh_sandbox) == before


class LostAnswer(httpx.AsyncBaseTransport):
    """The answer to an upload is lost: after the server got it (``reached``), or before."""

    def __init__(self, *, reached: bool) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.reached = reached
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/documents"):
            self.posts += 1
            if self.reached:
                response = await self.inner.handle_async_request(request)
                await response.aclose()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_an_upload_whose_answer_was_lost_is_looked_for(
    fresh_sandbox: Sandbox, receipt: Path
) -> None:
    before = documents(fresh_sandbox)
    transport = LostAnswer(reached=True)
    async with httpx.AsyncClient(transport=transport) as http:
        client = sdk_client(fresh_sandbox, http_client=http)
        async with connect(fresh_sandbox, client=client, **writable(receipt)) as session:
            preview = await call(session, "preview_upload", path=str(receipt))
            done = await call(session, "commit", token=preview["token"])
            assert "already used" in await failure(session, "commit", token=preview["token"])
    assert transport.posts == 1  # sent once, never replayed
    assert done["result"]["name"] == receipt.name
    assert "the answer was lost, and the document was then found" in done["note"]
    assert documents(fresh_sandbox) == before + 1

    transport = LostAnswer(reached=False)
    async with httpx.AsyncClient(transport=transport) as http:
        client = sdk_client(fresh_sandbox, http_client=http)
        async with connect(fresh_sandbox, client=client, **writable(receipt)) as session:
            receipt.rename(receipt.with_name("other.pdf"))
            preview = await call(session, "preview_upload", path="other.pdf")
            sentence = await failure(session, "commit", token=preview["token"])
    assert transport.posts == 1
    assert sentence.startswith("Outcome unknown")
    assert "not sent again" in sentence
    assert "looked for and not found: it was not made" in sentence
    assert documents(fresh_sandbox) == before + 1


@pytest.mark.parametrize(
    "head",
    [
        PDF,
        tiny_png(3),
        b"\xff\xd8\xff\xe0" + bytes(20),
        b"GIF89a" + bytes(10),
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"\x00\x00\x00\x18ftypheic" + bytes(8),
        b"PK\x03\x04" + bytes(26) + b"word/document.xml",
        b"PK\x03\x04" + bytes(26) + b"notes.txt",
        "Reçu : 12,00 €\n".encode(),
        "é".encode() * 2047 + "é".encode()[:1],  # a character cut by the sample's end
        b"\x00\x01binary",
        b"text\x01control",
    ],
)
def test_the_type_is_told_as_the_sandbox_tells_it(head: bytes) -> None:
    assert _upload.sniff(head[: _upload.SNIFF_SIZE]) == sandbox_sniff(head[: _upload.SNIFF_SIZE])
