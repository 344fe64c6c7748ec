"""``tiime mcp``: serve the Model Context Protocol server (stdio, or HTTP on 127.0.0.1)."""

from __future__ import annotations

import argparse
import os
import sys

from ...i18n import _
from .._errors import EXIT_OK, UsageError, missing_extra
from .._parser import Registrar, port

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .._session import Session

DEFAULT_PORT = 8788


def register(registrar: Registrar) -> None:
    parser = registrar.command(
        "mcp",
        serve,
        description=_(
            "Serve the books to an AI assistant over the Model Context Protocol: read-only "
            "tools, and with --allow-writes previews and commits. Over stdio by default "
            "(what desktop assistants launch); see AGENTS.md in the package."
        ),
        output=False,
    )
    parser.add_argument(
        "--company",
        action="append",
        default=[],
        metavar="ID|NAME",
        help=_(
            "a company to serve, or several separated by commas; may be repeated (default: "
            "the current company)"
        ),
    )
    parser.add_argument(
        "--all-companies",
        action="store_true",
        help=_("serve every company of the user (default: off)"),
    )
    parser.add_argument(
        "--allow-writes",
        nargs="?",
        const="",
        metavar="ID|NAME,...",
        help=_(
            "offer the write tools: preview then commit a draft invoice or an imputation; "
            "on the companies given only, if any (default: read-only)"
        ),
    )
    parser.add_argument(
        "--allow-bulk",
        action="store_true",
        help=_(
            "with --allow-writes, also offer imputing several transactions in one commit "
            "(default: off)"
        ),
    )
    parser.add_argument(
        "--allow-send",
        action="store_true",
        help=_("with --allow-writes, also offer e-mailing an invoice (default: off)"),
    )
    parser.add_argument(
        "--upload-dir",
        metavar="DIR",
        help=_(
            "with --allow-writes, the directory files are uploaded from, and below "
            "(default: the current directory)"
        ),
    )
    parser.add_argument(
        "--http",
        action="store_true",
        help=_(
            "serve the streamable HTTP transport on 127.0.0.1 instead of stdio; a token is "
            "printed once on stderr (default: stdio)"
        ),
    )
    parser.add_argument(
        "--port",
        type=port,
        help=_("with --http, the TCP port (default: {DEFAULT_PORT})").format(
            DEFAULT_PORT=DEFAULT_PORT
        ),
    )


def options_of(args: argparse.Namespace) -> Any:
    """The server's :class:`tiime.mcp.Options` from the command line (usage errors first)."""
    allow_writes = args.allow_writes is not None
    writable = [part.strip() for part in (args.allow_writes or "").split(",") if part.strip()]
    companies = [part.strip() for given in args.company for part in given.split(",")]
    if args.company and not all(companies):
        raise UsageError(_("--company needs company ids or names, separated by commas"))
    if args.allow_send and not allow_writes:
        raise UsageError(_("--allow-send needs --allow-writes"))
    if args.allow_bulk and not allow_writes:
        raise UsageError(_("--allow-bulk needs --allow-writes"))
    if args.upload_dir is not None and not allow_writes:
        raise UsageError(_("--upload-dir needs --allow-writes"))
    if args.upload_dir is not None and not os.path.isdir(args.upload_dir):
        raise UsageError(
            _("--upload-dir: {upload_dir!r} is not a directory").format(upload_dir=args.upload_dir)
        )
    if args.port is not None and not args.http:
        raise UsageError(_("--port needs --http"))
    if args.company and args.all_companies:
        raise UsageError(_("give --company or --all-companies, not both"))
    try:
        from ...mcp import Options
    except ImportError as exc:
        raise missing_extra("mcp", exc.name or "mcp") from None
    return Options(
        companies=tuple(companies),
        all_companies=args.all_companies,
        allow_writes=allow_writes,
        write_companies=tuple(writable),
        allow_send=args.allow_send,
        allow_bulk=args.allow_bulk,
        upload_dir=args.upload_dir,
    )


def serve(session: Session, args: argparse.Namespace) -> int:
    options = options_of(args)
    import anyio

    from ...mcp import build_server
    from ...mcp.transports import new_token, serve_http, serve_stdio

    async def main() -> None:
        async with session.async_client() as client:
            server = build_server(client, options)
            if not args.http:
                await serve_stdio(server)
                return
            token = new_token()

            def ready(port: int) -> None:
                sys.stderr.write(
                    _("tiime mcp: serving http://127.0.0.1:{port}/mcp").format(port=port)
                    + "\n"
                    + _(
                        "tiime mcp: send the header 'Authorization: Bearer {token}' "
                        "(printed once, valid until this server stops)"
                    ).format(token=token)
                    + "\n"
                )
                sys.stderr.flush()

            await serve_http(server, port=args.port or DEFAULT_PORT, token=token, ready=ready)

    anyio.run(main)
    return EXIT_OK
