"""The sandbox in French and English: its banner and its own error lines follow the reader's
language (``tiime --lang``, ``TIIME_LANG``, the locale); what it answers on the wire, and
``str()`` of its errors (for programs), stay as they are whatever the language."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tiime import i18n
from tiime.sandbox import Sandbox, SandboxError, serve
from tiime.sandbox.banner import banner

ROOT = "http://127.0.0.1:8787"
TIIME = [sys.executable, "-m", "tiime.cli"]


@pytest.fixture
def french() -> Iterator[None]:
    previous = i18n.chosen()
    i18n.set_language("fr")
    yield
    i18n.set_language(previous)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def env(**given: str) -> dict[str, str]:
    """This environment without TIIME_* nor locale variables, plus ``given``."""
    names = {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}
    kept = {k: v for k, v in os.environ.items() if not k.startswith("TIIME_") and k not in names}
    return {**kept, "PYTHONUNBUFFERED": "1", **given}


def test_the_english_banner_is_as_it_was() -> None:
    assert banner(ROOT, Path("/tmp/s.db"), "demo@example.com", "pw", 1, remote=False) == (
        f"Tiime sandbox on {ROOT}\n"
        "  database:   /tmp/s.db\n"
        f"  base URL:   {ROOT}/v1\n"
        f"  auth URL:   {ROOT}/oauth/token\n"
        "  email:      demo@example.com\n"
        "  password:   pw\n"
        "  company id: 1\n"
        "\n"
        "Next, in another terminal:\n"
        "\n"
        f"export TIIME_BASE_URL={ROOT}/v1\n"
        f"export TIIME_AUTH_URL={ROOT}/oauth/token\n"
        "tiime auth login --email demo@example.com --company-id 1   # the password above\n"
        "tiime clients list\n"
        "\n"
        "Press Ctrl-C to stop."
    )


def test_the_french_banner_translates_the_words_not_the_commands(french: None) -> None:
    english = banner(ROOT, Path("/tmp/s.db"), "demo@example.com", "pw", 1, remote=False)
    i18n.set_language("fr")
    text = banner(ROOT, Path("/tmp/s.db"), "demo@example.com", "pw", 1, remote=False)
    lines = text.splitlines()
    assert lines[0] == f"Bac à sable Tiime sur {ROOT}"
    fields = dict(re.findall(r"^  (.+?) :\s+(\S+)$", text, re.MULTILINE))
    assert fields == {
        "base de données": "/tmp/s.db",
        "URL de l'API": f"{ROOT}/v1",
        "URL de connexion": f"{ROOT}/oauth/token",
        "e-mail": "demo@example.com",
        "mot de passe": "pw",
        "identifiant de société": "1",
    }
    # The values line up, whatever the labels' lengths.
    starts = {len(m.group()) for m in re.finditer(r"^  .+? :\s+", text, re.MULTILINE)}
    assert len(starts) == 1
    assert "Ensuite, dans un autre terminal :" in lines
    shell = [line for line in lines if line.startswith(("export ", "tiime "))]
    assert [line.split("#")[0] for line in shell] == [
        line.split("#")[0]
        for line in english.splitlines()
        if line.startswith(("export ", "tiime "))
    ]
    assert shell[2].endswith("# le mot de passe ci-dessus")
    assert lines[-1] == "Ctrl-C pour arrêter."
    remote = banner(ROOT, Path("/tmp/s.db"), "demo@example.com", "pw", 1, remote=True)
    assert "mot de passe" in remote
    assert "(non affiché : joignable depuis d'autres machines)" in remote
    assert " pw\n" not in remote


def test_an_error_is_english_for_programs_and_french_for_people(
    tmp_path: Path, french: None
) -> None:
    with pytest.raises(SandboxError) as caught:
        serve(port=0, db_path=tmp_path)  # a directory
    assert str(caught.value) == f"{tmp_path} is a directory, not a sandbox database"
    assert caught.value.localized() == f"{tmp_path} est un dossier, pas une base du bac à sable"
    assert caught.value.localized("en") == str(caught.value)
    with pytest.raises(SandboxError) as caught:
        serve(port=0, db_path=tmp_path / "s.db", sizes={"nothing": 3})
    assert caught.value.localized().startswith("taille de départ inconnue 'nothing' (connues : ")


def test_an_error_given_as_written_is_shown_as_written(french: None) -> None:
    error = SandboxError("already formatted {not a placeholder}")
    assert str(error) == error.localized() == "already formatted {not a placeholder}"


def test_tiime_lang_fr_sandbox_says_why_in_french(tmp_path: Path) -> None:
    result = subprocess.run(
        [*TIIME, "--lang", "fr", "sandbox", "--db", str(tmp_path), "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=env(TIIME_CONFIG_DIR=str(tmp_path / "config")),
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"{tmp_path} est un dossier, pas une base du bac à sable" in result.stderr


def test_python_m_tiime_sandbox_follows_the_locale(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tiime.sandbox", "--port", "0", "--db", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env(LANG="fr_FR.UTF-8"),
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"python -m tiime.sandbox: error: {tmp_path} est un dossier, pas une base du bac à sable\n"
    )


def test_the_sandbox_prints_its_banner_in_french(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "tiime.sandbox", "--port", "0", "--db", str(tmp_path / "s")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env(TIIME_LANG="fr", TIIME_CONFIG_DIR=str(tmp_path / "config")),
    )
    try:
        assert server.stdout is not None
        lines: list[str] = []
        while not lines or lines[-1] != "Ctrl-C pour arrêter.":
            line = server.stdout.readline()
            assert line, ("the sandbox exited", lines)
            lines.append(line.rstrip("\n"))
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
    assert lines[0].startswith("Bac à sable Tiime sur http://127.0.0.1:")
    assert any(line.startswith("  mot de passe :") for line in lines)
    assert "tiime clients list" in lines


def test_the_wire_does_not_change_with_the_language(french: None) -> None:
    """The API's answers (what the SDK and the tests parse) are the same in French."""
    with Sandbox() as sb, httpx.Client(base_url=sb.url) as http:
        unknown = http.get("/v1/nothing-here")
        assert unknown.status_code == 404
        assert unknown.json()["error_description"] == 'No route found for "GET /v1/nothing-here"'
        refused = http.get("/v1/users/me")
        assert refused.status_code == 401
        assert refused.json()["error_code"] == "unauthorized"
