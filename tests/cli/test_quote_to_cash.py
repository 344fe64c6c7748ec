"""Quote to cash on the embedded sandbox: a quotation accepted and invoiced, the invoice
sent to the client's e-mail on file, clients named, lists filtered, negative lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .conftest import Result

Cli = Callable[..., Result]
LINES = (
    '[{"description": "Maquettes", "quantity": 3, "unit_price": 450, "unit": "day"}, '
    '{"description": "Intégration", "quantity": 2.5, "unit_price": "380.40", "vat": "none", '
    '"discount_percentage": 10}]'
)


def ok(cli: Cli, *args: str) -> Any:
    result = cli("--sandbox", *args, "--format", "json")
    assert result.code == 0, result.err
    return result.json


def test_a_quotation_is_saved_accepted_and_invoiced_with_its_lines(cli: Cli) -> None:
    quotation = ok(
        cli,
        "quotations",
        "create",
        "--client",
        "garage lefèvre",
        "--lines",
        LINES,
        "--title",
        "Site vitrine",
    )
    assert quotation["client"]["id"] == 100108
    assert quotation["status"] == "draft"
    saved = ok(cli, "quotations", "update", str(quotation["id"]), "--status", "saved")
    assert saved["quotation_number"].startswith("D-")
    accepted = ok(cli, "quotations", "accept", str(quotation["id"]))
    assert accepted["status"] == "accepted"

    invoice = ok(cli, "quotations", "invoice", str(quotation["id"]), "--date", "2025-06-02")

    assert invoice["status"] == "draft"
    assert invoice["client_id"] == 100108
    assert invoice["title"] == "Site vitrine"
    assert invoice["total_excluding_taxes"] == quotation["total_excluding_taxes"]
    keys = ("description", "quantity", "unit_amount", "line_amount", "discount_percentage")
    assert [{k: x[k] for k in keys} for x in invoice["lines"]] == [
        {k: x[k] for k in keys} for x in quotation["lines"]
    ]
    linked = ok(cli, "quotations", "get", str(quotation["id"]))
    assert linked["status"] == "accepted"
    listed = ok(cli, "quotations", "list")
    [mine] = [q for q in listed if q["id"] == quotation["id"]]
    assert [i["id"] for i in mine["invoices"]] == [invoice["id"]]


def test_decline_then_no_invoice_and_moves_refused_in_one_line(cli: Cli) -> None:
    quotation = ok(
        cli,
        "quotations",
        "create",
        "--description",
        "Audit",
        "--unit-price",
        "800",
        "--status",
        "saved",
    )
    assert ok(cli, "quotations", "decline", str(quotation["id"]))["status"] == "declined"
    again = cli("--sandbox", "quotations", "accept", str(quotation["id"]))
    assert again.code == 1
    assert "declined -> accepted" in again.error_line
    invoiced = cli("--sandbox", "quotations", "invoice", str(quotation["id"]))
    assert invoiced.code == 1
    assert "ne peut pas être facturé" in invoiced.error_line


def test_update_lines_of_a_quotation_and_of_a_draft_invoice(cli: Cli) -> None:
    quotation = ok(cli, "quotations", "create", "--description", "A", "--unit-price", "10")
    changed = ok(cli, "quotations", "update", str(quotation["id"]), "--lines", LINES)
    assert [x["description"] for x in changed["lines"]] == ["Maquettes", "Intégration"]
    invoice = ok(cli, "invoices", "create", "--description", "A", "--unit-price", "10")
    edited = ok(
        cli, "invoices", "update", str(invoice["id"]), "--lines", LINES, "--title", "Refonte"
    )
    assert [x["description"] for x in edited["lines"]] == ["Maquettes", "Intégration"]
    assert edited["total_excluding_taxes"] == 3 * 450 + 855.90
    copy = ok(cli, "invoices", "duplicate", str(invoice["id"]), "--title", "Refonte, lot 2")
    assert copy["title"] == "Refonte, lot 2"
    assert copy["total_excluding_taxes"] == edited["total_excluding_taxes"]


def test_send_defaults_to_the_clients_email_and_says_so(cli: Cli) -> None:
    invoice = ok(
        cli,
        "invoices",
        "create",
        "--client",
        "100108",
        "--description",
        "Vidange",
        "--unit-price",
        "90",
        "--status",
        "saved",
    )
    sent = ok(cli, "invoices", "send", str(invoice["id"]))
    assert sent["email"] == "contact@garage-lefevre.example"
    assert sent["email_from"] == "client 100108 (Garage Lefèvre) e-mail on file"
    [message] = cli("sandbox", "outbox", "--format", "json").json
    assert message["recipients"] == ["contact@garage-lefevre.example"]

    no_email = ok(
        cli,
        "invoices",
        "create",
        "--client",
        "Jérôme Lefèvre",
        "--description",
        "Conseil",
        "--unit-price",
        "90",
        "--status",
        "saved",
    )
    refused = cli("--sandbox", "invoices", "send", str(no_email["id"]))
    assert refused.code == 2
    assert "has no e-mail on file: give --email" in refused.error_line


def test_an_ambiguous_or_unknown_client_name_is_a_usage_error_listing_candidates(
    cli: Cli,
) -> None:
    ambiguous = cli(
        "--sandbox",
        "invoices",
        "create",
        "--client",
        "Lefèvre",
        "--description",
        "X",
        "--unit-price",
        "1",
    )
    assert ambiguous.code == 2
    line = ambiguous.error_line
    assert "names 2 clients" in line
    assert "100107 Jérôme Lefèvre" in line
    assert "100108 Garage Lefèvre" in line
    unknown = cli("--sandbox", "invoices", "list", "--client", "Personne Inconnue")
    assert unknown.code == 2
    assert "no client of that name" in unknown.error_line


def test_list_filters_by_several_statuses_client_and_emission_dates(cli: Cli) -> None:
    every = ok(cli, "invoices", "list")
    chosen = ok(
        cli,
        "invoices",
        "list",
        "--status",
        "paid",
        "--status",
        "sent",
        "--client",
        "100101",
        "--from",
        "2026-03-01",
        "--to",
        "2026-10-31",
    )
    expected = [
        i["id"]
        for i in every
        if i["status"] in ("paid", "sent")
        and i["client_id"] == 100101
        and "2026-03-01" <= i["emission_date"] <= "2026-10-31"
    ]
    assert expected
    assert [i["id"] for i in chosen] == expected
    bad = cli("--sandbox", "invoices", "list", "--from", "mars")
    assert bad.code == 2


def test_negative_lines_need_the_credit_flag(cli: Cli) -> None:
    before = len(ok(cli, "invoices", "list"))
    refused = cli(
        "--sandbox",
        "invoices",
        "create",
        "--description",
        "Remise",
        "--unit-price",
        "-50",
        "--status",
        "saved",
    )
    assert refused.code == 2
    assert "credit" in refused.error_line
    assert len(ok(cli, "invoices", "list")) == before
    credit = ok(
        cli, "invoices", "create", "--description", "Avoir", "--unit-price", "-50", "--credit"
    )
    assert credit["total_excluding_taxes"] == -50
