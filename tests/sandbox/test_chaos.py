"""Chaos mode (:mod:`tiime.sandbox.chaos`): each kind of fault, what the sandbox does with
it, and what the SDK makes of it (nothing lost, nothing doubled, typed errors only)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import tiime
from tiime import AsyncTiimeClient, TiimeClient
from tiime.sandbox import Sandbox, SandboxError
from tiime.sandbox.__main__ import main as sandbox_main
from tiime.sandbox.chaos import INSERT_NAME_PREFIX, KINDS, Chaos, parse_chaos


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(chaos=0.0, chaos_seed=20) as sandbox:
        yield sandbox


@pytest.fixture
def chaos(sb: Sandbox) -> Iterator[Chaos]:
    """The sandbox's chaos, off again after the test."""
    assert sb.chaos is not None
    yield sb.chaos
    sb.chaos.rate, sb.chaos.kinds, sb.chaos.limit = 0.0, KINDS, None


def inject(chaos: Chaos, kind: str, limit: int | None = 1) -> None:
    """Every request meets ``kind``, ``limit`` times (None: every time)."""
    chaos.kinds, chaos.limit, chaos.rate = (kind,), None, 0.0
    chaos.counts.clear()
    chaos.kinds, chaos.limit, chaos.rate = (kind,), limit, 1.0


@pytest.fixture
def client(sb: Sandbox) -> Iterator[TiimeClient]:
    """An SDK client with a token already (no login through the chaos) that does not
    really sleep between retries."""
    made = TiimeClient(
        access_token=sb.issue_token(),
        company_id=sb.company_id,
        base_url=sb.base_url,
        auth_url=sb.auth_url,
    )
    made._sleep = lambda seconds: None  # type: ignore[attr-defined]
    with made:
        yield made


def count_named(sb: Sandbox, name: str) -> int:
    count: int = sb.db.scalar("SELECT COUNT(*) FROM clients WHERE name = ?", (name,))
    return count


def fresh_name() -> str:
    return f"Chaos test {uuid.uuid4().hex[:8]}"


# -- options ------------------------------------------------------------------------------


def test_parse_chaos() -> None:
    assert parse_chaos("0.1") == (0.1, KINDS)
    assert parse_chaos("10%,slow, drop-after") == (0.1, ("slow", "drop-after"))
    with pytest.raises(ValueError, match="expected RATE"):
        parse_chaos("lots")
    with pytest.raises(ValueError, match="unknown chaos kind 'explode'"):
        parse_chaos("0.1,explode")
    for rate in (1.5, -0.1):
        with pytest.raises(ValueError, match="between 0 and 1"):
            Chaos(rate)


def test_off_by_default() -> None:
    with Sandbox(seed="empty") as sandbox:
        assert sandbox.chaos is None


def test_refused_with_allow_remote() -> None:
    with pytest.raises(SandboxError, match="allow-remote"):
        Sandbox(chaos=0.1, allow_remote=True)


def test_bad_chaos_is_one_line() -> None:
    with pytest.raises(SandboxError, match="unknown chaos kind"):
        Sandbox(chaos="0.1,explode")


@pytest.mark.parametrize(
    "argv",
    [
        ["--chaos", "0.1,explode"],
        ["--chaos", "0.1", "--allow-remote"],
        ["--chaos-seed", "3"],
    ],
)
def test_module_command_line_refuses(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        sandbox_main(argv)
    assert exited.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()[-1:]) == 1


def test_module_command_line_passes_chaos(monkeypatch: pytest.MonkeyPatch) -> None:
    from tiime.sandbox import __main__ as entry

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(entry, "serve", lambda *args, **kwargs: calls.append(kwargs))
    entry.main(["--chaos", "5%,slow", "--chaos-seed", "9", "--port", "0"])
    ((kwargs,),) = [calls]
    assert kwargs["chaos"] == "5%,slow"
    assert kwargs["chaos_seed"] == 9


def test_tiime_sandbox_passes_chaos(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    import tiime.sandbox
    from tiime.cli import main

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(tiime.sandbox, "serve", lambda **kwargs: calls.append(kwargs))
    db = str(tmp_path / "s.db")
    assert main(["sandbox", "--db", db, "--chaos", "10%,truncate", "--chaos-seed", "3"]) == 0
    assert main(["sandbox", "--db", db]) == 0
    (chaotic, calm) = calls
    assert (chaotic["chaos"], chaotic["chaos_seed"]) == ("10%,truncate", 3)
    assert (calm["chaos"], calm["chaos_seed"]) == (None, None)


def _scope(path: str, method: str = "GET", rng: str | None = "items=0-9") -> dict[str, Any]:
    headers = [] if rng is None else [(b"range", rng.encode())]
    return {"type": "http", "method": method, "path": path, "headers": headers}


def test_deterministic_with_the_seed() -> None:
    scopes = [
        _scope("/v1/companies/1/clients"),
        _scope("/v1/companies/1/invoices", "POST", None),
        _scope("/oauth/token", "POST", None),
        _scope("/v1/users/me", rng=None),
    ] * 100

    def draws(seed: int) -> list[str | None]:
        chaos = Chaos(0.5, seed=seed)
        return [chaos.draw(scope) for scope in scopes]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)
    drawn = set(draws(7))
    assert drawn == {None, *KINDS}  # every kind, on the requests it applies to


def test_kinds_apply_only_where_they_can() -> None:
    chaos = Chaos(1.0, ("page-cap", "insert"))
    assert chaos.draw(_scope("/v1/companies/1/invoices", "POST", None)) is None
    assert chaos.draw(_scope("/v1/companies/1/invoices")) == "page-cap"
    assert chaos.draw(_scope("/v1/companies/1/clients", rng=None)) == "insert"
    assert chaos.draw(_scope("/", rng=None)) is None  # outside the API
    assert Chaos(1.0, limit=2).draw(_scope("/v1/users/me")) is not None


# -- each kind, on a write and on a read -------------------------------------------------


def test_error_before_writes_nothing(sb: Sandbox, chaos: Chaos, client: TiimeClient) -> None:
    name = fresh_name()
    inject(chaos, "error-before")
    with pytest.raises(tiime.ServerError) as raised:
        client.clients.create(name=name)
    assert raised.value.status == 503
    assert not isinstance(raised.value, tiime.AmbiguousWriteError)
    assert count_named(sb, name) == 0
    inject(chaos, "error-before")
    assert len(client.clients.list()) >= 36  # a read is retried
    assert chaos.counts["error-before"] == 1


def test_error_after_is_ambiguous_and_found(sb: Sandbox, chaos: Chaos, client: TiimeClient) -> None:
    name = fresh_name()
    inject(chaos, "error-after")
    with pytest.raises(tiime.AmbiguousGatewayError) as raised:
        client.clients.create(name=name)
    assert raised.value.status == 502
    assert count_named(sb, name) == 1  # committed before the 502
    found = raised.value.find_created()
    assert found is not None
    assert found.name == name
    inject(chaos, "error-after")
    assert client.clients.get(found.id).name == name  # a read is retried


def test_rate_limit_says_when_to_retry(sb: Sandbox, chaos: Chaos, client: TiimeClient) -> None:
    token = sb.issue_token()
    inject(chaos, "rate-limit")
    answer = httpx.get(f"{sb.base_url}/users/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["error"] == 429
    name = fresh_name()
    inject(chaos, "rate-limit")
    with pytest.raises(tiime.RateLimitError):
        client.clients.create(name=name)
    assert count_named(sb, name) == 0
    inject(chaos, "rate-limit")
    assert client.users.me().email == sb.email


def test_drop_before_is_ambiguous_and_not_found(
    sb: Sandbox, chaos: Chaos, client: TiimeClient
) -> None:
    name = fresh_name()
    inject(chaos, "drop-before")
    with pytest.raises(tiime.AmbiguousWriteError) as raised:
        client.clients.create(name=name)
    assert not isinstance(raised.value, tiime.ServerError)
    assert count_named(sb, name) == 0
    assert raised.value.find_created() is None
    inject(chaos, "drop-before")
    assert client.users.me().email == sb.email


def test_drop_after_is_ambiguous_and_found(sb: Sandbox, chaos: Chaos, client: TiimeClient) -> None:
    name = fresh_name()
    inject(chaos, "drop-after")
    with pytest.raises(tiime.AmbiguousWriteError) as raised:
        client.clients.create(name=name)
    assert count_named(sb, name) == 1
    found = raised.value.find_created()
    assert found is not None
    assert found.name == name


def test_truncated_answer(sb: Sandbox, chaos: Chaos, client: TiimeClient) -> None:
    token = sb.issue_token()
    inject(chaos, "truncate")
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        httpx.get(
            f"{sb.base_url}/companies/{sb.company_id}/clients",
            headers={"Authorization": f"Bearer {token}"},
        )
    name = fresh_name()
    inject(chaos, "truncate")
    with pytest.raises(tiime.AmbiguousWriteError) as raised:
        client.clients.create(name=name)
    assert count_named(sb, name) == 1
    assert raised.value.find_created() is not None
    inject(chaos, "truncate")
    assert len(client.clients.list()) >= 36  # a read is retried


def test_slow_answer_is_whole(sb: Sandbox, chaos: Chaos, client: TiimeClient) -> None:
    expected = client.clients.list()
    inject(chaos, "slow")
    assert client.clients.list() == expected
    name = fresh_name()
    inject(chaos, "slow")
    assert client.clients.create(name=name).name == name
    assert count_named(sb, name) == 1
    assert chaos.counts["slow"] == 1


def test_page_caps_changing_between_pages(chaos: Chaos, client: TiimeClient) -> None:
    expected = [item.id for item in client.clients.list()]
    inject(chaos, "page-cap", limit=None)
    listed = [item.id for item in client.clients.list()]
    paged = [item.id for item in client.clients.iter(page_size=20)]
    assert listed == expected
    assert paged == expected
    assert chaos.counts["page-cap"] >= 2


def test_inserts_between_pages(sb: Sandbox, chaos: Chaos, client: TiimeClient) -> None:
    before = [item.id for item in client.clients.list()]
    inject(chaos, "page-cap", limit=None)
    chaos.kinds = ("page-cap", "insert")
    listed = [item.id for item in client.clients.iter(page_size=10)]
    inserted = chaos.counts["insert"]
    chaos.rate = 0.0
    assert inserted >= 1
    assert len(listed) == len(set(listed))  # none twice
    assert set(before) <= set(listed)  # every item there from the first page to the last
    names = sb.db.all("SELECT name FROM clients WHERE name LIKE ?", (INSERT_NAME_PREFIX + " %",))
    assert len(names) >= inserted


async def test_async_client_under_drop_after(sb: Sandbox, chaos: Chaos) -> None:
    name = fresh_name()
    async with AsyncTiimeClient(
        access_token=sb.issue_token(),
        company_id=sb.company_id,
        base_url=sb.base_url,
        auth_url=sb.auth_url,
    ) as client:
        inject(chaos, "drop-after")
        with pytest.raises(tiime.AmbiguousWriteError) as raised:
            await client.clients.create(name=name)
        found = await raised.value.find_created()
    assert found is not None
    assert found.name == name
    assert count_named(sb, name) == 1
