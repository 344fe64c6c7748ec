"""Writes through preview and commit, against a sandbox of their own: refused without
--allow-writes, a preview sends nothing (the sandbox's database and outbox say so), a commit
sends the previewed request once, and a token is refused when reused, altered or expired."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from mcp import Client

from tiime.sandbox import Sandbox

from .conftest import call, connect, failure, sdk_client

LINE = {"description": "Conseil", "quantity": 2, "unit_price": 450.5, "vat": "normal"}


def counts(sb: Sandbox) -> dict[str, int]:
    """What a write changes, counted in the sandbox's database."""
    return {
        table: int(sb.db.scalar(f"SELECT count(*) FROM {table}"))
        for table in ("invoices", "bank_imputations", "outbox")
    }


class Clock:
    """A clock the test moves on (the tokens' expiry, without waiting)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def preview_invoice(session: Client, sb: Sandbox) -> dict[str, Any]:
    async with sdk_client(sb) as sdk:
        client = (await sdk.clients.list(limit=1))[0]
    return await call(
        session, "preview_draft", kind="invoice", client_id=client.id, lines=[LINE], title="Mai"
    )


async def test_writes_are_not_offered_without_allow_writes(fresh_sandbox: Sandbox) -> None:
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox) as session:
        sentence = await failure(
            session, "preview_draft", kind="invoice", client_name="X", lines=[LINE]
        )
        assert "--allow-writes" in sentence
        sentence = await failure(session, "commit", token="a.1.b")
        assert "--allow-writes" in sentence
    async with connect(fresh_sandbox, allow_writes=True) as session:
        sentence = await failure(
            session, "preview_send_invoice", invoice_id=1, recipients=["a@b.fr"]
        )
        assert "No tool 'preview_send_invoice'" in sentence
        assert "--allow-writes --allow-send" in sentence
    assert counts(fresh_sandbox) == before


async def test_preview_sends_nothing_and_commit_sends_it_once(fresh_sandbox: Sandbox) -> None:
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox, allow_writes=True) as session:
        preview = await preview_invoice(session, fresh_sandbox)
        assert counts(fresh_sandbox) == before  # nothing sent
        assert preview["method"] == "POST"
        assert preview["path"] == f"companies/{fresh_sandbox.company_id}/invoices"
        body = preview["body"]
        assert body["status"] == "draft"
        assert body["title"] == "Mai"
        [line] = body["lines"]
        assert line["quantity"] == 2
        assert line["unit_amount"] == 450.5
        assert line["vat_type"] == {"code": "normal"}

        done = await call(session, "commit", token=preview["token"])
        after = counts(fresh_sandbox)
        assert after["invoices"] == before["invoices"] + 1
        assert done["done"] == "create_invoice"
        invoice = done["result"]
        assert invoice["status"] == "draft"
        assert invoice["title"] == "Mai"
        assert Decimal(str(invoice["total_excluding_taxes"])) == Decimal("901.00")

        sentence = await failure(session, "commit", token=preview["token"])
        assert "already used" in sentence
        assert "never sent twice" in sentence
    assert counts(fresh_sandbox) == after


async def test_an_altered_or_unknown_token_is_refused(fresh_sandbox: Sandbox) -> None:
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox, allow_writes=True) as session:
        preview = await preview_invoice(session, fresh_sandbox)
        nonce, expires, mac = preview["token"].split(".")
        longer = f"{nonce}.{int(expires) + 3600}.{mac}"  # a longer life, same MAC
        sentence = await failure(session, "commit", token=longer)
        assert "altered" in sentence
        # The preview's token was spent by that attempt: a write is sent once or never.
        sentence = await failure(session, "commit", token=preview["token"])
        assert "already used" in sentence

        preview = await preview_invoice(session, fresh_sandbox)
        nonce, expires, mac = preview["token"].split(".")
        forged = f"{nonce}.{expires}.{mac[:-2]}AA"
        assert "altered" in await failure(session, "commit", token=forged)
        assert "not a preview's token" in await failure(session, "commit", token="nonsense")
        assert "unknown" in await failure(session, "commit", token="abc.99999999999.def")
    assert counts(fresh_sandbox) == before


async def test_an_expired_token_is_refused(fresh_sandbox: Sandbox) -> None:
    clock = Clock()
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox, allow_writes=True, clock=clock, token_ttl=60) as session:
        preview = await preview_invoice(session, fresh_sandbox)
        assert preview["expires_in_seconds"] == 60
        clock.now += 62
        sentence = await failure(session, "commit", token=preview["token"])
        assert "expired" in sentence
        assert "preview the write again" in sentence

        preview = await preview_invoice(session, fresh_sandbox)
        clock.now += 59  # still within its life
        await call(session, "commit", token=preview["token"])
    assert counts(fresh_sandbox)["invoices"] == before["invoices"] + 1


async def test_an_imputation_is_previewed_checked_then_committed(fresh_sandbox: Sandbox) -> None:
    async with sdk_client(fresh_sandbox) as sdk:
        [transaction] = await sdk.bank_transactions.unimputed(limit=1)
        transaction = await sdk.bank_transactions.get(transaction.id)
        [suggested, *_] = await sdk.bank_transactions.label_suggestions(transaction.id)
        own_labels = await sdk.labels.list()
    assert suggested.id not in {label.id for label in own_labels}  # a standard label
    own = own_labels[0]
    amount = transaction.amount
    assert amount is not None
    half = (amount / 2).quantize(Decimal("0.01"))
    labels = [suggested, own]  # a standard label (as suggested), and one of the company's
    shares = [
        {"label_id": labels[0].id, "amount": float(half)},
        {"label_id": labels[1].id, "amount": float(amount - half)},
    ]
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox, allow_writes=True) as session:
        wrong = [{"label_id": labels[0].id, "amount": float(amount) + 1}]
        sentence = await failure(
            session, "preview_imputation", transaction_id=transaction.id, imputations=wrong
        )
        assert "add up to" in sentence
        sentence = await failure(
            session,
            "preview_imputation",
            transaction_id=transaction.id,
            imputations=[{"label_id": 987654, "amount": float(amount)}],
        )
        assert "no label 987654" in sentence

        preview = await call(
            session, "preview_imputation", transaction_id=transaction.id, imputations=shares
        )
        assert counts(fresh_sandbox) == before
        assert preview["method"] == "PATCH"
        assert preview["replaces"] == []
        sent = preview["body"]["imputations"]
        assert [share["label"]["id"] for share in sent] == [labels[0].id, labels[1].id]
        assert sum(Decimal(str(share["amount"])) for share in sent) == amount

        done = await call(session, "commit", token=preview["token"])
        assert done["done"] == "impute_transaction"
    assert counts(fresh_sandbox)["bank_imputations"] == before["bank_imputations"] + 2
    async with sdk_client(fresh_sandbox) as sdk:
        imputed = await sdk.bank_transactions.get(transaction.id)
    assert [i.amount for i in imputed.imputations or []] == [half, amount - half]


async def test_sending_needs_allow_send_and_goes_out_once(fresh_sandbox: Sandbox) -> None:
    async with sdk_client(fresh_sandbox) as sdk:
        [invoice] = await sdk.invoices.list(status="saved", limit=1)
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox, allow_writes=True, allow_send=True) as session:
        preview = await call(
            session,
            "preview_send_invoice",
            invoice_id=invoice.id,
            recipients=["compta@client.fr"],
            subject="Votre facture",
        )
        assert counts(fresh_sandbox) == before  # no e-mail by a preview
        assert preview["body"]["recipients"] == [{"email": "compta@client.fr"}]
        await call(session, "commit", token=preview["token"])
        assert "already used" in await failure(session, "commit", token=preview["token"])
    assert counts(fresh_sandbox)["outbox"] == before["outbox"] + 1


class LostAnswer(httpx.AsyncBaseTransport):
    """Forwards every request; the answer to a POST is lost (it did reach the server)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith("/invoices"):
            self.posts += 1
            await response.aclose()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_an_unknown_outcome_is_said_and_never_replayed(fresh_sandbox: Sandbox) -> None:
    transport = LostAnswer()
    before = counts(fresh_sandbox)
    async with httpx.AsyncClient(transport=transport) as http:
        client = sdk_client(fresh_sandbox, http_client=http)
        async with connect(fresh_sandbox, client=client, allow_writes=True) as session:
            preview = await preview_invoice(session, fresh_sandbox)
            sentence = await failure(session, "commit", token=preview["token"])
            assert sentence.startswith("Outcome unknown")
            assert "not sent again" in sentence
            assert "list invoices with status draft" in sentence
            assert "already used" in await failure(session, "commit", token=preview["token"])
    assert transport.posts == 1  # sent once, not replayed
    assert counts(fresh_sandbox)["invoices"] == before["invoices"] + 1  # and it did happen


class Refusal(httpx.AsyncBaseTransport):
    """Forwards every request but a POST of an invoice, which it answers 422 itself."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/invoices"):
            return httpx.Response(422, json={"message": "client archived"}, request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_refused_commit_says_nothing_was_changed(fresh_sandbox: Sandbox) -> None:
    before = counts(fresh_sandbox)
    async with httpx.AsyncClient(transport=Refusal()) as http:
        client = sdk_client(fresh_sandbox, http_client=http)
        async with connect(fresh_sandbox, client=client, allow_writes=True) as session:
            preview = await preview_invoice(session, fresh_sandbox)
            sentence = await failure(session, "commit", token=preview["token"])
    assert sentence.startswith("Nothing was changed")
    assert "client archived" in sentence
    assert counts(fresh_sandbox) == before


async def test_previews_check_what_they_name(fresh_sandbox: Sandbox) -> None:
    async with sdk_client(fresh_sandbox) as sdk:
        [draft] = await sdk.invoices.list(status="draft", limit=1)
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox, allow_writes=True, allow_send=True) as session:
        sentence = await failure(
            session, "preview_send_invoice", invoice_id=draft.id, recipients=["a@b.fr"]
        )
        assert f"Invoice {draft.id} is a draft" in sentence
        sentence = await failure(
            session, "preview_draft", kind="invoice", client_id=987654, lines=[LINE]
        )
        assert sentence.startswith("Not found")
        sentence = await failure(
            session, "preview_draft", kind="invoice", client_id=1, client_name="Both", lines=[LINE]
        )
        assert "one of them" in sentence
        preview = await preview_invoice(session, fresh_sandbox)
        assert preview["client"]["name"]
    assert counts(fresh_sandbox) == before


async def test_writes_can_be_allowed_on_some_companies_only(fresh_sandbox: Sandbox) -> None:
    second = fresh_sandbox.add_company(fresh_sandbox.email, "Filiale Sud", clients=2)
    before = counts(fresh_sandbox)
    options = {"all_companies": True, "allow_writes": True, "write_companies": ["filiale sud"]}
    async with connect(fresh_sandbox, **options) as session:
        sentence = await failure(
            session,
            "preview_draft",
            kind="invoice",
            company=fresh_sandbox.company_id,
            client_name="Client",
            lines=[LINE],
        )
        assert f"Writes are not allowed on company {fresh_sandbox.company_id}" in sentence
        preview = await call(
            session,
            "preview_draft",
            kind="invoice",
            company=second,
            client_name="Client",
            lines=[LINE],
        )
        assert preview["company"] == second
        await call(session, "commit", token=preview["token"])
    assert counts(fresh_sandbox)["invoices"] == before["invoices"] + 1


async def test_a_draft_quotation_and_a_draft_invoice_changed(fresh_sandbox: Sandbox) -> None:
    before = counts(fresh_sandbox)
    quotations = int(fresh_sandbox.db.scalar("SELECT count(*) FROM quotations"))
    async with connect(fresh_sandbox, allow_writes=True) as session:
        sentence = await failure(
            session,
            "preview_draft",
            kind="quotation",
            client_name="Client",
            lines=[LINE],
            due_date="2027-01-31",
        )
        assert "a quotation has none" in sentence
        preview = await call(
            session, "preview_draft", kind="quotation", client_name="Client", lines=[LINE]
        )
        assert preview["path"].endswith("/quotations")
        assert "date" in preview["body"]
        assert int(fresh_sandbox.db.scalar("SELECT count(*) FROM quotations")) == quotations
        done = await call(session, "commit", token=preview["token"])
        assert done["done"] == "create_quotation"
        assert int(fresh_sandbox.db.scalar("SELECT count(*) FROM quotations")) == quotations + 1

        draft = (
            await call(
                session, "commit", token=(await preview_invoice(session, fresh_sandbox))["token"]
            )
        )["result"]
        change = {"invoice_id": draft["id"], "title": "Juin", "lines": [LINE, LINE]}
        preview = await call(session, "preview_update_invoice", **change)
        assert preview["method"] == "PUT"
        assert preview["draft_now"]["title"] == "Mai"
        assert preview["body"]["title"] == "Juin"
        assert len(preview["body"]["lines"]) == 2
        got = await call(session, "get", resource="invoices", id=draft["id"])
        assert got["record"]["title"] == "Mai"  # nothing sent by the preview
        await call(session, "commit", token=preview["token"])
        got = await call(session, "get", resource="invoices", id=draft["id"])
        assert got["record"]["title"] == "Juin"
        assert len(got["record"]["lines"]) == 2

        sentence = await failure(session, "preview_update_invoice", invoice_id=draft["id"])
        assert "give at least one of" in sentence
    async with sdk_client(fresh_sandbox) as sdk:
        [sent] = await sdk.invoices.list(status="sent", limit=1)
    async with connect(fresh_sandbox, allow_writes=True) as session:
        sentence = await failure(session, "preview_update_invoice", invoice_id=sent.id, title="X")
        assert "not a draft" in sentence
    assert counts(fresh_sandbox)["invoices"] == before["invoices"] + 1


class Troubles(httpx.AsyncBaseTransport):
    """Forwards every request, but answers 422 itself to the PATCH of ``refused``, and
    loses the answer to the PATCH of ``lost`` (which did reach the server)."""

    def __init__(self, refused: int, lost: int) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.refused, self.lost = refused, lost
        self.patches: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            transaction_id = int(request.url.path.rsplit("/", 1)[1])
            self.patches.append(transaction_id)
            if transaction_id == self.refused:
                return httpx.Response(422, json={"message": "period closed"}, request=request)
            if transaction_id == self.lost:
                response = await self.inner.handle_async_request(request)
                await response.aclose()
                raise httpx.ReadTimeout("the answer was lost", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def unimputed_with_labels(sb: Sandbox, count: int) -> list[dict[str, int]]:
    """``count`` unimputed transactions, each with a label to impute it to."""
    async with sdk_client(sb) as sdk:
        [own, *_] = await sdk.labels.list()
        chosen = []
        for transaction in await sdk.bank_transactions.unimputed(limit=count):
            suggestions = await sdk.bank_transactions.label_suggestions(transaction.id)
            label = suggestions[0].id if suggestions else own.id
            chosen.append({"transaction_id": transaction.id, "label_id": label})
    return chosen


async def test_bulk_imputation_needs_its_flag_and_commits_each(fresh_sandbox: Sandbox) -> None:
    items = await unimputed_with_labels(fresh_sandbox, 3)
    before = counts(fresh_sandbox)
    async with connect(fresh_sandbox, allow_writes=True) as session:
        sentence = await failure(session, "preview_bulk_imputation", items=items)
        assert "No tool 'preview_bulk_imputation'" in sentence
        assert "--allow-writes --allow-bulk" in sentence
    async with connect(fresh_sandbox, allow_writes=True, allow_bulk=True) as session:
        sentence = await failure(session, "preview_bulk_imputation", items=[items[0]] * 2)
        assert "the same transaction_id twice" in sentence
        preview = await call(session, "preview_bulk_imputation", items=items)
        assert counts(fresh_sandbox) == before
        assert [r["method"] for r in preview["requests"]] == ["PATCH"] * 3
        assert [row["transaction_id"] for row in preview["imputations"]] == [
            item["transaction_id"] for item in items
        ]
        done = await call(session, "commit", token=preview["token"])
    assert done["sent"] == [item["transaction_id"] for item in items]
    assert done["refused"] == []
    assert counts(fresh_sandbox)["bank_imputations"] == before["bank_imputations"] + 3


async def test_bulk_imputation_goes_on_after_a_refusal_and_stops_at_the_unknown(
    fresh_sandbox: Sandbox,
) -> None:
    items = await unimputed_with_labels(fresh_sandbox, 4)
    ids = [item["transaction_id"] for item in items]
    transport = Troubles(refused=ids[1], lost=ids[2])
    before = counts(fresh_sandbox)
    async with httpx.AsyncClient(transport=transport) as http:
        client = sdk_client(fresh_sandbox, http_client=http)
        options = {"allow_writes": True, "allow_bulk": True}
        async with connect(fresh_sandbox, client=client, **options) as session:
            preview = await call(session, "preview_bulk_imputation", items=items)
            done = await call(session, "commit", token=preview["token"])
    assert done["sent"] == [ids[0]]
    [refused] = done["refused"]
    assert refused["key"] == ids[1]
    assert "period closed" in refused["error"]
    assert done["unknown"]["key"] == ids[2]
    assert "not sent again" in done["unknown"]["error"]
    assert done["not_sent"] == [ids[3]]
    assert transport.patches == ids[:3]  # each sent once at most; the last never
    # The first and the lost one (it reached the server) are imputed; the others are not.
    assert counts(fresh_sandbox)["bank_imputations"] == before["bank_imputations"] + 2


async def test_documents_are_matched_as_a_whole_set(fresh_sandbox: Sandbox) -> None:
    async with sdk_client(fresh_sandbox) as sdk:
        [transaction] = await sdk.bank_transactions.unimputed(limit=1)
        documents = [d.id for d in await sdk.documents.list(limit=2)]

    def matched() -> list[int]:
        rows = fresh_sandbox.db.all(
            "SELECT document_id FROM bank_document_matchings WHERE transaction_id = ? ORDER BY id",
            (transaction.id,),
        )
        return [row["document_id"] for row in rows]

    assert matched() == []
    async with connect(fresh_sandbox, allow_writes=True) as session:
        arguments = {"transaction_id": transaction.id, "document_ids": documents}
        preview = await call(session, "preview_match_documents", **arguments)
        assert preview["method"] == "PUT"
        assert preview["body"] == {"documents": [{"id": d} for d in documents]}
        assert preview["replaces"] == []
        assert matched() == []  # nothing sent
        await call(session, "commit", token=preview["token"])
        assert matched() == documents

        arguments = {"transaction_id": transaction.id, "document_ids": []}
        preview = await call(session, "preview_match_documents", **arguments)
        assert [m["document"]["id"] for m in preview["replaces"]] == documents
        await call(session, "commit", token=preview["token"])
    assert matched() == []
