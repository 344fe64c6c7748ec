"""Asking before a write: ``delete`` and the bulk writes of ``--apply``.

On a terminal the command asks (``[y/N]``, on stderr); ``--yes`` skips the question.
Without a terminal to ask on and without ``--yes``, the command is refused as a usage
error (exit 2) before anything is sent: a script says ``--yes`` when it means it.
"""

from __future__ import annotations

import sys

from ..i18n import _
from ._errors import UsageError

YES = ("y", "yes", "o", "oui")


def require_terminal(action: str, *, yes: bool) -> None:
    """Refuse to ``action`` (a verb, in the reader's language) without ``--yes`` when stdin
    is not a terminal to ask on."""
    if not yes and not sys.stdin.isatty():
        raise UsageError(
            _(
                "refusing to {action} without --yes: stdin is not a terminal to confirm on; "
                "pass --yes"
            ).format(action=action)
        )


def ask(question: str) -> bool:
    """Ask ``question [y/N]`` on stderr; whether the answer read from stdin is yes."""
    sys.stderr.write(_("{question} [y/N] ").format(question=question))
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in YES


def confirm(action: str, question: str, *, yes: bool) -> bool:
    """Whether to go ahead: ``--yes`` given, or yes answered to ``question`` on a terminal
    (see :func:`require_terminal` without one)."""
    if yes:
        return True
    require_terminal(action, yes=yes)
    return ask(question)
