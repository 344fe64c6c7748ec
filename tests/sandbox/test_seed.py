"""The demo data of a new database."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
from stdnum.fr import siret as stdnum_siret

from tiime.sandbox import DEMO_COMPANY_ID, DEMO_EMAIL, DEMO_PASSWORD, Sandbox, open_database
from tiime.sandbox.derive import acronym, fold, intracom_vat_number, slugify
from tiime.sandbox.resources import clients
from tiime.sandbox.seeding import seed_database

CITIES = {
    "Paris",
    "Lyon",
    "Marseille",
    "Bordeaux",
    "Lille",
    "Toulouse",
    "Nantes",
    "Strasbourg",
    "Rennes",
    "Nice",
    "Montpellier",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    with open_database(tmp_path_factory.mktemp("seed") / "seed.db") as db:
        assert seed_database(db)
        return clients.clients(db, DEMO_COMPANY_ID)


def test_demo_login(demo: Sandbox) -> None:
    assert (demo.email, demo.password, demo.company_id) == (
        DEMO_EMAIL,
        DEMO_PASSWORD,
        DEMO_COMPANY_ID,
    )
    assert (demo.email, demo.password) == ("demo@tiime.test", "sandbox-demo")
    assert demo.base_url == f"{demo.url}/v1"
    assert demo.auth_url == f"{demo.url}/oauth/token"
    assert demo.url.startswith("http://127.0.0.1:")


def test_seed_has_36_varied_french_clients(seeded: list[dict[str, object]]) -> None:
    names = [str(client["name"]) for client in seeded]
    assert len(seeded) == 36
    assert "Société Générale de Plomberie" in names
    assert any(fold(name) != name.lower() for name in names)  # accents
    assert any(client["archived"] for client in seeded)
    assert any(client["email"] is None for client in seeded)
    assert any(not client["professional"] for client in seeded)
    assert {client["city"] for client in seeded} & CITIES


def test_seeded_sirets_are_valid(seeded: list[dict[str, object]]) -> None:
    sirets = [str(client["siret"]) for client in seeded if client["siret"]]

    assert len(sirets) > 10
    assert all(stdnum_siret.is_valid(siret) for siret in sirets)


def test_seeded_postal_codes_match_their_cities(seeded: list[dict[str, object]]) -> None:
    prefixes = {"Paris": "75", "Lyon": "69", "Marseille": "13", "Lille": "59", "Nice": "06"}
    for client in seeded:
        prefix = prefixes.get(str(client["city"]))
        if prefix:
            assert str(client["postal_code"]).startswith(prefix)


def test_seed_is_deterministic(tmp_path: Path, seeded: list[dict[str, object]]) -> None:
    with open_database(tmp_path / "again.db") as db:
        seed_database(db)
        again = clients.clients(db, DEMO_COMPANY_ID)

    drop = {"created_at"}
    assert [{k: v for k, v in c.items() if k not in drop} for c in again] == [
        {k: v for k, v in c.items() if k not in drop} for c in seeded
    ]


def test_seed_runs_once(tmp_path: Path) -> None:
    with open_database(tmp_path / "once.db") as db:
        assert seed_database(db, sizes={"clients": 2})
        assert not seed_database(db, sizes={"clients": 2})
        assert clients.count_clients(db, DEMO_COMPANY_ID) == 2


def test_ten_thousand_clients_seed_fast(tmp_path: Path, http: httpx.Client) -> None:
    started = time.perf_counter()
    with Sandbox(db_path=tmp_path / "big.db", clients=10_000) as sb:
        seeded_in = time.perf_counter() - started
        headers = {"Authorization": f"Bearer {sb.issue_token()}", "Range": "items=9990-*"}
        response = http.get(f"{sb.base_url}/companies/{sb.company_id}/clients", headers=headers)

    assert seeded_in < 10  # about 1 s on a laptop
    assert response.status_code == 200
    assert response.headers["content-range"] == "items 9990-9999/10000"
    names = {client["name"] for client in response.json()}
    assert len(names) > 1


def test_add_user_and_company(demo: Sandbox, http: httpx.Client) -> None:
    company_id = demo.add_user("troisieme@tiime.test", "secret-3", "Troisième SARL")
    extra = demo.add_company("troisieme@tiime.test", "Quatrième SAS", clients=2)
    login = http.post(
        demo.auth_url,
        json={
            "grant_type": "password",
            "client_id": "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND",
            "username": "troisieme@tiime.test",
            "password": "secret-3",
        },
    ).json()
    headers = {"Authorization": f"Bearer {login['access_token']}"}

    companies = http.get(f"{demo.base_url}/companies", headers=headers).json()

    assert [company["id"] for company in companies] == [company_id, extra]
    assert companies[1]["name"] == "Quatrième SAS"
    with pytest.raises(ValueError, match="already exists"):
        demo.add_user("troisieme@tiime.test", "x", "y")
    with pytest.raises(ValueError, match="no sandbox user"):
        demo.issue_token("nobody@tiime.test")


@pytest.mark.parametrize(
    ("name", "slug", "initials"),
    [
        ("ACME CORP", "acme-corp", "AC"),
        ("Société Générale de Plomberie", "societe-generale-de-plomberie", "SG"),
        ("L'Œuf et la Poule", "l-oeuf-et-la-poule", "LO"),
        ("Orange", "orange", "OR"),
        ("É", "e", "EX"),
        ("123", "123", "XX"),
        ("!!!", "client", "XX"),
    ],
)
def test_derived_name_fields(name: str, slug: str, initials: str) -> None:
    assert slugify(name) == slug
    assert acronym(name) == initials


def test_intracom_vat_number() -> None:
    assert intracom_vat_number("123456782") == "FR11123456782"
    assert intracom_vat_number("732829320") == "FR44732829320"
    assert intracom_vat_number(None) is None
    assert intracom_vat_number("12345") is None


def test_fold() -> None:
    assert fold("  Société   GÉNÉRALE ") == "societe generale"
    assert fold("Cœur d\u2019Or") == "coeur d'or"
    assert re.fullmatch(r"[a-z ']+", fold("Crème Brûlée à l'Œuf"))
