"""Overdue invoices and the French reminder sent about each, with the local ledger that
keeps a reminder from going twice to the same invoice on the same day."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from .._file_lock import locked
from ..types import Invoice
from ..types._base import Model
from ..types._dates import Date

__all__ = [
    "OverdueInvoice",
    "Reminder",
    "ReminderLedger",
    "overdue_invoices",
    "reminder_text",
]

UNPAID = ("saved", "sent")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class OverdueInvoice(Model, kw_only=True):
    """An invoice unpaid past its due date (``saved`` or ``sent``), how late, and what for;
    ``company_id`` is the company it was read from."""

    company_id: int | None = None
    id: int
    compiled_number: str | None = None
    client_id: int | None = None
    client_name: str | None = None
    emission_date: Date | None = None
    due_date: Date | None = None
    days_late: int
    amount: Decimal | None = None


def overdue_invoices(
    invoices: Iterable[Invoice], today: date, *, company_id: int | None = None
) -> list[OverdueInvoice]:
    """The invoices of ``invoices`` that are saved or sent (numbered, not paid) and due
    before ``today`` (the date in France: :func:`tiime._today.today`), latest first."""
    found = [
        OverdueInvoice(
            company_id=company_id,
            id=invoice.id,
            compiled_number=invoice.compiled_number,
            client_id=invoice.client_id,
            client_name=invoice.client_name,
            emission_date=invoice.emission_date,
            due_date=invoice.due_date,
            days_late=(today - invoice.due_date).days,
            amount=invoice.total_including_taxes,
        )
        for invoice in invoices
        if invoice.status in UNPAID and invoice.due_date is not None and invoice.due_date < today
    ]
    found.sort(key=lambda item: (-item.days_late, item.id))
    return found


def euros(amount: Decimal | None) -> str:
    """``1 234,50 €`` (a narrow no-break space between thousands, as French writes)."""
    if amount is None:
        return "-"
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"


def reminder_text(item: OverdueInvoice, company_name: str | None) -> tuple[str, str]:
    """The reminder's subject and message, in French: the invoice's number, amount
    including taxes, due date and days late."""
    number = item.compiled_number or f"n° {item.id}"
    due = item.due_date.strftime("%d/%m/%Y") if item.due_date else "-"
    subject = f"Relance : facture {number} échue le {due}"
    days = "1 jour" if item.days_late == 1 else f"{item.days_late} jours"
    message = (
        "Bonjour,\n\n"
        f"Sauf erreur de notre part, la facture {number} d'un montant de "
        f"{euros(item.amount)} TTC, échue le {due}, reste impayée à ce jour "
        f"({days} de retard).\n\n"
        "Nous vous remercions de bien vouloir procéder à son règlement dans les meilleurs "
        "délais. Si celui-ci a été effectué entre-temps, merci de ne pas tenir compte de ce "
        "message.\n\n"
        "Cordialement,\n"
        f"{company_name or ''}".rstrip()
    )
    return subject, message


class Reminder(Model, kw_only=True):
    """A reminder about an overdue invoice: to whom, what, and what became of it
    (``preview``, ``sent``, ``already reminded today``, ``no e-mail on file``, ``failed:
    ...``, ``unknown: ...``, ``not sent``)."""

    id: int
    compiled_number: str | None = None
    email: str | None = None
    status: str = "preview"
    subject: str = ""
    message: str = ""


class ReminderLedger:
    """The reminders sent, by day, in a JSON file of the config directory (owner-only),
    read and replaced under its lock (:func:`tiime._file_lock.locked`, as the logins'
    file): a reminder is claimed before it is sent (``pending``), then marked ``sent``, or
    released when the server refused it. A ``pending`` one whose outcome was lost stays:
    no second reminder that day."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def key(base_url: str, company_id: int, invoice_id: int) -> str:
        """The entry of an invoice of a company of a service: the base URL, its port left
        out on loopback (a local sandbox listens on a new port each time it starts)."""
        from urllib.parse import urlsplit

        parts = urlsplit(base_url.rstrip("/"))
        host = parts.hostname or ""
        where = f"{parts.scheme}://{host}{parts.path}" if host in _LOOPBACK else base_url
        return f"{where.rstrip('/')}|{company_id}|{invoice_id}"

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}
        entries = data.get("reminders") if isinstance(data, dict) else None
        return entries if isinstance(entries, dict) else {}

    def _write(self, entries: dict[str, dict[str, str]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".reminders-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"version": 1, "reminders": entries}, handle, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def sent_on(self, key: str) -> str | None:
        """The day of the last reminder of ``key`` recorded (sent or pending), if any."""
        entry = self._read().get(key)
        return entry.get("date") if isinstance(entry, dict) else None

    def claim(self, key: str, day: date) -> bool:
        """Record a reminder of ``key`` as pending for ``day``; False (nothing written) if
        one is recorded for that day already."""
        with locked(self.path):
            entries = self._read()
            entry = entries.get(key)
            if isinstance(entry, dict) and entry.get("date") == day.isoformat():
                return False
            entries[key] = {"date": day.isoformat(), "state": "pending"}
            self._write(entries)
            return True

    def settle(self, key: str, day: date, *, sent: bool) -> None:
        """Mark the claimed reminder sent, or release it (the server refused it)."""
        with locked(self.path):
            entries = self._read()
            if sent:
                entries[key] = {"date": day.isoformat(), "state": "sent"}
            else:
                entries.pop(key, None)
            self._write(entries)
