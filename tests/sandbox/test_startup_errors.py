"""serve(), Sandbox and python -m tiime.sandbox refuse to start with one clear line."""

from __future__ import annotations

import io
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tiime.sandbox import Sandbox, SandboxError, open_database, serve
from tiime.sandbox import server as server_module


def _newer_database(path: Path) -> Path:
    with open_database(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 4242")
    conn.close()
    return path


def _text_file(path: Path) -> Path:
    path.write_text("des notes, pas une base\n" * 50)
    return path


def _under_a_file(path: Path) -> Path:
    path.write_text("x")
    return path / "sandbox.db"


DATABASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "not sqlite": (lambda tmp: _text_file(tmp / "notes.db"), "is not a SQLite database"),
    "directory": (lambda tmp: tmp, "is a directory"),
    "under a file": (lambda tmp: _under_a_file(tmp / "file"), "cannot open"),
    "nul byte": (lambda tmp: tmp / "a\0b.db", "cannot open"),
    "device": (lambda tmp: Path(os.devnull), "is not a regular file"),
    "newer schema": (lambda tmp: _newer_database(tmp / "newer.db"), "newer tiime sandbox"),
}


@pytest.mark.parametrize("case", sorted(DATABASES))
def test_a_database_that_cannot_be_used(tmp_path: Path, case: str) -> None:
    make, message = DATABASES[case]
    db_path = make(tmp_path)

    for start in (
        lambda: serve(port=0, db_path=db_path, out=io.StringIO()),
        lambda: Sandbox(db_path=db_path).start(),
    ):
        with pytest.raises(SandboxError, match=message) as caught:
            start()
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("host", "port", "message"),
    [
        ("127.0.0.1", 99999, "port 99999 is out of range"),
        ("127.0.0.1", -1, "port -1 is out of range"),
        ("bad.invalid", 0, "cannot listen on 'bad.invalid'"),
        ("0.0.0.0", 0, "refusing to listen on 0.0.0.0"),
        ("::", 0, "refusing to listen on ::"),
    ],
)
def test_an_address_that_cannot_be_used(tmp_path: Path, host: str, port: int, message: str) -> None:
    db_path = tmp_path / "untouched.db"
    for start in (
        lambda: serve(host, port, db_path, out=io.StringIO()),
        lambda: Sandbox(db_path=db_path, host=host, port=port).start(),
    ):
        with pytest.raises(SandboxError, match=message) as caught:
            start()
        assert "\n" not in str(caught.value)
    assert not db_path.exists()


def test_a_port_in_use(demo: Sandbox, tmp_path: Path) -> None:
    out = io.StringIO()
    with pytest.raises(SandboxError, match=f"port {demo.port} on 127.0.0.1 is already in use"):
        serve(port=demo.port, db_path=tmp_path / "busy.db", clients=0, out=out)
    with pytest.raises(SandboxError, match="in use"):
        Sandbox(port=demo.port).start()
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("arguments", "status", "message"),
    [
        (["--port", "99999"], 1, "port 99999 is out of range"),
        (["--host", "bad.invalid"], 1, "cannot listen on 'bad.invalid'"),
        (["--host", "0.0.0.0"], 1, "refusing to listen on 0.0.0.0"),
        (["--db", "."], 1, "is a directory"),
        (["--size", "clients"], 2, "expected RESOURCE=N"),
        (["--size", "nothing=3"], 1, "unknown seed size 'nothing'"),
        (["--seed", "big"], 2, "invalid choice"),
        (["--port", "abc"], 2, "invalid int value"),
    ],
)
def test_python_m_says_why_in_one_line(
    tmp_path: Path, arguments: list[str], status: int, message: str
) -> None:
    if "--db" not in arguments:
        arguments = [*arguments, "--db", str(tmp_path / "cli.db")]
    result = subprocess.run(
        [sys.executable, "-m", "tiime.sandbox", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )

    assert result.returncode == status
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("python -m tiime.sandbox: error: ")]
    assert errors == [lines[-1]]
    if status == 1:  # a usage error (2) shows the usage above its line
        assert len(lines) == 1
    assert result.stdout == ""


def test_a_remote_server_warns_and_hides_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Bound to loopback, but taken for reachable: the test talks to loopback only.
    monkeypatch.setattr(server_module, "_is_loopback", lambda sock: False)
    monkeypatch.setattr(server_module.uvicorn.Server, "run", lambda self, sockets: None)
    out = io.StringIO()

    serve(port=0, db_path=tmp_path / "remote.db", out=out, allow_remote=True)

    assert "sandbox-demo" not in out.getvalue()
    assert "password:   (not shown" in out.getvalue()
    assert "WARNING" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_loopback_host_headers_are_served(demo: Sandbox, http: httpx.Client, host: str) -> None:
    response = http.get(f"{demo.url}/", headers={"Host": f"{host}:{demo.port}"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "host",
    ["evil.example", "attacker.test:{port}", "127.0.0.1.nip.io:{port}", "localhost:1", ""],
)
def test_other_host_headers_are_refused(demo: Sandbox, http: httpx.Client, host: str) -> None:
    response = http.get(
        f"{demo.base_url}/users/me",
        headers={"Host": host.format(port=demo.port), "Authorization": "Bearer x"},
    )

    assert response.status_code == 421
    body = response.json()
    assert body["error"] == 421
    assert body["error_code"] == "misdirected_request"


def test_the_host_given_is_served(http: httpx.Client) -> None:
    with Sandbox(clients=0, host="localhost") as sb:
        response = http.get(f"{sb.url}/")

    assert response.status_code == 200
    assert response.json()["base_url"] == f"http://localhost:{sb.port}/v1"


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_database_files_are_private(tmp_path: Path) -> None:
    db_path = tmp_path / "new" / "deeper" / "sandbox.db"
    with Sandbox(db_path=db_path, clients=1):
        modes = {
            path.name: path.stat().st_mode & 0o777
            for path in db_path.parent.iterdir()
            if path.name.startswith("sandbox.db")
        }
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
    assert db_path.parent.stat().st_mode & 0o777 == 0o700
    assert set(modes) >= {"sandbox.db", "sandbox.db-wal", "sandbox.db-shm"}
    assert set(modes.values()) == {0o600}


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_an_existing_readable_database_is_made_private(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    with open_database(db_path):
        pass
    db_path.chmod(0o644)

    with Sandbox(db_path=db_path, clients=0):
        pass

    assert db_path.stat().st_mode & 0o777 == 0o600


def test_python_m_passes_the_seed_options(monkeypatch: pytest.MonkeyPatch) -> None:
    from tiime.sandbox import __main__ as entry

    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
    monkeypatch.setattr(entry, "serve", lambda *args, **kwargs: calls.append((args, kwargs)))

    entry.main(
        ["--seed", "empty", "--size", "clients=20000", "--clients", "5", "--reset", "--port", "0"]
    )

    ((args, kwargs),) = calls
    assert args == ("127.0.0.1", 0, None, 5)
    assert kwargs == {
        "seed": "empty",
        "sizes": {"clients": 20000},
        "reset": True,
        "allow_remote": False,
    }


def _foreign_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recettes (nom TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
@pytest.mark.parametrize("reset", [False, True])
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_text_file, "is not a SQLite database"),
        (_foreign_sqlite, "is not a tiime sandbox database"),
    ],
)
def test_a_file_that_is_not_ours_is_left_as_it_was(
    tmp_path: Path, make: Callable[[Path], Path], message: str, reset: bool
) -> None:
    db_path = make(tmp_path / "notes.txt")
    siblings = [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]
    for sibling in siblings:
        sibling.write_bytes(b"")
    for path in (db_path, *siblings):
        path.chmod(0o644)
    before = {path: path.read_bytes() for path in (db_path, *siblings)}

    with pytest.raises(SandboxError, match=message):
        Sandbox(db_path=db_path, reset=reset).start()
    options = ["--db", str(db_path), "--port", _free_port(), *(["--reset"] if reset else [])]
    refused = subprocess.run(
        [sys.executable, "-m", "tiime", "sandbox", *options],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (refused.returncode, refused.stderr.count("\n")) == (1, 1)
    assert message in refused.stderr
    assert {path: path.stat().st_mode & 0o777 for path in before} == dict.fromkeys(before, 0o644)
    assert {path: path.read_bytes() for path in before} == before


def _free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])
