"""Who may call a route: the bearer token's user, and the company of the path.

``bearer_user`` answers 401 (with ``WWW-Authenticate``) when the token is missing, invalid
or expired; ``company_guard`` answers 404 for an unknown ``{company_id}`` and 403 for a
company the user is not a member of. They read the ``users``, ``companies`` and
``memberships`` tables (owned by the ``auth`` and ``companies`` resources).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from .. import tokens
from .context import Context
from .db import MAX_ID, Row
from .errors import ApiError

__all__ = ["COMPANY_SELECT", "User", "bearer_user", "company_guard"]

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="tiime"'}
COMPANY_SELECT = (
    "SELECT c.*, co.name AS country_name, co.code AS country_code "
    "FROM companies c LEFT JOIN countries co ON co.id = c.country_id"
)


@dataclass(frozen=True)
class User:
    """The caller: the user of the bearer token."""

    id: int
    email: str


def bearer_user(ctx: Context, request: Request) -> User:
    """The user of the request's bearer token; 401 when missing, invalid or expired."""
    header = request.headers.get("authorization")
    if not header:
        raise ApiError(401, "Jeton d'accès manquant (Authorization: Bearer).", headers=_CHALLENGE)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "En-tête Authorization invalide (attendu : Bearer <jeton>).", headers=_CHALLENGE
        )
    try:
        claims = tokens.decode_token(ctx.db.jwt_secret, token.strip())
    except tokens.TokenError as exc:
        if exc.reason == "expired":
            raise ApiError(401, "Jeton d'accès expiré.", headers=_CHALLENGE) from exc
        raise ApiError(401, "Jeton d'accès invalide.", headers=_CHALLENGE) from exc
    user = ctx.db.one("SELECT id, email FROM users WHERE id = ?", (claims.user_id,))
    if user is None or user["email"].lower() != claims.email.lower():
        raise ApiError(401, "Jeton d'accès invalide.", headers=_CHALLENGE)
    return User(id=user["id"], email=user["email"])


def company_guard(ctx: Context, request: Request) -> tuple[User, Row]:
    """The caller and the path's ``{company_id:int}`` company (with ``country_name`` and
    ``country_code``); 401 as :func:`bearer_user`, 404 if the company does not exist,
    403 if the caller is not a member."""
    user = bearer_user(ctx, request)
    company_id: int = request.path_params["company_id"]
    company = (
        ctx.db.one(COMPANY_SELECT + " WHERE c.id = ?", (company_id,))
        if 0 <= company_id <= MAX_ID
        else None
    )
    if company is None:
        raise ApiError(404, "Entreprise introuvable")
    member = ctx.db.scalar(
        "SELECT 1 FROM memberships WHERE user_id = ? AND company_id = ?", (user.id, company_id)
    )
    if member is None:
        raise ApiError(403, "Accès refusé à cette entreprise.")
    return user, company
