"""``tiime labels list|standard|tags`` against the embedded sandbox."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from .conftest import Result

Cli = Callable[..., Result]


def test_list_shows_the_company_s_labels(cli: Cli) -> None:
    result = cli("--sandbox", "labels", "list")
    assert result.code == 0, result.err
    labels = result.json
    assert len(labels) == 12
    assert labels[0]["name"] == "Matériel informatique"
    assert labels[0]["configuration_source"] == "company"


def test_list_table_has_the_reference_s_columns(cli: Cli) -> None:
    result = cli("--sandbox", "labels", "list", "--format", "table", "--limit", "2")
    assert result.code == 0, result.err
    # The reference's columns, in its order, under short human headings.
    header = re.split(r"\s{2,}", result.out.splitlines()[0].strip())
    assert header == [
        "id",
        "name",
        "type",
        "registry",
        "acronym",
        "color",
        "disabled",
        "configuration source",
    ]
    assert "Sous-traitance" in result.out
    assert "Formation" not in result.out


def test_standard_labels_as_csv(cli: Cli) -> None:
    result = cli("--sandbox", "labels", "standard", "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    names = {row["name"] for row in rows}
    assert {"Frais bancaires", "Télécommunications", "Prélèvement personnel"} <= names
    assert all(row["is_standard"] == "true" for row in rows)


def test_tags_carry_their_detail(cli: Cli) -> None:
    result = cli("--sandbox", "labels", "tags")
    assert result.code == 0, result.err
    tags = result.json
    assert tags[0]["label"] == "Projet Alpha"
    assert tags[0]["tag_detail"] == {"id": tags[0]["id"], "label": "Projet Alpha"}


def test_a_bad_limit_is_a_usage_error(cli: Cli) -> None:
    result = cli("--sandbox", "labels", "tags", "--limit", "0")
    assert result.code == 2
    assert "--limit" in result.error_line
