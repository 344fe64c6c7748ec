"""GET labels, standard_labels and tags; the label suggestions other modules use."""

from __future__ import annotations

from pathlib import Path

import httpx

from tiime.sandbox import Sandbox
from tiime.sandbox.resources import labels

LABELS_V2 = "application/vnd.tiime.labels.v2+json"
LABEL_FIELDS = {
    "id",
    "name",
    "label",
    "acronym",
    "color",
    "client",
    "disabled",
    "invoice_client",
    "is_standard",
    "sales",
    "type",
    "registry_type",
    "configuration_source",
}


def _url(sb: Sandbox, path: str) -> str:
    return f"{sb.base_url}/companies/{sb.company_id}/{path}"


def test_own_labels_are_the_company_s_in_the_v2_media_type(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    response = http.get(_url(demo, "labels"), headers={**auth, "Accept": LABELS_V2})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(LABELS_V2)
    items = response.json()
    assert len(items) == labels.DEFAULT_SIZE
    assert [item["id"] for item in items] == sorted(item["id"] for item in items)
    first = items[0]
    assert set(first) == LABEL_FIELDS
    assert first["name"] == "Matériel informatique"
    assert first["is_standard"] is False
    assert first["configuration_source"] == "company"
    assert first["color"].startswith("#")
    assert len(first["acronym"]) == 2


def test_standard_labels_are_the_chart_of_accounts_subset(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    response = http.get(_url(demo, "standard_labels"), headers=auth)
    assert response.status_code == 200, response.text
    items = response.json()
    names = [item["name"] for item in items]
    assert names == [spec[0] for spec in labels.STANDARD_LABELS]
    assert all(item["is_standard"] and item["configuration_source"] == "standard" for item in items)
    sales = {item["name"] for item in items if item["sales"]}
    assert sales == {"Ventes de prestations", "Ventes de marchandises"}


def test_labels_are_paged_by_range(demo: Sandbox, http: httpx.Client, auth: dict[str, str]) -> None:
    response = http.get(_url(demo, "standard_labels"), headers={**auth, "Range": "items=0-4"})
    assert response.status_code == 206
    assert len(response.json()) == 5
    total = len(labels.STANDARD_LABELS)
    assert response.headers["content-range"] == f"items 0-4/{total}"


def test_tags_carry_their_detail_only_when_expanded(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str]
) -> None:
    plain = http.get(_url(demo, "tags"), headers=auth).json()
    expanded = http.get(_url(demo, "tags"), headers=auth, params={"expand": "tag_detail"}).json()
    assert plain[0] == {"id": plain[0]["id"], "label": "Projet Alpha"}
    assert expanded[0]["tag_detail"] == {"id": plain[0]["id"], "label": "Projet Alpha"}
    assert len(plain) == len(expanded) == 6


def test_another_company_sees_neither_these_labels_nor_tags(
    demo: Sandbox, http: httpx.Client, auth: dict[str, str], other_company: int
) -> None:
    for path in ("labels", "standard_labels", "tags"):
        url = f"{demo.base_url}/companies/{other_company}/{path}"
        assert http.get(url, headers=auth).status_code == 403


def test_suggestions_rank_labels_by_keywords_of_the_wording(demo: Sandbox) -> None:
    db = demo.db
    found = labels.suggest_labels(db, demo.company_id, "CB SNCF-Billet Paris 12/03")
    assert found[0]["name"] == "Transports et déplacements"
    assert labels.suggest_labels(db, demo.company_id, "XYZ 123") == []
    own = labels.suggest_labels(db, demo.company_id, "PRLV LDLC.COM Matériel")
    assert own[0]["name"] == "Matériel informatique"


def test_a_label_is_the_company_s_own_or_standard(demo: Sandbox, other_company: int) -> None:
    db = demo.db
    own = labels.suggest_labels(db, demo.company_id, "ldlc")[0]
    assert labels.label(db, demo.company_id, own["id"]) is not None
    assert labels.label(db, other_company, own["id"]) is None
    assert labels.label(db, other_company, 1) is not None
    assert labels.label(db, demo.company_id, 10**30) is None


def _own_labels(sb: Sandbox) -> list[tuple[object, ...]]:
    return [
        (row["id"], row["name"], row["disabled"], row["keywords"])
        for row in sb.db.all(
            "SELECT * FROM labels WHERE company_id = ? ORDER BY id", (sb.company_id,)
        )
    ]


def test_topping_up_gives_the_labels_of_a_full_seed(tmp_path: Path) -> None:
    path = tmp_path / "topped.db"
    # The empty profile: the demo company alone, whose label ids nothing else takes.
    with Sandbox(db_path=path, seed="empty", sizes={"labels": 3}):
        pass
    with Sandbox(db_path=path, sizes={"labels": 30}) as topped:
        grown = _own_labels(topped)
    with Sandbox(seed="empty", sizes={"labels": 30}) as fresh:
        assert grown == _own_labels(fresh)
    assert len(grown) == 30
    assert any(disabled for _, _, disabled, _ in grown)  # some generated ones are disabled
