"""Fixtures of the command-line tests.

* every test runs isolated: no ``TIIME_*`` variable from the developer's shell (messages in
  English: ``TIIME_LANG=en``, whatever the locale), the stored
  login in a temporary ``$TIIME_CONFIG_DIR``, the embedded sandbox's database in a
  temporary ``$TIIME_SANDBOX_DB`` (see :func:`isolated`);
* ``cli(*args)`` runs ``tiime.cli.main`` in this process and returns a :class:`Result`;
* ``tiime(*args)`` runs the installed ``tiime`` command in a subprocess;
* ``live`` is a sandbox served for the whole session, for the login tests (which point
  ``TIIME_BASE_URL``/``TIIME_AUTH_URL`` at it); ``outsider_company`` is a company of
  another user of that sandbox, which the demo user cannot reach.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tiime.cli import main
from tiime.sandbox import Sandbox

OUTSIDER_EMAIL = "autre@tiime.test"
OUTSIDER_PASSWORD = "autre-mot-de-passe"


@dataclass
class Result:
    """What a run of the command line left behind."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def error_line(self) -> str:
        """The single error line on stderr (asserting there is exactly one, no traceback)."""
        assert "Traceback" not in self.err, self.err
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("tiime: error: "), self.err
        return lines[0]


@dataclass
class Isolation:
    config_dir: Path
    login_file: Path
    sandbox_db: Path


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Isolation:
    """No TIIME_* variable from the shell; the login file and sandbox db under tmp_path."""
    for name in list(os.environ):
        if name.startswith(("TIIME_", "_ARGCOMPLETE", "_ARC_")) or name in {
            "COMP_LINE",
            "COMP_POINT",
        }:
            monkeypatch.delenv(name)
    monkeypatch.setenv("TIIME_LANG", "en")  # English, whatever the machine's locale
    config_dir = tmp_path / "config"
    sandbox_db = tmp_path / "sandbox.db"
    monkeypatch.setenv("TIIME_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("TIIME_SANDBOX_DB", str(sandbox_db))
    # Belt and braces: nothing may land in the developer's own config or data directories.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return Isolation(config_dir, config_dir / "login.json", sandbox_db)


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """``cli("clients", "list", stdin=None)``: run the command line in this process.

    Usage errors leave argparse through ``SystemExit``: its code is the exit status.
    ``stdin`` (when given) is what the command reads; it is not a terminal.
    """

    def run(*args: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()  # drop anything printed before
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def tiime_command() -> list[str]:
    """The installed ``tiime`` script next to this interpreter, else ``python -m tiime.cli``."""
    script = shutil.which("tiime", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "tiime.cli"]


@dataclass
class BinaryResult:
    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")


@pytest.fixture
def tiime() -> Callable[..., BinaryResult]:
    """``tiime("clients", "list", stdin="...", env={...})``: the real command, in a subprocess.

    The environment is this process's (already isolated by :func:`isolated`) plus ``env``.
    """

    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> BinaryResult:
        completed = subprocess.run(
            [*tiime_command(), *args],
            input=stdin.encode(),
            capture_output=True,
            env={**os.environ, **(env or {})},
            timeout=60,
            check=False,
        )
        return BinaryResult(completed.returncode, completed.stdout, completed.stderr.decode())

    return run


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A sandbox served for the whole session (the demo data, on its own database)."""
    with Sandbox(db_path=tmp_path_factory.mktemp("live") / "sandbox.db") as sb:
        yield sb


@pytest.fixture(scope="session")
def outsider_company(live: Sandbox) -> int:
    """The company of another user of ``live``: the demo user may not act on it."""
    return live.add_user(OUTSIDER_EMAIL, OUTSIDER_PASSWORD, "Boutique Éphémère", clients=2)


@pytest.fixture
def live_env(live: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """Point the command line at ``live`` (URLs only: no credentials)."""
    monkeypatch.setenv("TIIME_BASE_URL", live.base_url)
    monkeypatch.setenv("TIIME_AUTH_URL", live.auth_url)
    return live


@pytest.fixture
def logged_in(
    live_env: Sandbox, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> Sandbox:
    """``tiime auth login`` done as the demo user, on the demo company (the user has two,
    as ``tiime sandbox`` prints it); then no credential is left in the env."""
    monkeypatch.setenv("TIIME_EMAIL", live_env.email)
    monkeypatch.setenv("TIIME_PASSWORD", live_env.password)
    result = cli("auth", "login", "--company-id", str(live_env.company_id))
    assert result.code == 0, result.err
    monkeypatch.delenv("TIIME_EMAIL")
    monkeypatch.delenv("TIIME_PASSWORD")
    return live_env
