"""The OpenAPI 3.1 document, built by walking the sandbox's route table.

Each route's :class:`~tiime.sandbox.kernel.Doc` gives its answer and body types, its query
parameters and media types; the path parameters come from Starlette's route itself (a
``{name:int}`` is a non-negative integer); the error answers are derived from what the
route is (see :func:`_errors`). A route without a ``Doc`` is refused, so that no route the
sandbox serves goes undescribed.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from typing import Any

from starlette.convertors import IntegerConvertor
from starlette.routing import BaseRoute, Route

from ..._version import __version__
from ..kernel.errors import ERROR_CODES
from ..kernel.http import JSON_TYPE, WRITE_METHODS
from ..kernel.spec import ApiRoute, Doc
from ..shapes import ErrorBody, OAuthErrorBody
from .schemas import REF, components, wire_type

__all__ = ["DESCRIPTION", "build_document"]

DESCRIPTION = """\
The first public description of the Tiime accounting API (the `/v1` API of \
`https://chronos-api.tiime-apps.com` and the Auth0 token route of `https://auth0.tiime.fr`).

It is built from public clients of the API and from this project's sandbox, **not from \
Tiime**: Tiime publishes no description of its API. It is generated from the sandbox's own \
route table and from the `tiime` SDK's models, so it describes what the sandbox implements.

Limits: it covers only the calls the sandbox implements (the real service has many more); \
the shapes are those the public clients read and the sandbox answers (the real answers \
carry more fields, and may differ where the clients say nothing); the error descriptions, \
the `Range` rules (`items=START-END`, END inclusive, 206 when items remain) and the \
validation (422) are the sandbox's decisions where the real service's are unknown; \
`/sandbox/outbox`, `/openapi.json` and `/` exist only in the sandbox.
"""

_RANGE_PARAM = {
    "name": "Range",
    "in": "header",
    "required": False,
    "description": "The window of the list: items=START-END (END inclusive, or *). "
    "Without it, the whole list.",
    "schema": {"type": "string", "pattern": r"^items=[0-9]{1,18}-([0-9]{1,18}|\*)$"},
}
_CONTENT_RANGE = {
    "description": "items FIRST-LAST/TOTAL, or items */TOTAL when nothing is returned.",
    "schema": {"type": "string", "pattern": r"^items ([0-9]+-[0-9]+|\*)/[0-9]+$"},
}
_LOCATION = {"description": "The path of the created item.", "schema": {"type": "string"}}
_MESSAGES = {
    200: "OK",
    201: "Created",
    204: "No content",
    206: "Partial content: items remain after the returned ones",
    400: "Bad request (a malformed body or parameter)",
    401: "No valid bearer token",
    403: "Not a member of the company",
    404: "Unknown company, item or path",
    409: "The item's status forbids it",
    413: "Body too large",
    416: "Range header that does not parse",
    422: "Invalid fields, each named in errors",
    429: "Too many failed logins",
}


def _errors(route: Route, doc: Doc, method: str) -> list[int]:
    """The error statuses of a route: 401 when it needs a token, 403 and 404 for a
    company's route, 404 for an item's, 400 for parameters or a body, 413 and 422 for a
    body, 416 for a paged list, and the ones its ``Doc`` adds."""
    statuses = set(doc.errors)
    if doc.auth:
        statuses.add(401)
    if route.param_convertors:
        statuses.add(404)
    if "company_id" in route.param_convertors:
        statuses.add(403)
    if doc.query or doc.body is not None or doc.form or doc.oauth:
        statuses.add(400)
    if method in WRITE_METHODS:
        statuses.update((400, 413))
    if doc.body is not None or doc.form:
        statuses.add(422)
    if doc.paged:
        statuses.add(416)
    if doc.oauth:
        statuses.update((401, 403, 429))
    return sorted(statuses)


def _summary(handler: Any) -> tuple[str, str]:
    """A title from the handler's name (``list_clients``: "List clients"), and its
    documentation."""
    name = handler.__name__.strip("_").replace("_", " ")
    return name[:1].upper() + name[1:], inspect.cleandoc(handler.__doc__ or "")


def _tag(path: str, doc: Doc) -> str:
    if doc.tag is not None:
        return doc.tag
    parts = [part for part in path.split("/") if part and not part.startswith("{")]
    if parts[:2] == ["v1", "companies"] and len(parts) > 2:
        return parts[2]
    return parts[1] if parts[:1] == ["v1"] and len(parts) > 1 else parts[0]


def _path_params(route: Route) -> list[dict[str, Any]]:
    params = []
    for name, convertor in route.param_convertors.items():
        schema: dict[str, Any] = (
            {"type": "integer", "minimum": 0}
            if isinstance(convertor, IntegerConvertor)
            else {"type": "string"}
        )
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params


class _Builder:
    """Collects the types to describe, then fills their ``$ref`` s in."""

    def __init__(self) -> None:
        self.types: list[Any] = [ErrorBody, OAuthErrorBody]
        self.slots: list[tuple[dict[str, Any], int]] = []
        self.errors: dict[str, dict[str, Any]] = {}

    def schema_of(self, tp: Any) -> dict[str, Any]:
        """A placeholder for the schema of ``tp`` (alternatives for a tuple of types)."""
        if isinstance(tp, tuple):
            return {"anyOf": [self.schema_of(member) for member in tp]}
        slot: dict[str, Any] = {}
        self.types.append(tp)
        self.slots.append((slot, len(self.types) - 1))
        return slot

    def finish(self) -> dict[str, Any]:
        schemas, comps = components(self.types)
        for slot, index in self.slots:
            slot.update(schemas[index])
        return comps

    def error(self, status: int, oauth: bool) -> dict[str, Any]:
        """A ``$ref`` to the shared answer of that error status (made at first use)."""
        key = f"{'OAuth' if oauth else ''}Error{status}"
        if key not in self.errors:
            self.errors[key] = self._error(status, oauth)
        return {"$ref": f"#/components/responses/{key}"}

    def _error(self, status: int, oauth: bool) -> dict[str, Any]:
        name = "OAuthErrorBody" if oauth else "ErrorBody"
        answer: dict[str, Any] = {
            "description": _MESSAGES.get(status, ERROR_CODES.get(status, "Error")),
            "content": {JSON_TYPE: {"schema": {"$ref": REF.format(name=name)}}},
        }
        if status == 416:
            answer["headers"] = {"Content-Range": _CONTENT_RANGE}
        return answer

    def operation(self, route: Route, doc: Doc, method: str) -> dict[str, Any]:
        summary, description = _summary(route.endpoint)
        operation: dict[str, Any] = {
            "operationId": route.endpoint.__name__,
            "summary": summary,
            "description": description,
            "tags": [_tag(route.path, doc)],
        }
        params = _path_params(route)
        params += [
            {"name": q.name, "in": "query", "required": False, "description": q.description}
            | {"schema": dict(q.schema)}
            for q in doc.query
        ]
        if doc.paged:
            params.append(dict(_RANGE_PARAM))
        if params:
            operation["parameters"] = params
        body = self.request_body(doc)
        if body is not None:
            operation["requestBody"] = body
        operation["responses"] = self.responses(route, doc, method)
        operation["security"] = [{"bearer": []}, {"oauth2": []}] if doc.auth else []
        return operation

    def request_body(self, doc: Doc) -> dict[str, Any] | None:
        if doc.form:
            upload = {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "type": {"type": "string", "description": "A document category identifier."},
                },
                "required": ["file"],
            }
            return {"required": True, "content": {"multipart/form-data": {"schema": upload}}}
        if doc.body is None:
            return None
        schema = self.schema_of(wire_type(doc.body))
        content = {JSON_TYPE: {"schema": schema}}
        if doc.oauth:
            content["application/x-www-form-urlencoded"] = {"schema": schema}
        return {"required": True, "content": content}

    def responses(self, route: Route, doc: Doc, method: str) -> dict[str, Any]:
        answer: dict[str, Any] = {"description": _MESSAGES.get(doc.status, "OK")}
        if doc.raw is not None:
            answer["content"] = {doc.raw: {"schema": {"type": "string", "format": "binary"}}}
        elif doc.answer is not None:
            schema = self.schema_of(doc.answer)
            answer["content"] = {
                media: {"schema": schema} for media in (JSON_TYPE, *doc.media_types)
            }
        headers: dict[str, Any] = {}
        if doc.paged:
            headers["Content-Range"] = _CONTENT_RANGE
        if doc.location:
            headers["Location"] = _LOCATION
        if headers:
            answer["headers"] = headers
        responses = {str(doc.status): answer}
        if doc.paged:
            responses["206"] = {**answer, "description": _MESSAGES[206]}
        for status in _errors(route, doc, method):
            responses[str(status)] = self.error(status, doc.oauth)
        return responses


def _documented(routes: Iterable[BaseRoute]) -> Iterable[tuple[Route, Doc]]:
    for route in routes:
        if not isinstance(route, ApiRoute) or route.doc is None:
            raise ValueError(f"route {getattr(route, 'path', route)!r} has no description (Doc)")
        yield route, route.doc


def build_document(routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI 3.1 description of ``routes`` (each an :class:`ApiRoute` with its
    :class:`Doc`); raises ValueError for a route without one or two operations of one id."""
    builder = _Builder()
    paths: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for route, doc in _documented(routes):
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            operation = builder.operation(route, doc, method)
            if operation["operationId"] in seen:
                raise ValueError(f"two operations are named {operation['operationId']!r}")
            seen.add(operation["operationId"])
            paths.setdefault(route.path_format, {})[method.lower()] = operation
    comps = builder.finish()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tiime API (as the tiime sandbox implements it)",
            "version": __version__,
            "description": DESCRIPTION,
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [
            {"url": "http://127.0.0.1:8765", "description": "The local sandbox (tiime sandbox)"},
            {"url": "https://chronos-api.tiime-apps.com", "description": "Tiime (the /v1 API)"},
        ],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": comps,
            "responses": dict(sorted(builder.errors.items())),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "The access_token of POST /oauth/token.",
                },
                "oauth2": {
                    "type": "oauth2",
                    "description": "Auth0's password grant; on Tiime, the token route is "
                    "https://auth0.tiime.fr/oauth/token.",
                    "flows": {"password": {"tokenUrl": "/oauth/token", "scopes": {}}},
                },
            },
        },
        "security": [{"bearer": []}, {"oauth2": []}],
    }
