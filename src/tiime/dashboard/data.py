"""What the dashboard asks the API, through the SDK's async client, and the figures made of it.

Every listing is streamed with the SDK's ``iter()`` (pages of 1,000, every page) into the
tallies of :mod:`.figures`, so that memory stays bounded by the figures, not by the
listings. A company's listings are fetched concurrently; companies are at most
:data:`COMPANIES_AT_ONCE` at a time (per dashboard, whatever the number of requests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from . import figures as F
from .models import Overview, Review
from .texts import Names

if TYPE_CHECKING:
    from .. import AsyncTiimeClient
    from ..types import BankAccount, Company

__all__ = ["COMPANIES_AT_ONCE", "PAGE_SIZE", "Gatherer"]

PAGE_SIZE = 1000
COMPANIES_AT_ONCE = 4


async def run_all(jobs: Sequence[Awaitable[Any]]) -> list[Any]:
    """Run ``jobs`` concurrently; on the first failure cancel the others and raise it."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


class Gatherer:
    """The dashboard's reads of the API, over one async client (one pool, one login).

    ``today`` gives the date in France at each request (days late, years active);
    ``names``: what the figures call what has none, in the dashboard's language.
    """

    def __init__(
        self, client: AsyncTiimeClient, today: Callable[[], date], names: Names | None = None
    ) -> None:
        self.client = client
        self.today = today
        self.names = names or Names()
        self._companies = asyncio.Semaphore(COMPANIES_AT_ONCE)

    def of(self, company_id: int) -> AsyncTiimeClient:
        """The client acting on ``company_id`` (same pool and login)."""
        return self.client.with_options(company_id=company_id)

    async def companies(self) -> list[Company]:
        return await self.client.list_companies()

    async def company(self, company_id: int) -> Company:
        return await self.of(company_id).company.get()

    async def overview(self, company_id: int) -> Overview:
        """The overview of a company: six listings at once, every page of each."""
        client = self.of(company_id)
        invoices, flows = F.InvoiceTally(self.today()), F.FlowTally()
        quotations = F.QuotationTally()

        async def feed_invoices() -> None:
            async for invoice in client.invoices.iter(page_size=PAGE_SIZE):
                invoices.add(invoice)

        async def feed_transactions() -> None:
            async for transaction in client.bank_transactions.iter(page_size=PAGE_SIZE):
                flows.add(transaction)

        async def feed_quotations() -> None:
            async for quotation in client.quotations.iter(page_size=PAGE_SIZE):
                quotations.add(quotation)

        async def count_clients() -> int:
            count = 0
            async for _ in client.clients.iter(page_size=PAGE_SIZE):
                count += 1
            return count

        async def count_unimputed() -> int:
            return len(await client.bank_transactions.unimputed())

        async with self._companies:
            accounts: list[BankAccount]
            accounts, _, _, _, clients, unimputed = await run_all(
                [
                    client.bank_accounts.list(enabled=True),
                    feed_invoices(),
                    feed_transactions(),
                    feed_quotations(),
                    count_clients(),
                    count_unimputed(),
                ]
            )
        return F.assemble_overview(
            company_id, accounts, invoices, flows, quotations, unimputed, clients
        )

    async def _review_tally(self, company_id: int) -> F.ReviewTally:
        client = self.of(company_id)
        tally = F.ReviewTally(self.names)

        async def feed_invoices() -> None:
            async for invoice in client.invoices.iter(page_size=PAGE_SIZE):
                tally.add_invoice(invoice)

        async def feed_transactions() -> None:
            async for transaction in client.bank_transactions.iter(page_size=PAGE_SIZE):
                tally.add_transaction(transaction)

        async with self._companies:
            await run_all([feed_invoices(), feed_transactions()])
        return tally

    async def review(self, company_id: int) -> Review:
        """The yearly review of one company."""
        company: Company
        tally: F.ReviewTally
        company, tally = await run_all([self.company(company_id), self._review_tally(company_id)])
        return tally.review(F.company_info([company], self.today(), merged=False))

    async def review_all(self) -> Review:
        """The yearly review of every company of the user, merged in the listing's order."""
        companies = await self.companies()
        tallies: list[F.ReviewTally] = await run_all([self._review_tally(c.id) for c in companies])
        merged = F.ReviewTally(self.names)
        for tally in tallies:
            merged.merge(tally)
        info = F.company_info(companies, self.today(), merged=True, names=self.names)
        return merged.review(info)
