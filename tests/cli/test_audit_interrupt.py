"""Ctrl-C during ``tiime audit``: the queued requests are dropped (not drained), one line,
exit 130, no traceback; over aiohttp (the ``cli`` extra's) and over httpx's own pool (the
fallback when aiohttp cannot be imported)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tiime import TiimeClient
from tiime.sandbox import Sandbox

from .conftest import Isolation, tiime_command

TRANSACTIONS = 3000
SUGGESTIONS_BEFORE_CTRL_C = 20


@pytest.fixture
def pending(isolated: Isolation) -> int:
    """The embedded sandbox's database, seeded with many transactions; how many are
    unimputed (a suggestion request each)."""
    with (
        Sandbox(db_path=isolated.sandbox_db, sizes={"bank_transactions": TRANSACTIONS}) as sb,
        TiimeClient(
            base_url=sb.base_url,
            auth_url=sb.auth_url,
            email=sb.email,
            password=sb.password,
            company_id=sb.company_id,
        ) as client,
    ):
        count = len(client.bank_transactions.unimputed())
    assert count > 10 * SUGGESTIONS_BEFORE_CTRL_C
    return count


def _is_suggestion_request(line: str) -> bool:
    return line.startswith("> GET ") and "/label_suggestions" in line


def _environment(transport: str, folder: Path) -> dict[str, str]:
    """This process's environment; for ``httpx``, with an ``aiohttp`` that cannot be imported
    found first on the path."""
    env = os.environ.copy()
    if transport == "httpx":
        (folder / "aiohttp").mkdir()
        (folder / "aiohttp" / "__init__.py").write_text("raise ImportError('no aiohttp')\n")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_ctrl_c_during_audit_drops_the_queued_work(
    pending: int, transport: str, tmp_path: Path
) -> None:
    seen: list[str] = []
    with subprocess.Popen(
        [*tiime_command(), "--sandbox", "audit", "--format", "json", "--verbose"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(transport, tmp_path),
    ) as audit:
        assert audit.stderr is not None
        try:
            deadline = time.monotonic() + 120
            while sum(map(_is_suggestion_request, seen)) < SUGGESTIONS_BEFORE_CTRL_C:
                line = audit.stderr.readline()
                assert line, "".join(seen[-50:])  # it ended before asking suggestions
                assert time.monotonic() < deadline
                seen.append(line)
            audit.send_signal(signal.SIGINT)  # Ctrl-C
            rest = audit.stderr.read()
            code = audit.wait(timeout=60)
        finally:
            if audit.poll() is None:
                audit.kill()
    err = "".join(seen) + rest

    assert code == 130
    assert "Traceback" not in err, err[-3000:]
    asked = sum(map(_is_suggestion_request, err.splitlines()))
    # Draining the queue would ask them all; what was asked is those before Ctrl-C (and
    # those still in the pipe when it was read), plus the few running at the time.
    assert asked < pending / 2, (asked, pending)
    assert err.splitlines()[-1] == "tiime: interrupted"
    # The requests running at Ctrl-C end quietly (--verbose logs them, nothing else does).
    assert "tiime: suggestions of transaction" not in rest
    assert "tiime: error" not in rest
