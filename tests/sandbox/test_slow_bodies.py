"""Request bodies: one too slow is answered 408 and closed (an upload's temporary file
removed), one at a healthy pace is read whatever its length, and clients stalling their
bodies cannot lock a healthy client out."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tiime.sandbox import Sandbox

# Bounds on how long a test waits for the server, never assertions on its speed.
PATIENCE = 20.0


@pytest.fixture(scope="module")
def hasty() -> Iterator[Sandbox]:
    """A sandbox giving a body half a second, plus one per 1,000 bytes received."""
    with Sandbox(clients=0, body_timeout=0.5, body_min_rate=1000) as sb:
        yield sb


def _connect(sb: Sandbox) -> socket.socket:
    return socket.create_connection(("127.0.0.1", sb.port), timeout=PATIENCE)


def _head(sb: Sandbox, path: str, length: int, content_type: str, **extra: str) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{sb.port}",
        f"Content-Type: {content_type}",
        f"Content-Length: {length}",
        *(f"{name.replace('_', '-')}: {value}" for name, value in extra.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _answer(sock: socket.socket) -> bytes:
    """All the server sends until it closes ``sock`` (bounded by PATIENCE: then the
    test fails)."""
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk


def test_a_stalled_body_is_answered_408_and_closed(hasty: Sandbox) -> None:
    with _connect(hasty) as sock:
        sock.sendall(_head(hasty, "/oauth/token", 100, "application/json") + b'{"grant')
        answer = _answer(sock)

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"error_code":"request_timeout"' in answer
    assert b"connection: close" in answer.lower()


def test_a_trickling_body_is_closed(hasty: Sandbox) -> None:
    """A byte every 0.1 s (10 bytes/s, under the 1,000 the server asks for)."""
    with _connect(hasty) as sock:
        sock.sendall(_head(hasty, "/oauth/token", 100_000, "application/json") + b"{")
        sock.settimeout(0.1)
        closed = False
        give_up = time.monotonic() + PATIENCE
        while not closed and time.monotonic() < give_up:
            try:
                sock.recv(65536)  # an answer, or the end
                closed = True
            except TimeoutError:
                try:
                    sock.send(b" ")
                except OSError:
                    closed = True
            except OSError:
                closed = True

    assert closed


def test_a_body_at_a_healthy_pace_is_read_past_the_timeout(hasty: Sandbox) -> None:
    """3,000 bytes over about a second: longer than the half second alone, but above the
    minimum rate, so each chunk gives more time."""
    body = b'{"grant_type": "nothing"' + b" " * 2975 + b"}"
    with _connect(hasty) as sock:
        sock.sendall(_head(hasty, "/oauth/token", len(body), "application/json"))
        for start in range(0, len(body), 300):
            sock.sendall(body[start : start + 300])
            time.sleep(0.1)
        answer = sock.recv(65536)

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"unsupported_grant_type" in answer


def test_a_stalled_upload_is_closed_and_its_temporary_file_removed(hasty: Sandbox) -> None:
    boundary = "tiimeboundary"
    start = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="lent.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
        "%PDF-1.4 "
    ).encode()
    files = hasty.db_path.with_name(hasty.db_path.name + ".files")
    path = f"/v1/companies/{hasty.company_id}/documents"
    head = _head(
        hasty,
        path,
        1_000_000,
        f"multipart/form-data; boundary={boundary}",
        Authorization=f"Bearer {hasty.issue_token()}",
    )
    with _connect(hasty) as sock:
        sock.sendall(head + start + b"x" * 4000)
        answer = _answer(sock)

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert _eventually_empty(files)


def _eventually_empty(directory: Path) -> bool:
    """Whether ``directory`` holds no temporary upload, waiting up to PATIENCE for it."""
    give_up = time.monotonic() + PATIENCE
    while any(directory.glob(".upload-*")):
        if time.monotonic() > give_up:
            return False
        time.sleep(0.05)
    return True


def _stall(sb: Sandbox, sockets: list[socket.socket]) -> socket.socket:
    """A new connection that sends a body's first byte and no more; added to
    ``sockets``."""
    sock = _connect(sb)
    sockets.append(sock)
    sock.sendall(_head(sb, "/oauth/token", 100, "application/json") + b"{")
    return sock


def test_a_healthy_client_is_served_while_the_others_stall_their_bodies() -> None:
    sockets: list[socket.socket] = []
    with Sandbox(clients=0, body_timeout=PATIENCE, max_connections=3) as sb:
        try:
            for _ in range(3):
                _stall(sb, sockets)
                time.sleep(0.2)  # accepted, and its headers read, in this order
            # A fourth connection: the stalled body whose deadline comes first makes room.
            served = httpx.get(f"{sb.url}/", timeout=PATIENCE)
            assert served.status_code == 200
            assert _answer(sockets[0]).startswith(b"HTTP/1.1 408 ")
        finally:
            for sock in sockets:
                sock.close()


def test_one_client_holds_at_most_its_share_of_connections() -> None:
    sockets: list[socket.socket] = []
    with Sandbox(clients=0, body_timeout=PATIENCE, max_client_connections=2) as sb:
        try:
            for _ in range(3):
                _stall(sb, sockets)
                time.sleep(0.2)
            # The third one of the same address closed the first (the total is far).
            assert _answer(sockets[0]).startswith(b"HTTP/1.1 408 ")
        finally:
            for sock in sockets:
                sock.close()


@pytest.mark.parametrize(
    "option",
    [
        {"body_timeout": 0},
        {"body_min_rate": -1},
        {"max_client_connections": 0},
        {"header_timeout": float("nan")},
    ],
)
def test_limits_must_be_positive(option: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be a positive number"):
        Sandbox(**option)  # type: ignore[arg-type]
