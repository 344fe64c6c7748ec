"""Logging in: Auth0's ``POST /oauth/token``, the users and their refresh tokens.

Passwords are stored as PBKDF2-SHA256 hashes; refresh tokens as SHA-256 hashes. Errors of
the token endpoint come in Auth0's shape, ``{"error": "...", "error_description": "..."}``.

A password is checked in a worker thread (the event loop serves other requests
meanwhile), at the cost of one hash whether the e-mail exists or not. Failed logins are
limited per e-mail and per client address: after :data:`MAX_FAILURES` failures within
:data:`FAILURE_WINDOW` seconds, attempts answer 429 ``too_many_attempts`` with
``Retry-After`` until the oldest failure is that old, each answered :data:`REFUSAL_DELAY`
late (no work meanwhile: a flood of refused logins then takes little of the server).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import sqlite3
import time
from collections import deque
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import tokens
from ..kernel import (
    Context,
    Database,
    Doc,
    Migration,
    OAuthError,
    Row,
    loads_json,
    now_text,
    read_body,
    route,
)
from ..shapes import Token, TokenRequest

__all__ = [
    "AUTH0_CLIENT_ID",
    "DEFAULT_SIZE",
    "FAILURE_WINDOW",
    "MAX_FAILURES",
    "MIGRATIONS",
    "NAME",
    "FailureLimit",
    "TokenEndpoint",
    "authenticate",
    "create_refresh_token",
    "create_user",
    "hash_password",
    "issue_access_token",
    "refresh_token_user",
    "routes",
    "seed",
    "user",
    "user_by_email",
]

NAME = "auth"
DEFAULT_SIZE = 0
AUTH0_CLIENT_ID = "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND"

MIGRATIONS = [
    Migration(
        2,
        "users and their refresh tokens",
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            firstname TEXT,
            lastname TEXT
        );
        CREATE TABLE refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            client_id TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('users', 4200)
        """,
    )
]

_PBKDF2_ITERATIONS = 60_000
MAX_FAILURES = 10
FAILURE_WINDOW = 60.0
_MAX_TRACKED = 10_000  # keys the failure counter remembers at most
# Passwords checked at once, each in a worker thread: the others wait, and the event loop
# keeps a core to serve everything else.
HASHING_THREADS = 1
# A refused attempt (429) is answered this many seconds late, on a timer and at no cost to
# the server: a flood on keep-alive connections gets one refusal per connection and
# second, instead of as many as the event loop can write, and the other clients keep it.
REFUSAL_DELAY = 1.0


# -- passwords and tokens ---------------------------------------------------------------


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """PBKDF2-SHA256 of a password, as ``pbkdf2_sha256$ITERATIONS$SALT$HASH`` (hex)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _PBKDF2_ITERATIONS)
    return f"pbkdf2_sha256${_PBKDF2_ITERATIONS}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password`."""
    try:
        _, iterations, salt_hex, digest_hex = stored.split("$")
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), bytes.fromhex(salt_hex), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


@cache
def _dummy_hash() -> str:
    """A hash to check unknown e-mails' passwords against, made once."""
    return hash_password("", salt=b"\0" * 16)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_access_token(db: Database, user_row: Row, expires_in: int) -> str:
    """A signed access token for a user, valid ``expires_in`` seconds (negative: expired)."""
    return tokens.issue_token(
        db.jwt_secret, user_id=user_row["id"], email=user_row["email"], expires_in=expires_in
    )


# -- queries ----------------------------------------------------------------------------


def create_user(db: Database, email: str, password: str, firstname: str, lastname: str) -> int:
    """Add a user; raises ValueError when the email is taken."""
    password_hash = hash_password(password)
    try:
        with db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO users (email, password_hash, firstname, lastname) VALUES (?, ?, ?, ?)",
                (email, password_hash, firstname, lastname),
            )
    except sqlite3.IntegrityError as exc:
        raise ValueError(f"a user with the email {email!r} already exists") from exc
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def user(db: Database, user_id: int) -> Row | None:
    """The user ``{id, email, firstname, lastname}`` of that id, or None."""
    return db.one("SELECT id, email, firstname, lastname FROM users WHERE id = ?", (user_id,))


def user_by_email(db: Database, email: str) -> Row | None:
    """The user of that email (case-insensitive), without the password hash, or None."""
    return db.one("SELECT id, email, firstname, lastname FROM users WHERE email = ?", (email,))


def authenticate(db: Database, email: str, password: str) -> Row | None:
    """The user when ``email`` and ``password`` match, else None (one hash either way)."""
    row = db.one("SELECT id, password_hash FROM users WHERE email = ?", (email,))
    if row is None:
        # Spend the same time as a real check, so that timing does not reveal emails.
        check_password(password, _dummy_hash())
        return None
    if not check_password(password, row["password_hash"]):
        return None
    return user(db, row["id"])


def create_refresh_token(db: Database, user_id: int, client_id: str) -> str:
    """A new opaque refresh token for the user (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO refresh_tokens (token_hash, user_id, client_id, created_at) "
            "VALUES (?, ?, ?, ?)",
            (_token_hash(token), user_id, client_id, now_text()),
        )
    return token


def refresh_token_user(db: Database, token: str, client_id: str) -> Row | None:
    """The user a refresh token was issued to (for that client id), or None."""
    row = db.one(
        "SELECT user_id FROM refresh_tokens WHERE token_hash = ? AND client_id = ?",
        (_token_hash(token), client_id),
    )
    return None if row is None else user(db, row["user_id"])


# -- failed logins ----------------------------------------------------------------------


class FailureLimit:
    """Failed logins per key (an e-mail, an address), over a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def check(self, keys: Sequence[str]) -> None:
        """Raise a 429 ``too_many_attempts`` if one of ``keys`` failed too often lately."""
        now = time.monotonic()
        wait = 0.0
        for key in keys:
            failures = self._recent(key, now)
            if len(failures) >= self.max_failures:
                wait = max(wait, failures[-self.max_failures] + self.window - now)
        if wait > 0:
            raise OAuthError(
                429,
                "too_many_attempts",
                "Too many failed login attempts; try again later.",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )

    def record(self, keys: Sequence[str]) -> float:
        """Count a failure for each key now (before knowing: concurrent attempts count);
        returns its time, for :meth:`forget`."""
        now = time.monotonic()
        for key in keys:
            if key not in self._failures and len(self._failures) >= _MAX_TRACKED:
                del self._failures[next(iter(self._failures))]
            self._failures.setdefault(key, deque()).append(now)
        return now

    def forget(self, keys: Sequence[str], when: float) -> None:
        """Take back the failures :meth:`record` counted at ``when`` (the login worked)."""
        for key in keys:
            failures = self._failures.get(key)
            if failures is not None and when in failures:
                failures.remove(when)


# -- routes -----------------------------------------------------------------------------


class TokenEndpoint:
    """``POST /oauth/token``, with its own count of failed logins."""

    def __init__(self) -> None:
        self.failures = FailureLimit()
        self._hashing: anyio.CapacityLimiter | None = None

    def _hash_limiter(self) -> anyio.CapacityLimiter:
        """At most :data:`HASHING_THREADS` passwords checked at once (made in the loop)."""
        if self._hashing is None:
            self._hashing = anyio.CapacityLimiter(HASHING_THREADS)
        return self._hashing

    async def oauth_token(self, ctx: Context, request: Request) -> Response:
        """``POST /oauth/token``: Auth0's password and refresh_token grants.

        JSON (or form) body. The answer is ``{access_token, expires_in, token_type}``,
        with a ``refresh_token`` when the password grant's ``scope`` has ``offline_access``.
        """
        params = await _oauth_params(request)
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
            return await self._password_grant(ctx, request, params, client_id)
        return _refresh_grant(ctx, params, client_id)

    async def _password_grant(
        self, ctx: Context, request: Request, params: Mapping[str, str], client_id: str
    ) -> JSONResponse:
        for name in ("username", "password"):
            if not params.get(name):
                raise OAuthError(400, "invalid_request", f"Missing required parameter: {name}")
        audience = params.get("audience")
        if audience and audience != tokens.AUDIENCE:
            raise OAuthError(403, "access_denied", f"Service not found: {audience}")
        address = request.client.host if request.client else ""
        keys = (f"email:{params['username'].lower()}", f"address:{address}")
        try:
            self.failures.check(keys)
        except OAuthError:
            await _pause_refusal(REFUSAL_DELAY)
            raise
        attempt = self.failures.record(keys)
        found = await anyio.to_thread.run_sync(
            authenticate,
            ctx.db,
            params["username"],
            params["password"],
            limiter=self._hash_limiter(),
        )
        if found is None:
            raise OAuthError(403, "invalid_grant", "Wrong email or password.")
        self.failures.forget(keys, attempt)
        refresh = None
        if "offline_access" in params.get("scope", "").split():
            refresh = create_refresh_token(ctx.db, found["id"], client_id)
        return _token_answer(ctx, found, refresh)


async def _pause_refusal(seconds: float) -> None:
    """Wait before a refusal is answered (a function of its own, for the tests)."""
    await anyio.sleep(seconds)


async def _oauth_params(request: Request) -> dict[str, str]:
    raw = await read_body(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(raw.decode("utf-8", "replace")))
    try:
        body = loads_json(raw) or {}
    except ValueError as exc:
        raise OAuthError(400, "invalid_request", f"Invalid JSON body: {exc}") from exc
    if not isinstance(body, dict):
        raise OAuthError(400, "invalid_request", "The body must be a JSON object.")
    return {key: value for key, value in body.items() if isinstance(value, str)}


def _token_answer(ctx: Context, user_row: Row, refresh_token: str | None) -> JSONResponse:
    body: dict[str, Any] = {
        "access_token": issue_access_token(ctx.db, user_row, ctx.token_ttl),
        "expires_in": ctx.token_ttl,
        "token_type": "Bearer",
    }
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _refresh_grant(ctx: Context, params: Mapping[str, str], client_id: str) -> JSONResponse:
    refresh_token = params.get("refresh_token")
    if not refresh_token:
        raise OAuthError(400, "invalid_request", "Missing required parameter: refresh_token")
    found = refresh_token_user(ctx.db, refresh_token, client_id)
    if found is None:
        raise OAuthError(403, "invalid_grant", "Unknown or invalid refresh token.")
    return _token_answer(ctx, found, None)


def routes(ctx: Context) -> list[Route]:
    """``POST /oauth/token`` (``GET /v1/users/me`` is :mod:`.users`')."""
    _dummy_hash()  # now rather than during the first login with an unknown e-mail
    return [
        # Passwords are hashed off the loop; the only write adds a refresh token.
        route(
            ctx,
            "/oauth/token",
            TokenEndpoint().oauth_token,
            ["POST"],
            atomic=False,
            doc=Doc(answer=Token, body=TokenRequest, oauth=True, auth=False, tag="auth"),
        ),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Nothing per company: users are made by :mod:`tiime.sandbox.seeding`'s accounts."""
