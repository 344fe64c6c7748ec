"""Running the sandbox: :func:`serve` in the foreground, :class:`Sandbox` in a thread."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import platformdirs
import uvicorn
from starlette.types import ASGIApp

from ..i18n import N_
from .app import create_app, open_database
from .banner import CHAOS_LINE, REMOTE_WARNING, banner, say
from .chaos import Chaos, ChaosMiddleware
from .kernel import DEFAULT_TOKEN_TTL, Database, Row, SandboxError
from .kernel.db import remove_database
from .kernel.middleware import loopback_hosts
from .protocol import (
    DEFAULT_BODY_MIN_RATE,
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_MAX_CLIENT_CONNECTIONS,
    DEFAULT_MAX_CONNECTIONS,
    Limits,
    bounded_h11,
)
from .resources import auth, companies
from .seeding import (
    DEMO_PASSWORD,
    create_account,
    demo_account,
    profile_sizes,
    seed_company,
    seed_database,
)

__all__ = ["DEFAULT_PORT", "Sandbox", "default_db_path", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
_START_TIMEOUT = 10.0
_BACKLOG = 2048


def default_db_path() -> Path:
    """Where :func:`serve` keeps its database unless told: the user's data directory."""
    return Path(platformdirs.user_data_dir("tiime")) / "sandbox.db"


def _sizes(clients: int | None, sizes: Mapping[str, int] | None) -> dict[str, int]:
    """``sizes`` with the ``clients`` shorthand applied."""
    merged = dict(sizes or {})
    if clients is not None:
        merged["clients"] = clients
    return merged


def _open_seeded(
    db_path: Path, seed: str, sizes: Mapping[str, int], *, reset: bool = False
) -> Database:
    """The database at ``db_path``, seeded by the profile when new, topped up to ``sizes``
    when not; ``reset`` deletes the file (and its -wal/-shm) first, refused (one line)
    while another process uses it."""
    profile_sizes(seed, sizes)  # a bad profile or size fails before anything is touched
    if reset:
        remove_database(db_path)  # refused while another process serves it
    db = open_database(db_path)
    try:
        seed_database(db, seed, sizes)
    except BaseException:
        db.close()
        raise
    return db


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    db_path: str | Path | None = None,
    clients: int | None = None,
    *,
    seed: str = "demo",
    sizes: Mapping[str, int] | None = None,
    reset: bool = False,
    allow_remote: bool = False,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    max_page_size: int | None = None,
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    body_timeout: float = DEFAULT_BODY_TIMEOUT,
    body_min_rate: float = DEFAULT_BODY_MIN_RATE,
    max_client_connections: int = DEFAULT_MAX_CLIENT_CONNECTIONS,
    chaos: float | str | Chaos | None = None,
    chaos_seed: int | None = None,
    out: TextIO | None = None,
) -> None:
    """Serve the sandbox in the foreground until interrupted (Ctrl-C).

    The database is ``db_path`` (by default ``sandbox.db`` in the user's data directory),
    seeded by the ``seed`` profile (``demo``: 36 clients...; ``empty``) when new, with
    ``sizes`` per resource (``{"clients": 20000}``; ``clients`` is a shorthand for that
    one). An existing database keeps its data and is topped up to the given sizes;
    ``reset`` recreates it from the profile. ``port=0`` picks a free port.

    Only a loopback ``host`` is accepted (and then only loopback ``Host`` headers) unless
    ``allow_remote``: then a warning is printed and the demo password is not. Prints the
    URLs, the demo login and the ``export`` lines that point the SDK and the CLI at the
    sandbox; returns quietly on Ctrl-C. Raises :class:`SandboxError` (one line) when it
    cannot start: a port out of range or in use, a host that does not resolve, a database
    it cannot use.

    What a client may hold (see :mod:`tiime.sandbox.protocol`): a request's headers must
    arrive within ``header_timeout`` seconds; its body within ``body_timeout`` seconds
    plus one per ``body_min_rate`` bytes received (else 408); at most ``max_connections``
    connections are open, ``max_client_connections`` from one address.

    ``chaos`` (a rate, ``"RATE[,KIND...]"`` or a :class:`~tiime.sandbox.chaos.Chaos`)
    injects faults, drawn from ``chaos_seed`` (see :mod:`tiime.sandbox.chaos`); refused
    with ``allow_remote``.
    """
    faults = _chaos(chaos, chaos_seed, allow_remote=allow_remote)
    limits = Limits(
        header_timeout=header_timeout,
        body_timeout=body_timeout,
        body_min_rate=body_min_rate,
        max_connections=max_connections,
        max_client_connections=max_client_connections,
    )
    out = out or sys.stdout
    path = Path(db_path) if db_path is not None else default_db_path()
    sock = _listen(host, port, allow_remote=allow_remote)  # nothing is touched if this fails
    try:
        db = _open_seeded(path, seed, _sizes(clients, sizes), reset=reset)
    except BaseException:
        sock.close()
        raise
    try:
        port = sock.getsockname()[1]
        account = demo_account(db)
        root = f"http://{_url_host(host)}:{port}"
        remote = not _is_loopback(sock)
        if remote:
            print(say(REMOTE_WARNING).format(host=host), file=sys.stderr, flush=True)
        login = (account.email, account.password, account.company_id)
        print(banner(root, path, *login, remote=remote), file=out, flush=True)
        app = create_app(
            db,
            token_ttl=token_ttl,
            max_page_size=max_page_size,
            allowed_hosts=None if remote else _allowed_hosts(host, port),
        )
        if faults is not None:
            chaos_line = say(CHAOS_LINE).format(
                rate=f"{faults.rate:.0%}", kinds=", ".join(faults.kinds), seed=faults.seed
            )
            print(chaos_line, file=out, flush=True)
        config = _config(_with_chaos(app, faults), host, port, limits, quiet=False)
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        db.close()


def _config(app: ASGIApp, host: str, port: int, limits: Limits, *, quiet: bool) -> uvicorn.Config:
    """uvicorn's configuration of a sandbox server (``quiet``: leave logging alone)."""
    options: dict[str, Any] = (
        {"log_config": None, "log_level": "warning", "access_log": False}
        if quiet
        else {"log_level": "info"}
    )
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=bounded_h11(limits=limits),
        lifespan="off",
        **options,
    )


def _chaos(
    chaos: float | str | Chaos | None, seed: int | None, *, allow_remote: bool
) -> Chaos | None:
    """The chaos asked for, or None; SandboxError (one line) for a bad one, or with
    ``allow_remote``."""
    if chaos is None:
        return None
    if allow_remote:
        raise SandboxError(
            N_(
                "chaos mode is refused with --allow-remote (allow_remote=True): "
                "faults are for a sandbox on this machine only"
            )
        )
    try:
        return Chaos.from_option(chaos, seed)
    except ValueError as exc:
        raise SandboxError(N_("--chaos: {reason}"), reason=exc) from exc


def _with_chaos(app: ASGIApp, chaos: Chaos | None) -> ASGIApp:
    return app if chaos is None else ChaosMiddleware(app, chaos)


def _allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a loopback server answers: the loopback names and ``host``."""
    return loopback_hosts(port) | {f"{_url_host(host)}:{port}".lower()}


def _is_loopback(sock: socket.socket) -> bool:
    address = sock.getsockname()[0].split("%")[0]
    return ipaddress.ip_address(address).is_loopback


def _listen(host: str, port: int, *, allow_remote: bool) -> socket.socket:
    """A TCP socket listening on ``host:port`` (port 0: a free one), ready for uvicorn.

    Raises :class:`SandboxError` for a port out of range or in use, a host that does not
    resolve, and a host other machines can reach unless ``allow_remote``.
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise SandboxError(
            N_("port {port!r} is out of range (0 to 65535; 0 picks a free one)"), port=port
        )
    try:
        family, _, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )[0]
    except (OSError, UnicodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SandboxError(
            N_("cannot listen on {host!r}: {reason}"), host=host, reason=reason
        ) from exc
    ip = str(address[0]).split("%")[0]
    if not ipaddress.ip_address(ip).is_loopback and not allow_remote:
        raise SandboxError(
            N_(
                "refusing to listen on {host} ({ip}), which other machines can reach: "
                "use 127.0.0.1, or allow it with --allow-remote (allow_remote=True)"
            ),
            host=host,
            ip=ip,
        )
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when
    # the listening socket says so, and without it every answer waits ~40 ms (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, proto or socket.IPPROTO_TCP)
    try:
        if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        # Listening now means that clients may connect as soon as the URLs are printed:
        # they wait in the backlog until uvicorn accepts them.
        sock.listen(_BACKLOG)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise SandboxError(
                N_(
                    "port {port} on {host} is already in use (is another sandbox running? "
                    "choose another with --port)"
                ),
                port=port,
                host=host,
            ) from exc
        raise SandboxError(
            N_("cannot listen on {address}: {reason}"),
            address=f"{_url_host(host)}:{port}",
            reason=exc.strerror,
        ) from exc
    except BaseException:
        sock.close()
        raise
    return sock


class Sandbox:
    """The sandbox served on a free loopback port in a background thread.

    ::

        with Sandbox() as sb:
            httpx.post(sb.auth_url, json={...})

    ``db_path=None`` uses a fresh temporary database, deleted on exit; a given path is
    kept (and reused, with its data, by the next Sandbox on it). ``seed``, ``sizes``,
    ``clients``, ``reset``, ``allow_remote``, ``header_timeout``, ``body_timeout``,
    ``body_min_rate``, ``max_connections`` and ``max_client_connections`` are those of
    :func:`serve` (a non-loopback ``host`` needs ``allow_remote``).
    ``token_ttl`` is the lifetime of access tokens in seconds; ``max_page_size`` caps
    list pages. ``chaos`` and ``chaos_seed`` are :func:`serve`'s: then ``sb.chaos`` is the
    :class:`~tiime.sandbox.chaos.Chaos` in force (its ``rate`` and ``kinds`` may be changed
    while serving, its ``counts`` read), else None. ``start()`` raises
    :class:`SandboxError` as :func:`serve` does.

    Attributes once entered: ``url`` (root), ``base_url`` (``.../v1``), ``auth_url``
    (``.../oauth/token``), ``email``, ``password``, ``company_id``, ``db_path``,
    ``host``, ``port`` and ``db``.
    """

    db_path: Path
    email: str
    company_id: int

    def __init__(
        self,
        db_path: str | Path | None = None,
        clients: int | None = None,
        *,
        seed: str = "demo",
        sizes: Mapping[str, int] | None = None,
        reset: bool = False,
        token_ttl: int = DEFAULT_TOKEN_TTL,
        max_page_size: int | None = None,
        host: str = DEFAULT_HOST,
        port: int = 0,
        allow_remote: bool = False,
        header_timeout: float = DEFAULT_HEADER_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        body_timeout: float = DEFAULT_BODY_TIMEOUT,
        body_min_rate: float = DEFAULT_BODY_MIN_RATE,
        max_client_connections: int = DEFAULT_MAX_CLIENT_CONNECTIONS,
        chaos: float | str | Chaos | None = None,
        chaos_seed: int | None = None,
    ) -> None:
        self.chaos = _chaos(chaos, chaos_seed, allow_remote=allow_remote)
        self.limits = Limits(
            header_timeout=header_timeout,
            body_timeout=body_timeout,
            body_min_rate=body_min_rate,
            max_connections=max_connections,
            max_client_connections=max_client_connections,
        )
        self._given_path = Path(db_path) if db_path is not None else None
        self.seed = seed
        self.sizes = _sizes(clients, sizes)
        self.reset = reset
        self.token_ttl = token_ttl
        self.max_page_size = max_page_size
        self.host = host
        self.port = port
        self._requested_port = port
        self.allow_remote = allow_remote
        self.password = DEMO_PASSWORD
        self._tmpdir: str | None = None
        self._db: Database | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._error: BaseException | None = None

    # -- lifecycle --------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Open (or create and seed) the database and start serving; returns once ready."""
        if self._thread is not None:
            raise RuntimeError("this Sandbox is already running")
        try:
            self._socket = _listen(self.host, self._requested_port, allow_remote=self.allow_remote)
            if self._given_path is None:
                self._tmpdir = tempfile.mkdtemp(prefix="tiime-sandbox-")
                self.db_path = Path(self._tmpdir) / "sandbox.db"
            else:
                self.db_path = self._given_path
            self._db = _open_seeded(self.db_path, self.seed, self.sizes, reset=self.reset)
            account = demo_account(self._db)
            self.email = account.email
            self.company_id = account.company_id
            self._start_server()
        except BaseException:
            self.stop()
            raise

    def _start_server(self) -> None:
        assert self._db is not None
        assert self._socket is not None
        self.port = self._socket.getsockname()[1]
        remote = not _is_loopback(self._socket)
        app = create_app(
            self._db,
            token_ttl=self.token_ttl,
            max_page_size=self.max_page_size,
            allowed_hosts=None if remote else _allowed_hosts(self.host, self.port),
        )
        config = _config(
            _with_chaos(app, self.chaos), self.host, self.port, self.limits, quiet=True
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._run, name=f"tiime-sandbox-{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start") from self._error
            time.sleep(0.005)

    def _run(self) -> None:
        assert self._server is not None
        assert self._socket is not None
        try:
            self._server.run(sockets=[self._socket])
        except BaseException as exc:  # reported by start() when it happens before ready
            self._error = exc

    def stop(self) -> None:
        """Stop serving, close the database and delete it if it was temporary."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
        if self._socket is not None:
            self._socket.close()
        if self._db is not None:
            self._db.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
        self._server = self._thread = self._socket = self._db = None
        self._tmpdir = None

    # -- URLs -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server's root, ``http://127.0.0.1:PORT``."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base URL to give the SDK (``.../v1``)."""
        return f"{self.url}/v1"

    @property
    def auth_url(self) -> str:
        """The token endpoint to give the SDK (``.../oauth/token``)."""
        return f"{self.url}/oauth/token"

    @property
    def db(self) -> Database:
        """The running sandbox's database."""
        if self._db is None:
            raise RuntimeError("the Sandbox is not running")
        return self._db

    # -- helpers for tests ------------------------------------------------------------

    def _user(self, email: str) -> Row:
        found = auth.user_by_email(self.db, email)
        if found is None:
            raise ValueError(f"no sandbox user with the email {email!r}")
        return found

    def issue_token(self, email: str | None = None, expires_in: int | None = None) -> str:
        """An access token for a user (the demo user by default), valid ``expires_in``
        seconds (the sandbox's ``token_ttl`` by default; negative for an expired one)."""
        return auth.issue_access_token(
            self.db,
            self._user(email or self.email),
            self.token_ttl if expires_in is None else expires_in,
        )

    def add_user(
        self,
        email: str,
        password: str,
        company_name: str,
        *,
        clients: int = 0,
        sizes: Mapping[str, int] | None = None,
    ) -> int:
        """Add a user with their own company (with ``sizes`` demo items, ``clients`` demo
        clients, none by default); returns the company's id. Raises ValueError when the
        email is taken."""
        return create_account(self.db, email, password, company_name, sizes=_sizes(clients, sizes))

    def add_company(
        self,
        email: str,
        company_name: str,
        *,
        clients: int = 0,
        sizes: Mapping[str, int] | None = None,
    ) -> int:
        """Give an existing user one more company (with ``sizes`` demo items, ``clients``
        demo clients); returns its id."""
        with self.db.transaction():
            user_id: int = self._user(email)["id"]
            company_id = companies.create_company(self.db, company_name)
            companies.add_membership(self.db, user_id, company_id)
            seed_company(self.db, company_id, _sizes(clients, sizes))
        return company_id
