"""Printing data as a table (on a terminal), JSON (when piped) or CSV."""

from __future__ import annotations

import csv
import io
import json
import sys
import typing
from collections.abc import Sequence
from typing import Any, TextIO

import msgspec

from ..types import Client, Company, Contact

# The columns of a table; JSON and CSV carry every field.
TABLE_COLUMNS: dict[type[Any], tuple[str, ...]] = {
    Client: ("id", "name", "email", "city", "postal_code", "siren_or_siret", "archived"),
    Company: ("id", "name", "siren", "legal_form", "city"),
    Contact: ("id", "firstname", "lastname", "email", "phone", "job"),
}


def default_format(stream: TextIO | None = None) -> str:
    """``table`` on a terminal, ``json`` when the output goes to a pipe or a file."""
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "json"


def _plain(value: Any) -> Any:
    return msgspec.to_builtins(value)


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = inner
        else:
            flat[key] = value
    return flat


def _fields(kind: type[Any] | None, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Column names in the model's order, then any other key met in the rows."""
    names: list[str] = []
    if kind is not None and hasattr(kind, "__struct_fields__"):
        for name in kind.__struct_fields__:
            names.append(name)
    for row in rows:
        for key in row:
            if key not in names:
                names.append(key)
    return names


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def emit(data: Any, fmt: str, *, kind: type[Any] | None = None, out: TextIO | None = None) -> None:
    """Print a model, a list of models, or plain data, in ``fmt``.

    ``kind`` is the model of a list's items, for the CSV header when the list is empty.
    """
    out = out or sys.stdout
    many = isinstance(data, list)
    items: list[Any] = data if many else [data]
    kind = type(items[0]) if items else kind
    rows: list[dict[str, Any]] = [_plain(item) for item in items]
    if fmt == "json":
        out.write(json.dumps(rows if many else rows[0], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        flat = [_flatten(row) for row in rows]
        _write_csv(flat, _csv_fields(kind, flat), out)
    else:
        _write_table(rows, kind, many, out)
    out.flush()


def _nested_model(annotation: Any) -> type[Any] | None:
    """The model inside ``Country | None``, if the field holds one."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and hasattr(candidate, "__struct_fields__"):
            return candidate
    return None


def _csv_fields(kind: type[Any] | None, flat: Sequence[dict[str, Any]]) -> list[str]:
    """A model's fields, nested models spread as ``country.id``...; else the rows' keys."""
    names: list[str] = []
    spread: set[str] = set()  # fields shown as their parts (a null country has no parts)
    if kind is not None and hasattr(kind, "__struct_fields__"):
        hints = typing.get_type_hints(kind)
        for name in kind.__struct_fields__:
            nested = _nested_model(hints.get(name))
            if nested is None:
                names.append(name)
            else:
                spread.add(name)
                names.extend(f"{name}.{sub}" for sub in nested.__struct_fields__)
    for row in flat:
        names.extend(key for key in row if key not in names and key not in spread)
    return names


def _write_csv(rows: Sequence[dict[str, Any]], fields: list[str], out: TextIO) -> None:
    # UTF-8 with a byte-order mark, so that spreadsheets (Excel included) keep the accents.
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    data = buffer.getvalue().encode("utf-8-sig")
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
        binary.write(data)
        binary.flush()
    else:  # a text-only stream (tests): the same characters, BOM included
        out.write(data.decode("utf-8"))


def _write_table(
    rows: list[dict[str, Any]], kind: type[Any] | None, many: bool, out: TextIO
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, soft_wrap=False)
    if not many:
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        for key, value in _flatten(rows[0]).items():
            if value is not None:
                table.add_row(key, _cell(value))
        console.print(table)
        return
    if not rows:
        console.print("(none)")
        return
    columns = TABLE_COLUMNS.get(kind) if kind is not None else None
    names = list(columns) if columns else _fields(kind, rows)
    table = Table(*names, header_style="bold")
    for row in rows:
        table.add_row(*(_cell(row.get(name)) for name in names))
    console.print(table)
    console.print(f"{len(rows)} {'row' if len(rows) == 1 else 'rows'}", style="dim")
