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
