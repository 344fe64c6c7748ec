"""Reading answers: how a call reads its body (a model, bytes or nothing), error mapping,
and the response objects handed out by ``with_raw_response`` and ``with_streaming_response``.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import httpx
import msgspec

from . import _constants as C
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ResponseFormatError,
    TiimeError,
    error_class_for,
)
from ._retry import retry_after_seconds
from .types._dates import LenientDecoder

__all__ = [
    "BYTES",
    "NOTHING",
    "AsyncStreamedResponse",
    "BytesReader",
    "JSONReader",
    "MappedReader",
    "NothingReader",
    "RawResponse",
    "Reader",
    "StreamedResponse",
    "decoder_for",
    "error_from_response",
    "reader_for",
]

T = TypeVar("T")

_HINTS = {
    401: "check the credentials, or log in again",
    403: "this user may not do that here: check company_id (list_companies() shows the "
    "companies this user can act on)",
    429: "too many requests: wait a little before trying again",
}


@cache
def _decoder(into: Any) -> LenientDecoder[Any]:
    return LenientDecoder(into)


def decoder_for(into: type[T]) -> LenientDecoder[T]:
    """A (cached) JSON decoder into ``into``; lax about ``"12"`` for ``12`` and the like,
    and reading the models' dates and date-times from any of the API's forms (natively
    first: see :class:`~tiime.types._dates.LenientDecoder`).
    """
    return cast("LenientDecoder[T]", _decoder(cast(Hashable, into)))


def _type_name(into: Any) -> str:
    args = getattr(into, "__args__", None)
    if args:
        return f"a list of {getattr(args[0], '__name__', args[0])}"
    return f"a {getattr(into, '__name__', into)} object"


def _media_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _snippet(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:120] + ("..." if len(text) > 120 else "")


def _format_error(response: httpx.Response, message: str) -> ResponseFormatError:
    request = response.request
    return ResponseFormatError(
        message, status=response.status_code, method=request.method, endpoint=str(request.url)
    )


class Reader(Generic[T]):
    """How a call reads a successful answer: its ``Accept`` header and its decoding."""

    accept: str = C.JSON

    def read(self, response: httpx.Response) -> T:
        raise NotImplementedError


class JSONReader(Reader[T]):
    """A JSON answer decoded into a model (or a list of models, or plain JSON)."""

    __slots__ = ("decoder",)

    def __init__(self, decoder: LenientDecoder[T]) -> None:
        self.decoder = decoder

    def read(self, response: httpx.Response) -> T:
        media = _media_type(response)
        expected = _type_name(self.decoder.type)
        if media and not _is_json(media):
            raise _format_error(
                response, f"expected JSON ({expected}), got {media}: {_snippet(response)!r}"
            )
        if not response.content:
            raise _format_error(response, f"expected JSON ({expected}), got an empty body")
        try:
            return self.decoder.decode(response.content)
        except msgspec.ValidationError as exc:
            raise _format_error(response, f"the answer is not {expected}: {exc}") from None
        except msgspec.DecodeError as exc:
            raise _format_error(
                response, f"the answer is not valid JSON ({exc}): {_snippet(response)!r}"
            ) from None


class BytesReader(Reader[bytes]):
    """A binary answer (a PDF, a document), returned as it came."""

    def __init__(self, accept: str = C.OCTET_STREAM) -> None:
        self.accept = accept

    def read(self, response: httpx.Response) -> bytes:
        if _is_json(_media_type(response)) and self.accept != C.JSON:
            raise _format_error(
                response, f"expected a file ({self.accept}), got JSON: {_snippet(response)!r}"
            )
        return response.content


class NothingReader(Reader[None]):
    """An answer whose body, if any, carries nothing to return (204, an acknowledgement)."""

    def read(self, response: httpx.Response) -> None:
        return None


class MappedReader(Reader[T]):
    """A JSON answer decoded into ``into``, then given to ``convert`` (an envelope's list,
    a projection of each item): ``MappedReader(Page, lambda page: page.items)``."""

    def __init__(self, into: type[Any], convert: Callable[[Any], T], accept: str = C.JSON) -> None:
        self._inner: JSONReader[Any] = JSONReader(decoder_for(into))
        self._convert = convert
        self.accept = accept

    def read(self, response: httpx.Response) -> T:
        return self._convert(self._inner.read(response))


BYTES = BytesReader()
NOTHING = NothingReader()


def reader_for(into: type[T] | Reader[T]) -> Reader[T]:
    """The reader of ``into``: a :class:`Reader` as given, ``bytes``, or a JSON model type."""
    if isinstance(into, Reader):
        return into
    if into is bytes:
        return cast(Reader[T], BYTES)
    return JSONReader(decoder_for(into))


def error_from_response(response: httpx.Response, *, hint: bool = True) -> TiimeError:
    """The exception for an error status, carrying the server's own message when it sent one.

    ``hint=False`` leaves out the advice added for the API's 401, 403 and 429 (the token
    endpoint's 403 means wrong credentials, not a company out of reach). The server's
    ``Retry-After``, when given, is kept as ``retry_after`` (seconds).
    """
    details: Any = None
    description: str | None = None
    content_type = response.headers.get("content-type", "")
    if response.content:
        try:
            details = json.loads(response.content)
        except ValueError:
            details = None
    if isinstance(details, dict):
        for key in ("error_description", "message", "detail", "error"):
            value = details.get(key)
            if isinstance(value, str) and value:
                description = value
                break
    if description is None:
        description = response.reason_phrase or f"HTTP {response.status_code}"
        if "html" in content_type.lower():
            description += " (the server answered with an HTML page, not the API's JSON)"
        elif details is None and response.content:
            description += f": {_snippet(response)!r}"
    else:
        description = f"the server said: {json.dumps(description, ensure_ascii=False)}"
    advice = _HINTS.get(response.status_code) if hint else None
    message = f"{description} ({advice})" if advice else description
    cls = error_class_for(response.status_code)
    return cls(
        message,
        status=response.status_code,
        method=response.request.method,
        endpoint=str(response.request.url),
        details=details,
        retry_after=retry_after_seconds(response),
    )


class _ResponseInfo:
    __slots__ = ("http_response",)

    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def url(self) -> str:
        return str(self.http_response.request.url)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.method} {self.url}>"


class RawResponse(_ResponseInfo, Generic[T]):
    """An answer as it came: status, headers and body, with :meth:`parse` for the typed value.

    Returned by the ``with_raw_response`` variant of every call, for fields the models do
    not name yet and for headers such as ``Content-Range`` or ``x-total-amount``.
    """

    __slots__ = ("_reader",)

    def __init__(self, http_response: httpx.Response, reader: Reader[T]) -> None:
        self.http_response = http_response
        self._reader = reader

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def json(self) -> Any:
        """The body as plain Python values (every field, named by the models or not)."""
        return json.loads(self.http_response.content)

    def parse(self) -> T:
        """The body read as the call's usual return value."""
        return self._reader.read(self.http_response)


_CHUNK = 64 * 1024


def body_error(response: httpx.Response, exc: httpx.HTTPError) -> TiimeError:
    """The typed error for a body that could not be read after its headers arrived: one
    that does not decode as its ``Content-Encoding`` says (:class:`ResponseFormatError`),
    or a connection lost or timed out in the middle of it."""
    request = response.request
    where: dict[str, Any] = {
        "status": response.status_code,
        "method": request.method,
        "endpoint": str(request.url),
    }
    if isinstance(exc, httpx.DecodingError):
        encoding = response.headers.get("content-encoding", "identity")
        return ResponseFormatError(
            f"the answer's body is not valid {encoding} data: {exc}", **where
        )
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"the answer's body did not arrive in time: {exc}", **where)
    return APIConnectionError(f"the connection was lost while the answer was read: {exc}", **where)


def _typed_chunks(response: httpx.Response, chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from chunks
    except (httpx.DecodingError, httpx.TransportError) as exc:
        raise body_error(response, exc) from exc


async def _atyped_chunks(
    response: httpx.Response, chunks: AsyncIterator[bytes]
) -> AsyncIterator[bytes]:
    try:
        async for chunk in chunks:
            yield chunk
    except (httpx.DecodingError, httpx.TransportError) as exc:
        raise body_error(response, exc) from exc


def _partial_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


class StreamedResponse(_ResponseInfo):
    """An answer whose body has not been read yet (``with_streaming_response``).

    Use it inside its ``with`` block: :meth:`iter_bytes` yields the body chunk by chunk,
    :meth:`write_to_file` copies it to a file without holding it in memory, :meth:`read`
    returns all of it.
    """

    __slots__ = ()

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    def iter_bytes(self, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        """The body, decoded (gzip...), in chunks; a body that breaks off or does not decode
        raises a :class:`~tiime.TiimeError` (connection, timeout or response format)."""
        return _typed_chunks(self.http_response, self.http_response.iter_bytes(chunk_size))

    def read(self) -> bytes:
        try:
            return self.http_response.read()
        except (httpx.DecodingError, httpx.TransportError) as exc:
            raise body_error(self.http_response, exc) from exc

    def write_to_file(self, file: str | os.PathLike[str]) -> Path:
        """Stream the body into ``file`` (written whole or not at all); returns its path."""
        path = Path(file)
        partial = _partial_path(path)
        try:
            with partial.open("wb") as out:
                for chunk in self.iter_bytes():
                    out.write(chunk)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return path


class AsyncStreamedResponse(_ResponseInfo):
    """The async :class:`StreamedResponse`: ``aiter_bytes``, ``read`` and ``write_to_file``
    are awaited."""

    __slots__ = ()

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    def aiter_bytes(self, chunk_size: int = _CHUNK) -> AsyncIterator[bytes]:
        """The body, decoded (gzip...), in chunks; a body that breaks off or does not decode
        raises a :class:`~tiime.TiimeError` (connection, timeout or response format)."""
        return _atyped_chunks(self.http_response, self.http_response.aiter_bytes(chunk_size))

    async def read(self) -> bytes:
        try:
            return await self.http_response.aread()
        except (httpx.DecodingError, httpx.TransportError) as exc:
            raise body_error(self.http_response, exc) from exc

    async def write_to_file(self, file: str | os.PathLike[str]) -> Path:
        """Stream the body into ``file`` (written whole or not at all); returns its path."""
        import anyio

        path = Path(file)
        partial = _partial_path(path)
        try:
            async with await anyio.open_file(partial, "wb") as out:
                async for chunk in self.aiter_bytes():
                    await out.write(chunk)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return path
