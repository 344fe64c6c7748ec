"""tiime: the Python SDK of the Tiime accounting API.

from tiime import TiimeClient

with TiimeClient(company_id=12345, email="you@example.com", password="...") as client:
    for c in client.clients.list(archived=False):
        print(c.id, c.name)
"""

from ._client import AsyncTiimeClient, TiimeClient
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    TiimeError,
    ValidationError,
)
from ._response import RawResponse
from ._version import __version__

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AsyncTiimeClient",
    "AuthenticationError",
    "ConfigurationError",
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
