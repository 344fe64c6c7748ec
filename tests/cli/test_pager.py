"""A table on a terminal goes through the pager ($TIIME_PAGER, $PAGER, less -FRX), not
with --no-pager, not when piped."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Isolation, tiime_command

pty = pytest.importorskip("pty")


def on_terminal(*args: str, env: dict[str, str]) -> str:
    """Run ``tiime ARGS`` with stdout on a pseudo-terminal 80 columns wide; what it shows."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    process = subprocess.Popen(
        [*tiime_command(), *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8"))


def _recording_pager(path: Path) -> str:
    code = f"import sys; open({str(path)!r}, 'w').write(sys.stdin.read())"
    return shlex.join([sys.executable, "-c", code])


def test_a_table_on_a_terminal_goes_through_tiime_pager(
    isolated: Isolation, tmp_path: Path
) -> None:
    paged = tmp_path / "paged.txt"
    shown = on_terminal(
        "--sandbox", "clients", "list", env={"TIIME_PAGER": _recording_pager(paged)}
    )
    text = paged.read_text(encoding="utf-8")
    assert "100101" in text
    assert text.splitlines()[-1].endswith("rows")
    assert "100101" not in shown  # the pager showed it (here: kept it)
    assert max(len(line) for line in text.splitlines()) <= 80  # the terminal's width


def test_pager_falls_back_to_pager_variable(isolated: Isolation, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    on_terminal("--sandbox", "company", "list", env={"PAGER": _recording_pager(paged)})
    assert "Atelier Martin Conseil" in paged.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--no-pager",), {}),
        ((), {"TIIME_PAGER": ""}),
        ((), {"TIIME_PAGER": "cat"}),
    ],
)
def test_no_pager(
    isolated: Isolation, tmp_path: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    paged = tmp_path / "paged.txt"
    shown = on_terminal(
        "--sandbox", "company", "list", *args, env={"PAGER": _recording_pager(paged), **env}
    )
    assert "Atelier Martin Conseil" in shown
    assert not paged.exists()


def test_no_pager_when_piped(isolated: Isolation, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    completed = subprocess.run(
        [*tiime_command(), "--sandbox", "company", "list", "--format", "table"],
        capture_output=True,
        env={**os.environ, "TIIME_PAGER": _recording_pager(paged)},
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0
    assert b"Atelier Martin Conseil" in completed.stdout
    assert not paged.exists()
