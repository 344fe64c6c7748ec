"""serve() in the foreground, as ``tiime sandbox`` and ``python -m tiime.sandbox`` run it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tiime.sandbox import Sandbox

from .conftest import AUDIENCE, CLIENT_ID, password_grant

DEMO_LOGIN = {
    "grant_type": "password",
    "client_id": CLIENT_ID,
    "audience": AUDIENCE,
    "scope": "openid email",
    "username": "demo@tiime.test",
    "password": "sandbox-demo",
}


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_python_m_serves_prints_its_urls_and_stops_on_ctrl_c(
    tmp_path: Path, http: httpx.Client
) -> None:
    db_path = tmp_path / "served.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "tiime.sandbox", "--port", "0", "--db", str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 20
        while not any(line.startswith("export TIIME_AUTH_URL=") for line in lines):
            assert time.monotonic() < deadline, lines
            line = process.stdout.readline()
            assert line, f"the sandbox exited: {process.stderr.read() if process.stderr else ''}"
            lines.append(line.rstrip("\n"))
        output = "\n".join(lines)
        base_url = re.search(r"^export TIIME_BASE_URL=(\S+)$", output, re.MULTILINE)
        auth_url = re.search(r"^export TIIME_AUTH_URL=(\S+)$", output, re.MULTILINE)
        assert base_url
        assert auth_url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", base_url.group(1))
        assert auth_url.group(1) == base_url.group(1).removesuffix("/v1") + "/oauth/token"
        for expected in ("demo@tiime.test", "sandbox-demo", "12345", str(db_path)):
            assert expected in output

        # The server answers as soon as the lines are printed.
        login = http.post(auth_url.group(1), json=DEMO_LOGIN)
        assert login.status_code == 200
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        me = http.get(f"{base_url.group(1)}/users/me", headers=headers)
        assert me.json()["email"] == "demo@tiime.test"

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
    assert db_path.exists()


def test_two_sandboxes_run_side_by_side(http: httpx.Client) -> None:
    with Sandbox(clients=1) as one, Sandbox(clients=2) as two:
        assert one.port != two.port
        for sb, count in ((one, 1), (two, 2)):
            token = http.post(sb.auth_url, json=password_grant(sb)).json()["access_token"]
            url = f"{sb.base_url}/companies/{sb.company_id}/clients"
            clients = http.get(url, headers={"Authorization": f"Bearer {token}"}).json()
            assert len(clients) == count


def test_sandbox_cannot_be_started_twice() -> None:
    with Sandbox(clients=0) as sb, pytest.raises(RuntimeError):
        sb.start()


def test_sandbox_root_describes_itself(demo: Sandbox, http: httpx.Client) -> None:
    response = http.get(f"{demo.url}/")

    assert response.json() == {
        "name": "tiime sandbox",
        "base_url": demo.base_url,
        "auth_url": demo.auth_url,
    }
