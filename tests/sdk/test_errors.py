"""Every error class, with what it carries: status, method, endpoint, details and message."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tiime import (
    APIConnectionError,
    APITimeoutError,
    AsyncTiimeClient,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TiimeClient,
    TiimeError,
    ValidationError,
)

from ._support import COMPANY_ID, FakeTiime, close, error, run

STATUSES = [
    # status, class, API requests sent with the default max_retries=2
    (400, ValidationError, 1),
    (422, ValidationError, 1),
    (401, AuthenticationError, 2),  # one new login, one retry
    (403, PermissionDeniedError, 1),
    (404, NotFoundError, 1),
    (429, RateLimitError, 3),
    (500, ServerError, 3),
    (502, ServerError, 3),
    (503, ServerError, 3),
    (504, ServerError, 3),
]


@pytest.mark.parametrize(("status", "cls", "sent"), STATUSES)
async def test_status_maps_to_its_error_class(
    client: Any, fake: FakeTiime, status: int, cls: type[TiimeError], sent: int
) -> None:
    description = f"Le serveur dit non ({status})"
    fake.api = lambda request: error(status, description)

    with pytest.raises(cls) as caught:
        await run(client.clients.get(100))

    exc = caught.value
    assert type(exc) is cls
    assert isinstance(exc, TiimeError)
    assert exc.status == status
    assert exc.method == "GET"
    assert exc.endpoint == f"{fake.base_url}/companies/{COMPANY_ID}/clients/100"
    assert exc.details == {"error": status, "error_code": "error", "error_description": description}
    assert description in exc.message
    assert description in str(exc)
    assert str(status) in str(exc)
    assert exc.endpoint in str(exc)
    assert len(fake.api_requests) == sent


async def test_a_post_error_carries_post_and_the_body(client: Any, fake: FakeTiime) -> None:
    body = {
        "error": 422,
        "error_description": "email : adresse invalide",
        "errors": {"email": ["invalid"]},
    }
    fake.queue(httpx.Response(422, json=body))

    with pytest.raises(ValidationError) as caught:
        await run(client.clients.create(name="Acme", email="a@b.example"))

    assert caught.value.method == "POST"
    assert caught.value.endpoint == f"{fake.base_url}/companies/{COMPANY_ID}/clients"
    assert caught.value.details == body
    assert "email : adresse invalide" in caught.value.message


@pytest.mark.parametrize("key", ["message", "detail"])
async def test_other_description_keys_are_used(client: Any, fake: FakeTiime, key: str) -> None:
    fake.queue(httpx.Response(404, json={key: "Nothing here"}))

    with pytest.raises(NotFoundError, match="Nothing here"):
        await run(client.clients.get(100))


async def test_an_html_502_says_it_was_html(make_client: Any, fake: FakeTiime) -> None:
    client = make_client(max_retries=0)
    fake.queue(
        httpx.Response(
            502,
            text="<html><body><h1>502 Bad Gateway</h1></body></html>",
            headers={"Content-Type": "text/html"},
        )
    )

    with pytest.raises(ServerError) as caught:
        await run(client.clients.get(100))

    assert caught.value.status == 502
    assert caught.value.details is None
    assert "HTML" in caught.value.message
    assert "Bad Gateway" in caught.value.message


async def test_an_empty_503_names_the_status(make_client: Any, fake: FakeTiime) -> None:
    client = make_client(max_retries=0)
    fake.queue(httpx.Response(503, content=b""))

    with pytest.raises(ServerError) as caught:
        await run(client.clients.list())

    assert caught.value.status == 503
    assert "Service Unavailable" in caught.value.message


async def test_a_plain_text_error_body_is_quoted(make_client: Any, fake: FakeTiime) -> None:
    client = make_client(max_retries=0)
    fake.queue(
        httpx.Response(500, text="upstream exploded", headers={"Content-Type": "text/plain"})
    )

    with pytest.raises(ServerError, match="upstream exploded"):
        await run(client.clients.get(1))


async def test_an_unmapped_4xx_is_still_a_tiime_error(client: Any, fake: FakeTiime) -> None:
    fake.queue(httpx.Response(409, json={"error_description": "Conflit"}))

    with pytest.raises(TiimeError, match="Conflit") as caught:
        await run(client.clients.get(1))

    assert caught.value.status == 409


@pytest.mark.parametrize(
    ("failure", "cls"),
    [(httpx.ConnectError, APIConnectionError), (httpx.ReadTimeout, APITimeoutError)],
)
async def test_transport_failures(
    make_client: Any, fake: FakeTiime, failure: type[Exception], cls: type[TiimeError]
) -> None:
    client = make_client(max_retries=0)
    fake.queue(failure)

    with pytest.raises(cls) as caught:
        await run(client.clients.get(100))

    exc = caught.value
    assert type(exc) is cls
    assert isinstance(exc, APIConnectionError)
    assert exc.status is None
    assert exc.method == "GET"
    assert exc.endpoint == f"{fake.base_url}/companies/{COMPANY_ID}/clients/100"
    assert isinstance(exc.__cause__, failure)


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def real_client(flavour: str, port: int, **options: Any) -> Any:
    cls = TiimeClient if flavour == "sync" else AsyncTiimeClient
    return cls(
        base_url=f"http://127.0.0.1:{port}/v1",
        access_token="not-a-real-token",
        company_id=COMPANY_ID,
        max_retries=0,
        **options,
    )


async def test_connection_refused_on_loopback(flavour: str, closed_port: int) -> None:
    client = real_client(flavour, closed_port)
    try:
        with pytest.raises(APIConnectionError) as caught:
            await run(client.clients.get(1))
    finally:
        await close(client)

    assert type(caught.value) is APIConnectionError
    assert (
        caught.value.endpoint
        == f"http://127.0.0.1:{closed_port}/v1/companies/{COMPANY_ID}/clients/1"
    )
    assert caught.value.method == "GET"


async def test_read_timeout_on_loopback(flavour: str, silent_port: int) -> None:
    client = real_client(flavour, silent_port, timeout=0.1)
    try:
        with pytest.raises(APITimeoutError) as caught:
            await run(client.clients.get(1))
    finally:
        await close(client)

    assert caught.value.status is None
    assert "timed out" in caught.value.message


@pytest.fixture
def trickle_port() -> Iterator[int]:
    """A loopback server that answers 200 with a 31-byte JSON body, one byte every 50 ms.

    Each read gets a byte well within any per-read timeout; only a deadline on the whole
    answer stops it. It stops by itself after 10 s.
    """
    body = b'{"id": 1, "name": "' + b"x" * 10 + b'"}'
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    head += b"Content-Length: %d\r\n\r\n" % len(body)
    stop = threading.Event()

    def trickle(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(head)
                for byte in body:
                    if stop.wait(0.05):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.settimeout(10)

        def accept() -> None:
            while not stop.is_set():
                try:
                    conn, _ = sock.accept()
                except OSError:
                    return
                threading.Thread(target=trickle, args=(conn,), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        yield sock.getsockname()[1]
        stop.set()


async def test_timeout_bounds_the_whole_answer_not_each_read(
    flavour: str, trickle_port: int
) -> None:
    # Before: each byte came within the read timeout, and the call succeeded after 1.5 s.
    client = real_client(flavour, trickle_port, timeout=0.5)
    try:
        with pytest.raises(APITimeoutError) as caught:
            await run(client.clients.get(1))
    finally:
        await close(client)

    assert "0.5 s" in caught.value.message


async def test_a_timeout_large_enough_lets_the_trickle_finish(
    flavour: str, trickle_port: int
) -> None:
    client = real_client(flavour, trickle_port, timeout=8)
    try:
        result = await run(client.clients.get(1))
    finally:
        await close(client)

    assert result.id == 1


async def test_missing_company_id_says_how_to_set_one(make_client: Any, fake: FakeTiime) -> None:
    client = make_client(company_id=None)

    with pytest.raises(ConfigurationError) as caught:
        await run(client.clients.list())

    message = str(caught.value)
    for needed in ("company_id", "TIIME_COMPANY_ID", "tiime company use", "list_companies()"):
        assert needed in message
    assert fake.requests == []  # not even a login


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.clients.get(1),
        lambda c: c.clients.create(name="X"),
        lambda c: c.clients.search("x"),
        lambda c: c.clients.contacts(1),
        lambda c: c.company.get(),
    ],
)
async def test_every_company_call_needs_a_company(
    make_client: Any, fake: FakeTiime, call: Any
) -> None:
    client = make_client(company_id=None)

    with pytest.raises(ConfigurationError, match="TIIME_COMPANY_ID"):
        await run(call(client))

    assert fake.requests == []


@pytest.mark.parametrize("cls", [TiimeClient, AsyncTiimeClient])
def test_no_credentials_at_all(cls: type[Any]) -> None:
    # The autouse fixture cleared TIIME_* and points TIIME_CONFIG_DIR at an empty directory.
    with pytest.raises(ConfigurationError) as caught:
        cls()

    assert "TIIME_EMAIL" in str(caught.value)
    assert "tiime auth login" in str(caught.value)


@pytest.mark.parametrize("cls", [TiimeClient, AsyncTiimeClient])
def test_an_email_without_password_is_a_configuration_error(cls: type[Any]) -> None:
    with pytest.raises(ConfigurationError, match="password"):
        cls(email="jane@example.com", company_id=1)


def test_errors_hierarchy() -> None:
    for cls in (
        ConfigurationError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ValidationError,
        RateLimitError,
        ServerError,
        APIConnectionError,
    ):
        assert issubclass(cls, TiimeError)
    assert issubclass(APITimeoutError, APIConnectionError)
