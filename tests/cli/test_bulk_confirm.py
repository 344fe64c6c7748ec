"""Bulk writes (``--apply``, a folder's upload) ask on a terminal unless ``--yes``, as
``invoices delete`` does; without a terminal to ask on and without ``--yes``, they are
refused as a usage error before anything is sent."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Result

Cli = Callable[..., Result]

BULK = {
    "bank auto-impute": ("bank", "auto-impute", "--apply", "--limit", "2"),
    "audit": ("audit", "--apply"),
    "reconcile": ("reconcile", "--apply"),
    "invoices remind": ("invoices", "remind", "--overdue", "--apply"),
    "documents upload DIR": ("documents", "upload", "RECEIPTS"),
}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _args(name: str, tmp_path: Path) -> list[str]:
    receipts = tmp_path / "recus"
    receipts.mkdir(exist_ok=True)
    for n in range(2):
        (receipts / f"ticket-{n}.pdf").write_bytes(b"%PDF-1.4\n" + f"ticket {n}".encode())
    return [str(receipts) if arg == "RECEIPTS" else arg for arg in BULK[name]]


def _written(cli: Cli) -> tuple[int, int, str]:
    """What the writes would change: unimputed transactions, documents, the invoices, the
    transactions (their matched documents), the outbox."""
    unimputed = len(cli("--sandbox", "bank", "unimputed", "--format", "json").json)
    documents = len(cli("--sandbox", "documents", "list", "--format", "json").json)
    invoices = cli("--sandbox", "invoices", "list", "--format", "json").out
    pairs = cli("--sandbox", "bank", "transactions", "--format", "json").out
    outbox = cli("sandbox", "outbox", "--format", "json").out
    return unimputed, documents, invoices + pairs + outbox


@pytest.mark.parametrize("name", sorted(BULK))
def test_refused_without_yes_when_stdin_is_not_a_terminal(
    cli: Cli, name: str, tmp_path: Path
) -> None:
    args = _args(name, tmp_path)
    before = _written(cli)
    result = cli("--sandbox", *args, stdin="y\n")
    assert result.code == 2
    assert "pass --yes" in result.error_line
    assert _written(cli) == before


@pytest.mark.parametrize("name", sorted(BULK))
def test_asks_on_a_terminal_and_no_keeps_everything(
    cli: Cli, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = _args(name, tmp_path)
    before = _written(cli)
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    result = cli("--sandbox", *args)
    assert "? [y/N] " in result.err
    assert result.code == 1
    assert "not confirmed" in result.err
    assert _written(cli) == before


@pytest.mark.parametrize("name", sorted(BULK))
def test_yes_on_a_terminal_or_yes_given_writes(
    cli: Cli, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = _args(name, tmp_path)
    before = _written(cli)
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    asked = cli("--sandbox", *args, "--format", "json")
    assert asked.code == 0, asked.err
    assert _written(cli) != before
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    given = cli("--sandbox", *args, "--yes", "--format", "json")
    assert given.code == 0, given.err
    assert "[y/N]" not in given.err
