"""``tiime fec --year Y`` and ``tiime fec check FILE`` on the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tiime.sandbox import Sandbox

from .conftest import Result


def test_fec_writes_the_file_warns_and_its_check_passes(
    logged_in: Sandbox, cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = cli("fec", "--year", "2025", "--dir", str(tmp_path))
    assert result.code == 0, result.err
    written = Path(result.json["file"])
    assert written.parent == tmp_path
    assert written.name == result.json["name"]
    assert written.name.endswith("FEC20251231.txt")
    assert result.json["unimputed_transactions"]
    assert "tiime: warning: " in result.err
    assert "suspense account 471000" in result.err
    assert "pre-accounting export" in result.err
    assert "Traceback" not in result.err
    check = cli("fec", "check", str(written))
    assert check.code == 0, check.out
    assert check.json["ok"] is True
    assert check.json["debit"] == check.json["credit"]


def test_fec_check_of_a_broken_file_exits_1_with_its_problems(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    broken = tmp_path / "123456789FEC20251231.txt"
    broken.write_text("JournalCode\tJournalLib\n", encoding="utf-8")
    result = cli("fec", "check", str(broken))
    assert result.code == 1
    assert result.json["ok"] is False
    assert "header" in result.json["problems"][0]


def test_fec_usage_errors(cli: Callable[..., Result], tmp_path: Path) -> None:
    assert cli("fec").code == 2
    assert "--year is required" in cli("fec").error_line
    assert cli("fec", "check").code == 2
    assert cli("fec", "--year", "20x5").code == 2
    missing = cli("fec", "check", str(tmp_path / "none.txt"))
    assert missing.code == 1
    assert "no such file" in missing.error_line
