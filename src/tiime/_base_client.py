"""The machinery under both clients: request building, retries, auth, errors, parsing.

Everything that decides anything is written once, as generator *flows* that yield
actions (send this request, sleep this long, give me a token) and receive their results.
:class:`SyncAPIClient` and :class:`AsyncAPIClient` only carry the actions out, the first
with blocking calls and the second with ``await``: the same design as httpx's auth flows.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, cast

import anyio
import httpx
import msgspec

from . import _constants as C
from ._auth import Authenticator
from ._config import StoredLogin, resolve_config, save_login
from ._exceptions import APIConnectionError, APITimeoutError, ConfigurationError
from ._pagination import RangePager
from ._request import APIRequest, Operation
from ._response import RawResponse, decode_body, error_from_response
from ._retry import RetryPolicy
from ._secrets import Token
from ._validation import check_id
from ._version import __version__

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["AsyncAPIClient", "BaseClient", "ClientOptions", "SyncAPIClient"]

log = logging.getLogger("tiime")

T = TypeVar("T")
Self_ = TypeVar("Self_", bound="BaseClient")

USER_AGENT = f"tiime-python/{__version__} httpx/{httpx.__version__}"
# One pool per client, connections kept alive between calls.
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


@dataclass(frozen=True, slots=True)
class _Send:
    request: httpx.Request


@dataclass(frozen=True, slots=True)
class _Sleep:
    seconds: float


@dataclass(frozen=True, slots=True)
class _NeedToken:
    rejected: str | None  # the token the API just refused, if any


_Action = _Send | _Sleep | _NeedToken
Flow = Generator[_Action, Any, T]


class ClientOptions(TypedDict, total=False):
    """The keyword options both clients take (see :class:`tiime.TiimeClient`)."""

    company_id: int | None
    email: str | None
    password: str | None
    access_token: str | None
    base_url: str | None
    auth_url: str | None
    timeout: float | httpx.Timeout | None
    max_retries: int


class BaseClient:
    """Settings, request building and the decision flows shared by both clients."""

    def __init__(
        self,
        *,
        company_id: int | None = None,
        email: str | None = None,
        password: str | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        auth_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
    ) -> None:
        if company_id is not None:
            check_id(company_id, "company_id")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ConfigurationError("max_retries must be an integer >= 0")
        config = resolve_config(
            company_id=company_id,
            email=email,
            password=password,
            access_token=access_token,
            base_url=base_url,
            auth_url=auth_url,
        )
        self._config = config
        self._company_id = config.company_id
        self._base_url = config.base_url
        self._timeout = (
            timeout
            if isinstance(timeout, httpx.Timeout)
            else httpx.Timeout(
                C.DEFAULT_TIMEOUT if timeout is None else timeout,
                connect=C.DEFAULT_CONNECT_TIMEOUT if timeout is None else timeout,
            )
        )
        self._timeout_extension = self._timeout.as_dict()
        self._retry = RetryPolicy(max_retries=max_retries)
        self._auth = Authenticator(
            auth_url=config.auth_url,
            email=config.email,
            password=config.password,
            token=config.token,
            user_agent=USER_AGENT,
            on_new_token=self._store_token if config.stored_login else None,
        )
        self._headers = {
            "User-Agent": USER_AGENT,
            "Accept": C.JSON,
            **C.APP_HEADERS,
        }

    # -- settings -------------------------------------------------------------------------

    @property
    def company_id(self) -> int | None:
        """The company calls act on, or ``None`` if none is configured."""
        return self._company_id

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def auth_url(self) -> str:
        return self._auth.auth_url

    @property
    def email(self) -> str | None:
        """The e-mail address of the user, when known."""
        token = self._auth.token
        return self._auth.email or (token.email if token else None)

    @property
    def token(self) -> Token | None:
        """The current token (its ``repr`` hides it), ``None`` before the first login."""
        return self._auth.token

    def require_company(self) -> int:
        """The configured company id, or a :class:`ConfigurationError` saying how to set one."""
        if self._company_id is None:
            raise ConfigurationError(
                "This call needs a company, and none is set. Pass company_id= to the client, "
                f"set {C.ENV_COMPANY_ID}, or choose one with `tiime company use ID`. "
                "list_companies() shows the ids of the companies this user can act on."
            )
        return self._company_id

    def _store_token(self, token: Token) -> None:
        stored = self._config.stored_login
        if stored is None:
            return
        updated = StoredLogin(
            base_url=stored.base_url,
            auth_url=stored.auth_url,
            token=token,
            email=stored.email,
            company_id=stored.company_id,
        )
        try:
            save_login(updated)
        except OSError as exc:  # the token still works for this process
            log.warning("could not update the stored login: %s", exc)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(company_id={self._company_id!r}, email={self.email!r}, "
            f"base_url={self._base_url!r})"
        )

    # -- building ---------------------------------------------------------------------------

    def _build(self, call: APIRequest[Any], token: str) -> httpx.Request:
        headers = dict(self._headers)
        if call.headers:
            headers.update(call.headers)
        headers["Authorization"] = f"Bearer {token}"
        content = None
        if call.json is not None:
            content = msgspec.json.encode(call.json)
            headers["Content-Type"] = C.JSON
        return httpx.Request(
            call.method,
            f"{self._base_url}/{call.path}",
            params=call.params,
            headers=headers,
            content=content,
            extensions={"timeout": self._timeout_extension},
        )

    # -- flows ------------------------------------------------------------------------------

    def _send_flow(
        self, request: httpx.Request, *, always_safe: bool = False
    ) -> Flow[httpx.Response]:
        """Send ``request`` until it gets an answer worth keeping, by the retry rules."""
        request.extensions.setdefault("timeout", self._timeout_extension)
        retries = 0
        while True:
            started = time.perf_counter()
            outcome: httpx.Response | Exception = yield _Send(request)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if log.isEnabledFor(logging.DEBUG):
                result = (
                    outcome.status_code
                    if isinstance(outcome, httpx.Response)
                    else type(outcome).__name__
                )
                log.debug("%s %s -> %s (%.1f ms)", request.method, request.url, result, elapsed_ms)
            delay = self._retry.delay(request.method, outcome, retries, always_safe=always_safe)
            if delay is None:
                if isinstance(outcome, Exception):
                    raise _connection_error(request, outcome) from outcome
                return outcome
            retries += 1
            reason = (
                outcome.status_code
                if isinstance(outcome, httpx.Response)
                else type(outcome).__name__
            )
            log.info(
                "retrying %s %s in %.2f s after %s (retry %d of %d)",
                request.method,
                request.url,
                delay,
                reason,
                retries,
                self._retry.max_retries,
            )
            yield _Sleep(delay)

    def _renew_flow(self) -> Flow[str]:
        return self._auth.renew(self._send_flow)

    def _call_flow(self, call: APIRequest[Any]) -> Flow[httpx.Response]:
        """One API call: token, send with retries, one re-login on 401, errors raised."""
        token: str = yield _NeedToken(None)
        response: httpx.Response = yield from self._send_flow(self._build(call, token))
        if response.status_code == 401:
            log.info("%s %s -> 401: renewing the token and retrying once", call.method, call.path)
            token = yield _NeedToken(token)
            response = yield from self._send_flow(self._build(call, token))
        if response.is_error:
            raise error_from_response(response)
        return response


def _connection_error(request: httpx.Request, exc: Exception) -> APIConnectionError:
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    what = "timed out" if cls is APITimeoutError else "could not reach the server"
    detail = str(exc) or type(exc).__name__
    return cls(
        f"{what} ({detail}); check the network, base_url, or raise timeout=",
        method=request.method,
        endpoint=str(request.url),
    )


def _first_request(operation: Operation[T]) -> APIRequest[T]:
    """The request an operation starts with (a raw response is one request's answer)."""
    if isinstance(operation, RangePager):
        return cast(APIRequest[T], operation.next_request())
    return cast(APIRequest[T], operation)


class SyncAPIClient(BaseClient):
    """Carries the flows out with blocking I/O on an :class:`httpx.Client`."""

    def __init__(
        self, *, http_client: httpx.Client | None = None, **options: Unpack[ClientOptions]
    ) -> None:
        super().__init__(**options)
        self._own_http = http_client is None
        self._http = http_client or httpx.Client(timeout=self._timeout, limits=POOL_LIMITS)
        self._token_lock = threading.Lock()
        self._sleep: Callable[[float], None] = time.sleep

    def _drive(self, flow: Flow[T]) -> T:
        reply: Any = None
        while True:
            try:
                action = flow.send(reply)
            except StopIteration as stop:
                return cast(T, stop.value)
            if isinstance(action, _Send):
                try:
                    reply = self._http.send(action.request)
                except httpx.TransportError as exc:
                    reply = exc
            elif isinstance(action, _Sleep):
                reply = self._sleep(action.seconds)
            else:
                reply = self._token(action.rejected)

    def _token(self, rejected: str | None) -> str:
        token = self._auth.usable(rejected)
        if token is not None:
            return token
        with self._token_lock:  # one login for all the threads that wait here
            token = self._auth.usable(rejected)
            return token if token is not None else self._drive(self._renew_flow())

    def login(self) -> Token:
        """Get a token now instead of on the first call (to check credentials, or store it).

        Sends the Auth0 password grant (or the refresh-token grant when the current token
        has a refresh token) to ``auth_url``. Raises :class:`~tiime.AuthenticationError` if
        the credentials are refused.
        """
        with self._token_lock:
            self._drive(self._renew_flow())
        return cast(Token, self._auth.token)

    def _request(self, call: APIRequest[T]) -> T:
        return decode_body(self._drive(self._call_flow(call)), call.decoder)

    def _request_raw(self, call: APIRequest[T]) -> RawResponse[T]:
        return RawResponse(self._drive(self._call_flow(call)), call.decoder)

    def _iterate(self, pager: RangePager[T]) -> Iterator[T]:
        while (call := pager.next_request()) is not None:
            yield from pager.accept(self._request_raw(call))

    def _execute(self, operation: Operation[T]) -> T:
        if isinstance(operation, RangePager):
            return cast(T, list(self._iterate(operation)))
        return self._request(cast(APIRequest[T], operation))

    def _execute_raw(self, operation: Operation[T]) -> RawResponse[T]:
        return self._request_raw(_first_request(operation))

    _is_async = False
    _run = _execute  # calls that sit on the client itself run as a resource's do

    def close(self) -> None:
        """Close the connection pool (unless the ``http_client`` was the caller's own)."""
        if self._own_http:
            self._http.close()

    def __enter__(self: Self_) -> Self_:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    """Carries the flows out with ``await`` on an :class:`httpx.AsyncClient` (asyncio or trio)."""

    def __init__(
        self, *, http_client: httpx.AsyncClient | None = None, **options: Unpack[ClientOptions]
    ) -> None:
        super().__init__(**options)
        self._own_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._timeout, limits=POOL_LIMITS)
        self._token_lock: anyio.Lock | None = None
        self._sleep: Callable[[float], Any] = anyio.sleep

    async def _drive(self, flow: Flow[T]) -> T:
        reply: Any = None
        while True:
            try:
                action = flow.send(reply)
            except StopIteration as stop:
                return cast(T, stop.value)
            if isinstance(action, _Send):
                try:
                    reply = await self._http.send(action.request)
                except httpx.TransportError as exc:
                    reply = exc
            elif isinstance(action, _Sleep):
                reply = await self._sleep(action.seconds)
            else:
                reply = await self._token(action.rejected)

    async def _token(self, rejected: str | None) -> str:
        token = self._auth.usable(rejected)
        if token is not None:
            return token
        async with self._lock():  # one login for all the tasks that wait here
            token = self._auth.usable(rejected)
            return token if token is not None else await self._drive(self._renew_flow())

    def _lock(self) -> anyio.Lock:
        # Made on first use, inside the event loop that will use it.
        if self._token_lock is None:
            self._token_lock = anyio.Lock()
        return self._token_lock

    async def login(self) -> Token:
        """Get a token now instead of on the first call; see :meth:`TiimeClient.login`."""
        async with self._lock():
            await self._drive(self._renew_flow())
        return cast(Token, self._auth.token)

    async def _request(self, call: APIRequest[T]) -> T:
        return decode_body(await self._drive(self._call_flow(call)), call.decoder)

    async def _request_raw(self, call: APIRequest[T]) -> RawResponse[T]:
        return RawResponse(await self._drive(self._call_flow(call)), call.decoder)

    async def _iterate(self, pager: RangePager[T]) -> AsyncIterator[T]:
        while (call := pager.next_request()) is not None:
            for item in pager.accept(await self._request_raw(call)):
                yield item

    async def _execute(self, operation: Operation[T]) -> T:
        if isinstance(operation, RangePager):
            return cast(T, [item async for item in self._iterate(operation)])
        return await self._request(cast(APIRequest[T], operation))

    async def _execute_raw(self, operation: Operation[T]) -> RawResponse[T]:
        return await self._request_raw(_first_request(operation))

    _is_async = True
    _run = _execute

    async def aclose(self) -> None:
        """Close the connection pool (unless the ``http_client`` was the caller's own)."""
        if self._own_http:
            await self._http.aclose()

    async def close(self) -> None:
        """Same as :meth:`aclose`."""
        await self.aclose()

    async def __aenter__(self: Self_) -> Self_:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
