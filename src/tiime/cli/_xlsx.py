"""``--format xlsx``: a listing as a spreadsheet that a French accountant opens as is.

Written with XlsxWriter (the ``cli`` extra) in constant-memory mode: each row goes to
disk as it arrives, so that 100,000 transactions take no more memory than 100.

* a bold header row (the field names, or ``--columns``), frozen so that it stays in view;
* amounts (``Decimal``) as numbers in a money format (``#,##0.00``: Excel shows it with
  the reader's own separators, ``1 517,80`` in French), other numbers as numbers;
* dates as dates (``yyyy-mm-dd``), date-times as date-times (shown in UTC);
* booleans as booleans; text as text, never run as a formula; a list or mapping as
  compact JSON text (as in CSV); ``None`` and a non-finite amount an empty cell;
* column widths from the first rows (as a table's), between 6 and 60 characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from .._json import encode_json, is_non_finite
from ._errors import missing_extra

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_SIZING_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def write_xlsx(
    path: str,
    rows: Iterable[Sequence[Any]],
    header: Sequence[str],
    *,
    sheet: str = "tiime",
) -> int:
    """Write ``header`` then ``rows`` (a value per column) to the workbook ``path``;
    returns the number of rows written (header not counted)."""
    try:
        import xlsxwriter
    except ImportError:
        raise missing_extra("cli", "xlsxwriter") from None

    book = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "remove_timezone": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    try:
        page = book.add_worksheet(sheet)
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": MONEY_FORMAT})
        date = book.add_format({"num_format": DATE_FORMAT})
        moment = book.add_format({"num_format": DATETIME_FORMAT})
        widths = [len(name) for name in header]
        for column, name in enumerate(header):
            page.write_string(0, column, name, bold)
        page.freeze_panes(1, 0)
        count = 0
        for count, values in enumerate(rows, start=1):
            for column, value in enumerate(values):
                shown = _write(page, count, column, value, money, date, moment)
                if count <= _SIZING_ROWS and shown > widths[column]:
                    widths[column] = shown
        for column, width in enumerate(widths):
            page.set_column(column, column, min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH))
        if header:
            page.autofilter(0, 0, max(count, 1), len(header) - 1)
    finally:
        book.close()
    return count


def _write(page: Any, row: int, column: int, value: Any, *formats: Any) -> int:
    """Write one cell; the number of characters it shows (for the column's width)."""
    money, date, moment = formats
    if value is None or is_non_finite(value):
        return 0
    if isinstance(value, bool):
        page.write_boolean(row, column, value)
        return 5
    if isinstance(value, Decimal):
        page.write_number(row, column, float(value), money)
        return len(f"{value:,.2f}")
    if isinstance(value, (int, float)):
        page.write_number(row, column, value)
        return len(str(value))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        page.write_datetime(row, column, value, moment)
        return 19
    if isinstance(value, dt.date):
        page.write_datetime(row, column, value, date)
        return 10
    if isinstance(value, (list, tuple, dict)) or hasattr(type(value), "__struct_fields__"):
        text = encode_json(value).decode("utf-8")
    else:
        text = str(value)
    page.write_string(row, column, text)
    return len(text)
