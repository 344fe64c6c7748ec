"""How a resource's calls are written once and served by both clients.

A resource method is a *builder*: it checks its arguments and returns the
:class:`~tiime._request.APIRequest` (or pager) that the call is. Decorated with
:class:`endpoint` (or :class:`paginated`), the same builder becomes a blocking method on a
sync resource, a coroutine method on an async one, a method returning a
:class:`~tiime._response.RawResponse` on their ``with_raw_response`` views, and a context
manager of a :class:`~tiime._response.StreamedResponse` on their ``with_streaming_response``
views. Signatures and return types are kept for type checkers and editors (``ParamSpec``),
and for ``help()`` and :func:`inspect.signature`.

A resource is written as one class of builders (``_InvoicesCalls(APIResource)``) and
the few lines naming its variants::

    class Invoices(_InvoicesCalls, SyncAPIResource):
        with_raw_response = view(InvoicesWithRawResponse)
        with_streaming_response = view(InvoicesWithStreamingResponse)
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ._pagination import RangePager
from ._request import Operation
from ._response import AsyncStreamedResponse, RawResponse, StreamedResponse
from ._validation import check_id

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; only the type checker needs it

    from ._base_client import AsyncAPIClient, BaseClient, SyncAPIClient

__all__ = [
    "APIResource",
    "AsyncAPIResource",
    "AsyncRawAPIResource",
    "AsyncStreamingAPIResource",
    "SyncAPIResource",
    "SyncRawAPIResource",
    "SyncStreamingAPIResource",
    "endpoint",
    "paginated",
    "view",
]

T = TypeVar("T")
P = ParamSpec("P")


class APIResource:
    """What every resource knows: its client, and how to reach the configured company."""

    _client: BaseClient[Any]

    def __init__(self, client: BaseClient[Any]) -> None:
        self._client = client

    def _company_path(self, *parts: str | int) -> str:
        """``companies/{cid}/...`` for the client's company (raises if none is set)."""
        path = f"companies/{self._client.require_company()}"
        return "/".join([path, *(str(p) for p in parts)]) if parts else path

    @staticmethod
    def _id(value: Any, name: str) -> int:
        return check_id(value, name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class SyncAPIResource(APIResource):
    _client: SyncAPIClient
    _is_async = False

    def _run(self, operation: Operation[T]) -> T:
        return self._client._execute(operation)


class AsyncAPIResource(APIResource):
    _client: AsyncAPIClient
    _is_async = True

    async def _run(self, operation: Operation[T]) -> T:
        return await self._client._execute(operation)


class SyncRawAPIResource(APIResource):
    _client: SyncAPIClient
    _is_async = False

    def _run(self, operation: Operation[T]) -> RawResponse[T]:
        return self._client._execute_raw(operation)


class AsyncRawAPIResource(APIResource):
    _client: AsyncAPIClient
    _is_async = True

    async def _run(self, operation: Operation[T]) -> RawResponse[T]:
        return await self._client._execute_raw(operation)


class SyncStreamingAPIResource(APIResource):
    _client: SyncAPIClient
    _is_async = False

    def _run(self, operation: Operation[Any]) -> AbstractContextManager[StreamedResponse]:
        return self._client._execute_stream(operation)


class AsyncStreamingAPIResource(APIResource):
    _client: AsyncAPIClient
    _is_async = False  # the context manager is returned at once, entered with `async with`

    def _run(self, operation: Operation[Any]) -> AbstractAsyncContextManager[AsyncStreamedResponse]:
        return self._client._execute_stream(operation)


_RESULT = re.compile(r"^(?:Operation|APIRequest)\[(.*)\]$")
_PAGES = re.compile(r"^RangePager\[(.*)\]$")


def _public_function(name: str, build: Callable[..., Any], returns: str) -> Callable[..., Any]:
    """What ``help()`` and ``inspect.signature`` show for a call looked up on its class:
    the builder's parameters and doc, returning what the call returns."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(self, name)(*args, **kwargs)

    functools.update_wrapper(method, build)
    del method.__wrapped__  # type: ignore[attr-defined]
    signature = inspect.signature(build)
    annotation = signature.return_annotation
    if isinstance(annotation, str):
        match = _RESULT.match(annotation) or _PAGES.match(annotation)
        if match is not None:
            annotation = returns.format(match.group(1))
    method.__signature__ = signature.replace(return_annotation=annotation)  # type: ignore[attr-defined]
    return method


def _caller(owner: Any, build: Callable[..., Any]) -> Callable[..., Any]:
    """The method that builds the operation and runs it the way ``owner`` runs things.

    ``owner`` is a resource, or a client for the few calls that sit on the client itself.
    An async caller checks its arguments inside the coroutine, as async code expects.
    """
    run = owner._run
    if owner._is_async:

        async def call_async(*args: Any, **kwargs: Any) -> Any:
            return await run(build(owner, *args, **kwargs))

        return functools.update_wrapper(call_async, build)

    def call(*args: Any, **kwargs: Any) -> Any:
        return run(build(owner, *args, **kwargs))

    return functools.update_wrapper(call, build)


class _Bound:
    """Shared by the decorators: keep the builder, and bind once per resource object.

    The method made for an object is stored in the object's ``__dict__`` under the
    attribute's name, so that later look-ups find it there without coming back here.
    """

    _returns = "{}"  # how the call's result reads, from its builder's Operation[...]

    def __init__(self, build: Callable[..., Any]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__
        self.__wrapped__ = build

    def __set_name__(self, owner_type: type[Any], name: str) -> None:
        self._name = name

    def _on_class(self) -> Callable[..., Any]:
        return _public_function(self._name, self._build, self._returns)

    def _bind(self, owner: Any) -> Any:
        method = self._make(owner)
        owner.__dict__[self._name] = method
        return method

    def _make(self, owner: Any) -> Callable[..., Any]:
        raise NotImplementedError


class endpoint(_Bound, Generic[P, T]):
    """Turns a builder returning an ``Operation[T]`` into a method returning ``T``."""

    def __init__(self, build: Callable[Concatenate[Any, P], Operation[T]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, owner: None, owner_type: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(
        self, owner: SyncAPIResource | SyncAPIClient, owner_type: type[Any] | None = None
    ) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, owner: AsyncAPIResource | AsyncAPIClient, owner_type: type[Any] | None = None
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(
        self, owner: SyncRawAPIResource, owner_type: type[Any] | None = None
    ) -> Callable[P, RawResponse[T]]: ...
    @overload
    def __get__(
        self, owner: AsyncRawAPIResource, owner_type: type[Any] | None = None
    ) -> Callable[P, Coroutine[Any, Any, RawResponse[T]]]: ...
    @overload
    def __get__(
        self, owner: SyncStreamingAPIResource, owner_type: type[Any] | None = None
    ) -> Callable[P, AbstractContextManager[StreamedResponse]]: ...
    @overload
    def __get__(
        self, owner: AsyncStreamingAPIResource, owner_type: type[Any] | None = None
    ) -> Callable[P, AbstractAsyncContextManager[AsyncStreamedResponse]]: ...
    def __get__(self, owner: Any, owner_type: type[Any] | None = None) -> Any:
        return self._on_class() if owner is None else self._bind(owner)

    def _make(self, owner: Any) -> Callable[..., Any]:
        return _caller(owner, self._build)


class paginated(_Bound, Generic[P, T]):
    """Turns a builder returning a ``RangePager[T]`` into an iterator of ``T``, page by page."""

    def __init__(self, build: Callable[Concatenate[Any, P], RangePager[T]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, owner: None, owner_type: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(
        self, owner: SyncAPIResource, owner_type: type[Any] | None = None
    ) -> Callable[P, Iterator[T]]: ...
    @overload
    def __get__(
        self, owner: AsyncAPIResource, owner_type: type[Any] | None = None
    ) -> Callable[P, AsyncIterator[T]]: ...
    def __get__(self, owner: Any, owner_type: type[Any] | None = None) -> Any:
        return self._on_class() if owner is None else self._bind(owner)

    _returns = "Iterator[{}]"

    def _make(self, owner: Any) -> Callable[..., Any]:
        build, client = self._build, owner._client

        def iterate(*args: Any, **kwargs: Any) -> Any:
            return client._iterate(build(owner, *args, **kwargs))

        return functools.update_wrapper(iterate, build)


R = TypeVar("R", bound=APIResource)


class view(Generic[R]):
    """``resource.with_raw_response`` / ``with_streaming_response``: the same calls on a view
    that returns raw responses, or streamed ones."""

    def __init__(self, view_type: type[R]) -> None:
        self._view_type = view_type
        self._name = "with_raw_response"
        self.__doc__ = view_type.__doc__

    def __set_name__(self, owner_type: type[Any], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, owner: None, owner_type: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(self, owner: APIResource, owner_type: type[Any] | None = None) -> R: ...
    def __get__(self, owner: APIResource | None, owner_type: type[Any] | None = None) -> Any:
        if owner is None:
            return self
        made = self._view_type(owner._client)
        owner.__dict__[self._name] = made
        return made


S = TypeVar("S", bound=APIResource)
A = TypeVar("A", bound=APIResource)


class resource(Generic[S, A]):
    """A resource attribute of the clients: ``clients = resource(Clients, AsyncClients)``.

    Made once per client on first use; ``TiimeClient`` gets the sync class, and
    ``AsyncTiimeClient`` the async one.
    """

    def __init__(self, sync_type: type[S], async_type: type[A]) -> None:
        self._types = (sync_type, async_type)
        self._name = ""
        self.__doc__ = sync_type.__doc__

    def __set_name__(self, owner_type: type[Any], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, owner: None, owner_type: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(self, owner: SyncAPIClient, owner_type: type[Any] | None = None) -> S: ...
    @overload
    def __get__(self, owner: AsyncAPIClient, owner_type: type[Any] | None = None) -> A: ...
    def __get__(self, owner: Any, owner_type: type[Any] | None = None) -> Any:
        if owner is None:
            return self
        made = self._types[1 if owner._is_async else 0](owner)
        owner.__dict__[self._name] = made
        return made
