"""The HTTP/1.1 protocol the sandbox serves with: uvicorn's h11 one, with two bounds.

* A request's headers must arrive within ``header_timeout`` seconds of the connection's
  start or of the previous answer; a connection that sends half a request (or nothing)
  is closed then, instead of being held for good.
* At most ``max_connections`` connections are open at once: one more closes the one that
  has been waiting longest for a request's headers (so that held connections cannot lock
  healthy clients out), or itself when every other one is in the middle of a request.
"""

from __future__ import annotations

import asyncio
import time

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["DEFAULT_HEADER_TIMEOUT", "DEFAULT_MAX_CONNECTIONS", "bounded_h11"]

DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_MAX_CONNECTIONS = 512


def bounded_h11(header_timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol class with these bounds (give it as ``Config(http=...)``)."""
    if header_timeout <= 0 or max_connections < 1:
        raise ValueError("header_timeout and max_connections must be positive")

    class BoundedH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None
        _waiting_after: object = None  # the cycle answered before the awaited request
        _waiting_since = 0.0

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(transport)  # type: ignore[arg-type]
            self._await_headers()
            if len(self.connections) > max_connections:
                waiting = [
                    other
                    for other in self.connections
                    if isinstance(other, BoundedH11Protocol)
                    and other is not self
                    and other._header_timer is not None
                    and not other.transport.is_closing()
                ]
                oldest = min(waiting, key=lambda other: other._waiting_since, default=self)
                oldest._stop_waiting()
                oldest.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_waiting()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not self._waiting_after:  # a request's headers arrived
                self._stop_waiting()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.cycle.response_complete:
                self._await_headers()

        def _await_headers(self) -> None:
            self._stop_waiting()
            self._waiting_after = self.cycle
            self._waiting_since = time.monotonic()
            self._header_timer = self.loop.call_later(header_timeout, self._headers_late)

        def _stop_waiting(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.cycle is self._waiting_after and not self.transport.is_closing():
                self.transport.close()

    return BoundedH11Protocol
