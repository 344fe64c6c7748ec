"""Chaos mode: faults injected at a seeded random rate, to prove a client against them.

``tiime sandbox --chaos RATE[,KIND...]`` (``Sandbox(chaos=...)``) wraps the application in
:class:`ChaosMiddleware`: each request to ``/v1`` or ``/oauth/token`` draws, with
probability RATE, one fault among the KINDs that apply to it (all of :data:`KINDS` by
default):

* ``error-before``: 503 in the API's error shape; the handler does not run (nothing is
  written).
* ``error-after``: the handler runs (a write is committed), then its answer is replaced
  by a 502, as a gateway that gave up on the server would answer.
* ``rate-limit``: 429 with ``Retry-After`` (seconds); the handler does not run.
* ``drop-before``: the connection is closed without an answer; the handler does not run.
* ``drop-after``: the handler runs (a write is committed), then the connection is closed
  without an answer.
* ``slow``: the answer comes after a delay, its body in several slow chunks.
* ``truncate``: the handler runs, then its answer's headers and half of its body are
  sent and the connection closed (an answer without a body is dropped instead).
* ``page-cap``: a listing asked with ``Range: items=A-B`` gets a smaller page (between 2
  items and what was asked), a different cap on every page, answered 206 as a real
  server's cap would be.
* ``insert``: before a page of a listing of clients (``GET /v1/companies/{id}/clients``)
  is read, a client named ``Chaos insert N`` is created in that company: the list grew
  since the previous page.

The draws come from ``random.Random(seed)`` in the order requests arrive: the same
requests in the same order meet the same faults. ``chaos.counts`` tells how many of each
were injected. Off unless asked, and refused together with ``allow_remote`` (a server
other machines reach is not one to make fail on purpose).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .kernel.errors import ApiError

__all__ = [
    "INSERT_NAME_PREFIX",
    "KINDS",
    "Chaos",
    "ChaosMiddleware",
    "parse_chaos",
]

KINDS = (
    "error-before",
    "error-after",
    "rate-limit",
    "drop-before",
    "drop-after",
    "slow",
    "truncate",
    "page-cap",
    "insert",
)
# Names of the clients the ``insert`` kind creates (so that an audit can tell them apart).
INSERT_NAME_PREFIX = "Chaos insert"

_RANGE = re.compile(rb"\s*items\s*=\s*(\d{1,18})\s*-\s*(\d{1,18}|\*)\s*", re.IGNORECASE)
_CLIENTS = re.compile(r"/v1/companies/\d+/clients")
_MAX_CAP = 50  # the page-cap kind answers at most this many items for items=A-*


def parse_chaos(text: str) -> tuple[float, tuple[str, ...]]:
    """``RATE[,KIND...]`` of ``--chaos``: the rate (``0.1`` or ``10%``, from 0 to 1) and the
    kinds (all of :data:`KINDS` when none is named). ValueError, one line, otherwise."""
    rate_text, *kind_names = [part.strip() for part in text.split(",")]
    try:
        rate = float(rate_text[:-1]) / 100 if rate_text.endswith("%") else float(rate_text)
    except ValueError:
        raise ValueError(
            f"expected RATE[,KIND...] (0.1 or 10%, then kinds among {', '.join(KINDS)}), "
            f"not {text!r}"
        ) from None
    return rate, _kinds(kind_names)


def _kinds(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    unknown = [name for name in names if name not in KINDS]
    if unknown:
        raise ValueError(f"unknown chaos kind {unknown[0]!r} (kinds: {', '.join(KINDS)})")
    return tuple(dict.fromkeys(names)) if names else KINDS


@dataclass
class Chaos:
    """What to inject: each request meets a fault with probability ``rate`` (0 to 1), of
    one of ``kinds``, drawn from ``random.Random(seed)``. ``retry_after`` is the 429's
    ``Retry-After`` in seconds, ``slow_seconds`` how late a ``slow`` answer ends.
    ``rate`` and ``kinds`` may be changed while serving; ``counts`` tells what was
    injected. ValueError for a rate outside [0, 1] or an unknown kind."""

    rate: float
    kinds: tuple[str, ...] = KINDS
    seed: int | None = None
    retry_after: int = 1
    slow_seconds: float = 0.2
    limit: int | None = None
    counts: Counter[str] = field(default_factory=Counter, init=False)

    def __post_init__(self) -> None:
        if isinstance(self.rate, bool) or not 0 <= self.rate <= 1:
            raise ValueError(f"the chaos rate must be between 0 and 1, not {self.rate!r}")
        self.kinds = _kinds(tuple(self.kinds))
        if self.retry_after < 0 or self.slow_seconds < 0:
            raise ValueError("retry_after and slow_seconds must not be negative")
        self._random = random.Random(self.seed)  # noqa: S311 - faults, not secrets
        self._inserted = 0

    @classmethod
    def from_option(cls, chaos: float | str | Chaos, seed: int | None = None) -> Chaos:
        """A :class:`Chaos` from ``Sandbox(chaos=...)``: a rate, ``"RATE[,KIND...]"``, or
        one already made (returned as it is)."""
        if isinstance(chaos, Chaos):
            return chaos
        if isinstance(chaos, str):
            rate, kinds = parse_chaos(chaos)
            return cls(rate, kinds, seed)
        return cls(float(chaos), KINDS, seed)

    def draw(self, scope: Scope) -> str | None:
        """The fault for this request, or None (counted in :attr:`counts`)."""
        path: str = scope["path"]
        if not (path.startswith("/v1/") or path == "/oauth/token"):
            return None
        if self._random.random() >= self.rate:
            return None
        if self.limit is not None and self.counts.total() >= self.limit:
            return None
        listing = scope["method"] == "GET"
        candidates = [
            kind
            for kind in self.kinds
            if (kind != "page-cap" or (listing and _requested_range(scope) is not None))
            and (kind != "insert" or (listing and _CLIENTS.fullmatch(path) is not None))
        ]
        if not candidates:
            return None
        kind = self._random.choice(candidates)
        self.counts[kind] += 1
        return kind

    def cap(self, start: int, end: int | None) -> int:
        """The last index a ``page-cap`` page answers, for ``items=start-end``."""
        asked = _MAX_CAP if end is None else end - start + 1
        return start + self._random.randint(min(2, asked), max(2, asked)) - 1

    def insert_name(self) -> str:
        self._inserted += 1
        return f"{INSERT_NAME_PREFIX} {self._inserted}"


def _requested_range(scope: Scope) -> tuple[int, int | None] | None:
    for name, value in scope["headers"]:
        if name == b"range":
            match = _RANGE.fullmatch(value)
            if match is None:
                return None
            start = int(match.group(1))
            end = None if match.group(2) == b"*" else int(match.group(2))
            return None if end is not None and end < start else (start, end)
    return None


class _Recorded:
    """The messages an application sent, kept instead of sent."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def start(self) -> Message:
        return next(m for m in self.messages if m["type"] == "http.response.start")

    @property
    def body(self) -> bytes:
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )


class ChaosMiddleware:
    """The application ``app`` with the faults of ``chaos`` (see the module's
    documentation). It must be the outermost application uvicorn runs: it closes
    connections through uvicorn's own ``send``."""

    def __init__(self, app: ASGIApp, chaos: Chaos) -> None:
        self.app = app
        self.chaos = chaos

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = self.chaos.draw(scope) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
        elif kind in ("error-before", "rate-limit", "drop-before"):
            await _drain(receive)
            if kind == "drop-before":
                _drop(send)
            elif kind == "rate-limit":
                headers = {"Retry-After": str(self.chaos.retry_after)}
                error = ApiError(429, "Trop de requêtes (chaos).", headers=headers)
                await error.response()(scope, receive, send)
            else:
                error = ApiError(503, "Service indisponible (chaos).")
                await error.response()(scope, receive, send)
        elif kind == "page-cap":
            await self.app(self._capped(scope), receive, send)
        elif kind == "insert":
            await self._insert(scope)  # committed before this page is read and answered
            await self.app(scope, receive, send)
        else:
            recorded = _Recorded()
            await self.app(scope, receive, recorded)
            await self._after(kind, recorded, scope, receive, send)

    async def _after(
        self, kind: str, recorded: _Recorded, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """The recorded answer sent back as ``kind`` says (the handler has run)."""
        body = recorded.body
        if kind == "error-after":
            error = ApiError(502, "Passerelle : le serveur n'a pas répondu à temps (chaos).")
            await error.response()(scope, receive, send)
        elif kind == "drop-after" or (kind == "truncate" and len(body) < 2):
            _drop(send)
        elif kind == "truncate":
            await send(recorded.start)
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            _drop(send)
        else:  # slow
            await asyncio.sleep(self.chaos.slow_seconds / 2)
            await send(recorded.start)
            chunks = 4
            step = max(1, -(-len(body) // chunks))
            for offset in range(0, chunks * step, step):
                await asyncio.sleep(self.chaos.slow_seconds / 2 / chunks)
                last = offset + step >= len(body)
                await send(
                    {
                        "type": "http.response.body",
                        "body": body[offset : offset + step],
                        "more_body": not last,
                    }
                )
                if last:
                    break

    def _capped(self, scope: Scope) -> Scope:
        requested = _requested_range(scope)
        assert requested is not None  # drawn only for such requests
        start, end = requested
        last = self.chaos.cap(start, end)
        headers = [(name, value) for name, value in scope["headers"] if name != b"range"]
        headers.append((b"range", f"items={start}-{last}".encode()))
        return {**scope, "headers": headers}

    async def _insert(self, scope: Scope) -> None:
        """A client created in the listed company, by the listing's own credentials."""
        body = json.dumps({"name": self.chaos.insert_name()}).encode()
        kept = [(n, v) for n, v in scope["headers"] if n in (b"host", b"authorization")]
        headers = [
            *kept,
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        inner: dict[str, Any] = {**scope, "method": "POST", "headers": headers, "query_string": b""}
        await self.app(inner, receive, _Recorded())


async def _drain(receive: Receive) -> None:
    """Read the request's body to its end (the client then waits for the answer)."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


def _drop(send: Send) -> None:
    """Close the connection without answering (more): uvicorn's ``send`` is a bound method
    of its request cycle, which holds the connection's transport."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if cycle is None or transport is None:
        raise RuntimeError("chaos mode needs uvicorn's send(): run it as the outermost app")
    cycle.disconnected = True  # what is sent now goes nowhere, and uvicorn logs nothing
    transport.close()
