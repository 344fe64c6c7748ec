"""The models against a corpus of payload shapes, and their dates, amounts and ids.

``payloads/<model>/*.json`` holds answers in every shape met or plausible: the sandbox's
own (``sandbox*``), the reference SDK's declared types and examples (``reference*``,
``*example*``), and other clients' forms (numeric strings, nulls, extra keys, the three
date forms). Each file decodes with the SDK's own decoder into its model (a list file
into a list of them), and :data:`EXPECTED` checks key values of every file.
"""

from __future__ import annotations

import gc
import json
import numbers
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

from tiime import TiimeClient, ValidationError
from tiime import _json as tiime_json
from tiime._request import APIRequest
from tiime._response import decoder_for
from tiime.types import (
    AccountBalance,
    AccountingPeriod,
    BankAccount,
    BankTransaction,
    BankTransactionsPage,
    Client,
    Company,
    Contact,
    Country,
    Document,
    DocumentCategory,
    DocumentMatching,
    DocumentMatchings,
    ExpenseReport,
    Imputation,
    Invoice,
    Label,
    LabelSuggestion,
    LenientDecoder,
    MatchableDocument,
    Model,
    NamedRef,
    Quotation,
    Ref,
    Tag,
    User,
    VatSystem,
    _dates,
    dec_hook,
)

PAYLOADS = Path(__file__).parent / "payloads"

MODELS: dict[str, type[Model]] = {
    "accounting_period": AccountingPeriod,
    "bank_account": BankAccount,
    "bank_transaction": BankTransaction,
    "bank_transactions_page": BankTransactionsPage,
    "client": Client,
    "company": Company,
    "contact": Contact,
    "country": Country,
    "document": Document,
    "document_category": DocumentCategory,
    "document_matching": DocumentMatching,
    "document_matchings": DocumentMatchings,
    "expense_report": ExpenseReport,
    "imputation": Imputation,
    "invoice": Invoice,
    "label": Label,
    "label_suggestion": LabelSuggestion,
    "matchable_document": MatchableDocument,
    "quotation": Quotation,
    "tag": Tag,
    "user": User,
}

PARIS_SUMMER = timezone(timedelta(hours=2))
PARIS_WINTER = timezone(timedelta(hours=1))

# For each file: attribute paths (``0.country.code``: item 0, then attributes) and values.
EXPECTED: dict[str, dict[str, Any]] = {
    "accounting_period/reference.json": {
        "id": 44,
        "start_date": date(2024, 1, 1),
        "end_date": date(2024, 12, 31),
        "status": "open",
    },
    "accounting_period/sandbox_current.json": {
        "id": 1234526,
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 12, 31),
        "status": "open",
    },
    "accounting_period/datetime_bounds.json": {
        "id": 45,
        "start_date": date(2025, 1, 1),
        "end_date": date(2025, 12, 31),
    },
    "bank_account/reference_shape.json": {
        "0.id": 7,
        "0.bank.sigle": "BNP",
        "0.bank_account_type.code": "checking",
        "0.balance_amount": Decimal("12345.67"),
        "0.balance_date": date(2024, 4, 1),
        "0.synchronization_date": datetime(2024, 4, 1, 6, 12),
        "0.short_bank_name": "BNP",
        "1.balance_amount": Decimal("-0.01"),
        "1.balance_date": date(2024, 4, 1),
        "1.synchronization_date": datetime(2024, 4, 1),
        "1.bank": None,
    },
    "bank_account/sandbox_list.json": {
        "0.id": 4101,
        "0.iban": "FR7630003567172010123739046",
        "0.balance_amount": Decimal("70969.09"),
        "0.bank.sigle": "SG",
        "2.enabled": False,
        "2.closed": True,
    },
    "bank_transaction/sandbox_imputed.json": {
        "id": 880312,
        "amount": Decimal("-38.34"),
        "transaction_date": date(2026, 8, 9),
        "imputations.0.amount": Decimal("-38.34"),
        "imputations.0.label.name": "Transports et déplacements",
        "imputations.0.label.is_standard": True,
    },
    "bank_transactions_page/sandbox_page.json": {
        "metadata.total_amount": Decimal("-2372.53"),
        "transactions.0.id": 880319,
        "transactions.1.id": 880317,
        "transactions.0.imputations": [],
    },
    "label_suggestion/sandbox_list.json": {
        "0.id": 5,
        "0.name": "Télécommunications",
        "0.client": None,
    },
    "document_matchings/sandbox.json": {
        "matchings.0.document.id": 500001,
        "matchings.0.bank_transaction.id": 880312,
        "matchings.0.invalid_matching": False,
    },
    "bank_transaction/reference_shape.json": {
        "id": 55001,
        "amount": Decimal("-42.9"),
        "transaction_date": date(2024, 4, 1),
        "realization_date": date(2024, 4, 2),
        "bank_account.id": 7,
        "bank_name": "BNP Paribas",
        "merchant.name": "Amazon",
        "beneficiary": None,
        "tags.0.label": "Pro",
        "imputations.0.amount": Decimal("-42.9"),
        "imputations.0.label.id": 612,
        "imputations.0.label.name": "Frais bancaires",
        "imputations.0.label.disabled": False,
        "imputations.0.label.configuration_source": "standard",
        "count_documents": 1,
    },
    "bank_transaction/unimputed_ids_only.json": {
        "0.id": 55002,
        "0.amount": None,
        "1.amount": Decimal("10.00"),
        "1.transaction_date": date(2024, 4, 3),
        "1.imputations": [],
    },
    "bank_transactions_page/reference_shape.json": {
        "metadata.total_amount": Decimal("-52.9"),
        "metadata.has_multiple_cardholder": False,
        "metadata.accountant_detail_request_data.0.id": 1,
        "transactions.0.id": 55001,
        "transactions.1.amount": Decimal("-10"),
        "transactions.1.transaction_date": date(2024, 4, 2),
    },
    "client/sandbox_list.json": {
        "0.id": 100101,
        "0.country.code": "FR",
        "0.archived_at": None,
    },
    "client/sandbox_archived.json": {
        "id": 100109,
        "archived": True,
        "archived_at": datetime(2025, 3, 7, 2, 48, 22),
        "country": Country(id=75, name="France", code="FR"),
    },
    "client/reference_example.json": {
        "id": 100200,
        "siren": "123456782",
        "country.id": 75,
        "archived_at": None,
        "professional": True,
    },
    "client/numeric_strings_and_extras.json": {
        "0.id": 100300,
        "0.country": "FR",
        "0.archived_at": datetime(2024, 1, 1, 10, tzinfo=PARIS_WINTER),
        "0.balance_including_taxes": Decimal("1234.56"),
        "0.billed_including_taxes": Decimal("2400.00"),
        "0.billed_excluding_taxes": Decimal(2000),
        "1.archived_at": datetime(2024, 1, 1),
        "1.balance_including_taxes": Decimal("-0.1"),
        "1.billed_excluding_taxes": None,
        "2.archived_at": datetime(2024, 1, 1, 9, 30, tzinfo=timezone.utc),
    },
    "client/nulls_everywhere.json": {"id": 7, "name": None, "country": None},
    "company/sandbox.json": {
        "id": 12345,
        "country.code": "FR",
        "vat_system": "monthly",
        "siren": "807258421",
        "activity": "Conseil en systèmes et logiciels informatiques",
        "street": None,
    },
    "company/sandbox_reference_fields.json": {
        "id": 12345,
        "vat_system.label": "Réel normal mensuel",
        "intracom_vat_number": "FR40807258421",
        "ape_code.code": "6202A",
        "street": "11 allée des Tilleuls",
        "country.code": "FR",
        "share_capital": Decimal("5000"),
        "registration_date": date(2021, 12, 1),
        "tax_regime": "IS",
        "has_invoices": False,
        "logo.id": 123451,
    },
    "company/reference_shape.json": {
        "id": 12345,
        "country": "FR",
        "vat_system": VatSystem(id=2, code="monthly", label="Réel normal mensuel", type="real"),
        "vat_system.label": "Réel normal mensuel",
        "ape_code.code": "6202A",
        "street": "11 allée des Tilleuls",
        "share_capital": Decimal(1000),
        "registration_date": date(2019, 3, 12),
        "activity_start_date": date(2019, 4, 1),
        "has_invoices": True,
        "logo.id": 991,
        "uuid": "0b6f6c1e-5c55-4f7d-9b1b-1f0e7d5e8a31",
        "slug": "atelier-martin-conseil",
        "intracom_vat_number": "FR12807258421",
        "siren": None,
    },
    "company/companies_v2_list_mixed.json": {
        "0.country": "FR",
        "0.vat_system.code": "quarterly",
        "0.share_capital": Decimal("15000.50"),
        "0.registration_date": date(2020, 1, 15),
        "0.activity_start_date": date(2020, 2, 1),
        "1.country.name": "France",
        "1.vat_system": "monthly",
        "1.activity": "Boulangerie",
        "2.id": 3,
        "2.name": None,
    },
    "contact/sandbox_list.json": {"0.id": 7001, "0.lastname": "Noël"},
    "contact/reference_fields.json": {"id": 3, "job": "CEO", "invoicing_use_email": True},
    "country/reference.json": {
        "0.id": 75,
        "0.invoicing_vat_exoneration_area": "france",
        "0.nationality": "Française",
        "1.id": None,
        "1.code": "BE",
    },
    "document/reference_shape.json": {
        "0.id": 11,
        "0.created_at": datetime(2024, 4, 1, 12),
        "0.metadata.date": date(2024, 4, 1),
        "0.metadata.amount": Decimal("42.9"),
        "0.ocr_status": "done",
        "0.mime_type": "application/pdf",
        "1.created_at": datetime(2024, 4, 2, 8, 0, 0, 123456, tzinfo=PARIS_SUMMER),
        "1.metadata.amount": None,
    },
    "document/sandbox_upload_and_list.json": {
        "0.id": 500061,
        "0.name": "reçu.pdf",
        "0.metadata.amount": None,
        "0.created_at": datetime(2026, 11, 25, 2, 2, 58),
        "1.metadata.date": date(2026, 11, 17),
        "1.metadata.amount": Decimal("211.17"),
        "1.metadata.supplier_name": "Fnac",
        "1.preview_available": True,
    },
    "document_category/sandbox.json": {
        "0.identifier": "receipt",
        "0.count": 32,
        "1.owner": "company",
        "1.editable": True,
    },
    "document_category/reference_shape.json": {
        "0.identifier": "receipts",
        "0.owner": "tiime",
        "0.editable": False,
        "1.count": 3,
        "1.owner": {"id": 501, "name": "Camille"},
    },
    "document_matching/reference_shape.json": {
        "0.document.id": 11,
        "0.bank_transaction.id": 55001,
        "1.invalid_matching": True,
    },
    "document_matchings/reference_shape.json": {"matchings.0.matching_type": "manual"},
    "expense_report/reference_shape.json": {
        "0.total_amount": Decimal("125.4"),
        "0.metadata.date": date(2024, 3, 31),
        "0.title": "Mars 2024",
        "0.created_at": datetime(2024, 3, 31, 18),
        "1.total_amount": None,
        "1.metadata.date": None,
    },
    "expense_report/sandbox_list_and_create.json": {
        "0.total_amount": Decimal("211.17"),
        "0.metadata.date": date(2026, 11, 30),
        "0.status": "draft",
        "1.total_amount": None,
        "1.metadata.date": None,
    },
    "expense_report/create_answer_datetime.json": {
        "id": 33,
        "total_amount": Decimal(0),
        "metadata.date": date(2024, 5, 31),
        "created_at": datetime(2024, 5, 31),
    },
    "imputation/impute_body_label.json": {
        "amount": Decimal(-10),
        "label.id": 612,
        "label.acronym": "FB",
        "label.client": None,
        "label.disabled": False,
        "accountant_detail_requests": [],
    },
    "invoice/sandbox_list.json": {
        "0.id": 500119,
        "0.compiled_number": "F-2025-0098",
        "0.emission_date": date(2025, 10, 21),
        "0.total_including_taxes": Decimal("4900.14"),
        "0.totals_per_vat_type.normal.vat_amount": Decimal("61.4"),
        "0.lines.2.quantity": Decimal("4.5"),
        "0.lines.2.invoicing_unit.code": "day",
        "0.lines.2.sequence": 3,
    },
    "invoice/reference_shape.json": {
        "id": 9001,
        "client_id": 101,
        "emission_date": date(2024, 4, 1),
        "due_date": date(2024, 5, 1),
        "total_including_taxes": Decimal("1081.2"),
        "lines.0.unit_amount": Decimal("450.5"),
        "lines.0.line_amount": Decimal(901),
        "lines.0.vat_type.code": "normal",
        "lines.0.invoicing_unit.code": "day",
        "tags.0.tag_detail.label": "Priorité",
        "totals_per_vat_type.normal.vat_amount": Decimal("180.2"),
    },
    "invoice/duplicate_example_draft.json": {
        "client_id": None,
        "number": None,
        "lines.0.id": None,
        "lines.0.invoicing_category_type": "benefit",
        "lines.0.sequence": 1,
        "lines.0.discount_amount": None,
        "totals_per_vat_type": {},
    },
    "invoice/other_client_strings.json": {
        "0.client_id": 101,
        "0.number": 43,
        "0.emission_date": date(2024, 4, 2),
        "0.due_date": date(2024, 5, 2),
        "0.total_excluding_taxes": Decimal("0.30"),
        "0.lines.0.quantity": Decimal(3),
        "0.lines.0.unit_amount": Decimal("0.1"),
        "0.lines.0.discount_percentage": Decimal("12.5"),
        "0.totals_per_vat_type.none.total_excluding_taxes": Decimal(0),
        "0.totals_per_vat_type.none.vat_amount": None,
    },
    "label/reference_shape.json": {
        "0.registry_type": "purchase",
        "0.configuration_source": "standard",
        "1.type": None,
    },
    "label/sandbox_own_and_standard.json": {
        "0.id": 900001,
        "0.label": "Matériel informatique",
        "0.is_standard": False,
        "0.client": None,
        "2.name": "Ventes de prestations",
        "2.sales": True,
        "2.configuration_source": "standard",
    },
    "label_suggestion/reference_shape.json": {
        "0.client": None,
        "1.client.name": "ACME CORP",
        "1.name": "Ventes ACME",
    },
    "matchable_document/sandbox_search.json": {
        "0.metadata.0.supplier_name": "Amazon",
        "0.metadata.0.amount": Decimal("86.07"),
        "0.tags.0.amount": Decimal("86.07"),
        "0.created_at": datetime(2026, 11, 11, 8, 28, 8),
    },
    "matchable_document/reference_shape.json": {
        "0.metadata.0.date": date(2024, 4, 1),
        "0.metadata.1.amount": Decimal("42.90"),
        "0.metadata.1.date": None,
        "0.created_at": datetime(2024, 4, 1, 12, tzinfo=timezone.utc),
        "0.tags.0.amount": Decimal("42.90"),
        "1.metadata": [],
    },
    "quotation/sandbox_expanded.json": {
        "0.id": 80019,
        "0.quotation_number": "D-2025-0015",
        "0.status": "accepted",
        "0.amount_including_taxes": Decimal("70.45"),
        "0.invoices.0.id": 500109,
        "0.invoices.0.total_including_taxes": Decimal("70.45"),
        "1.id": 80030,
        "1.invoices": [],
    },
    "quotation/reference_shape.json": {
        "0.quotation_number": "D-2024-0007",
        "0.date": date(2024, 3, 1),
        "0.amount_including_taxes": Decimal("1081.2"),
        "0.client.name": "ACME CORP",
        "0.invoices.0.compiled_number": "F-2024-0042",
        "1.client": None,
    },
    "quotation/cli_read_fields.json": {
        "compiled_number": "D-2024-0008",
        "client_name": "Café Hélène",
        "emission_date": date(2024, 3, 5),
        "date": date(2024, 3, 5),
        "total_including_taxes": Decimal("120.00"),
        "lines.0.line_amount": Decimal(901),
    },
    "tag/reference_shape.json": {"0.tag_detail.id": 50, "1.tag_detail": None},
    "tag/sandbox_expanded.json": {"0.label": "Projet Alpha", "0.tag_detail.id": 4001},
    "user/sandbox_me.json": {
        "id": 4201,
        "active_company": 12345,
        "director": True,
        "address.country.code": "FR",
        "created_at": datetime(2023, 9, 4, 10, 12),
        "acronym": "CM",
    },
    "user/reference.json": {
        "id": 501,
        "roles": ["ROLE_USER", "ROLE_COMPANY_ADMIN"],
        "active_company": 12345,
        "address.additional_information2": "Bât. B",
        "address.country.nationality": "Française",
        "created_at": datetime(2019, 3, 12, 8, 15),
    },
}

FILES = sorted(str(path.relative_to(PAYLOADS)) for path in PAYLOADS.glob("*/*.json"))


def decode(name: str) -> Any:
    """A corpus file decoded by the SDK's decoder into its model (or a list of them)."""
    path = PAYLOADS / name
    model = MODELS[path.parent.name]
    body = path.read_bytes()
    into: Any = list[model] if isinstance(json.loads(body), list) else model  # type: ignore[valid-type]
    return decoder_for(into).decode(body)


def walk(value: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value[part]
        else:
            value = getattr(value, part)
    return value


def test_the_corpus_covers_every_model_and_every_file_is_checked() -> None:
    assert {name.split("/")[0] for name in FILES} == set(MODELS)
    assert set(FILES) == set(EXPECTED)


@pytest.mark.parametrize("name", FILES)
def test_every_payload_decodes_into_its_model(name: str) -> None:
    decoded = decode(name)

    model = MODELS[name.split("/")[0]]
    items = decoded if isinstance(decoded, list) else [decoded]
    assert items
    assert all(isinstance(item, model) for item in items)
    for dotted, expected in EXPECTED[name].items():
        value = walk(decoded, dotted)
        assert value == expected, dotted
        assert type(value) is type(expected), dotted  # Decimal, date, datetime: not str


@pytest.mark.parametrize("name", FILES)
def test_every_payload_round_trips_through_to_json(name: str) -> None:
    decoded = decode(name)
    items = decoded if isinstance(decoded, list) else [decoded]

    for item in items:
        again = decoder_for(type(item)).decode(item.to_json())
        assert again == item


# --- ids -------------------------------------------------------------------------------

# Every model of the corpus but the country (whose id the reference declares optional)
# and the two wrappers (a transactions page, a ``{"matchings": [...]}``).
WITHOUT_ID = ("country", "bank_transactions_page", "document_matchings")
ALWAYS_WITH_ID = [model for name, model in MODELS.items() if name not in WITHOUT_ID]


@pytest.mark.parametrize("model", ALWAYS_WITH_ID, ids=lambda model: model.__name__)
def test_a_payload_without_id_fails_saying_id_is_missing(model: type[Model]) -> None:
    with pytest.raises(msgspec.ValidationError, match=r"missing required field `id`"):
        decoder_for(model).decode(b'{"name": "no id"}')


def test_a_nested_object_without_its_id_names_where() -> None:
    body = b'{"id": 1, "ape_code": {"code": "6202A"}}'

    with pytest.raises(
        msgspec.ValidationError, match=r"missing required field `id` - at `\$.ape_code`"
    ):
        decoder_for(Company).decode(body)


def test_a_list_item_without_id_names_its_index() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"at `\$\[1\]`"):
        decoder_for(list[Client]).decode(b'[{"id": 1}, {"name": "x"}]')


def test_models_are_built_with_an_id() -> None:
    with pytest.raises(TypeError, match="id"):
        Client(name="ACME")  # type: ignore[call-arg]
    assert Client(id=1).id == 1
    assert Country().id is None  # the reference declares a country's id optional


# --- Company: both shapes ----------------------------------------------------------------


def test_company_country_is_a_code_or_a_country_object() -> None:
    as_code = decoder_for(Company).decode(b'{"id": 1, "country": "FR"}')
    as_object = decoder_for(Company).decode(b'{"id": 1, "country": {"id": 75, "code": "FR"}}')

    assert as_code.country == "FR"
    assert as_object.country == Country(id=75, code="FR")


def test_company_vat_system_is_a_string_or_an_object() -> None:
    as_text = decoder_for(Company).decode(b'{"id": 1, "vat_system": "monthly"}')
    as_object = decoder_for(Company).decode(
        b'{"id": 1, "vat_system": {"id": 2, "code": "monthly", "label": "Mensuel", "type": "real"}}'
    )

    assert as_text.vat_system == "monthly"
    assert isinstance(as_object.vat_system, VatSystem)
    assert as_object.vat_system.label == "Mensuel"


def test_company_country_of_another_type_is_still_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$.country"):
        decoder_for(Company).decode(b'{"id": 1, "country": [75]}')


# --- dates ---------------------------------------------------------------------------------

DATE_TIMES = {
    "2024-01-31": datetime(2024, 1, 31),
    "2024-01-31 10:00:00": datetime(2024, 1, 31, 10),
    "2024-01-31T10:00:00": datetime(2024, 1, 31, 10),
    "2024-01-31T10:00:00.5": datetime(2024, 1, 31, 10, 0, 0, 500000),
    "2024-01-31T10:00:00Z": datetime(2024, 1, 31, 10, tzinfo=timezone.utc),
    "2024-01-31T10:00:00+01:00": datetime(2024, 1, 31, 10, tzinfo=PARIS_WINTER),
    "2024-01-31 10:00:00+02:00": datetime(2024, 1, 31, 10, tzinfo=PARIS_SUMMER),
}


@pytest.mark.parametrize("text", list(DATE_TIMES))
def test_a_date_time_field_takes_every_form(text: str) -> None:
    client = decoder_for(Client).decode(json.dumps({"id": 1, "archived_at": text}).encode())

    assert client.archived_at == DATE_TIMES[text]
    assert type(client.archived_at) is datetime
    assert client.archived_at.tzinfo == DATE_TIMES[text].tzinfo


@pytest.mark.parametrize("text", list(DATE_TIMES))
def test_a_date_field_takes_every_form_and_keeps_the_date_as_written(text: str) -> None:
    invoice = decoder_for(Invoice).decode(json.dumps({"id": 1, "emission_date": text}).encode())

    assert invoice.emission_date == date(2024, 1, 31)
    assert type(invoice.emission_date) is date


def test_a_date_only_value_does_not_spoil_a_list() -> None:
    body = (
        b'[{"id": 1, "archived_at": "2024-01-31"}, {"id": 2, "archived_at": "2024-01-31 10:00:00"}]'
    )

    clients = decoder_for(list[Client]).decode(body)

    assert [c.archived_at for c in clients] == [datetime(2024, 1, 31), datetime(2024, 1, 31, 10)]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b'{"id": 1, "archived_at": "31/01/2024"}', "archived_at"),
        (b'{"id": 1, "archived_at": "2024-02-30"}', "archived_at"),
        (b'{"id": 1, "archived_at": 1706695200}', "archived_at"),
        (b'{"id": 1, "archived_at": true}', "archived_at"),
    ],
)
def test_a_value_that_is_no_date_time_fails_naming_the_field(body: bytes, where: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=rf"at `\$\.{where}`"):
        decoder_for(Client).decode(body)


@pytest.mark.parametrize("text", ["2024-13-01", "2024-1-31", "tomorrow", "2024-01-31Tnoon"])
def test_a_value_that_is_no_date_fails_naming_the_field(text: str) -> None:
    body = json.dumps([{"id": 1, "due_date": text}]).encode()

    with pytest.raises(msgspec.ValidationError, match=r"at `\$\[0\]\.due_date`"):
        decoder_for(list[Invoice]).decode(body)


@pytest.mark.parametrize("text", ["1706695200", "1706695200.5"])
def test_a_date_time_field_refuses_a_timestamp_even_as_text(text: str) -> None:
    # msgspec's lax mode would read these as Unix timestamps: the API never sends them.
    body = json.dumps({"id": 1, "archived_at": text}).encode()

    with pytest.raises(msgspec.ValidationError, match=r"at `\$\.archived_at`"):
        decoder_for(Client).decode(body)


SANDBOX_FILES = [name for name in FILES if name.split("/")[1].startswith("sandbox")]


@pytest.mark.parametrize("name", SANDBOX_FILES)
def test_the_usual_date_forms_decode_without_the_lenient_hook(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sandbox's answers (YYYY-MM-DD dates, RFC 3339 date-times) take the native path:
    # no Python call per date. Only an unusual form falls back to the hook.
    def refused(value: object) -> Any:
        raise AssertionError(f"the lenient hook was called for {value!r}")

    monkeypatch.setattr(_dates, "parse_date", refused)
    monkeypatch.setattr(_dates, "parse_datetime", refused)

    assert decode(name)


def test_an_unusual_date_form_falls_back_and_still_gives_the_public_classes() -> None:
    body = json.dumps(
        {
            "metadata": {"total_amount": "-12.50"},
            "transactions": [
                {"id": 1, "transaction_date": "2024-04-01", "bank_account": {"id": 7}},
                {
                    "id": "2",
                    "transaction_date": "2024-04-02T23:30:00+02:00",
                    "merchant": {"id": 3, "name": "Amazon"},
                    "tags": [{"id": 4, "label": "x"}],
                    "imputations": [{"id": 5, "amount": -12.5, "label": {"id": 6}}],
                },
            ],
        }
    ).encode()

    page = decoder_for(BankTransactionsPage).decode(body)

    assert type(page) is BankTransactionsPage
    assert page.transactions is not None
    first, second = page.transactions
    assert type(first) is BankTransaction
    assert type(second) is BankTransaction
    assert first.bank_account == Ref(id=7)
    assert second.id == 2
    assert second.transaction_date == date(2024, 4, 2)
    assert type(second.transaction_date) is date
    assert second.merchant == NamedRef(id=3, name="Amazon")
    assert second.tags == [Tag(id=4, label="x")]
    assert second.imputations is not None
    assert type(second.imputations[0]) is Imputation
    assert second.imputations[0].amount == Decimal("-12.5")
    assert page.metadata is not None
    assert page.metadata.total_amount == Decimal("-12.50")
    assert page == decoder_for(BankTransactionsPage).decode(page.to_json())


def test_the_public_lenient_decoder_reads_stored_json_in_any_form() -> None:
    decoder = LenientDecoder(list[Client])

    clients = decoder.decode(b'[{"id": 1, "archived_at": "2024-01-31"}]')

    assert clients == [Client(id=1, archived_at=datetime(2024, 1, 31))]
    assert decoder.type == list[Client]


def test_the_small_structs_of_a_listing_are_not_tracked_by_the_collector() -> None:
    path = PAYLOADS / "bank_transaction" / "sandbox_imputed.json"
    transaction = decoder_for(BankTransaction).decode(path.read_bytes())

    assert transaction.bank_account is not None
    assert transaction.imputations
    label = transaction.imputations[0].label
    assert label is not None
    untracked = [
        transaction,
        transaction.imputations[0],
        transaction.bank_account,
        label,
        Tag(id=1),
        NamedRef(id=1),
    ]
    assert not any(gc.is_tracked(value) for value in untracked)


# --- money -----------------------------------------------------------------------------------

AMOUNTS_BODY = (
    b'{"id": 1, "name": "ACME", "archived_at": "2026-01-31 10:00:00",'
    b' "balance_including_taxes": "1234.56", "billed_including_taxes": 2400.00,'
    b' "billed_excluding_taxes": 2000, "country": {"id": 75, "code": "FR"}}'
)


def test_amounts_are_decimals_exactly_as_written() -> None:
    client = decoder_for(Client).decode(AMOUNTS_BODY)

    assert client.balance_including_taxes == Decimal("1234.56")
    assert str(client.billed_including_taxes) == "2400.00"
    assert str(client.billed_excluding_taxes) == "2000"


def test_to_dict_gives_amounts_as_numbers_and_dates_as_iso_text() -> None:
    as_dict = decoder_for(Client).decode(AMOUNTS_BODY).to_dict()

    amounts = [as_dict[f] for f in ("balance_including_taxes", "billed_including_taxes")]
    assert amounts == [1234.56, 2400.0]
    assert all(type(amount) is float for amount in amounts)
    assert as_dict["billed_excluding_taxes"] == 2000
    assert isinstance(as_dict["billed_excluding_taxes"], numbers.Real)
    assert as_dict["archived_at"] == "2026-01-31T10:00:00"
    assert as_dict["country"]["code"] == "FR"
    assert sum(amounts) == pytest.approx(3634.56)


def test_to_dict_of_nested_amounts_and_dates() -> None:
    invoice = decode("invoice/reference_shape.json")

    as_dict = invoice.to_dict()

    assert as_dict["lines"][0]["unit_amount"] == 450.5
    assert as_dict["totals_per_vat_type"]["normal"]["vat_amount"] == 180.2
    assert as_dict["emission_date"] == "2024-04-01"
    assert json.loads(json.dumps(as_dict)) == as_dict  # plain JSON values all through


def test_to_dict_exact_keeps_decimals() -> None:
    as_dict = decoder_for(Client).decode(AMOUNTS_BODY).to_dict(exact=True)

    assert as_dict["balance_including_taxes"] == Decimal("1234.56")
    assert str(as_dict["billed_including_taxes"]) == "2400.00"
    assert as_dict["archived_at"] == "2026-01-31T10:00:00"


def test_to_json_writes_amounts_as_json_numbers_digit_for_digit() -> None:
    data = decoder_for(Client).decode(AMOUNTS_BODY).to_json()

    assert b'"balance_including_taxes":1234.56' in data
    assert b'"billed_including_taxes":2400.00' in data
    assert b'"billed_excluding_taxes":2000' in data
    assert b'"archived_at":"2026-01-31T10:00:00"' in data
    parsed = json.loads(data, parse_float=Decimal)
    assert parsed["balance_including_taxes"] == Decimal("1234.56")


def test_to_json_of_dates_is_iso_8601() -> None:
    data = decode("accounting_period/datetime_bounds.json").to_json()
    created = decode("document/reference_shape.json")[1].to_json()

    assert b'"start_date":"2025-01-01","end_date":"2025-12-31"' in data
    assert b'"created_at":"2024-04-02T08:00:00.123456+02:00"' in created


def test_a_non_finite_amount_is_written_as_null() -> None:
    body = (
        b'{"id": 1, "name": "NaN Infinity", "balance_including_taxes": "NaN",'
        b' "billed_including_taxes": "-Infinity"}'
    )
    client = decoder_for(Client).decode(body)

    data = client.to_json()

    parsed = json.loads(data)  # valid JSON
    assert parsed["balance_including_taxes"] is None
    assert parsed["billed_including_taxes"] is None
    assert parsed["name"] == "NaN Infinity"
    assert client.to_dict()["balance_including_taxes"] is None


def test_to_dict_exact_has_no_non_finite_amount_either() -> None:
    client = Client(id=1, balance_including_taxes=Decimal("NaN"), billed_excluding_taxes=Decimal(2))

    exact = client.to_dict(exact=True)

    assert exact["balance_including_taxes"] is None
    assert exact["billed_excluding_taxes"] == Decimal(2)


class _OldEncoder:
    """msgspec before 0.23: a non-finite Decimal written as a bare NaN (invalid JSON)."""

    def encode(self, value: Any) -> bytes:
        return (
            msgspec.json.Encoder(decimal_format="string")
            .encode(value)
            .replace(b'"NaN"', b"NaN")
            .replace(b'"-Infinity"', b"-Infinity")
        )


class _NewEncoder:
    """msgspec 0.23 and later: ``ValueError`` for a non-finite Decimal as a number."""

    def encode(self, value: Any) -> bytes:
        plain = msgspec.to_builtins(value, builtin_types=(Decimal,))
        values = plain.values() if isinstance(plain, dict) else plain
        if any(isinstance(v, Decimal) and not v.is_finite() for v in values):
            raise ValueError("Cannot encode as a number an non-finite value of a decimal")
        return msgspec.json.Encoder(decimal_format="number").encode(value)


@pytest.mark.parametrize("behaviour", [_OldEncoder, _NewEncoder], ids=["before-0.23", "0.23+"])
def test_non_finite_rule_holds_on_every_msgspec(
    behaviour: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tiime_json, "ENCODER", behaviour())
    client = Client(
        id=1,
        name="A",
        balance_including_taxes=Decimal("NaN"),
        billed_including_taxes=Decimal("-Infinity"),
    )

    assert json.loads(client.to_json()) == {
        **json.loads(Client(id=1).to_json()),
        "name": "A",
        "balance_including_taxes": None,
        "billed_including_taxes": None,
    }
    with pytest.raises(ValueError, match="finite"):
        tiime_json.encode_body({"amount": Decimal("NaN")})


def test_a_request_body_with_a_non_finite_amount_is_refused_before_sending() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    call: APIRequest[bytes] = APIRequest.post(
        "companies/1/things", bytes, json={"x": Decimal("Inf")}
    )
    with (
        httpx.Client(transport=httpx.MockTransport(answer)) as http,
        TiimeClient(http_client=http, access_token="t", company_id=1) as client,
        pytest.raises(ValidationError, match="finite"),
    ):
        client._execute(call)
    assert sent == []


def test_text_that_looks_like_nan_is_left_alone() -> None:
    client = Client(id=1, name="NaNa Infinity", balance_including_taxes=Decimal("1.50"))

    assert json.loads(client.to_json()) == {
        **json.loads(Client(id=1).to_json()),
        "name": "NaNa Infinity",
        "balance_including_taxes": 1.5,
    }


def test_a_built_account_balance_has_numbers_too() -> None:
    balance = AccountBalance(name="Compte", balance_amount=Decimal("-12.30"), currency="EUR")

    assert balance.to_json() == b'{"name":"Compte","balance_amount":-12.30,"currency":"EUR"}'
    assert balance.to_dict() == {"name": "Compte", "balance_amount": -12.3, "currency": "EUR"}


def test_stored_json_decodes_with_the_public_dec_hook() -> None:
    data = msgspec.json.encode([decode("client/sandbox_archived.json")])

    again = msgspec.json.decode(data, type=list[Client], strict=False, dec_hook=dec_hook)

    assert again[0].archived_at == datetime(2025, 3, 7, 2, 48, 22)
