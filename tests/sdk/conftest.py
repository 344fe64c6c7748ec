"""Fixtures of the SDK tests (the fake Tiime and the helpers live in ``_support``).

* ``backend``: ``"mock"`` (a :class:`FakeTiime` behind :class:`httpx.MockTransport`) by
  default; the wire tests parametrize it with ``"sandbox"`` too, which runs the same tests
  against :class:`tiime.sandbox.Sandbox` over real loopback HTTP.
* ``flavour``: every test taking it runs with the sync and the async client.
* ``make_client(**options)``: a client of the test's flavour on the test's backend.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from tiime import AsyncTiimeClient, TiimeClient

from ._support import Env, FakeTiime, close

# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def config_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    """No TIIME_* variable from the developer's shell, and no stored login of theirs."""
    for name in list(os.environ):
        if name.startswith("TIIME_"):
            monkeypatch.delenv(name)
    config_dir = tmp_path / "tiime-config"
    config_dir.mkdir()
    monkeypatch.setenv("TIIME_CONFIG_DIR", str(config_dir))
    return config_dir


@pytest.fixture(scope="session")
def sandbox_server() -> Any:
    module = pytest.importorskip(
        "tiime.sandbox",
        reason="tiime.sandbox cannot be imported (not written yet, or the sandbox extra "
        "is missing): the sandbox backend is skipped",
        exc_type=ImportError,
    )
    with module.Sandbox() as sb:
        yield sb


@pytest.fixture
def backend() -> str:
    """The server the clients talk to; the wire tests parametrize it with "sandbox" too."""
    return "mock"


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def env(request: pytest.FixtureRequest, backend: str) -> Env:
    if backend == "mock":
        fake = FakeTiime()
        return Env(
            kind="mock",
            base_url=fake.base_url,
            auth_url=fake.auth_url,
            email=fake.email,
            password=fake.password,
            company_id=fake.company_id,
            requests=fake.requests,
            fake=fake,
        )
    sb = request.getfixturevalue("sandbox_server")
    return Env(
        kind="sandbox",
        base_url=sb.base_url,
        auth_url=sb.auth_url,
        email=sb.email,
        password=sb.password,
        company_id=sb.company_id,
        requests=[],
    )


@pytest.fixture
def fake(env: Env) -> FakeTiime:
    assert env.fake is not None, "this test needs the mock backend"
    return env.fake


@pytest.fixture
def sleeps(env: Env) -> list[float]:
    """The delays the clients asked to sleep (they do not really sleep in tests)."""
    return env.sleeps


@pytest.fixture
async def make_client(env: Env, flavour: str) -> Any:
    """``make_client(**options)``: a client of the test's flavour on the test's backend.

    Options default to the backend's credentials, URLs and company; pass ``None`` to leave
    one out. Sleeps are recorded in ``env.sleeps`` instead of slept.
    """
    made: list[Any] = []
    https: list[Any] = []

    def make(**options: Any) -> Any:
        settings = {
            "company_id": env.company_id,
            "email": env.email,
            "password": env.password,
            "base_url": env.base_url,
            "auth_url": env.auth_url,
            **options,
        }
        if flavour == "sync":
            http: Any = httpx.Client(transport=env.transport("sync"))
            https.append(http)
            client: Any = TiimeClient(http_client=http, **settings)
            client._sleep = env.sleeps.append
        else:
            http = httpx.AsyncClient(transport=env.transport("async"))
            https.append(http)
            client = AsyncTiimeClient(http_client=http, **settings)

            async def sleep(seconds: float) -> None:
                env.sleeps.append(seconds)

            client._sleep = sleep
        made.append(client)
        return client

    yield make
    for client in made:
        await close(client)
    for http in https:
        if isinstance(http, httpx.AsyncClient):
            await http.aclose()
        else:
            http.close()


@pytest.fixture
async def client(make_client: Any) -> Any:
    return make_client()
