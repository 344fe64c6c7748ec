"""``client.bank_transactions``: the wire (query order, media types, Range, bodies), the
answers, the checks made before sending, and the replay rules (on the mock)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tiime import (
    AmbiguousWriteError,
    APITimeoutError,
    NotFoundError,
    ServerError,
    ValidationError,
)
from tiime.types import BankTransaction, BankTransactionsPage, DocumentMatching, LabelSuggestion

from .._support import Env, FakeTiime, collect, run

TRANSACTIONS_V2 = "application/vnd.tiime.bank_transactions.v2+json"
SUGGESTIONS_V2 = "application/vnd.tiime.bank_transactions.label_suggestions.v2+json"


def tx_path(env: Env, *rest: object) -> str:
    return "/".join([f"/v1/companies/{env.company_id}/bank_transactions", *map(str, rest)])


async def a_suggested_transaction(client: Any, env: Env) -> tuple[BankTransaction, Any]:
    """An unimputed transaction with a suggestion, and its first suggestion."""
    for transaction in await run(client.bank_transactions.unimputed()):
        suggestions = await run(client.bank_transactions.label_suggestions(transaction.id))
        if suggestions:
            env.requests.clear()
            return transaction, suggestions[0]
    raise AssertionError("the sandbox should hold an unimputed transaction with a suggestion")


async def test_list_sends_the_reference_query_order_and_media_type(client: Any, env: Env) -> None:
    account = (await run(client.bank_accounts.list()))[0]
    env.requests.clear()

    found = await run(
        client.bank_transactions.list(
            hide_refused=True,
            bank_account=account.id,
            amount_type="negative",
            operation_type="card",
            sorts="transaction_date:desc",
            from_date=date(2025, 11, 1),
            to_date="2026-10-31",
            search="AMAZON & co",
        )
    )

    request = env.api_requests[0]
    assert request.method == "GET"
    assert request.url.path == tx_path(env)
    assert request.url.query.decode() == (
        f"hide_refused=true&bank_account={account.id}&amount_type=negative&operation_type=card"
        "&sorts=transaction_date%3Adesc&transaction_date_start=2025-11-01"
        "&transaction_date_end=2026-10-31&wording=AMAZON+%26+co"
    )
    assert request.headers["Accept"] == TRANSACTIONS_V2
    assert request.headers["Range"] == "items=0-999"
    assert found == []  # no wording holds "amazon & co"


async def test_list_sends_hide_refused_false_by_default_and_no_empty_filters(
    client: Any, env: Env
) -> None:
    await run(client.bank_transactions.list(search="", limit=1))

    assert env.api_requests[0].url.query == b"hide_refused=false"


async def test_list_follows_every_page(client: Any, env: Env) -> None:
    everything = await run(client.bank_transactions.list())

    ranges = [r.headers["Range"] for r in env.api_requests]
    assert ranges == ["items=0-999"]  # the sandbox answers 200: all of them came
    assert len(everything) == 600
    assert len({t.id for t in everything}) == 600
    dates = [t.transaction_date for t in everything]
    assert dates == sorted(dates, reverse=True)


async def test_filters_narrow_the_answer(client: Any) -> None:
    card = await run(client.bank_transactions.list(operation_type="card", amount_type="negative"))
    shown = await run(client.bank_transactions.list(hide_refused=True))
    found = await run(client.bank_transactions.list(search="sncf"))
    window = await run(client.bank_transactions.list(from_date="2026-01-01", to_date="2026-01-31"))

    assert card
    assert all(t.operation_type == "card" and t.amount < 0 for t in card)
    assert shown
    assert all(t.status != "refused" for t in shown)
    assert found
    assert all("SNCF" in (t.wording or "") for t in found)
    assert window
    assert all(date(2026, 1, 1) <= t.transaction_date <= date(2026, 1, 31) for t in window)


async def test_list_page_keeps_the_metadata(client: Any, env: Env) -> None:
    page = await run(
        client.bank_transactions.list_page(page=3, page_size=50, amount_type="negative")
    )

    (request,) = env.api_requests
    assert request.headers["Range"] == "items=100-149"
    assert request.url.query == b"hide_refused=false&amount_type=negative"
    assert isinstance(page, BankTransactionsPage)
    assert len(page.transactions) == 50
    every = await run(client.bank_transactions.list(amount_type="negative"))
    assert page.metadata.total_amount == sum((t.amount for t in every), Decimal(0))
    assert isinstance(page.metadata.total_amount, Decimal)


async def test_iter_yields_page_by_page(client: Any, env: Env) -> None:
    items = await collect(client.bank_transactions.iter(page_size=250, sorts="amount:asc"))

    assert [r.headers["Range"] for r in env.api_requests] == [
        "items=0-249",
        "items=249-499",  # from the item read last (how a shifted list is seen)
        "items=499-749",
    ]
    amounts = [t.amount for t in items]
    assert len(items) == 600
    assert amounts == sorted(amounts)


async def test_iter_limit_stops_early(client: Any, env: Env) -> None:
    items = await collect(client.bank_transactions.iter(limit=7))

    assert len(items) == 7
    assert [r.headers["Range"] for r in env.api_requests] == ["items=0-6"]


@pytest.mark.parametrize(
    "bad",
    [
        {"amount_type": "both"},
        {"from_date": "31/01/2026"},
        {"to_date": 20260131},
        {"bank_account": 0},
        {"search": "a\nb"},
        {"hide_refused": "yes"},
    ],
)
async def test_bad_filters_are_refused_before_sending(client: Any, env: Env, bad: Any) -> None:
    with pytest.raises(ValidationError):
        await run(client.bank_transactions.list(**bad))
    assert env.api_requests == []


async def test_unimputed_get_and_suggestions(client: Any, env: Env) -> None:
    unimputed = await run(client.bank_transactions.unimputed())
    (request,) = env.api_requests
    assert request.url.path == tx_path(env, "unimputed")
    assert request.headers["Range"] == "items=0-*"
    assert unimputed
    assert all(t.imputations == [] for t in unimputed)
    env.requests.clear()

    one = await run(client.bank_transactions.get(unimputed[0].id))
    suggestions = await run(client.bank_transactions.label_suggestions(unimputed[0].id))

    get, suggest = env.api_requests
    assert get.url.path == tx_path(env, unimputed[0].id)
    assert suggest.url.path == tx_path(env, unimputed[0].id, "label_suggestions")
    assert suggest.headers["Accept"] == SUGGESTIONS_V2
    assert one == unimputed[0]
    assert all(isinstance(s, LabelSuggestion) for s in suggestions)


async def test_get_unknown_transaction_is_not_found(client: Any) -> None:
    with pytest.raises(NotFoundError, match="Transaction bancaire introuvable"):
        await run(client.bank_transactions.get(1))


async def test_impute_sends_the_body_and_the_transaction_leaves_unimputed(
    client: Any, env: Env
) -> None:
    transaction, suggestion = await a_suggested_transaction(client, env)
    label = {"id": suggestion.id, "name": suggestion.name, "disabled": False}

    imputed = await run(
        client.bank_transactions.impute(
            transaction, [{"label": label, "amount": transaction.amount, "documents": []}]
        )
    )

    (request,) = env.api_requests
    assert request.method == "PATCH"
    assert request.url.path == tx_path(env, transaction.id)
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content, parse_float=Decimal) == {
        "imputations": [
            {
                "label": label,
                "amount": transaction.amount,
                "documents": [],
                "accountant_detail_requests": [],
            }
        ]
    }
    assert list(json.loads(request.content)["imputations"][0]) == [
        "label",
        "amount",
        "documents",
        "accountant_detail_requests",
    ]
    assert [i.label.id for i in imputed.imputations] == [suggestion.id]
    assert imputed.imputations[0].amount == transaction.amount
    assert transaction.id not in {t.id for t in await run(client.bank_transactions.unimputed())}
    assert (
        await run(client.bank_transactions.get(transaction.id))
    ).imputations == imputed.imputations


async def test_impute_split_in_two_with_amount_given(client: Any, env: Env) -> None:
    transaction, suggestion = await a_suggested_transaction(client, env)
    half = (transaction.amount / 2).quantize(Decimal("0.01"))

    imputed = await run(
        client.bank_transactions.impute(
            transaction.id,
            [
                {"label": {"id": suggestion.id}, "amount": half},
                {"label": {"id": suggestion.id}, "amount": transaction.amount - half},
            ],
            amount=transaction.amount,
        )
    )

    assert sum((i.amount for i in imputed.imputations), Decimal(0)) == transaction.amount


@pytest.mark.parametrize(
    ("imputations", "amount", "message"),
    [
        ([{"label": {"id": 5}, "amount": "-10.00"}], "-10.01", "add up"),
        (
            [{"label": {"id": 5}, "amount": 0.1}, {"label": {"id": 5}, "amount": 0.2}],
            "0.31",
            "add up",
        ),
        ([{"label": {"id": 5}, "amount": "1.005"}], "1.005", "two decimals"),
        ([{"label": {}, "amount": 1}], 1, "label.id"),
        ([], 1, "at least one"),
        ([], None, "at least one"),
        ([{"label": {}, "amount": 1}], None, "label.id"),
        ([{"label": {"id": 5}, "amount": "1.005"}], None, "two decimals"),
    ],
)
async def test_impute_checks_before_sending(
    client: Any, env: Env, imputations: Any, amount: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        await run(client.bank_transactions.impute(880001, imputations, amount=amount))
    assert env.api_requests == []


async def test_impute_by_id_alone_reads_the_amount_then_patches(client: Any, env: Env) -> None:
    # The reference's form: impute(transaction_id, imputations), no amount given.
    transaction, suggestion = await a_suggested_transaction(client, env)

    imputed = await run(
        client.bank_transactions.impute(
            transaction.id, [{"label": {"id": suggestion.id}, "amount": transaction.amount}]
        )
    )

    assert [(r.method, r.url.path) for r in env.api_requests] == [
        ("GET", tx_path(env, transaction.id)),
        ("PATCH", tx_path(env, transaction.id)),
    ]
    assert [i.label.id for i in imputed.imputations] == [suggestion.id]
    assert imputed.imputations[0].amount == transaction.amount


async def test_impute_by_id_alone_checks_the_total_before_the_patch(client: Any, env: Env) -> None:
    transaction, suggestion = await a_suggested_transaction(client, env)
    wrong = transaction.amount + Decimal("0.01")

    with pytest.raises(ValidationError, match="add up to"):
        await run(
            client.bank_transactions.impute(
                transaction.id, [{"label": {"id": suggestion.id}, "amount": wrong}]
            )
        )

    assert [r.method for r in env.api_requests] == ["GET"]  # read, never written
    assert (await run(client.bank_transactions.get(transaction.id))).imputations == []


@pytest.mark.parametrize("backend", ["mock"])
async def test_impute_by_id_alone_never_replays_the_patch(client: Any, fake: FakeTiime) -> None:
    transaction = {"id": 7, "amount": -12.5, "imputations": []}
    fake.queue(httpx.Response(200, json=transaction), httpx.ReadTimeout, 200)

    with pytest.raises(AmbiguousWriteError):
        await run(client.bank_transactions.impute(7, [{"label": {"id": 5}, "amount": "-12.50"}]))

    assert [r.method for r in fake.api_requests] == ["GET", "PATCH"]


async def test_impute_float_amounts_add_up_as_written(client: Any, env: Env) -> None:
    transaction, suggestion = await a_suggested_transaction(client, env)
    cents = transaction.amount
    first = Decimal("0.1") if cents > 0 else Decimal("-0.1")

    await run(
        client.bank_transactions.impute(
            transaction,
            [
                {"label": {"id": suggestion.id}, "amount": float(first)},
                {"label": {"id": suggestion.id}, "amount": cents - first},
            ],
        )
    )

    body = json.loads(env.api_requests[0].content, parse_float=Decimal)
    assert [i["amount"] for i in body["imputations"]] == [first, cents - first]


async def test_impute_refused_by_the_server_for_an_unknown_label(client: Any, env: Env) -> None:
    transaction, _ = await a_suggested_transaction(client, env)

    with pytest.raises(ValidationError, match="Label inconnu") as caught:
        await run(
            client.bank_transactions.impute(
                transaction, [{"label": {"id": 999999}, "amount": transaction.amount}]
            )
        )
    assert caught.value.status == 422


async def test_match_documents_then_matchings(client: Any, env: Env, sandbox_server: Any) -> None:
    transaction = (await run(client.bank_transactions.list(limit=1)))[0]
    rows = sandbox_server.db.all(
        "SELECT id FROM documents WHERE company_id = ? ORDER BY id DESC LIMIT 2", (env.company_id,)
    )
    ids = [row["id"] for row in rows]
    assert len(ids) == 2
    env.requests.clear()

    matched = await run(client.bank_transactions.match_documents(transaction.id, ids))
    listed = await run(client.bank_transactions.matchings(transaction.id))

    put, get = env.api_requests
    assert put.method == "PUT"
    assert put.url.path == tx_path(env, transaction.id, "document_matchings")
    assert (
        put.content
        == json.dumps({"documents": [{"id": i} for i in ids]}, separators=(",", ":")).encode()
    )
    assert get.url.path == tx_path(env, transaction.id, "matchings")
    assert all(isinstance(m, DocumentMatching) for m in matched)
    assert [m.document.id for m in matched] == ids
    assert listed == matched
    after = await run(client.bank_transactions.get(transaction.id))
    assert after.count_documents == len(ids)
    await run(client.bank_transactions.match_documents(transaction.id, []))
    assert await run(client.bank_transactions.matchings(transaction.id)) == []


async def test_match_documents_refuses_another_company_s_document(client: Any, env: Env) -> None:
    transaction = (await run(client.bank_transactions.list(limit=1)))[0]

    with pytest.raises(ValidationError, match="Document introuvable") as caught:
        await run(client.bank_transactions.match_documents(transaction.id, [1]))
    assert caught.value.status == 422


async def test_match_documents_refuses_duplicates_before_sending(client: Any, env: Env) -> None:
    with pytest.raises(ValidationError, match="twice"):
        await run(client.bank_transactions.match_documents(880001, [3, 3]))
    assert env.api_requests == []


# -- replay rules, on the scripted mock ----------------------------------------------------


def answer_with(fake: FakeTiime, body: Any) -> None:
    fake.api = lambda request: httpx.Response(200, json=body)


@pytest.mark.parametrize("backend", ["mock"])
@pytest.mark.parametrize("failure", [503, httpx.ReadTimeout])
async def test_impute_is_never_replayed(client: Any, fake: FakeTiime, failure: Any) -> None:
    fake.queue(failure)
    answer_with(fake, {"id": 7, "amount": -10})

    with pytest.raises((ServerError, APITimeoutError)):
        await run(
            client.bank_transactions.impute(7, [{"label": {"id": 5}, "amount": -10}], amount=-10)
        )

    assert len(fake.api_requests) == 1


@pytest.mark.parametrize("backend", ["mock"])
async def test_match_documents_is_replayed_after_a_503(client: Any, fake: FakeTiime) -> None:
    fake.queue(503)
    answer_with(fake, [{"id": 1, "document": {"id": 3}, "bank_transaction": {"id": 7}}])

    matched = await run(client.bank_transactions.match_documents(7, [3]))

    assert [m.document.id for m in matched] == [3]
    assert len(fake.api_requests) == 2
    assert fake.api_requests[0].content == fake.api_requests[1].content


@pytest.mark.parametrize("backend", ["mock"])
async def test_list_does_not_stop_at_a_short_page(client: Any, fake: FakeTiime) -> None:
    """A server capping pages at 3 (206 with a TOTAL) is followed to the end."""
    items = [{"id": n, "amount": -n} for n in range(1, 9)]

    def capped(request: httpx.Request) -> httpx.Response:
        start = int(request.headers["Range"].split("=")[1].split("-")[0])
        window = items[start : start + 3]
        end = start + len(window) - 1
        return httpx.Response(
            206 if end + 1 < len(items) else 200,
            json={"metadata": {"total_amount": -36}, "transactions": window},
            headers={"Content-Range": f"items {start}-{end}/{len(items)}"},
        )

    fake.api = capped
    found = await run(client.bank_transactions.list())

    assert [t.id for t in found] == list(range(1, 9))
