"""Access tokens: HS256 JWTs signed with the database's own secret.

The real Auth0 signs RS256 tokens; the SDK never checks the signature, it only reads the
claims, so a symmetric key kept in the database is enough, and tokens survive a restart.

A token's signature and claims are checked whole once (PyJWT); the claims of the last
tokens that passed are kept, by secret and token, so that the next requests with the same
token only check its expiry again (verifying cost PyJWT ~0.4 ms a request, a quarter of an
authenticated GET). A token that fails is checked whole every time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import jwt

__all__ = ["AUDIENCE", "ISSUER", "AccessClaims", "TokenError", "decode_token", "issue_token"]

AUDIENCE = "https://chronos/"
ISSUER = "https://tiime-sandbox.local/"
EMAIL_CLAIM = "tiime/userEmail"
_ALGORITHM = "HS256"


class TokenError(Exception):
    """A token that cannot be used; ``reason`` is ``"invalid"`` or ``"expired"``."""

    def __init__(self, reason: Literal["invalid", "expired"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AccessClaims:
    """What the API needs from a valid token."""

    user_id: int
    email: str
    expires_at: int


def issue_token(
    secret: str, *, user_id: int, email: str, expires_in: int, now: float | None = None
) -> str:
    """A signed access token for the user, valid ``expires_in`` seconds (may be negative)."""
    issued_at = int(time.time() if now is None else now)
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "sub": f"auth0|{user_id}",
        "aud": AUDIENCE,
        "iat": issued_at,
        "exp": issued_at + expires_in,
        EMAIL_CLAIM: email,
    }
    return jwt.encode(payload, secret, algorithm=_ALGORITHM)


def decode_token(secret: str, token: str, now: float | None = None) -> AccessClaims:
    """The claims of a token signed with ``secret``; raises :class:`TokenError` otherwise
    (``"expired"`` once ``now`` reaches its ``exp``, as PyJWT says)."""
    claims = _verified(secret, token)
    if claims.expires_at <= (time.time() if now is None else now):
        raise TokenError("expired")
    return claims


@lru_cache(maxsize=4096)
def _verified(secret: str, token: str) -> AccessClaims:
    """The claims of a token whose signature, audience and claims are right, expiry left
    aside (checked on every use by :func:`decode_token`); raises :class:`TokenError`."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[_ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "iat"], "verify_exp": False},
        )
    except jwt.InvalidTokenError as exc:
        raise TokenError("invalid") from exc
    subject = payload.get("sub")
    email = payload.get(EMAIL_CLAIM)
    if not isinstance(subject, str) or not subject.startswith("auth0|"):
        raise TokenError("invalid")
    user_id = subject.removeprefix("auth0|")
    expires_at = payload["exp"]
    if (
        not (user_id.isascii() and user_id.isdigit())
        or not isinstance(email, str)
        or not isinstance(expires_at, int)
    ):
        raise TokenError("invalid")
    return AccessClaims(user_id=int(user_id), email=email, expires_at=expires_at)
