"""Missing extras give one line naming the extra; ``python -m tiime`` is the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Isolation


def run_hiding(hidden: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter where ``hidden`` modules cannot import."""
    code = (
        "import sys\n"
        f"for name in {hidden!r}: sys.modules[name] = None\n"
        "from tiime.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("hidden", ["rich", "argcomplete"])
def test_without_the_cli_extra(isolated: Isolation, hidden: str) -> None:
    result = run_hiding([hidden], "--sandbox", "clients", "list", "--format", "table")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "pip install 'tiime[cli]'" in result.stderr
    # Help and version need nothing but the standard library.
    assert run_hiding([hidden], "--version").returncode == 0
    assert run_hiding([hidden], "clients", "--help").returncode == 0


@pytest.mark.parametrize("hidden", ["uvicorn", "starlette", "jwt", "python_multipart", "fpdf"])
@pytest.mark.parametrize("args", [("--sandbox", "clients", "list"), ("sandbox",)])
def test_without_the_sandbox_extra(isolated: Isolation, hidden: str, args: tuple[str, ...]) -> None:
    result = run_hiding([hidden], *args)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "pip install 'tiime[sandbox]'" in result.stderr


def test_python_dash_m_tiime(isolated: Isolation) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tiime", "--sandbox", "company", "get", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert '"id": 12345' in result.stdout


@pytest.mark.parametrize("hidden", ["starlette", "uvicorn", "jwt", "python_multipart", "fpdf"])
def test_python_dash_m_tiime_sandbox_without_the_sandbox_extra(
    isolated: Isolation, tmp_path: Path, hidden: str
) -> None:
    """``python -m`` imports the package before its ``__main__``: the missing extra is
    still one line, not the package's ImportError traceback."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(f"import sys\nsys.modules[{hidden!r}] = None\n")
    path = os.pathsep.join([str(blocker), *filter(None, [os.environ.get("PYTHONPATH")])])

    result = subprocess.run(
        [sys.executable, "-m", "tiime.sandbox", "--port", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "pip install 'tiime[sandbox]'" in result.stderr
    assert hidden in result.stderr
