"""Invoices and quotations as real PDF files, made with fpdf2 (pure Python).

One A4 page (more if the lines need it): the seller (the company) and the client, the
number and dates, the lines, the VAT per rate and the totals, in French throughout
(``Statut : envoyée``, ``04/03/2025``, ``1 234,56 €``, ``TVA 20 %``). The standard PDF
fonts are written in windows-1252 (``€``, ``Œ`` and curly quotes included); other
characters are spelled in it, or replaced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from fpdf import FPDF

__all__ = ["Document", "french_date", "french_status", "render_pdf"]

# The encoding of the standard PDF fonts here: Latin-1 with ``€``, ``Œ``, curly quotes.
ENCODING = "windows-1252"
_SPELLED = str.maketrans({"\u202f": " ", "\u2009": " ", "\u2010": "-", "\u2011": "-"})

# What a status is called on the document, by its kind (a facture, un devis).
_STATUSES: dict[str, dict[str, str]] = {
    "Facture": {
        "draft": "brouillon",
        "saved": "finalisée",
        "sent": "envoyée",
        "paid": "payée",
        "cancelled": "annulée",
    },
    "Devis": {
        "draft": "brouillon",
        "saved": "finalisé",
        "sent": "envoyé",
        "accepted": "accepté",
        "declined": "refusé",
        "cancelled": "annulé",
    },
}


def latin1(text: Any) -> str:
    """``text`` in the characters the standard PDF fonts have (:data:`ENCODING`)."""
    spelled = str("" if text is None else text).translate(_SPELLED)
    return spelled.encode(ENCODING, "replace").decode(ENCODING)


def euros(cents: int) -> str:
    """``123456`` -> ``1 234,56 €`` (French writing)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{sign}{grouped},{part:02d} €"


def french_date(day: str | None) -> str:
    """``2025-03-04`` -> ``04/03/2025``; any other text as it is."""
    try:
        return date.fromisoformat(str(day)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(day or "")


def french_status(kind: str, status: str) -> str:
    """A document's status as the document says it: ``envoyée`` (a Facture's ``sent``)."""
    return _STATUSES.get(kind, {}).get(status, status)


def _number_text(text: str) -> str:
    return text.replace(".", ",")


@dataclass(frozen=True)
class Document:
    """What a PDF shows. ``lines`` are stored line rows; ``per_vat`` maps a VAT code to
    ``(rate text, base cents, vat cents)``."""

    kind: str  # "Facture" or "Devis"
    number: str | None
    status: str
    date_label: str
    date: str
    due_date: str | None
    title: str | None
    seller: Mapping[str, Any]
    client_lines: Sequence[str]
    lines: Sequence[Mapping[str, Any]]
    per_vat: Mapping[str, tuple[str, int, int]]
    total_excluding: int
    total_including: int
    footer: str | None = None


def _creation_date(day: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(day[:10]), time(), tzinfo=timezone.utc)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=timezone.utc)


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes."""
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(latin1(f"{doc.kind} {doc.number or 'brouillon'}"))
    pdf.set_creator("tiime sandbox")
    # Dated by the document, not the clock: the same document gives the same bytes (the PDF's
    # /ID is derived from its content and this date), whenever it is downloaded.
    pdf.set_creation_date(_creation_date(doc.date))
    pdf.add_page()
    seller = doc.seller
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 7, latin1(seller.get("name")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for part in (
        seller.get("address"),
        " ".join(str(p) for p in (seller.get("postal_code"), seller.get("city")) if p),
        f"SIRET {seller['siret']}" if seller.get("siret") else None,
        f"TVA {seller['vat']}" if seller.get("vat") else None,
    ):
        if part:
            pdf.cell(0, 4.5, latin1(part), new_x="LMARGIN", new_y="NEXT")

    pdf.set_xy(120, 15)
    pdf.set_font("Helvetica", "B", 16)
    heading = f"{doc.kind} {doc.number}" if doc.number else f"{doc.kind} (brouillon)"
    pdf.cell(0, 8, latin1(heading), new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    dated = f"{doc.date_label} : {french_date(doc.date)}"
    pdf.cell(0, 5, latin1(dated), new_x="LEFT", new_y="NEXT")
    if doc.due_date:
        due = f"Échéance : {french_date(doc.due_date)}"
        pdf.cell(0, 5, latin1(due), new_x="LEFT", new_y="NEXT")
    status = f"Statut : {french_status(doc.kind, doc.status)}"
    pdf.cell(0, 5, latin1(status), new_x="LEFT", new_y="NEXT")

    pdf.set_xy(120, 50)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 5, "Client", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for part in doc.client_lines:
        pdf.cell(0, 4.5, latin1(part), new_x="LEFT", new_y="NEXT")

    pdf.set_xy(pdf.l_margin, 80)
    if doc.title:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, latin1(doc.title), new_x="LMARGIN", new_y="NEXT")
    widths = (80, 20, 28, 18, 34)
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_fill_color(235, 235, 235)
    for width, head in zip(
        widths, ("Désignation", "Quantité", "Prix unitaire HT", "TVA", "Montant HT"), strict=True
    ):
        pdf.cell(width, 7, latin1(head), border=1, fill=True, align="C")
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for line in doc.lines:
        rate = doc.per_vat.get(line["vat_code"], ("", 0, 0))[0]
        description = latin1(line["description"]).replace("\n", " ")[:60]
        if line.get("discount_percentage"):
            description += f" (remise {_number_text(line['discount_percentage'])} %)"
        elif line.get("discount_amount"):
            description += f" (remise {_number_text(line['discount_amount'])} €)"
        cells = (
            (description, "L"),
            (_number_text(line["quantity"]), "R"),
            (euros(round(float(line["unit_amount"]) * 100)), "R"),
            (f"{rate} %", "R"),
            (euros(line["line_cents"]), "R"),
        )
        for width, (text, align) in zip(widths, cells, strict=True):
            pdf.cell(width, 6, latin1(text), border=1, align=align)
        pdf.ln()

    pdf.ln(4)
    pdf.set_x(110)
    for rate, base, vat in doc.per_vat.values():
        pdf.set_x(110)
        pdf.cell(55, 5, latin1(f"TVA {rate} % sur {euros(base)}"))
        pdf.cell(35, 5, latin1(euros(vat)), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    for label, amount in (
        ("Total HT", doc.total_excluding),
        ("Total TVA", doc.total_including - doc.total_excluding),
        ("Total TTC", doc.total_including),
    ):
        pdf.set_x(110)
        pdf.cell(55, 6, label)
        pdf.cell(35, 6, latin1(euros(amount)), align="R", new_x="LMARGIN", new_y="NEXT")
    if doc.footer:
        pdf.ln(6)
        pdf.set_font("Helvetica", "", 8)
        pdf.multi_cell(0, 4, latin1(doc.footer))
    return bytes(pdf.output())
