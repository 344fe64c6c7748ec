"""Where the client's settings come from: arguments, then the environment, then the stored logins.

The stored logins are the file the ``tiime auth login`` command writes: one login per API
base URL (the real service's and the sandbox's side by side, as ``gh`` keeps its hosts),
and the company chosen with ``tiime company use`` for each. Its format (JSON, readable by
its owner alone: file 0600 in a 0700 directory, replaced atomically, read and rewritten
under a lock so that logins saved at once by several processes are all kept) is::

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
tokens, never the password. A file that is not one (not JSON, nested thousands deep...)
is never taken for "no login" nor overwritten: reading it where the login is needed
raises :class:`DamagedLoginFile` (naming it, and the way out), and the next write sets it
aside as ``login.json.corrupt-<UTC time>``. It lives in the user's config directory
(``platformdirs.user_config_dir("tiime")``), or in ``$TIIME_CONFIG_DIR`` when that is set.

Precedence, for each setting: the constructor's argument, then the ``TIIME_*`` variable,
then the stored entry of the base URL in effect. The company is ``company_id=``, then
``TIIME_COMPANY_ID``, then the stored choice, whatever the credentials' source.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import _constants as C
from ._exceptions import ConfigurationError
from ._file_lock import locked
from ._nesting import nested_deeper_than
from ._secrets import Secret, Token

__all__ = [
    "ClientConfig",
    "DamagedLoginFile",
    "StoredLogin",
    "base_url_in_effect",
    "check_login_file",
    "delete_login",
    "load_login",
    "load_logins",
    "login_path",
    "repair_login_file",
    "resolve_config",
    "save_company",
    "save_login",
    "stored_company",
]

LOGIN_FILE_VERSION = 2
# The file nests 3 levels ({"hosts": {url: {...}}}): one nested far deeper is not ours.
_MAX_NESTING = 8


def login_path() -> Path:
    """The stored logins' file: ``$TIIME_CONFIG_DIR/login.json`` or the user's config directory."""
    directory = os.environ.get("TIIME_CONFIG_DIR")
    if directory:
        return Path(directory) / "login.json"
    import platformdirs  # imported here: only needed when a stored login is looked for

    return platformdirs.user_config_path("tiime") / "login.json"


def _key(base_url: str) -> str:
    return base_url.rstrip("/")


class DamagedLoginFile(ConfigurationError):
    """The stored logins' file exists but is not one: not UTF-8 JSON, nested thousands of
    levels deep, not an object. ``path`` is the file, ``reason`` what is wrong with it.

    Reading it raises this where the stored login is needed; writing a login (``tiime
    auth login``, ``tiime auth logout``) first sets the file aside (renamed
    ``login.json.corrupt-<UTC time>``, owner-only), never overwrites it.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"the stored logins' file {path} cannot be read ({reason}): run `tiime auth "
            "logout` to set it aside (or move it away yourself), then `tiime auth login`"
        )


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
        auth_url, access_token = data["auth_url"], data["access_token"]
        if not (isinstance(auth_url, str) and isinstance(access_token, str)):
            raise TypeError("auth_url and access_token are text")
        email = data.get("email")
        email = email if isinstance(email, str) else None
        return cls(
            base_url=_key(base_url),
            auth_url=auth_url,
            email=email,
            company_id=company_id if _is_positive_int(company_id) else None,
            token=Token(
                Secret(access_token),
                expires_at=float(expires_at) if isinstance(expires_at, (int, float)) else None,
                refresh_token=Secret(refresh) if isinstance(refresh, str) else None,
                email=email,
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
    """The file's entries by base URL; none when it is missing.

    Raises :class:`DamagedLoginFile` when it is there but not a file of logins, and
    ``OSError`` when it cannot be read (a directory, no permission).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise DamagedLoginFile(path, "not UTF-8 text") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DamagedLoginFile(path, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise DamagedLoginFile(path, "nested thousands of levels deep") from None
    if nested_deeper_than(data, _MAX_NESTING):
        raise DamagedLoginFile(path, f"nested more than {_MAX_NESTING} levels deep")
    if not isinstance(data, dict):
        raise DamagedLoginFile(path, "not a JSON object")
    if data.get("version") == 1 and isinstance(data.get("base_url"), str):  # one login
        return {_key(data["base_url"]): data}
    hosts = data.get("hosts", {})
    if not isinstance(hosts, dict):
        raise DamagedLoginFile(path, "its 'hosts' is not an object")
    return {_key(url): entry for url, entry in hosts.items() if isinstance(entry, dict)}


def _read_or_none(path: Path) -> dict[str, dict[str, Any]]:
    """The file's entries by base URL; none when it is missing, unreadable or damaged."""
    try:
        return _read(path)
    except (DamagedLoginFile, OSError):
        return {}


def check_login_file(path: Path | None = None) -> None:
    """Raise :class:`DamagedLoginFile` if the stored logins' file is there but damaged
    (``ConfigurationError`` if it cannot be read at all); nothing when it is fine or missing."""
    path = path or login_path()
    try:
        _read(path)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read the stored logins' file {path}: {exc.strerror or exc}"
        ) from None


def _set_aside(path: Path) -> Path:
    """Rename the damaged ``path`` to ``<name>.corrupt-<UTC time>`` (owner-only); its name."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    for n in range(1, 1000):
        if not aside.exists():
            break
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.rename(path, aside)
    os.chmod(aside, 0o600)
    return aside


def _set_aside_if_damaged(path: Path) -> tuple[Path, str] | None:
    """Under the lock: set a damaged file aside; ``(where it went, what was wrong)``."""
    try:
        _read(path)
    except DamagedLoginFile as exc:
        return _set_aside(path), exc.reason
    return None


def repair_login_file(path: Path | None = None) -> tuple[Path, str] | None:
    """Set the stored logins' file aside if it is damaged (see :class:`DamagedLoginFile`).

    Returns ``(the file's new name, what was wrong with it)``, or ``None`` when it was fine
    or missing. The file is renamed, never deleted: the logins it held are gone from use
    (log in again), its bytes are kept for whoever wants to look.
    """
    path = path or login_path()
    if not path.exists():  # nothing to repair: no lock (nor directory) made for nothing
        return None
    with locked(path):
        return _set_aside_if_damaged(path)


def _update(path: Path, change: Callable[[dict[str, dict[str, Any]]], bool]) -> None:
    """Read the file, ``change`` its entries in place, write it back: all under the lock.

    ``change`` returns whether there is anything to write. A damaged file is set aside
    (with a warning on the ``tiime`` logger) and the change made to an empty one; no
    entry left removes the file.
    """
    with locked(path):
        try:
            hosts = _read(path)
        except DamagedLoginFile as exc:
            import logging

            aside = _set_aside(path)
            logging.getLogger("tiime").warning(
                "the stored logins' file %s could not be read (%s): kept aside as %s",
                path,
                exc.reason,
                aside,
            )
            hosts = {}
        if not change(hosts):
            return
        if hosts:
            _write(hosts, path)
        else:
            path.unlink(missing_ok=True)


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
    """The stored login for the API at ``base_url``, or ``None`` (none, unreadable or damaged:
    :func:`check_login_file` tells which)."""
    entry = _read_or_none(path or login_path()).get(_key(base_url))
    return None if entry is None else _login_of(base_url, entry)


def load_logins(path: Path | None = None) -> list[StoredLogin]:
    """Every stored login, whatever its API (none when the file is unreadable or damaged)."""
    logins = (_login_of(url, entry) for url, entry in _read_or_none(path or login_path()).items())
    return [login for login in logins if login is not None]


def stored_company(base_url: str, path: Path | None = None) -> int | None:
    """The company chosen for the API at ``base_url`` (``tiime company use``), if any."""
    entry = _read_or_none(path or login_path()).get(_key(base_url), {})
    company_id = entry.get("company_id")
    return company_id if _is_positive_int(company_id) else None


def save_login(login: StoredLogin, path: Path | None = None) -> Path:
    """Store ``login`` as the one for its base URL; the other URLs' entries are kept.

    The file is read, changed and replaced under a lock, so that logins saved at once by
    several processes are all kept; a damaged file is set aside first, never overwritten.
    """
    path = path or login_path()

    def change(hosts: dict[str, dict[str, Any]]) -> bool:
        hosts[_key(login.base_url)] = login.to_json()
        return True

    _update(path, change)
    return path


def save_company(base_url: str, company_id: int, path: Path | None = None) -> Path:
    """Store ``company_id`` as the company chosen for the API at ``base_url`` (under the
    lock, as :func:`save_login`)."""
    path = path or login_path()

    def change(hosts: dict[str, dict[str, Any]]) -> bool:
        hosts[_key(base_url)] = {**hosts.get(_key(base_url), {}), "company_id": company_id}
        return True

    _update(path, change)
    return path


def delete_login(base_url: str, path: Path | None = None) -> bool:
    """Forget the login (and the company choice) for ``base_url``; ``True`` if there was one.

    Under the lock, as :func:`save_login`; a damaged file is set aside (``False``).
    """
    path = path or login_path()
    if not path.exists():
        return False
    found = False

    def change(hosts: dict[str, dict[str, Any]]) -> bool:
        nonlocal found
        found = hosts.pop(_key(base_url), None) is not None
        return found

    _update(path, change)
    return found


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
    stored for the base URL in effect, whatever the credentials' source. Reads the file
    only when the company or the credentials are still missing, sends nothing; raises
    :class:`ConfigurationError` for a malformed URL or company id, when there are no
    credentials (naming the API a stored login is for, if any), and
    :class:`DamagedLoginFile` when the file it needs is damaged.
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

    token = Token.from_access_token(access_token) if access_token else None
    needs_file = company_id is None or (token is None and not (email and password))
    hosts = _hosts_for_config(login_path()) if needs_file else {}
    entry = hosts.get(base, {})
    if company_id is None and _is_positive_int(entry.get("company_id")):
        company_id = entry["company_id"]
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


def _hosts_for_config(path: Path) -> dict[str, dict[str, Any]]:
    """The stored entries a client's settings may come from; a damaged or unreadable file
    is a :class:`ConfigurationError` naming it (never taken silently for no login)."""
    try:
        return _read(path)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read the stored logins' file {path}: {exc.strerror or exc}"
        ) from None


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
