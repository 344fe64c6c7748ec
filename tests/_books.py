"""A fresh sandbox per test (the tests change its data) and a client of it that counts the
API requests it sends: what the mirror's and the FEC's tests share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tiime import TiimeClient
from tiime.sandbox import Sandbox


@dataclass
class Counted:
    sandbox: Sandbox
    client: TiimeClient
    requests: list[str] = field(default_factory=list)

    def count(self) -> int:
        """API requests sent since the last call (the token endpoint left out)."""
        api = [r for r in self.requests if "/oauth/" not in r]
        self.requests.clear()
        return len(api)


@pytest.fixture
def books(tmp_path: Path) -> Iterator[Counted]:
    with Sandbox(db_path=tmp_path / "sandbox.db") as sb:
        seen: list[str] = []
        http = httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]})
        client = TiimeClient(
            base_url=sb.base_url,
            auth_url=sb.auth_url,
            email=sb.email,
            password=sb.password,
            company_id=sb.company_id,
            http_client=http,
        )
        try:
            yield Counted(sb, client, seen)
        finally:
            client.close()
            http.close()
