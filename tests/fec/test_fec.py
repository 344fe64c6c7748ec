"""``tiime.fec``: the FEC built from the sandbox's books, and the checker's rejections."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tiime.fec import FEC_FIELDS, build_fec, check_fec, fec_filename, write_fec
from tiime.fec.write import ENCODING

from .conftest import Counted

YEAR = 2025


@pytest.fixture
def fec_file(books: Counted, tmp_path: Path) -> Path:
    return write_fec(build_fec(books.client, YEAR), tmp_path)


def rows_of(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode(ENCODING)
    assert text.endswith("\r\n")
    return [line.split("\t") for line in text.split("\r\n")[:-1]]


def test_the_fec_of_a_year_passes_its_check(books: Counted, fec_file: Path) -> None:
    company = books.client.company.get()
    assert fec_file.name == f"{company.siren}FEC{YEAR}1231.txt"
    result = check_fec(fec_file)
    assert result.ok, result.problems
    assert result.debit == result.credit > 0
    rows = rows_of(fec_file)
    assert tuple(rows[0]) == FEC_FIELDS
    for row in rows[1:]:
        assert len(row) == 18
        for n in (3, 9, 15):  # EcritureDate, PieceDate, ValidDate
            assert re.fullmatch(rf"{YEAR}\d{{4}}", row[n]), row
        assert re.fullmatch(r"\d+,\d\d", row[11]), row
        assert re.fullmatch(r"\d+,\d\d", row[12]), row


def test_sales_journal_one_entry_per_billed_invoice(books: Counted, fec_file: Path) -> None:
    invoices = [
        i
        for i in books.client.invoices.list()
        if i.status in ("saved", "sent", "paid")
        and i.emission_date is not None
        and i.emission_date.year == YEAR
    ]
    assert invoices
    rows = [r for r in rows_of(fec_file)[1:] if r[0] == "VE"]
    client_lines = {r[8]: r for r in rows if r[4] == "411000"}
    assert set(client_lines) == {i.compiled_number for i in invoices}
    for invoice in invoices:
        line = client_lines[invoice.compiled_number or ""]
        assert Decimal(line[11].replace(",", ".")) == invoice.total_including_taxes
        assert line[6] == f"C{invoice.client_id}"
    numbers = [r[2] for r in rows]
    assert numbers == sorted(numbers)  # numbered in date order, continuous
    assert len(set(numbers)) == len(invoices)


def test_unimputed_transactions_go_to_the_suspense_account(books: Counted, tmp_path: Path) -> None:
    export = build_fec(books.client, YEAR)
    unimputed = {
        t.id
        for t in books.client.bank_transactions.list(
            from_date=f"{YEAR}-01-01", to_date=f"{YEAR}-12-31"
        )
        if not t.imputations
    }
    assert unimputed
    assert set(export.unimputed) == unimputed
    assert any("suspense account 471000" in w for w in export.warnings)
    suspense = {line.piece_ref for line in export.lines if line.compte_num == "471000"}
    assert suspense == {f"T{t}" for t in unimputed}
    path = write_fec(export, tmp_path)
    assert path.name == fec_filename(export)


def mutate(path: Path, change: str) -> Path:
    text = path.read_bytes().decode(ENCODING)
    lines = text.split("\r\n")
    fields = lines[1].split("\t")
    if change == "header":
        lines[0] = lines[0].replace("EcritureLib", "Libelle")
    elif change == "tab":
        fields[10] += "\tsuite"
    elif change == "date":
        fields[3] = "2025-01-02"
    elif change == "unbalanced":
        fields[11], fields[12] = "1,00", "0,00"
    elif change == "piece":
        fields[8] = ""
    elif change == "label":
        fields[10] = " "
    elif change == "amount":
        fields[11] = "1 000.5"
    lines[1] = "\t".join(fields)
    out = path.with_name("123456789FEC20251231.txt" if change != "name" else "books.txt")
    data = "\r\n".join(lines).encode(ENCODING)
    if change == "encoding":
        data = data.replace(b"\t", b"\t\x81", 1)
    out.write_bytes(data)
    return out


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("header", "the header is not the 18 fields"),
        ("tab", "19 fields, not 18 (a separator inside a field?)"),
        ("date", "EcritureDate '2025-01-02' is not a date AAAAMMJJ"),
        ("unbalanced", "not balanced"),
        ("piece", "PieceRef is empty"),
        ("label", "EcritureLib is empty"),
        ("amount", "are not amounts"),
        ("encoding", "neither UTF-8 nor ISO 8859-15"),
        ("name", "is not <SIREN>FEC<AAAAMMJJ>.txt"),
    ],
)
def test_check_finds_the_common_rejections(fec_file: Path, change: str, problem: str) -> None:
    assert check_fec(fec_file).ok
    result = check_fec(mutate(fec_file, change))
    assert not result.ok
    assert any(problem in p for p in result.problems), result.problems
