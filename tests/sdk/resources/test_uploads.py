"""Uploads of files whose size cannot be trusted, against the sandbox (sync and async): a
pipe, ``/proc`` files, a file that grows or shrinks while it is sent. Each is uploaded
whole (or refused with a typed error), never breaking the request half-way."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime import AsyncTiimeClient, TiimeClient, TiimeError, ValidationError

from .._support import Env, FakeTiime, close, run

PDF = b"%PDF-1.4\n" + b"receipt line\n" * 5000  # ~65 kB: more than one read


@pytest.fixture
def pipe_of() -> Iterator[Callable[[bytes], Any]]:
    """``pipe_of(data)``: a binary file object reading ``data`` from an OS pipe, written by
    a thread (a pipe holds less than the data: the writer waits for the upload to read)."""
    threads: list[threading.Thread] = []

    def make(data: bytes) -> Any:
        read_end, write_end = os.pipe()

        def write() -> None:
            with os.fdopen(write_end, "wb") as out:
                out.write(data)

        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        threads.append(thread)
        return os.fdopen(read_end, "rb")

    yield make
    for thread in threads:
        thread.join(timeout=10)


async def _downloaded(client: Any, document_id: int) -> bytes:
    data: bytes = await run(client.documents.download(document_id))
    return data


async def test_a_pipe_is_uploaded_whole(client: Any, env: Env, pipe_of: Any) -> None:
    with pipe_of(PDF) as pipe:
        document = await run(client.documents.upload(pipe, filename="pipe.pdf"))

    (request,) = env.api_requests
    assert request.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in request.headers
    assert document.name == "pipe.pdf"
    assert await _downloaded(client, document.id) == PDF


@pytest.mark.parametrize("as_object", [False, True], ids=["path", "file object"])
async def test_a_proc_file_is_uploaded_whole(client: Any, as_object: bool) -> None:
    source = Path("/proc/self/status")
    if not source.exists():
        pytest.skip("no /proc on this system")
    if as_object:
        with source.open("rb") as handle:
            document = await run(client.documents.upload(handle, filename="status.txt"))
    else:
        document = await run(client.documents.upload(source, filename="status.txt"))

    uploaded = await _downloaded(client, document.id)
    assert uploaded.startswith(b"Name:")
    assert b"\nPid:" in uploaded


class ChangeFileFirst(httpx.BaseTransport):
    """Changes a file (``change(path)``) once the request is built, before its body is
    read: the file grows or shrinks during the upload."""

    def __init__(self, path: Path, change: Callable[[Path], None]) -> None:
        self.inner = httpx.HTTPTransport()
        self.path, self.change = path, change

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and "/v1/" in request.url.path:
            self.change(self.path)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncChangeFileFirst(httpx.AsyncBaseTransport):
    """:class:`ChangeFileFirst` for the async client."""

    def __init__(self, path: Path, change: Callable[[Path], None]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.path, self.change = path, change

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and "/v1/" in request.url.path:
            self.change(self.path)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _changing_client(env: Env, flavour: str, path: Path, change: Callable[[Path], None]) -> Any:
    settings: dict[str, Any] = {
        "company_id": env.company_id,
        "email": env.email,
        "password": env.password,
        "base_url": env.base_url,
        "auth_url": env.auth_url,
    }
    if flavour == "sync":
        http: Any = httpx.Client(transport=ChangeFileFirst(path, change))
        return TiimeClient(http_client=http, **settings)
    http = httpx.AsyncClient(transport=AsyncChangeFileFirst(path, change))
    return AsyncTiimeClient(http_client=http, **settings)


def _grow(path: Path) -> None:
    with path.open("ab") as out:
        out.write(b"written after the call was made\n" * 100)


def _shrink(path: Path) -> None:
    with path.open("r+b") as out:
        out.truncate(100)


@pytest.mark.parametrize("as_object", [False, True], ids=["path", "file object"])
async def test_a_file_that_grows_while_sent_is_sent_as_it_was(
    client: Any, env: Env, flavour: str, tmp_path: Path, as_object: bool
) -> None:
    path = tmp_path / "growing.pdf"
    path.write_bytes(PDF)
    changing = _changing_client(env, flavour, path, _grow)
    try:
        if as_object:
            with path.open("rb") as handle:
                document = await run(changing.documents.upload(handle))
        else:
            document = await run(changing.documents.upload(path))
    finally:
        await close(changing)
        await run(changing._http.aclose() if flavour == "async" else changing._http.close())

    assert document.name == "growing.pdf"
    assert await _downloaded(client, document.id) == PDF  # the file when the call was made


@pytest.mark.parametrize("as_object", [False, True], ids=["path", "file object"])
async def test_a_file_that_shrinks_while_sent_is_refused_in_one_typed_error(
    env: Env, flavour: str, tmp_path: Path, as_object: bool
) -> None:
    path = tmp_path / "shrinking.pdf"
    path.write_bytes(PDF)
    changing = _changing_client(env, flavour, path, _shrink)
    try:
        with path.open("rb") as handle:
            given = handle if as_object else path
            with pytest.raises(ValidationError, match="shrank while it was being sent"):
                await run(changing.documents.upload(given))
    finally:
        await close(changing)
        await run(changing._http.aclose() if flavour == "async" else changing._http.close())


@pytest.mark.parametrize("backend", ["mock"])
async def test_a_pipe_read_by_a_refused_attempt_is_not_sent_again_empty(
    client: Any, fake: FakeTiime, pipe_of: Any
) -> None:
    # The first attempt reads the pipe and is answered 401; the SDK logs in again and
    # would send the upload again: a pipe cannot be read twice, and says so.
    fake.queue(401)
    fake.api = lambda request: httpx.Response(201, json={"id": 9, "name": "pipe.pdf"})

    with pipe_of(PDF) as pipe, pytest.raises(TiimeError, match="cannot be sent again"):
        await run(client.documents.upload(pipe, filename="pipe.pdf"))

    posts = [r for r in fake.api_requests if r.method == "POST"]
    assert len(posts) == 1
    assert len(posts[0].content) > len(PDF)


class Wrapped:
    """A file wrapper with ``fileno``, ``seek`` and ``tell`` but no ``seekable()``."""

    def __init__(self, file: Any) -> None:
        self._file, self.name = file, file.name

    def fileno(self) -> int:
        return int(self._file.fileno())

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return int(self._file.seek(offset, whence))

    def tell(self) -> int:
        return int(self._file.tell())

    def read(self, size: int = -1) -> bytes:
        return bytes(self._file.read(size))


@pytest.mark.parametrize("wrap", [False, True], ids=["file", "wrapper"])
async def test_a_regular_file_object_keeps_its_content_length(
    client: Any, env: Env, tmp_path: Path, wrap: bool
) -> None:
    path = tmp_path / "regular.pdf"
    path.write_bytes(PDF)
    with path.open("rb") as handle:
        document = await run(client.documents.upload(Wrapped(handle) if wrap else handle))

    (request,) = env.api_requests
    assert int(request.headers["Content-Length"]) > len(PDF)
    assert "Transfer-Encoding" not in request.headers
    assert await _downloaded(client, document.id) == PDF
