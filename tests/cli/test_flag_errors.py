"""Errors that name the flag the user typed, refused before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Result

Cli = Callable[..., Result]
CREATE = ("invoices", "create", "--client-id", "100101", "--description", "x", "--vat", "normal")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        ((*CREATE, "--unit-price", "abc"), "tiime: error: --unit-price: not a number: 'abc'"),
        ((*CREATE, "--unit-price", "1", "--quantity", "deux"), "--quantity: not a number: 'deux'"),
        (
            ("bank", "transactions", "--from", "2026-12-01", "--to", "2026-01-01"),
            "--from 2026-12-01 is after --to 2026-01-01: no day is in that range",
        ),
        (("bank", "transactions", "--from", "2026-13-01"), "--from: not a date (YYYY-MM-DD)"),
        (
            ("invoices", "list", "--from", "2026-12-01", "--to", "2026-01-01"),
            "--from 2026-12-01 is after --to 2026-01-01: no day is in that range",
        ),
        (("invoices", "list", "--to", "2026-02-30"), "--to: not a date (YYYY-MM-DD)"),
        (
            ("reconcile", "--from", "2026-12-01", "--to", "2026-01-01"),
            "--from 2026-12-01 is after --to 2026-01-01: no day is in that range",
        ),
        (("bank", "transactions", "--sort", "amount:up"), "--sort: 'amount:up' is not FIELD:asc"),
        (
            ("invoices", "list", "--sort", "foo"),
            "--sort: 'foo' is not FIELD:asc or FIELD:desc with FIELD one of invoice_number,",
        ),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_refused_before_sending_naming_the_flag(cli: Cli, args: tuple[str, ...], line: str) -> None:
    result = cli("--sandbox", "--verbose", *args)
    assert result.code == 2
    assert line in result.error_line  # one line: no request was sent (--verbose shows none)
    assert "lines[0]" not in result.err


@pytest.mark.parametrize(
    ("group", "document", "name"),
    [("invoices", "500118", "facture-F-"), ("quotations", "80030", "devis-D-")],
)
def test_pdf_output_dir_writes_the_default_name_into_it(
    cli: Cli, tmp_path: Path, group: str, document: str, name: str
) -> None:
    result = cli("--sandbox", group, "pdf", document, "--output", str(tmp_path), "--format", "json")
    assert result.code == 0, result.err
    written = Path(result.json["path"])
    assert written.parent == tmp_path
    assert written.name.startswith(name)
    assert written.read_bytes().startswith(b"%PDF-")


def test_pdf_output_in_a_missing_directory_leaks_no_temporary_name(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "x.pdf"
    result = cli("--sandbox", "invoices", "pdf", "500118", "--output", str(target))
    assert result.code == 2
    assert f"--output: no such directory: {target.parent}" in result.error_line
    assert ".part" not in result.err
