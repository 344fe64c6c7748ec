"""Confirmation tokens: a previewed write waits here until its commit, once.

A preview answers a token ``NONCE.EXPIRES.MAC``: MAC is an HMAC-SHA256, under a secret
drawn when the process starts, of the nonce, the expiry, the action, the company and, for
each request of the write, its method, path, the SHA-256 of its body and the facts its
step is bound to (an upload's file: path, size, SHA-256, type). The commit
accepts a token once: it is spent on its first use whatever comes next, so a write is
never sent twice; a token that is unknown, spent, expired or altered (a longer expiry,
another MAC) is refused. Before sending, each request is built again from the same
arguments and the MAC checked against the token: what is sent is what was shown.

A request whose outcome is unknown (no answer, a timeout, a 5xx, an unreadable answer) is
not sent again: the answer says so and how to find out (a create that can be looked for,
as an upload, is looked for at once with the SDK's ``find_created()``); the requests after
it in the same write are not sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import _exceptions as E
from .._json import encode_body
from ._data import plain
from ._errors import ToolFailure, explain

__all__ = ["TOKEN_TTL", "Confirmations", "Step"]

TOKEN_TTL = 300.0  # seconds a preview's token stays good
MAX_PENDING = 100

# Failures that say the request was not carried out (the server refused it, or the SDK did
# before sending); any other one leaves the outcome unknown.
REFUSED = (
    E.ValidationError,
    E.AuthenticationError,
    E.PermissionDeniedError,
    E.NotFoundError,
    E.RateLimitError,
    E.ConfigurationError,
    E.ClientClosedError,
)


@dataclass(frozen=True)
class Step:
    """One request of a write: ``build()`` makes it (checking the arguments, sending
    nothing), ``send()`` sends it; ``check`` says how to find out when its outcome is
    unknown; ``key`` names it in the answer of a write of several. ``facts`` (JSON values)
    are bound into the token beside the request (what its body does not show: an upload's
    file); ``lookup`` says that an unknown outcome is looked for with the SDK's
    ``AmbiguousWriteError.find_created()`` (a create)."""

    build: Callable[[], Any]
    send: Callable[[], Awaitable[Any]]
    check: str
    key: int | None = None
    facts: dict[str, Any] | None = None
    lookup: bool = False


@dataclass(frozen=True)
class Pending:
    action: str
    company: int
    steps: Sequence[Step]
    expires: int


class Confirmations:
    """The previews waiting for their commit, in this process. ``clock`` is
    ``time.monotonic`` unless a test moves time on."""

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, ttl: float = TOKEN_TTL
    ) -> None:
        self.clock = clock
        self.ttl = ttl
        self._secret = secrets.token_bytes(32)
        self._pending: dict[str, Pending] = {}

    def _mac(self, nonce: str, expires: int, pending: Pending, requests: list[Any]) -> str:
        lines = [nonce, str(expires), pending.action, str(pending.company)]
        for step, request in zip(pending.steps, requests, strict=True):
            body = encode_body(request.json)
            lines += [request.method, request.path, hashlib.sha256(body).hexdigest()]
            if step.facts is not None:
                lines.append(json.dumps(step.facts, sort_keys=True))
        digest = hmac.new(self._secret, "\n".join(lines).encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def preview(
        self, action: str, company: int, steps: Sequence[Step], extra: dict[str, Any]
    ) -> dict[str, Any]:
        """Build the requests (a ``ValidationError`` before anything is kept), keep them
        under a new token, and answer what would be sent."""
        requests = [step.build() for step in steps]
        now = self.clock()
        for nonce in [n for n, p in self._pending.items() if p.expires < now]:
            del self._pending[nonce]
        if len(self._pending) >= MAX_PENDING:
            raise ToolFailure(
                f"{MAX_PENDING} previews are waiting for a commit: commit or let them expire "
                f"({int(self.ttl)} s), then preview again."
            )
        pending = Pending(action, company, list(steps), int(now + self.ttl) + 1)
        nonce = secrets.token_urlsafe(12)
        token = f"{nonce}.{pending.expires}.{self._mac(nonce, pending.expires, pending, requests)}"
        self._pending[nonce] = pending
        shown = [{"method": r.method, "path": r.path, "body": _body(r)} for r in requests]
        answer: dict[str, Any] = {"action": action, "company": company}
        answer.update(shown[0] if len(shown) == 1 else {"requests": shown})
        answer.update(extra)
        answer["token"] = token
        answer["expires_in_seconds"] = int(self.ttl)
        answer["next"] = (
            "nothing was sent: show this to the user; once they agree, call commit with the token"
        )
        return answer

    async def commit(self, token: str) -> dict[str, Any]:
        """Send the requests of the preview of ``token``, once."""
        parts = token.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            raise ToolFailure("This is not a preview's token: preview the write again.")
        nonce, expires_text, mac = parts
        pending = self._pending.pop(nonce, None)  # spent now, whatever comes next
        if pending is None:
            raise ToolFailure(
                "This token is unknown or was already used (a write is never sent twice): "
                "preview the write again if it is still wanted."
            )
        expires = int(expires_text)
        requests = [step.build() for step in pending.steps]
        expected = self._mac(nonce, expires, pending, requests)
        if expires != pending.expires or not hmac.compare_digest(mac, expected):
            raise ToolFailure(
                "This token does not match its preview (altered): preview the write again."
            )
        if self.clock() > expires:
            raise ToolFailure("This token has expired: preview the write again.")
        answer: dict[str, Any] = {"done": pending.action, "company": pending.company}
        if len(pending.steps) == 1:
            result = await _send(pending.steps[0])
            if isinstance(result, Found):
                answer["result"] = plain(result.record)
                answer["note"] = (
                    f"the answer was lost, and the {result.kind} was then found: it was made, "
                    "once; do not make it again"
                )
            elif result is not None:
                answer["result"] = plain(result)
            return answer
        return {**answer, **await _send_each(pending.steps)}


def _body(request: Any) -> Any:
    """A request's body as shown: its JSON, or a multipart body's parts (a file by name)."""
    if request.files is None:
        return plain(request.json)
    parts = []
    for name, (filename, content, *rest) in request.files:
        if filename is None:
            parts.append({"part": name, "value": content})
        else:
            kind = rest[0] if rest else None
            parts.append({"part": name, "filename": filename, "content_type": kind})
    return {"multipart": parts}


async def _send(step: Step) -> Any:
    try:
        return await step.send()
    except ToolFailure:  # the step's own refusal, before anything reached the server
        raise
    except Exception as exc:
        if isinstance(exc, REFUSED):  # answered 4xx, or checked before sending
            raise ToolFailure(f"Nothing was changed: {explain(exc)}") from None
        if step.lookup and isinstance(exc, E.AmbiguousWriteError):
            return await _look_for(step, exc)
        # No answer, a 5xx, an unreadable answer: it may have been done.
        raise ToolFailure(
            f"Outcome unknown: {explain(exc)} The request may have been carried out; it is "
            f"not sent again. To find out, {step.check} before any new preview."
        ) from None


@dataclass(frozen=True)
class Found:
    """What a create whose answer was lost made, found afterwards."""

    record: Any
    kind: str


async def _look_for(step: Step, exc: E.AmbiguousWriteError) -> Found:
    """The record a create whose answer was lost made (the SDK's ``find_created()``); a
    :class:`ToolFailure` saying whether it was made when it is not found."""
    unknown = (
        f"Outcome unknown: {explain(exc)} The request may have been carried out; "
        "it is not sent again."
    )
    try:
        found = await exc.find_created()
    except Exception as lookup:
        raise ToolFailure(
            f"{unknown} Looking for what it made failed too ({explain(lookup)}): to find "
            f"out, {step.check} before any new preview."
        ) from None
    if found is None:
        raise ToolFailure(
            f"{unknown} It was looked for and not found: it was not made (after a timeout "
            f"the server may still be at work: {step.check} in a minute before any new "
            "preview)."
        )
    return Found(found, exc.record_type or "record")


async def _send_each(steps: Sequence[Step]) -> dict[str, Any]:
    """Each request in turn: a refused one is told and the next sent; at an unknown
    outcome the rest is not sent."""
    done: list[int | None] = []
    refused: list[dict[str, Any]] = []
    for n, step in enumerate(steps):
        try:
            await _send(step)
        except ToolFailure as failure:
            text = str(failure)
            if text.startswith("Nothing was changed"):
                refused.append({"key": step.key, "error": text})
                continue
            return {
                "sent": done,
                "refused": refused,
                "unknown": {"key": step.key, "error": text},
                "not_sent": [later.key for later in steps[n + 1 :]],
            }
        done.append(step.key)
    return {"sent": done, "refused": refused}
