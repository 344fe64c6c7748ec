"""What a route declares about itself for the OpenAPI description (:mod:`tiime.sandbox.openapi`).

A resource gives each :func:`~tiime.sandbox.kernel.route` a :class:`Doc`: the type of its
answer (an SDK model from :mod:`tiime.types`, a list of one, or a struct of the sandbox),
its success status, whether it is a ``Range``-paged list, the vendor media types it answers
when the ``Accept`` header names them, its query parameters and the type of its request
body. The description is built from these declarations by walking the route table, so a
route and its description cannot drift apart: a route without a :class:`Doc` is refused
by the builder.

The error statuses are derived from the route (see :func:`error_statuses`); ``errors``
adds the ones a handler raises besides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import Route

__all__ = ["ApiRoute", "Doc", "Query", "choice", "flag", "integer"]


@dataclass(frozen=True)
class Query:
    """A query parameter: its name, what it does, and its JSON Schema."""

    name: str
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})


def flag(name: str, description: str) -> Query:
    """A ``true``/``false`` query parameter (any other value answers 400)."""
    return Query(name, description, {"type": "string", "enum": ["true", "false"]})


def choice(name: str, description: str, values: tuple[str, ...]) -> Query:
    """A query parameter taking one of ``values`` (any other answers 400)."""
    return Query(name, description, {"type": "string", "enum": list(values)})


def integer(name: str, description: str) -> Query:
    """A query parameter holding a non-negative integer."""
    return Query(name, description, {"type": "string", "pattern": "^[0-9]{1,18}$"})


@dataclass(frozen=True)
class Doc:
    """A route's description.

    * ``answer``: the type of the JSON answer (msgspec-convertible: a model, ``list[...]``,
      ``dict[str, Any]``), or None for an answer without a JSON body;
    * ``status``: the success status (206 is added for a paged list);
    * ``paged``: the list follows ``Range: items=START-END`` (``Content-Range`` answered,
      416 for a header that does not parse);
    * ``media_types``: vendor media types also answered when ``Accept`` names them (the
      same shape as ``application/json``);
    * ``raw``: the media type of a non-JSON answer (``application/pdf``; ``*/*`` for a
      stored file's own type);
    * ``query``: the query parameters read;
    * ``body``: the type of the JSON request body (None: no body), ``form``: a multipart
      upload of one ``file`` part instead, ``oauth``: a JSON or form body (the token route);
    * ``errors``: error statuses the handler raises besides the derived ones;
    * ``auth``: whether a bearer token is needed; ``tag``: the group of the operation
      (by default the path's first segment after the company);
    * ``location``: the success answer carries the created item's ``Location``.
    """

    answer: Any = None
    status: int = 200
    paged: bool = False
    media_types: tuple[str, ...] = ()
    raw: str | None = None
    query: tuple[Query, ...] = ()
    body: Any = None
    form: bool = False
    oauth: bool = False
    errors: tuple[int, ...] = ()
    auth: bool = True
    tag: str | None = None
    location: bool = False


class ApiRoute(Route):
    """A Starlette route carrying its :class:`Doc` (None for an undocumented one)."""

    doc: Doc | None = None
