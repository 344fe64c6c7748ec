"""One page of a Range listing, for the ``list_page()`` calls: the request of page
``page`` (from 1) of ``page_size`` items, read as its items and the list's TOTAL (the
``Content-Range`` header's)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from .._pagination import _total_of_nothing, parse_content_range
from .._request import APIRequest
from .._response import JSONReader, Reader, decoder_for
from .._validation import check_id, check_page_size

__all__ = ["page_request"]

T = TypeVar("T")


class _PageReader(Reader[T]):
    """A JSON list decoded into ``items`` (a ``list[Model]`` type), given to
    ``make(items, total)`` with the ``Content-Range`` TOTAL (``None`` when unsaid); past
    the end, ``items */TOTAL``."""

    def __init__(self, items: type[Any], make: Callable[[Any, int | None], T]) -> None:
        self._inner: JSONReader[Any] = JSONReader(decoder_for(items))
        self._make = make

    def read(self, response: httpx.Response) -> T:
        header = response.headers.get("content-range")
        found = parse_content_range(header)
        total = _total_of_nothing(header) if found is None else found[2]
        return self._make(self._inner.read(response), total)


def page_request(
    path: str,
    items: type[Any],
    into: Callable[..., T],
    *,
    page: int,
    page_size: int,
    max_page_size: int,
    params: Mapping[str, str],
    headers: Mapping[str, str] | None = None,
) -> APIRequest[T]:
    """``GET path`` for page ``page`` (from 1) of ``page_size`` items: ``Range:
    items=START-END``, END inclusive (page 3 of 50 is ``items=100-149``), besides
    ``headers``. The answer, a JSON list read as ``items``, becomes ``into(items=...,
    total=..., page=..., page_size=...)``."""
    page = check_id(page, "page")
    page_size = check_page_size(page_size, max_page_size)
    start = (page - 1) * page_size

    def make(found: Any, total: int | None) -> T:
        return into(items=found, total=total, page=page, page_size=page_size)

    return APIRequest.get(
        path,
        _PageReader(items, make),
        params=params,
        headers={**(headers or {}), "Range": f"items={start}-{start + page_size - 1}"},
    )
