"""Out-of-range values in invoice, quotation and bank bodies: every one answered 400/422 in
the API's shape, never a 500 (dates whose due date overflows, amounts too large, ids past
SQLite's 64 bits, lists where a code is expected), on every route that takes them."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiime.sandbox import Sandbox

from .test_invoices import line, login

BIG_ID = 2**63
Body = dict[str, Any]


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def headers(sb: Sandbox, http: httpx.Client) -> dict[str, str]:
    return login(sb, http)


@pytest.fixture(scope="module")
def base(sb: Sandbox) -> str:
    return f"{sb.base_url}/companies/{sb.company_id}"


def _set(path: str, value: Any) -> Callable[[Body], None]:
    """A change of ``body`` at a dotted path (``lines.0.vat_type.code``)."""

    def apply(body: Body) -> None:
        *parents, last = path.split(".")
        target: Any = body
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return apply


# (what is wrong, where it is put, the value): each was a 500 before.
LINE_VALUES = [
    ("huge line amount", "lines.0", {**line(quantity="999999999999", unit_amount="999999999999")}),
    ("sequence past 2^63", "lines.0.sequence", BIG_ID),
    ("unit id past 2^63", "lines.0.invoicing_unit", {"id": BIG_ID, "code": "day"}),
    ("VAT code a list", "lines.0.vat_type.code", []),
    ("VAT code an object", "lines.0.vat_type.code", {}),
    ("unit code a list", "lines.0.invoicing_unit", {"code": []}),
]
INVOICE_VALUES = [
    *LINE_VALUES,
    ("emission date whose due date overflows", "emission_date", "9999-12-31"),
    ("due date mode a list", "due_date_mode", []),
    ("due date mode an object", "due_date_mode", {}),
]

LINE_IDS = [value[0] for value in LINE_VALUES]
INVOICE_IDS = [value[0] for value in INVOICE_VALUES]


def _invoice() -> Body:
    return {"emission_date": "2030-06-01", "lines": [line()]}


@pytest.mark.parametrize(("what", "path", "value"), INVOICE_VALUES, ids=INVOICE_IDS)
def test_creating_an_invoice(
    http: httpx.Client, base: str, headers: dict[str, str], what: str, path: str, value: Any
) -> None:
    body = _invoice()
    _set(path, copy.deepcopy(value))(body)
    response = http.post(f"{base}/invoices", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["error_code"] == "validation_error"


@pytest.fixture(scope="module")
def draft(http: httpx.Client, base: str, headers: dict[str, str]) -> int:
    response = http.post(f"{base}/invoices", json=_invoice(), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize(("what", "path", "value"), INVOICE_VALUES, ids=INVOICE_IDS)
def test_updating_a_draft(
    http: httpx.Client,
    base: str,
    headers: dict[str, str],
    draft: int,
    what: str,
    path: str,
    value: Any,
) -> None:
    body = _invoice()
    _set(path, copy.deepcopy(value))(body)
    response = http.put(f"{base}/invoices/{draft}", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["error_code"] == "validation_error"
    unchanged = http.get(f"{base}/invoices/{draft}", headers=headers).json()
    assert unchanged["emission_date"] == "2030-06-01"


def test_the_latest_emission_date_whose_due_date_fits_is_taken(
    http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    body = {**_invoice(), "emission_date": "9998-12-31", "due_date_mode": "sixty_days"}
    response = http.post(f"{base}/invoices", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["due_date"] == "9999-03-01"


@pytest.mark.parametrize(("what", "path", "value"), LINE_VALUES, ids=LINE_IDS)
def test_creating_a_quotation(
    http: httpx.Client, base: str, headers: dict[str, str], what: str, path: str, value: Any
) -> None:
    body = {"date": "2030-01-15", "lines": [line()]}
    _set(path, copy.deepcopy(value))(body)
    response = http.post(f"{base}/quotations", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["error_code"] == "validation_error"


@pytest.fixture(scope="module")
def transaction(sb: Sandbox) -> int:
    return int(
        sb.db.scalar(
            "SELECT id FROM bank_transactions WHERE company_id = ? ORDER BY id", (sb.company_id,)
        )
    )


def test_matching_a_document_id_past_2_63(
    http: httpx.Client, base: str, headers: dict[str, str], transaction: int
) -> None:
    response = http.put(
        f"{base}/bank_transactions/{transaction}/document_matchings",
        json={"documents": [{"id": BIG_ID}]},
        headers=headers,
    )
    assert response.status_code == 422, response.text
    assert "documents" in response.json()["errors"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("documents", [{"id": BIG_ID}]), ("accountant_detail_requests", [{"id": BIG_ID}])],
)
def test_imputing_with_an_id_past_2_63(
    sb: Sandbox,
    http: httpx.Client,
    base: str,
    headers: dict[str, str],
    transaction: int,
    key: str,
    value: Any,
) -> None:
    amount = sb.db.scalar("SELECT amount_cents FROM bank_transactions WHERE id = ?", (transaction,))
    imputation = {"label": {"id": 1}, "amount": amount / 100, key: value}
    response = http.patch(
        f"{base}/bank_transactions/{transaction}",
        json={"imputations": [imputation]},
        headers=headers,
    )
    assert response.status_code == 422, response.text
    assert f"imputations[0].{key}" in response.json()["errors"]


# -- any body: never a 5xx --------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
    st.sampled_from(["9999-12-31", "0001-01-01", "2030-02-29", "1e30", "-0", "0.000001"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
_VAT_CODES = ["normal", "none"]
_LINE_KEYS = [
    "description",
    "quantity",
    "unit_amount",
    "vat_type",
    "invoicing_unit",
    "sequence",
    "discount_amount",
    "discount_percentage",
    "discount_description",
    "invoicing_category_type",
]
_lines = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            **dict.fromkeys(_LINE_KEYS, _values),
            "vat_type": st.fixed_dictionaries({"code": _values | st.sampled_from(_VAT_CODES)}),
            "quantity": _values | st.decimals(allow_nan=False, allow_infinity=False).map(str),
        },
    ),
    max_size=3,
)
_BODY_KEYS = (
    "emission_date",
    "due_date",
    "due_date_mode",
    "date",
    "status",
    "title",
    "client",
    "client_name",
    "quotation",
    "free_field",
    "payment_condition",
)
_bodies = st.fixed_dictionaries(
    {"lines": _lines},
    optional=dict.fromkeys(_BODY_KEYS, _values),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=_bodies)
def test_no_invoice_or_quotation_body_is_a_server_error(
    http: httpx.Client, base: str, headers: dict[str, str], body: Body
) -> None:
    draft = http.post(f"{base}/invoices", json=_invoice(), headers=headers).json()["id"]
    for method, url in (
        ("POST", f"{base}/invoices"),
        ("PUT", f"{base}/invoices/{draft}"),
        ("POST", f"{base}/quotations"),
    ):
        response = http.request(method, url, json=body, headers=headers)
        assert response.status_code < 500, (method, url, body, response.text)
        if response.status_code >= 400:
            assert response.json()["error"] == response.status_code


def test_a_receipt_for_a_transaction_id_past_2_63_is_not_found(
    http: httpx.Client, base: str, headers: dict[str, str]
) -> None:
    # Found by the OpenAPI fuzzing: the id reached SQLite, which cannot hold it (500).
    response = http.post(
        f"{base}/bank_transactions/{BIG_ID}/receipts",
        files={"file": ("recu.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
        headers=headers,
    )
    assert response.status_code == 404, response.text
    assert response.json()["error_code"] == "not_found"
