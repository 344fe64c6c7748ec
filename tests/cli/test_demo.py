"""``make demo`` (scripts/demo.sh) can run again: the demo client and its invoice are not
created twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Isolation

DEMO = Path(__file__).resolve().parents[2] / "scripts" / "demo.sh"


def test_the_demo_runs_twice_and_creates_its_client_once(isolated: Isolation) -> None:
    script = shutil.which("tiime", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the tiime script is not installed next to this interpreter")
    env = {**os.environ, "TIIME": script, "TMPDIR": str(isolated.sandbox_db.parent)}
    for _ in range(2):
        completed = subprocess.run(
            ["bash", str(DEMO)], env=env, capture_output=True, text=True, timeout=120
        )
        assert completed.returncode == 0, completed.stderr
    assert "not created twice" in completed.stdout
    assert "not uploaded twice" in completed.stdout
    assert "the downloaded file is the uploaded one, byte for byte" in completed.stdout
    assert "applied" in completed.stdout  # the bank part imputed a transaction
    assert "Transactions to impute:" in completed.stdout  # and showed `tiime status`
    found = subprocess.run(
        [script, "--sandbox", "clients", "search", "Boulangerie Dupré", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert found.stdout.count("Boulangerie Dupré") == 1
    assert "found: invoice" in completed.stdout
    invoices = subprocess.run(
        [script, "--sandbox", "invoices", "list", "--status", "saved", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert invoices.stdout.count("Démo tiime") == 1
    [pdf] = (isolated.sandbox_db.parent / "tiime-demo").glob("facture-F-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_the_demo_database_is_in_the_project_and_make_clean_removes_it(
    isolated: Isolation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = shutil.which("tiime", path=str(Path(sys.executable).parent))
    if script is None or shutil.which("make") is None:
        pytest.skip("needs the tiime script next to this interpreter, and make")
    project = tmp_path / "project"  # a copy of what `make demo` and `make clean` use
    (project / "scripts").mkdir(parents=True)
    shutil.copy(DEMO, project / "scripts" / "demo.sh")
    shutil.copy(DEMO.parents[1] / "Makefile", project / "Makefile")
    monkeypatch.delenv("TIIME_SANDBOX_DB")  # not told where: the demo's own place
    env = {**os.environ, "TIIME": script, "TMPDIR": str(tmp_path)}

    completed = subprocess.run(
        ["bash", str(project / "scripts" / "demo.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    database = project / ".demo" / "sandbox.db"
    assert database.is_file()
    assert f"keeps this data between runs: {database}" in completed.stdout
    assert "`make clean` removes it" in completed.stdout
    assert not (tmp_path / "xdg-data" / "tiime").exists()  # not the user's own sandbox

    subprocess.run(
        ["make", "-C", str(project), "clean"], env=env, capture_output=True, timeout=60, check=True
    )
    assert not (project / ".demo").exists()
    assert (project / "Makefile").exists()
