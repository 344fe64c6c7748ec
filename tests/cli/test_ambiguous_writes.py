"""A write whose answer is lost, through a loopback proxy in front of the sandbox: the
proxy forwards the API's POST, lets the sandbox act, then closes the connection without
answering (or drops the POST before the sandbox sees it). The command says, in one line,
whether the record was made (its id), was not (safe to retry), or could not tell."""

from __future__ import annotations

import http.server
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox

from .conftest import Result

Cli = Callable[..., Result]


class LossyProxy:
    """Forwards requests to ``upstream``; a POST under ``/v1/`` loses its answer (after
    the sandbox acted, with ``reach=True``; before it saw anything, with ``False``)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.reach = True
        self.refuse_reads = False  # answer every GET 400 (the look-up fails)
        self.gateway = False  # answer a lost POST 502, as a gateway giving up
        self.lost: list[str] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                }
                losing = self.command == "POST" and self.path.startswith("/v1/")
                if self.command == "GET" and proxy.refuse_reads:
                    refusal = b'{"error": 400, "error_description": "tri inconnu"}'
                    self.send_response(400)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(refusal)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(refusal)
                    self.close_connection = True
                    return
                if losing and not proxy.reach:
                    proxy.lost.append(self.path)
                    self.close_connection = True
                    return
                with httpx.Client(timeout=30) as upstream:
                    answer = upstream.request(
                        self.command, proxy.upstream + self.path, headers=headers, content=body
                    )
                if losing:  # the sandbox acted; its answer goes nowhere
                    proxy.lost.append(self.path)
                    self.close_connection = True
                    if proxy.gateway:
                        page = b"<html><body>502 Bad Gateway</body></html>"
                        self.send_response(502)
                        self.send_header("Content-Type", "text/html")
                        self.send_header("Content-Length", str(len(page)))
                        self.end_headers()
                        self.wfile.write(page)
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in (
                        "content-length",
                        "content-encoding",
                        "transfer-encoding",
                        "connection",
                    ):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(answer.content)
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def proxy(live: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[LossyProxy]:
    """The command line acting on the sandbox, its API calls through a lossy proxy."""
    lossy = LossyProxy(live.base_url.removesuffix("/v1"))
    lossy.thread.start()
    for name, value in {
        "TIIME_BASE_URL": f"{lossy.url}/v1",
        "TIIME_AUTH_URL": live.auth_url,
        "TIIME_EMAIL": live.email,
        "TIIME_PASSWORD": live.password,
        "TIIME_COMPANY_ID": str(live.company_id),
    }.items():
        monkeypatch.setenv(name, value)
    try:
        yield lossy
    finally:
        lossy.server.shutdown()
        lossy.server.server_close()


def _invoices_titled(sandbox: Sandbox, title: str) -> list[int]:
    from tiime import TiimeClient

    with TiimeClient(
        base_url=sandbox.base_url,
        auth_url=sandbox.auth_url,
        email=sandbox.email,
        password=sandbox.password,
        company_id=sandbox.company_id,
    ) as client:
        return [i.id for i in client.invoices.list(status="draft") if i.title == title]


LINE = ("--description", "Audit", "--quantity", "2", "--unit-price", "150.25")


def test_an_invoice_created_whose_answer_was_lost_is_named(
    cli: Cli, proxy: LossyProxy, live: Sandbox
) -> None:
    title = f"Perdue {uuid.uuid4().hex[:10]}"

    result = cli("invoices", "create", "--title", title, *LINE)

    assert result.code == 1
    line = result.error_line
    made = _invoices_titled(live, title)
    assert len(made) == 1  # created once, never sent again
    assert len(proxy.lost) == 1
    assert "the invoice may have been created: it was (id " + str(made[0]) + ")" in line
    assert "do not run the command again" in line
    assert "check the network" not in line


def test_a_client_created_behind_a_gateway_that_gave_up_is_named(
    cli: Cli, proxy: LossyProxy, live: Sandbox
) -> None:
    name = f"Passerelle {uuid.uuid4().hex[:10]}"
    proxy.gateway = True

    result = cli("clients", "create", "--name", name)

    line = result.error_line
    assert result.code == 1
    assert "answered 502 by a gateway after the request was sent" in line
    assert "the client may have been created: it was (id " in line


def test_an_invoice_that_never_reached_the_server_is_safe_to_retry(
    cli: Cli, proxy: LossyProxy, live: Sandbox
) -> None:
    title = f"Jamais {uuid.uuid4().hex[:10]}"
    proxy.reach = False

    result = cli("invoices", "create", "--title", title, *LINE)

    assert result.code == 1
    assert _invoices_titled(live, title) == []
    assert "the invoice may have been created: it was not: safe to retry" in result.error_line


def test_a_lookup_that_fails_says_it_could_not_tell(
    cli: Cli, proxy: LossyProxy, live: Sandbox
) -> None:
    # The create is lost, and the listing that looks for it is refused by the server.
    proxy.refuse_reads = True
    result = cli("expenses", "create", "--name", f"Perdue {uuid.uuid4().hex[:10]}")

    line = result.error_line
    assert result.code == 1
    assert "the expense report may have been created: could not tell (" in line
    assert "check with `tiime expenses list` before retrying" in line


def test_a_send_whose_answer_was_lost_says_how_to_check(
    cli: Cli, proxy: LossyProxy, live: Sandbox
) -> None:
    invoice_id = _a_saved_invoice(live)

    result = cli("invoices", "send", str(invoice_id), "--email", "a@example.com")

    line = result.error_line
    assert result.code == 1
    assert "it may have been e-mailed" in line
    assert f"`tiime invoices get {invoice_id}`" in line


def _a_saved_invoice(sandbox: Sandbox) -> int:
    from tiime import TiimeClient

    with TiimeClient(
        base_url=sandbox.base_url,
        auth_url=sandbox.auth_url,
        email=sandbox.email,
        password=sandbox.password,
        company_id=sandbox.company_id,
    ) as client:
        lines: Any = [
            {"description": "Dev", "quantity": 1, "unit_amount": 10, "vat_type": {"code": "normal"}}
        ]
        return int(client.invoices.create(lines=lines, status="saved").id)


def _lost(cls: type[Any], found: Any, record_type: str | None = "invoice") -> Any:
    exc = cls(
        "lost",
        method="POST",
        endpoint="http://127.0.0.1:8787/v1/companies/1/invoices",
    )
    exc.record_type = record_type
    exc._lookup = lambda: found
    return exc


def test_after_a_timeout_a_record_not_there_yet_is_not_called_safe() -> None:
    from tiime import AmbiguousWriteTimeoutError
    from tiime.cli._ambiguous import outcome

    line = outcome(_lost(AmbiguousWriteTimeoutError, None))

    assert "no answer in time after the request was sent" in line
    assert "it is not there yet" in line
    assert "safe to retry" not in line
    assert "`tiime invoices list --status draft` in a minute" in line


def test_a_lost_write_reported_among_others_says_it_may_be_done() -> None:
    # The batch commands (auto-impute, audit) describe each failure without a look-up.
    from tiime import AmbiguousWriteError
    from tiime.cli._errors import describe

    line = describe(_lost(AmbiguousWriteError, None))

    assert "the invoice may have been created: check with" in line
    assert "check the network" not in line
