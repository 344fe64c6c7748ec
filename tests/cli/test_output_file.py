"""``--output FILE`` (any format, whole or not at all) and ``--format xlsx``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from .conftest import Result

Cli = Callable[..., Result]
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (as the 1900 date system counts)


def _column_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters is not None
    index = 0
    for letter in letters.group():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def read_xlsx(path: Path) -> tuple[list[list[tuple[str, str | None]]], ElementTree.Element]:
    """The sheet's rows as (number format, text) per cell, and the sheet's XML."""
    with zipfile.ZipFile(path) as book:
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    custom = {f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind(".//x:numFmt", NS)}
    builtin = {"0": "General", "4": "#,##0.00"}
    formats = [
        custom.get(xf.get("numFmtId")) or builtin.get(xf.get("numFmtId") or "0", "?")
        for xf in styles.find("x:cellXfs", NS) or []
    ]
    rows = []
    for row in sheet.iterfind(".//x:sheetData/x:row", NS):
        cells: list[tuple[str, str | None]] = []
        for cell in row.iterfind("x:c", NS):
            while len(cells) < _column_index(cell.get("r", "")):
                cells.append(("General", None))
            text = cell.findtext("x:v", namespaces=NS)
            if cell.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in cell.iterfind(".//x:t", NS))
            cells.append((formats[int(cell.get("s", "0"))], text))
        rows.append(cells)
    return rows, sheet


def test_xlsx_of_transactions_has_numbers_dates_header_and_frozen_pane(
    cli: Cli, tmp_path: Path
) -> None:
    book = tmp_path / "transactions.xlsx"
    result = cli("--sandbox", "bank", "transactions", "--format", "xlsx", "--output", str(book))
    assert result.code == 0, result.err
    assert result.out == ""
    listing = cli("--sandbox", "bank", "transactions", "--format", "csv").out
    expected = list(csv.reader(io.StringIO(listing)))
    rows, sheet = read_xlsx(book)
    assert [text for _, text in rows[0]] == expected[0]  # the header: every field
    assert len(rows) == len(expected) > 1
    amount, date = expected[0].index("amount"), expected[0].index("transaction_date")
    for cells, values in zip(rows[1:], expected[1:], strict=True):
        assert cells[amount][0] == "#,##0.00"
        # 16 significant digits, as Excel keeps 15: -91.07 may be -91.06999999999999
        assert round(Decimal(cells[amount][1] or ""), 9) == Decimal(values[amount])
        assert cells[date][0] == "yyyy-mm-dd"
        serial = int(float(cells[date][1] or ""))
        assert (EPOCH + dt.timedelta(days=serial)).isoformat() == values[date]
    pane = sheet.find(".//x:pane", NS)
    assert pane is not None
    assert pane.get("state") == "frozen"
    assert pane.get("ySplit") == "1"
    assert sheet.find("x:cols", NS) is not None  # column widths


def test_xlsx_cells_are_never_formulas(cli: Cli, tmp_path: Path) -> None:
    book = tmp_path / "clients.xlsx"
    created = cli("--sandbox", "clients", "create", "--name", "=1+2", "--format", "json")
    assert created.code == 0, created.err
    result = cli("--sandbox", "clients", "list", "--format", "xlsx", "--output", str(book))
    assert result.code == 0, result.err
    with zipfile.ZipFile(book) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    rows, _ = read_xlsx(book)
    assert any(text == "=1+2" for row in rows for _, text in row)


def test_xlsx_without_output_is_a_usage_error(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "list", "--format", "xlsx")
    assert result.code == 2
    assert "--format xlsx: needs --output FILE" in result.error_line


def test_output_writes_any_format_to_the_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "clients.csv"
    result = cli("--sandbox", "clients", "list", "--format", "csv", "--output", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    assert target.read_text(encoding="utf-8").startswith("id,")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_output_in_a_missing_directory_names_it_and_leaks_no_temporary_name(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "clients.csv"
    result = cli("--sandbox", "clients", "list", "--format", "csv", "--output", str(target))
    assert result.code == 2
    assert f"--output: no such directory: {target.parent}" in result.error_line
    assert ".part" not in result.err


def test_output_is_left_as_it_was_when_the_command_fails(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "invoice.json"
    target.write_text("before", encoding="utf-8")
    result = cli("--sandbox", "invoices", "get", "999999999", "--output", str(target))
    assert result.code == 1
    assert target.read_text(encoding="utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
