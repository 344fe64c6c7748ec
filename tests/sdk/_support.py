"""What the SDK tests share: a fake Tiime, recording transports, and flavour helpers.

* ``FakeTiime``: a small in-memory Tiime (token endpoint + clients and companies API, as
  TIIME_API.md describes them), served through :class:`httpx.MockTransport`. Every request
  it sees is recorded, and tests can script the next API answers with :meth:`FakeTiime.queue`
  or take the API over with ``fake.api = handler``.
* ``RecordingTransport`` / ``AsyncRecordingTransport``: record, then send for real (the
  sandbox backend), so the same assertions hold on recorded requests.
* ``run`` and ``collect``: one test body for the sync and the async client.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import secrets
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tiime import AsyncTiimeClient

API_BASE = "https://api.tiime.test/v1"
AUTH_URL = "https://auth.tiime.test/oauth/token"
EMAIL = "jane.doe@example.com"
PASSWORD = "pa55-w0rd-that-must-never-show"
COMPANY_ID = 4242

TIMELINE_V2 = "application/vnd.tiime.timeline.v2+json"
COMPANIES_V2 = "application/vnd.tiime.companies.v2+json"
APP_HEADERS = {"tiime-app": "tiime", "tiime-app-version": "4.30.3", "tiime-app-platform": "cli"}

# The reference's example client, as the API returns it.
REFERENCE_CLIENT: dict[str, Any] = {
    "id": 100200,
    "name": "ACME CORP",
    "slug": "acme-corp",
    "address": "1 rue de Rivoli",
    "address_complement": None,
    "postal_code": "75001",
    "city": "Paris",
    "country": {"id": 75, "name": "France", "code": "FR"},
    "country_code": "FR",
    "email": "contact@acme.example",
    "phone": None,
    "siren_or_siret": "12345678200010",
    "siret": "12345678200010",
    "siren": "123456782",
    "intracom_vat_number": "FR11123456782",
    "archived": False,
    "archived_at": None,
    "professional": True,
    "color": "#FFC681",
    "acronym": "AC",
    "note": None,
    "bic": None,
    "iban": None,
    "invoicing_use_email": False,
}

WRONG_PASSWORD = {"error": "invalid_grant", "error_description": "Wrong email or password."}

MAX_LOGINS = 10
MAX_REQUESTS = 300

_RANGE = re.compile(r"^items=(\d+)-(\d+|\*)$")
_PATH = re.compile(r"^/v1/companies(?:/(\d+)(?:/clients(?:/(\d+)(?:/(contacts))?)?)?)?$")

Answer = Any  # int (status), httpx.Response, an exception (class or instance), or a callable


def error(status: int, description: str | None = None, **headers: str) -> httpx.Response:
    """An API error answer in the reference's shape."""
    body: dict[str, Any] = {"error": status, "error_code": "error"}
    if description is not None:
        body["error_description"] = description
    return httpx.Response(status, json=body, headers=headers)


def seeded_client(client_id: int, *, archived: bool = False) -> dict[str, Any]:
    payload = dict(REFERENCE_CLIENT)
    payload.update(
        id=client_id,
        name=f"Client {client_id}",
        slug=f"client-{client_id}",
        archived=archived,
        archived_at="2026-01-31 10:00:00" if archived else None,
        payment_status="paid",
        balance_including_taxes=12.5,
    )
    return payload


class FakeTiime:
    """An in-memory Tiime speaking the reference's wire, recording every request."""

    base_url = API_BASE
    auth_url = AUTH_URL
    email = EMAIL
    password = PASSWORD
    company_id = COMPANY_ID

    def __init__(self, n_clients: int = 12) -> None:
        self.requests: list[httpx.Request] = []
        self.clients: dict[int, dict[str, Any]] = {}
        for i in range(n_clients):
            cid = 100001 + i
            self.clients[cid] = seeded_client(cid, archived=i % 4 == 3)
        self.contacts: dict[int, list[dict[str, Any]]] = {
            100001: [
                {
                    "id": 1,
                    "firstname": "Ada",
                    "lastname": "Lovelace",
                    "email": "ada@example.com",
                    "phone": None,
                    "job": "CEO",
                    "invoicing_use_email": True,
                }
            ]
        }
        self.tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.issued: list[str] = []  # every access and refresh token handed out
        self.expires_in: int | None = 7200
        self.issue_refresh_token = False
        self.token_delay = 0.0  # seconds the token endpoint takes (to widen races)
        self.auth: Callable[[httpx.Request], httpx.Response] | None = None
        self.api: Callable[[httpx.Request], httpx.Response] | None = None
        self._queue: list[Answer] = []
        self._count = 0

    # -- what tests look at ---------------------------------------------------------------

    def is_login(self, request: httpx.Request) -> bool:
        return str(request.url) == self.auth_url

    @property
    def logins(self) -> list[httpx.Request]:
        return [r for r in self.requests if self.is_login(r)]

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if not self.is_login(r)]

    def queue(self, *answers: Answer) -> None:
        """The next API calls get these answers, in order; then the normal API answers.

        An answer is a status (an error body in the reference's shape), an
        :class:`httpx.Response`, an exception class or instance (raised by the transport, as
        a network failure is), or a callable taking the request.
        """
        self._queue.extend(answers)

    # -- the handlers -----------------------------------------------------------------------

    def _record(self, request: httpx.Request) -> None:
        self.requests.append(request)
        # A client stuck in a loop fails the test instead of hanging it.
        if len(self.logins) > MAX_LOGINS or len(self.requests) > MAX_REQUESTS:
            raise AssertionError("runaway client: too many requests or logins")

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self._record(request)
        if self.is_login(request):
            if self.token_delay:
                time.sleep(self.token_delay)
            return (self.auth or self.token_endpoint)(request)
        return self._api(request)

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self._record(request)
        if self.is_login(request):
            if self.token_delay:
                await asyncio.sleep(self.token_delay)
            return (self.auth or self.token_endpoint)(request)
        return self._api(request)

    def transport(self, flavour: str) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle if flavour == "sync" else self.ahandle)

    def _api(self, request: httpx.Request) -> httpx.Response:
        if self._queue:
            answer = self._queue.pop(0)
            if isinstance(answer, int):
                return error(answer, f"scripted {answer}")
            if isinstance(answer, httpx.Response):
                return answer
            if isinstance(answer, type) and issubclass(answer, Exception):
                raise answer("scripted failure", request=request)
            if isinstance(answer, Exception):
                raise answer
            return answer(request)
        if self.api is not None:
            return self.api(request)
        return self.api_endpoint(request)

    def token_endpoint(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        grant = body.get("grant_type")
        if grant == "password":
            if body.get("username") != self.email or body.get("password") != self.password:
                return httpx.Response(
                    403,
                    json={
                        "error": "invalid_grant",
                        "error_description": "Wrong email or password.",
                    },
                )
        elif grant == "refresh_token":
            if body.get("refresh_token") not in self.refresh_tokens:
                return httpx.Response(
                    403, json={"error": "invalid_grant", "error_description": "Unknown refresh."}
                )
        else:
            return httpx.Response(400, json={"error": "unsupported_grant_type"})
        self._count += 1
        token = f"access-{self._count}-{secrets.token_hex(12)}"
        self.tokens.add(token)
        self.issued.append(token)
        answer: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
        if self.expires_in is not None:
            answer["expires_in"] = self.expires_in
        if self.issue_refresh_token:
            refresh = f"refresh-{self._count}-{secrets.token_hex(12)}"
            self.refresh_tokens.add(refresh)
            self.issued.append(refresh)
            answer["refresh_token"] = refresh
        return httpx.Response(200, json=answer)

    def api_endpoint(self, request: httpx.Request) -> httpx.Response:
        authorization = request.headers.get("authorization", "")
        if authorization.removeprefix("Bearer ") not in self.tokens:
            return error(401, "Jeton d'accès invalide.")
        match = _PATH.match(request.url.path)
        if match is None:
            return error(404, "No route")
        company, client_id, contacts = match.groups()
        if company is None:
            return self._paged(request, [self._company()], COMPANIES_V2)
        if int(company) != self.company_id:
            return error(403, "Accès refusé à cette entreprise.")
        if request.url.path.endswith(f"/companies/{company}"):
            return httpx.Response(200, json=self._company())
        if client_id is None:
            if request.method == "POST":
                return self._create(request)
            return self._list(request)
        client = self.clients.get(int(client_id))
        if client is None:
            return error(404, "Client introuvable")
        if contacts:
            return self._paged(request, self.contacts.get(client["id"], []), "application/json")
        return httpx.Response(200, json=client)

    def _company(self) -> dict[str, Any]:
        return {"id": self.company_id, "name": "Fake SAS", "siren": "123456782"}

    def _list(self, request: httpx.Request) -> httpx.Response:
        items = sorted(self.clients.values(), key=lambda c: c["id"])
        archived = request.url.params.get("archived")
        if archived is not None:
            if archived not in ("true", "false"):
                return error(400, "archived: true or false")
            items = [c for c in items if c["archived"] == (archived == "true")]
        search = request.url.params.get("search")
        if search is not None:
            items = [c for c in items if search.lower() in c["name"].lower()]
        return self._paged(request, items, TIMELINE_V2)

    def _create(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if not isinstance(body, dict) or not body.get("name"):
            return error(422, "name: required")
        client_id = max(self.clients, default=100000) + 1
        client = {"id": client_id, "archived": False, "archived_at": None, **body}
        self.clients[client_id] = client
        return httpx.Response(201, json=client)

    @staticmethod
    def _paged(request: httpx.Request, items: list[Any], media_type: str) -> httpx.Response:
        """Range as the sandbox reads it: END inclusive, 206 while items remain."""
        total = len(items)
        header = request.headers.get("range")
        start, end = 0, None
        if header is not None:
            match = _RANGE.match(header)
            if match is None:
                return error(416, "bad range")
            start = int(match.group(1))
            end = None if match.group(2) == "*" else int(match.group(2))
        page = items[start : None if end is None else end + 1]
        content_range = (
            f"items {start}-{start + len(page) - 1}/{total}" if page else f"items */{total}"
        )
        return httpx.Response(
            206 if page and start + len(page) < total else 200,
            json=page,
            headers={"Content-Range": content_range, "Content-Type": media_type},
        )


class RecordingTransport(httpx.BaseTransport):
    """Records each request, then sends it for real."""

    def __init__(self, inner: httpx.BaseTransport, record: list[httpx.Request]) -> None:
        self.inner = inner
        self.record = record

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.record.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    """Records each request, then sends it for real (async)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, record: list[httpx.Request]) -> None:
        self.inner = inner
        self.record = record

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.record.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass
class Env:
    """Where the clients of a test talk to, and what they sent there."""

    kind: str
    base_url: str
    auth_url: str
    email: str
    password: str
    company_id: int
    requests: list[httpx.Request]
    fake: FakeTiime | None = None
    sleeps: list[float] = field(default_factory=list)

    def is_login(self, request: httpx.Request) -> bool:
        return str(request.url) == self.auth_url

    @property
    def logins(self) -> list[httpx.Request]:
        return [r for r in self.requests if self.is_login(r)]

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if not self.is_login(r)]

    def transport(self, flavour: str) -> Any:
        if self.fake is not None:
            return self.fake.transport(flavour)
        # Plain HTTP on loopback: a shared SSL context saves building one per transport.
        if flavour == "sync":
            return RecordingTransport(httpx.HTTPTransport(verify=_ssl_context()), self.requests)
        return AsyncRecordingTransport(
            httpx.AsyncHTTPTransport(verify=_ssl_context()), self.requests
        )


# -- running both flavours with one test body ----------------------------------------------


async def run(value: Any) -> Any:
    """The result of a client call: awaited for the async client, as is for the sync one."""
    if asyncio.iscoroutine(value):
        return await value
    return value


async def collect(iterator: Any) -> list[Any]:
    """All the items of ``iter()``, sync or async."""
    if hasattr(iterator, "__aiter__"):
        return [item async for item in iterator]
    return list(iterator)


async def close(client: Any) -> None:
    if isinstance(client, AsyncTiimeClient):
        await client.aclose()
    else:
        client.close()
