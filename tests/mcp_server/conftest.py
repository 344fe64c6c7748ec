"""Fixtures of the MCP server tests: the SDK's own client, in memory, against the sandbox.

* ``sandbox``: one sandbox for the module's reads; tests that change data take
  ``fresh_sandbox``, another one (they count what changed in its database: invoices,
  imputations, e-mails in the outbox, before and after);
* ``connect(sb, **options)``: an MCP client session on ``build_server`` over an async
  client of the sandbox's demo user (``Options(**options)``);
* ``call(session, tool, **arguments)``: the tool's answer, JSON decoded, failing the test
  on a tool error; ``failure(...)`` the sentence of a tool error, failing on a success.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult, TextContent

from tiime import AsyncTiimeClient
from tiime.mcp import Options, build_server
from tiime.sandbox import Sandbox


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No TIIME_* variable from the shell; the login file and sandbox db under tmp_path."""
    for name in list(os.environ):
        if name.startswith("TIIME_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TIIME_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TIIME_SANDBOX_DB", str(tmp_path / "sandbox.db"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def fresh_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def sdk_client(sb: Sandbox, **options: Any) -> AsyncTiimeClient:
    """An async client of the sandbox's demo user (its demo company unless told)."""
    settings: dict[str, Any] = {
        "base_url": sb.base_url,
        "auth_url": sb.auth_url,
        "email": sb.email,
        "password": sb.password,
        "company_id": sb.company_id,
    }
    settings.update(options)
    return AsyncTiimeClient(**settings)


@asynccontextmanager
async def connect(
    sb: Sandbox, *, client: AsyncTiimeClient | None = None, **options: Any
) -> AsyncIterator[Client]:
    """An MCP client connected in memory to the server of ``Options(**options)``."""
    async with (
        client or sdk_client(sb) as sdk,
        Client(build_server(sdk, Options(**options))) as mcp,
    ):
        yield mcp


def text_of(result: CallToolResult) -> str:
    first = result.content[0]
    assert isinstance(first, TextContent)
    return first.text


async def call(session: Client, tool: str, **arguments: Any) -> Any:
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, text_of(result)
    return json.loads(text_of(result))


async def failure(session: Client, tool: str, **arguments: Any) -> str:
    """The one sentence of a tool error (asserting it is one line and no traceback)."""
    result = await session.call_tool(tool, arguments)
    assert result.is_error, text_of(result)
    sentence = text_of(result)
    assert "\n" not in sentence, sentence
    assert "Traceback" not in sentence, sentence
    return sentence
