"""The command tree's frame: the parser class, the shared options and the group builder.

Standard library only, so that ``--help`` and ``--version`` are fast. The commands
themselves are declared by the group modules of :mod:`tiime.cli.commands`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from .._version import __version__
from ..i18n import LANGUAGES, _

TYPE_CHECKING = False  # typing is not imported at run time: start-up speed
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any, NoReturn

    from ._session import Session

    Handler = Callable[[Session, argparse.Namespace], int]

FORMATS = ("table", "json", "csv", "xlsx")
CSV_DIALECTS = ("standard", "excel-fr")


def _invalid_choice() -> re.Pattern[str]:
    """argparse's ``invalid choice: 'x'``, in the language of the messages."""
    template = _("invalid choice: %(value)r (choose from %(choices)s)")
    return re.compile(re.escape(template.split("%(value)r", 1)[0]) + "'([^']*)'")


def _width() -> int:
    """The help's width, as argparse computes it, without importing :mod:`shutil` (and
    its compression modules) to do so: ``$COLUMNS``, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class Parser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line on stderr and exit code 2.

    The line starts ``tiime: error:`` whichever subcommand failed, like every other error;
    a mistyped command gets the nearest one suggested (``did you mean 'clients'?``).
    """

    def error(self, message: str) -> NoReturn:
        program = self.prog.split(" ", 1)[0]
        message = message.replace("\n", " ")
        if message.startswith("argument --"):  # the flag the user typed leads the line
            message = message[len("argument ") :]
        suggestion = self._suggest(message)
        if suggestion:
            message = _("{message}; did you mean '{suggestion}'?").format(
                message=message, suggestion=suggestion
            )
        line = _("{program}: error: {message} (see '{command} --help')").format(
            program=program, message=message, command=self.prog
        )
        sys.stderr.write(line + "\n")
        sys.exit(2)

    def _get_formatter(self) -> argparse.HelpFormatter:
        # Every formatter class used here is a HelpFormatter: it takes a width.
        return self.formatter_class(prog=self.prog, width=_width())  # type: ignore[call-arg]

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """As argparse's, but what the command does not know is refused by the command
        itself, pointing to its own help: ``invoices list: unknown option --bogus (see
        'tiime invoices list --help')`` (argparse alone blames ``tiime`` and its help)."""
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and "_ARGCOMPLETE" not in os.environ:  # completion parses partial lines
            where = self.prog.partition(" ")[2]
            first = extras[0]
            what = (
                _("unknown option {option}").format(option=first.partition("=")[0])
                if first.startswith("-") and first != "-"
                else _("unexpected argument {argument!r}").format(argument=first)
            )
            self.error(
                _("{command}: {problem}").format(command=where, problem=what) if where else what
            )
        return parsed, extras

    def _suggest(self, message: str) -> str | None:
        match = _invalid_choice().search(message)
        if match is None:
            return None
        import difflib

        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                close = difflib.get_close_matches(match.group(1), list(action.choices), n=1)
                return close[0] if close else None
        return None


def _language() -> argparse.ArgumentParser:
    """The language of messages: an option of every command (main() reads it before the
    parser is built; the parser only checks and documents it)."""
    common = Parser(add_help=False)
    common.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_(
            "the language of messages and tables: fr or en (default: TIIME_LANG, else the "
            "locale: LC_ALL, LC_MESSAGES, LANG; else en)"
        ),
    )
    return common


def _output() -> argparse.ArgumentParser:
    """How a command's data is printed: the options of the commands that print data."""
    common = Parser(add_help=False)
    common.add_argument(
        "--format",
        choices=FORMATS,
        default=argparse.SUPPRESS,
        help=_(
            "output format; xlsx is a spreadsheet written to --output FILE "
            "(default: table on a terminal, json when piped)"
        ),
    )

    common.add_argument(
        "--csv-dialect",
        choices=CSV_DIALECTS,
        default=argparse.SUPPRESS,
        help=_(
            "CSV flavour: 'standard' (comma, UTF-8, no BOM) or 'excel-fr' (semicolon, "
            "decimal comma, UTF-8 with BOM: opens right in French Excel) (default: standard)"
        ),
    )
    common.add_argument(
        "--columns",
        metavar="NAME,...",
        default=argparse.SUPPRESS,
        help=_(
            "the fields to show, in this order, in every format; nested ones dotted "
            "(client.name); an unknown name is refused with the valid ones (default: the "
            "command's table columns in a table, every field in JSON and CSV)"
        ),
    )
    common.add_argument(
        "--no-pager",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_(
            "print a long table at once instead of through $TIIME_PAGER, $PAGER or "
            "'less -FRX' (default: a pager on a terminal)"
        ),
    )
    return common


def _connection() -> argparse.ArgumentParser:
    """Which API a command talks to and how: the options of the commands that call it."""
    common = Parser(add_help=False)
    common.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_(
            "run against the local sandbox, logged in as its demo user "
            "(default: off, or on when TIIME_SANDBOX=1)"
        ),
    )
    common.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("show the HTTP exchanges on stderr, secrets redacted (default: off)"),
    )
    return common


def _add_output_file(parser: argparse.ArgumentParser) -> None:
    """``--output FILE``: what the command prints, written to FILE. Each command gets its
    own option (not a shared parent's), so that a download's own ``--output`` replaces it
    (the parser resolves the clash) without touching any other command's."""
    parser.add_argument(
        "--output",
        dest="output_file",
        metavar="FILE",
        help=_(
            "write the output to FILE, whole or not at all (default: stdout); "
            "needed by --format xlsx"
        ),
    )


# The largest id or count an option takes: the API's (and SQLite's) 64-bit integers.
MAX_INT = 2**63 - 1


def port(text: str) -> int:
    """An argparse type: a TCP port, 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a port number: {text!r}").format(text=text)
        ) from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(_("a port is 1 to 65535, not {value}").format(value=value))
    return value


def positive_int(text: str) -> int:
    """An argparse type: a positive integer up to :data:`MAX_INT` (ids, counts)."""
    not_positive = _("not a positive integer: {text!r}").format(text=text)
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(not_positive) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(not_positive)
    if value > MAX_INT:
        raise argparse.ArgumentTypeError(
            _("too large: {text!r} (at most {most})").format(text=text, most=MAX_INT)
        )
    return value


def number(text: str) -> str:
    """An argparse type: a decimal number (``450``, ``1.5``), kept as typed for the SDK;
    ``--unit-price abc`` is refused as ``--unit-price: not a number: 'abc'``."""
    from decimal import Decimal, InvalidOperation

    try:
        finite = Decimal(text.strip()).is_finite()
    except InvalidOperation:
        finite = False
    if not finite:
        raise argparse.ArgumentTypeError(_("not a number: {text!r}").format(text=text))
    return text


def iso_date(text: str) -> str:
    """An argparse type: a date as ``YYYY-MM-DD``, kept as typed."""
    import datetime as dt

    not_a_date = _("not a date (YYYY-MM-DD): {text!r}").format(text=text)
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(not_a_date) from None
    if len(text) != 10:
        raise argparse.ArgumentTypeError(not_a_date)
    return text


def date_range(first: str | None, last: str | None) -> None:
    """Refuse ``--from`` after ``--to`` (a range with no day in it) before anything is sent."""
    if first is not None and last is not None and first > last:
        from ._errors import UsageError

        raise UsageError(
            _("--from {first} is after --to {last}: no day is in that range").format(
                first=first, last=last
            )
        )


def day_range(first: str | None, last: str | None) -> tuple[Any, Any]:
    """``--from``/``--to`` as dates (``None`` where not given); a usage error naming the flag
    for one that is not ``YYYY-MM-DD``, and for ``--from`` after ``--to``."""
    import datetime as dt

    from ._errors import UsageError

    days = []
    for flag, value in (("--from", first), ("--to", last)):
        try:
            days.append(None if value is None else dt.date.fromisoformat(iso_date(value)))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(_("{flag}: {error}").format(flag=flag, error=exc)) from None
    date_range(first, last)
    return days[0], days[1]


def sorts(*fields: str) -> Callable[[str], str]:
    """An argparse type: ``FIELD[:asc|desc][,...]`` with FIELD one of ``fields`` (any
    name when none is given); a bad one is refused before sending, with the allowed values."""

    def check(text: str) -> str:
        for term in text.split(","):
            field, _sep, direction = term.strip().partition(":")
            known = field in fields if fields else bool(re.fullmatch(r"[a-z_.]+", field))
            if not known or direction not in ("", "asc", "desc"):
                message = (
                    _("{term!r} is not FIELD:asc or FIELD:desc with FIELD one of {fields}")
                    if fields
                    else _("{term!r} is not FIELD:asc or FIELD:desc")
                )
                raise argparse.ArgumentTypeError(
                    message.format(term=term.strip(), fields=", ".join(fields))
                )
        return text

    return check


def no_files(**_: Any) -> list[str]:
    """A shell completer that offers nothing: ids are not file names."""
    return []


def add_id(parser: argparse.ArgumentParser, what: str, *, required: bool = True) -> None:
    """An ``ID`` positional that ``--id ID`` may give instead (scripts of the TypeScript CLI).

    The value lands in ``args.id`` (``None`` when optional and absent); the dispatcher
    refuses a missing required id as a usage error.
    """
    positional = parser.add_argument(
        "id",
        type=positive_int,
        nargs="?",
        metavar="ID",
        help=what if required else _("{what} (default: the current one)").format(what=what),
    )
    option = parser.add_argument(
        "--id",
        dest="id_option",
        type=positive_int,
        metavar="ID",
        help=_("the same id, given as an option (default: the positional ID)"),
    )
    positional.completer = option.completer = no_files  # type: ignore[attr-defined]
    parser.set_defaults(id_required=required)


def resolve_id(args: argparse.Namespace) -> None:
    """Merge ``--id`` into ``args.id``; a usage error if both differ or a required one lacks."""
    option = getattr(args, "id_option", None)
    if option is not None:
        if getattr(args, "id", None) not in (None, option):
            args.command_parser.error(
                _("two different ids: {id} and --id {option}").format(id=args.id, option=option)
            )
        args.id = option
    if getattr(args, "id_required", False) and args.id is None:
        args.command_parser.error(_("the following arguments are required: ID (or --id ID)"))


def add_yes(parser: argparse.ArgumentParser) -> None:
    """``--yes``: do not ask before writing (needed when stdin is not a terminal)."""
    parser.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help=_(
            "do not ask for confirmation; needed when stdin is not a terminal "
            "(default: ask on a terminal)"
        ),
    )


def add_page(parser: argparse.ArgumentParser, what: str) -> None:
    """``--page N`` and ``--page-size N``: one page of the listing, as the reference CLI
    lists it (either flag alone asks for one page: page 1, 25 items, by default)."""
    parser.add_argument(
        "--page",
        type=positive_int,
        metavar="N",
        help=_(
            "only page N (from 1) of --page-size {what}, as the API gives it (default: every page)"
        ).format(what=what),
    )
    parser.add_argument(
        "--page-size",
        type=positive_int,
        metavar="N",
        help=_(
            "{what} a page with --page, 1 to 1000; alone, the first page (default: 25 with --page)"
        ).format(what=what),
    )


def add_limit(parser: argparse.ArgumentParser) -> None:
    """``--limit N``: stop a listing after N items."""
    parser.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help=_("show at most N items (default: all)"),
    )


class Group:
    """A command group being declared: ``tiime GROUP ACTION ...``."""

    def __init__(self, parser: argparse.ArgumentParser, options: Options, name: str = "") -> None:
        self.parser = parser
        self.name = name
        self._options = options
        self._actions: Any = parser.add_subparsers(
            dest="command", metavar="ACTION", parser_class=Parser
        )
        # `tiime invoices` alone shows the group's help (main() prints it).
        parser.set_defaults(group_parser=parser)

    def command(
        self,
        name: str,
        help: str,
        handler: Handler,
        *,
        not_found: str | None = None,
        output: bool = True,
    ) -> argparse.ArgumentParser:
        """Declare ``tiime GROUP NAME``, run by ``handler(session, args)``.

        ``not_found`` is the hint shown when the call answers 404 (where to find the ids);
        ``output=False`` for a command that prints no data (no --format, --columns...).
        """
        return self._options.leaf(
            self._actions,
            name,
            f"{self.name} {name}",
            handler,
            help=help,
            description=help,
            not_found=not_found,
            output=output,
            connection=True,
        )


class Options:
    """The shared options, made once, and the leaf commands that take them."""

    def __init__(self) -> None:
        self.language = _language()
        self.output = _output()
        self.connection = _connection()
        self.common = Parser(add_help=False, parents=[self.language, self.output, self.connection])

    def leaf(
        self,
        actions: Any,
        name: str,
        path: str,
        handler: Handler,
        *,
        help: str,
        description: str,
        not_found: str | None,
        output: bool,
        connection: bool,
    ) -> argparse.ArgumentParser:
        """A command that runs ``handler``: the output options (and ``--output FILE``) when
        it prints data, the connection options when it calls the API."""
        from ._examples import epilog

        parents = [self.language]
        parents += ([self.output] if output else []) + ([self.connection] if connection else [])
        parser: argparse.ArgumentParser = actions.add_parser(
            name,
            help=help,
            description=description,
            epilog=epilog(path),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=parents,
            conflict_handler="resolve",  # a download's own --output replaces this one
        )
        if output:
            _add_output_file(parser)
        parser.set_defaults(handler=handler, not_found=not_found, command_parser=parser)
        return parser


class Registrar:
    """What a group module's ``register()`` receives: makes groups and lone commands.

    A group's help line is its line in :data:`tiime.cli.commands.GROUPS`.
    """

    def __init__(self, groups: Any, options: Options, helps: Mapping[str, str]) -> None:
        self._groups = groups
        self._options = options
        self._helps = helps

    def group(self, name: str) -> Group:
        """Declare the group ``tiime NAME ACTION ...``; add its actions with ``.command()``."""
        help = _(self._helps[name])
        parser = self._groups.add_parser(
            name, help=help, description=help, parents=[self._options.common]
        )
        return Group(parser, self._options, name)

    def command(
        self,
        name: str,
        handler: Handler,
        *,
        description: str | None = None,
        output: bool = True,
        connection: bool = True,
    ) -> argparse.ArgumentParser:
        """Declare a command without actions (``tiime sandbox``), run by ``handler``.

        ``output=False`` for a command that prints no data (no --format, --columns,
        --output...); ``connection=False`` for one that calls no API (no --sandbox,
        --verbose).
        """
        help = _(self._helps[name])
        return self._options.leaf(
            self._groups,
            name,
            name,
            handler,
            help=help,
            description=description or help,
            not_found=None,
            output=output,
            connection=connection,
        )


def build_parser(argv: list[str] | None = None) -> Parser:
    """The command tree: the shared options, then the groups of the registry.

    Given the command line ``argv``, only the group it names (its first word that is a
    group) is imported and registered in full; every other group is a bare entry holding
    its help line, which is all ``tiime --help`` and a typo's suggestion need. Without
    ``argv``, every group is registered (shell completion, tests).
    """
    from .commands import GROUPS, register

    options = Options()
    parser = Parser(
        prog="tiime",
        description=_("Drive your Tiime books from the terminal: clients, companies, login."),
        epilog=_("New here? `tiime --sandbox clients list` runs against a local sandbox."),
        parents=[options.common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"tiime {__version__}",
        help=_("show program's version number and exit"),
    )
    groups = parser.add_subparsers(dest="group", metavar="COMMAND", parser_class=Parser)
    registrar = Registrar(groups, options, GROUPS)
    named = None if argv is None else next((arg for arg in argv if arg in GROUPS), "")
    for name, help in GROUPS.items():
        if named is None or name == named:
            register(name, registrar)
        else:
            groups.add_parser(name, help=_(help))
    return parser
