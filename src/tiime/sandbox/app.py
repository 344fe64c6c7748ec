"""The ASGI application: Auth0's ``POST /oauth/token`` and the ``/v1`` API on one server.

Every ``/v1`` call needs ``Authorization: Bearer <token>`` from ``/oauth/token``, and a
user reaches only the companies they belong to. Errors come back in the API's shape,
``{"error": STATUS, "error_code": "...", "error_description": "..."}``; token errors in
Auth0's, ``{"error": "...", "error_description": "..."}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import tokens
from .derive import acronym, color_for, intracom_vat_number, slugify, split_siren_or_siret
from .ranges import RangeError, page_for, parse_range
from .store import Row, Store
from .validation import FieldErrors, validate_client_create

__all__ = [
    "AUTH0_CLIENT_ID",
    "COMPANIES_V2",
    "DEFAULT_TOKEN_TTL",
    "TIMELINE_V2",
    "ApiError",
    "create_app",
]

AUTH0_CLIENT_ID = "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND"
DEFAULT_TOKEN_TTL = 7200
JSON_TYPE = "application/json"
TIMELINE_V2 = "application/vnd.tiime.timeline.v2+json"
COMPANIES_V2 = "application/vnd.tiime.companies.v2+json"
MAX_BODY_SIZE = 1024 * 1024

_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    416: "range_not_satisfiable",
    422: "validation_error",
    500: "internal_error",
}


class ApiError(Exception):
    """An API error, answered as ``{"error", "error_code", "error_description"}``."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def response(self) -> JSONResponse:
        """The JSON answer of this error."""
        body = {
            "error": self.status,
            "error_code": _ERROR_CODES.get(self.status, "error"),
            "error_description": self.description,
            **self.extra,
        }
        return JSONResponse(body, status_code=self.status, headers=self.headers)


class OAuthError(Exception):
    """An Auth0 error, answered as ``{"error": CODE, "error_description": ...}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def response(self) -> JSONResponse:
        """The JSON answer of this error."""
        return JSONResponse(
            {"error": self.error, "error_description": self.description},
            status_code=self.status,
            headers={"Cache-Control": "no-store"},
        )


@dataclass(frozen=True)
class _User:
    id: int
    email: str


def _accepts(request: Request, media_type: str) -> bool:
    """Whether the request's Accept header names ``media_type``."""
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip().lower() == media_type for part in accept.split(","))


def _country(row: Row) -> dict[str, Any] | None:
    if row.get("country_id") is None or row.get("country_name") is None:
        return None
    return {"id": row["country_id"], "name": row["country_name"], "code": row["country_code"]}


def render_client(row: Row, *, listing: bool = False) -> dict[str, Any]:
    """A client as the API returns it; ``listing`` adds the list answer's payment fields."""
    client: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "address": row["address"],
        "address_complement": row["address_complement"],
        "postal_code": row["postal_code"],
        "city": row["city"],
        "country": _country(row),
        "country_code": row["country_code"],
        "email": row["email"],
        "phone": row["phone"],
        "siren_or_siret": row["siren_or_siret"],
        "siret": row["siret"],
        "siren": row["siren"],
        "intracom_vat_number": intracom_vat_number(row["siren"]),
        "archived": bool(row["archived"]),
        "archived_at": row["archived_at"],
        "professional": bool(row["professional"]),
        "color": row["color"],
        "acronym": row["acronym"],
        "note": row["note"],
        "bic": row["bic"],
        "iban": row["iban"],
        "invoicing_use_email": bool(row["invoicing_use_email"]),
    }
    if listing:
        client["payment_status"] = row["payment_status"]
        client["balance_including_taxes"] = round(row["balance_cents"] / 100, 2)
        client["billed_including_taxes"] = round(row["billed_including_cents"] / 100, 2)
        client["billed_excluding_taxes"] = round(row["billed_excluding_cents"] / 100, 2)
    return client


def render_company(row: Row) -> dict[str, Any]:
    """A company as ``GET companies`` returns it."""
    return {
        "id": row["id"],
        "name": row["name"],
        "siren": row["siren"],
        "siret": row["siret"],
        "legal_form": row["legal_form"],
        "address": row["address"],
        "postal_code": row["postal_code"],
        "city": row["city"],
        "country": _country(row),
        "country_code": row["country_code"],
        "activity": row["activity"],
        "vat_system": row["vat_system"],
    }


def render_contact(row: Row) -> dict[str, Any]:
    """A client's contact as the API returns it."""
    return {
        "id": row["id"],
        "firstname": row["firstname"],
        "lastname": row["lastname"],
        "email": row["email"],
        "phone": row["phone"],
        "job": row["job"],
        "invoicing_use_email": bool(row["invoicing_use_email"]),
    }


async def _read_body(request: Request) -> bytes:
    """The request body, refused with 413 beyond :data:`MAX_BODY_SIZE` bytes."""
    too_large = ApiError(413, f"Corps de requête trop volumineux (au plus {MAX_BODY_SIZE} octets).")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_SIZE:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_SIZE:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


class _Api:
    """The endpoints, bound to one store and one configuration."""

    def __init__(self, store: Store, token_ttl: int, max_page_size: int | None) -> None:
        self.store = store
        self.token_ttl = token_ttl
        self.max_page_size = max_page_size

    # -- helpers ----------------------------------------------------------------------

    def _user(self, request: Request) -> _User:
        """The user of the request's bearer token; 401 when missing, invalid or expired."""
        challenge = {"WWW-Authenticate": 'Bearer realm="tiime"'}
        header = request.headers.get("authorization")
        if not header:
            raise ApiError(
                401, "Jeton d'accès manquant (Authorization: Bearer).", headers=challenge
            )
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401, "En-tête Authorization invalide (attendu : Bearer <jeton>).", headers=challenge
            )
        try:
            claims = tokens.decode_token(self.store.jwt_secret, token.strip())
        except tokens.TokenError as exc:
            if exc.reason == "expired":
                raise ApiError(401, "Jeton d'accès expiré.", headers=challenge) from exc
            raise ApiError(401, "Jeton d'accès invalide.", headers=challenge) from exc
        user = self.store.user(claims.user_id)
        if user is None or user["email"].lower() != claims.email.lower():
            raise ApiError(401, "Jeton d'accès invalide.", headers=challenge)
        return _User(id=user["id"], email=user["email"])

    def _company(self, request: Request) -> tuple[_User, Row]:
        """The user and the company of the path; 404 if it does not exist, 403 if not theirs."""
        user = self._user(request)
        company_id: int = request.path_params["company_id"]
        company = self.store.company(company_id)
        if company is None:
            raise ApiError(404, "Entreprise introuvable")
        if not self.store.is_member(user.id, company_id):
            raise ApiError(403, "Accès refusé à cette entreprise.")
        return user, company

    def _client(self, request: Request) -> Row:
        """The client of the path within the path's company; 404 otherwise."""
        _, company = self._company(request)
        client = self.store.client(company["id"], request.path_params["client_id"])
        if client is None:
            raise ApiError(404, "Client introuvable")
        return client

    def _paged(
        self,
        request: Request,
        count: Callable[[], int],
        fetch: Callable[[int, int | None], list[dict[str, Any]]],
        media_type: str = JSON_TYPE,
    ) -> JSONResponse:
        """A list answer following the Range rules of :mod:`tiime.sandbox.ranges`.

        ``count`` and ``fetch`` run under the store's lock, so that no write comes between
        the total and the items.
        """
        with self.store.lock:
            total = count()
            try:
                requested = parse_range(request.headers.get("range"))
            except RangeError as exc:
                raise ApiError(
                    416, str(exc), headers={"Content-Range": f"items */{total}"}
                ) from exc
            page = page_for(requested, total, self.max_page_size)
            items = fetch(page.offset, page.limit) if page.limit != 0 else []
        return JSONResponse(
            items,
            status_code=page.status(len(items)),
            headers={"Content-Range": page.content_range(len(items)), "Accept-Ranges": "items"},
            media_type=media_type,
        )

    @staticmethod
    async def _json_object(request: Request) -> dict[str, Any]:
        """The request body as a JSON object; 400 otherwise."""
        raw = await _read_body(request)
        try:
            body = json.loads(raw) if raw.strip() else None
        except (ValueError, RecursionError) as exc:
            raise ApiError(400, "Le corps de la requête n'est pas du JSON valide.") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "Le corps de la requête doit être un objet JSON.")
        return body

    # -- auth -------------------------------------------------------------------------

    async def oauth_token(self, request: Request) -> Response:
        """``POST /oauth/token``: Auth0's password and refresh_token grants.

        JSON (or form) body. The answer is ``{access_token, expires_in, token_type}``, with
        a ``refresh_token`` when the password grant's ``scope`` has ``offline_access``.
        """
        params = await self._oauth_params(request)
        grant_type = params.get("grant_type")
        if not grant_type:
            raise OAuthError(400, "invalid_request", "Missing required parameter: grant_type")
        if grant_type not in ("password", "refresh_token"):
            raise OAuthError(400, "unsupported_grant_type", f"Unsupported grant type: {grant_type}")
        client_id = params.get("client_id")
        if not client_id:
            raise OAuthError(400, "invalid_request", "Missing required parameter: client_id")
        if client_id != AUTH0_CLIENT_ID:
            raise OAuthError(401, "access_denied", "Unauthorized")
        if grant_type == "password":
            return self._password_grant(params, client_id)
        return self._refresh_grant(params, client_id)

    @staticmethod
    async def _oauth_params(request: Request) -> dict[str, str]:
        raw = await _read_body(request)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            return dict(parse_qsl(raw.decode("utf-8", "replace")))
        try:
            body = json.loads(raw) if raw.strip() else {}
        except (ValueError, RecursionError) as exc:
            raise OAuthError(400, "invalid_request", "Invalid JSON body.") from exc
        if not isinstance(body, dict):
            raise OAuthError(400, "invalid_request", "The body must be a JSON object.")
        return {key: value for key, value in body.items() if isinstance(value, str)}

    def _token_answer(self, user: Row, refresh_token: str | None) -> JSONResponse:
        access_token = tokens.issue_token(
            self.store.jwt_secret,
            user_id=user["id"],
            email=user["email"],
            expires_in=self.token_ttl,
        )
        body: dict[str, Any] = {
            "access_token": access_token,
            "expires_in": self.token_ttl,
            "token_type": "Bearer",
        }
        if refresh_token is not None:
            body["refresh_token"] = refresh_token
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _password_grant(self, params: Mapping[str, str], client_id: str) -> JSONResponse:
        for name in ("username", "password"):
            if not params.get(name):
                raise OAuthError(400, "invalid_request", f"Missing required parameter: {name}")
        audience = params.get("audience")
        if audience and audience != tokens.AUDIENCE:
            raise OAuthError(403, "access_denied", f"Service not found: {audience}")
        user = self.store.authenticate(params["username"], params["password"])
        if user is None:
            raise OAuthError(403, "invalid_grant", "Wrong email or password.")
        refresh = None
        if "offline_access" in params.get("scope", "").split():
            refresh = self.store.create_refresh_token(user["id"], client_id)
        return self._token_answer(user, refresh)

    def _refresh_grant(self, params: Mapping[str, str], client_id: str) -> JSONResponse:
        refresh_token = params.get("refresh_token")
        if not refresh_token:
            raise OAuthError(400, "invalid_request", "Missing required parameter: refresh_token")
        user = self.store.refresh_token_user(refresh_token, client_id)
        if user is None:
            raise OAuthError(403, "invalid_grant", "Unknown or invalid refresh token.")
        return self._token_answer(user, None)

    # -- API --------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        """``GET /``: what this server is and where its two endpoints are."""
        root = str(request.base_url).rstrip("/")
        return JSONResponse(
            {
                "name": "tiime sandbox",
                "base_url": f"{root}/v1",
                "auth_url": f"{root}/oauth/token",
            }
        )

    async def me(self, request: Request) -> Response:
        """``GET /v1/users/me``: the token's user ``{id, email, firstname, lastname}``."""
        user = self.store.user(self._user(request).id)
        assert user is not None
        return JSONResponse(user)

    async def companies(self, request: Request) -> Response:
        """``GET /v1/companies``: the user's companies, paged by Range.

        Answered as ``application/vnd.tiime.companies.v2+json`` when asked for.
        """
        user = self._user(request)
        media = COMPANIES_V2 if _accepts(request, COMPANIES_V2) else JSON_TYPE
        return self._paged(
            request,
            lambda: self.store.count_companies(user.id),
            lambda offset, limit: [
                render_company(row) for row in self.store.companies(user.id, offset, limit)
            ],
            media,
        )

    async def company(self, request: Request) -> Response:
        """``GET /v1/companies/{cid}``: one of the user's companies (403/404 otherwise)."""
        _, company = self._company(request)
        return JSONResponse(render_company(company))

    async def clients(self, request: Request) -> Response:
        """``GET /v1/companies/{cid}/clients``: list (``archived=true|false``) and search
        (``search=TEXT``, part of the name, ignoring case and accents), by ascending id,
        paged by Range; ``application/vnd.tiime.timeline.v2+json`` when asked for.

        ``POST``: create a client from a JSON object, 201 with it; 400 when the body is
        not a JSON object, 422 naming each invalid field.
        """
        if request.method == "POST":
            return await self._create_client(request)
        _, company = self._company(request)
        archived_param = request.query_params.get("archived")
        archived: bool | None = None
        if archived_param is not None:
            if archived_param not in ("true", "false"):
                raise ApiError(
                    400, f"archived : valeur invalide {archived_param!r} (true ou false)."
                )
            archived = archived_param == "true"
        search = request.query_params.get("search")
        media = TIMELINE_V2 if _accepts(request, TIMELINE_V2) else JSON_TYPE
        return self._paged(
            request,
            lambda: self.store.count_clients(company["id"], archived=archived, search=search),
            lambda offset, limit: [
                render_client(row, listing=True)
                for row in self.store.clients(
                    company["id"], archived=archived, search=search, offset=offset, limit=limit
                )
            ],
            media,
        )

    async def _create_client(self, request: Request) -> Response:
        _, company = self._company(request)
        body = await self._json_object(request)
        try:
            data = validate_client_create(
                body, lambda country_id: self.store.country(country_id) is not None
            )
        except FieldErrors as exc:
            raise ApiError(422, exc.description, extra={"errors": exc.errors}) from exc
        siret, siren = split_siren_or_siret(data.siren_or_siret)
        client_id = self.store.insert_client(
            {
                "company_id": company["id"],
                "name": data.name,
                "slug": slugify(data.name),
                "address": data.address,
                "postal_code": data.postal_code,
                "city": data.city,
                "country_id": data.country_id,
                "email": data.email,
                "phone": data.phone,
                "siren_or_siret": data.siren_or_siret,
                "siret": siret,
                "siren": siren,
                "professional": data.professional,
                "color": color_for(data.name),
                "acronym": acronym(data.name),
            }
        )
        row = self.store.client(company["id"], client_id)
        assert row is not None
        return JSONResponse(
            render_client(row),
            status_code=201,
            headers={"Location": f"/v1/companies/{company['id']}/clients/{client_id}"},
        )

    async def client(self, request: Request) -> Response:
        """``GET /v1/companies/{cid}/clients/{id}``: one client; 404 "Client introuvable"."""
        return JSONResponse(render_client(self._client(request)))

    async def contacts(self, request: Request) -> Response:
        """``GET /v1/companies/{cid}/clients/{id}/contacts``: the client's contacts."""
        client = self._client(request)
        return self._paged(
            request,
            lambda: self.store.count_contacts(client["id"]),
            lambda offset, limit: [
                render_contact(row) for row in self.store.contacts(client["id"], offset, limit)
            ],
        )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _oauth_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OAuthError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown path, wrong method, body too big) in the API's shape."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        description = f'No route found for "{request.method} {request.url.path}"'
    elif exc.status_code == 405:
        description = f'Method "{request.method}" not allowed for "{request.url.path}"'
    else:
        description = exc.detail
    return ApiError(exc.status_code, description, headers=exc.headers).response()


async def _server_error(request: Request, exc: Exception) -> Response:
    return ApiError(500, "Erreur interne du bac à sable.").response()


def create_app(
    store: Store,
    *,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    max_page_size: int | None = None,
) -> Starlette:
    """The sandbox application over ``store``.

    ``token_ttl`` is the access tokens' lifetime in seconds; ``max_page_size``, when set,
    caps how many items one list answer holds (206 then tells there are more).
    """
    if max_page_size is not None and max_page_size < 1:
        raise ValueError("max_page_size must be at least 1")
    api = _Api(store, token_ttl, max_page_size)
    routes = [
        Route("/", api.index, methods=["GET"]),
        Route("/oauth/token", api.oauth_token, methods=["POST"]),
        Route("/v1/users/me", api.me, methods=["GET"]),
        Route("/v1/companies", api.companies, methods=["GET"]),
        Route("/v1/companies/{company_id:int}", api.company, methods=["GET"]),
        Route("/v1/companies/{company_id:int}/clients", api.clients, methods=["GET", "POST"]),
        Route(
            "/v1/companies/{company_id:int}/clients/{client_id:int}", api.client, methods=["GET"]
        ),
        Route(
            "/v1/companies/{company_id:int}/clients/{client_id:int}/contacts",
            api.contacts,
            methods=["GET"],
        ),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            ApiError: _api_error,
            OAuthError: _oauth_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    app.router.redirect_slashes = False
    return app
