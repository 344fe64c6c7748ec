"""``tiime bank transaction|suggestions|match|matchings|attach`` and ``bank impute --label``
on the embedded sandbox: a month closed from the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tiime.cli._errors import UsageError
from tiime.cli.commands.bank_matching import resolve_label
from tiime.types import Label, LabelSuggestion

from .conftest import Result

Cli = Callable[..., Result]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ok(cli: Cli, *args: str) -> Any:
    result = cli("--sandbox", *args, "--format", "json")
    assert result.code == 0, result.err
    return result.json


def first_unimputed(cli: Cli) -> dict[str, Any]:
    return dict(ok(cli, "bank", "unimputed")[0])


def test_transaction_and_its_suggestions(cli: Cli) -> None:
    pending = first_unimputed(cli)
    one = ok(cli, "bank", "transaction", str(pending["id"]))
    assert one["id"] == pending["id"]
    assert ok(cli, "bank", "transactions", "get", str(pending["id"])) == one
    assert cli("--sandbox", "bank", "transactions", "get").code == 2
    assert one["amount"] == pending["amount"]
    suggestions = ok(cli, "bank", "suggestions", str(pending["id"]))
    assert suggestions
    assert all("id" in s for s in suggestions)
    missing = cli("--sandbox", "bank", "transaction", "999999999")
    assert missing.code == 1
    assert "tiime bank transactions" in missing.error_line


def test_impute_by_label_name_and_ambiguous_names_listed(cli: Cli) -> None:
    pending = first_unimputed(cli)
    [best, *_] = ok(cli, "bank", "suggestions", str(pending["id"]))
    name = best["name"] or best["label"]
    dry = ok(cli, "bank", "impute", str(pending["id"]), "--label", name.upper(), "--dry-run")
    assert dry["label_id"] == best["id"]
    done = ok(cli, "bank", "impute", str(pending["id"]), "--label", name)
    assert [i["label"]["id"] for i in done["imputations"]] == [best["id"]]
    unknown = cli("--sandbox", "bank", "impute", str(pending["id"]), "--label", "Rien Du Tout")
    assert unknown.code == 2
    assert "no label of that name" in unknown.error_line


def test_match_matchings_keep_and_attach(cli: Cli, tmp_path: Path) -> None:
    pending = first_unimputed(cli)
    tx = str(pending["id"])
    documents = ok(cli, "documents", "list", "--limit", "2")
    first, second = (str(d["id"]) for d in documents)
    matched = ok(cli, "bank", "match", tx, first)
    assert [m["document"]["id"] for m in matched] == [int(first)]
    kept = ok(cli, "bank", "match", tx, second, "--keep")
    assert sorted(m["document"]["id"] for m in kept) == sorted([int(first), int(second)])
    assert sorted(m["document"]["id"] for m in ok(cli, "bank", "matchings", tx)) == sorted(
        [int(first), int(second)]
    )

    receipt = tmp_path / "ticket.pdf"
    receipt.write_bytes(PDF)
    attached = ok(cli, "bank", "attach", tx, str(receipt))
    assert attached["status"] == "attached"
    assert attached["matched_documents"] == 3
    after = [m["document"]["id"] for m in ok(cli, "bank", "matchings", tx)]
    assert sorted(after) == sorted([int(first), int(second), attached["document_id"]])
    replaced = ok(cli, "bank", "match", tx, first)
    assert [m["document"]["id"] for m in replaced] == [int(first)]

    nothing = cli("--sandbox", "bank", "attach", tx, str(tmp_path / "absent.pdf"))
    assert nothing.code == 2


def test_attach_is_one_call_to_the_receipts_endpoint(cli: Cli, tmp_path: Path) -> None:
    """The Ruby client's ``POST .../bank_transactions/{id}/receipts``, not upload + match."""
    tx = str(first_unimputed(cli)["id"])
    receipt = tmp_path / "ticket-taxi.pdf"
    receipt.write_bytes(PDF)
    result = cli("--sandbox", "--verbose", "bank", "attach", tx, str(receipt), "--format", "json")
    assert result.code == 0, result.err
    writes = [
        line
        for line in result.err.splitlines()
        if line.startswith("tiime: ") and (" POST " in line or " PUT " in line)
        if "/v1/" in line  # not the login
    ]
    assert len(writes) == 1, result.err
    assert f"/bank_transactions/{tx}/receipts -> 201" in writes[0]
    attached = result.json
    assert attached["status"] == "attached"
    assert attached["name"] == "ticket-taxi.pdf"
    matched = [m["document"]["id"] for m in ok(cli, "bank", "matchings", tx)]
    assert attached["document_id"] in matched
    assert attached["matched_documents"] == len(matched)

    unknown = cli("--sandbox", "bank", "attach", "999999999", str(receipt))
    assert unknown.code == 1
    assert "tiime bank" in unknown.error_line  # where the ids are


def test_a_label_name_shared_by_several_is_refused_listing_them() -> None:
    labels = [
        Label(id=7, name="Restaurant"),
        Label(id=9, name="restaurant"),
        Label(id=11, name="Train"),
    ]
    fake: Any = SimpleNamespace(
        labels=SimpleNamespace(list=lambda: labels, standard=lambda: [Label(id=20, name="Hôtel")])
    )
    suggested = [LabelSuggestion(id=3, name="Train")]
    assert resolve_label(fake, suggested, "train") == 3  # the suggestion first
    assert resolve_label(fake, suggested, "hôtel") == 20
    assert resolve_label(fake, suggested, " 42 ") == 42
    with pytest.raises(
        UsageError, match=r"names 2 labels: 7 Restaurant, 9 restaurant; give its id"
    ):
        resolve_label(fake, suggested, "RESTAURANT")
