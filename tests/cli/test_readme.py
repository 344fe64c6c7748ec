"""The README's snippets run as written against a sandbox.

Every ```python block runs, in order, in one namespace (a later block uses the ``client``
an earlier one made), with ``TiimeClient``/``AsyncTiimeClient`` pointed at a sandbox
whatever credentials the snippet shows (``password="..."`` is a placeholder), and
``client`` an open one at the start of each block (the one before may have closed it in
its ``with``). Every
``tiime ...`` line of a ```bash block that is a command (not a synopsis with ``|`` or
``[...]``) runs with ``--sandbox``. A block that does not run yet is listed in
:data:`BROKEN` with the README fix it needs: strict, so that the fix must remove it.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tiime
from tiime import AsyncTiimeClient, TiimeClient
from tiime.sandbox import Sandbox

from .conftest import Result

Cli = Callable[..., Result]
README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"^```(python|bash)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# The README's blocks that do not run yet: (first line, the fix the README needs).
BROKEN = {
    "try:\n    invoice = client.invoices.create(lines=lines, client_id=12)": (
        "a fragment: `lines` and client 12 are not defined"
    ),
    "with TiimeClient(company_id=12345) as client:       # credentials from the environment": (
        "with_options(company_id=67890): the demo user has no second company in the sandbox"
    ),
    "import datetime\n\nwith TiimeClient(company_id=12345) as client:": (
        "ticket-sncf.pdf and pdf_bytes are the reader's own"
    ),
}


def blocks(kind: str) -> list[str]:
    return [
        body for lang, body in BLOCK.findall(README.read_text(encoding="utf-8")) if lang == kind
    ]


def _mark(body: str) -> Any:
    for start, fix in BROKEN.items():
        if body.startswith(start):
            return pytest.param(body, marks=pytest.mark.xfail(strict=True, reason=fix))
    return body


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with Sandbox(db_path=tmp_path_factory.mktemp("readme") / "sandbox.db") as sb:
        yield sb


@pytest.fixture(scope="module")
def namespace(sandbox: Sandbox) -> Any:
    """What the snippets share; the clients they make talk to the sandbox."""
    login = {
        "base_url": sandbox.base_url,
        "auth_url": sandbox.auth_url,
        "email": sandbox.email,
        "password": sandbox.password,
        "company_id": sandbox.company_id,
    }

    made: list[TiimeClient] = []

    def pointed(kind: type[Any]) -> Callable[..., Any]:
        @functools.wraps(kind)
        def make(*_: Any, **given: Any) -> Any:
            given.update(login)  # the snippet's placeholders replaced
            client = kind(**given)
            if isinstance(client, TiimeClient):
                made.append(client)
            return client

        return make

    yield {
        "tiime": tiime,
        "__name__": "readme",
        "TiimeClient": pointed(TiimeClient),
        "AsyncTiimeClient": pointed(AsyncTiimeClient),
    }
    for client in made:
        client.close()


PYTHON = blocks("python")


@pytest.mark.parametrize(
    "body", [_mark(b) for b in PYTHON], ids=[f"python-{i}" for i in range(len(PYTHON))]
)
def test_python_block_runs(
    body: str, namespace: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DLT_DATA_DIR", str(tmp_path / "dlt"))  # dlt's pipeline state, not ~/.dlt
    namespace["client"] = namespace["TiimeClient"]()  # open, whatever the block before did
    body = body.replace("from tiime import TiimeClient\n", "").replace(
        "from tiime import AsyncTiimeClient\n", ""
    )  # the namespace's, pointed at the sandbox
    exec(compile(body, "README.md", "exec"), namespace)


def commands() -> list[str]:
    found = []
    for body in blocks("bash"):
        for line in body.splitlines():
            line = line.split("  #", 1)[0].strip()
            if not line.startswith("tiime ") or re.search(r"[|\[\]]|\.\.\.|\b[A-Z]{2,}\b", line):
                continue  # a synopsis (ID, FILE, [options], a | b), not a command
            found.append(line)
    return found


# The README's commands that do not run as written yet: (command, the fix it needs).
BROKEN_COMMANDS = {
    "tiime invoices create --from-file facture.yaml": "facture.yaml is the reader's own file",
    "tiime documents upload ./recus --match": "./recus is the reader's own folder",
    "tiime reconcile --from 2026-03-01 --to 2026-03-31 --format csv > pairs.csv": (
        "a shell redirection: the test runs the command's words, not a shell"
    ),
    "tiime reconcile --from-file pairs.csv --apply": "pairs.csv is the line before's output",
}


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(line, marks=pytest.mark.xfail(strict=True, reason=BROKEN_COMMANDS[line]))
        if line in BROKEN_COMMANDS
        else line
        for line in commands()
    ],
)
def test_shell_command_runs_on_the_sandbox(
    cli: Cli, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    words = [word for word in shlex.split(line)[1:] if word != "--sandbox"]
    if words[0] in {"auth", "sandbox", "dashboard"}:
        pytest.skip(
            f"`tiime {words[0]}` logs in or serves: run by test_first_hour and its own tests"
        )
    result = cli("--sandbox", *words)
    assert result.code == 0, result.err
