"""Running a parsed command: its handler, and every expected failure as one line."""

from __future__ import annotations

import argparse
import importlib.util
import sys

from ..i18n import _
from ._errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_USAGE,
    CommandError,
    UsageError,
    describe,
    fail,
    missing_extra,
)
from ._parser import resolve_id
from ._session import Session, sandbox_requested, skip_httpx_command_line


def _require_cli_extra() -> None:
    """One line naming the extra when the command line's own dependencies are missing."""
    for module in ("rich", "argcomplete"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ValueError:  # a module set to None in sys.modules
            found = False
        if not found:
            raise missing_extra("cli", module)


def run(args: argparse.Namespace) -> int:
    """Dispatch ``args`` to its handler; expected failures become one line on stderr."""
    skip_httpx_command_line()
    from .. import _exceptions as E
    from ._output import Output, default_format

    fmt = getattr(args, "format", None) or default_format()
    path = getattr(args, "output_file", None)
    resolve_id(args)
    session = Session(
        sandbox=sandbox_requested(getattr(args, "sandbox", False)),
        verbose=getattr(args, "verbose", False),
        output=Output(
            fmt,
            csv_dialect=getattr(args, "csv_dialect", "standard"),
            columns=getattr(args, "columns", None),
            path=path,
            pager=fmt == "table"
            and path is None
            and not getattr(args, "no_pager", False)
            and sys.stdout.isatty(),
        ),
    )
    try:
        _require_cli_extra()
        session.output.start_file()
        code: int = EXIT_RUNTIME
        try:
            with session:
                try:
                    code = args.handler(session, args)
                except E.AmbiguousWriteError as exc:  # while the client is open: it looks
                    from ._ambiguous import outcome

                    raise CommandError(outcome(exc)) from None
        finally:  # --output FILE: whole once done, left as it was otherwise
            session.output.finish(ok=code == EXIT_OK)
        return code
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    except CommandError as exc:
        return fail(str(exc), EXIT_RUNTIME)
    except E.ValidationError as exc:
        # Refused before sending (status None) is the user's input: a usage error.
        code = EXIT_USAGE if exc.status is None else EXIT_RUNTIME
        return fail(describe(exc, not_found=args.not_found), code)
    except E.TiimeError as exc:
        return fail(describe(exc, not_found=args.not_found), EXIT_RUNTIME)
    except KeyboardInterrupt:  # one line, after the terminal's ^C
        sys.stderr.write(("\n" if sys.stderr.isatty() else "") + _("tiime: interrupted") + "\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise  # main() handles it: `tiime clients list | head`
    except OSError as exc:  # a file or directory the command needs (the login, the database)
        return fail(_os_error(exc), EXIT_RUNTIME)


def _os_error(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    return f"{what}: {exc.filename}" if exc.filename else what
