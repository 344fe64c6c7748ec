"""The HTTP/1.1 protocol the sandbox serves with: uvicorn's h11 one, with bounds on what a
slow or greedy client can hold.

* A request's headers must arrive within ``header_timeout`` seconds of the connection's
  start or of the previous answer; a connection that sends half a request (or nothing)
  is closed then, instead of being held for good.
* A request's body must arrive within ``body_timeout`` seconds of its headers, plus one
  second per ``body_min_rate`` bytes received (Apache's ``RequestReadTimeout
  body=20,MinRate=500``): a large upload at a healthy pace goes on, a body trickling a
  byte at a time is answered ``408`` in the API's shape and closed, and the handler
  reading it sees the client gone (an upload's temporary file is removed). The clock
  stops while the server itself is not reading (its handler busy, or ``Expect:
  100-continue`` not answered yet).
* At most ``max_connections`` connections are open at once, and at most
  ``max_client_connections`` from one peer address. One more closes, among the
  connections waiting on their client (for a request's headers or for its body) of that
  peer (or of anyone, over the total), the one whose deadline comes first (the longest
  idle, the slowest body): so that neither held connections nor trickling bodies can
  lock healthy clients out. When every other one is being answered, the new one is
  closed.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "DEFAULT_BODY_MIN_RATE",
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_HEADER_TIMEOUT",
    "DEFAULT_MAX_CLIENT_CONNECTIONS",
    "DEFAULT_MAX_CONNECTIONS",
    "Limits",
    "bounded_h11",
]

DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_BODY_TIMEOUT = 20.0
DEFAULT_BODY_MIN_RATE = 500
DEFAULT_MAX_CONNECTIONS = 512
DEFAULT_MAX_CLIENT_CONNECTIONS = 128

_TIMEOUT_BODY = json.dumps(
    {
        "error": 408,
        "error_code": "request_timeout",
        "error_description": "Corps de requête trop lent : délai de lecture dépassé.",
    },
    ensure_ascii=False,
    separators=(",", ":"),
).encode()


@dataclass(frozen=True)
class Limits:
    """The bounds of :func:`bounded_h11` (see the module's documentation); ValueError
    when one is not positive."""

    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    body_min_rate: float = DEFAULT_BODY_MIN_RATE
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_client_connections: int = DEFAULT_MAX_CLIENT_CONNECTIONS

    def __post_init__(self) -> None:
        for name in (
            "header_timeout",
            "body_timeout",
            "body_min_rate",
            "max_connections",
            "max_client_connections",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"{name} must be a positive number, not {value!r}")


def bounded_h11(
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    *,
    limits: Limits | None = None,
) -> type[H11Protocol]:
    """uvicorn's h11 protocol class with these bounds (give it as ``Config(http=...)``):
    ``limits``, or the defaults with ``header_timeout`` and ``max_connections``."""
    bounds = limits or Limits(header_timeout=header_timeout, max_connections=max_connections)

    class BoundedH11Protocol(H11Protocol):
        _timer: asyncio.TimerHandle | None = None
        _phase: str | None = None  # "headers", "body" or None: the client owes nothing
        _waiting_after: object = None  # the cycle answered before the awaited request
        _since = 0.0  # when the current wait started (a body's clock: see _deadline)
        _received = 0  # bytes of the body received so far
        _peer = ""

        # -- connections --------------------------------------------------------------

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)  # type: ignore[arg-type]
            self._peer = self.client[0] if self.client else ""
            self._await_headers()
            open_ = [
                other
                for other in self.connections
                if isinstance(other, BoundedH11Protocol) and not other.transport.is_closing()
            ]
            mine = [other for other in open_ if other._peer == self._peer]
            if len(mine) > bounds.max_client_connections:
                self._evict_one_of(mine)
            elif len(open_) > bounds.max_connections:
                self._evict_one_of(open_)

        def _evict_one_of(self, connections: list[BoundedH11Protocol]) -> None:
            """Close the connection of ``connections`` whose client is furthest behind
            (the first deadline), or this new one when no other waits on its client."""
            waiting = [
                other for other in connections if other is not self and other._phase is not None
            ]
            first = min(waiting, key=lambda other: other._deadline(), default=self)
            first._give_up()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_waiting()
            super().connection_lost(exc)

        # -- phases -------------------------------------------------------------------

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.transport.is_closing():
                return
            if self._phase == "headers" and self.cycle is not self._waiting_after:
                # A request's headers arrived: now its body, if it has one to come.
                self._await_body()
            elif self._phase == "body":
                self._received += len(data)
                if self.conn.their_state is not h11.SEND_BODY:
                    self._stop_waiting()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.transport.is_closing():
                return
            if self.cycle.response_complete:
                self._await_headers()
            else:  # a pipelined request, read at once
                self._await_body()

        def _await_body(self) -> None:
            self._stop_waiting()
            if self.conn.their_state is h11.SEND_BODY:
                self._phase = "body"
                self._since = time.monotonic()
                self._received = 0
                self._arm(bounds.body_timeout)

        def _await_headers(self) -> None:
            self._stop_waiting()
            self._phase = "headers"
            self._waiting_after = self.cycle
            self._since = time.monotonic()
            self._arm(bounds.header_timeout)

        def _deadline(self) -> float:
            if self._phase == "body":
                return self._since + bounds.body_timeout + self._received / bounds.body_min_rate
            return self._since + bounds.header_timeout

        def _arm(self, delay: float) -> None:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self.loop.call_later(max(delay, 0.0), self._late)

        def _stop_waiting(self) -> None:
            self._phase = None
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _late(self) -> None:
            self._timer = None
            if self._phase is None or self.transport.is_closing():
                return
            now = time.monotonic()
            if self._phase == "body" and self._server_holds_the_body():
                # Not the client's fault: its clock starts again when the server reads.
                self._since, self._received = now, 0
            remaining = self._deadline() - now
            if remaining > 0:
                self._arm(remaining)
            else:
                self._give_up()

        def _server_holds_the_body(self) -> bool:
            cycle = self.cycle
            return bool(
                self.flow.read_paused
                or (cycle is not None and getattr(cycle, "waiting_for_100_continue", False))
            )

        def _give_up(self) -> None:
            """Close the connection; a body not answered yet is answered 408 first, and
            its handler told the client is gone."""
            phase = self._phase
            self._stop_waiting()
            if self.transport.is_closing():
                return
            cycle = self.cycle
            if phase == "body" and cycle is not None and not cycle.response_started:
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(_TIMEOUT_BODY)).encode()),
                    (b"connection", b"close"),
                ]
                try:
                    answer = self.conn.send(
                        h11.Response(status_code=408, headers=headers, reason=b"Request Timeout")
                    )
                    answer = (answer or b"") + (self.conn.send(h11.Data(data=_TIMEOUT_BODY)) or b"")
                    answer += self.conn.send(h11.EndOfMessage()) or b""
                except h11.LocalProtocolError:
                    answer = b""
                self.transport.write(answer)
            if cycle is not None and not cycle.response_complete:
                cycle.disconnected = True  # what the handler sends now goes nowhere
                cycle.message_event.set()  # and its receive() says the client is gone
            self.transport.close()

    return BoundedH11Protocol
