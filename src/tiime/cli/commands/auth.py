"""``tiime auth login|logout|status``: the logins stored per API base URL."""

from __future__ import annotations

import argparse
import os
import sys

from ...i18n import _
from .._errors import EXIT_OK, CommandError, UsageError
from .._parser import Registrar, no_files, positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._session import Session


def register(registrar: Registrar) -> None:
    group = registrar.group("auth")
    login = group.command("login", _("log in and store the token (never the password)"), login_)
    login.add_argument(
        "--email", help=_("the account's e-mail (default: TIIME_EMAIL, else asked on a terminal)")
    )
    company = login.add_argument(
        "--company-id",
        type=positive_int,
        metavar="ID",
        help=_("the company to act on (default: the user's only company, if just one)"),
    )
    company.completer = no_files  # type: ignore[attr-defined]
    secret = login.add_mutually_exclusive_group()
    secret.add_argument(
        "--password",
        help=_(
            "accepted for scripts of the reference CLI, with a warning: it lands in the "
            "shell's history and in `ps` (default: TIIME_PASSWORD, else --password-stdin's "
            "line, else asked)"
        ),
    )
    secret.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from the first line of stdin (default: off)"),
    )
    group.command("logout", _("forget the stored login of the API in use"), logout)
    group.command(
        "status", _("who is logged in, to which API and company, when the token expires"), status
    )


def not_logged_in(base_url: str) -> CommandError:
    """The error of every command that needs a stored login and finds none (exit code 1)."""
    from ..._config import load_logins

    others = [login.base_url for login in load_logins() if login.base_url != base_url]
    if others:
        return CommandError(
            _(
                "not logged in to {base_url}; you are logged in to {others}: set "
                "TIIME_BASE_URL={others}, or run `tiime auth login`"
            ).format(base_url=base_url, others=others[0])
        )
    return CommandError(
        _("not logged in to {base_url}: run `tiime auth login` (or use --sandbox)").format(
            base_url=base_url
        )
    )


def _read_password(args: argparse.Namespace | None = None) -> str:
    import getpass

    if args is not None and getattr(args, "password", None):
        sys.stderr.write(
            _(
                "tiime: warning: --password is kept in your shell's history and shown by `ps`; "
                "prefer --password-stdin, TIIME_PASSWORD or the prompt"
            )
            + "\n"
        )
        return str(args.password)
    if args is not None and getattr(args, "password_stdin", False):
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UsageError(_("--password-stdin: stdin holds no password"))
        return line
    password = os.environ.get("TIIME_PASSWORD")
    if password:
        return password
    if sys.stdin.isatty():
        return getpass.getpass(_("Password: "))
    line = sys.stdin.readline().rstrip("\r\n")  # `... | tiime auth login`
    if not line:
        raise UsageError(_("no password: set TIIME_PASSWORD or type it at the prompt"))
    return line


def _set_aside_a_damaged_file() -> bool:
    """Set the stored logins' file aside if it is damaged, saying so; whether it was."""
    from ..._config import login_path, repair_login_file

    repaired = repair_login_file()
    if repaired is None:
        return False
    aside, reason = repaired
    sys.stderr.write(
        _(
            "tiime: the stored logins' file {value} could not be read ({reason}): kept "
            "aside as {aside}; the logins it held are forgotten."
        ).format(value=login_path(), reason=reason, aside=aside)
        + "\n"
    )
    return True


def login_(session: Session, args: argparse.Namespace) -> int:
    from ..._config import StoredLogin, save_login

    if session.sandbox:
        raise UsageError(_("in sandbox mode you are always the demo user: no login to store"))
    _set_aside_a_damaged_file()  # the way out of a damaged file: log in again
    email = args.email or os.environ.get("TIIME_EMAIL")
    if not email:
        if not sys.stdin.isatty():
            raise UsageError(_("no e-mail: pass --email or set TIIME_EMAIL"))
        email = input(_("E-mail: ")).strip()
    client = session.client(email=email, password=_read_password(args), access_token=None)
    token = client.login()
    company_id = args.company_id
    if company_id is not None:
        # Refuse a company this user cannot reach.
        client.with_options(company_id=company_id).company.get()
    else:
        companies = client.list_companies()
        company_id = companies[0].id if len(companies) == 1 else None
    login = StoredLogin(
        base_url=client.base_url,
        auth_url=client.auth_url,
        token=token,
        email=email,
        company_id=company_id,
    )
    path = save_login(login)
    sys.stderr.write(
        _(
            "Logged in to {base_url} as {email}; login stored in {path} (readable by you alone)."
        ).format(base_url=client.base_url, email=email, path=path)
        + "\n"
    )
    if company_id is None:
        sys.stderr.write(
            _("Choose a company: `tiime company list`, then `tiime company use ID`.") + "\n"
        )
    else:
        sys.stderr.write(_("Company: {company_id}.").format(company_id=company_id) + "\n")
    return EXIT_OK


def logout(session: Session, args: argparse.Namespace) -> int:
    from ..._config import delete_login, login_path

    if session.sandbox:
        raise UsageError(_("in sandbox mode there is no stored login to forget"))
    base_url = session.base_url()
    if _set_aside_a_damaged_file():  # always works, whatever the file holds
        sys.stderr.write(
            _("Logged out of {base_url}: `tiime auth login` to log in again.").format(
                base_url=base_url
            )
            + "\n"
        )
    elif delete_login(base_url):
        sys.stderr.write(
            _("Logged out of {base_url}: its login is removed from {value}.").format(
                base_url=base_url, value=login_path()
            )
            + "\n"
        )
    else:
        sys.stderr.write(
            _("Not logged in to {base_url}: there was no stored login.").format(base_url=base_url)
            + "\n"
        )
    return EXIT_OK


def _expiry(expires_at: float | None) -> dict[str, Any]:
    """``expires_at`` as an ISO 8601 timestamp (local time, with its offset)."""
    import datetime as dt
    import time

    if expires_at is None:
        return {"token_expires_at": None, "token_expired": None}
    when = dt.datetime.fromtimestamp(expires_at).astimezone()
    return {
        "token_expires_at": when.isoformat(timespec="seconds"),
        "token_expired": expires_at <= time.time(),
    }


def status(session: Session, args: argparse.Namespace) -> int:
    from ..._config import check_login_file, load_login, login_path, stored_company

    if session.sandbox:
        client = session.client()
        token = client.login()
        session.output.one(
            {
                "mode": "sandbox",
                "email": client.email,
                "base_url": client.base_url,
                "company_id": client.company_id,
                **_expiry(token.expires_at),
            }
        )
        return EXIT_OK
    base_url = session.base_url()
    check_login_file()  # a damaged file is said so, not taken for "not logged in"
    login = load_login(base_url)
    if login is None:
        raise not_logged_in(base_url)
    session.output.one(
        {
            "email": login.email,
            "base_url": login.base_url,
            "company_id": stored_company(base_url),
            **_expiry(login.token.expires_at),
            "refresh_token": login.token.refresh_token is not None,
            "login_file": str(login_path()),
        }
    )
    return EXIT_OK
