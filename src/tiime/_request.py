"""What a call sends, described once for the sync and async clients alike.

A resource method builds an :class:`APIRequest` (method, path, query, headers, body, and the
:class:`~tiime._response.Reader` that reads its answer: a model, bytes or nothing); the
client that runs it adds the base URL, the app headers and the token, sends it, and reads
the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any, Generic, TypeVar

from ._response import Reader, reader_for

__all__ = ["APIRequest", "Chain", "FileField", "Operation", "Part"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# A multipart part: a file (file name, content, content type) or a text field (None, text).
FileField = tuple[str, "IO[bytes] | bytes", str]
Part = tuple[str, "FileField | tuple[None, str]"]


class Operation(Generic[T_co]):
    """Something a client can run to produce a ``T``: one request, or a run of pages."""

    __slots__ = ()


@dataclass(frozen=True, eq=False)
class APIRequest(Operation[T]):
    """One HTTP call to the API. ``path`` is relative to the base URL (``companies/1/clients``).

    ``json`` is a JSON body; ``files`` makes a multipart body of its parts in order (files
    streamed from their file objects, never read whole into memory). ``replay_safe`` says
    whether the request may be sent again after it may have reached the server (``None``:
    by its method, GET/PUT/DELETE yes, POST/PATCH no).
    """

    method: str
    path: str
    reader: Reader[T]
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] | None = None
    json: Any = None
    files: Sequence[Part] | None = None
    replay_safe: bool | None = None

    @classmethod
    def get(
        cls,
        path: str,
        into: type[T] | Reader[T],
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> APIRequest[T]:
        """A GET whose answer is read as ``into`` (a model type, ``bytes``, or a reader)."""
        return cls("GET", path, reader_for(into), params=params, headers=headers)

    @classmethod
    def post(
        cls,
        path: str,
        into: type[T] | Reader[T],
        *,
        json: Any = None,
        files: Sequence[Part] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> APIRequest[T]:
        """A POST of ``json`` (or a multipart body), never replayed once it may have arrived."""
        return cls("POST", path, reader_for(into), params=params, json=json, files=files)

    @classmethod
    def put(
        cls, path: str, into: type[T] | Reader[T], *, json: Any, replay_safe: bool = True
    ) -> APIRequest[T]:
        """A PUT of ``json``; ``replay_safe=False`` for one whose repetition is not harmless."""
        return cls("PUT", path, reader_for(into), json=json, replay_safe=replay_safe)

    @classmethod
    def patch(
        cls, path: str, into: type[T] | Reader[T], *, json: Any, replay_safe: bool = False
    ) -> APIRequest[T]:
        """A PATCH of ``json``, not replayed unless marked ``replay_safe``."""
        return cls("PATCH", path, reader_for(into), json=json, replay_safe=replay_safe)

    @classmethod
    def delete(cls, path: str, into: type[T] | Reader[T]) -> APIRequest[T]:
        """A DELETE (retried on failure: deleting twice leaves the same state)."""
        return cls("DELETE", path, reader_for(into))

    def with_headers(self, headers: Mapping[str, str]) -> APIRequest[T]:
        """The same request with some headers added or replaced."""
        return replace(self, headers={**(self.headers or {}), **headers})


class Chain(Operation[T]):
    """Two operations where the second is built from the first's result (``duplicate``:
    GET the source, then POST the copy). Each runs by its own rules (retries, replay)."""

    __slots__ = ("first", "then")

    def __init__(self, first: Operation[Any], then: Callable[[Any], Operation[T]]) -> None:
        self.first = first
        self.then = then
