"""The client a command runs with: the real service (stored login, environment) or the sandbox."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._errors import CommandError, missing_extra

if TYPE_CHECKING:  # imported when a command first needs them: start-up speed
    import httpx

    from .._client import AsyncTiimeClient, TiimeClient
    from ..sandbox import Sandbox
    from ._output import Output

_REDACTED = {"authorization", "cookie", "set-cookie"}


def skip_httpx_command_line() -> None:
    """Keep ``import httpx`` from loading httpx's own command line (``httpx._main``).

    httpx imports it at start-up, and with it click, rich and pygments when they are
    installed (40 ms, a fifth of ``tiime clients get``); httpx's ``__init__`` falls back to
    a stub when that import fails, which is what a ``None`` in ``sys.modules`` makes it do.
    Called before the SDK is first imported; nothing of the SDK uses ``httpx.main``.
    """
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def aiohttp_installed() -> bool:
    """Whether the SDK's aiohttp transport can be used (aiohttp comes with the ``cli`` and
    ``aiohttp`` extras); imports it, as the client about to be made would."""
    try:
        from .. import _aiohttp  # noqa: F401
    except ImportError:
        return False
    return True


def sandbox_requested(flag: bool) -> bool:
    """``--sandbox``, or ``TIIME_SANDBOX=1`` in the environment."""
    return flag or os.environ.get("TIIME_SANDBOX", "").lower() in {"1", "true", "yes", "on"}


def sandbox_db_path() -> Path:
    """The embedded sandbox's database: ``$TIIME_SANDBOX_DB`` or the persistent default."""
    given = os.environ.get("TIIME_SANDBOX_DB")
    return Path(given) if given else Path(import_sandbox().default_db_path())


def import_sandbox() -> Any:
    """The :mod:`tiime.sandbox` package, or one line naming the extra when it is missing."""
    try:
        from .. import sandbox
    except ImportError as exc:
        raise missing_extra("sandbox", exc.name or "starlette/uvicorn") from None
    return sandbox


def _show_headers(headers: httpx.Headers) -> str:
    return "".join(
        f"\n    {name}: {'[redacted]' if name.lower() in _REDACTED else value}"
        for name, value in headers.items()
    )


def _log_request(request: httpx.Request) -> None:
    sys.stderr.write(f"> {request.method} {request.url}{_show_headers(request.headers)}\n")


def _log_response(response: httpx.Response) -> None:
    request = response.request
    sys.stderr.write(
        f"< {response.status_code} {response.reason_phrase} ({request.method} {request.url})"
        f"{_show_headers(response.headers)}\n"
    )


def sandbox_failure() -> tuple[type[BaseException], ...]:
    """What opening or serving the sandbox raises for a bad port, host or database: its
    own one-line ``SandboxError``, and (should one slip through) the OS's and SQLite's."""
    import sqlite3

    from ..sandbox import SandboxError

    return (SandboxError, OSError, sqlite3.Error)


def describe_sandbox_failure(exc: BaseException, db: str | os.PathLike[str]) -> str:
    """One line for a :func:`sandbox_failure`: the sandbox's own words, else the database's."""
    from ..sandbox import SandboxError

    if isinstance(exc, SandboxError):
        localized = getattr(exc, "localized", None)  # in the reader's language
        return str(localized() if callable(localized) else exc)
    from ..i18n import _

    return _("sandbox database {path}: {error}").format(path=os.fspath(db), error=exc)


class Session:
    """A command's surroundings: its output, and its client, made on first use.

    Everything it opened (the client, the embedded sandbox, the verbose log handler) is
    closed at the end of the command.
    """

    def __init__(self, *, sandbox: bool, verbose: bool, output: Output) -> None:
        self.sandbox = sandbox
        self.verbose = verbose
        self.output = output
        self._sandbox: Sandbox | None = None
        self._client: TiimeClient | None = None
        self._http: httpx.Client | None = None
        self._log_handler: logging.Handler | None = None
        self._log_level = logging.NOTSET
        if verbose:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("tiime: %(message)s"))
            logger = logging.getLogger("tiime")
            self._log_handler, self._log_level = handler, logger.level
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG)

    def http_client(self) -> httpx.Client | None:
        """An httpx client that prints the exchanges (headers redacted), in verbose mode."""
        if self.verbose and self._http is None:
            import httpx

            hooks = {"request": [_log_request], "response": [_log_response]}
            self._http = httpx.Client(event_hooks=hooks)  # type: ignore[arg-type]
        return self._http

    def start_sandbox(self) -> Sandbox:
        if self._sandbox is None:
            sandbox = import_sandbox()
            path = sandbox_db_path()
            try:
                self._sandbox = sandbox.Sandbox(db_path=path)
                self._sandbox.start()
            except sandbox_failure() as exc:
                raise CommandError(describe_sandbox_failure(exc, path)) from None
        return self._sandbox

    def base_url(self) -> str:
        """The API base URL commands talk to (the sandbox's in sandbox mode)."""
        if self.sandbox:
            return str(self.start_sandbox().base_url)
        from .._config import base_url_in_effect

        return base_url_in_effect()

    def client(self, **options: Any) -> TiimeClient:
        """The client of this command: the sandbox's demo user, or the configured account."""
        if self._client is None:
            from .._client import TiimeClient

            options = self._options(options)
            http = self.http_client() or self._plain_http_client(options)
            self._client = TiimeClient(http_client=http, **options)
        return self._client

    def _options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The client's options: the sandbox's demo login in sandbox mode, then ``options``."""
        if not self.sandbox:
            return options
        sb = self.start_sandbox()
        return {
            "base_url": sb.base_url,
            "auth_url": sb.auth_url,
            "email": sb.email,
            "password": sb.password,
            "company_id": sb.company_id,
            **options,
        }

    @asynccontextmanager
    async def async_client(self) -> AsyncIterator[AsyncTiimeClient]:
        """The async twin of :meth:`client` (the same account, company and sandbox), for a
        command's requests fanned out in one event loop; closed on leaving.

        Over aiohttp when it is installed (the ``cli`` extra brings it; a fraction of the
        CPU per request of httpx's own async pool), else httpx's. ``--verbose`` shows the
        exchanges as :meth:`client` does (through httpx's client, on the same transport).
        """
        client, close = self.open_async_client()
        try:
            yield client
        finally:
            await close()

    def open_async_client(self) -> tuple[AsyncTiimeClient, Callable[[], Awaitable[None]]]:
        """:meth:`async_client`'s client and the coroutine function that closes it (to await
        in the event loop that used it), for a server that runs the loop itself."""
        from .._client import AsyncTiimeClient

        options = self._options({})
        fast = aiohttp_installed()
        http = self._async_http_client(options, fast=fast)
        if http is not None:
            client = AsyncTiimeClient(http_client=http, **options)
        else:
            client = AsyncTiimeClient(transport="aiohttp" if fast else "httpx", **options)

        async def close() -> None:
            await client.aclose()
            if http is not None:
                await http.aclose()

        return client, close

    def _async_http_client(
        self, options: dict[str, Any], *, fast: bool
    ) -> httpx.AsyncClient | None:
        """The httpx client :meth:`async_client` gives its client: in verbose mode, one that
        prints the exchanges (on aiohttp's transport when ``fast``); else, on httpx's own
        transport, one without TLS set-up for a plain ``http://`` API (as
        :meth:`_plain_http_client`). ``None``: the SDK makes its own."""
        if not self.verbose and (fast or not self._is_plain_http(options)):
            return None
        import httpx

        from .._base_client import POOL_LIMITS

        if not self.verbose:
            # No TLS is used on http:// URLs, and redirects are not followed: nothing to verify.
            return httpx.AsyncClient(verify=False, limits=POOL_LIMITS)  # noqa: S501

        async def on_request(request: httpx.Request) -> None:
            _log_request(request)

        async def on_response(response: httpx.Response) -> None:
            _log_response(response)

        transport: httpx.AsyncBaseTransport | None = None
        if fast:
            from .._aiohttp import AiohttpTransport

            transport = AiohttpTransport(max_connections=POOL_LIMITS.max_connections or 100)
        hooks = {"request": [on_request], "response": [on_response]}
        return httpx.AsyncClient(
            event_hooks=hooks,  # type: ignore[arg-type]
            transport=transport,
            limits=POOL_LIMITS,
        )

    def _is_plain_http(self, options: dict[str, Any]) -> bool:
        """Whether the API and the token endpoint are both plain ``http://`` (the sandbox)."""
        from .._config import resolve_config

        config = resolve_config(
            **{
                name: options.get(name)
                for name in ("company_id", "email", "password", "access_token", "base_url")
            },
            auth_url=options.get("auth_url"),
        )
        return config.base_url.startswith("http://") and config.auth_url.startswith("http://")

    def _plain_http_client(self, options: dict[str, Any]) -> httpx.Client | None:
        """An httpx client without TLS set-up when the API and the token endpoint are both
        plain ``http://`` (the sandbox): loading the CA bundle costs 15 to 30 ms a run.
        ``None`` otherwise, and the SDK makes its own client."""
        if not self._is_plain_http(options):
            return None
        import httpx

        from .._base_client import POOL_LIMITS

        # No TLS is used on http:// URLs, and redirects are not followed: nothing to verify.
        self._http = httpx.Client(verify=False, limits=POOL_LIMITS)  # noqa: S501
        return self._http

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
        if self._http is not None:
            self._http.close()
        if self._sandbox is not None:
            self._sandbox.stop()
        if self._log_handler is not None:  # main() may run again in this process
            logger = logging.getLogger("tiime")
            logger.removeHandler(self._log_handler)
            logger.setLevel(self._log_level)
            self._log_handler = None
