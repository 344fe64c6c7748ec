"""``tiime sandbox``: serve the local emulator of the API in the foreground."""

from __future__ import annotations

import argparse
import os

from ...i18n import _
from .._errors import EXIT_OK, CommandError, UsageError
from .._parser import FORMATS, Registrar, port, positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._session import Session


def register(registrar: Registrar) -> None:
    parser = registrar.command(
        "sandbox",
        serve,
        description=_("Serve a local emulator of the Tiime API, with demo data."),
        output=False,
        connection=False,
    )
    # For `sandbox outbox` alone (`--format json`), left out of the help of the server.
    parser.add_argument(
        "--format", choices=FORMATS, default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    parser.add_argument(
        "action",
        nargs="?",
        choices=("outbox",),
        help=_(
            "outbox: print the e-mails that `invoices send` and `quotations send` recorded "
            "in the database instead of sending them (--format json for JSON) (default: serve)"
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("the address to listen on (default: 127.0.0.1)")
    )
    parser.add_argument(
        "--port", type=port, default=8787, help=_("the TCP port to listen on (default: 8787)")
    )
    parser.add_argument(
        "--db",
        help=_(
            "the SQLite database (default: TIIME_SANDBOX_DB, else sandbox.db in the user "
            "data directory)"
        ),
    )
    parser.add_argument(
        "--clients",
        type=_seed_count,
        help=_(
            "demo clients in the demo company: a new database is seeded with them, an "
            "existing one topped up to them (default: 36 for a new database)"
        ),
    )
    parser.add_argument(
        "--seed",
        choices=("demo", "empty", "firm"),
        default="demo",
        help=_(
            "the data a new (or reset) database starts with: demo (the demo company and a "
            "second, small one), firm (an accounting firm's forty small companies) or empty "
            "(default: demo)"
        ),
    )
    parser.add_argument(
        "--size",
        action="append",
        default=[],
        metavar="RESOURCE=N",
        type=_size,
        help=_(
            "seed (or top up) N items of a resource in the demo company, e.g. "
            "clients=20000; may be repeated (default: the profile's sizes)"
        ),
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help=_("delete the database and start again from the seed profile (default: keep it)"),
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=_(
            "allow listening on a non-loopback address (default: loopback only); anyone who "
            "reaches it can log in as the demo user"
        ),
    )
    parser.add_argument(
        "--chaos",
        type=_chaos,
        metavar="RATE[,KIND...]",
        help=_(
            "inject faults into RATE of the requests (0.1 or 10%%), of the KINDs named "
            "(default: all of error-before, error-after, rate-limit, drop-before, "
            "drop-after, slow, truncate, page-cap, insert); refused with --allow-remote "
            "(default: off)"
        ),
    )
    parser.add_argument(
        "--chaos-seed",
        type=int,
        metavar="N",
        help=_(
            "the seed of the chaos draws: the same requests meet the same faults (default: "
            "a random one)"
        ),
    )


# The most items of a resource one run seeds (as ``python -m tiime.sandbox``: 9 digits).
MAX_SEED_SIZE = 999_999_999


def _seed_count(text: str) -> int:
    """An argparse type: how many items to seed, 1 to :data:`MAX_SEED_SIZE`."""
    value = positive_int(text)
    if value > MAX_SEED_SIZE:
        raise argparse.ArgumentTypeError(
            _("at most {MAX_SEED_SIZE:,} items, not {text!r}").format(
                MAX_SEED_SIZE=MAX_SEED_SIZE, text=text
            )
        )
    return value


def _size(text: str) -> tuple[str, int]:
    """An argparse type: ``RESOURCE=N``, N from 0 to :data:`MAX_SEED_SIZE`."""
    name, sep, count = text.partition("=")
    if not sep or not name.strip() or not count.strip().isdigit():
        raise argparse.ArgumentTypeError(
            _("expected RESOURCE=N (e.g. clients=200), not {text!r}").format(text=text)
        )
    if len(count.strip()) > len(str(MAX_SEED_SIZE)) or int(count) > MAX_SEED_SIZE:
        raise argparse.ArgumentTypeError(
            _("at most {MAX_SEED_SIZE:,} items, not {text!r}").format(
                MAX_SEED_SIZE=MAX_SEED_SIZE, text=text
            )
        )
    return name.strip(), int(count)


def _chaos(text: str) -> str:
    """An argparse type: ``RATE[,KIND...]`` of ``--chaos``, checked when the sandbox extra
    is there (without it, the command says the extra is missing)."""
    try:
        from ...sandbox.chaos import parse_chaos
    except ImportError:
        return text
    try:
        parse_chaos(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def serve(session: Session, args: argparse.Namespace) -> int:
    from .._session import (
        describe_sandbox_failure,
        import_sandbox,
        sandbox_db_path,
        sandbox_failure,
    )

    if args.chaos is not None and args.allow_remote:
        raise UsageError(
            _("--chaos is refused with --allow-remote: faults are for a local sandbox")
        )
    if args.chaos_seed is not None and args.chaos is None:
        raise UsageError(_("--chaos-seed needs --chaos"))
    sandbox = import_sandbox()
    db = args.db or sandbox_db_path()
    if args.action == "outbox":
        return _outbox(session, sandbox, db)
    try:
        sandbox.serve(
            host=args.host,
            port=args.port,
            db_path=db,
            clients=args.clients,
            seed=args.seed,
            sizes=dict(args.size),
            reset=args.reset,
            allow_remote=args.allow_remote,
            chaos=args.chaos,
            chaos_seed=args.chaos_seed,
        )
    except sandbox_failure() as exc:
        raise CommandError(describe_sandbox_failure(exc, db)) from None
    return EXIT_OK


OUTBOX_COLUMNS = ("id", "sent_at", "document_type", "document_number", "recipients", "subject")


def _outbox(session: Session, sandbox: Any, db: str | os.PathLike[str]) -> int:
    """Print the outbox of the sandbox database ``db`` (``GET /sandbox/outbox`` as the
    demo user, on a sandbox started for the purpose)."""
    import httpx
    import msgspec

    from ... import _constants as C

    class Message(msgspec.Struct):
        id: int
        sent_at: str
        document_type: str
        document_id: int
        document_number: str | None
        recipients: list[str]
        subject: str | None
        message: str | None
        attachment: str

    try:
        with sandbox.Sandbox(db_path=db) as sb, httpx.Client(timeout=30.0) as http:
            login = http.post(
                sb.auth_url,
                json={
                    "grant_type": "password",
                    "username": sb.email,
                    "password": sb.password,
                    "client_id": C.AUTH0_CLIENT_ID,
                    "audience": C.AUTH0_AUDIENCE,
                    "scope": C.AUTH0_SCOPE,
                },
            )
            login.raise_for_status()
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            answer = http.get(f"{sb.url}/sandbox/outbox", headers=headers)
            answer.raise_for_status()
    except sandbox.SandboxError as exc:
        raise CommandError(exc.localized()) from None
    except httpx.HTTPError as exc:
        raise CommandError(_("cannot read the sandbox's outbox: {exc}").format(exc=exc)) from None
    messages = msgspec.convert(answer.json(), list[Message])
    session.output.many(messages, kind=Message, columns=OUTBOX_COLUMNS)
    return EXIT_OK
