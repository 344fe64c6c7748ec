"""``tiime invoices`` and ``tiime quotations`` on the embedded sandbox, and ``tiime sandbox
outbox``."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tiime.cli._table import money

from .conftest import Result

Cli = Callable[..., Result]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a directory of the test's own (the PDFs land there)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def sb(cli: Cli, *args: str) -> Result:
    return cli("--sandbox", *args)


def created(cli: Cli, *args: str) -> dict[str, Any]:
    result = sb(cli, "invoices", "create", *args, "--format", "json")
    assert result.code == 0, result.err
    return dict(result.json)


ONE_LINE = ("--description", "Développement", "--unit-price", "0.10", "--quantity", "3")


def test_list_shows_what_one_scans_for(cli: Cli) -> None:
    result = sb(cli, "invoices", "list", "--limit", "3", "--format", "table")
    assert result.code == 0, result.err
    header = result.out.splitlines()[0].split()
    # Short headings, by importance (the table is not cut: it is not on a terminal).
    assert header == ["id", "number", "date", "total", "status", "client", "due", "excl.", "VAT"]
    assert "F-2026-" in result.out  # the seeded year ends on 2026-10-31


def test_list_filters_and_sorts(cli: Cli) -> None:
    result = sb(
        cli,
        "invoices",
        "list",
        "--status",
        "paid",
        "--sort",
        "emission_date:asc",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    invoices = result.json
    assert {i["status"] for i in invoices} == {"paid"}
    assert [i["emission_date"] for i in invoices] == sorted(i["emission_date"] for i in invoices)
    everything = sb(cli, "invoices", "list", "--all", "--format", "json").json
    assert len(everything) == 120


def test_create_one_line_computes_exactly(cli: Cli) -> None:
    invoice = created(
        cli, *ONE_LINE, "--client-id", "100101", "--unit", "day", "--title", "Mission"
    )
    assert invoice["status"] == "draft"
    assert invoice["compiled_number"] is None
    assert invoice["client_id"] == 100101
    [line] = invoice["lines"]
    assert line["line_amount"] == 0.3
    assert line["invoicing_unit"] == {"id": 3, "code": "day"}
    assert invoice["total_including_taxes"] == 0.36


def test_dry_run_prints_the_body_and_sends_nothing(cli: Cli) -> None:
    result = sb(
        cli,
        "invoices",
        "create",
        *ONE_LINE,
        "--date",
        "2025-03-01",
        "--dry-run",
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    shown = result.json
    assert shown["dry_run"] is True
    assert shown["method"] == "POST"
    body = shown["body"]
    assert body["emission_date"] == "2025-03-01"
    assert body["lines"][0]["line_amount"] == 0.3
    assert '"line_amount": 0.30' in result.out
    assert body["template"] == "advanced"
    assert len(sb(cli, "invoices", "list", "--format", "json").json) == 120


def test_create_from_a_yaml_file(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "facture.yaml"
    source.write_text(
        "client_id: 100102\n"
        "date: 2025-04-01\n"
        "title: Refonte\n"
        "status: saved\n"
        "lines:\n"
        "  - {description: Audit, quantity: 1.5, unit_price: 800, unit: day}\n"
        "  - {description: Livre, quantity: 2, unit_price: 19.99, vat: reduced}\n"
        "  - {description: Remise, quantity: 1, unit_price: 100, discount_percentage: 10}\n",
        encoding="utf-8",
    )
    invoice = created(cli, "--from-file", str(source))
    assert invoice["status"] == "saved"
    assert invoice["compiled_number"].startswith("F-2025-")
    assert [line["sequence"] for line in invoice["lines"]] == [1, 2, 3]
    assert [line["line_amount"] for line in invoice["lines"]] == [1200, 39.98, 90]
    assert invoice["emission_date"] == "2025-04-01"


def test_create_from_a_json_file_with_flags_overriding(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "facture.json"
    source.write_text(
        json.dumps(
            {
                "client_name": "Client A",
                "title": "Avant",
                "lines": [{"description": "X", "unit_price": 5}],
            }
        ),
        encoding="utf-8",
    )
    invoice = created(cli, "--from-file", str(source), "--title", "Après")
    assert invoice["title"] == "Après"
    assert invoice["client_name"] == "Client A"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--description", "x"), "go together"),
        ((), "--description and --unit-price are required"),
        (("--lines", "[{"), "--lines is not valid JSON"),
        (
            ("--lines", '[{"description": "a", "unit_price": 1, "vat": "twenty"}]'),
            "vat must be one of",
        ),
        (("--lines", '[{"description": "a", "price": 1}]'), "unknown keys price"),
        (("--description", "x", "--unit-price", "abc"), "--unit-price: not a number: 'abc'"),
        (("--description", "x", "--unit-price", "1", "--date", "2025-02-30"), "emission_date"),
        (("--from-file", "missing.json"), "--from-file missing.json"),
    ],
)
def test_bad_input_is_one_usage_line(
    cli: Cli, here: Path, args: tuple[str, ...], message: str
) -> None:
    result = sb(cli, "invoices", "create", *args)
    assert result.code == 2
    assert message in result.error_line


def test_bad_yaml_is_one_usage_line(cli: Cli, here: Path) -> None:
    (here / "bad.yml").write_text("lines: [unclosed\n", encoding="utf-8")
    result = sb(cli, "invoices", "create", "--from-file", "bad.yml")
    assert result.code == 2
    assert "not valid YAML" in result.error_line


def test_update_saves_and_numbers_then_refuses_nonsense(cli: Cli) -> None:
    draft = created(cli, *ONE_LINE)
    saved = sb(cli, "invoices", "update", str(draft["id"]), "--status", "saved", "--format", "json")
    assert saved.code == 0, saved.err
    assert saved.json["compiled_number"]
    back = sb(cli, "invoices", "update", "--id", str(draft["id"]), "--status", "draft")
    assert back.code == 1
    assert "saved -> draft" in back.error_line


def test_duplicate(cli: Cli) -> None:
    source = created(cli, *ONE_LINE, "--client-id", "100101")
    copy = sb(
        cli,
        "invoices",
        "duplicate",
        str(source["id"]),
        "--quantity",
        "2",
        "--date",
        "2025-05-05",
        "--format",
        "json",
    )
    assert copy.code == 0, copy.err
    assert copy.json["id"] != source["id"]
    assert copy.json["emission_date"] == "2025-05-05"
    assert copy.json["lines"][0]["quantity"] == 2
    assert copy.json["client_id"] == 100101


def test_pdf_is_named_after_the_number_and_never_overwritten(cli: Cli, here: Path) -> None:
    saved = created(cli, *ONE_LINE, "--status", "saved")
    name = f"facture-{saved['compiled_number']}.pdf"

    first = sb(cli, "invoices", "pdf", str(saved["id"]), "--format", "json")
    assert first.code == 0, first.err
    assert first.json == {"status": "downloaded", "id": saved["id"], "path": name}
    data = (here / name).read_bytes()
    assert data.startswith(b"%PDF-")

    (here / name).write_bytes(b"mine")
    again = sb(cli, "invoices", "pdf", str(saved["id"]))
    assert again.code == 1
    assert "--force" in again.error_line
    assert (here / name).read_bytes() == b"mine"
    forced = sb(cli, "invoices", "pdf", str(saved["id"]), "--force", "--format", "json")
    assert forced.code == 0
    assert (here / name).read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in here.iterdir()) == [name]


def test_a_drafts_pdf_is_named_after_its_id_or_output(cli: Cli, here: Path) -> None:
    draft = created(cli, *ONE_LINE)
    assert sb(cli, "invoices", "pdf", str(draft["id"])).code == 0
    assert (here / f"facture-{draft['id']}.pdf").exists()
    out = here / "sub" / "x.pdf"
    out.parent.mkdir()
    assert sb(cli, "invoices", "pdf", str(draft["id"]), "--output", str(out)).code == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_delete_needs_yes_when_stdin_is_not_a_terminal(cli: Cli) -> None:
    draft = created(cli, *ONE_LINE)
    refused = cli("--sandbox", "invoices", "delete", str(draft["id"]), stdin="y\n")
    assert refused.code == 2
    assert "--yes" in refused.error_line
    done = sb(cli, "invoices", "delete", str(draft["id"]), "--yes", "--format", "json")
    assert done.code == 0
    assert done.json == {"status": "deleted", "id": draft["id"]}
    assert sb(cli, "invoices", "get", str(draft["id"])).code == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("answer", "deleted"), [("y\n", True), ("oui\n", True), ("n\n", False), ("\n", False)]
)
def test_delete_asks_on_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, answer: str, deleted: bool
) -> None:
    draft = created(cli, *ONE_LINE)
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    result = sb(cli, "invoices", "delete", str(draft["id"]))
    assert f"Delete invoice {draft['id']} (draft, 0.36 TTC, " in result.err
    assert (result.code == 0) is deleted
    assert (sb(cli, "invoices", "get", str(draft["id"])).code == 1) is deleted


def test_the_prompt_says_what_it_would_delete(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    sent = next(i for i in sb(cli, "invoices", "list", "--status", "sent").json if i["client_name"])
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    result = sb(cli, "invoices", "delete", str(sent["id"]))
    total = money(Decimal(str(sent["total_including_taxes"])))
    question = (
        f"Delete invoice {sent['compiled_number']} (sent, {total} TTC, "
        f"client {sent['client_name']})? [y/N] "
    )
    assert result.err.startswith(question)
    assert "draft" not in result.err
    assert result.code == 1
    assert result.err.endswith("kept (not confirmed)\n")


def test_a_numbered_invoice_is_not_deleted(cli: Cli) -> None:
    saved = created(cli, *ONE_LINE, "--status", "saved")
    result = sb(cli, "invoices", "delete", str(saved["id"]), "--yes")
    assert result.code == 1
    assert "brouillon" in result.error_line


def test_send_lands_in_the_outbox(cli: Cli) -> None:
    saved = created(cli, *ONE_LINE, "--status", "saved")
    sent = sb(
        cli,
        "invoices",
        "send",
        str(saved["id"]),
        "--email",
        "a@b.fr",
        "--email",
        "c@d.fr",
        "--subject",
        "Votre facture",
        "--format",
        "json",
    )
    assert sent.code == 0, sent.err
    assert sent.json == {
        "status": "sent",
        "id": saved["id"],
        "email": "a@b.fr, c@d.fr",
        "email_from": "--email",
    }
    outbox = cli("sandbox", "outbox", "--format", "json")
    assert outbox.code == 0, outbox.err
    [message] = outbox.json
    assert message["recipients"] == ["a@b.fr", "c@d.fr"]
    assert message["document_number"] == saved["compiled_number"]
    assert message["subject"] == "Votre facture"
    bad = sb(cli, "invoices", "send", str(saved["id"]), "--email", "nobody")
    assert bad.code == 2


def test_quotations(cli: Cli, here: Path) -> None:
    listed = sb(cli, "quotations", "list", "--format", "json")
    assert listed.code == 0, listed.err
    assert len(listed.json) == 30
    made = sb(
        cli,
        "quotations",
        "create",
        "--description",
        "Audit",
        "--unit-price",
        "800",
        "--quantity",
        "1.5",
        "--status",
        "saved",
        "--client-id",
        "100101",
        "--format",
        "json",
    )
    assert made.code == 0, made.err
    quotation = made.json
    assert quotation["amount_including_taxes"] == 1440
    number = quotation["quotation_number"]
    assert sb(cli, "quotations", "pdf", str(quotation["id"])).code == 0
    assert (here / f"devis-{number}.pdf").read_bytes().startswith(b"%PDF-")
    got = sb(cli, "quotations", "get", str(quotation["id"]), "--format", "json")
    assert got.json["client"] == {"id": 100101, "name": quotation["client"]["name"]}
    table = sb(cli, "quotations", "list", "--limit", "2", "--format", "table")
    assert table.out.splitlines()[0].split()[:4] == ["id", "number", "date", "total"]
    sent = sb(
        cli, "quotations", "send", str(quotation["id"]), "--email", "p@d.fr", "--format", "json"
    )
    assert sent.code == 0, sent.err


def test_yaml_without_pyyaml_names_the_extra(here: Path) -> None:
    from .test_extras import run_hiding

    (here / "facture.yaml").write_text("lines: []\n", encoding="utf-8")
    result = run_hiding(["yaml"], "--sandbox", "invoices", "create", "--from-file", "facture.yaml")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "pip install 'tiime[cli]'" in result.stderr
