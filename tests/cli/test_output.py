"""One output design: streamed tables that keep the id, plain and safe CSV, typed JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from tiime.cli._output import Output
from tiime.types import Client, Country, Invoice

from .conftest import Result

Cli = Callable[..., Result]
COLUMNS = ("id", "name", "email", "city", "archived")


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def render(fmt: str, items: list[Client], **options: str) -> str:
    out = io.StringIO()
    Output(fmt, out=out, **options).many(items, kind=Client, columns=COLUMNS)
    return out.getvalue()


def test_json_amounts_are_numbers_and_booleans_are_json(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "list", "--format", "json")
    assert result.code == 0, result.err
    balances = [client["balance_including_taxes"] for client in result.json]
    assert all(isinstance(value, (int, float)) for value in balances)
    assert sum(balances) > 0  # `jq add` adds them, it does not concatenate text
    assert all(isinstance(client["archived"], bool) for client in result.json)
    raw = cli("--sandbox", "clients", "list", "--limit", "1", "--format", "json").out
    assert '"balance_including_taxes": 4539.67' in raw


def test_json_decimal_keeps_every_digit() -> None:
    text = render("json", [Client(id=1, balance_including_taxes=Decimal("12345678901.015"))])
    assert json.loads(text, parse_float=Decimal)[0]["balance_including_taxes"] == Decimal(
        "12345678901.015"
    )


def test_empty_json_listing_is_an_empty_array() -> None:
    assert json.loads(render("json", [])) == []


def test_json_listing_across_batches_is_one_array() -> None:
    items = [Client(id=i, name=f"n{i}") for i in range(1, 1234)]
    assert [row["id"] for row in json.loads(render("json", items))] == list(range(1, 1234))


def test_csv_reads_plainly_with_id_first_and_same_booleans(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "list", "--format", "csv", "--limit", "3")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 3
    assert next(iter(rows[0])) == "id"
    assert {row["archived"] for row in rows} <= {"true", "false"}
    assert rows[0]["balance_including_taxes"] == "4539.67"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(start: str) -> None:
    name = f'{start}HYPERLINK("http://evil.test","x")'
    rows = list(csv.DictReader(io.StringIO(render("csv", [Client(id=1, name=name)]))))
    assert rows[0]["name"] == "'" + name


def test_csv_negative_amounts_stay_numbers() -> None:
    text = render("csv", [Client(id=1, balance_including_taxes=Decimal("-12.50"))])
    assert next(csv.DictReader(io.StringIO(text)))["balance_including_taxes"] == "-12.50"


def test_csv_for_french_excel() -> None:
    text = render(
        "csv",
        [Client(id=7, name="Café, Thé", balance_including_taxes=Decimal("1234.5"), archived=True)],
        csv_dialect="excel-fr",
    )
    assert text.startswith("\ufeffid;name;")  # a BOM: Excel then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0]["name"] == "Café, Thé"
    assert rows[0]["balance_including_taxes"] == "1234,5"  # a decimal comma
    assert rows[0]["archived"] == "true"


def test_csv_dialect_option(cli: Cli) -> None:
    result = cli(
        "--sandbox",
        "clients",
        "list",
        "--limit",
        "1",
        "--format",
        "csv",
        "--csv-dialect",
        "excel-fr",
    )
    assert result.code == 0, result.err
    assert result.out.startswith("\ufeffid;")
    assert ";4539,67;" in result.out


def test_table_escapes_terminal_sequences_and_control_characters() -> None:
    evil = Client(id=1, name="\x1b[2J\x1b]0;pwned\x07Évian\r\nx", city="Lyon\u202e")
    for text in (render("table", [evil]), _one("table", evil)):
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\r" not in text
        assert "\u202e" not in text
        assert "\\x1b[2J" in text
        assert "Évian" in text


def _one(fmt: str, item: Any) -> str:
    out = io.StringIO()
    Output(fmt, out=out).one(item)
    return out.getvalue()


def test_table_on_a_narrow_terminal_keeps_the_whole_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    items = [
        Client(
            id=1000000000 + i,
            name="Société Générale de Plomberie et de Chauffage " * 2,
            email=f"contact{i}@societe-generale-de-plomberie.example",
            city="Clermont-Ferrand",
            archived=False,
        )
        for i in range(3)
    ]
    out = Terminal()
    Output("table", out=out).many(items, kind=Client, columns=COLUMNS)
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 60 for line in lines)
    for i, line in enumerate(lines[2:5]):
        assert line.startswith(f"{1000000000 + i}  ")
    assert "…" in lines[2]


def test_table_streams_rows_as_they_arrive() -> None:
    out = io.StringIO()
    seen_while_fetching: list[str] = []

    def clients() -> Iterator[Client]:
        for i in range(1, 1001):
            if i == 900:
                seen_while_fetching.append(out.getvalue())
            yield Client(id=i, name=f"client {i}", archived=i % 2 == 0)

    Output("table", out=out).many(clients(), kind=Client, columns=COLUMNS)
    assert "client 500" in seen_while_fetching[0]  # printed before the listing ended
    lines = out.getvalue().splitlines()
    assert lines[-1] == "1000 rows"
    assert lines[3].split()[-1] == "true"  # booleans as in JSON and CSV


def test_limit(cli: Cli) -> None:
    for fmt in ("json", "csv"):
        result = cli("--sandbox", "clients", "list", "--limit", "2", "--format", fmt)
        assert result.code == 0, result.err
    assert len(cli("--sandbox", "clients", "list", "--limit", "2").json) == 2
    assert len(cli("--sandbox", "clients", "search", "e", "--limit", "1").json) == 1
    table = cli("--sandbox", "clients", "list", "--limit", "4", "--format", "table")
    assert table.out.splitlines()[-1] == "4 rows"
    assert cli("--sandbox", "clients", "list", "--limit", "0").code == 2


def test_one_country_column_per_part_in_csv_of_one_object() -> None:
    text = _one("csv", Client(id=3, country=Country(id=21, code="BE")))
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["id"], row["country.id"], row["country.code"]) == ("3", "21", "BE")


def test_table_of_one_object_shows_its_list_of_objects_as_a_table() -> None:
    invoice = msgspec.convert(
        {
            "id": 7,
            "status": "draft",
            "lines": [
                {"id": 1, "description": "Pain", "quantity": 2, "vat_type": {"code": "normal"}},
                {"id": 2, "description": "Croissant\x1b[2J", "unit_amount": "1.20"},
            ],
        },
        Invoice,
    )
    text = _one("table", invoice)
    assert "InvoiceLine(" not in text
    head, lines = text.split("\nlines:\n")
    assert "lines   2 (below)" in head
    rows = lines.splitlines()
    # The compact columns an invoice's lines are read by, short headings, amounts aligned.
    assert rows[0].split() == ["description", "qty", "unit", "price", "VAT"]
    assert rows[2].split() == ["Pain", "2", "normal"]
    assert rows[3].split() == ["Croissant\\x1b[2J", "1.20"]
    assert rows[3].index("1.20") > rows[0].index("unit price")  # right-aligned


NON_FINITE = Client(
    id=5,
    name="NaN Infinity",
    balance_including_taxes=Decimal("NaN"),
    billed_including_taxes=Decimal("-Infinity"),
)


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
def test_a_non_finite_amount_is_an_empty_csv_cell(dialect: str) -> None:
    for text in (render("csv", [NON_FINITE], csv_dialect=dialect), one("csv", NON_FINITE, dialect)):
        delimiter = ";" if dialect == "excel-fr" else ","
        row = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))
        assert row["balance_including_taxes"] == ""
        assert row["billed_including_taxes"] == ""
        assert row["name"] == "NaN Infinity"


def test_a_non_finite_amount_is_null_in_json() -> None:
    listed = json.loads(render("json", [NON_FINITE, Client(id=6)]))
    shown = json.loads(one("json", NON_FINITE))
    for item in (listed[0], shown):
        assert item["balance_including_taxes"] is None
        assert item["billed_including_taxes"] is None
        assert item["name"] == "NaN Infinity"


def test_a_non_finite_amount_is_an_empty_table_cell() -> None:
    columns = ("id", "balance_including_taxes")
    out = io.StringIO()
    Output("table", out=out).many([NON_FINITE], kind=Client, columns=columns)
    assert "NaN" not in out.getvalue()
    assert "Infinity" not in one("table", NON_FINITE).replace("NaN Infinity", "")


def one(fmt: str, item: Any, dialect: str = "standard") -> str:
    out = io.StringIO()
    Output(fmt, out=out, csv_dialect=dialect).one(item)
    return out.getvalue()
