"""``--columns a,b.c``: the fields shown and their order, in every format."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from .conftest import Result

Cli = Callable[..., Result]
PICK = "id,amount,bank_account.id,beneficiary.name"


def test_csv_header_is_the_columns_asked_in_their_order(cli: Cli) -> None:
    result = cli(
        "--sandbox", "bank", "transactions", "--limit", "3", "--format", "csv", "--columns", PICK
    )
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == PICK.split(",")
    assert len(rows) == 4
    assert all(row[2].isdigit() for row in rows[1:])  # the nested account's id


def test_json_objects_hold_the_columns_asked(cli: Cli) -> None:
    result = cli(
        "--sandbox", "bank", "transactions", "--limit", "2", "--format", "json", "--columns", PICK
    )
    assert result.code == 0, result.err
    assert [list(item) for item in result.json] == [PICK.split(",")] * 2


def test_a_mapping_field_takes_any_key_below_it(cli: Cli) -> None:
    columns = "id,totals_per_vat_type.normal.vat_amount"
    result = cli(
        "--sandbox", "invoices", "list", "--limit", "1", "--format", "json", "--columns", columns
    )
    assert result.code == 0, result.err
    assert isinstance(result.json[0]["totals_per_vat_type.normal.vat_amount"], (int, float))


def test_table_shows_the_columns_asked(cli: Cli) -> None:
    result = cli(
        "--sandbox", "clients", "list", "--limit", "2", "--format", "table", "--columns", "name,id"
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].split() == ["name", "id"]


def test_one_object_with_columns(cli: Cli) -> None:
    first = cli("--sandbox", "clients", "list", "--limit", "1", "--format", "json").json[0]
    result = cli(
        "--sandbox", "clients", "get", str(first["id"]), "--format", "csv", "--columns", "name,id"
    )
    assert result.code == 0, result.err
    assert list(csv.reader(io.StringIO(result.out))) == [
        ["name", "id"],
        [first["name"], str(first["id"])],
    ]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_an_unknown_column_is_a_usage_error_naming_the_valid_ones(cli: Cli, fmt: str) -> None:
    result = cli("--sandbox", "invoices", "list", "--format", fmt, "--columns", "id,nope")
    assert result.code == 2
    assert "--columns: unknown column 'nope'; valid: id, client_id" in result.error_line
    assert result.out == ""
