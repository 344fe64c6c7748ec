"""Printing results: a table (on a terminal), JSON (when piped) or CSV. One design for all.

* **Streaming.** Listings are written as their items arrive, a page at a time: a table
  sizes its columns on its first rows, JSON and CSV need no look-ahead.
* **Non-finite amounts** (``"NaN"``, ``"Infinity"`` in an answer) are no amount: ``null``
  in JSON, an empty cell in CSV and tables, the SDK's rule (:mod:`tiime._json`).
* **JSON**: every field; amounts (``Decimal``) as JSON numbers, dates ISO 8601,
  booleans ``true``/``false``, text unescaped (UTF-8).
* **CSV**: every field, nested objects spread as ``country.id``, ``country.code``...;
  a list or a mapping (an invoice's ``lines``, its ``totals_per_vat_type``) is one cell
  holding it as compact JSON text (``[{"id":286,...}]``), never a Python repr;
  UTF-8 without BOM, so that any CSV reader gets ``id`` as the first key; booleans
  ``true``/``false``; a text cell starting with ``= + - @``, tab or CR gets a leading
  ``'`` so that a spreadsheet shows it as text and never runs it as a formula (numbers
  are written as numbers). ``--csv-dialect excel-fr`` writes what French Excel opens
  right on a double-click: ``;`` between cells, decimal commas, and a BOM.
* **``--columns a,b.c``** picks and orders the fields in every format: the CSV header,
  the table's columns, the keys of each JSON object (``"client.name"`` as given). A name
  that is not a field of what is listed is a usage error naming the valid ones.
* **``--output FILE``** writes any format to FILE instead of stdout: to a hidden
  ``.FILE.part`` beside it, renamed to FILE once the command has succeeded (removed
  otherwise), so that FILE is either whole or as it was. ``--format xlsx`` needs it
  (:mod:`._xlsx`).
* **Tables**: the columns the command group declares; booleans ``true``/``false``;
  control characters and terminal escape sequences shown escaped (``\\x1b``), never
  sent to the terminal. On a terminal narrower than the table, the other columns are
  cut (``…``), never the id: the value one needs for the next command.
* **Encoding**: JSON and CSV are UTF-8 bytes whatever the console's encoding (they are
  files); a table is text for the console, where a character its encoding lacks (cp1252,
  the default for redirected output on Windows) shows as ``?``: ``main()`` sets stdout's
  errors to ``replace``.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sys
import typing
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any, TextIO

import msgspec

from .._json import encode_json, is_non_finite
from ..i18n import _

_JSON_BATCH = 500  # items encoded at a time in a listing
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GAP = "  "


def default_format(stream: TextIO | None = None) -> str:
    """``table`` on a terminal, ``json`` when the output goes to a pipe or a file."""
    stream = stream or sys.stdout
    return "table" if stream.isatty() else "json"


def _is_model(value: Any) -> bool:
    return hasattr(type(value), "__struct_fields__")


def _pairs(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(name, value)`` of a model's or dict's fields, nested objects spread (``country.id``)."""
    if _is_model(value):
        items: Iterable[tuple[str, Any]] = (
            (name, getattr(value, name)) for name in type(value).__struct_fields__
        )
    else:
        items = value.items()
    for name, inner in items:
        if _is_model(inner) or isinstance(inner, dict):
            yield from _pairs(inner, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", inner


def _lookup(item: Any, name: str) -> Any:
    """The value at a (dotted) column name; ``None`` where a nested object is missing."""
    if isinstance(item, dict) and name in item:  # a row already picked by ``--columns``
        return item[name]
    value = item
    for part in name.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


def _nested_model(annotation: Any) -> type[Any] | None:
    """The model inside ``Country | None``, if the field holds one."""
    if typing.get_origin(annotation) in (list, tuple, set, frozenset):
        return None  # models in a list: one cell (JSON text), as a lone object shows it
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and hasattr(candidate, "__struct_fields__"):
            return candidate
    return None


def model_columns(kind: type[Any]) -> list[str]:
    """Every field of a model, nested models spread as ``country.id``...: the CSV header."""
    names: list[str] = []
    hints = typing.get_type_hints(kind)
    for name in kind.__struct_fields__:
        nested = _nested_model(hints.get(name))
        if nested is None:
            names.append(name)
        else:
            names.extend(f"{name}.{sub}" for sub in model_columns(nested))
    return names


def _is_compound(value: Any) -> bool:
    """A list, a mapping or an object: what a CSV cell holds as JSON text."""
    return isinstance(value, (list, tuple, dict)) or _is_model(value)


def _json_text(value: Any) -> str:
    """``value`` as compact JSON text (one CSV cell)."""
    return encode_json(value).decode("utf-8")


def open_columns(kind: type[Any]) -> list[str]:
    """The fields of ``kind`` (dotted) that hold a mapping: any ``name.key`` below them
    may be asked for (``totals_per_vat_type.normal.vat_amount``)."""
    names: list[str] = []
    hints = typing.get_type_hints(kind)
    for name in kind.__struct_fields__:
        hint = hints.get(name)
        nested = _nested_model(hint)
        if nested is not None:
            names.extend(f"{name}.{sub}" for sub in open_columns(nested))
        elif any(
            candidate is dict or typing.get_origin(candidate) is dict or candidate is Any
            for candidate in (hint, *typing.get_args(hint))
        ):
            names.append(name)
    return names


def _text(value: Any) -> str:
    """A value as a table cell shows it (``None`` and a non-finite amount are empty)."""
    if value is None or is_non_finite(value):
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        if any(_is_compound(inner) for inner in value):
            return f"{len(value)} {'item' if len(value) == 1 else 'items'}"
        return ", ".join(_text(inner) for inner in value)
    if isinstance(value, dict) or _is_model(value):
        return _json_text(value)
    return str(value)


class Output:
    """Where and how a command prints: ``fmt`` (table, json, csv) and the CSV dialect."""

    def __init__(
        self,
        fmt: str,
        *,
        csv_dialect: str = "standard",
        out: TextIO | None = None,
        columns: str | None = None,
        path: str | None = None,
        width: int | None = None,
        colour: bool | None = None,
        pager: bool = False,
    ):
        self.fmt = fmt
        self.csv_dialect = csv_dialect
        self.out = out or sys.stdout
        self.columns = columns  # ``--columns`` as typed: checked against what is printed
        self.path = path  # ``--output FILE``
        self.width = width  # a table's width (default: the terminal's, none when piped)
        self.colour = colour  # negative amounts in red (default: on a terminal)
        self._part: str | None = None  # where the file is written until it is whole
        self._file: TextIO | None = None
        self._written = False
        self.pager = pager  # a table goes through the pager (:mod:`._pager`)
        self._pager: Any = None

    # -- --output FILE ------------------------------------------------------------------------

    def start_file(self) -> None:
        """Open ``--output FILE``'s part file (when there is one); a missing directory or a
        directory given as FILE is a usage error naming what the user typed."""
        if self.path is None:
            if self.fmt == "xlsx":
                from ._errors import UsageError

                raise UsageError(_("--format xlsx: needs --output FILE (a spreadsheet is a file)"))
            return
        import os

        from ._errors import UsageError

        target = os.path.abspath(self.path)
        folder, name = os.path.split(target)
        if os.path.isdir(target):
            raise UsageError(
                _("--output: {path} is a directory; give a file name").format(path=self.path)
            )
        if not os.path.isdir(folder):
            raise UsageError(
                _("--output: no such directory: {path}").format(path=os.path.dirname(self.path))
            )
        self._part = os.path.join(folder, f".{name}.part")
        if self.fmt != "xlsx":
            try:
                self._file = open(self._part, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as exc:
                raise UsageError(
                    _("--output: cannot write {path}: {reason}").format(
                        path=self.path, reason=exc.strerror
                    )
                ) from None
            self.out = self._file

    def finish(self, *, ok: bool) -> None:
        """Wait for the pager; rename the part file to ``--output FILE`` when ``ok``,
        remove it otherwise."""
        import contextlib
        import os

        if self._pager is not None:
            pager, self._pager = self._pager, None
            pager.close()

        if self._file is not None:
            self._file.close()
            self._file = None
        if self._part is None:
            return
        part, self._part = self._part, None
        if ok and os.path.exists(part):
            os.replace(part, self.path or "")
            return
        with contextlib.suppress(FileNotFoundError):
            os.remove(part)

    def _chosen(self, valid: Sequence[str], open_: Sequence[str] = ()) -> list[str] | None:
        """The ``--columns`` names, each checked against ``valid`` (a usage error if not);
        below an ``open_`` field (a mapping) any key is taken."""
        if self.columns is None:
            return None
        from ._errors import UsageError

        names = [name.strip() for name in self.columns.split(",") if name.strip()]
        if not names:
            raise UsageError(_("--columns: no column named (e.g. --columns id,name)"))
        allowed = set(valid)
        for name in valid:  # a nested object as a whole: ``client`` for ``client.id``
            parts = name.split(".")
            allowed.update(".".join(parts[:i]) for i in range(1, len(parts)))
        unknown = [
            name
            for name in names
            if name not in allowed and not any(name.startswith(f"{o}.") for o in open_)
        ]
        if unknown:
            raise UsageError(
                _("--columns: unknown column {name!r}; valid: {valid}").format(
                    name=unknown[0], valid=", ".join(valid)
                )
            )
        return names

    # -- entry points -------------------------------------------------------------------------

    def one(self, item: Any) -> None:
        """Print one object (a model or a dict)."""
        chosen = self._chosen([name for name, _ in _pairs(item)])
        if chosen is not None:
            item = {name: _lookup(item, name) for name in chosen}
        if self.fmt == "xlsx":
            pairs = list(_pairs(item))
            self._xlsx([[value for _, value in pairs]], [name for name, _ in pairs])
        elif self.fmt == "json":
            self._write_bytes(msgspec.json.format(encode_json(item), indent=2) + b"\n")
        elif self.fmt == "csv":
            pairs = list(_pairs(item))
            writer = self._csv_writer([name for name, _ in pairs])
            writer.writerow([self._csv_cell(value) for _, value in pairs])
        else:
            self._one_table(item)
        self.out.flush()

    def many(
        self,
        items: Iterable[Any],
        *,
        kind: type[Any],
        columns: Sequence[str],
        totals: Sequence[str] = (),
    ) -> None:
        """Print a listing as it arrives. ``kind`` is the items' model (the CSV header);
        ``columns`` are the fields a table shows, by importance (the first one is the id);
        ``totals`` the amounts a table adds up in a last row."""
        header = model_columns(kind)
        chosen = self._chosen(header, open_columns(kind))
        if chosen is not None:
            header = chosen
            columns = chosen
            items = ({name: _lookup(item, name) for name in chosen} for item in items)
        if self.fmt == "xlsx":
            self._xlsx(([_lookup(item, name) for name in header] for item in items), header)
        elif self.fmt == "json":
            self._json_list(iter(items))
        elif self.fmt == "csv":
            self._csv_list(items, header)
        else:
            self._table(iter(items), list(columns), totals=totals, kind=kind.__name__)
        self.out.flush()

    # -- xlsx ---------------------------------------------------------------------------------

    def _xlsx(self, rows: Iterable[Sequence[Any]], header: Sequence[str]) -> None:
        from ._errors import UsageError
        from ._xlsx import write_xlsx

        if self._part is None:
            raise UsageError(_("--format xlsx: needs --output FILE (a spreadsheet is a file)"))
        if self._written:
            raise UsageError(_("--format xlsx: this command prints several tables; use json"))
        self._written = True
        write_xlsx(self._part, rows, header)

    # -- JSON ---------------------------------------------------------------------------------

    def _write_bytes(self, data: bytes) -> None:
        binary = getattr(self.out, "buffer", None)
        if binary is None:  # a text-only stream (tests)
            self.out.write(data.decode("utf-8"))
            return
        self.out.flush()
        binary.write(data)

    def _json_list(self, items: Iterator[Any]) -> None:
        """``[`` then the items, a batch at a time, indented as one pretty-printed array."""
        first = True
        while batch := list(islice(items, _JSON_BATCH)):
            text = msgspec.json.format(encode_json(batch), indent=2)
            inner = text[2:-2]  # without the batch's own "[\n" and "\n]"
            self._write_bytes((b"[\n" if first else b",\n") + inner)
            first = False
        self._write_bytes(b"[]\n" if first else b"\n]\n")

    # -- CSV ----------------------------------------------------------------------------------

    def _csv_writer(self, header: list[str]) -> Any:
        french = self.csv_dialect == "excel-fr"
        stream = self._utf8()
        if french:
            stream.write("\ufeff")  # the BOM tells Excel the file is UTF-8
        writer = csv.writer(stream, delimiter=";" if french else ",", lineterminator="\r\n")
        writer.writerow(header)
        return writer

    def _utf8(self) -> Any:
        """Where CSV text goes: a file format, so UTF-8 bytes whatever the console's encoding
        (cp1252 for redirected output on Windows), lines ended as the writer says."""
        binary = getattr(self.out, "buffer", None)
        if binary is None:  # a text-only stream (tests)
            return self.out
        self.out.flush()
        return _Utf8Writer(binary)

    def _csv_cell(self, value: Any) -> str:
        if (
            isinstance(value, (Decimal, float))
            and self.csv_dialect == "excel-fr"
            and not is_non_finite(value)
        ):
            return str(value).replace(".", ",")
        if _is_compound(value):
            return _json_text(value)
        text = _text(value)
        if isinstance(value, str) and text.startswith(_FORMULA_START):
            return "'" + text  # shown as text by spreadsheets, never run as a formula
        return text

    def _csv_list(self, items: Iterable[Any], header: list[str]) -> None:
        writer = self._csv_writer(header)
        cell = self._csv_cell
        for item in items:
            writer.writerow([cell(_lookup(item, name)) for name in header])

    # -- tables -------------------------------------------------------------------------------

    def _page(self) -> None:
        """Send what follows to the pager, started now (the first table line), if any."""
        if not self.pager or self._pager is not None:
            return
        from ._pager import Pager
        from ._table import colour_wanted

        self.pager = False
        width, colour = self._width(), colour_wanted(self.out)
        pager = Pager.start()
        if pager is None:
            return
        self._pager = pager
        self.width = width if self.width is None else self.width
        self.colour = colour if self.colour is None else self.colour
        self.out = pager.stdin

    def _one_table(self, item: Any) -> None:
        """``name  value`` lines; a list of objects (an invoice's lines) shows its count there
        and a compact table below (:data:`._table.LIST_COLUMNS`), one row per object."""
        from ._table import LIST_COLUMNS, cell

        self._page()
        shown: list[tuple[str, str]] = []
        lists: list[tuple[str, list[Any]]] = []
        for name, value in _pairs(item):
            if value is None or value == [] or value == "":
                continue
            if (
                isinstance(value, list)
                and value
                and all(_is_model(inner) or isinstance(inner, dict) for inner in value)
            ):
                lists.append((name, value))
                shown.append((name, _("{n} (below)").format(n=len(value))))
            else:
                shown.append((name, cell(value, name, type(item).__name__)))
        width = max((len(name) for name, _ in shown), default=0)
        self.out.write("".join(f"{name:<{width}}{_GAP}{text}\n" for name, text in shown))
        for name, objects in lists:
            present: dict[str, None] = {}  # the fields any of them has, in order
            for inner in objects:
                present.update((sub, None) for sub, value in _pairs(inner) if value is not None)
            compact = [column for column in LIST_COLUMNS.get(name, ()) if column in present]
            self.out.write(f"\n{cell(name)}:\n")
            self._table(iter(objects), compact or list(present), count=False)

    def _width(self) -> int | None:
        """The terminal's width; ``None`` (no limit) when the table goes to a pipe or a file."""
        if self.width is not None:
            return self.width
        if self.out.isatty():
            return shutil.get_terminal_size().columns
        return None

    def _table(
        self,
        items: Iterator[Any],
        columns: list[str],
        *,
        totals: Sequence[str] = (),
        count: bool = True,
        kind: str = "",
    ) -> None:
        from ._table import Table, colour_wanted

        self._page()
        table = Table(
            self.out,
            columns,
            _lookup,
            width=self._width(),
            colour=self.colour if self.colour is not None else colour_wanted(self.out),
            totals=totals,
            count=count,
            kind=kind,
        )
        table.write(items)


class _Utf8Writer:
    """A text ``write()`` onto a binary stream, in UTF-8 (a lone surrogate becomes ``?``)."""

    def __init__(self, binary: Any) -> None:
        self._binary = binary

    def write(self, text: str) -> int:
        self._binary.write(text.encode("utf-8", "replace"))
        return len(text)
