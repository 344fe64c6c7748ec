"""Every listing command, in every format, on the sandbox: what it prints parses as it says.

CSV cells are plain values (nested objects spread as ``country.id``, lists and mappings
of objects as JSON text), never a Python repr such as ``InvoiceLine(id=286, ...)``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Result
from .test_output_file import read_xlsx

Cli = Callable[..., Result]

LISTINGS = [
    ("clients", "list"),
    ("clients", "search", "a"),
    ("clients", "contacts", "100101"),
    ("company", "list"),
    ("documents", "list"),
    ("documents", "categories"),
    ("expenses", "list"),
    ("invoices", "list"),
    ("quotations", "list"),
    ("labels", "list"),
    ("labels", "standard"),
    ("labels", "tags"),
    ("bank", "balance"),
    ("bank", "accounts"),
    ("bank", "transactions"),
    ("bank", "unimputed"),
    ("status",),
]
# What a repr looks like: ``Name(field=...``, ``{'key': ...``, ``Decimal('...``.
REPR = re.compile(r"\b[A-Z]\w*\(\w+=|\{'|Decimal\(|datetime\.")


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_csv_parses_and_holds_no_repr(cli: Cli, command: tuple[str, ...]) -> None:
    result = cli("--sandbox", *command, "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows, result.out
    for row in rows:
        for name, cell in row.items():
            assert name is not None, row  # no more cells than headings
            assert cell is not None, row  # no fewer
            assert not REPR.search(cell), (name, cell)
            if cell.startswith(("[{", "{")):
                json.loads(cell)  # lists and mappings of objects are JSON text


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_json_parses(cli: Cli, command: tuple[str, ...]) -> None:
    result = cli("--sandbox", *command, "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_table_holds_no_repr(cli: Cli, command: tuple[str, ...]) -> None:
    result = cli("--sandbox", *command, "--format", "table")
    assert result.code == 0, result.err
    assert not REPR.search(result.out), result.out


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_xlsx_has_the_csv_header_and_rows(
    cli: Cli, command: tuple[str, ...], tmp_path: Path
) -> None:
    book = tmp_path / "listing.xlsx"
    result = cli("--sandbox", *command, "--format", "xlsx", "--output", str(book))
    assert result.code == 0, result.err
    rows, _ = read_xlsx(book)
    expected = list(csv.reader(io.StringIO(cli("--sandbox", *command, "--format", "csv").out)))
    assert [text for _, text in rows[0]] == expected[0]
    assert len(rows) == len(expected)
