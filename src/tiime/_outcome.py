"""What a failed attempt tells: whether the request may have reached the server, and the
exception that says so. Pure decisions, no I/O.

* A failure to open the connection (:data:`~tiime._retry.NEVER_SENT`) proves the request
  never left: nothing happened, it may be sent again.
* Any other transport failure (the connection dropped after sending, no answer in time)
  leaves the outcome unknown: the request may have been acted on. For a write that is not
  replay-safe (a create, an e-mail, an imputation) that is an
  :class:`~tiime.AmbiguousWriteError`, never a plain "could not reach".
* A 5xx from the server or a gateway may come after the work was done (a proxy timing
  out on a slow server). So a DELETE retried after such an attempt, answered 404, has
  reached its goal: the thing is gone (:func:`is_gone_by_earlier_attempt`); and a 502 or
  504 (a gateway's answer) to a write that is not replayed is an
  :class:`~tiime.AmbiguousGatewayError` (:func:`gateway_error`).
"""

from __future__ import annotations

import httpx

from ._exceptions import (
    AmbiguousGatewayError,
    AmbiguousWriteError,
    AmbiguousWriteTimeoutError,
    APIConnectionError,
    APITimeoutError,
    TiimeError,
)
from ._retry import IDEMPOTENT_METHODS, NEVER_SENT

__all__ = [
    "connection_error",
    "deadline_error",
    "gateway_error",
    "is_gone_by_earlier_attempt",
    "is_replayable",
    "may_have_arrived",
]

# Statuses after which the server may have done the work (a gateway gave up waiting).
_MAY_HAVE_ACTED = frozenset({500, 502, 503, 504})
# Statuses from a gateway, not from the API: the server behind it may have made the write.
_GATEWAY = frozenset({502, 504})
_MAY_BE_MADE = (
    "the write may have been made; it was not sent again. Check before sending it again "
    "(after a create: find_created())"
)


def is_replayable(method: str, replay_safe: bool | None) -> bool:
    """Whether a request may be sent again once it may have reached the server."""
    return method in IDEMPOTENT_METHODS if replay_safe is None else replay_safe


def may_have_arrived(outcome: httpx.Response | Exception) -> bool:
    """Whether an attempt with this outcome may have been acted on by the server."""
    if isinstance(outcome, Exception):
        return not isinstance(outcome, NEVER_SENT)
    return outcome.status_code in _MAY_HAVE_ACTED


def is_gone_by_earlier_attempt(
    request: httpx.Request, response: httpx.Response, earlier_may_have_arrived: bool
) -> bool:
    """A DELETE's 404 on a retry after an attempt that may have gone through: done."""
    return request.method == "DELETE" and response.status_code == 404 and earlier_may_have_arrived


def connection_error(
    request: httpx.Request, exc: Exception, *, replayable: bool
) -> APIConnectionError:
    """The exception for a request that got no answer: an :class:`AmbiguousWriteError` when
    it is a write that is not replayed and may have reached the server."""
    detail = str(exc) or type(exc).__name__
    timed_out = isinstance(exc, httpx.TimeoutException)
    if not replayable and may_have_arrived(exc):
        cls: type[APIConnectionError] = (
            AmbiguousWriteTimeoutError if timed_out else AmbiguousWriteError
        )
        what = "timed out" if timed_out else "the connection was lost"
        return cls(
            f"{what} after the request was sent ({detail}): {_MAY_BE_MADE}",
            method=request.method,
            endpoint=str(request.url),
        )
    cls = APITimeoutError if timed_out else APIConnectionError
    what = "timed out" if timed_out else f"could not reach {request.url.host}"
    return cls(
        f"{what} ({detail}); check the network and the base URL, or raise timeout=",
        method=request.method,
        endpoint=str(request.url),
    )


def gateway_error(error: TiimeError, replayable: bool) -> TiimeError:
    """``error`` (an error status) as an :class:`AmbiguousGatewayError` when it is a 502 or
    504 to a write that is not replayed: the server behind the gateway may have made it."""
    if replayable or error.status not in _GATEWAY:
        return error
    return AmbiguousGatewayError(
        f"{error.message}: from a gateway; {_MAY_BE_MADE}",
        status=error.status,
        method=error.method,
        endpoint=error.endpoint,
        details=error.details,
        retry_after=error.retry_after,
    )


def deadline_error(request: httpx.Request, seconds: float) -> httpx.ReadTimeout:
    """The transport failure of an attempt that ran past the client's whole-call timeout."""
    return httpx.ReadTimeout(f"no complete answer within {seconds:g} s", request=request)
