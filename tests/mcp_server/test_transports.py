"""The transports: ``tiime mcp`` over stdio as an assistant launches it (nothing but the
protocol on stdout), and over streamable HTTP on 127.0.0.1, where a foreign ``Host`` and a
missing or wrong token are refused before the MCP app sees the request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tiime.mcp import build_server
from tiime.mcp.transports import http_app, new_token, serve_http
from tiime.sandbox import Sandbox

from .conftest import call, sdk_client

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"},
    },
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}


@pytest.mark.parametrize(
    ("host", "authorization", "status"),
    [
        ("evil.example:8788", "Bearer {token}", 421),  # DNS rebinding: another site's name
        ("127.0.0.1:9999", "Bearer {token}", 421),  # another port
        ("127.0.0.1:8788", None, 401),
        ("127.0.0.1:8788", "Bearer wrong", 401),
        ("localhost:8788", "Basic {token}", 401),
    ],
)
async def test_http_refuses_a_foreign_host_and_a_missing_token(
    sandbox: Sandbox, host: str, authorization: str | None, status: int
) -> None:
    token = new_token()
    async with sdk_client(sandbox) as sdk:
        app = http_app(build_server(sdk), port=8788, token=token)
        headers = {"Host": host, **MCP_HEADERS}
        if authorization is not None:
            headers["Authorization"] = authorization.format(token=token)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            response = await http.post("/mcp", json=INITIALIZE, headers=headers)
    assert response.status_code == status
    assert token not in response.text
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


async def test_http_serves_a_client_with_the_token(sandbox: Sandbox) -> None:
    token = new_token()
    listening = anyio.Event()
    ports: list[int] = []

    def ready(port: int) -> None:
        ports.append(port)
        listening.set()

    async with sdk_client(sandbox) as sdk, anyio.create_task_group() as group:
        group.start_soon(lambda: serve_http(build_server(sdk), port=0, token=token, ready=ready))
        with anyio.fail_after(10):
            await listening.wait()
        url = f"http://127.0.0.1:{ports[0]}/mcp"
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            httpx2.AsyncClient(headers=headers) as http,
            Client(streamable_http_client(url, http_client=http)) as session,
        ):
            names = [tool.name for tool in (await session.list_tools()).tools]
            companies = await call(session, "companies")
        group.cancel_scope.cancel()
    assert "list" in names
    assert companies["items"][0]["id"] == sandbox.company_id


def test_stdio_serves_the_sandbox_with_nothing_else_on_stdout(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TIIME_CONFIG_DIR": str(tmp_path / "config"),
        "TIIME_SANDBOX_DB": str(tmp_path / "sandbox.db"),
    }
    messages = [
        INITIALIZE,
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "status"}},
    ]
    answers = {}
    with subprocess.Popen(
        [sys.executable, "-m", "tiime", "--sandbox", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        watchdog = threading.Timer(60, process.kill)  # a hung server fails the test, no more
        watchdog.start()
        try:
            for message in messages:
                process.stdin.write(json.dumps(message).encode() + b"\n")
                process.stdin.flush()
                if "id" in message:
                    answer = json.loads(process.stdout.readline())  # one message a line
                    assert answer["jsonrpc"] == "2.0"
                    answers[answer["id"]] = answer
            process.stdin.close()
            rest = process.stdout.read()
            errors = process.stderr.read()
            assert process.wait() == 0
        finally:
            watchdog.cancel()
    assert rest == b""
    assert b"Traceback" not in errors
    assert answers[1]["result"]["serverInfo"]["name"] == "tiime"
    names = [tool["name"] for tool in answers[2]["result"]["tools"]]
    assert names[:2] == ["companies", "list"]
    status = json.loads(answers[3]["result"]["content"][0]["text"])
    assert status["items"][0]["total_clients"] > 0


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["mcp", "--allow-send"], "--allow-send needs --allow-writes"),
        (["mcp", "--allow-bulk"], "--allow-bulk needs --allow-writes"),
        (["mcp", "--port", "9000"], "--port needs --http"),
        (["mcp", "--upload-dir", "."], "--upload-dir needs --allow-writes"),
        (
            ["mcp", "--allow-writes", "--upload-dir", "/no/such/dir"],
            "--upload-dir: '/no/such/dir' is not a directory",
        ),
        (["mcp", "--company", "1,,2"], "--company needs company ids or names, separated by commas"),
        (
            ["mcp", "--company", "1", "--all-companies"],
            "give --company or --all-companies, not both",
        ),
    ],
)
def test_the_command_refuses_contradictory_flags(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    from tiime.cli import main

    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"tiime: error: {says}\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["mcp"], {"allow_writes": False, "write_companies": (), "companies": ()}),
        (
            ["mcp", "--allow-writes", "--allow-bulk"],
            {"allow_writes": True, "write_companies": (), "allow_bulk": True},
        ),
        (
            ["mcp", "--allow-writes", "12, Filiale", "--allow-send"],
            {"allow_writes": True, "write_companies": ("12", "Filiale"), "allow_send": True},
        ),
        (["mcp", "--allow-writes", "--upload-dir", "."], {"upload_dir": "."}),
        (["mcp", "--allow-writes"], {"upload_dir": None}),
        (
            ["mcp", "--company", "12,Filiale", "--company", "13"],
            {"companies": ("12", "Filiale", "13"), "all_companies": False},
        ),
    ],
)
def test_the_command_line_gives_the_server_its_options(
    argv: list[str], expected: dict[str, object]
) -> None:
    from tiime.cli._parser import build_parser
    from tiime.cli.commands.mcp import options_of

    options = options_of(build_parser(argv).parse_args(argv))
    assert {name: getattr(options, name) for name in expected} == expected


def test_without_the_mcp_extra_one_line_names_it(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['mcp'] = None\n"
        "from tiime.cli import main\n"
        "sys.exit(main(['mcp']))\n"
    )
    env = {**os.environ, "TIIME_CONFIG_DIR": str(tmp_path / "config")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "tiime: error: this needs the 'mcp' extra (mcp is missing): pip install 'tiime[mcp]'\n"
    )
