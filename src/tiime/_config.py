"""Where the client's settings come from: arguments, then the environment, then the stored logins.

The stored logins are the file the ``tiime auth login`` command writes: one login per API
base URL (the real service's and the sandbox's side by side, as ``gh`` keeps its hosts),
and the company chosen with ``tiime company use`` for each. Its format (JSON, readable by
its owner alone: file 0600 in a 0700 directory, replaced atomically) is::

    {
      "version": 2,
      "hosts": {
        "https://chronos-api.tiime-apps.com/v1": {
          "auth_url": "https://auth0.tiime.fr/oauth/token",
          "email": "you@example.com",
          "access_token": "eyJ...",
          "refresh_token": "..." | null,
          "expires_at": 1790000000.0 | null,
          "company_id": 12345 | null
        },
        "http://127.0.0.1:8787/v1": {"company_id": 100}
      }
    }

An entry may hold a company choice only (when the credentials come from the environment).
The version 1 file (one login, its fields at the top level) is still read. It holds
tokens, never the password. It lives in the user's config directory
(``platformdirs.user_config_dir("tiime")``), or in ``$TIIME_CONFIG_DIR`` when that is set.

Precedence, for each setting: the constructor's argument, then the ``TIIME_*`` variable,
then the stored entry of the base URL in effect. The company is ``company_id=``, then
``TIIME_COMPANY_ID``, then the stored choice, whatever the credentials' source.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import _constants as C
from ._exceptions import ConfigurationError
from ._secrets import Secret, Token

__all__ = [
    "ClientConfig",
    "StoredLogin",
    "base_url_in_effect",
    "delete_login",
    "load_login",
    "load_logins",
    "login_path",
    "resolve_config",
    "save_company",
    "save_login",
    "stored_company",
]

LOGIN_FILE_VERSION = 2


def login_path() -> Path:
    """The stored logins' file: ``$TIIME_CONFIG_DIR/login.json`` or the user's config directory."""
    directory = os.environ.get("TIIME_CONFIG_DIR")
    if directory:
        return Path(directory) / "login.json"
    import platformdirs  # imported here: only needed when a stored login is looked for

    return platformdirs.user_config_path("tiime") / "login.json"


def _key(base_url: str) -> str:
    return base_url.rstrip("/")


@dataclass(repr=False)
class StoredLogin:
    """A login kept between runs: tokens and the chosen company, never the password."""

    base_url: str
    auth_url: str
    token: Token
    email: str | None = None
    company_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry of this login in the file's ``hosts`` (its key is the base URL)."""
        refresh = self.token.refresh_token
        return {
            "auth_url": self.auth_url,
            "email": self.email,
            "access_token": self.token.access_token.reveal(),
            "refresh_token": refresh.reveal() if refresh else None,
            "expires_at": self.token.expires_at,
            "company_id": self.company_id,
        }

    @classmethod
    def from_json(cls, base_url: str, data: Mapping[str, Any]) -> StoredLogin:
        """The login of a ``hosts`` entry (``KeyError`` when the entry has no token)."""
        refresh = data.get("refresh_token")
        expires_at = data.get("expires_at")
        company_id = data.get("company_id")
        return cls(
            base_url=_key(base_url),
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


def _read(path: Path) -> dict[str, dict[str, Any]]:
    """The file's entries by base URL; none when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    if data.get("version") == 1 and isinstance(data.get("base_url"), str):  # one login
        return {_key(data["base_url"]): data}
    hosts = data.get("hosts")
    if not isinstance(hosts, dict):
        return {}
    return {_key(url): entry for url, entry in hosts.items() if isinstance(entry, dict)}


def _write(hosts: Mapping[str, Mapping[str, Any]], path: Path) -> None:
    """Replace the file atomically by one only its owner can read (0600, directory 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".login-", dir=path.parent)  # created with mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"version": LOGIN_FILE_VERSION, "hosts": hosts}, handle, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _login_of(base_url: str, entry: Mapping[str, Any]) -> StoredLogin | None:
    try:
        return StoredLogin.from_json(base_url, entry)
    except (KeyError, TypeError, ValueError):
        return None


def load_login(base_url: str, path: Path | None = None) -> StoredLogin | None:
    """The stored login for the API at ``base_url``, or ``None`` (none, or unreadable)."""
    entry = _read(path or login_path()).get(_key(base_url))
    return None if entry is None else _login_of(base_url, entry)


def load_logins(path: Path | None = None) -> list[StoredLogin]:
    """Every stored login, whatever its API."""
    logins = (_login_of(url, entry) for url, entry in _read(path or login_path()).items())
    return [login for login in logins if login is not None]


def stored_company(base_url: str, path: Path | None = None) -> int | None:
    """The company chosen for the API at ``base_url`` (``tiime company use``), if any."""
    entry = _read(path or login_path()).get(_key(base_url), {})
    company_id = entry.get("company_id")
    return company_id if _is_positive_int(company_id) else None


def save_login(login: StoredLogin, path: Path | None = None) -> Path:
    """Store ``login`` as the one for its base URL; the other URLs' entries are kept."""
    path = path or login_path()
    hosts = _read(path)
    hosts[_key(login.base_url)] = login.to_json()
    _write(hosts, path)
    return path


def save_company(base_url: str, company_id: int, path: Path | None = None) -> Path:
    """Store ``company_id`` as the company chosen for the API at ``base_url``."""
    path = path or login_path()
    hosts = _read(path)
    hosts[_key(base_url)] = {**hosts.get(_key(base_url), {}), "company_id": company_id}
    _write(hosts, path)
    return path


def delete_login(base_url: str, path: Path | None = None) -> bool:
    """Forget the login (and the company choice) for ``base_url``; ``True`` if there was one."""
    path = path or login_path()
    hosts = _read(path)
    if hosts.pop(_key(base_url), None) is None:
        return False
    if hosts:
        _write(hosts, path)
    else:
        path.unlink(missing_ok=True)
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


def _checked_url(value: str, source: str) -> str:
    """``value`` if it is an http(s) URL with a host; else a :class:`ConfigurationError`."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it checks the port
    except ValueError:
        raise ConfigurationError(f"{source} is not a valid URL: {value!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{source} must be an http:// or https:// URL, got {value!r}")
    return value


def _setting(argument: str | None, name: str, env: Mapping[str, str], default: str) -> str:
    if argument:
        return _checked_url(argument, name.removeprefix("TIIME_").lower() + "=")
    if env.get(name):
        return _checked_url(env[name], name)
    return default


def base_url_in_effect(env: Mapping[str, str] | None = None) -> str:
    """The API base URL a client made without ``base_url=`` uses: ``TIIME_BASE_URL`` or the
    real service's (checked: a :class:`ConfigurationError` if malformed)."""
    env = os.environ if env is None else env
    return _setting(None, C.ENV_BASE_URL, env, C.DEFAULT_BASE_URL).rstrip("/")


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
    """Merge the constructor's arguments with the environment and the stored logins.

    An argument wins over its environment variable. The stored login of the base URL in
    effect is used only when neither gives credentials (an access token, or an e-mail and
    a password). The company is the argument, else ``TIIME_COMPANY_ID``, else the company
    stored for the base URL in effect, whatever the credentials' source. Reads the file,
    sends nothing; raises :class:`ConfigurationError` for a malformed URL or company id,
    or when there are no credentials (naming the API a stored login is for, if any).
    """
    env = os.environ if env is None else env
    base = _setting(base_url, C.ENV_BASE_URL, env, C.DEFAULT_BASE_URL).rstrip("/")
    auth = _setting(auth_url, C.ENV_AUTH_URL, env, C.DEFAULT_AUTH_URL)
    auth_given = bool(auth_url or env.get(C.ENV_AUTH_URL))
    email = email if email is not None else env.get(C.ENV_EMAIL) or None
    password = password if password is not None else env.get(C.ENV_PASSWORD) or None
    access_token = access_token if access_token is not None else env.get(C.ENV_ACCESS_TOKEN) or None
    if company_id is None and env.get(C.ENV_COMPANY_ID):
        company_id = _company_id_from_env(env[C.ENV_COMPANY_ID])

    hosts = _read(login_path())
    entry = hosts.get(base, {})
    if company_id is None and _is_positive_int(entry.get("company_id")):
        company_id = entry["company_id"]
    token = Token.from_access_token(access_token) if access_token else None
    stored: StoredLogin | None = None
    if token is None and not (email and password):
        stored = _login_of(base, entry) if entry else None
        if stored is not None:
            token = stored.token
            email = email or stored.email
            if not auth_given:
                auth = stored.auth_url
    if token is None and not (email and password):
        raise ConfigurationError(_no_credentials(base, email, hosts))
    return ClientConfig(
        base_url=base,
        auth_url=auth,
        company_id=company_id,
        email=email,
        password=Secret(password) if password else None,
        token=token,
        stored_login=stored,
    )


def _no_credentials(base: str, email: str | None, hosts: Mapping[str, Mapping[str, Any]]) -> str:
    others = [url for url, entry in hosts.items() if url != base and _login_of(url, entry)]
    if others:
        return (
            f"You are logged in to {others[0]}, not to {base}: set {C.ENV_BASE_URL}="
            f"{others[0]} to use that login, or run `tiime auth login` to log in to {base}."
        )
    missing = "a password" if email else "credentials"
    return (
        f"No Tiime {missing}: pass email= and password= (or access_token=) to the client, "
        f"set {C.ENV_EMAIL} and {C.ENV_PASSWORD} (or {C.ENV_ACCESS_TOKEN}), "
        "or log in once with `tiime auth login`."
    )
