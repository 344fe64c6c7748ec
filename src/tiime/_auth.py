"""Getting and renewing the access token (Auth0 password and refresh-token grants).

This module decides what to send and reads what comes back; the clients send it. The
token is reused until a minute before it expires, renewed with the refresh token when
there is one, and otherwise by logging in again with the credentials held in memory.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

from . import _constants as C
from ._exceptions import AuthenticationError, ResponseFormatError, TiimeError
from ._response import error_from_response
from ._secrets import Secret, Token

__all__ = ["Authenticator", "SendFlow"]

# Auth0's answers to credentials it does not accept.
_REFUSALS = frozenset({400, 401, 403})

# Sends one request with the client's retry rules and returns the final response.
SendFlow = Callable[..., Generator[Any, Any, httpx.Response]]


class Authenticator:
    """Holds the current token and knows how to get a new one."""

    def __init__(
        self,
        *,
        auth_url: str,
        email: str | None,
        password: Secret | None,
        token: Token | None,
        user_agent: str,
        on_new_token: Callable[[Token], None] | None = None,
    ) -> None:
        self.auth_url = auth_url
        self.email = email
        self._password = password
        self._token = token
        self._user_agent = user_agent
        self._on_new_token = on_new_token

    @property
    def token(self) -> Token | None:
        return self._token

    def usable(self, rejected: str | None = None) -> str | None:
        """The current access token if it is fresh and is not the one the API just refused."""
        token = self._token
        if token is None or not token.is_fresh():
            return None
        value = token.access_token.reveal()
        return None if value == rejected else value

    def renew(self, send: SendFlow) -> Generator[Any, Any, str]:
        """Get a new access token: by refresh token if there is one, else by password."""
        token = self._token
        if token is not None and token.refresh_token is not None:
            response = yield from send(self._refresh_request(token.refresh_token), replay_safe=True)
            if response.is_success:
                return self._accept(response)
            if self._password is None:
                raise self._refused(
                    response, "the login has expired (run `tiime auth login` again)"
                )
        if self._password is None or not self.email:
            raise AuthenticationError(
                "The access token has expired or was refused, and there are no credentials to "
                "log in again: pass email= and password=, set TIIME_EMAIL and TIIME_PASSWORD, "
                "or run `tiime auth login`.",
                method="POST",
                endpoint=self.auth_url,
            )
        response = yield from send(
            self._password_request(self.email, self._password), replay_safe=True
        )
        if not response.is_success:
            raise self._refused(response, "login refused")
        return self._accept(response)

    def _request(self, body: dict[str, str]) -> httpx.Request:
        return httpx.Request(
            "POST",
            self.auth_url,
            content=json.dumps(body).encode(),
            headers={
                "Content-Type": C.JSON,
                "Accept": C.JSON,
                "User-Agent": self._user_agent,
            },
        )

    def _password_request(self, email: str, password: Secret) -> httpx.Request:
        return self._request(
            {
                "grant_type": "password",
                "client_id": C.AUTH0_CLIENT_ID,
                "audience": C.AUTH0_AUDIENCE,
                "scope": C.AUTH0_SCOPE,
                "username": email,
                "password": password.reveal(),
            }
        )

    def _refresh_request(self, refresh_token: Secret) -> httpx.Request:
        return self._request(
            {
                "grant_type": "refresh_token",
                "client_id": C.AUTH0_CLIENT_ID,
                "refresh_token": refresh_token.reveal(),
            }
        )

    def _refused(self, response: httpx.Response, what: str) -> TiimeError:
        error = error_from_response(response, hint=False)
        if response.status_code not in _REFUSALS:  # a server failure is not a refusal
            return error
        return AuthenticationError(
            f"{what}: {error.message}",
            status=response.status_code,
            method="POST",
            endpoint=self.auth_url,
            details=error.details,
        )

    def _accept(self, response: httpx.Response) -> str:
        try:
            data = json.loads(response.content)
            access_token = data["access_token"]
            if not isinstance(access_token, str) or not access_token:
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise ResponseFormatError(
                "the token endpoint answered without an access_token",
                status=response.status_code,
                method="POST",
                endpoint=self.auth_url,
            ) from None
        expires_in = data.get("expires_in")
        refresh = data.get("refresh_token")
        previous = self._token
        token = Token.from_access_token(access_token)
        if isinstance(expires_in, (int, float)):
            token.expires_at = time.time() + float(expires_in)
        if isinstance(refresh, str) and refresh:
            token.refresh_token = Secret(refresh)
        elif previous is not None:
            token.refresh_token = previous.refresh_token  # Auth0 may not rotate it
        token.email = token.email or self.email
        self._token = token
        if self._on_new_token is not None:
            self._on_new_token(token)
        return access_token
