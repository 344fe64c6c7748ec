"""The mirror's schema: its tables, keys, indexes and views, and its migrations.

Conventions (every table):

* ``company_id`` on every row (the company the row was read from), indexed;
* amounts of money are **exact decimals stored as TEXT** (``'4900.14'``, never a binary
  float); the views give them as **integer cents** (``*_cents``), which SQL sums exactly;
  quantities and unit prices, which may carry more decimals, are exact TEXT too;
* dates are ISO 8601 TEXT (``2026-10-31``; date-times ``2026-10-31T06:00:00``);
* a document's ``file_sha256`` is the SHA-256 (hex) of its file as ``tiime sync --files``
  fetched it, stored beside the database (see :mod:`tiime.sync.files`); NULL when it was
  not fetched (no ``--files``, or the document changed since);
* booleans are INTEGER 0/1; lists the API nests without ids (tags) are JSON TEXT;
* children (invoice and quotation lines, imputations, contacts) reference their parent
  with ``ON DELETE CASCADE``; references to other resources (an invoice's ``client_id``,
  a transaction's ``bank_account_id``, an imputation's ``label_id``) are indexed but not
  enforced: the API may point at an item that is archived or gone.

The schema is versioned with ``PRAGMA user_version``: :data:`MIGRATIONS` ``[n]`` takes a
database from version ``n`` to ``n + 1``, each in the transaction that sets the version,
so a mirror made by an older release is brought up to date in place on its next sync, and
one made by a newer release is refused rather than damaged.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "TABLES", "SchemaError", "Table", "migrate"]


@dataclass(frozen=True)
class Table:
    """A mirrored table: its name, its columns in order, and the columns of its key."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]


_V1 = """
CREATE TABLE companies (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL, name TEXT, legal_form TEXT,
    siren TEXT, siret TEXT, intracom_vat_number TEXT, ape_code TEXT, activity TEXT,
    address TEXT, postal_code TEXT, city TEXT, country_code TEXT, share_capital TEXT,
    registration_date TEXT, vat_system TEXT, tax_regime TEXT
);
CREATE TABLE clients (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT, address TEXT, address_complement TEXT, postal_code TEXT, city TEXT,
    country_code TEXT, email TEXT, phone TEXT, siren TEXT, siret TEXT,
    intracom_vat_number TEXT, archived INTEGER, professional INTEGER, acronym TEXT,
    note TEXT, payment_status TEXT, balance_including_taxes TEXT,
    billed_including_taxes TEXT, billed_excluding_taxes TEXT
);
CREATE INDEX clients_company ON clients(company_id, name);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL,
    client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    firstname TEXT, lastname TEXT, email TEXT, phone TEXT, job TEXT,
    invoicing_use_email INTEGER
);
CREATE INDEX contacts_client ON contacts(client_id);
CREATE INDEX contacts_company ON contacts(company_id);
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id),
    client_id INTEGER, client_name TEXT, compiled_number TEXT, number INTEGER,
    emission_date TEXT, due_date TEXT, status TEXT, title TEXT, type TEXT,
    total_excluding_taxes TEXT, total_including_taxes TEXT, tags TEXT
);
CREATE INDEX invoices_company_date ON invoices(company_id, emission_date);
CREATE INDEX invoices_client ON invoices(client_id);
CREATE INDEX invoices_status ON invoices(company_id, status);
CREATE TABLE invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, company_id INTEGER NOT NULL, id INTEGER,
    description TEXT, quantity TEXT, unit_amount TEXT, line_amount TEXT, vat_type TEXT,
    invoicing_unit TEXT, invoicing_category_type TEXT, discount_amount TEXT,
    discount_percentage TEXT,
    PRIMARY KEY (invoice_id, position)
);
CREATE INDEX invoice_lines_company ON invoice_lines(company_id);
CREATE TABLE invoice_vat_totals (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    vat_type TEXT NOT NULL, company_id INTEGER NOT NULL, total_excluding_taxes TEXT,
    vat_amount TEXT,
    PRIMARY KEY (invoice_id, vat_type)
);
CREATE INDEX invoice_vat_totals_company ON invoice_vat_totals(company_id);
CREATE TABLE quotations (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id),
    client_id INTEGER, client_name TEXT, compiled_number TEXT, date TEXT, status TEXT,
    title TEXT, total_excluding_taxes TEXT, total_including_taxes TEXT,
    invoice_ids TEXT
);
CREATE INDEX quotations_company_date ON quotations(company_id, date);
CREATE TABLE quotation_lines (
    quotation_id INTEGER NOT NULL REFERENCES quotations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, company_id INTEGER NOT NULL, id INTEGER,
    description TEXT, quantity TEXT, unit_amount TEXT, line_amount TEXT, vat_type TEXT,
    invoicing_unit TEXT, invoicing_category_type TEXT, discount_amount TEXT,
    discount_percentage TEXT,
    PRIMARY KEY (quotation_id, position)
);
CREATE INDEX quotation_lines_company ON quotation_lines(company_id);
CREATE TABLE bank_accounts (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT, bank_name TEXT, iban TEXT, bic TEXT, enabled INTEGER, closed INTEGER,
    balance_amount TEXT, balance_currency TEXT, balance_date TEXT
);
CREATE INDEX bank_accounts_company ON bank_accounts(company_id);
CREATE TABLE transactions (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id),
    bank_account_id INTEGER, transaction_date TEXT, realization_date TEXT, wording TEXT,
    original_wording TEXT, amount TEXT, currency TEXT, operation_type TEXT, status TEXT,
    comment TEXT, tags TEXT, count_documents INTEGER, count_invoices INTEGER
);
CREATE INDEX transactions_company_date ON transactions(company_id, transaction_date);
CREATE INDEX transactions_account ON transactions(bank_account_id, transaction_date);
CREATE TABLE imputations (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL,
    transaction_id INTEGER NOT NULL REFERENCES transactions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, amount TEXT, label_id INTEGER, label_name TEXT,
    label_type TEXT, label_registry_type TEXT, count_documents INTEGER, comment TEXT
);
CREATE INDEX imputations_transaction ON imputations(transaction_id);
CREATE INDEX imputations_label ON imputations(company_id, label_id);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT, type TEXT, source TEXT, mime_type TEXT, created_at TEXT, date TEXT,
    amount TEXT, supplier_name TEXT, ocr_status TEXT, payment_status TEXT
);
CREATE INDEX documents_company_date ON documents(company_id, created_at);
CREATE TABLE expense_reports (
    id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT, status TEXT, total_amount TEXT, date TEXT, created_at TEXT
);
CREATE INDEX expense_reports_company ON expense_reports(company_id);
CREATE TABLE labels (
    id INTEGER NOT NULL, company_id INTEGER NOT NULL REFERENCES companies(id),
    name TEXT, type TEXT, registry_type TEXT, acronym TEXT, disabled INTEGER,
    sales INTEGER, client_id INTEGER,
    PRIMARY KEY (company_id, id)
);
CREATE TABLE tags (
    id INTEGER NOT NULL, company_id INTEGER NOT NULL REFERENCES companies(id), label TEXT,
    PRIMARY KEY (company_id, id)
);
CREATE TABLE sync_state (
    company_id INTEGER NOT NULL, resource TEXT NOT NULL, rows INTEGER NOT NULL,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (company_id, resource)
);

CREATE VIEW monthly_revenue AS
SELECT company_id, substr(emission_date, 1, 7) AS month, count(*) AS invoices,
       sum(CAST(round(CAST(total_excluding_taxes AS REAL) * 100) AS INTEGER))
           AS total_excluding_taxes_cents,
       sum(CAST(round(CAST(total_including_taxes AS REAL) * 100) AS INTEGER))
           AS total_including_taxes_cents
FROM invoices
WHERE status IN ('saved', 'sent', 'paid') AND emission_date IS NOT NULL
GROUP BY company_id, month;

CREATE VIEW unpaid_invoices AS
SELECT company_id, id, compiled_number, client_id, client_name, emission_date, due_date,
       status, total_including_taxes,
       CAST(round(CAST(total_including_taxes AS REAL) * 100) AS INTEGER)
           AS total_including_taxes_cents
FROM invoices
WHERE status IN ('saved', 'sent');

CREATE VIEW unimputed_transactions AS
SELECT t.company_id, t.id, t.bank_account_id, t.transaction_date, t.wording, t.amount,
       CAST(round(CAST(t.amount AS REAL) * 100) AS INTEGER) AS amount_cents
FROM transactions AS t
WHERE NOT EXISTS (SELECT 1 FROM imputations AS i WHERE i.transaction_id = t.id);
"""

# Version 2: the hash of a document's file (``tiime sync --files``; NULL: not fetched), and
# which sync of the company (1, 2, ...) read each client's contacts last (the rolling
# re-read of contacts: see tiime.sync.engine).
_V2 = """
ALTER TABLE documents ADD COLUMN file_sha256 TEXT;
CREATE INDEX documents_file ON documents(file_sha256);
CREATE TABLE contacts_read (
    client_id INTEGER PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL, run INTEGER NOT NULL
);
CREATE INDEX contacts_read_oldest ON contacts_read(company_id, run, client_id);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)

_LINE = (
    "company_id",
    "id",
    "description",
    "quantity",
    "unit_amount",
    "line_amount",
    "vat_type",
    "invoicing_unit",
    "invoicing_category_type",
    "discount_amount",
    "discount_percentage",
)

# The mirrored tables in the order a sync writes them (a parent before its children).
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "companies",
            (
                "id",
                "company_id",
                "name",
                "legal_form",
                "siren",
                "siret",
                "intracom_vat_number",
                "ape_code",
                "activity",
                "address",
                "postal_code",
                "city",
                "country_code",
                "share_capital",
                "registration_date",
                "vat_system",
                "tax_regime",
            ),
            ("id",),
        ),
        Table(
            "clients",
            (
                "id",
                "company_id",
                "name",
                "address",
                "address_complement",
                "postal_code",
                "city",
                "country_code",
                "email",
                "phone",
                "siren",
                "siret",
                "intracom_vat_number",
                "archived",
                "professional",
                "acronym",
                "note",
                "payment_status",
                "balance_including_taxes",
                "billed_including_taxes",
                "billed_excluding_taxes",
            ),
            ("id",),
        ),
        Table(
            "contacts",
            (
                "id",
                "company_id",
                "client_id",
                "firstname",
                "lastname",
                "email",
                "phone",
                "job",
                "invoicing_use_email",
            ),
            ("id",),
        ),
        Table(
            "invoices",
            (
                "id",
                "company_id",
                "client_id",
                "client_name",
                "compiled_number",
                "number",
                "emission_date",
                "due_date",
                "status",
                "title",
                "type",
                "total_excluding_taxes",
                "total_including_taxes",
                "tags",
            ),
            ("id",),
        ),
        Table("invoice_lines", ("invoice_id", "position", *_LINE), ("invoice_id", "position")),
        Table(
            "invoice_vat_totals",
            ("invoice_id", "vat_type", "company_id", "total_excluding_taxes", "vat_amount"),
            ("invoice_id", "vat_type"),
        ),
        Table(
            "quotations",
            (
                "id",
                "company_id",
                "client_id",
                "client_name",
                "compiled_number",
                "date",
                "status",
                "title",
                "total_excluding_taxes",
                "total_including_taxes",
                "invoice_ids",
            ),
            ("id",),
        ),
        Table(
            "quotation_lines", ("quotation_id", "position", *_LINE), ("quotation_id", "position")
        ),
        Table(
            "bank_accounts",
            (
                "id",
                "company_id",
                "name",
                "bank_name",
                "iban",
                "bic",
                "enabled",
                "closed",
                "balance_amount",
                "balance_currency",
                "balance_date",
            ),
            ("id",),
        ),
        Table(
            "transactions",
            (
                "id",
                "company_id",
                "bank_account_id",
                "transaction_date",
                "realization_date",
                "wording",
                "original_wording",
                "amount",
                "currency",
                "operation_type",
                "status",
                "comment",
                "tags",
                "count_documents",
                "count_invoices",
            ),
            ("id",),
        ),
        Table(
            "imputations",
            (
                "id",
                "company_id",
                "transaction_id",
                "position",
                "amount",
                "label_id",
                "label_name",
                "label_type",
                "label_registry_type",
                "count_documents",
                "comment",
            ),
            ("id",),
        ),
        Table(
            "documents",
            (
                "id",
                "company_id",
                "name",
                "type",
                "source",
                "mime_type",
                "created_at",
                "date",
                "amount",
                "supplier_name",
                "ocr_status",
                "payment_status",
                "file_sha256",
            ),
            ("id",),
        ),
        Table(
            "expense_reports",
            ("id", "company_id", "name", "status", "total_amount", "date", "created_at"),
            ("id",),
        ),
        Table(
            "labels",
            (
                "id",
                "company_id",
                "name",
                "type",
                "registry_type",
                "acronym",
                "disabled",
                "sales",
                "client_id",
            ),
            ("company_id", "id"),
        ),
        Table("tags", ("id", "company_id", "label"), ("company_id", "id")),
    )
}


class SchemaError(Exception):
    """The database was made by a newer release (or is no mirror)."""


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`, in place; returns the version found.

    Each step runs in one transaction with the ``user_version`` it sets: a step cut short
    (kill -9) leaves the database at the version before it, and the next run redoes it.
    """
    found: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise SchemaError(
            f"schema version {found} is newer than this release's ({SCHEMA_VERSION}): upgrade tiime"
        )
    if found == 0:
        names = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if names:
            raise SchemaError("the file is a database, but not a tiime mirror")
    for version in range(found, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return found


def _statements(script: str) -> list[str]:
    """A script's statements (``executescript`` would commit the open transaction)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
