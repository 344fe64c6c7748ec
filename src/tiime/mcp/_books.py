"""The companies a server serves, and the client of each (one login, one connection pool).

They are resolved on first use, not at start-up, so that a missing login or company is a
tool error saying what to do (the assistant shows it) rather than a server that dies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import anyio
import msgspec

from ._errors import ToolFailure

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient

__all__ = ["Books", "ServedCompany"]


class ServedCompany(msgspec.Struct, frozen=True):
    id: int
    name: str


class Books:
    """``companies``: ids or names (``--company``, matched whole, ignoring case), or
    ``None`` for the client's own company; ``all_companies`` serves every company of the
    user (``--all-companies``)."""

    def __init__(
        self,
        client: AsyncTiimeClient,
        companies: Sequence[str] | None = None,
        *,
        all_companies: bool = False,
    ) -> None:
        self.client = client
        self._asked = list(companies or [])
        self._all = all_companies
        self._served: list[ServedCompany] | None = None
        self._clients: dict[int, AsyncTiimeClient] = {}
        self._lock = anyio.Lock()

    async def served(self) -> list[ServedCompany]:
        """The companies served, resolved once (a failure is retried on the next call)."""
        async with self._lock:
            if self._served is None:
                self._served = await self._resolve()
            return self._served

    async def _resolve(self) -> list[ServedCompany]:
        if not self._all and not self._asked:
            own = self.client.require_company()
            try:
                names = {c.id: c.name for c in await self.client.list_companies()}
            except Exception:  # the name is for display only
                names = {}
            return [ServedCompany(own, names.get(own) or str(own))]
        known = await self.client.list_companies()
        if self._all:
            return [ServedCompany(c.id, c.name or str(c.id)) for c in known]
        by_id = {c.id: c.name for c in known}
        by_name = {(c.name or "").casefold(): c for c in known}
        chosen: list[ServedCompany] = []
        for part in self._asked:
            if part.isdigit() and int(part) > 0:
                if int(part) not in by_id:
                    raise ToolFailure(
                        f"Company {part} is not one of this user's: the user should start the "
                        "server with a --company from `tiime company list`."
                    )
                company = ServedCompany(int(part), by_id[int(part)] or part)
            else:
                found = by_name.get(part.casefold())
                if found is None:
                    raise ToolFailure(
                        f"Unknown company {part!r}: the user should start the server with a "
                        "--company from `tiime company list`."
                    )
                company = ServedCompany(found.id, found.name or str(found.id))
            if company not in chosen:
                chosen.append(company)
        return chosen

    async def pick(self, company: int | None) -> tuple[AsyncTiimeClient, ServedCompany]:
        """The client of ``company`` (the only one served when ``None``)."""
        served = await self.served()
        if company is None:
            if len(served) != 1:
                ids = ", ".join(f"{c.id} ({c.name})" for c in served)
                raise ToolFailure(f"Several companies are served ({ids}): pass company.")
            chosen = served[0]
        else:
            matches = [c for c in served if c.id == company]
            if not matches:
                ids = ", ".join(str(c.id) for c in served)
                raise ToolFailure(
                    f"Company {company} is not served by this server (served: {ids}); "
                    "call companies, or ask the user to restart it with --company."
                )
            chosen = matches[0]
        if chosen.id == self.client.company_id:
            return self.client, chosen
        if chosen.id not in self._clients:  # one login and one connection pool for all
            self._clients[chosen.id] = self.client.with_options(company_id=chosen.id)
        return self._clients[chosen.id], chosen

    async def each(self, company: int | None) -> list[tuple[AsyncTiimeClient, ServedCompany]]:
        """The client of ``company``, or of every company served when ``None``."""
        if company is not None:
            return [await self.pick(company)]
        return [await self.pick(c.id) for c in await self.served()]
