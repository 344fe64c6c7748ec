"""``tiime company get|vat|me`` against the embedded sandbox."""

from __future__ import annotations

from collections.abc import Callable

from tiime.sandbox import DEMO_COMPANY_ID, DEMO_EMAIL

from .conftest import Result

Cli = Callable[..., Result]


def test_vat_shows_the_four_fields_of_the_reference(cli: Cli) -> None:
    result = cli("--sandbox", "company", "vat")
    assert result.code == 0, result.err
    vat = result.json
    assert list(vat) == ["name", "vat_number", "vat_system", "tax_regime"]
    assert vat["name"] == "Atelier Martin Conseil"
    assert vat["vat_number"].startswith("FR")
    assert vat["vat_system"] == "Réel normal mensuel"
    assert vat["tax_regime"] == "IS"


def test_get_shows_what_vat_shows(cli: Cli) -> None:
    vat = cli("--sandbox", "company", "vat", str(DEMO_COMPANY_ID)).json
    company = cli("--sandbox", "company", "get").json
    assert company["intracom_vat_number"] == vat["vat_number"]
    assert company["vat_system"]["label"] == vat["vat_system"]
    assert company["tax_regime"] == vat["tax_regime"]
    table = cli("--sandbox", "company", "get", "--format", "table").out
    for value in (vat["vat_number"], vat["vat_system"], "tax_regime"):
        assert value in table


def test_vat_of_an_unknown_company_points_at_company_list(cli: Cli) -> None:
    result = cli("--sandbox", "company", "vat", "99999")
    assert result.code == 1
    assert "tiime company list" in result.error_line


def test_me_is_the_user(cli: Cli) -> None:
    result = cli("--sandbox", "company", "me")
    assert result.code == 0, result.err
    me = result.json
    assert me["email"] == DEMO_EMAIL
    assert me["active_company"] == DEMO_COMPANY_ID
    assert me["address"]["country"]["code"] == "FR"
