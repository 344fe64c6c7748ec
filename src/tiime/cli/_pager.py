"""Long output on a terminal goes through a pager, as ``gh`` and ``git`` do.

The pager is ``$TIIME_PAGER``, else ``$PAGER``, else ``less -FRX`` (``-F``: a table that
fits on the screen is printed and ``less`` exits at once; ``-R``: colours kept; ``-X``:
the screen is not cleared). An empty value or ``cat`` means no pager; so do
``--no-pager``, output that is not a terminal and ``--output FILE``. A pager that cannot
be started is no pager: the table is printed as it would be without.

It is started at the first table line (after any question the command asks), and
waited for when the command ends.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from typing import IO

DEFAULT = "less -FRX"


def command() -> list[str] | None:
    """The pager's command line; ``None`` when paging is off."""
    for name in ("TIIME_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            break
    else:
        value = DEFAULT
    try:
        words = shlex.split(value)
    except ValueError:
        return None
    if not words or words == ["cat"]:
        return None
    return words


class Pager:
    """A running pager: write the text to :attr:`stdin`, then :meth:`close`."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        assert process.stdin is not None  # Popen(stdin=PIPE)
        self.stdin: IO[str] = process.stdin

    @classmethod
    def start(cls) -> Pager | None:
        words = command()
        if words is None:
            return None
        env = dict(os.environ)
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        try:
            process = subprocess.Popen(  # noqa: S603 - the user's own pager
                words, stdin=subprocess.PIPE, text=True, encoding="utf-8", errors="replace", env=env
            )
        except OSError:
            return None
        return cls(process)

    def close(self) -> None:
        """End the text and wait for the reader to quit the pager."""
        with contextlib.suppress(BrokenPipeError):  # quit before the end
            self.stdin.close()
        self._process.wait()
