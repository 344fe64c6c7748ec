"""``--sandbox`` / ``TIIME_SANDBOX=1``: every command against an embedded sandbox.

Each command starts its own sandbox on ``$TIIME_SANDBOX_DB`` (a temporary file here), so
what one command creates the next one finds.
"""

from __future__ import annotations

import csv
import datetime
import io
import time
from collections.abc import Callable

import pytest

from tiime.sandbox import DEMO_COMPANY_ID, DEMO_EMAIL, DEMO_PASSWORD, SECOND_COMPANY_ID

from .conftest import Isolation, Result

Cli = Callable[..., Result]

SEEDED_CLIENTS = 36
ARCHIVED_CLIENTS = 5  # of the seed


def csv_rows(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))  # read plainly: no BOM to strip
    assert not rows or next(iter(rows[0])) == "id"
    return rows


def test_sandbox_flag_before_or_after_the_command(cli: Cli, isolated: Isolation) -> None:
    before = cli("--sandbox", "clients", "list")
    after = cli("clients", "list", "--sandbox")
    assert before.code == after.code == 0, before.err + after.err
    assert before.json == after.json
    assert len(before.json) == SEEDED_CLIENTS
    assert isolated.sandbox_db.exists()  # the sandbox kept its data where it was told
    assert not isolated.login_file.exists()  # and stored no login


def test_sandbox_from_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIIME_SANDBOX", "1")
    result = cli("company", "list")
    assert result.code == 0, result.err
    assert [company["id"] for company in result.json] == [DEMO_COMPANY_ID, SECOND_COMPANY_ID]


def test_without_sandbox_nothing_is_started(cli: Cli, isolated: Isolation) -> None:
    result = cli("clients", "list")
    assert result.code == 1
    assert not isolated.sandbox_db.exists()


def test_created_client_is_found_by_the_next_commands(cli: Cli) -> None:
    created = cli(
        "--sandbox",
        "clients",
        "create",
        "--name",
        "Bœuf & Crêpes d'Été",
        "--email",
        "contact@boeuf-crepes.fr",
        "--phone",
        "01 23 45 67 89",
        "--address",
        "3 rue de l'Église",
        "--postal-code",
        "29200",
        "--city",
        "Brest",
        "--country-id",
        "75",
        "--siret",
        "732 829 320 00074",
        "--professional",
        "--format",
        "json",
    )
    assert created.code == 0, created.err
    client = created.json
    assert client["name"] == "Bœuf & Crêpes d'Été"
    assert client["email"] == "contact@boeuf-crepes.fr"
    assert client["city"] == "Brest"
    assert client["postal_code"] == "29200"
    assert client["country"]["id"] == 75
    assert client["siren_or_siret"] == "73282932000074"  # sent as digits
    assert client["professional"] is True
    new_id = client["id"]

    got = cli("--sandbox", "clients", "get", str(new_id))
    assert got.code == 0, got.err
    assert got.json["name"] == "Bœuf & Crêpes d'Été"

    found = cli("--sandbox", "clients", "search", "crêpes")
    assert found.code == 0, found.err
    assert [row["id"] for row in found.json] == [new_id]

    listed = cli("--sandbox", "clients", "list")
    assert len(listed.json) == SEEDED_CLIENTS + 1
    assert new_id in {row["id"] for row in listed.json}


def test_create_an_individual_with_a_name_only(cli: Cli) -> None:
    created = cli("--sandbox", "clients", "create", "--name", "Zoé Lemaître", "--individual")
    assert created.code == 0, created.err
    assert created.json["name"] == "Zoé Lemaître"
    assert created.json["professional"] is False
    assert created.json["email"] is None


def test_archived_and_active_filters(cli: Cli) -> None:
    archived = cli("--sandbox", "clients", "list", "--archived")
    active = cli("--sandbox", "clients", "list", "--active")
    assert archived.code == active.code == 0
    assert len(archived.json) == ARCHIVED_CLIENTS
    assert all(row["archived"] is True for row in archived.json)
    assert len(active.json) == SEEDED_CLIENTS - ARCHIVED_CLIENTS
    assert all(row["archived"] is False for row in active.json)


def test_get_search_and_contacts(cli: Cli) -> None:
    got = cli("--sandbox", "clients", "get", "100101")
    assert got.code == 0, got.err
    assert got.json["id"] == 100101
    assert got.json["name"] == "Société Générale de Plomberie"

    found = cli("--sandbox", "clients", "search", "hélène")
    assert found.code == 0, found.err
    names = sorted(row["name"] for row in found.json)
    assert names == ["Boulangerie Hélène", "Hélène Dubois"]

    contacts = cli("--sandbox", "clients", "contacts", "100101")
    assert contacts.code == 0, contacts.err
    assert contacts.json, "the first demo client has contacts"
    assert {"firstname", "lastname", "email"} <= set(contacts.json[0])


def test_company_get_defaults_to_the_current_company(cli: Cli) -> None:
    current = cli("--sandbox", "company", "get")
    explicit = cli("--sandbox", "company", "get", str(DEMO_COMPANY_ID))
    assert current.code == explicit.code == 0
    assert current.json == explicit.json
    assert current.json["id"] == DEMO_COMPANY_ID


def test_auth_status_in_sandbox_mode(cli: Cli) -> None:
    result = cli("--sandbox", "auth", "status")
    assert result.code == 0, result.err
    status = result.json
    assert status["mode"] == "sandbox"
    assert status["email"] == DEMO_EMAIL
    assert status["company_id"] == DEMO_COMPANY_ID
    expires = datetime.datetime.fromisoformat(status["token_expires_at"])  # ISO 8601
    assert 0 < expires.timestamp() - time.time() <= 3 * 3600
    assert status["token_expired"] is False


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (("auth", "login"), "demo user"),
        (("company", "use", "12345"), "demo company"),
        (("auth", "logout"), "no stored login"),
    ],
)
def test_login_logout_and_company_use_are_refused_in_sandbox_mode(
    cli: Cli, isolated: Isolation, args: tuple[str, ...], mentions: str
) -> None:
    result = cli("--sandbox", *args)
    assert result.code == 2
    assert mentions in result.error_line
    assert not isolated.login_file.exists()


def test_sandbox_logout_leaves_the_real_login_alone(cli: Cli, isolated: Isolation) -> None:
    isolated.login_file.parent.mkdir(parents=True, exist_ok=True)
    isolated.login_file.write_text("{}", encoding="utf-8")
    result = cli("--sandbox", "auth", "logout")
    assert result.code == 2
    assert isolated.login_file.exists()


# -- errors -------------------------------------------------------------------------------


def test_unknown_client_is_an_api_error(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "get", "999999")
    assert result.code == 1
    assert result.out == ""
    line = result.error_line
    assert "404" in line
    assert "/clients/999999" in line


def test_contacts_of_an_unknown_client(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "contacts", "999999")
    assert result.code == 1
    assert "404" in result.error_line


@pytest.mark.parametrize(
    ("options", "mentions"),
    [
        (("--siret", "12345678901234"), "12345678901234"),  # bad checksum
        (("--siret", "1234"), "14-digit SIRET"),
        (("--email", "pas-une-adresse"), "pas-une-adresse"),
    ],
)
def test_bad_input_is_refused_before_sending(
    cli: Cli, options: tuple[str, ...], mentions: str
) -> None:
    result = cli("--sandbox", "--verbose", "clients", "create", "--name", "Refusé", *options)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert "Traceback" not in result.err
    # Verbose mode shows every request: there is a login, and no POST of a client.
    assert not any(line.startswith("> POST") and "/clients" in line for line in lines)
    errors = [line for line in lines if line.startswith("tiime: error:")]
    assert len(errors) == 1
    assert mentions in errors[0]
    # and nothing was created
    assert cli("--sandbox", "clients", "search", "Refusé").json == []


def test_blank_name_is_a_usage_error(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "create", "--name", "   ")
    assert result.code == 2
    assert "name" in result.error_line


# -- verbose ------------------------------------------------------------------------------


def test_verbose_shows_the_exchanges_with_secrets_redacted(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "get", "100101", "--verbose")
    assert result.code == 0, result.err
    assert result.json["id"] == 100101  # stdout is still just the data
    assert "> POST http://127.0.0.1:" in result.err  # the login
    assert "/oauth/token" in result.err
    assert "> GET http://127.0.0.1:" in result.err
    assert f"/v1/companies/{DEMO_COMPANY_ID}/clients/100101" in result.err
    assert "< 200 OK" in result.err
    assert "authorization: [redacted]" in result.err.lower()
    for output in (result.out, result.err):
        assert DEMO_PASSWORD not in output
        assert "Bearer" not in output
        assert "eyJ" not in output  # no JWT (the access token) anywhere
    assert "Traceback" not in result.err


def test_quiet_by_default(cli: Cli) -> None:
    result = cli("--sandbox", "company", "list")
    assert result.code == 0
    assert result.err == ""


def test_verbose_does_not_leak_into_the_next_command(cli: Cli) -> None:
    first = cli("--sandbox", "-v", "company", "list")
    assert "> GET" in first.err
    second = cli("--sandbox", "company", "list")
    assert second.code == 0
    assert second.err == ""


# -- output formats -----------------------------------------------------------------------


def test_csv_has_every_field_and_flattened_country(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "list", "--format", "csv")
    assert result.code == 0, result.err
    assert result.out.startswith("id,")  # no byte-order mark: csv readers get the key "id"
    header = result.out.splitlines()[0].split(",")
    for field in ("id", "name", "email", "siren_or_siret", "archived", "professional"):
        assert field in header
    assert "country" not in header
    assert header.index("country.id") + 1 == header.index("country.name")
    assert header.index("country.name") + 1 == header.index("country.code")
    rows = csv_rows(result.out)
    assert len(rows) == SEEDED_CLIENTS
    first = rows[0]
    assert first["name"] == "Société Générale de Plomberie"
    assert (first["country.id"], first["country.name"], first["country.code"]) == (
        "75",
        "France",
        "FR",
    )
    assert first["archived_at"] == ""  # None is an empty cell
    assert "Chocolaterie Bruxelloise" in {row["name"] for row in rows}
    belgian = next(row for row in rows if row["name"] == "Chocolaterie Bruxelloise")
    assert belgian["country.id"] == "21"


def test_csv_of_one_object(cli: Cli) -> None:
    result = cli("--sandbox", "company", "get", "--format", "csv")
    assert result.code == 0, result.err
    rows = csv_rows(result.out)
    assert len(rows) == 1
    assert rows[0]["id"] == str(DEMO_COMPANY_ID)
    assert rows[0]["country.code"] == "FR"


def test_csv_of_nothing_is_a_header(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "search", "zzz-nobody", "--format", "csv")
    assert result.code == 0, result.err
    assert csv_rows(result.out) == []
    assert result.out.startswith("id,")
    header = result.out.splitlines()[0].split(",")
    assert header[7:10] == ["country.id", "country.name", "country.code"]
    assert "country" not in header


def test_csv_of_a_client_without_country_keeps_the_columns() -> None:
    import io

    from tiime.cli._output import Output
    from tiime.types import Client, Country

    out = io.StringIO()
    Output("csv", out=out).many(
        [Client(id=1, name="Élan"), Client(id=2, country=Country(id=21, code="BE"))],
        kind=Client,
        columns=("id",),
    )
    rows = csv_rows(out.getvalue())
    assert [row["country.code"] for row in rows] == ["", "BE"]
    assert "country" not in rows[0]


def test_table_of_a_list(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "list", "--archived", "--format", "table")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert any("id" in line and "name" in line and "archived" in line for line in lines[:3])
    assert "true" in result.out  # the archived column, as in JSON and CSV
    assert "True" not in result.out
    assert lines[-1].strip() == f"{ARCHIVED_CLIENTS} rows"
    assert "{" not in result.out  # not JSON


def test_table_of_one_object(cli: Cli) -> None:
    result = cli("--sandbox", "company", "get", "--format", "table")
    assert result.code == 0, result.err
    lines = [line.split(None, 1) for line in result.out.splitlines() if line.strip()]
    table = {key: value.strip() for key, value in lines}
    assert table["id"] == str(DEMO_COMPANY_ID)
    assert table["name"] == "Atelier Martin Conseil"
    assert table["country.code"] == "FR"


def test_table_of_nothing(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "search", "zzz-nobody", "--format", "table")
    assert result.code == 0
    assert result.out.strip() == "(none)"


def test_json_keeps_accents_unescaped(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "get", "100101", "--format", "json")
    assert "Société Générale de Plomberie" in result.out
    assert "\\u00e9" not in result.out
