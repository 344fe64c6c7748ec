"""The read tools against the sandbox, through the MCP SDK's own client (in memory): the tool
list and its schemas (a snapshot), annotations, every tool called, paging with the cursor,
the size cap, several companies, and the errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from mcp.types import BlobResourceContents, EmbeddedResource

from tiime import TiimeClient
from tiime.mcp import _data
from tiime.sandbox import SECOND_COMPANY_ID, Sandbox
from tiime.status import gather

from .conftest import call, connect, failure, sdk_client

SNAPSHOT = Path(__file__).with_name("tools.json")
READ_TOOLS = [
    "companies",
    "list",
    "get",
    "status",
    "overdue_invoices",
    "unimputed_transactions",
    "download",
]
WRITE_TOOLS = [
    "preview_draft",
    "preview_update_invoice",
    "preview_imputation",
    "preview_match_documents",
    "preview_upload",
    "preview_bulk_imputation",
    "preview_send_invoice",
    "commit",
]
EVERY_TOOL = {"allow_writes": True, "allow_bulk": True, "allow_send": True}
# tools/list with every tool offered (15), in bytes of JSON (10,901 measured); ~bytes/4 tokens.
TOOLS_LIST_BUDGET = 11_000


def wire(result: Any) -> Any:
    """A result as it goes on the wire (camelCase, nothing unset)."""
    return json.loads(result.model_dump_json(by_alias=True, exclude_none=True))


async def test_the_tool_list_and_its_schemas_match_the_snapshot(sandbox: Sandbox) -> None:
    async with connect(sandbox, **EVERY_TOOL) as session:
        tools = wire(await session.list_tools())["tools"]
    # A change of a tool, a schema, a description or an annotation shows here: review it,
    # then write the new list to tests/mcp_server/tools.json.
    assert tools == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert [tool["name"] for tool in tools] == READ_TOOLS + WRITE_TOOLS
    assert len(tools) <= 15


async def test_tools_list_stays_under_its_token_budget(sandbox: Sandbox) -> None:
    async with connect(sandbox, **EVERY_TOOL) as session:
        size = len(json.dumps(wire(await session.list_tools()), separators=(",", ":")))
    assert size <= TOOLS_LIST_BUDGET, f"tools/list is {size} bytes (~{size // 4} tokens)"


async def test_read_only_by_default_and_annotations_tell_the_truth(sandbox: Sandbox) -> None:
    async with connect(sandbox) as session:
        tools = (await session.list_tools()).tools
    assert [tool.name for tool in tools] == READ_TOOLS
    for tool in tools:
        hints = tool.annotations
        assert hints is not None
        assert hints.read_only_hint is True, tool.name
        assert hints.destructive_hint is False, tool.name
        assert hints.idempotent_hint is True, tool.name
        assert hints.open_world_hint is False, tool.name
        assert tool.input_schema["additionalProperties"] is False

    async with connect(sandbox, allow_writes=True) as session:
        by_name = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert "preview_send_invoice" not in by_name  # e-mail needs --allow-send on top
    assert "preview_bulk_imputation" not in by_name  # and several at once --allow-bulk
    previews = ["preview_draft", "preview_update_invoice", "preview_imputation"]
    for name in [*previews, "preview_match_documents", "preview_upload"]:
        hints = by_name[name].annotations
        assert hints is not None
        assert hints.read_only_hint is True
        assert hints.destructive_hint is False
        assert hints.open_world_hint is False
    commit = by_name["commit"].annotations
    assert commit is not None
    assert commit.read_only_hint is False
    assert commit.destructive_hint is True  # an imputation replaces the previous ones
    assert commit.idempotent_hint is False
    assert commit.open_world_hint is False  # no e-mail without --allow-send

    async with connect(sandbox, allow_writes=True, allow_send=True) as session:
        by_name = {tool.name: tool for tool in (await session.list_tools()).tools}
    commit = by_name["commit"].annotations
    assert commit is not None
    assert commit.open_world_hint is True


async def test_every_read_tool_answers(sandbox: Sandbox) -> None:
    async with sdk_client(sandbox) as sdk:
        invoice = (await sdk.invoices.list(limit=1))[0]
        client = (await sdk.clients.list(limit=1))[0]
    async with connect(sandbox) as session:
        companies = await call(session, "companies")
        assert companies == {
            "items": [{"id": sandbox.company_id, "name": companies["items"][0]["name"]}]
        }

        listed = await call(session, "list", resource="invoices", limit=3)
        assert [item["id"] for item in listed["items"]][:1] == [invoice.id]
        assert all("lines" not in item for item in listed["items"])  # get gives them
        assert isinstance(listed["items"][0]["total_including_taxes"], (int, float))

        got = await call(session, "get", resource="invoices", id=invoice.id)
        assert got["record"]["id"] == invoice.id
        assert got["record"]["lines"]
        got = await call(session, "get", resource="clients", id=client.id)
        assert got["record"] == {"id": client.id, **got["record"]}

        status = await call(session, "status")
        assert status["items"][0]["company_id"] == sandbox.company_id

        overdue = await call(session, "overdue_invoices", limit=50)
        assert overdue["items"]
        assert all(item["days_late"] > 0 for item in overdue["items"])
        assert [i["due_date"] for i in overdue["items"]] == sorted(
            i["due_date"] for i in overdue["items"]
        )

        unimputed = await call(session, "unimputed_transactions", limit=3)
        assert len(unimputed["items"]) == 3
        assert "next_cursor" in unimputed
        assert all("suggested_labels" in item for item in unimputed["items"])

        result = await session.call_tool("download", {"kind": "invoice_pdf", "id": invoice.id})
        assert not result.is_error
        embedded = result.content[1]
        assert isinstance(embedded, EmbeddedResource)
        assert isinstance(embedded.resource, BlobResourceContents)
        assert base64.b64decode(embedded.resource.blob).startswith(b"%PDF")
        assert embedded.resource.mime_type == "application/pdf"

        read = await session.read_resource(embedded.resource.uri)
        [contents] = read.contents
        assert isinstance(contents, BlobResourceContents)
        assert contents.blob == embedded.resource.blob
        templates = await session.list_resource_templates()
        assert {t.name for t in templates.resource_templates} == {
            "invoice_pdf",
            "quotation_pdf",
            "document",
        }


async def test_status_gives_the_figures_of_tiime_status(sandbox: Sandbox) -> None:
    async with connect(sandbox) as session:
        [figures] = (await call(session, "status"))["items"]
    with TiimeClient(
        base_url=sandbox.base_url,
        auth_url=sandbox.auth_url,
        email=sandbox.email,
        password=sandbox.password,
        company_id=sandbox.company_id,
    ) as client:
        expected = json.loads(_data.to_text(gather(client)))
    assert {k: v for k, v in figures.items() if k != "company_name"} == expected


async def test_overdue_invoices_are_those_past_due_and_unpaid(sandbox: Sandbox) -> None:
    async with connect(sandbox) as session:
        answer = await call(session, "overdue_invoices", limit=50)
    today = answer["today"]
    async with sdk_client(sandbox) as sdk:
        invoices = await sdk.invoices.list()
    expected = {
        i.id
        for i in invoices
        if i.status in ("saved", "sent") and i.due_date and i.due_date.isoformat() < today
    }
    assert expected
    assert {item["id"] for item in answer["items"]} == expected
    assert answer["total"] == len(expected)


@pytest.mark.parametrize(
    ("resource", "arguments"),
    [("clients", {}), ("bank_transactions", {"amount_type": "negative"}), ("invoices", {})],
)
async def test_the_cursor_gives_every_item_once(
    sandbox: Sandbox, resource: str, arguments: dict[str, Any]
) -> None:
    async with sdk_client(sandbox) as sdk:
        if resource == "clients":
            expected = [c.id for c in await sdk.clients.list()]
        elif resource == "invoices":
            expected = [i.id for i in await sdk.invoices.list()]
        else:
            expected = [t.id for t in await sdk.bank_transactions.list(amount_type="negative")]
    seen: list[int] = []
    async with connect(sandbox) as session:
        answer = await call(session, "list", resource=resource, limit=100, **arguments)
        for _ in range(100):
            seen += [item["id"] for item in answer["items"]]
            if "next_cursor" not in answer:
                break
            answer = await call(
                session, "list", resource=resource, limit=100, cursor=answer["next_cursor"]
            )
    assert seen == expected


async def test_an_answer_over_the_cap_is_cut_with_a_note_and_nothing_lost(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_data, "MAX_ANSWER_BYTES", 3_000)
    async with sdk_client(sandbox) as sdk:
        expected = [i.id for i in await sdk.invoices.list(limit=60)]
    seen: list[int] = []
    async with connect(sandbox) as session:
        answer = await call(session, "list", resource="invoices", limit=60)
        assert "cut at" in answer["note"]
        assert len(answer["items"]) < 60
        while len(seen) < 60:
            assert len(json.dumps(answer)) <= 3_000 + 200
            seen += [item["id"] for item in answer["items"]]
            answer = await call(
                session, "list", resource="invoices", limit=60, cursor=answer["next_cursor"]
            )
    assert seen[:60] == expected


async def test_wrong_arguments_are_refused_with_the_next_step(sandbox: Sandbox) -> None:
    async with connect(sandbox) as session:
        sentence = await failure(session, "list", resource="clients", status="draft")
        assert "status does not apply to clients" in sentence
        assert "fix" in sentence
        sentence = await failure(session, "list", resource="pets")
        assert "Invalid arguments" in sentence
        assert "resource" in sentence
        sentence = await failure(session, "list", resource="clients", limit=1000)
        assert "limit" in sentence
        sentence = await failure(session, "list", resource="clients", colour="blue")
        assert "colour" in sentence
        first = await call(session, "list", resource="clients", limit=2)
        sentence = await failure(session, "list", resource="invoices", cursor=first["next_cursor"])
        assert "cursor" in sentence
        sentence = await failure(session, "list", resource="clients", cursor="bm9wZQ")
        assert "cursor" in sentence
        sentence = await failure(session, "get", resource="invoices", id=999_999_999)
        assert sentence.startswith("Not found")
        assert "list tool" in sentence
        sentence = await failure(session, "preview_draft", kind="invoice", lines=[])
        assert "--allow-writes" in sentence


async def test_without_a_login_the_error_says_to_log_in(sandbox: Sandbox) -> None:
    unknown = sdk_client(sandbox, password="wrong password")
    async with connect(sandbox, client=unknown) as session:
        sentence = await failure(session, "status")
    assert "tiime auth login" in sentence
    assert "wrong password" not in sentence


async def test_several_companies_are_served_and_chosen_by_id(fresh_sandbox: Sandbox) -> None:
    second = fresh_sandbox.add_company(fresh_sandbox.email, "Seconde Société", clients=3)
    async with connect(fresh_sandbox, all_companies=True) as session:
        served = (await call(session, "companies"))["items"]
        # (the demo user's own second company, Martin Formations, too)
        assert {c["id"] for c in served} == {fresh_sandbox.company_id, SECOND_COMPANY_ID, second}
        sentence = await failure(session, "list", resource="clients")
        assert "Several companies" in sentence
        assert "pass company" in sentence
        listed = await call(session, "list", resource="clients", company=second)
        assert len(listed["items"]) == 3
        assert listed["company"] == second
        status = (await call(session, "status"))["items"]
        assert {s["company_id"] for s in status} == {
            fresh_sandbox.company_id,
            SECOND_COMPANY_ID,
            second,
        }
    async with connect(fresh_sandbox, companies=["seconde société"]) as session:
        assert [c["id"] for c in (await call(session, "companies"))["items"]] == [second]
        sentence = await failure(
            session, "list", resource="clients", company=fresh_sandbox.company_id
        )
        assert "not served" in sentence
    async with connect(fresh_sandbox, companies=["Nope"]) as session:
        sentence = await failure(session, "companies")
        assert "Unknown company 'Nope'" in sentence
        assert "tiime company list" in sentence


async def test_the_agents_guide_lists_every_tool(sandbox: Sandbox) -> None:
    import tiime

    guide = Path(tiime.__file__).with_name("AGENTS.md").read_text(encoding="utf-8")
    for name in READ_TOOLS + WRITE_TOOLS:
        assert f"`{name}`" in guide, name


async def test_the_instructions_teach_the_domain(sandbox: Sandbox) -> None:
    async with connect(sandbox) as session:
        instructions = session.instructions
    assert instructions is not None
    for words in ("draft", "numbered when saved", "cents", "add up exactly", "commit"):
        assert words in instructions, words
