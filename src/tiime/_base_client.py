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
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast
from urllib.parse import urlencode

import anyio
import httpx

from . import _constants as C
from ._auth import Authenticator
from ._config import StoredLogin, resolve_config, save_login
from ._exceptions import (
    AmbiguousWriteError,
    ClientClosedError,
    ConfigurationError,
    TiimeError,
    ValidationError,
)
from ._json import encode_body
from ._options import NOT_GIVEN, NotGiven, check_retries, check_url, make_timeout
from ._outcome import (
    connection_error,
    deadline_error,
    gateway_error,
    is_gone_by_earlier_attempt,
    is_replayable,
    may_have_arrived,
)
from ._pagination import RangePager
from ._request import APIRequest, Chain, Mapped, Operation
from ._response import (
    AsyncStreamedResponse,
    RawResponse,
    StreamedResponse,
    body_error,
    error_from_response,
)
from ._retry import RetryPolicy
from ._secrets import Token
from ._validation import check_id
from ._version import __version__

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["NOT_GIVEN", "AsyncAPIClient", "BaseClient", "NotGiven", "SyncAPIClient"]

# Marks a DELETE's 404 that means "already deleted by an earlier attempt": a success.
GONE = "tiime.gone_by_earlier_attempt"

log = logging.getLogger("tiime")

T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

USER_AGENT = f"tiime-python/{__version__} httpx/{httpx.__version__}"
# One pool per client, connections kept alive between calls.
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class _NoCookies(httpx.Cookies):
    """A cookie jar that keeps nothing. The API authenticates by bearer token, and the SDK
    builds its requests itself (``httpx.Request``, not the client's ``build_request``), so
    a cookie was never sent back; yet httpx's client read every answer's ``Set-Cookie``
    into its jar through :mod:`http.cookiejar`: about a tenth of a request's CPU."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class _WithoutCookies:
    """httpx's client without cookies (see :class:`_NoCookies`)."""

    @property
    def cookies(self) -> httpx.Cookies:
        return _NoCookies()

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        return None


class _Client(_WithoutCookies, httpx.Client):
    """The SDK's own pool: httpx's client, without cookies."""


class _AsyncClient(_WithoutCookies, httpx.AsyncClient):
    """The async client's own pool: httpx's, without cookies."""


# Bodies are compact JSON with amounts as numbers (Decimal written exactly) and ISO dates.


@dataclass(frozen=True, slots=True)
class _Send:
    request: httpx.Request
    stream: bool = False  # leave a successful answer's body unread


@dataclass(frozen=True, slots=True)
class _Sleep:
    seconds: float


@dataclass(frozen=True, slots=True)
class _NeedToken:
    rejected: str | None  # the token the API just refused, if any


_Action = _Send | _Sleep | _NeedToken
Flow = Generator[_Action, Any, T]


class _Deadline(Exception):
    """An attempt ran past the client's timeout."""


class BaseClient(Generic[HttpT]):
    """Settings, request building and the decision flows shared by both clients."""

    _http: HttpT
    _own_http: bool

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
        http_client: HttpT | None = None,
    ) -> None:
        if company_id is not None:
            check_id(company_id, "company_id")
        check_retries(max_retries)
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
        self._base_url = check_url(config.base_url, "base_url")
        self._set_timeout(timeout)
        self._retry = RetryPolicy(max_retries=max_retries)
        self._auth = Authenticator(
            auth_url=check_url(config.auth_url, "auth_url"),
            email=config.email,
            password=config.password,
            token=config.token,
            user_agent=USER_AGENT,
            on_new_token=self._store_token if config.stored_login else None,
        )
        self._headers = {
            "User-Agent": USER_AGENT,
            "Accept-Encoding": C.ACCEPT_ENCODING,
            **C.APP_HEADERS,
        }
        self._own_http = http_client is None
        self._http = http_client if http_client is not None else self._make_http()
        self._setup()

    def _make_http(self) -> HttpT:
        raise NotImplementedError

    def _setup(self) -> None:
        """What the sync or async client adds: its token lock and its sleep."""

    def _set_timeout(self, timeout: float | httpx.Timeout | None) -> None:
        self._timeout, self._deadline = make_timeout(timeout)
        self._timeout_extension = self._timeout.as_dict()

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
    def timeout(self) -> httpx.Timeout:
        """The per-operation timeouts; the largest also bounds each attempt as a whole."""
        return self._timeout

    @property
    def max_retries(self) -> int:
        return self._retry.max_retries

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

    def with_options(
        self,
        *,
        company_id: int | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A client acting with other options, sharing this one's connection pool and login.

        ``client.with_options(company_id=42).clients.list()`` lists company 42's clients
        with the same token: an accounting firm acting on forty companies needs one client.
        Nothing is sent; closing the copy leaves the pool open (close the original).
        """
        clone = object.__new__(type(self))
        # Private state only: resources and bound methods are made anew for the copy.
        clone.__dict__.update((k, v) for k, v in self.__dict__.items() if k.startswith("_"))
        clone._own_http = False
        if not isinstance(company_id, NotGiven):
            clone._company_id = check_id(company_id, "company_id")
        if not isinstance(timeout, NotGiven):
            clone._set_timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            clone._retry = RetryPolicy(max_retries=check_retries(max_retries))
        return clone

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
        headers = {**self._headers, "Accept": call.reader.accept}
        if call.headers:
            headers.update(call.headers)
        headers["Authorization"] = f"Bearer {token}"
        content = None
        if call.json is not None:
            try:
                content = encode_body(call.json)
            except (TypeError, ValueError) as exc:
                raise ValidationError(f"the request body cannot be sent as JSON: {exc}") from None
            headers["Content-Type"] = C.JSON
        url = f"{self._base_url}/{call.path}"
        try:
            if call.params:
                # Form encoding, the same whatever the httpx version (space as +, ':' as %3A).
                url = f"{url}?{urlencode(call.params)}"
            return httpx.Request(
                call.method,
                url,
                headers=headers,
                content=content,
                files=call.files,
                extensions={"timeout": self._timeout_extension},
            )
        except (httpx.InvalidURL, UnicodeEncodeError) as exc:
            raise ValidationError(
                f"the request cannot be sent as given ({exc})",
                method=call.method,
                endpoint=f"{self._base_url}/{call.path}",
            ) from None

    # -- flows ------------------------------------------------------------------------------

    def _send_flow(
        self, request: httpx.Request, *, replay_safe: bool | None = None, stream: bool = False
    ) -> Flow[httpx.Response]:
        """Send ``request`` until it gets an answer worth keeping, by the retry rules.

        A request with no answer raises (an :class:`AmbiguousWriteError` for a write that
        may have been made); a DELETE's 404 after an attempt that may have gone through
        is marked done (see :mod:`tiime._outcome`)."""
        request.extensions.setdefault("timeout", self._timeout_extension)
        retries = 0
        arrived = False  # whether an earlier attempt may have been acted on
        while True:
            started = time.perf_counter()
            outcome: httpx.Response | Exception = yield _Send(request, stream)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if log.isEnabledFor(logging.DEBUG):
                result = (
                    outcome.status_code
                    if isinstance(outcome, httpx.Response)
                    else type(outcome).__name__
                )
                log.debug("%s %s -> %s (%.1f ms)", request.method, request.url, result, elapsed_ms)
            delay = self._retry.delay(request.method, outcome, retries, replay_safe=replay_safe)
            if delay is None:
                if isinstance(outcome, Exception):
                    replayable = is_replayable(request.method, replay_safe)
                    raise connection_error(request, outcome, replayable=replayable) from outcome
                if is_gone_by_earlier_attempt(request, outcome, arrived):
                    log.info(
                        "%s %s -> 404 on a retry: already deleted", request.method, request.url
                    )
                    outcome.extensions[GONE] = True
                return outcome
            arrived = arrived or may_have_arrived(outcome)
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

    def _call_flow(self, call: APIRequest[Any], *, stream: bool = False) -> Flow[httpx.Response]:
        """One API call: token, send with retries, one re-login on 401, errors raised."""
        token: str = yield _NeedToken(None)
        request = self._build(call, token)
        response: httpx.Response = yield from self._send_flow(
            request, replay_safe=call.replay_safe, stream=stream
        )
        if response.status_code == 401:
            log.info("%s %s -> 401: renewing the token and retrying once", call.method, call.path)
            token = yield _NeedToken(token)
            response = yield from self._send_flow(
                self._build(call, token), replay_safe=call.replay_safe, stream=stream
            )
        if response.is_error and not response.extensions.get(GONE):
            replayable = is_replayable(call.method, call.replay_safe)
            raise gateway_error(error_from_response(response), replayable)
        return response

    def _with_lookup(self, exc: AmbiguousWriteError, call: APIRequest[Any]) -> None:
        """Give an ambiguous write's exception what it needs to look for its record."""
        lookup = call.created
        exc.sent = lookup.sent if lookup else call.json if isinstance(call.json, dict) else None
        if lookup is not None:
            exc.record_type, exc.since = lookup.record_type, lookup.since
            exc._lookup = lambda: self._execute(lookup.find())

    def _execute(self, operation: Operation[Any]) -> Any:
        raise NotImplementedError

    def _page_flow(self, pager: RangePager[T], call: APIRequest[Any]) -> Flow[list[T]]:
        """One page of a listing: its new items (a 416 to a follow-up page is a page that
        does not join: the pager reads further back)."""
        try:
            response = yield from self._call_flow(call)
        except TiimeError as exc:
            if exc.status == 416 and pager.is_follow_up:
                return pager.refused(exc)
            raise
        return pager.accept(RawResponse(response, call.reader))

    def _closed_error(self) -> ClientClosedError:
        return ClientClosedError(
            f"this {type(self).__name__} is closed (or its http_client is): make a new client, "
            "or keep calls inside its `with` block"
        )


def _first_request(operation: Operation[T]) -> APIRequest[T]:
    """The request an operation starts with (a raw response is one request's answer)."""
    if isinstance(operation, RangePager):
        return cast(APIRequest[T], operation.next_request())
    if isinstance(operation, Mapped):
        raise TypeError("a search through a listing has no one raw answer: call it plainly")
    if isinstance(operation, Chain):
        raise TypeError("a chain of calls cannot be streamed")
    return cast(APIRequest[T], operation)


def _is_read(response: httpx.Response) -> bool:
    """Whether the body is already in memory (as in answers made by a mock transport)."""
    try:
        response.content  # noqa: B018 - raises ResponseNotRead when it is not
    except httpx.ResponseNotRead:
        return False
    return True


def _read_within(chunks: Iterator[bytes], deadline: float | None) -> bytes:
    if deadline is None:
        return b"".join(chunks)
    parts = []
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise _Deadline
        parts.append(chunk)
    if time.monotonic() > deadline:
        raise _Deadline
    return b"".join(parts)


class SyncAPIClient(BaseClient[httpx.Client]):
    """Carries the flows out with blocking I/O on an :class:`httpx.Client`."""

    _is_async = False

    def _setup(self) -> None:
        self._token_lock = threading.Lock()
        self._sleep: Callable[[float], None] = time.sleep

    def _make_http(self) -> httpx.Client:
        return _Client(timeout=self._timeout, limits=POOL_LIMITS)

    def _send(self, action: _Send) -> httpx.Response | Exception:
        """One attempt, bounded as a whole by the timeout (connect, send, whole answer)."""
        request = action.request
        if self._http.is_closed:
            raise self._closed_error()
        deadline = None if self._deadline is None else time.monotonic() + self._deadline
        try:
            response = self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            return exc
        except RuntimeError:  # httpx: "the client has been closed"
            raise self._closed_error() from None
        if (action.stream and not response.is_error) or _is_read(response):
            return response
        try:
            raw = _read_within(response.iter_raw(), deadline)
        except httpx.TransportError as exc:
            return exc
        except _Deadline:
            return deadline_error(request, cast(float, self._deadline))
        finally:
            response.close()
        whole = httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            request=request,
            extensions=response.extensions,
        )
        try:
            whole.read()  # decodes: gzip that is not gzip is the server's error, typed
        except httpx.DecodingError as exc:
            raise body_error(whole, exc) from None
        return whole

    def _drive(self, flow: Flow[T]) -> T:
        reply: Any = None
        while True:
            try:
                action = flow.send(reply)
            except StopIteration as stop:
                return cast(T, stop.value)
            if isinstance(action, _Send):
                reply = self._send(action)
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

    def _request_raw(self, call: APIRequest[T]) -> RawResponse[T]:
        try:
            return RawResponse(self._drive(self._call_flow(call)), call.reader)
        except AmbiguousWriteError as exc:
            self._with_lookup(exc, call)
            raise

    def _iterate(self, pager: RangePager[T]) -> Iterator[T]:
        while (call := pager.next_request()) is not None:
            yield from self._drive(self._page_flow(pager, call))

    def _execute(self, operation: Operation[T]) -> T:
        if isinstance(operation, RangePager):
            return cast(T, list(self._iterate(operation)))
        if isinstance(operation, Chain):
            return cast(T, self._execute(operation.then(self._execute(operation.first))))
        if isinstance(operation, Mapped):
            return cast(T, operation.convert(self._execute(operation.inner)))
        return self._request_raw(cast(APIRequest[T], operation)).parse()

    def _execute_raw(self, operation: Operation[T]) -> RawResponse[T]:
        if isinstance(operation, Chain):  # the raw answer of the last call
            return self._execute_raw(operation.then(self._execute(operation.first)))
        return self._request_raw(_first_request(operation))

    @contextmanager
    def _execute_stream(self, operation: Operation[Any]) -> Iterator[StreamedResponse]:
        response = self._drive(self._call_flow(_first_request(operation), stream=True))
        try:
            yield StreamedResponse(response)
        finally:
            response.close()

    _run = _execute  # calls that sit on the client itself run as a resource's do

    def close(self) -> None:
        """Close the connection pool (unless the ``http_client`` was the caller's own)."""
        if self._own_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """Carries the flows out with ``await`` on an :class:`httpx.AsyncClient` (asyncio or trio)."""

    _is_async = True

    def _setup(self) -> None:
        # Made on first use, inside the event loop that will use it; the box is shared with
        # the copies made by with_options(), so that they share one login too.
        self._token_lock_box: list[anyio.Lock] = []
        self._sleep: Callable[[float], Any] = anyio.sleep

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
        http_client: httpx.AsyncClient | None = None,
        transport: Literal["httpx", "aiohttp"] = "httpx",
    ) -> None:
        if transport not in ("httpx", "aiohttp"):
            raise ConfigurationError(f'transport must be "httpx" or "aiohttp", not {transport!r}')
        if transport == "aiohttp" and http_client is not None:
            raise ConfigurationError(
                'transport="aiohttp" makes the client\'s own pool: give it or http_client=, '
                "not both"
            )
        self._transport_name = transport
        self._direct: httpx.AsyncBaseTransport | None = None
        super().__init__(
            company_id=company_id,
            email=email,
            password=password,
            access_token=access_token,
            base_url=base_url,
            auth_url=auth_url,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
        )

    def _make_http(self) -> httpx.AsyncClient:
        if self._transport_name == "aiohttp":
            try:
                from ._aiohttp import AiohttpTransport
            except ImportError:
                raise ConfigurationError(
                    'transport="aiohttp" needs aiohttp: pip install "tiime[aiohttp]"'
                ) from None
            transport = AiohttpTransport(max_connections=POOL_LIMITS.max_connections or 100)
            # The SDK's own requests to its own transport: straight to it, past httpx's
            # client (auth, redirects, cookies, hooks: none of them used here; a third of a
            # request's CPU). httpx's client routes no proxy to a transport given to it: the
            # transport honours the environment's proxies itself.
            self._direct = transport
            return _AsyncClient(timeout=self._timeout, transport=transport)
        return _AsyncClient(timeout=self._timeout, limits=POOL_LIMITS)

    async def _send(self, action: _Send) -> httpx.Response | Exception:
        """One attempt, bounded as a whole by the timeout (connect, send, whole answer)."""
        request = action.request
        if self._http.is_closed:
            raise self._closed_error()
        try:
            with anyio.fail_after(self._deadline):
                try:
                    if self._direct is not None:
                        response = await self._direct.handle_async_request(request)
                    else:
                        response = await self._http.send(request, stream=True)
                except RuntimeError:  # httpx: "the client has been closed"
                    raise self._closed_error() from None
                if action.stream and not response.is_error:
                    return response
                try:
                    await response.aread()
                except httpx.DecodingError as exc:
                    raise body_error(response, exc) from None
                finally:
                    await response.aclose()
                return response
        except httpx.TransportError as exc:
            return exc
        except TimeoutError:
            return deadline_error(request, cast(float, self._deadline))

    async def _drive(self, flow: Flow[T]) -> T:
        reply: Any = None
        while True:
            try:
                action = flow.send(reply)
            except StopIteration as stop:
                return cast(T, stop.value)
            if isinstance(action, _Send):
                reply = await self._send(action)
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
        if not self._token_lock_box:
            self._token_lock_box.append(anyio.Lock())
        return self._token_lock_box[0]

    async def login(self) -> Token:
        """Get a token now instead of on the first call; see :meth:`TiimeClient.login`."""
        async with self._lock():
            await self._drive(self._renew_flow())
        return cast(Token, self._auth.token)

    async def _request_raw(self, call: APIRequest[T]) -> RawResponse[T]:
        try:
            return RawResponse(await self._drive(self._call_flow(call)), call.reader)
        except AmbiguousWriteError as exc:
            self._with_lookup(exc, call)
            raise

    async def _iterate(self, pager: RangePager[T]) -> AsyncIterator[T]:
        while (call := pager.next_request()) is not None:
            for item in await self._drive(self._page_flow(pager, call)):
                yield item

    async def _execute(self, operation: Operation[T]) -> T:
        if isinstance(operation, RangePager):
            return cast(T, [item async for item in self._iterate(operation)])
        if isinstance(operation, Chain):
            return await self._execute(operation.then(await self._execute(operation.first)))
        if isinstance(operation, Mapped):
            return cast(T, operation.convert(await self._execute(operation.inner)))
        return (await self._request_raw(cast(APIRequest[T], operation))).parse()

    async def _execute_raw(self, operation: Operation[T]) -> RawResponse[T]:
        if isinstance(operation, Chain):  # the raw answer of the last call
            return await self._execute_raw(operation.then(await self._execute(operation.first)))
        return await self._request_raw(_first_request(operation))

    @asynccontextmanager
    async def _execute_stream(
        self, operation: Operation[Any]
    ) -> AsyncIterator[AsyncStreamedResponse]:
        call = _first_request(operation)
        response = await self._drive(self._call_flow(call, stream=True))
        try:
            yield AsyncStreamedResponse(response)
        finally:
            await response.aclose()

    _run = _execute

    async def aclose(self) -> None:
        """Close the connection pool (unless the ``http_client`` was the caller's own)."""
        if self._own_http:
            await self._http.aclose()

    async def close(self) -> None:
        """Same as :meth:`aclose`."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
