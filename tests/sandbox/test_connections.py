"""Connections: half-sent requests are not held for good, their number is bounded, and
large answers are compressed for clients that accept it."""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from tiime.sandbox import Sandbox

# Bounds on how long a test waits for the server, never assertions on its speed.
PATIENCE = 20.0


@pytest.fixture(scope="module")
def strict() -> Iterator[Sandbox]:
    """A sandbox with a short header timeout and room for three connections."""
    with Sandbox(clients=1, header_timeout=0.5, max_connections=3) as sb:
        yield sb


def _connect(sb: Sandbox) -> socket.socket:
    return socket.create_connection(("127.0.0.1", sb.port), timeout=PATIENCE)


def _closed_by_server(sock: socket.socket) -> bool:
    """Whether the server closes ``sock`` (read until end of file, bounded by PATIENCE)."""
    try:
        while True:
            if not sock.recv(65536):
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def _get_root(sb: Sandbox) -> bytes:
    return f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{sb.port}\r\n\r\n".encode()


@pytest.mark.parametrize(
    "sent", [b"", b"GET / HTTP/1.1\r\n", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"]
)
def test_a_half_sent_request_is_not_held(strict: Sandbox, sent: bytes) -> None:
    with _connect(strict) as sock:
        sock.sendall(sent)
        assert _closed_by_server(sock)


def test_a_half_sent_second_request_is_not_held(strict: Sandbox) -> None:
    with _connect(strict) as sock:
        sock.sendall(_get_root(strict))
        answer = b""
        while b"tiime sandbox" not in answer:
            chunk = sock.recv(65536)
            assert chunk
            answer += chunk
        sock.sendall(b"GET / HTTP/1.1\r\nHo")
        assert _closed_by_server(sock)


def test_a_connection_beyond_the_limit_closes_the_longest_waiting_one(
    http: httpx.Client,
) -> None:
    with Sandbox(clients=0, header_timeout=PATIENCE, max_connections=3) as sb:
        # Accepted in the order they connect: the first one has waited longest.
        held = [_connect(sb) for _ in range(3)]
        try:
            for sock in held:
                sock.sendall(b"GET / HTTP/1.1\r\n")
            response = http.get(f"{sb.url}/")  # a fourth connection
            assert response.status_code == 200
            assert _closed_by_server(held[0])
        finally:
            for sock in held:
                sock.close()


def test_a_large_answer_is_gzipped_when_accepted(
    demo: Sandbox, clients_url: str, auth: dict[str, str]
) -> None:
    with httpx.Client(timeout=PATIENCE) as client:
        with client.stream("GET", clients_url, headers={**auth, "Accept-Encoding": "gzip"}) as r:
            compressed = b"".join(r.iter_raw())
            encoding = r.headers.get("content-encoding")
        plain = client.get(clients_url, headers={**auth, "Accept-Encoding": "identity"})

    assert encoding == "gzip"
    assert "content-encoding" not in plain.headers
    assert json.loads(gzip.decompress(compressed)) == plain.json()
    assert len(compressed) < len(plain.content) / 3


def test_a_small_answer_is_not_gzipped(demo: Sandbox, auth: dict[str, str]) -> None:
    response = httpx.get(
        f"{demo.base_url}/users/me", headers={**auth, "Accept-Encoding": "gzip"}, timeout=10
    )

    assert response.status_code == 200
    assert "content-encoding" not in response.headers
