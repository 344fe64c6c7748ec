"""``tiime.sync.sync``: the mirror against the sandbox (first sync, incremental, deletions,
one at a time, schema versions)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from tiime.sync import SCHEMA_VERSION, SchemaError, SyncBusyError, canonical_dump, connect, sync
from tiime.sync.engine import CONTACTS_PER_SYNC, STEPS

from .conftest import Counted


def counts(summary: object) -> dict[str, tuple[int, int, int]]:
    tables = summary.tables  # type: ignore[attr-defined]
    return {
        n: (c.added, c.changed, c.deleted)
        for n, c in tables.items()
        if c.added or c.changed or c.deleted
    }


def test_first_sync_mirrors_every_resource_with_company_ids(books: Counted, tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    summary = sync(books.client, db)
    c = books.client
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM invoices").fetchone()[0] == len(c.invoices.list())
    assert conn.execute("SELECT count(*) FROM transactions").fetchone()[0] == len(
        c.bank_transactions.list()
    )
    for table in summary.tables:
        ids = conn.execute(f"SELECT DISTINCT company_id FROM {table}").fetchall()
        assert ids in ([(books.sandbox.company_id,)], []), table
    assert summary.tables["contacts"].added > 0
    # amounts exact TEXT, dates ISO TEXT
    invoice = c.invoices.list()[0]
    row = conn.execute(
        "SELECT total_including_taxes, emission_date FROM invoices WHERE id = ?", (invoice.id,)
    ).fetchone()
    assert Decimal(row[0]) == invoice.total_including_taxes
    assert row[1] == invoice.emission_date.isoformat()  # type: ignore[union-attr]
    unimputed = {t.id for t in c.bank_transactions.list() if not t.imputations}
    assert {r[0] for r in conn.execute("SELECT id FROM unimputed_transactions")} == unimputed
    unpaid = {i.id for i in c.invoices.list() if i.status in ("saved", "sent")}
    assert {r[0] for r in conn.execute("SELECT id FROM unpaid_invoices")} == unpaid
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_no_change_resync_sends_one_listing_per_resource(books: Counted, tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    sync(books.client, db)
    first = books.count()
    before = canonical_dump(db)
    summary = sync(books.client, db)
    again = books.count()
    # GET companies, one page per resource (each under 1000 items), the rolling contacts
    assert again == 1 + len(STEPS) + CONTACTS_PER_SYNC
    clients = len(books.client.clients.list())
    assert clients > CONTACTS_PER_SYNC
    assert first == 1 + len(STEPS) + clients  # the first sync read every client's contacts
    assert counts(summary) == {}
    assert canonical_dump(db) == before


def test_changes_and_deletions_are_reflected_and_equal_a_clean_sync(
    books: Counted, tmp_path: Path
) -> None:
    db = tmp_path / "books.sqlite"
    sync(books.client, db)
    c = books.client
    created = c.clients.create(name="Nouveau Client SARL")
    draft = next(i for i in c.invoices.list() if i.status == "draft")
    c.invoices.delete(draft.id)
    todo = next(t for t in c.bank_transactions.list() if not t.imputations)
    label = c.labels.list()[0]
    c.bank_transactions.impute(todo, [{"label": {"id": label.id}, "amount": todo.amount}])  # type: ignore[typeddict-item]
    books.count()
    summary = sync(books.client, db)
    # + the new client's contacts, and the rolling share
    assert books.count() == 1 + len(STEPS) + 1 + CONTACTS_PER_SYNC
    changes = counts(summary)
    assert changes["clients"][0] == 1
    assert changes["invoices"][2] == 1
    assert changes["invoice_lines"][2] == len(draft.lines or [])
    assert changes["imputations"][0] == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT 1 FROM clients WHERE id = ?", (created.id,)).fetchone()
    assert not conn.execute("SELECT 1 FROM invoices WHERE id = ?", (draft.id,)).fetchone()
    assert not conn.execute(
        "SELECT 1 FROM invoice_lines WHERE invoice_id = ?", (draft.id,)
    ).fetchone()
    conn.close()
    clean = tmp_path / "clean.sqlite"
    sync(books.client, clean)
    assert canonical_dump(db) == canonical_dump(clean)


def test_a_second_sync_of_one_database_is_refused(books: Counted, tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    lock = sqlite3.connect(tmp_path / "books.sqlite.lock", isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # what a running sync holds
    try:
        with pytest.raises(SyncBusyError, match="another tiime sync is writing"):
            sync(books.client, db)
        assert books.count() == 0  # refused before any request
    finally:
        lock.close()
    sync(books.client, db)  # the lock released: it runs


def test_schema_versions(tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    connect(db).close()  # migrated already: nothing to do
    newer = sqlite3.connect(db)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(SchemaError, match="newer than this release"):
        connect(db)
    other = tmp_path / "other.sqlite"
    foreign = sqlite3.connect(other)
    foreign.execute("CREATE TABLE mine (x)")
    foreign.close()
    with pytest.raises(SchemaError, match="not a tiime mirror"):
        connect(other)
    with sqlite3.connect(other) as check:
        assert check.execute("SELECT name FROM sqlite_master").fetchall() == [("mine",)]


def test_several_companies_each_row_tagged_with_its_own(books: Counted, tmp_path: Path) -> None:
    sb = books.sandbox
    other = sb.add_company(sb.email, "Filiale du Test", clients=5, sizes={"invoices": 7})
    db = tmp_path / "books.sqlite"
    seen: list[tuple[int, str, int, int | None]] = []
    sync(books.client, db, [sb.company_id, other], progress=lambda *a: seen.append(a))
    conn = sqlite3.connect(db)
    per_company = dict(conn.execute("SELECT company_id, count(*) FROM invoices GROUP BY 1"))
    assert per_company[other] == 7
    assert per_company[sb.company_id] == len(books.client.invoices.list())
    assert dict(conn.execute("SELECT company_id, count(*) FROM clients GROUP BY 1"))[other] == 5
    assert {r[0] for r in conn.execute("SELECT id FROM companies")} == {sb.company_id, other}
    conn.close()
    # the progress: the last count of each listing is its number of items
    last = {(company, resource): count for company, resource, count, _ in seen}
    assert all(total is None or count <= total for _, _, count, total in seen)
    # a first sync: each paged listing's total from a one-item page's Content-Range
    transactions = len(books.client.bank_transactions.list())
    totals = [t for c, r, n, t in seen if (c, r) == (sb.company_id, "transactions")]
    assert len(totals) > 1
    assert set(totals) == {transactions}
    assert last[(other, "invoices")] == 7
    assert last[(sb.company_id, "transactions")] == len(books.client.bank_transactions.list())


def test_a_mirror_is_migrated_in_place(
    books: Counted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiime.sync import schema

    db = tmp_path / "books.sqlite"
    sync(books.client, db)
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT count(*) FROM invoices").fetchone()[0]
    conn.close()
    step = (
        "ALTER TABLE invoices ADD COLUMN note TEXT;\nCREATE INDEX invoices_note ON invoices(note);"
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    raw = sqlite3.connect(db, isolation_level=None)
    assert schema.migrate(raw) == SCHEMA_VERSION  # the version it found
    raw.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "note" in [r[1] for r in conn.execute("PRAGMA table_info(invoices)")]
    assert conn.execute("SELECT count(*) FROM invoices").fetchone()[0] == before
    conn.close()


def test_a_sync_cut_while_writing_a_resource_leaves_it_to_the_next(
    books: Counted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clients and their contacts are one commit: cut between the two, the next sync still
    reads the contacts (the clients are not taken as unchanged)."""
    from tiime.sync import engine

    upsert = engine._Plan.upsert

    def cut(self: engine._Plan, conn: sqlite3.Connection, changes: engine.TableChanges) -> None:
        if self.table == "contacts":  # the process stops once the clients are written
            raise KeyboardInterrupt
        upsert(self, conn, changes)

    db = tmp_path / "books.sqlite"
    monkeypatch.setattr(engine._Plan, "upsert", cut)
    with pytest.raises(KeyboardInterrupt):
        sync(books.client, db)
    monkeypatch.setattr(engine._Plan, "upsert", upsert)
    sync(books.client, db)
    clean = tmp_path / "clean.sqlite"
    sync(books.client, clean)
    assert canonical_dump(db) == canonical_dump(clean)


def test_contacts_of_unchanged_clients_are_caught_by_the_rolling_reread(
    books: Counted, tmp_path: Path
) -> None:
    """A contact edited while its client's row stays the same: read again within
    ``ceil(clients / per_sync)`` syncs, each no-change sync reading ``per_sync`` clients'
    contacts, every client once a cycle."""
    db = tmp_path / "books.sqlite"
    per_sync = 7
    sync(books.client, db, contacts_per_sync=per_sync)
    clients = sorted(c.id for c in books.client.clients.list())
    cycle = -(-len(clients) // per_sync)
    target = clients[-1]  # read last in the cycle (the oldest first, then by id)
    with books.sandbox.db.transaction() as conn:
        conn.execute(
            "INSERT INTO contacts (client_id, firstname, lastname, email)"
            " VALUES (?, 'Nouvelle', 'Contact', 'nouvelle@example.com')",
            (target,),
        )
    books.count()
    read: list[int] = []
    for n in range(cycle):
        summary = sync(books.client, db, contacts_per_sync=per_sync)
        contacts = [r for r in books.requests if r.endswith("/contacts")]
        books.count()
        read.extend(int(url.rsplit("/", 2)[-2]) for url in contacts)
        assert len(contacts) == per_sync  # the rolling share, nothing else changed
        caught = summary.tables["contacts"].added
        assert caught == (1 if n == cycle - 1 else 0)
    assert set(read) == set(clients)  # every client within the cycle
    assert len(set(read[: len(clients)])) == len(clients)  # in turn, none twice before all
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "SELECT client_id FROM contacts WHERE email = 'nouvelle@example.com'"
        ).fetchall() == [(target,)]
    clean = tmp_path / "clean.sqlite"
    sync(books.client, clean, contacts_per_sync=per_sync)
    assert canonical_dump(db) == canonical_dump(clean)
