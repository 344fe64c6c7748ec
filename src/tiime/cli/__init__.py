"""The ``tiime`` command line (extra ``tiime[cli]``).

Start-up is kept fast: this module and the parser import only the standard library;
the SDK (and httpx) are imported when a command that needs them runs.
"""

from __future__ import annotations

import os
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 API error, 2 usage error)."""
    from ._parser import build_parser

    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions
        import argcomplete

        argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    from ._run import run

    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
