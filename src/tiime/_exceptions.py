"""The exceptions a call can raise. Every one of them is a :class:`TiimeError`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AmbiguousGatewayError",
    "AmbiguousWriteError",
    "AmbiguousWriteTimeoutError",
    "AuthenticationError",
    "ClientClosedError",
    "ConfigurationError",
    "ListingChangedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseFormatError",
    "ServerError",
    "TiimeError",
    "ValidationError",
]


class TiimeError(Exception):
    """Base class of every error raised by the SDK.

    Attributes:
        message: what went wrong, with the server's own ``error_description`` when it gave one.
        status: the HTTP status, or ``None`` when no response came back.
        method: the HTTP method of the failed call (``"GET"``...), or ``None``.
        endpoint: the URL of the failed call, or ``None``.
        details: the parsed error body (usually a dict) when the server sent one.
        retry_after: the server's ``Retry-After`` in seconds, when it sent one (429, 503).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        method: str | None = None,
        endpoint: str | None = None,
        details: Any = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.method = method
        self.endpoint = endpoint
        self.details = details
        self.retry_after = retry_after
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.method} {self.endpoint}" if self.method and self.endpoint else self.endpoint
        prefix = " ".join(str(p) for p in (self.status, where) if p)
        return f"{prefix}: {self.message}" if prefix else self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status={self.status!r}, "
            f"method={self.method!r}, endpoint={self.endpoint!r})"
        )


class ConfigurationError(TiimeError):
    """The client lacks something it needs (credentials, a company id) to make the call."""


class ClientClosedError(TiimeError):
    """A call on a closed client (after :meth:`~tiime.TiimeClient.close`, or a closed
    ``http_client``)."""


class AuthenticationError(TiimeError):
    """401, or a refused login: the credentials or the token are not accepted."""


class PermissionDeniedError(TiimeError):
    """403: the user may not act on this resource (often: a company that is not theirs)."""


class NotFoundError(TiimeError):
    """404: the resource does not exist (or is not visible to this user)."""


class ValidationError(TiimeError):
    """400 or 422 from the server, or input refused before any request was sent."""


class RateLimitError(TiimeError):
    """429: too many requests; retried automatically up to ``max_retries`` first."""


class ServerError(TiimeError):
    """5xx: the server or a proxy in front of it failed."""


class APIConnectionError(TiimeError):
    """No response: the connection could not be opened or was lost."""


class APITimeoutError(APIConnectionError):
    """No response within the timeout."""


class AmbiguousWriteError(APIConnectionError):
    """A write whose request may have reached the server, and whose answer was lost.

    The connection dropped after the request went out, or no answer came in time: the
    create, e-mail or imputation **may have been made**. The SDK never sends such a write
    again; sending it again yourself may make it twice (a second invoice). Caught by
    ``except APIConnectionError`` (and by ``except APITimeoutError`` when it timed out:
    :class:`AmbiguousWriteTimeoutError`).

    After a create, :meth:`find_created` looks for the record among the newest ones,
    matching what was sent: it returns it (it was created: do not create it again) or
    ``None`` (it was not: safe to retry).

    Attributes:
        record_type: what the call creates (``"invoice"``, ``"quotation"``, ``"client"``,
            ``"expense report"``, ``"document"``), or ``None`` for another write (an
            e-mail sent, an imputation), which :meth:`find_created` cannot look for.
        sent: what the call sent (the JSON body; for an upload, ``filename``, ``size``
            and ``type``), or ``None``.
        since: when the call was made (an aware ``datetime``), or ``None``.
    """

    record_type: str | None = None
    sent: Mapping[str, Any] | None = None
    since: datetime | None = None
    _lookup: Callable[[], Any] | None = None

    def find_created(self) -> Any:
        """Look for the record this create may have made; for a create only.

        Sends the listing its resource's ``find_created`` sends (the newest records,
        newest first, see e.g. :meth:`tiime.resources.invoices.Invoices.find_created`)
        through the client that made the call, and returns the record matching what was
        sent, or ``None`` if there is none (the create did not happen: safe to retry).
        With an :class:`~tiime.AsyncTiimeClient`, returns a coroutine: ``await
        exc.find_created()``. Raises a :class:`TiimeError` if the listing fails (then
        nothing can be told yet), and :class:`TypeError` for a write that is not a
        create (``record_type`` is ``None``).
        """
        if self._lookup is None:
            raise TypeError(
                f"{self.method} {self.endpoint} creates nothing that can be looked for: "
                "read the resource back to know whether the write was made"
            )
        return self._lookup()


class AmbiguousWriteTimeoutError(AmbiguousWriteError, APITimeoutError):
    """An :class:`AmbiguousWriteError` because no answer came within the timeout."""


class AmbiguousGatewayError(ServerError, AmbiguousWriteError):
    """A write answered 502 or 504 by a gateway in front of the API: the server behind it
    may have made it before the gateway gave up. Both a :class:`ServerError` (its
    ``status``) and an :class:`AmbiguousWriteError` (``find_created()``)."""


class ResponseFormatError(TiimeError):
    """A response that is not what the endpoint answers (HTML, truncated JSON, wrong shape)."""


class ListingChangedError(TiimeError):
    """A listing (``list()``, ``iter()``) could not return every item once: the list kept
    changing between its pages (items added or removed) past the re-reads the SDK allows.

    Raised instead of ending with items missing; ``iter()`` may have yielded some items
    before (never one twice). Listing again, when the list is calmer, gets them all.

    Attributes (besides :class:`TiimeError`'s):
        returned: how many items the listing had returned (yielded) when it gave up.
        total: the last ``Content-Range`` TOTAL the server gave, or ``None``.
    """

    def __init__(
        self, message: str, *, returned: int = 0, total: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.returned = returned
        self.total = total


_BY_STATUS: dict[int, type[TiimeError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[TiimeError]:
    """The exception class that stands for an HTTP error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else TiimeError
