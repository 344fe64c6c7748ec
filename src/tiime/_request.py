"""What a call sends, described once for the sync and async clients alike.

A resource method builds an :class:`APIRequest` (method, path, query, headers, body and the
type its answer decodes into); the client that runs it adds the base URL, the app headers
and the token, sends it, and decodes the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import msgspec

from ._response import decoder_for

__all__ = ["APIRequest", "Operation"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Operation(Generic[T_co]):
    """Something a client can run to produce a ``T``: one request, or a run of pages."""

    __slots__ = ()


@dataclass(frozen=True, eq=False)
class APIRequest(Operation[T]):
    """One HTTP call to the API. ``path`` is relative to the base URL (``companies/1/clients``)."""

    method: str
    path: str
    decoder: msgspec.json.Decoder[T]
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] | None = None
    json: Mapping[str, Any] | None = None

    @classmethod
    def get(
        cls,
        path: str,
        into: type[T],
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> APIRequest[T]:
        """A GET whose JSON answer decodes into ``into``."""
        return cls("GET", path, decoder_for(into), params=params, headers=headers)

    @classmethod
    def post(cls, path: str, into: type[T], *, json: Mapping[str, Any]) -> APIRequest[T]:
        """A POST of ``json`` whose JSON answer decodes into ``into``."""
        return cls("POST", path, decoder_for(into), json=json)

    def with_headers(self, headers: Mapping[str, str]) -> APIRequest[T]:
        """The same request with some headers added or replaced."""
        return APIRequest(
            self.method,
            self.path,
            self.decoder,
            params=self.params,
            headers={**(self.headers or {}), **headers},
            json=self.json,
        )
