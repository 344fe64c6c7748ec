"""The first hour: `tiime sandbox` prints the next step, and that step works as printed."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .conftest import Isolation, Result, tiime_command


def test_the_sandbox_prints_the_next_steps_and_they_work(
    isolated: Isolation, tmp_path: Path
) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "tiime.sandbox", "--port", "0", "--db", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 30
        while not lines or lines[-1] != "Press Ctrl-C to stop.":  # its last line
            assert time.monotonic() < deadline, lines
            line = server.stdout.readline()
            assert line, "the sandbox exited"
            lines.append(line.rstrip("\n"))
        output = "\n".join(lines)
        password = re.search(r"^  password:\s+(\S+)$", output, re.MULTILINE)
        assert password
        assert "Next, in another terminal:\n" in output
        after = output.split("Next, in another terminal:\n", 1)[1].splitlines()
        steps = [line for line in after if line.strip()][:-1]  # up to "Press Ctrl-C"
        assert steps[-1] == "tiime clients list"
        env = dict(os.environ)
        for step in steps:
            words = shlex.split(step, comments=True)
            if words[0] == "export":
                name, _, value = words[1].partition("=")
                env[name] = value
                continue
            assert words[0] == "tiime"
            completed = subprocess.run(
                [*tiime_command(), *words[1:]],
                input=password.group(1) + "\n",  # the password the sandbox printed
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
                check=False,
            )
            assert completed.returncode == 0, (step, completed.stderr)
        assert "Société Générale de Plomberie" in completed.stdout  # the last step: clients
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout:
            server.stdout.close()


def test_the_sandbox_command_offers_every_seed_profile(cli: Callable[..., Result]) -> None:
    from tiime.sandbox import PROFILES

    result = cli("sandbox", "--help")
    assert result.code == 0, result.err
    assert "firm" in PROFILES
    assert "--seed {" + ",".join(PROFILES) + "}" in " ".join(result.out.split())
