"""``tiime completion SHELL``: the shell completion script."""

from __future__ import annotations

import argparse
import sys

from ...i18n import _
from .._errors import EXIT_OK
from .._parser import Registrar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session


def register(registrar: Registrar) -> None:
    parser = registrar.command(
        "completion",
        completion,
        description=_('Print a completion script: eval "$(tiime completion bash)".'),
        output=False,
        connection=False,
    )
    shells = ("bash", "zsh", "fish", "tcsh")
    parser.add_argument("shell", nargs="?", choices=shells, help=_("the shell to complete for"))
    parser.add_argument(
        "--shell",
        dest="shell_option",
        choices=shells,
        help=_("the same, as the reference CLI takes it (default: the positional SHELL)"),
    )


def completion(session: Session, args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    shell = args.shell or args.shell_option
    if shell is None or (args.shell_option not in (None, shell)):
        args.command_parser.error(_("give the shell once: SHELL or --shell SHELL"))
    script = shellcode(["tiime"], shell=shell)
    # Without bash's own file-name fallback: argcomplete offers files itself where an
    # argument takes one, and nothing where it takes an id (`tiime company use <TAB>`).
    script = script.replace(
        "complete -o nospace -o default -o bashdefault ", "complete -o nospace "
    )
    sys.stdout.write(script)
    return EXIT_OK
