"""Logins saved at once by several processes are all kept; a damaged file is set aside by
the next write, never overwritten."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tiime._config import (
    DamagedLoginFile,
    StoredLogin,
    delete_login,
    load_logins,
    repair_login_file,
    save_company,
    save_login,
)
from tiime._secrets import Secret, Token

PROCESSES = 6
SAVES = 20  # by each process

# Each process waits for the start file, then saves SAVES logins (one base URL each) and
# chooses a company for a base URL of its own: all read-modify-writes of the one file.
_WRITER = """
import os, sys, time
from pathlib import Path
from tiime._config import StoredLogin, save_company, save_login
from tiime._secrets import Secret, Token

worker, saves, start = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
deadline = time.monotonic() + 30
while not start.exists() and time.monotonic() < deadline:
    time.sleep(0.001)
for n in range(saves):
    url = f"http://127.0.0.1:{9000 + worker}/v{n}"
    save_login(StoredLogin(url, url + "/oauth/token", Token(Secret(f"token-{worker}-{n}"))))
save_company(f"http://company.test/{worker}", 1000 + worker)
"""


def test_logins_saved_by_processes_at_once_are_all_kept(config_dir: Path, tmp_path: Path) -> None:
    start = tmp_path / "start"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(worker), str(SAVES), str(start)],
            env=os.environ.copy(),
        )
        for worker in range(PROCESSES)
    ]
    time.sleep(0.5)  # let them import and wait at the start line
    start.touch()
    for worker in workers:
        assert worker.wait(timeout=60) == 0

    hosts = json.loads((config_dir / "login.json").read_text())["hosts"]
    expected = {
        f"http://127.0.0.1:{9000 + worker}/v{n}"
        for worker in range(PROCESSES)
        for n in range(SAVES)
    }
    assert expected <= set(hosts), f"{len(expected - set(hosts))} logins lost"
    tokens = {login.token.access_token.reveal() for login in load_logins()}
    assert tokens == {f"token-{w}-{n}" for w in range(PROCESSES) for n in range(SAVES)}
    for worker in range(PROCESSES):
        assert hosts[f"http://company.test/{worker}"] == {"company_id": 1000 + worker}
    assert stat.S_IMODE((config_dir / "login.json").stat().st_mode) == 0o600
    assert list(config_dir.glob(".login-*")) == []  # no temporary file left behind


def _login(url: str) -> StoredLogin:
    return StoredLogin(url, url + "/oauth/token", Token(Secret("t")))


@pytest.mark.parametrize(
    "write",
    [
        lambda: save_login(_login("https://api.test/v1")),
        lambda: save_company("https://api.test/v1", 7),
        lambda: delete_login("https://api.test/v1"),
    ],
    ids=["save_login", "save_company", "delete_login"],
)
def test_a_write_sets_a_damaged_file_aside(
    config_dir: Path, caplog: pytest.LogCaptureFixture, write: object
) -> None:
    path = config_dir / "login.json"
    path.write_bytes(b"{ not json")
    os.chmod(path, 0o644)

    write()  # type: ignore[operator]

    (aside,) = config_dir.glob("login.json.corrupt-*")
    assert aside.read_bytes() == b"{ not json"
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert str(aside) in caplog.text


def test_reading_a_damaged_file_where_the_login_is_needed_names_it(config_dir: Path) -> None:
    from tiime import TiimeClient

    path = config_dir / "login.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)

    with pytest.raises(DamagedLoginFile) as caught:
        TiimeClient()
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    assert "tiime auth logout" in str(caught.value)
    # Credentials and company given: the file is not needed, not read.
    TiimeClient(access_token="a.b.c", company_id=1).close()

    repaired = repair_login_file()
    assert repaired is not None
    assert repaired[0].read_bytes() == b"[" * 100_000 + b"]" * 100_000
    assert repair_login_file() is None  # nothing left to repair
