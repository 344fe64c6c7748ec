"""The dashboard in French and in English: ``/api/config`` gives the pages their texts and
the locale of their numbers and dates, the errors and the names the figures give are in
the dashboard's language, and the JSON data stays machine formats in both.

(The pages themselves, in a real browser: test_browser.py.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tiime import AsyncTiimeClient, i18n
from tiime.dashboard.app import create_app
from tiime.dashboard.data import Gatherer
from tiime.dashboard.guard import loopback_hosts
from tiime.dashboard.texts import PAGE, Texts, errors, resolve_language
from tiime.sandbox import Sandbox

from ._process import clean_env, dashboard
from .conftest import TODAY

TOKEN = "t0ken-for-language-tests"
PORT = 3141
ROOT = f"http://127.0.0.1:{PORT}"


def opened(sandbox: Sandbox, lang: str) -> TestClient:
    """A browser that opened the URL of a dashboard in ``lang`` (it holds the cookie)."""
    client = AsyncTiimeClient(
        base_url=sandbox.base_url,
        auth_url=sandbox.auth_url,
        company_id=sandbox.company_id,
        access_token=sandbox.issue_token(),
    )
    texts = Texts(lang)
    app = create_app(
        Gatherer(client, lambda: TODAY, texts.names()),
        TOKEN,
        allowed_hosts=loopback_hosts(PORT),
        default_company=sandbox.company_id,
        on_shutdown=client.aclose,
        texts=texts,
    )
    return TestClient(app, base_url=ROOT, follow_redirects=False)


@pytest.fixture
def french(sandbox: Sandbox, second_company: int) -> Iterator[TestClient]:
    with opened(sandbox, "fr") as http:
        assert http.get(f"/?token={TOKEN}").status_code == 303
        yield http


@pytest.fixture
def english(sandbox: Sandbox, second_company: int) -> Iterator[TestClient]:
    with opened(sandbox, "en") as http:
        assert http.get(f"/?token={TOKEN}").status_code == 303
        yield http


def exact(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


def test_the_french_pages_read_french(french: TestClient, sandbox: Sandbox) -> None:
    config = french.get("/api/config").json()
    assert config["lang"] == "fr"
    assert config["locale"] == "fr-FR"  # Intl writes 1 234,56 € and janv. 2026
    assert config["dates"] == "locale"  # 31/01/2026
    assert config["default_company"] == sandbox.company_id
    texts = config["texts"]
    assert set(texts) == set(PAGE)
    assert texts["title"] == "Tableau de bord Tiime"
    assert texts["treasury"] == "Trésorerie"
    assert texts["unpaid_invoices"] == "Factures impayées"
    assert texts["pending_quotations"] == "Devis en attente"
    assert texts["unimputed"] == "Transactions à imputer"
    assert texts["revenue_ht"] == "Chiffre d'affaires HT"
    assert texts["inflows"] == "Encaissements"
    assert (texts["n_invoice"], texts["n_invoices"]) == ("{n} facture", "{n} factures")
    # Every label is French, but for the few words both languages write alike.
    alike = {"client", "clients", "transactions_count", "none"}
    assert [key for key in PAGE if texts[key] == PAGE[key] and key not in alike] == []


def test_the_english_pages_read_english(english: TestClient) -> None:
    config = english.get("/api/config").json()
    assert (config["lang"], config["locale"], config["dates"]) == ("en", "en-GB", "iso")
    assert config["texts"] == PAGE  # the texts as written
    assert config["texts"]["title"] == "Tiime dashboard"


def test_the_errors_are_in_the_dashboards_language(french: TestClient, english: TestClient) -> None:
    assert french.get("/api/company/abc").json() == {"error": "Identifiant de société invalide"}
    assert english.get("/api/company/abc").json() == {"error": "Invalid company ID"}
    assert french.get("/api/company/1/nope").json() == {"error": "Ressource inconnue : nope"}
    assert english.get("/api/company/1/nope").json() == {"error": "Unknown resource: nope"}
    assert french.get("/api/nope").json() == {"error": "Introuvable"}
    french.cookies.clear()
    refused = french.get("/api/companies")
    assert refused.status_code == 401
    assert refused.json()["error"].startswith("Jeton d'accès requis : ouvrez l'URL")
    host = french.get("/", headers={"Host": "evil.example:3141"})
    assert host.status_code == 400
    assert host.text.startswith("En-tête Host invalide")


def test_the_data_stays_machine_formats_in_french(
    french: TestClient, english: TestClient, sandbox: Sandbox
) -> None:
    """The JSON routes answer the same numbers and ISO dates whatever the language."""
    path = f"/api/company/{sandbox.company_id}/overview"
    fr, en = french.get(path), english.get(path)
    assert fr.status_code == en.status_code == 200
    assert exact(fr.text) == exact(en.text)
    unpaid = exact(fr.text)["invoices"]["unpaid"]
    assert unpaid
    assert isinstance(unpaid[0]["amount"], Decimal)
    assert all(u["due_date"] is None or len(u["due_date"]) == 10 for u in unpaid)  # ISO


def test_the_names_of_what_has_none_are_in_the_dashboards_language(
    french: TestClient, english: TestClient
) -> None:
    assert french.get("/api/wrapped").json()["company"]["name"] == "Toutes les sociétés"
    assert english.get("/api/wrapped").json()["company"]["name"] == "All companies"
    names = Texts("fr").names()
    assert (names.no_client, names.other_expense) == ("Sans client", "Autre")


def test_every_server_text_has_its_placeholders_in_french() -> None:
    french = Texts("fr")
    for name, message in vars(errors).items():
        if name.isupper():
            assert french(message) != message, name
            values = {"resource": "x", "reason": "r", "error": "e", "url": "u", "host": "h"}
            values.update(ip="i", port=1, address="a")
            assert french(message).format(**values)  # no placeholder lost nor renamed


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "TIIME_LANG": "en"}, "en"),
        ({"TIIME_LANG": "fr"}, "fr"),
        ({"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_the_language_without_lang_is_the_processs(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    for name in ("TIIME_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert resolve_language() == expected
    assert Texts().language == expected
    previous = i18n.chosen()
    i18n.set_language("fr")  # what `tiime --lang fr dashboard` chooses wins
    try:
        assert Texts().language == "fr"
        assert resolve_language("en") == "en"  # and a language given wins over it
    finally:
        i18n.set_language(previous)


def test_another_language_is_refused() -> None:
    with pytest.raises(ValueError, match=r"one of en, fr, not 'de'"):
        Texts("de")


@pytest.mark.parametrize(
    ("args", "env"),
    [(["--lang", "fr"], {}), ([], {"TIIME_LANG": "fr"})],
    ids=["--lang fr", "TIIME_LANG=fr"],
)
def test_tiime_dashboard_in_french(tmp_path: Path, args: list[str], env: dict[str, str]) -> None:
    """`tiime dashboard --lang fr` (or TIIME_LANG=fr) prints and serves French."""
    environ = clean_env(TIIME_CONFIG_DIR=str(tmp_path / "c"), **env)
    environ["TIIME_SANDBOX_DB"] = str(tmp_path / "sandbox.db")
    command = ["--sandbox", "dashboard", "--no-open", "--port", "0", *args]
    with dashboard(command, environ) as running, httpx.Client(base_url=running.root) as http:
        assert http.get(f"/?token={running.token}").status_code == 303
        config = http.get("/api/config").json()
        assert (config["lang"], config["texts"]["overview"]) == ("fr", "Vue d'ensemble")
        assert http.get("/api/nope").json() == {"error": "Introuvable"}
    assert running.first_line.startswith("Tableau de bord Tiime sur http://127.0.0.1:")


def test_a_failure_to_start_is_in_french_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tiime.cli import main

    monkeypatch.setenv("TIIME_SANDBOX_DB", str(tmp_path / "sandbox.db"))
    args = ["--lang", "fr", "--sandbox", "dashboard", "--no-open", "--host", "0.0.0.0"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "refus d'écouter sur 0.0.0.0 (0.0.0.0), joignable depuis d'autres machines" in err
