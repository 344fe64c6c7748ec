"""Hostile input answers 4xx in the API's shape, and an error never drops a connection."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from tiime.sandbox import Sandbox
from tiime.sandbox.resources import clients

from .conftest import password_grant

LONE_SURROGATE = '"\\ud800"'  # valid JSON text, but no UTF-8 string can hold it


def _json_with(field: str, raw_value: str, **others: str) -> bytes:
    """A JSON object whose ``field`` is the raw JSON text ``raw_value``."""
    body = json.dumps(others)[:-1]
    separator = ", " if others else ""
    return f'{body}{separator}"{field}": {raw_value}}}'.encode()


@pytest.mark.parametrize("field", ["name", "email", "city", "address"])
def test_a_lone_surrogate_in_a_client_field_is_refused(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], clients_url: str, field: str
) -> None:
    others = {"name": "Client Valide"} if field != "name" else {}
    response = http.post(
        clients_url,
        headers={**auth, "Content-Type": "application/json"},
        content=_json_with(field, LONE_SURROGATE, **others),
    )

    assert response.status_code in (400, 422)
    body = response.json()
    assert body["error"] == response.status_code
    assert "error_code" in body
    assert "Unicode" in body["error_description"]


@pytest.mark.parametrize("field", ["username", "password", "client_id", "grant_type"])
def test_a_lone_surrogate_in_a_token_request_is_refused(
    demo: Sandbox, http: httpx.Client, field: str
) -> None:
    grant = password_grant(demo)
    del grant[field]
    response = http.post(
        demo.auth_url,
        headers={"Content-Type": "application/json"},
        content=_json_with(field, LONE_SURROGATE, **grant),
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "Unicode" in response.json()["error_description"]


@pytest.mark.parametrize(
    ("header", "status", "content_range", "count"),
    [
        ("items=0-" + "9" * 5000, 200, "items 0-35/36", 36),
        ("items=" + "1" * 5000 + "-*", 200, "items */36", 0),
        ("items=" + "1" * 5000 + "-" + "2" * 5000, 200, "items */36", 0),
        ("items=" + "9" * 5000 + "-5", 416, "items */36", None),
        ("items=0-99999999999999999999", 200, "items 0-35/36", 36),  # past 64-bit integers
    ],
)
def test_a_range_of_huge_numbers_is_read_not_a_crash(
    demo: Sandbox,
    http: httpx.Client,
    auth: dict[str, str],
    clients_url: str,
    header: str,
    status: int,
    content_range: str,
    count: int | None,
) -> None:
    response = http.get(clients_url, headers={**auth, "Range": header})

    assert response.status_code == status
    assert response.headers["content-range"] == content_range
    if count is None:
        assert response.json()["error"] == 416
        assert len(response.json()["error_description"]) < 200
    else:
        assert len(response.json()) == count


@pytest.fixture
def failing_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A sandbox whose client listing raises an unexpected error."""

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("boom")

    with Sandbox(clients=1) as sb:
        monkeypatch.setattr(clients, "count_clients", broken)
        yield sb


def _exchange(sock: socket.socket, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send one request on ``sock`` and read its answer (Content-Length framed)."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:])
    }
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return int(lines[0].split()[1]), headers, body


def test_an_unexpected_error_answers_500_and_keeps_the_connection(
    failing_sandbox: Sandbox,
) -> None:
    sb = failing_sandbox
    host = f"127.0.0.1:{sb.port}"
    listing = (
        f"GET /v1/companies/{sb.company_id}/clients HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {sb.issue_token()}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", sb.port), timeout=10) as sock:
        for _ in range(3):
            status, headers, body = _exchange(sock, listing)
            assert status == 500
            assert headers.get("connection") != "close"
            assert json.loads(body)["error_code"] == "internal_error"
            assert "boom" not in body.decode()

        status, _, body = _exchange(sock, f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    assert status == 200
    assert json.loads(body)["name"] == "tiime sandbox"
