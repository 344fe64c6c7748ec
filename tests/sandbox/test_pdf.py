"""The sandbox's PDFs: the same document gives the same bytes, whenever it is downloaded."""

from __future__ import annotations

import time

from tiime.sandbox.pdf import Document, render_pdf

DOC = Document(
    kind="Facture",
    number="F-2025-0001",
    status="sent",
    date_label="Date",
    date="2025-03-04",
    due_date="2025-04-03",
    title="Site vitrine",
    seller={"name": "Atelier Martin Conseil", "siret": "80725842100012"},
    client_lines=["Garage Lefèvre"],
    lines=[],
    per_vat={},
    total_excluding=0,
    total_including=0,
)


def test_the_same_document_renders_to_the_same_bytes_in_another_second() -> None:
    first = render_pdf(DOC)
    time.sleep(1.1)  # the clock's second changes: a PDF dated by the clock would differ

    assert render_pdf(DOC) == first
    assert b"/CreationDate (D:20250304" in first


def pdf_text(data: bytes) -> str:
    """The text the PDF's pages show (fpdf2's core fonts: windows-1252 strings)."""
    import re
    import zlib

    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content):
            unescaped = re.sub(rb"\\(.)", rb"\1", text)
            shown.append(unescaped.decode("cp1252"))
    return "\n".join(shown)


LINE = {
    "description": "Maquettes",
    "quantity": "3",
    "unit_amount": "1234.5",
    "vat_code": "normal",
    "line_cents": 370_350,
    "discount_percentage": None,
    "discount_amount": None,
}


def test_the_pdf_is_french_throughout() -> None:
    doc = Document(
        kind="Facture",
        number="F-2025-0001",
        status="sent",
        date_label="Date d'émission",
        date="2025-03-04",
        due_date="2025-04-03",
        title="Site vitrine",
        seller={"name": "Atelier Martin Conseil", "siret": "80725842100012"},
        client_lines=["Garage Lefèvre"],
        lines=[LINE],
        per_vat={"normal": ("20", 370_350, 74_070)},
        total_excluding=370_350,
        total_including=444_420,
    )

    text = pdf_text(render_pdf(doc))

    assert "Statut : envoyée" in text
    assert "Date d'émission : 04/03/2025" in text
    assert "Échéance : 03/04/2025" in text
    assert "TVA 20 % sur 3 703,50 €" in text
    assert "1 234,50 €" in text  # the unit price
    assert "4 444,20 €" in text  # the total including VAT
    for english in ("sent", "normal", "EUR", "2025-03-04"):
        assert english not in text, english


def test_a_quotation_s_status_is_french_too() -> None:
    doc = Document(
        kind="Devis",
        number="D-2025-0003",
        status="accepted",
        date_label="Date",
        date="2025-03-04",
        due_date=None,
        title=None,
        seller={"name": "Atelier Martin Conseil"},
        client_lines=[],
        lines=[],
        per_vat={},
        total_excluding=0,
        total_including=0,
    )

    assert "Statut : accepté" in pdf_text(render_pdf(doc))
