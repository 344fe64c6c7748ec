"""Where the client's settings come from: arguments, then the environment, then the stored login.

The stored login is the file the ``tiime auth login`` command writes. Its format (JSON,
readable by its owner alone, mode 0600) is::

    {
      "version": 1,
      "base_url": "https://chronos-api.tiime-apps.com/v1",
      "auth_url": "https://auth0.tiime.fr/oauth/token",
      "email": "you@example.com",
      "access_token": "eyJ...",
      "refresh_token": "..." | null,
      "expires_at": 1790000000.0 | null,
      "company_id": 12345 | null
    }

It holds tokens, never the password. It lives in the user's config directory
(``platformdirs.user_config_dir("tiime")``), or in ``$TIIME_CONFIG_DIR`` when that is set.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _constants as C
from ._exceptions import ConfigurationError
from ._secrets import Secret, Token

__all__ = [
    "ClientConfig",
    "StoredLogin",
    "delete_login",
    "load_login",
    "login_path",
    "resolve_config",
    "save_login",
]

LOGIN_FILE_VERSION = 1


def login_path() -> Path:
    """The stored login file: ``$TIIME_CONFIG_DIR/login.json`` or the user's config directory."""
    directory = os.environ.get("TIIME_CONFIG_DIR")
    if directory:
        return Path(directory) / "login.json"
    import platformdirs  # imported here: only needed when a stored login is looked for

    return platformdirs.user_config_path("tiime") / "login.json"


@dataclass(repr=False)
class StoredLogin:
    """A login kept between runs: tokens and the chosen company, never the password."""

    base_url: str
    auth_url: str
    token: Token
    email: str | None = None
    company_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        refresh = self.token.refresh_token
        return {
            "version": LOGIN_FILE_VERSION,
            "base_url": self.base_url,
            "auth_url": self.auth_url,
            "email": self.email,
            "access_token": self.token.access_token.reveal(),
            "refresh_token": refresh.reveal() if refresh else None,
            "expires_at": self.token.expires_at,
            "company_id": self.company_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoredLogin:
        refresh = data.get("refresh_token")
        expires_at = data.get("expires_at")
        company_id = data.get("company_id")
        return cls(
            base_url=str(data["base_url"]),
            auth_url=str(data["auth_url"]),
            email=data.get("email"),
            company_id=company_id if _is_positive_int(company_id) else None,
            token=Token(
                Secret(str(data["access_token"])),
                expires_at=float(expires_at) if isinstance(expires_at, (int, float)) else None,
                refresh_token=Secret(refresh) if isinstance(refresh, str) else None,
                email=data.get("email"),
            ),
        )

    def __repr__(self) -> str:
        return (
            f"StoredLogin(email={self.email!r}, base_url={self.base_url!r}, "
            f"company_id={self.company_id!r}, token={self.token!r})"
        )


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def load_login(path: Path | None = None) -> StoredLogin | None:
    """The stored login, or ``None`` when there is none (or it cannot be read)."""
    path = path or login_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return StoredLogin.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_login(login: StoredLogin, path: Path | None = None) -> Path:
    """Write the login atomically to a file only its owner can read (mode 0600)."""
    path = path or login_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".login-", dir=path.parent)  # created with mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(login.to_json(), handle, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def delete_login(path: Path | None = None) -> bool:
    """Remove the stored login; ``True`` if there was one."""
    path = path or login_path()
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


@dataclass(repr=False)
class ClientConfig:
    """The settings a client runs with, once arguments, environment and stored login are merged."""

    base_url: str
    auth_url: str
    company_id: int | None
    email: str | None
    password: Secret | None
    token: Token | None
    stored_login: StoredLogin | None  # set when the tokens came from the stored login

    def __repr__(self) -> str:
        return (
            f"ClientConfig(base_url={self.base_url!r}, company_id={self.company_id!r}, "
            f"email={self.email!r})"
        )


def _company_id_from_env(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(
            f"{C.ENV_COMPANY_ID} must be a company id (a positive integer), got {raw!r}"
        ) from None
    if value <= 0:
        raise ConfigurationError(f"{C.ENV_COMPANY_ID} must be a positive integer, got {raw!r}")
    return value


def resolve_config(
    *,
    company_id: int | None,
    email: str | None,
    password: str | None,
    access_token: str | None,
    base_url: str | None,
    auth_url: str | None,
    env: Mapping[str, str] | None = None,
) -> ClientConfig:
    """Merge the constructor's arguments with the environment and the stored login.

    An argument wins over its environment variable; the stored login is used only when
    neither gives credentials (an access token, or an e-mail and a password), and only
    if it was made against the same API.
    """
    env = os.environ if env is None else env
    base = (base_url or env.get(C.ENV_BASE_URL) or C.DEFAULT_BASE_URL).rstrip("/")
    auth = auth_url or env.get(C.ENV_AUTH_URL) or C.DEFAULT_AUTH_URL
    email = email if email is not None else env.get(C.ENV_EMAIL) or None
    password = password if password is not None else env.get(C.ENV_PASSWORD) or None
    access_token = access_token if access_token is not None else env.get(C.ENV_ACCESS_TOKEN) or None
    if company_id is None and env.get(C.ENV_COMPANY_ID):
        company_id = _company_id_from_env(env[C.ENV_COMPANY_ID])

    token = Token.from_access_token(access_token) if access_token else None
    stored: StoredLogin | None = None
    if token is None and not (email and password):
        stored = load_login()
        if stored is not None and stored.base_url.rstrip("/") == base:
            token = stored.token
            email = email or stored.email
            auth_url = auth_url or env.get(C.ENV_AUTH_URL) or stored.auth_url
            auth = auth_url
            if company_id is None:
                company_id = stored.company_id
        else:
            stored = None
    if token is None and not (email and password):
        missing = "a password" if email else "credentials"
        raise ConfigurationError(
            f"No Tiime {missing}: pass email= and password= (or access_token=) to the client, "
            f"set {C.ENV_EMAIL} and {C.ENV_PASSWORD} (or {C.ENV_ACCESS_TOKEN}), "
            "or log in once with `tiime auth login`."
        )
    return ClientConfig(
        base_url=base,
        auth_url=auth,
        company_id=company_id,
        email=email,
        password=Secret(password) if password else None,
        token=token,
        stored_login=stored,
    )
