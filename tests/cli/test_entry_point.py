"""The installed ``tiime`` command, run as a subprocess: exit codes, stderr lines, bytes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tiime import __version__
from tiime.sandbox import Sandbox

from .conftest import BinaryResult, Isolation, tiime_command

Tiime = Callable[..., BinaryResult]

SEEDED_CLIENTS = 36


def one_error_line(result: BinaryResult) -> str:
    assert "Traceback" not in result.err, result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("tiime: error: "), result.err
    return lines[0]


def test_the_installed_script_exists() -> None:
    assert tiime_command()[0].endswith("tiime"), "the tiime entry point is installed"


def test_version(tiime: Tiime) -> None:
    result = tiime("--version")
    assert result.code == 0
    assert result.text.strip() == f"tiime {__version__}"


def test_python_dash_m(isolated: Isolation) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tiime.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0
    assert completed.stdout.strip() == f"tiime {__version__}"


def test_sandbox_command_help(tiime: Tiime) -> None:
    result = tiime("sandbox", "--help")
    assert result.code == 0
    assert "--port" in result.text
    assert "--db" in result.text


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (("frobnicate",), "invalid choice"),
        (("clients", "create"), "--name"),
        (("clients", "get", "abc"), "'abc'"),
        (("clients", "get", "0"), "'0'"),
        (("clients", "list", "--archived", "--active"), "not allowed"),
        (("--sandbox", "clients", "create", "--name", "X", "--siret", "12345678901234"), "SIRET"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_usage_errors(tiime: Tiime, args: tuple[str, ...], mentions: str) -> None:
    result = tiime(*args)
    assert result.code == 2
    assert result.out == b""
    assert mentions in one_error_line(result)


def test_api_error(tiime: Tiime) -> None:
    result = tiime("--sandbox", "clients", "get", "999999")
    assert result.code == 1
    assert result.out == b""
    assert "404" in one_error_line(result)


def test_no_credentials(tiime: Tiime) -> None:
    result = tiime("company", "list")
    assert result.code == 1
    assert "tiime auth login" in one_error_line(result)


def test_json_when_piped(tiime: Tiime) -> None:
    result = tiime("--sandbox", "clients", "list")
    assert result.code == 0, result.err
    clients = json.loads(result.text)
    assert len(clients) == SEEDED_CLIENTS
    assert clients[0]["name"] == "Société Générale de Plomberie"
    assert result.err == ""


def test_table_on_a_terminal(isolated: Isolation) -> None:
    """stdout on a pseudo-terminal: the default format is a table."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    process = subprocess.Popen(
        [*tiime_command(), "--sandbox", "company", "list"],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
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
    assert process.stderr is not None
    process.stderr.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8"))
    assert "Atelier Martin Conseil" in text
    assert "12345" in text
    assert "Martin Formations" in text  # the demo user's second company
    assert "2 rows" in text
    assert "-----  ------" in text  # drawn as a table...
    assert '"name"' not in text  # ...not JSON


def test_csv_is_utf8_without_a_bom(tiime: Tiime) -> None:
    result = tiime("--sandbox", "clients", "list", "--format", "csv")
    assert result.code == 0, result.err
    assert result.out.startswith(b"id,")
    text = result.out.decode("utf-8")
    assert "Société Générale de Plomberie" in text
    assert "Pâtisserie Gâteau d'Été" in text
    assert "L'Œuf et la Poule" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == SEEDED_CLIENTS
    assert rows[0]["country.name"] == "France"
    assert "\r\n" in text  # spreadsheet line ends


def test_sandbox_data_persists_across_processes(tiime: Tiime) -> None:
    env = {"TIIME_SANDBOX": "1"}
    created = tiime("clients", "create", "--name", "Forêt Noire SARL", env=env)
    assert created.code == 0, created.err
    client = json.loads(created.text)
    assert client["name"] == "Forêt Noire SARL"
    got = tiime("clients", "get", str(client["id"]), env=env)
    assert got.code == 0, got.err
    assert json.loads(got.text)["name"] == "Forêt Noire SARL"


def test_login_from_stdin_then_commands_from_the_stored_login(
    tiime: Tiime, live: Sandbox, isolated: Isolation
) -> None:
    urls = {"TIIME_BASE_URL": live.base_url, "TIIME_AUTH_URL": live.auth_url}
    login = tiime(
        "auth",
        "login",
        "--company-id",  # the demo user has two companies
        str(live.company_id),
        stdin=f"{live.password}\n",
        env={**urls, "TIIME_EMAIL": live.email},
    )
    assert login.code == 0, login.err
    assert f"Logged in to {live.base_url} as {live.email}" in login.err
    assert "Traceback" not in login.err
    assert oct(isolated.login_file.stat().st_mode & 0o777) == oct(0o600)
    assert live.password not in isolated.login_file.read_text(encoding="utf-8")

    # Only TIIME_BASE_URL (and TIIME_CONFIG_DIR, set by the isolation) from now on.
    only_base = {"TIIME_BASE_URL": live.base_url}
    listed = tiime("clients", "list", "--format", "csv", env=only_base)
    assert listed.code == 0, listed.err
    assert "Société Générale de Plomberie" in listed.out.decode("utf-8-sig")
    status = tiime("auth", "status", env=only_base)
    assert status.code == 0
    assert json.loads(status.text)["email"] == live.email

    logout = tiime("auth", "logout", env=only_base)
    assert logout.code == 0
    assert not isolated.login_file.exists()
    after = tiime("clients", "list", env=only_base)
    assert after.code == 1
    one_error_line(after)


def test_wrong_password(tiime: Tiime, live: Sandbox, isolated: Isolation) -> None:
    env = {
        "TIIME_BASE_URL": live.base_url,
        "TIIME_AUTH_URL": live.auth_url,
        "TIIME_EMAIL": live.email,
        "TIIME_PASSWORD": "pas-le-bon",
    }
    result = tiime("auth", "login", env=env)
    assert result.code == 1
    line = one_error_line(result)
    assert "Wrong email or password" in line
    assert "pas-le-bon" not in line
    assert not isolated.login_file.exists()


def test_shell_completion(tiime: Tiime, tmp_path: Path) -> None:
    """The completions argcomplete gives the shell for ``tiime clients <TAB>``."""
    answer = tmp_path / "completions"
    line = "tiime clients "
    result = tiime(
        env={
            "_ARGCOMPLETE": "1",
            "_ARGCOMPLETE_IFS": "\n",
            "COMP_LINE": line,
            "COMP_POINT": str(len(line)),
            "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
        }
    )
    assert result.code == 0, result.err
    words = answer.read_text().split()
    assert {"list", "get", "create", "search", "contacts"} <= set(words)
