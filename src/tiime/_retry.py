"""When to send a request again, and after how long. Pure decisions, no I/O."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

import httpx

from ._constants import MAX_RETRY_AFTER

__all__ = ["RetryPolicy"]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Methods whose repetition has the effect of one call: these are retried on any failure.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Failures that prove the request never reached the server: the connection was not opened.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """The server's ``Retry-After`` in seconds (a number or an HTTP date), if it sent one."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, honouring ``Retry-After``.

    Replay-safe requests (by default GET, PUT and DELETE) are retried on 408, 429, 5xx
    gateways and connection failures. Others (POST, PATCH, and a PUT its call marks as not
    replay-safe) are retried only when the connection could not be opened, so that a create,
    an e-mail or an imputation is never sent twice because of a 5xx or a timeout.
    ``replay_safe`` overrides the method's default (``True`` for a login). A ``Retry-After``
    longer than ``max_retry_after`` is not waited for: the error is raised at once.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = MAX_RETRY_AFTER

    def delay(
        self,
        method: str,
        outcome: httpx.Response | Exception,
        retries_done: int,
        *,
        replay_safe: bool | None = None,
    ) -> float | None:
        """Seconds to wait before the next try, or ``None`` to stop here."""
        if retries_done >= self.max_retries:
            return None
        replayable = method in IDEMPOTENT_METHODS if replay_safe is None else replay_safe
        if isinstance(outcome, Exception):
            if isinstance(outcome, NEVER_SENT) or (
                replayable and isinstance(outcome, httpx.TransportError)
            ):
                return self.backoff(retries_done)
            return None
        if outcome.status_code not in RETRY_STATUSES or not replayable:
            return None
        wait = retry_after_seconds(outcome)
        if wait is None:
            return self.backoff(retries_done)
        return wait if wait <= self.max_retry_after else None

    def backoff(self, retries_done: int) -> float:
        """``initial_delay * 2**n``, capped, scaled by a random factor in [0.5, 1]."""
        base = min(self.max_delay, self.initial_delay * 2.0**retries_done)
        return base * (0.5 + random.random() / 2)  # noqa: S311 - jitter, not cryptography
