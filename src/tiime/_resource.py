"""How a resource's calls are written once and served by both clients.

A resource method is a *builder*: it checks its arguments and returns the
:class:`~tiime._request.APIRequest` (or pager) that the call is. Decorated with
:class:`endpoint` (or :class:`paginated`), the same builder becomes a blocking method on a
sync resource, a coroutine method on an async one, and a method returning a
:class:`~tiime._response.RawResponse` on their ``with_raw_response`` views. Signatures
and return types are kept for type checkers and editors (``ParamSpec``).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ._pagination import RangePager
from ._request import Operation
from ._response import RawResponse
from ._validation import check_id

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; only the type checker needs it

    from ._base_client import AsyncAPIClient, BaseClient, SyncAPIClient

__all__ = [
    "APIResource",
    "AsyncAPIResource",
    "AsyncRawAPIResource",
    "SyncAPIResource",
    "SyncRawAPIResource",
    "endpoint",
    "paginated",
    "raw_view",
]

T = TypeVar("T")
P = ParamSpec("P")


class APIResource:
    """What every resource knows: its client, and how to reach the configured company."""

    _client: BaseClient

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def _company_path(self, *parts: str | int) -> str:
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

    def __init__(self, build: Callable[..., Any]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner_type: type[Any], name: str) -> None:
        self._name = name

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
    def __get__(self, owner: Any, owner_type: type[Any] | None = None) -> Any:
        return self if owner is None else self._bind(owner)

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
        return self if owner is None else self._bind(owner)

    def _make(self, owner: Any) -> Callable[..., Any]:
        build, client = self._build, owner._client

        def iterate(*args: Any, **kwargs: Any) -> Any:
            return client._iterate(build(owner, *args, **kwargs))

        return functools.update_wrapper(iterate, build)


R = TypeVar("R", bound=APIResource)


class raw_view(Generic[R]):
    """``resource.with_raw_response``: the same calls on a view that returns raw responses."""

    def __init__(self, view_type: type[R]) -> None:
        self._view_type = view_type
        self.__doc__ = (
            "The same calls, returning a :class:`~tiime.RawResponse` (status, headers, JSON)."
        )

    @overload
    def __get__(self, owner: None, owner_type: type[Any] | None = None) -> Self: ...
    @overload
    def __get__(self, owner: APIResource, owner_type: type[Any] | None = None) -> R: ...
    def __get__(self, owner: APIResource | None, owner_type: type[Any] | None = None) -> Any:
        if owner is None:
            return self
        view = self._view_type(owner._client)
        owner.__dict__["with_raw_response"] = view
        return view
