"""The dashboard's gate, around every request: loopback Host only, the access token, and the
security headers on every answer.

* **Host**: only ``127.0.0.1:PORT``, ``localhost:PORT`` and ``[::1]:PORT`` (and the address
  it was told to listen on): a web page that rebinds its own name to 127.0.0.1 (DNS
  rebinding) gets 400.
* **Token**: the URL printed at start carries ``?token=...``; a request bearing the right
  one is answered ``303`` to the same URL without it, with the token set as an
  ``HttpOnly; SameSite=Strict`` cookie (so the address bar, history and referrers lose it).
  Every other request needs that cookie: without it, 401 (JSON on ``/api/``, text
  elsewhere). Compared in constant time. The server names the cookie after its port, as
  browsers share a host's cookies between its ports: two dashboards do not overwrite each
  other's. (Browsers also send it to any other server on 127.0.0.1 the user visits: a
  limit of cookies on loopback, which a token kept in the page would not have.)
* **Headers**: a Content-Security-Policy allowing only the dashboard's own scripts, styles
  and requests (no inline script, no framing), ``nosniff``, ``no-referrer``, ``no-store``.
  No ``Access-Control-Allow-Origin``: other origins cannot read the answers.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .texts import Texts, errors

__all__ = ["COOKIE", "SECURITY_HEADERS", "Guard", "loopback_hosts"]

COOKIE = "tiime_dashboard"
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
_ENCODED_HEADERS = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]


def loopback_hosts(port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` values a loopback server on ``port`` answers (lower case)."""
    names = ["127.0.0.1", "localhost", "[::1]", *extra]
    return frozenset(f"{name}:{port}".lower() for name in names)


class Guard:
    """ASGI middleware: the Host check, the token exchange and cookie, the headers.

    ``allowed_hosts`` ``None`` accepts any Host (a server told to listen beyond loopback);
    the refusals are written in the language of ``texts`` (default: the process's, see
    :mod:`tiime.i18n`).
    """

    def __init__(
        self,
        app: ASGIApp,
        token: str,
        allowed_hosts: frozenset[str] | None,
        *,
        cookie: str = COOKIE,
        texts: Texts | None = None,
    ) -> None:
        self.app = app
        self.texts = texts or Texts()
        self.token = token
        self.allowed_hosts = allowed_hosts
        self.cookie = cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in {k for k, _ in _ENCODED_HEADERS}
                ]
                message = {**message, "headers": headers + _ENCODED_HEADERS}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _valid(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def _refusal(self, scope: Scope) -> Response | None:
        """The answer that stops this request here, or ``None`` to let it through."""
        headers = Headers(scope=scope)
        path: str = scope["path"]
        api = path.startswith("/api/")
        if self.allowed_hosts is not None and headers.get("host", "").lower() not in (
            self.allowed_hosts
        ):
            return _error(self.texts(errors.BAD_HOST), 400, api)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [value for name, value in query if name == "token"]
        if given:
            if not self._valid(given[-1]):
                return _error(self.texts(errors.TOKEN_REQUIRED), 401, api)
            rest = urlencode([(name, value) for name, value in query if name != "token"])
            answer = RedirectResponse(path + (f"?{rest}" if rest else ""), status_code=303)
            answer.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
            return answer
        if not self._valid(cookie_parser(headers.get("cookie", "")).get(self.cookie)):
            return _error(self.texts(errors.TOKEN_REQUIRED), 401, api)
        return None


def _error(message: str, status: int, api: bool) -> Response:
    if api:
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message + "\n", status_code=status)
