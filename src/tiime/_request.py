"""What a call sends, described once for the sync and async clients alike.

A resource method builds an :class:`APIRequest` (method, path, query, headers, body, and the
:class:`~tiime._response.Reader` that reads its answer: a model, bytes or nothing); the
client that runs it adds the base URL, the app headers and the token, sends it, and reads
the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, Any, Generic, TypeVar

from ._response import Reader, reader_for

__all__ = ["APIRequest", "Chain", "CreatedLookup", "FileField", "Mapped", "Operation", "Part"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# A multipart part: a file (file name, content, content type) or a text field (None, text).
FileField = tuple[str, "IO[bytes] | bytes", str]
Part = tuple[str, "FileField | tuple[None, str]"]


class Operation(Generic[T_co]):
    """Something a client can run to produce a ``T``: one request, or a run of pages."""

    __slots__ = ()


@dataclass(frozen=True, eq=False)
class CreatedLookup:
    """How to look for what a create made, should its answer be lost.

    ``record_type`` names it (``"invoice"``); ``sent`` is what was sent; ``since`` when
    the call was made; ``find()`` builds a fresh search (an operation returning the
    record, or ``None``) each time it is called.
    """

    record_type: str
    sent: Mapping[str, Any]
    since: datetime
    find: Callable[[], Operation[Any]]


@dataclass(frozen=True, eq=False)
class APIRequest(Operation[T]):
    """One HTTP call to the API. ``path`` is relative to the base URL (``companies/1/clients``).

    ``json`` is a JSON body; ``files`` makes a multipart body of its parts in order (files
    streamed from their file objects, never read whole into memory). ``replay_safe`` says
    whether the request may be sent again after it may have reached the server (``None``:
    by its method, GET/PUT/DELETE yes, POST/PATCH no). ``created`` is how to look for
    what a create made when its answer is lost (see
    :meth:`~tiime.AmbiguousWriteError.find_created`).
    """

    method: str
    path: str
    reader: Reader[T]
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] | None = None
    json: Any = None
    files: Sequence[Part] | None = None
    replay_safe: bool | None = None
    created: CreatedLookup | None = None

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
        created: CreatedLookup | None = None,
    ) -> APIRequest[T]:
        """A POST of ``json`` (or a multipart body), never replayed once it may have arrived;
        ``created`` for a create whose record can be looked for if the answer is lost."""
        return cls(
            "POST", path, reader_for(into), params=params, json=json, files=files, created=created
        )

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
        """A DELETE (retried on failure: deleting twice leaves the same state). A 404 to a
        retry, after an attempt that may have reached the server, is taken as done: the
        thing is gone, which is what was asked."""
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


class Mapped(Operation[T]):
    """An operation whose result is turned into another by ``convert`` (a listing searched
    for one item: ``Mapped(pager, first_match)``)."""

    __slots__ = ("convert", "inner")

    def __init__(self, inner: Operation[Any], convert: Callable[[Any], T]) -> None:
        self.inner = inner
        self.convert = convert
