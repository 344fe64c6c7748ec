"""Output to a stdout that is not UTF-8 (``PYTHONIOENCODING=cp1252``: redirected output on
Windows): JSON and CSV are UTF-8 files whatever the console; a table shows ``?`` for the
characters the console lacks. Never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import BinaryResult, Result

Cli = Callable[..., Result]
Tiime = Callable[..., BinaryResult]

NAME = "Łódź Ωmega 東京 🐟 Benoît"  # half of it is not in cp1252
CP1252 = {"PYTHONIOENCODING": "cp1252"}


@pytest.fixture
def client_id(cli: Cli) -> int:
    """A client of the embedded sandbox whose name cp1252 cannot write."""
    created = cli("--sandbox", "clients", "create", "--name", NAME, "--format", "json")
    assert created.code == 0, created.err
    client: int = created.json["id"]
    return client


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("what", ["list", "get"])
def test_a_cp1252_stdout_gets_every_format(
    tiime: Tiime, client_id: int, fmt: str, what: str
) -> None:
    args = ("clients", "list") if what == "list" else ("clients", "get", str(client_id))

    result = tiime("--sandbox", *args, "--format", fmt, env=CP1252)

    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    if fmt == "table":  # text for the console: in its encoding, '?' for what it lacks
        shown = NAME.encode("cp1252", "replace").decode("cp1252")
        assert "?" in shown
        assert shown in result.out.decode("cp1252")
    else:  # a file: UTF-8, whatever the console
        assert NAME in result.out.decode("utf-8")
    if fmt == "csv":
        assert b"\r\r\n" not in result.out
        assert result.out.count(b"\r\n") == (2 if what == "get" else result.out.count(b"\n"))


@pytest.mark.parametrize("what", ["list", "get"])
def test_excel_fr_csv_on_a_cp1252_stdout(tiime: Tiime, client_id: int, what: str) -> None:
    args = ("clients", "list") if what == "list" else ("clients", "get", str(client_id))

    result = tiime("--sandbox", *args, "--format", "csv", "--csv-dialect", "excel-fr", env=CP1252)

    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert result.out.startswith(b"\xef\xbb\xbfid;")  # the BOM, in UTF-8
    assert NAME in result.out.decode("utf-8-sig")
