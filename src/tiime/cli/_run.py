"""Running a parsed command: the handlers, and how failures become one line and an exit code."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..types import Client, Company, Contact
from ._output import default_format, emit
from ._session import Session, sandbox_db_path, sandbox_requested

Handler = Callable[[Session, argparse.Namespace, str], int]
HANDLERS: dict[tuple[str, str | None], Handler] = {}

EXIT_OK, EXIT_API, EXIT_USAGE = 0, 1, 2


def handles(group: str, command: str | None = None) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[(group, command)] = handler
        return handler

    return register


class UsageError(Exception):
    """A command used the wrong way: exit code 2."""


def fail(message: str, code: int) -> int:
    sys.stderr.write(f"tiime: error: {message}\n")
    return code


def run(args: argparse.Namespace) -> int:
    """Dispatch ``args`` to its handler; expected failures become one line on stderr."""
    from .. import _exceptions as E

    fmt = getattr(args, "format", None) or default_format()
    handler = HANDLERS[(args.group, getattr(args, "command", None))]
    session = Session(
        sandbox=sandbox_requested(getattr(args, "sandbox", False)),
        verbose=getattr(args, "verbose", False),
    )
    try:
        with session:
            return handler(session, args, fmt)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    except E.ValidationError as exc:
        # Refused before sending (status None) is the user's input: a usage error.
        return fail(_describe(exc), EXIT_USAGE if exc.status is None else EXIT_API)
    except E.TiimeError as exc:
        return fail(_describe(exc), EXIT_API)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except BrokenPipeError:  # `tiime clients list | head`
        sys.stderr.close()
        return EXIT_OK


def _describe(exc: Exception) -> str:
    from .. import _exceptions as E

    hints: list[tuple[type[Exception], str]] = [
        (E.APIConnectionError, "check the network, or TIIME_BASE_URL"),
        (E.AuthenticationError, "log in again with `tiime auth login`"),
        (E.NotFoundError, "check the id (`tiime clients list` shows them)"),
        (E.PermissionDeniedError, "`tiime company list` shows the companies you can use"),
    ]
    text = str(exc)
    for cls, hint in hints:
        if isinstance(exc, cls) and hint not in text:
            return f"{text}; {hint}"
    return text


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner on stderr while a long call runs; nothing when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


# -- auth --------------------------------------------------------------------------------


def _read_password() -> str:
    password = os.environ.get("TIIME_PASSWORD")
    if password:
        return password
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    line = sys.stdin.readline().rstrip("\r\n")  # `... | tiime auth login`
    if not line:
        raise UsageError("no password: set TIIME_PASSWORD or type it at the prompt")
    return line


@handles("auth", "login")
def auth_login(session: Session, args: argparse.Namespace, fmt: str) -> int:
    from .._config import StoredLogin, save_login

    if session.sandbox:
        raise UsageError("in sandbox mode you are always the demo user: no login to store")
    email = args.email or os.environ.get("TIIME_EMAIL")
    if not email:
        if not sys.stdin.isatty():
            raise UsageError("no e-mail: pass --email or set TIIME_EMAIL")
        email = input("E-mail: ").strip()
    client = session.client(email=email, password=_read_password(), access_token=None)
    token = client.login()
    company_id = args.company_id
    if company_id is not None:
        # Refuse a company this user cannot reach.
        client.with_options(company_id=company_id).company.get()
    else:
        companies = client.list_companies()
        company_id = companies[0].id if len(companies) == 1 else None
    path = save_login(
        StoredLogin(
            base_url=client.base_url,
            auth_url=client.auth_url,
            token=token,
            email=email,
            company_id=company_id,
        )
    )
    sys.stderr.write(f"Logged in as {email}; login stored in {path} (readable by you alone).\n")
    if company_id is None:
        sys.stderr.write("Choose a company: `tiime company list`, then `tiime company use ID`.\n")
    else:
        sys.stderr.write(f"Company: {company_id}.\n")
    return EXIT_OK


@handles("auth", "logout")
def auth_logout(session: Session, args: argparse.Namespace, fmt: str) -> int:
    from .._config import delete_login, login_path

    if session.sandbox:
        raise UsageError("in sandbox mode there is no stored login to forget")
    if delete_login():
        sys.stderr.write(f"Logged out: removed {login_path()}.\n")
    else:
        sys.stderr.write("Not logged in: there was no stored login.\n")
    return EXIT_OK


def _expiry(expires_at: float | None) -> str | None:
    if expires_at is None:
        return None
    left = int(expires_at - time.time())
    when = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(expires_at))
    if left <= 0:
        return f"{when} (expired)"
    return f"{when} (in {left // 3600} h {left % 3600 // 60:02d} min)"


@handles("auth", "status")
def auth_status(session: Session, args: argparse.Namespace, fmt: str) -> int:
    from .._config import load_login, login_path

    if session.sandbox:
        client = session.client()
        token = client.login()
        status: dict[str, Any] = {
            "mode": "sandbox",
            "email": client.email,
            "base_url": client.base_url,
            "company_id": client.company_id,
            "token_expires": _expiry(token.expires_at),
        }
        emit(status, fmt)
        return EXIT_OK
    login = load_login()
    if login is None:
        raise UsageError("not logged in: run `tiime auth login` (or use --sandbox)")
    emit(
        {
            "email": login.email,
            "base_url": login.base_url,
            "company_id": login.company_id,
            "token_expires": _expiry(login.token.expires_at),
            "refresh_token": login.token.refresh_token is not None,
            "login_file": str(login_path()),
        },
        fmt,
    )
    return EXIT_OK


# -- company -----------------------------------------------------------------------------


@handles("company", "list")
def company_list(session: Session, args: argparse.Namespace, fmt: str) -> int:
    emit(session.client().list_companies(), fmt, kind=Company)
    return EXIT_OK


@handles("company", "get")
def company_get(session: Session, args: argparse.Namespace, fmt: str) -> int:
    emit(_company(session.client(), args.id), fmt)
    return EXIT_OK


def _company(client: Any, company_id: int | None) -> Company:
    if company_id is not None:
        client = client.with_options(company_id=company_id)
    company: Company = client.company.get()
    return company


@handles("company", "use")
def company_use(session: Session, args: argparse.Namespace, fmt: str) -> int:
    from .._config import load_login, save_login

    if session.sandbox:
        raise UsageError("in sandbox mode the company is the demo company")
    login = load_login()
    if login is None:
        raise UsageError("not logged in: run `tiime auth login` first (or set TIIME_COMPANY_ID)")
    company = _company(session.client(), args.id)  # checks it exists and is reachable
    login = load_login() or login  # again: the call may have renewed and stored the token
    login.company_id = args.id
    save_login(login)
    sys.stderr.write(f"Now using company {args.id} ({company.name}).\n")
    return EXIT_OK


# -- clients -----------------------------------------------------------------------------


@handles("clients", "list")
def clients_list(session: Session, args: argparse.Namespace, fmt: str) -> int:
    client = session.client()
    with progress("Fetching clients..."):
        clients = client.clients.list(archived=args.archived)
    emit(clients, fmt, kind=Client)
    return EXIT_OK


@handles("clients", "get")
def clients_get(session: Session, args: argparse.Namespace, fmt: str) -> int:
    emit(session.client().clients.get(args.id), fmt)
    return EXIT_OK


@handles("clients", "create")
def clients_create(session: Session, args: argparse.Namespace, fmt: str) -> int:
    created = session.client().clients.create(
        name=args.name,
        email=args.email,
        phone=args.phone,
        address=args.address,
        postal_code=args.postal_code,
        city=args.city,
        country_id=args.country_id,
        siren_or_siret=args.siret,
        professional=args.professional,
    )
    emit(created, fmt)
    return EXIT_OK


@handles("clients", "search")
def clients_search(session: Session, args: argparse.Namespace, fmt: str) -> int:
    client = session.client()
    with progress(f"Searching clients for {args.text!r}..."):
        found = client.clients.search(args.text)
    emit(found, fmt, kind=Client)
    return EXIT_OK


@handles("clients", "contacts")
def clients_contacts(session: Session, args: argparse.Namespace, fmt: str) -> int:
    emit(session.client().clients.contacts(args.id), fmt, kind=Contact)
    return EXIT_OK


# -- sandbox and completion ----------------------------------------------------------------


@handles("sandbox")
def sandbox_serve(session: Session, args: argparse.Namespace, fmt: str) -> int:
    try:
        from ..sandbox import serve
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    db = args.db or (os.environ.get("TIIME_SANDBOX_DB") or None)
    serve(host=args.host, port=args.port, db_path=db or sandbox_db_path(), clients=args.clients)
    return EXIT_OK


@handles("completion")
def completion(session: Session, args: argparse.Namespace, fmt: str) -> int:
    from argcomplete.shell_integration import shellcode

    sys.stdout.write(shellcode(["tiime"], shell=args.shell))
    return EXIT_OK
