"""``tiime dashboard`` on the command line: out of the box on the sandbox, the first company
chosen by id, name or all, Ctrl-C, and every failure to start as one line."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tiime.cli import main
from tiime.sandbox import DEMO_COMPANY_ID

from ._process import clean_env, dashboard


@contextmanager
def opened(root: str, token: str) -> Iterator[httpx.Client]:
    """A client that opened the printed URL (it holds the cookie)."""
    with httpx.Client(base_url=root, timeout=60) as client:
        assert client.get(f"/?token={token}").status_code == 303
        yield client


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One sandbox database for this module's runs (seeded by the first)."""
    return tmp_path_factory.mktemp("sandbox") / "sandbox.db"


def test_sandbox_dashboard_works_out_of_the_box(tmp_path: Path, shared_db: Path) -> None:
    env = clean_env(TIIME_SANDBOX_DB=str(shared_db), TIIME_CONFIG_DIR=str(tmp_path / "c"))
    with dashboard(["--sandbox", "dashboard", "--port", "0"], env) as running:
        assert running.url.startswith("http://127.0.0.1:")
        assert len(running.token) >= 40  # 32 random bytes
        with opened(running.root, running.token) as http:
            port = running.root.rsplit(":", 1)[1]
            assert list(http.cookies) == [f"tiime_dashboard_{port}"]  # one per dashboard
            config = http.get("/api/config").json()
            assert config["default_company"] == DEMO_COMPANY_ID
            overview = http.get(f"/api/company/{DEMO_COMPANY_ID}/overview")
            assert overview.status_code == 200
            assert overview.json()["global"]["total_invoices"] > 25
            assert http.get("/").headers["content-type"].startswith("text/html")
        with httpx.Client(base_url=running.root) as stranger:
            assert stranger.get("/api/companies").status_code == 401


def test_all_companies_first_and_the_review_page(tmp_path: Path, shared_db: Path) -> None:
    env = clean_env(TIIME_SANDBOX_DB=str(shared_db), TIIME_CONFIG_DIR=str(tmp_path / "c"))
    args = ["--sandbox", "dashboard", "--no-open", "--port", "0", "--all-companies", "--review"]
    with (
        dashboard([*args, "--verbose"], env) as running,
        opened(running.root, running.token) as http,
    ):
        assert "/wrapped?token=" in running.url
        assert http.get("/api/config").json()["default_company"] == "all"
        assert http.get("/api/wrapped").status_code == 200
    # --verbose: the dashboard's own requests to the API, the token redacted
    asked = [line for line in running.err.splitlines() if "/v1/companies/" in line]
    assert any(line.startswith("> GET ") and "/bank_transactions" in line for line in asked)
    assert "authorization: [redacted]" in running.err.lower()
    assert running.token not in running.err


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, shared_db: Path
) -> Run:
    """Run the command line in this process (for the failures: nothing gets served)."""
    monkeypatch.setenv("TIIME_SANDBOX_DB", str(shared_db))

    def go(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["tiime", *args])
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert len(err.splitlines()) == 1, err
        return code, err

    return go


def test_a_busy_port_is_one_line(run: Run) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, err = run("--sandbox", "dashboard", "--no-open", "--port", str(port))
    assert code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in err


def test_listening_beyond_loopback_needs_allow_remote(run: Run) -> None:
    code, err = run("--sandbox", "dashboard", "--no-open", "--port", "0", "--host", "0.0.0.0")
    assert code == 1
    assert "refusing to listen on 0.0.0.0" in err
    assert "--allow-remote" in err


def test_an_unknown_company_is_a_usage_error(run: Run) -> None:
    code, err = run(
        "--sandbox", "dashboard", "--no-open", "--port", "0", "--company", "Nobody SARL"
    )
    assert code == 2
    assert "unknown company 'Nobody SARL'" in err


def test_one_company_only(run: Run) -> None:
    code, err = run("--sandbox", "dashboard", "--no-open", "--port", "0", "--company", "1,2")
    assert code == 2
    assert "--company takes one company" in err


def test_without_a_login_it_says_so_before_serving(run: Run) -> None:
    code, err = run("dashboard", "--no-open", "--port", "0")
    assert code == 1
    assert err.startswith("tiime: error: ")


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_a_bad_port_is_a_usage_error(run: Run, port: str) -> None:
    code, err = run("dashboard", "--port", port)
    assert code == 2
    assert "--port" in err


@pytest.mark.parametrize("hidden", ["starlette", "uvicorn"])
def test_without_the_dashboard_extra(tmp_path: Path, hidden: str) -> None:
    code = (
        "import sys\n"
        f"sys.modules[{hidden!r}] = None\n"
        "from tiime.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "dashboard", "--no-open", "--port", "0"],
        capture_output=True,
        text=True,
        env=clean_env(TIIME_CONFIG_DIR=str(tmp_path)),
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "pip install 'tiime[dashboard]'" in result.stderr
