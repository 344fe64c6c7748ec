"""Reading answers: decoding into models, mapping errors, and the raw response accessor."""

from __future__ import annotations

import json
from collections.abc import Hashable
from functools import cache
from typing import Any, Generic, TypeVar, cast

import httpx
import msgspec

from ._exceptions import ResponseFormatError, TiimeError, error_class_for
from .types._dates import dec_hook

__all__ = ["RawResponse", "decode_body", "decoder_for", "error_from_response"]

T = TypeVar("T")

_HINTS = {
    401: "check the credentials, or log in again",
    403: "this user may not do that here: check company_id (list_companies() shows the "
    "companies this user can act on)",
    429: "too many requests: wait a little before trying again",
}


@cache
def _decoder(into: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(into, strict=False, dec_hook=dec_hook)


def decoder_for(into: type[T]) -> msgspec.json.Decoder[T]:
    """A (cached) JSON decoder into ``into``; lax about ``"12"`` for ``12`` and the like.

    Its ``dec_hook`` decodes the models' dates and date-times from any of the API's forms.
    """
    return cast("msgspec.json.Decoder[T]", _decoder(cast(Hashable, into)))


def _type_name(into: Any) -> str:
    args = getattr(into, "__args__", None)
    if args:
        return f"a list of {args[0].__name__}"
    return f"a {getattr(into, '__name__', into)} object"


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _snippet(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:120] + ("..." if len(text) > 120 else "")


def decode_body(response: httpx.Response, decoder: msgspec.json.Decoder[T]) -> T:
    """Decode a successful answer, or raise :class:`ResponseFormatError` saying what it was."""
    request = response.request
    content_type = response.headers.get("content-type", "")

    def fail(message: str) -> ResponseFormatError:
        return ResponseFormatError(
            message,
            status=response.status_code,
            method=request.method,
            endpoint=str(request.url),
        )

    expected = _type_name(decoder.type)
    if content_type and not _is_json(content_type):
        raise fail(
            f"expected JSON ({expected}), got {content_type.split(';')[0]}: {_snippet(response)!r}"
        )
    if not response.content:
        raise fail(f"expected JSON ({expected}), got an empty body")
    try:
        return decoder.decode(response.content)
    except msgspec.ValidationError as exc:
        raise fail(f"the answer is not {expected}: {exc}") from None
    except msgspec.DecodeError as exc:
        raise fail(f"the answer is not valid JSON ({exc}): {_snippet(response)!r}") from None


def error_from_response(response: httpx.Response, *, hint: bool = True) -> TiimeError:
    """The exception for an error status, carrying the server's own message when it sent one.

    ``hint=False`` leaves out the advice added for the API's 401, 403 and 429 (the token
    endpoint's 403 means wrong credentials, not a company out of reach).
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
    advice = _HINTS.get(response.status_code) if hint else None
    message = f"{description} ({advice})" if advice else description
    cls = error_class_for(response.status_code)
    return cls(
        message,
        status=response.status_code,
        method=response.request.method,
        endpoint=str(response.request.url),
        details=details,
    )


class RawResponse(Generic[T]):
    """An answer as it came: status, headers and JSON, with :meth:`parse` for the typed value.

    Returned by the ``with_raw_response`` variant of every call, for fields the models do
    not name yet and for headers such as ``Content-Range`` or ``x-total-amount``.
    """

    __slots__ = ("_decoder", "http_response")

    def __init__(self, http_response: httpx.Response, decoder: msgspec.json.Decoder[T]) -> None:
        self.http_response = http_response
        self._decoder = decoder

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

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def json(self) -> Any:
        """The body as plain Python values (every field, named by the models or not)."""
        return json.loads(self.http_response.content)

    def parse(self) -> T:
        """The body decoded into the call's usual return type."""
        return decode_body(self.http_response, self._decoder)

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self.method} {self.url}>"
