"""The command tree. Standard library only, so that ``--help`` and ``--version`` are fast."""

from __future__ import annotations

import argparse
import sys

from .._version import __version__

TYPE_CHECKING = False  # typing is not imported at run time: start-up speed
if TYPE_CHECKING:
    from typing import Any, NoReturn

FORMATS = ("table", "json", "csv")


class Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line on stderr and exit code 2.

    The line starts ``tiime: error:`` whichever subcommand failed, like every other error.
    """

    def error(self, message: str) -> NoReturn:
        program = self.prog.split(" ", 1)[0]
        sys.stderr.write(f"{program}: error: {message} (see '{self.prog} --help')\n")
        sys.exit(2)


def _common() -> argparse.ArgumentParser:
    """Options accepted before or after the command (``tiime --sandbox clients list``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--format",
        choices=FORMATS,
        default=argparse.SUPPRESS,
        help="output format (default: table on a terminal, json when piped)",
    )
    common.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help="run against the local sandbox, logged in as its demo user (or TIIME_SANDBOX=1)",
    )
    common.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the HTTP exchanges on stderr (secrets redacted)",
    )
    return common


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return value


def build_parser() -> Parser:
    common = _common()
    parser = Parser(
        prog="tiime",
        description="Drive your Tiime books from the terminal: clients, companies, login.",
        epilog="New here? `tiime --sandbox clients list` runs against a local sandbox.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"tiime {__version__}")
    groups = parser.add_subparsers(dest="group", metavar="COMMAND", parser_class=Parser)
    groups.required = True

    def command(sub: Any, name: str, help: str, **kwargs: Any) -> argparse.ArgumentParser:
        cmd: argparse.ArgumentParser = sub.add_parser(
            name, help=help, description=help, parents=[common], **kwargs
        )
        return cmd

    # tiime auth ...
    auth = command(groups, "auth", "log in, log out, show who is logged in")
    auth_cmds = auth.add_subparsers(dest="command", metavar="ACTION", parser_class=Parser)
    auth_cmds.required = True
    login = command(auth_cmds, "login", "log in and store the token (never the password)")
    login.add_argument("--email", help="the account's e-mail (default: TIIME_EMAIL, or asked)")
    login.add_argument(
        "--company-id", type=_positive_int, help="the company to use (default: the only one)"
    )
    command(auth_cmds, "logout", "forget the stored login")
    command(auth_cmds, "status", "who is logged in, which company, when the token expires")

    # tiime company ...
    company = command(groups, "company", "list the companies, choose the one to act on")
    company_cmds = company.add_subparsers(dest="command", metavar="ACTION", parser_class=Parser)
    company_cmds.required = True
    command(company_cmds, "list", "the companies this user can act on")
    use = command(company_cmds, "use", "act on this company from now on")
    use.add_argument("id", type=_positive_int, metavar="ID")
    get = command(company_cmds, "get", "a company's details (default: the current one)")
    get.add_argument("id", type=_positive_int, nargs="?", metavar="ID")

    # tiime clients ...
    clients = command(groups, "clients", "list, show, create and search clients")
    client_cmds = clients.add_subparsers(dest="command", metavar="ACTION", parser_class=Parser)
    client_cmds.required = True
    listing = command(client_cmds, "list", "the company's clients")
    state = listing.add_mutually_exclusive_group()
    state.add_argument("--archived", dest="archived", action="store_const", const=True)
    state.add_argument("--active", dest="archived", action="store_const", const=False)
    show = command(client_cmds, "get", "one client")
    show.add_argument("id", type=_positive_int, metavar="ID")
    create = command(client_cmds, "create", "create a client")
    create.add_argument("--name", required=True)
    create.add_argument("--email")
    create.add_argument("--phone")
    create.add_argument("--address")
    create.add_argument("--postal-code")
    create.add_argument("--city")
    create.add_argument("--country-id", type=_positive_int, help="Tiime's id (France: 75)")
    create.add_argument("--siret", help="SIRET (14 digits) or SIREN (9 digits); spaces allowed")
    kind = create.add_mutually_exclusive_group()
    kind.add_argument("--professional", dest="professional", action="store_const", const=True)
    kind.add_argument("--individual", dest="professional", action="store_const", const=False)
    search = command(client_cmds, "search", "clients whose name matches TEXT")
    search.add_argument("text", metavar="TEXT")
    contacts = command(client_cmds, "contacts", "a client's contacts")
    contacts.add_argument("id", type=_positive_int, metavar="ID")

    # tiime sandbox
    sandbox = groups.add_parser(
        "sandbox",
        help="serve the local sandbox in the foreground",
        description="Serve a local emulator of the Tiime API, with demo data.",
    )
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8787)
    sandbox.add_argument("--db", help="the SQLite database (default: in the user data directory)")
    sandbox.add_argument("--clients", type=_positive_int, help="demo clients to seed a new db")

    # tiime completion
    completion = groups.add_parser(
        "completion",
        help="print the shell completion script",
        description='Print a completion script: eval "$(tiime completion bash)".',
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish", "tcsh"))
    return parser
