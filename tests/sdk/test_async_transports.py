"""The async client on both of its transports (``transport="httpx"`` and ``"aiohttp"``),
over real loopback sockets: the sandbox for the calls that work (JSON, writes, uploads sent
with and without a length, streamed downloads), and scripted servers for the failures
(refused, silent, trickling, dropped after the request was sent, gzip good and bad, a
gateway's 502). Every behaviour of the default transport holds on the other one."""

from __future__ import annotations

import gzip
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tiime import (
    AmbiguousGatewayError,
    AmbiguousWriteError,
    APIConnectionError,
    APITimeoutError,
    AsyncTiimeClient,
    ConfigurationError,
    ResponseFormatError,
)

pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed", exc_type=ImportError)

pytestmark = pytest.mark.parametrize("transport", ["httpx", "aiohttp"])

PDF = b"%PDF-1.4\n" + b"receipt line\n" * 5000  # ~65 kB: more than one read
CLIENT = b'{"id": 7, "name": "Dupont"}'


async def _no_sleep(seconds: float) -> None:
    return None


def client_at(transport: str, url: str, **options: Any) -> AsyncTiimeClient:
    client = AsyncTiimeClient(
        base_url=url, access_token="not-a-real-token", company_id=1, transport=transport, **options
    )
    client._sleep = _no_sleep
    return client


# -- scripted servers ------------------------------------------------------------------------

Answer = Callable[[socket.socket, bytes], None]


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@pytest.fixture
def scripted() -> Iterator[Callable[[Answer], tuple[str, list[bytes]]]]:
    """``scripted(answer)``: a loopback server calling ``answer(conn, request)`` for each
    request (one per connection); gives its base URL and the requests it received."""
    sockets: list[socket.socket] = []
    stop = threading.Event()

    def start(answer: Answer) -> tuple[str, list[bytes]]:
        received: list[bytes] = []
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.settimeout(10)
        sockets.append(sock)

        def handle(conn: socket.socket) -> None:
            with conn:
                try:
                    request = _read_request(conn)
                    received.append(request)
                    answer(conn, request)
                except OSError:
                    return

        def accept() -> None:
            while not stop.is_set():
                try:
                    conn, _ = sock.accept()
                except OSError:
                    return
                threading.Thread(target=handle, args=(conn,), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1", received

    yield start
    stop.set()
    for sock in sockets:
        sock.close()


def respond(status: str, body: bytes, *headers: str) -> Answer:
    def answer(conn: socket.socket, request: bytes) -> None:
        head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
        head += "".join(f"{h}\r\n" for h in headers) + "\r\n"
        conn.sendall(head.encode() + body)

    return answer


def drop(conn: socket.socket, request: bytes) -> None:
    """Read the whole request, then close without a word."""


def trickle(conn: socket.socket, request: bytes) -> None:
    """Answer 200 with a JSON body, one byte every 50 ms (each read is quick, the whole is not)."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(CLIENT)
    )
    for byte in CLIENT:
        threading.Event().wait(0.05)
        conn.sendall(bytes([byte]))


# -- the sandbox -----------------------------------------------------------------------------


@pytest.fixture
async def sandbox_client(sandbox_server: Any, transport: str) -> Any:
    sb = sandbox_server
    client = AsyncTiimeClient(
        base_url=sb.base_url,
        auth_url=sb.auth_url,
        email=sb.email,
        password=sb.password,
        company_id=sb.company_id,
        transport=transport,
    )
    yield client
    await client.aclose()


async def test_reads_and_writes_on_the_sandbox(sandbox_client: Any) -> None:
    created = await sandbox_client.clients.create(name="Transport & Fils")
    listed = await sandbox_client.clients.list()

    assert (await sandbox_client.clients.get(created.id)).name == "Transport & Fils"
    assert created.id in {c.id for c in listed}


@pytest.fixture
def pipe() -> Iterator[Any]:
    """A binary file object reading PDF from an OS pipe (no size known: sent chunked)."""
    read_end, write_end = os.pipe()

    def write() -> None:
        with os.fdopen(write_end, "wb") as out:
            out.write(PDF)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    with os.fdopen(read_end, "rb") as handle:
        yield handle
    thread.join(timeout=10)


async def test_a_chunked_upload_and_a_streamed_download(
    sandbox_client: Any, pipe: Any, tmp_path: Path
) -> None:
    document = await sandbox_client.documents.upload(pipe, filename="pipe.pdf")
    target = tmp_path / "back.pdf"
    async with sandbox_client.documents.with_streaming_response.download(document.id) as answer:
        await answer.write_to_file(target)

    assert document.name == "pipe.pdf"
    assert target.read_bytes() == PDF


async def test_an_upload_of_known_size(sandbox_client: Any, tmp_path: Path) -> None:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(PDF)

    document = await sandbox_client.documents.upload(path)

    assert await sandbox_client.documents.download(document.id) == PDF


# -- failures --------------------------------------------------------------------------------


async def test_a_refused_connection_is_a_plain_connection_error(transport: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = client_at(transport, f"http://127.0.0.1:{port}/v1", max_retries=0)
    try:
        with pytest.raises(APIConnectionError) as caught:
            await client.clients.create(name="Dupont")  # never sent: not ambiguous
    finally:
        await client.aclose()

    assert type(caught.value) is APIConnectionError
    assert caught.value.method == "POST"


async def test_a_silent_server_times_out(transport: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        client = client_at(
            transport, f"http://127.0.0.1:{sock.getsockname()[1]}/v1", timeout=0.2, max_retries=0
        )
        try:
            with pytest.raises(APITimeoutError):
                await client.clients.get(7)
        finally:
            await client.aclose()


async def test_the_timeout_bounds_the_whole_answer(transport: str, scripted: Any) -> None:
    url, _ = scripted(trickle)
    client = client_at(transport, url, timeout=0.5, max_retries=0)
    try:
        with pytest.raises(APITimeoutError, match=r"0\.5 s"):
            await client.clients.get(7)
    finally:
        await client.aclose()


async def test_a_write_dropped_after_it_was_sent_is_ambiguous_and_not_replayed(
    transport: str, scripted: Any
) -> None:
    url, received = scripted(drop)
    client = client_at(transport, url, max_retries=2)
    try:
        with pytest.raises(AmbiguousWriteError):
            await client.clients.create(name="Dupont")
    finally:
        await client.aclose()

    assert len(received) == 1
    assert b'"name":"Dupont"' in received[0]


async def test_a_read_dropped_after_it_was_sent_is_retried(transport: str, scripted: Any) -> None:
    url, received = scripted(drop)
    client = client_at(transport, url, max_retries=2)
    try:
        with pytest.raises(APIConnectionError) as caught:
            await client.clients.get(7)
    finally:
        await client.aclose()

    assert not isinstance(caught.value, AmbiguousWriteError)
    assert len(received) == 3


async def test_a_body_cut_short_is_a_typed_error(transport: str, scripted: Any) -> None:
    def cut(conn: socket.socket, request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + CLIENT[:10])

    url, _ = scripted(cut)
    client = client_at(transport, url, max_retries=0)
    try:
        with pytest.raises(APIConnectionError):
            await client.clients.get(7)
    finally:
        await client.aclose()


async def test_a_gateway_502_to_a_write_is_ambiguous(transport: str, scripted: Any) -> None:
    url, received = scripted(respond("502 Bad Gateway", b"<html>bad gateway</html>"))
    client = client_at(transport, url, max_retries=2)
    try:
        with pytest.raises(AmbiguousGatewayError):
            await client.clients.create(name="Dupont")
    finally:
        await client.aclose()

    assert len(received) == 1


async def test_gzip_is_asked_for_and_read(transport: str, scripted: Any) -> None:
    url, received = scripted(
        respond(
            "200 OK",
            gzip.compress(CLIENT),
            "Content-Type: application/json",
            "Content-Encoding: gzip",
        )
    )
    client = client_at(transport, url)
    try:
        found = await client.clients.get(7)
    finally:
        await client.aclose()

    assert found.name == "Dupont"
    assert b"accept-encoding: gzip" in received[0].lower()


async def test_gzip_that_is_not_gzip_is_a_format_error(transport: str, scripted: Any) -> None:
    url, _ = scripted(
        respond("200 OK", CLIENT, "Content-Type: application/json", "Content-Encoding: gzip")
    )
    client = client_at(transport, url, max_retries=0)
    try:
        with pytest.raises(ResponseFormatError):
            await client.clients.get(7)
    finally:
        await client.aclose()


async def test_the_request_is_sent_as_built(transport: str, scripted: Any) -> None:
    url, received = scripted(respond("200 OK", CLIENT, "Content-Type: application/json"))
    client = client_at(transport, url)
    try:
        await client.clients.get(7)
    finally:
        await client.aclose()

    head = received[0].split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"get /v1/companies/1/clients/7 http/1.1")
    assert b"user-agent: tiime-python/" in head
    assert b"authorization: bearer not-a-real-token" in head
    assert b"content-type" not in head
    assert head.count(b"\r\nhost: ") == 1


async def test_a_raw_answer_is_httpx_s_whole(transport: str, scripted: Any) -> None:
    url, _ = scripted(
        respond("200 OK", CLIENT, "Content-Type: application/json", "Set-Cookie: lb=node-3")
    )
    client = client_at(transport, url)
    try:
        raw = await client.clients.with_raw_response.get(7)
    finally:
        await client.aclose()

    answer = raw.http_response
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.elapsed.total_seconds() >= 0  # set as httpx's client sets it
    assert answer.request.url == f"{url}/companies/1/clients/7"


async def test_a_proxy_from_the_environment_is_used(
    transport: str, scripted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, received = scripted(respond("200 OK", CLIENT, "Content-Type: application/json"))
    monkeypatch.setenv("HTTP_PROXY", proxy.removesuffix("/v1"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = client_at(transport, "http://127.0.0.1:9/v1")  # nothing listens there
    try:
        found = await client.clients.get(7)
    finally:
        await client.aclose()

    assert found.name == "Dupont"
    assert received[0].startswith(b"GET http://127.0.0.1:9/v1/companies/1/clients/7 ")


def test_a_transport_not_known_is_refused(transport: str) -> None:
    with pytest.raises(ConfigurationError, match="transport"):
        AsyncTiimeClient(access_token="t", transport=transport + "2")  # type: ignore[arg-type]
