"""``check_fec``: the most common reasons a FEC is rejected, found before the accountant or
the tax administration does (the 18 fields and their names, the encoding, separators
inside fields, dates, amounts, balanced entries, piece references and labels)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

__all__ = ["FEC_FIELDS", "FecCheck", "check_fec"]

FEC_FIELDS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
REQUIRED = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "ValidDate",
)
DATES = ("EcritureDate", "PieceDate", "ValidDate")
_AMOUNT = re.compile(r"-?\d+([,.]\d{1,2})?")
_FILENAME = re.compile(r"\d{9}FEC\d{8}\.txt", re.IGNORECASE)
MAX_PROBLEMS = 50


@dataclass
class FecCheck:
    """What :func:`check_fec` found: the problems (empty when the file passes) and counts."""

    path: str
    encoding: str = ""
    lines: int = 0
    entries: int = 0
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)
        else:
            self.more_problems += 1


def _decode(data: bytes, result: FecCheck) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        result.encoding = "utf-8"
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("iso-8859-15")
    if re.search("[\x80-\x9f]", text):  # C1 controls: neither UTF-8 nor ISO 8859-15
        result.problem("encoding: neither UTF-8 nor ISO 8859-15")
        return None
    result.encoding = "iso-8859-15"
    return text


def _date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _amount(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return Decimal(0)
    if not _AMOUNT.fullmatch(text):
        return None
    return Decimal(text.replace(",", "."))


def check_fec(path: str | Path) -> FecCheck:
    """Check the FEC at ``path``; reads the file only. Returns a :class:`FecCheck`."""
    path = Path(path)
    result = FecCheck(str(path))
    if not _FILENAME.fullmatch(path.name):
        result.problem(f"file name {path.name!r} is not <SIREN>FEC<AAAAMMJJ>.txt")
    text = _decode(path.read_bytes(), result)
    if text is None:
        return result
    rows = text.splitlines()
    if not rows:
        result.problem("the file is empty")
        return result
    header = rows[0]
    separator = "\t" if "\t" in header else "|"
    names = header.split(separator)
    if [n.strip() for n in names] != list(FEC_FIELDS):
        result.problem(
            f"line 1: the header is not the 18 fields in order, tab- or |-separated "
            f"({len(names)} found)"
        )
        return result
    balance: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    index = {name: n for n, name in enumerate(FEC_FIELDS)}
    for number, row in enumerate(rows[1:], 2):
        if not row.strip():
            continue
        fields = row.split(separator)
        if len(fields) != len(FEC_FIELDS):
            result.problem(
                f"line {number}: {len(fields)} fields, not 18 (a separator inside a field?)"
            )
            continue
        result.lines += 1
        value = {name: fields[n].strip() for name, n in index.items()}
        for name in REQUIRED:
            if not value[name]:
                result.problem(f"line {number}: {name} is empty")
        for name in DATES:
            if value[name] and _date(value[name]) is None:
                result.problem(f"line {number}: {name} {value[name]!r} is not a date AAAAMMJJ")
        if value["DateLet"] and _date(value["DateLet"]) is None:
            result.problem(f"line {number}: DateLet {value['DateLet']!r} is not a date AAAAMMJJ")
        if bool(value["CompAuxNum"]) != bool(value["CompAuxLib"]):
            result.problem(f"line {number}: CompAuxNum and CompAuxLib go together")
        debit, credit = _amount(value["Debit"]), _amount(value["Credit"])
        if debit is None or credit is None:
            result.problem(
                f"line {number}: Debit/Credit {value['Debit']!r}/{value['Credit']!r} "
                "are not amounts (decimal comma, two decimals at most)"
            )
            continue
        result.debit += debit
        result.credit += credit
        balance[(value["JournalCode"], value["EcritureNum"])] += debit - credit
    result.entries = len(balance)
    for (journal, entry), rest in balance.items():
        if rest:
            result.problem(f"entry {journal} {entry}: not balanced (debit - credit = {rest})")
    if result.lines == 0:
        result.problem("no entry lines")
    return result
