"""The exceptions a call can raise. Every one of them is a :class:`TiimeError`."""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
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
