"""Answers decoded into typed models, extra fields kept in the raw response, broken answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime import AsyncTiimeClient, ResponseFormatError, TiimeClient, TiimeError
from tiime.types import Client, Company, Contact, Country, VatSystem

from ._support import COMPANIES_V2, COMPANY_ID, REFERENCE_CLIENT, TIMELINE_V2, FakeTiime, run

FULL_CLIENT: dict[str, Any] = {
    **REFERENCE_CLIENT,
    "archived": True,
    "archived_at": "2026-01-31 10:00:00",
    "payment_status": "late",
    "balance_including_taxes": 1234.56,
    "billed_including_taxes": "2400.00",
    "billed_excluding_taxes": 2000,
}


def ok(body: Any, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(200, json=body, headers={"Content-Type": content_type})


async def test_a_complete_client_gives_every_field_typed(client: Any, fake: FakeTiime) -> None:
    fake.queue(ok(FULL_CLIENT))

    result = await run(client.clients.get(100200))

    assert isinstance(result, Client)
    assert result.id == 100200
    assert result.name == "ACME CORP"
    assert result.slug == "acme-corp"
    assert result.address == "1 rue de Rivoli"
    assert result.address_complement is None
    assert result.postal_code == "75001"
    assert result.city == "Paris"
    assert result.country == Country(id=75, name="France", code="FR")
    assert isinstance(result.country, Country)
    assert result.country_code == "FR"
    assert result.email == "contact@acme.example"
    assert result.phone is None
    assert result.siren_or_siret == "12345678200010"
    assert result.siret == "12345678200010"
    assert result.siren == "123456782"
    assert result.intracom_vat_number == "FR11123456782"
    assert result.archived is True
    assert result.archived_at == datetime(2026, 1, 31, 10, 0, 0)
    assert isinstance(result.archived_at, datetime)
    assert result.professional is True
    assert result.color == "#FFC681"
    assert result.acronym == "AC"
    assert result.note is None
    assert result.bic is None
    assert result.iban is None
    assert result.invoicing_use_email is False
    assert result.payment_status == "late"
    assert result.balance_including_taxes == Decimal("1234.56")
    assert isinstance(result.balance_including_taxes, Decimal)
    assert result.billed_including_taxes == Decimal("2400.00")
    assert isinstance(result.billed_including_taxes, Decimal)
    assert result.billed_excluding_taxes == Decimal(2000)
    assert isinstance(result.billed_excluding_taxes, Decimal)


async def test_the_reference_example_round_trips_through_to_dict(
    client: Any, fake: FakeTiime
) -> None:
    fake.queue(ok(REFERENCE_CLIENT))

    result = await run(client.clients.get(100200))

    # Every field of the reference is kept, with its value (JSON types again); the
    # country also names the Country fields this answer leaves out, as None.
    as_dict = result.to_dict()
    expected = {
        **REFERENCE_CLIENT,
        "country": {
            **REFERENCE_CLIENT["country"],
            "invoicing_vat_exoneration_area": None,
            "nationality": None,
        },
    }
    assert {key: as_dict.get(key) for key in REFERENCE_CLIENT} == expected


async def test_a_partial_client_gives_none_for_the_rest(client: Any, fake: FakeTiime) -> None:
    fake.queue(ok({"id": 7, "name": "Only a name"}))

    result = await run(client.clients.get(7))

    assert result.id == 7
    assert result.name == "Only a name"
    others = [f for f in Client.__struct_fields__ if f not in ("id", "name")]
    assert len(others) > 20
    assert all(getattr(result, f) is None for f in others)


async def test_extra_fields_are_ignored_by_the_model_and_kept_raw(
    client: Any, fake: FakeTiime
) -> None:
    body = {**REFERENCE_CLIENT, "brand_new_field": {"nested": [1, 2]}, "x_other": "y"}
    fake.queue(
        httpx.Response(200, json=body, headers={"x-total-amount": "42.00"}),
        httpx.Response(200, json=body),
    )

    raw = await run(client.clients.with_raw_response.get(100))
    model = await run(client.clients.get(100))

    assert raw.status_code == 200
    assert raw.headers["x-total-amount"] == "42.00"
    assert raw.json()["brand_new_field"] == {"nested": [1, 2]}
    assert raw.json()["x_other"] == "y"
    assert raw.parse().id == 100200
    assert not hasattr(model, "brand_new_field")
    assert model.name == "ACME CORP"


async def test_raw_response_of_a_list_gives_headers(client: Any, fake: FakeTiime) -> None:
    fake.queue(
        httpx.Response(
            206,
            json=[FULL_CLIENT],
            headers={"Content-Type": TIMELINE_V2, "Content-Range": "items 0-0/9"},
        )
    )

    raw = await run(client.clients.with_raw_response.list())

    assert raw.status_code == 206
    assert raw.headers["content-range"] == "items 0-0/9"
    assert [c.id for c in raw.parse()] == [100200]


async def test_vendor_json_media_type_is_json(client: Any, fake: FakeTiime) -> None:
    fake.queue(ok([{"id": 1, "name": "A"}], TIMELINE_V2 + "; charset=utf-8"))

    result = await run(client.clients.list())

    assert [c.name for c in result] == ["A"]


async def test_contacts_and_companies_are_typed(client: Any, fake: FakeTiime) -> None:
    contact = {
        "id": 3,
        "firstname": "Ada",
        "lastname": "Lovelace",
        "email": "ada@example.com",
        "phone": "+33 6",
        "job": "CEO",
        "invoicing_use_email": True,
    }
    fake.queue(ok([contact]), ok([{"id": COMPANY_ID, "name": "Fake SAS", "unknown": 1}]))

    contacts = await run(client.clients.contacts(5))
    companies = await run(client.list_companies())

    assert contacts == [Contact(**contact)]
    assert companies == [Company(id=COMPANY_ID, name="Fake SAS")]


REFERENCE_COMPANY: dict[str, Any] = {  # the reference SDK's declared shape
    "id": COMPANY_ID,
    "name": "Fake SAS",
    "country": "FR",
    "vat_system": {"id": 2, "code": "monthly", "label": "Réel normal mensuel", "type": "real"},
    "ape_code": {"id": 620, "code": "6202A", "label": "Programmation"},
    "street": "1 rue de Rivoli",
    "share_capital": 1000,
    "registration_date": "2019-03-12",
    "activity_start_date": "2019-04-01 00:00:00",
}
OTHER_COMPANY: dict[str, Any] = {  # the other shape: country an object, vat_system a string
    "id": COMPANY_ID + 1,
    "name": "Other SARL",
    "country": {"id": 75, "name": "France", "code": "FR"},
    "vat_system": "monthly",
    "siren": "123456782",
    "address": "2 rue de Rivoli",
    "activity": "Conseil",
}


async def test_companies_of_both_shapes_decode(client: Any, fake: FakeTiime) -> None:
    fake.queue(ok([REFERENCE_COMPANY, OTHER_COMPANY], COMPANIES_V2), ok(REFERENCE_COMPANY))

    companies = await run(client.list_companies())
    one = await run(client.company.get())

    assert [c.id for c in companies] == [COMPANY_ID, COMPANY_ID + 1]
    assert companies[0].country == "FR"
    assert companies[0].vat_system == VatSystem(
        id=2, code="monthly", label="Réel normal mensuel", type="real"
    )
    assert companies[0].share_capital == Decimal(1000)
    assert companies[0].registration_date == date(2019, 3, 12)
    assert companies[0].activity_start_date == date(2019, 4, 1)
    assert companies[1].country == Country(id=75, name="France", code="FR")
    assert companies[1].vat_system == "monthly"
    assert companies[1].siren == "123456782"
    assert one == companies[0]


async def test_a_date_only_archived_at_does_not_fail_the_listing(
    client: Any, fake: FakeTiime
) -> None:
    dated = {**FULL_CLIENT, "id": 1, "archived_at": "2026-01-31"}
    fake.queue(ok([dated, REFERENCE_CLIENT], TIMELINE_V2))

    result = await run(client.clients.list())

    assert [c.archived_at for c in result] == [datetime(2026, 1, 31), None]


BROKEN = {  # factories: a Response is used once
    "html page": lambda: httpx.Response(
        200, text="<html><body>Maintenance</body></html>", headers={"Content-Type": "text/html"}
    ),
    "truncated json": lambda: httpx.Response(
        200, content=b'{"id": 1, "name": "AC', headers={"Content-Type": "application/json"}
    ),
    "a list where an object belongs": lambda: httpx.Response(200, json=[REFERENCE_CLIENT]),
    "empty body": lambda: httpx.Response(
        200, content=b"", headers={"Content-Type": "application/json"}
    ),
    "empty body, no content type": lambda: httpx.Response(200, content=b""),
    "wrong field type": lambda: httpx.Response(200, json={"id": "not a number"}),
    "gzip that is not gzip": lambda: httpx.Response(
        200,
        stream=httpx.ByteStream(b'{"id": 1}'),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    ),
}

BROKEN_LISTS = {
    "an object where a list belongs": lambda: httpx.Response(
        200, json=REFERENCE_CLIENT, headers={"Content-Type": TIMELINE_V2}
    ),
    "html": lambda: httpx.Response(
        200, text="<!doctype html><p>hi</p>", headers={"Content-Type": "text/html"}
    ),
    "truncated": lambda: httpx.Response(200, content=b"[{", headers={"Content-Type": TIMELINE_V2}),
    "empty": lambda: httpx.Response(200, content=b"", headers={"Content-Type": TIMELINE_V2}),
}


@pytest.mark.parametrize("case", list(BROKEN))
async def test_a_broken_get_answer_is_a_response_format_error(
    client: Any, fake: FakeTiime, case: str
) -> None:
    fake.queue(BROKEN[case]())

    with pytest.raises(ResponseFormatError) as caught:
        await run(client.clients.get(100))

    error = caught.value
    assert isinstance(error, TiimeError)
    assert error.method == "GET"
    assert error.endpoint == f"{fake.base_url}/companies/{COMPANY_ID}/clients/100"
    assert error.endpoint in str(error)
    assert error.status == 200
    assert len(fake.api_requests) == 1  # a malformed 200 is not retried


@pytest.mark.parametrize("case", list(BROKEN_LISTS))
async def test_a_broken_list_answer_is_a_response_format_error(
    client: Any, fake: FakeTiime, case: str
) -> None:
    fake.queue(BROKEN_LISTS[case]())

    with pytest.raises(ResponseFormatError) as caught:
        await run(client.clients.list())

    assert caught.value.endpoint == f"{fake.base_url}/companies/{COMPANY_ID}/clients"
    assert "/clients" in str(caught.value)


async def test_an_empty_answer_says_it_was_empty(client: Any, fake: FakeTiime) -> None:
    fake.queue(BROKEN["empty body"]())

    with pytest.raises(ResponseFormatError, match="empty"):
        await run(client.clients.get(100))


async def test_html_answer_says_what_it_got(client: Any, fake: FakeTiime) -> None:
    fake.queue(BROKEN["html page"]())

    with pytest.raises(ResponseFormatError, match="text/html"):
        await run(client.clients.get(100))


async def test_object_where_a_list_belongs_says_so(client: Any, fake: FakeTiime) -> None:
    fake.queue(ok(REFERENCE_CLIENT, TIMELINE_V2))

    with pytest.raises(ResponseFormatError, match="list"):
        await run(client.clients.list())


async def test_a_token_answer_without_access_token_is_a_format_error(
    client: Any, fake: FakeTiime
) -> None:
    fake.auth = lambda request: httpx.Response(200, json={"token_type": "Bearer"})

    with pytest.raises(ResponseFormatError) as caught:
        await run(client.clients.get(1))

    assert caught.value.endpoint == fake.auth_url
    assert fake.api_requests == []


def _bad_gzip(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        stream=httpx.ByteStream(b"%PDF-1.4 not gzip"),
        headers={"Content-Type": "application/pdf", "Content-Encoding": "gzip"},
    )


def test_a_streamed_body_that_does_not_decode_is_a_response_format_error(
    tmp_path: Path,
) -> None:
    with (
        httpx.Client(transport=httpx.MockTransport(_bad_gzip)) as http,
        TiimeClient(http_client=http, access_token="t", company_id=1) as client,
    ):
        uses: list[Callable[[Any], Any]] = [
            lambda response: list(response.iter_bytes()),
            lambda response: response.read(),
            lambda response: response.write_to_file(tmp_path / "out.pdf"),
        ]
        for use in uses:
            with (
                client.documents.with_streaming_response.download(5) as response,
                pytest.raises(ResponseFormatError, match="gzip") as caught,
            ):
                use(response)
            assert caught.value.endpoint is not None
            assert caught.value.endpoint.endswith("/companies/1/documents/5/download")
        assert not (tmp_path / "out.pdf").exists()


async def test_an_async_streamed_body_that_does_not_decode_is_a_response_format_error(
    tmp_path: Path,
) -> None:
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(_bad_gzip)) as http,
        AsyncTiimeClient(http_client=http, access_token="t", company_id=1) as client,
    ):

        async def chunks(response: Any) -> list[bytes]:
            return [chunk async for chunk in response.aiter_bytes()]

        uses: list[Callable[[Any], Awaitable[Any]]] = [
            chunks,
            lambda response: response.read(),
            lambda response: response.write_to_file(tmp_path / "out.pdf"),
        ]
        for use in uses:
            async with client.documents.with_streaming_response.download(5) as response:
                with pytest.raises(ResponseFormatError, match="gzip"):
                    await use(response)
        assert not (tmp_path / "out.pdf").exists()
