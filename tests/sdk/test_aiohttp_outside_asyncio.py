"""The aiohttp transport outside asyncio (under trio, or with no event loop) says what to
use instead, rather than failing inside aiohttp."""

from __future__ import annotations

import httpx
import pytest

from tiime import ConfigurationError

pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed", exc_type=ImportError)


def test_the_aiohttp_transport_outside_asyncio_names_the_other_one() -> None:
    from tiime._aiohttp import AiohttpTransport

    sending = AiohttpTransport().handle_async_request(httpx.Request("GET", "http://127.0.0.1:9/"))
    try:
        with pytest.raises(ConfigurationError, match='transport="httpx"'):
            sending.send(None)  # driven by hand: no asyncio event loop is running
    finally:
        sending.close()
