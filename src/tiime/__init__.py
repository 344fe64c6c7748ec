"""tiime: the Python SDK of the Tiime accounting API.

    from tiime import TiimeClient

    with TiimeClient(company_id=12345, email="you@example.com", password="...") as client:
        for c in client.clients.list(archived=False):
            print(c.id, c.name)

The names below are imported on first use, so that ``import tiime`` (and the ``tiime``
command's ``--help``) stays fast: httpx alone takes over 100 ms to import.
"""

from __future__ import annotations

import importlib

from ._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time

if TYPE_CHECKING:
    from ._client import AsyncTiimeClient, TiimeClient
    from ._exceptions import (
        AmbiguousGatewayError,
        AmbiguousWriteError,
        AmbiguousWriteTimeoutError,
        APIConnectionError,
        APITimeoutError,
        AuthenticationError,
        ClientClosedError,
        ConfigurationError,
        ListingChangedError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ResponseFormatError,
        ServerError,
        TiimeError,
        ValidationError,
    )
    from ._response import RawResponse

_LAZY = {
    "AsyncTiimeClient": "._client",
    "TiimeClient": "._client",
    "RawResponse": "._response",
    **dict.fromkeys(
        [
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
        ],
        "._exceptions",
    ),
}

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AmbiguousGatewayError",
    "AmbiguousWriteError",
    "AmbiguousWriteTimeoutError",
    "AsyncTiimeClient",
    "AuthenticationError",
    "ClientClosedError",
    "ConfigurationError",
    "ListingChangedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseFormatError",
    "ServerError",
    "TiimeClient",
    "TiimeError",
    "ValidationError",
    "__version__",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tiime' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
