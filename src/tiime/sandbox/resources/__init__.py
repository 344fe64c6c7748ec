'''The sandbox's resources, and the contract each one follows.

A resource is ONE module here that owns its tables (as migrations), its queries, its
validation, its rendering, its routes and its seed data, written against the kernel
(:mod:`tiime.sandbox.kernel`: import everything from there). Adding one is two edits:

1. ``src/tiime/sandbox/resources/<name>.py``, exporting the five names of :class:`Resource`:

   * ``NAME``: the resource's name, also its key in seed sizes (``--size notes=20``);
   * ``DEFAULT_SIZE``: how many items the ``demo`` profile seeds per company (0: none);
   * ``MIGRATIONS``: a list of ``Migration(version, description, up)``, ``up`` being SQL
     (statements separated by ``;``) or a function given the connection. Each runs once,
     in its own transaction, in global ``version`` order, recorded in
     ``PRAGMA user_version``. Versions are global and unique (checked at start): take the
     first free number of the block reserved below; once a release has shipped, a new
     step takes a number above every existing one. Never edit a shipped step: add one
     (``ALTER TABLE ... ADD COLUMN``, a data fix...);
   * ``routes(ctx) -> list[Route]``: build each route with ``route(ctx, path, handler,
     methods)``, where ``handler`` is ``async def handler(ctx, request) -> Response``;
   * ``seed(db, company_id, size)``: bring the company to at least ``size`` items,
     deterministically (``random.Random(company_id)``, no clock), adding only the missing
     ones (so that ``--size`` on an existing database tops up). Realistic French data
     and valid SIRET/IBAN come from :mod:`tiime.sandbox.demodata`.

2. One line in :data:`RESOURCES` below, after the resources it depends on (routes and
   seeds run in that order).

In a handler: ``user, company = company_guard(ctx, request)`` for a company route (401
without a valid bearer token, 404 unknown company, 403 not a member; ``bearer_user`` for a
route outside companies); ``await json_object(request)`` reads a bounded JSON object (400
otherwise); ``raise ApiError(status, "message")`` or ``FieldErrors({field: message})``
(422) answer in the API's error shape; ``paged(ctx, request, count, fetch, media_type)``
answers a list by the ``Range: items=START-END`` rule (``count()`` the total, ``fetch
(offset, limit)`` one rendered window; both under the database lock). Queries go through
``db.all/one/scalar(sql, params)`` and writes through ``with db.transaction() as conn:``
(committed before the answer leaves). A write route (POST, PUT, PATCH, DELETE) runs its
whole handler in one transaction, so that the reads deciding its writes see what another
process on the database wrote: it must not await anything but its body (``atomic=False``
for a route that streams its body, which then opens its transaction around its reads).
Tests go in ``tests/sandbox/test_<name>.py``.

Example, ``resources/notes.py``::

    """Notes of a company: ``GET``/``POST /v1/companies/{cid}/notes``."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from ..kernel import (Context, Database, FieldErrors, Migration, Row, company_guard,
                          json_object, paged, route)

    NAME = "notes"
    DEFAULT_SIZE = 8
    MIGRATIONS = [Migration(900, "notes", """
        CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id), name TEXT NOT NULL)""")]

    def render(row: Row) -> dict[str, object]:
        return {"id": row["id"], "name": row["name"]}

    async def list_notes(ctx: Context, request: Request) -> Response:
        _, company = company_guard(ctx, request)
        where = (company["id"],)
        return paged(ctx, request,
            lambda: ctx.db.scalar("SELECT COUNT(*) FROM notes WHERE company_id = ?", where),
            lambda offset, limit: [render(row) for row in ctx.db.all(
                "SELECT * FROM notes WHERE company_id = ? ORDER BY id LIMIT ? OFFSET ?",
                (*where, -1 if limit is None else limit, offset))])

    async def create_note(ctx: Context, request: Request) -> Response:
        _, company = company_guard(ctx, request)
        name = (await json_object(request)).get("name")
        if not isinstance(name, str) or not name.strip():
            raise FieldErrors({"name": "Ce champ est obligatoire."})
        with ctx.db.transaction() as conn:
            cursor = conn.execute("INSERT INTO notes (company_id, name) VALUES (?, ?)",
                                  (company["id"], name.strip()))
        note = {"id": cursor.lastrowid, "name": name.strip()}
        return JSONResponse(note, status_code=201)

    def routes(ctx: Context) -> list[Route]:
        path = "/v1/companies/{company_id:int}/notes"
        return [route(ctx, path, list_notes), route(ctx, path, create_note, ["POST"])]

    def seed(db: Database, company_id: int, size: int) -> None:
        have = db.scalar("SELECT COUNT(*) FROM notes WHERE company_id = ?", (company_id,))
        with db.transaction() as conn:
            conn.executemany("INSERT INTO notes (company_id, name) VALUES (?, ?)",
                             [(company_id, f"Note {n}") for n in range(have, size)])

and in :data:`RESOURCES`, the line ``notes,``.

Migration versions: 1 the kernel's ``meta``, 2 ``auth``, 3 ``companies``, 4 ``clients``
(these four are the first release's schema, adopted in place). Blocks reserved for the
resources to come: invoices 10-19, quotations 20-29, documents 30-39, expense reports
40-49, labels/tags 50-59, users 60-69, company settings 70-79, bank accounts 80-89, bank
transactions 90-99, matchings 100-109; later steps of any resource from 110 up.
'''

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from starlette.routing import BaseRoute

from ..kernel import Context, Database, Migration
from ..kernel.db import KERNEL_MIGRATIONS
from . import (
    auth,
    bank_accounts,
    bank_receipts,
    bank_transactions,
    clients,
    companies,
    company_settings,
    document_details,
    documents,
    expense_reports,
    invoices,
    labels,
    quotations,
    users,
)

__all__ = ["RESOURCES", "Resource", "migrations"]


class Resource(Protocol):
    """What a resource module exports (see the module's documentation)."""

    @property
    def NAME(self) -> str: ...

    @property
    def DEFAULT_SIZE(self) -> int: ...

    @property
    def MIGRATIONS(self) -> Sequence[Migration]: ...

    def routes(self, ctx: Context) -> Sequence[BaseRoute]: ...

    def seed(self, db: Database, company_id: int, size: int) -> None: ...


# The registry: one line per resource, each after those it depends on.
RESOURCES: tuple[Resource, ...] = (
    auth,
    companies,
    clients,
    labels,
    users,
    company_settings,
    documents,
    document_details,
    expense_reports,
    invoices,
    quotations,
    bank_accounts,
    bank_transactions,
    bank_receipts,
)


def migrations() -> list[Migration]:
    """Every schema step, the kernel's and each resource's, in version order."""
    steps = [*KERNEL_MIGRATIONS, *(step for resource in RESOURCES for step in resource.MIGRATIONS)]
    return sorted(steps, key=lambda step: step.version)
