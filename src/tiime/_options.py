"""The options of a client, checked: timeouts, URLs, retries, and "not given"."""

from __future__ import annotations

from typing import Any

import httpx

from . import _constants as C
from ._exceptions import ConfigurationError

__all__ = ["NOT_GIVEN", "NotGiven", "check_retries", "check_url", "make_timeout"]


class NotGiven:
    """The default of :meth:`with_options` arguments: "keep the client's own value"."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN = NotGiven()


def make_timeout(timeout: float | httpx.Timeout | None) -> tuple[httpx.Timeout, float | None]:
    """The per-operation timeouts and the deadline of one attempt as a whole."""
    if isinstance(timeout, httpx.Timeout):
        values = [v for v in timeout.as_dict().values() if v is not None]
        return timeout, max(values) if values else None
    if timeout is None:
        return httpx.Timeout(C.DEFAULT_TIMEOUT, connect=C.DEFAULT_CONNECT_TIMEOUT), (
            C.DEFAULT_TIMEOUT
        )
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ConfigurationError(f"timeout must be a number of seconds > 0, got {timeout!r}")
    return httpx.Timeout(float(timeout)), float(timeout)


def check_url(value: str, name: str) -> str:
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise ConfigurationError(f"{name} is not a valid URL ({exc}): {value!r}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"{name} must be an http:// or https:// URL with a host, got {value!r}"
        )
    return value


def check_retries(max_retries: Any) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError("max_retries must be an integer >= 0")
    return max_retries
