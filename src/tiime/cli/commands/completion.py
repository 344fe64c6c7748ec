"""``tiime completion SHELL``: the shell completion script."""

from __future__ import annotations

import argparse
import sys

from .._errors import EXIT_OK
from .._parser import Registrar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session


def register(registrar: Registrar) -> None:
    parser = registrar.command(
        "completion",
        completion,
        description='Print a completion script: eval "$(tiime completion bash)".',
    )
    parser.add_argument(
        "shell", choices=("bash", "zsh", "fish", "tcsh"), help="the shell to complete for"
    )


def completion(session: Session, args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    script = shellcode(["tiime"], shell=args.shell)
    # Without bash's own file-name fallback: argcomplete offers files itself where an
    # argument takes one, and nothing where it takes an id (`tiime company use <TAB>`).
    script = script.replace(
        "complete -o nospace -o default -o bashdefault ", "complete -o nospace "
    )
    sys.stdout.write(script)
    return EXIT_OK
