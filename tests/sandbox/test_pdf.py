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
