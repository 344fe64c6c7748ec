"""Running the sandbox: :func:`serve` in the foreground, :class:`Sandbox` in a thread."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

import platformdirs
import uvicorn

from . import tokens
from .app import DEFAULT_TOKEN_TTL, create_app
from .seed import DEMO_PASSWORD, create_account, demo_account, seed_clients, seed_if_new
from .store import Store

__all__ = ["DEFAULT_PORT", "Sandbox", "default_db_path", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
_START_TIMEOUT = 10.0
_BACKLOG = 2048


def default_db_path() -> Path:
    """Where :func:`serve` keeps its database unless told: the user's data directory."""
    return Path(platformdirs.user_data_dir("tiime")) / "sandbox.db"


def _open_store(db_path: Path, clients: int | None) -> Store:
    store = Store(db_path)
    try:
        seed_if_new(store, clients)
    except BaseException:
        store.close()
        raise
    return store


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    db_path: str | Path | None = None,
    clients: int | None = None,
    *,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    max_page_size: int | None = None,
    out: TextIO | None = None,
) -> None:
    """Serve the sandbox in the foreground until interrupted (Ctrl-C).

    The database is ``db_path`` (by default ``sandbox.db`` in the user's data directory),
    seeded with the demo data (``clients`` demo clients, 36 by default) when new; an
    existing database keeps its data. ``port=0`` picks a free port. Prints the URLs, the
    demo login and the ``export`` lines that point the SDK and the CLI at the sandbox;
    returns quietly on Ctrl-C. Raises OSError when the port cannot be bound.
    """
    out = out or sys.stdout
    path = Path(db_path) if db_path is not None else default_db_path()
    store = _open_store(path, clients)
    sock: socket.socket | None = None
    try:
        sock = _bind(host, port)  # before printing anything: a port in use fails here
        port = sock.getsockname()[1]
        account = demo_account(store)
        root = f"http://{_url_host(host)}:{port}"
        print(
            f"Tiime sandbox on {root}\n"
            f"  database:   {path}\n"
            f"  base URL:   {root}/v1\n"
            f"  auth URL:   {root}/oauth/token\n"
            f"  email:      {account.email}\n"
            f"  password:   {account.password}\n"
            f"  company id: {account.company_id}\n"
            "\n"
            f"export TIIME_BASE_URL={root}/v1\n"
            f"export TIIME_AUTH_URL={root}/oauth/token\n"
            "\n"
            "Press Ctrl-C to stop.",
            file=out,
            flush=True,
        )
        app = create_app(store, token_ttl=token_ttl, max_page_size=max_page_size)
        config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="off")
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        if sock is not None:
            sock.close()
        store.close()


def _bind(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port`` (port 0: a free one), ready for uvicorn."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when
    # the listening socket says so, and without it every answer waits ~40 ms (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if os.name != "nt":  # on Windows SO_REUSEADDR would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Listening now means that clients may connect as soon as the URLs are printed:
        # they wait in the backlog until uvicorn accepts them.
        sock.listen(_BACKLOG)
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
    kept (and reused, with its data, by the next Sandbox on it). ``clients`` is the number
    of demo clients seeded into a new database (36 by default). ``token_ttl`` is the
    lifetime of access tokens in seconds; ``max_page_size`` caps list pages.

    Attributes once entered: ``url`` (root), ``base_url`` (``.../v1``), ``auth_url``
    (``.../oauth/token``), ``email``, ``password``, ``company_id``, ``db_path``,
    ``host``, ``port`` and ``store``.
    """

    db_path: Path
    email: str
    company_id: int

    def __init__(
        self,
        db_path: str | Path | None = None,
        clients: int | None = None,
        *,
        token_ttl: int = DEFAULT_TOKEN_TTL,
        max_page_size: int | None = None,
        host: str = DEFAULT_HOST,
        port: int = 0,
    ) -> None:
        self._given_path = Path(db_path) if db_path is not None else None
        self.clients = clients
        self.token_ttl = token_ttl
        self.max_page_size = max_page_size
        self.host = host
        self.port = port
        self._requested_port = port
        self.password = DEMO_PASSWORD
        self._tmpdir: str | None = None
        self._store: Store | None = None
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
            if self._given_path is None:
                self._tmpdir = tempfile.mkdtemp(prefix="tiime-sandbox-")
                self.db_path = Path(self._tmpdir) / "sandbox.db"
            else:
                self.db_path = self._given_path
            self._store = _open_store(self.db_path, self.clients)
            account = demo_account(self._store)
            self.email = account.email
            self.company_id = account.company_id
            self._start_server()
        except BaseException:
            self.stop()
            raise

    def _start_server(self) -> None:
        assert self._store is not None
        self._socket = _bind(self.host, self._requested_port)
        self.port = self._socket.getsockname()[1]
        app = create_app(self._store, token_ttl=self.token_ttl, max_page_size=self.max_page_size)
        config = uvicorn.Config(
            app,
            host=self.host,
            port=self.port,
            log_config=None,  # leave the host program's logging alone
            log_level="warning",
            access_log=False,
            lifespan="off",
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
        if self._store is not None:
            self._store.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
        self._server = self._thread = self._socket = self._store = None
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
    def store(self) -> Store:
        """The running sandbox's database."""
        if self._store is None:
            raise RuntimeError("the Sandbox is not running")
        return self._store

    # -- helpers for tests ------------------------------------------------------------

    def issue_token(self, email: str | None = None, expires_in: int | None = None) -> str:
        """An access token for a user (the demo user by default), valid ``expires_in``
        seconds (the sandbox's ``token_ttl`` by default; negative for an expired one)."""
        user = self.store.user_by_email(email or self.email)
        if user is None:
            raise ValueError(f"no sandbox user with the email {email!r}")
        return tokens.issue_token(
            self.store.jwt_secret,
            user_id=user["id"],
            email=user["email"],
            expires_in=self.token_ttl if expires_in is None else expires_in,
        )

    def add_user(self, email: str, password: str, company_name: str, *, clients: int = 0) -> int:
        """Add a user with their own company (and ``clients`` demo clients in it); returns
        the company's id. Raises ValueError when the email is taken."""
        return create_account(self.store, email, password, company_name, clients=clients)

    def add_company(self, email: str, company_name: str, *, clients: int = 0) -> int:
        """Give an existing user one more company; returns its id."""
        user = self.store.user_by_email(email)
        if user is None:
            raise ValueError(f"no sandbox user with the email {email!r}")
        with self.store.transaction():
            company_id = self.store.create_company(company_name)
            self.store.add_membership(user["id"], company_id)
            if clients:
                seed_clients(self.store, company_id, clients)
        return company_id
