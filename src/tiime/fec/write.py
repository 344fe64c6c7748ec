"""Writing the FEC file: the 18 fields, tab-separated, ``AAAAMMJJ`` dates, decimal commas."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from .build import FecExport, Line
from .check import FEC_FIELDS

__all__ = ["ENCODING", "fec_filename", "fec_text", "write_fec"]

ENCODING = "iso-8859-15"
_SPACES = re.compile(r"[\t\r\n\x00-\x1f\x7f]+")


def fec_filename(export: FecExport) -> str:
    """``<SIREN>FEC<AAAAMMJJ>.txt``, the date being the period's closing date."""
    return f"{export.siren}FEC{export.end:%Y%m%d}.txt"


def _text(value: str) -> str:
    """One field's text: no separator or line break inside; ISO 8859-15 only (an accent it
    lacks dropped, a character it cannot show at all as ``?``)."""
    value = _SPACES.sub(" ", value).strip()
    out = []
    for char in value:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or ("-" if unicodedata.category(char) == "Pd" else "?"))
    return "".join(out)


def _date(value: dt.date | None) -> str:
    return "" if value is None else f"{value:%Y%m%d}"


def _amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f").replace(".", ",")


def _fields(line: Line) -> list[str]:
    return [
        _text(line.journal_code),
        _text(line.journal_lib),
        _text(line.ecriture_num),
        _date(line.ecriture_date),
        _text(line.compte_num),
        _text(line.compte_lib),
        _text(line.comp_aux_num),
        _text(line.comp_aux_lib),
        _text(line.piece_ref),
        _date(line.piece_date),
        _text(line.ecriture_lib),
        _amount(line.debit),
        _amount(line.credit),
        "",
        "",
        _date(line.valid_date),
        "",
        "",
    ]


def fec_text(export: FecExport) -> str:
    """The file's text: the header, then one line per entry line, ``\\r\\n`` after each."""
    rows = ["\t".join(FEC_FIELDS)]
    rows.extend("\t".join(_fields(line)) for line in export.lines)
    return "\r\n".join(rows) + "\r\n"


def write_fec(export: FecExport, directory: str | Path = ".") -> Path:
    """Write the FEC in ``directory`` under :func:`fec_filename` (replacing it whole: a
    temporary file renamed); returns its path."""
    path = Path(directory) / fec_filename(export)
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(fec_text(export).encode(ENCODING))
    os.replace(temporary, path)
    return path
