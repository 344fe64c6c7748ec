"""The ``tiime`` command line (extra ``tiime[cli]``), one module per command group.

Layout::

    cli/__init__.py        main(): parse, dispatch, exit code
    cli/_parser.py         the parser class, shared options, Registrar/Group, add_id, add_limit
    cli/_run.py            runs a handler; every expected failure becomes one line
    cli/_errors.py         exit codes, UsageError/CommandError, the one-line descriptions
    cli/_session.py        the client a command runs with (stored login, env, or sandbox)
    cli/_output.py         table / JSON / CSV, streamed
    cli/_listing.py        page size, --limit, reading the next pages ahead
    cli/_progress.py       the spinner
    cli/commands/__init__.py   GROUPS: the registry, one line per group (name: help)
    cli/commands/<group>.py    one module per group
    ../i18n/               the messages in French and English (gettext domain "tiime")

Adding a command group (``tiime labels``) is one new module plus one line in
``commands.GROUPS``: the group's name and its one-line help (``tiime --help`` lists the
groups from that table; only the group named on the command line is imported and
registered, so start-up does not grow with the groups). The module imports only the
standard library at its top; the SDK is imported inside the handlers. It declares its
table columns, its commands and their handlers; a handler gets the session and the parsed
arguments and returns the exit code; errors are raised (SDK errors, :class:`~._errors.UsageError`,
:class:`~._errors.CommandError`) and printed by the dispatcher as one line. Every text a
person reads (help, messages, errors, prompts, progress labels) goes through
:func:`tiime.i18n.gettext` (``_``), placeholders filled after it (``_("no label {id}")
.format(id=...)``), and gets its French in ``i18n/locales/fr/LC_MESSAGES/tiime.po``
(``make messages-update``; a test fails on a message without one)::

    # src/tiime/cli/commands/labels.py
    from __future__ import annotations

    import argparse

    from ...i18n import N_, _
    from .._parser import Registrar, add_id, add_limit
    from .._session import Session

    COLUMNS = ("id", "name", "color")  # what a table shows; the id first


    def register(registrar: Registrar) -> None:
        group = registrar.group("labels")  # its help: its line in GROUPS
        add_limit(group.command("list", _("every label"), list_labels))
        hint = N_("see `tiime labels list`")  # shown (translated) on a 404
        get = group.command("get", _("one label"), get_label, not_found=hint)
        add_id(get, _("the label's id"))


    def list_labels(session: Session, args: argparse.Namespace) -> int:
        from ...types import Label
        from .._listing import limited, page_size, read_ahead

        labels = session.client().labels.iter(page_size=page_size(args.limit))
        session.output.many(read_ahead(limited(labels, args.limit)), kind=Label, columns=COLUMNS)
        return 0

``add_id`` accepts the id as ``ID`` or ``--id ID``; ``not_found`` is the hint shown on a
404 (where to find the ids). Bare ``tiime`` prints the help on stdout and exits 0.
"""

from __future__ import annotations

import os
import sys

__all__ = ["main"]


def _undecodable(argv: list[str]) -> str | None:
    """The first argument holding bytes that are not UTF-8 (they arrive as lone surrogates)."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 runtime error, 2 usage error).

    The language (``--lang``, else ``TIIME_LANG``, else the locale) is chosen before the
    parser is built, so that its help is in that language; the choice ends with the call.
    """
    from .. import i18n

    argv = sys.argv[1:] if argv is None else argv
    previous = i18n.chosen()
    i18n.set_language(_lang_option(argv) or previous)
    try:
        with _argparse_translated():
            return _main(argv)
    finally:
        i18n.set_language(previous)


def _lang_option(argv: list[str]) -> str | None:
    """The value of ``--lang fr`` or ``--lang=fr`` on the command line, if one of the
    languages (any other value is refused by the parser); the last one wins."""
    from ..i18n import LANGUAGES

    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg[len("--lang=") :]
        if value is not None:
            found = value if value in LANGUAGES else found
    return found


class _argparse_translated:
    """argparse's own words (``usage:``, ``options``, its errors) from tiime's catalog,
    for the time of a call (argparse reads them through its module's ``_``)."""

    def __enter__(self) -> None:
        import argparse

        from .. import i18n

        self.saved = {name: getattr(argparse, name, None) for name in ("_", "ngettext")}
        argparse._ = i18n.gettext  # type: ignore[attr-defined]
        argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        import argparse

        for name, value in self.saved.items():
            if value is None:
                delattr(argparse, name)
            else:
                setattr(argparse, name, value)


def _main(argv: list[str]) -> int:
    from ._parser import build_parser

    _replace_unencodable(sys.stdout)
    completing = "_ARGCOMPLETE" in os.environ  # the shell asks for completions
    parser = build_parser(None if completing else argv)
    if completing:
        import argcomplete

        argcomplete.autocomplete(parser)
    bad = _undecodable(argv)
    if bad is not None:
        from ..i18n import _
        from ._errors import EXIT_USAGE, fail

        return fail(_("an argument is not valid UTF-8 text: '{text}'").format(text=bad), EXIT_USAGE)
    if not argv:
        parser.print_help()
        return 0
    if argv[0] == "help":  # `tiime help invoices create`, as `tiime invoices create --help`
        argv = [*argv[1:], "--help"]
        parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.group is None:  # options only: `tiime --sandbox`
        parser.print_help()
        return 0
    if getattr(args, "handler", None) is None:  # a group without its action: its help
        args.group_parser.print_help()
        return 0
    from ._run import run

    try:
        code = run(args)
        sys.stdout.flush()
    except BrokenPipeError:  # `tiime clients list | head -1`: the reader has had enough
        _silence_stdout()
        return 0
    return code


def _replace_unencodable(stream: object) -> None:
    """Text for a console whose encoding lacks a character (cp1252, the default for
    redirected output on Windows) shows ``?`` for it instead of failing the command.
    JSON and CSV are written as UTF-8 bytes, whatever the encoding."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and getattr(stream, "errors", None) == "strict":
        reconfigure(errors="replace")


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout without a file descriptor (tests)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
