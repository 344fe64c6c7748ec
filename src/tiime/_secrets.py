"""Secrets and tokens, kept out of every ``repr``, ``str`` and log line."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

from ._constants import TOKEN_REFRESH_MARGIN

__all__ = ["Secret", "Token", "jwt_claims"]


class Secret:
    """A string that never shows itself: ``repr`` and ``str`` give ``'**********'``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, read without verifying it (the server does that), or ``{}``."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(repr=False)
class Token:
    """An access token, when it expires (epoch seconds, if known) and its refresh token."""

    access_token: Secret
    expires_at: float | None = None
    refresh_token: Secret | None = None
    email: str | None = field(default=None)

    @classmethod
    def from_access_token(cls, access_token: str) -> Token:
        """A token given by the caller: its expiry and e-mail are read from the JWT if present."""
        claims = jwt_claims(access_token)
        exp = claims.get("exp")
        email = claims.get("tiime/userEmail")
        return cls(
            Secret(access_token),
            expires_at=float(exp) if isinstance(exp, (int, float)) else None,
            email=email if isinstance(email, str) else None,
        )

    def is_fresh(self, now: float | None = None) -> bool:
        """True while the token has more than a minute left (or no known expiry)."""
        if self.expires_at is None:
            return True
        return (time.time() if now is None else now) < self.expires_at - TOKEN_REFRESH_MARGIN

    def __repr__(self) -> str:
        return f"Token(access_token=Secret('**********'), expires_at={self.expires_at!r})"
