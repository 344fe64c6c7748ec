"""Clients and their contacts: tables, queries, validation, rendering, routes and seed.

* ``GET /v1/companies/{cid}/clients``: list (``archived=true|false``) and search
  (``search=TEXT``), by ascending id, paged by Range; the timeline v2 media type when asked.
* ``POST /v1/companies/{cid}/clients``: create from a JSON object, 201 with the client.
* ``GET /v1/companies/{cid}/clients/{id}``: one client; ``.../contacts``: its contacts.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import Client, Contact
from .. import demodata
from ..derive import (
    acronym,
    color_for,
    fold,
    intracom_vat_number,
    is_valid_siren_or_siret,
    slugify,
    split_siren_or_siret,
)
from ..kernel import (
    JSON_TYPE,
    MAX_ID,
    ApiError,
    Context,
    Database,
    Doc,
    FieldErrors,
    Migration,
    Query,
    Row,
    accepts,
    company_guard,
    flag,
    insert_sql,
    json_object,
    now_text,
    paged,
    route,
)
from ..shapes import ClientCreate
from .companies import country, render_country

__all__ = [
    "CLIENT_COLUMNS",
    "DEFAULT_SIZE",
    "MIGRATIONS",
    "NAME",
    "TIMELINE_V2",
    "ClientInput",
    "client",
    "clients",
    "count_clients",
    "insert_client",
    "render_client",
    "routes",
    "seed",
    "validate_client_create",
]

NAME = "clients"
DEFAULT_SIZE = 36
TIMELINE_V2 = "application/vnd.tiime.timeline.v2+json"

MIGRATIONS = [
    Migration(
        4,
        "clients and their contacts",
        """
        CREATE TABLE clients (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            name TEXT NOT NULL,
            name_folded TEXT NOT NULL,
            slug TEXT NOT NULL,
            address TEXT,
            address_complement TEXT,
            postal_code TEXT,
            city TEXT,
            country_id INTEGER REFERENCES countries(id),
            email TEXT,
            phone TEXT,
            siren_or_siret TEXT,
            siret TEXT,
            siren TEXT,
            archived INTEGER NOT NULL DEFAULT 0,
            archived_at TEXT,
            professional INTEGER NOT NULL DEFAULT 0,
            color TEXT NOT NULL,
            acronym TEXT NOT NULL,
            note TEXT,
            bic TEXT,
            iban TEXT,
            invoicing_use_email INTEGER NOT NULL DEFAULT 0,
            payment_status TEXT,
            balance_cents INTEGER NOT NULL DEFAULT 0,
            billed_including_cents INTEGER NOT NULL DEFAULT 0,
            billed_excluding_cents INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX clients_by_company ON clients (company_id, archived, id);
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            client_id INTEGER NOT NULL REFERENCES clients(id),
            firstname TEXT,
            lastname TEXT,
            email TEXT,
            phone TEXT,
            job TEXT,
            invoicing_use_email INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX contacts_by_client ON contacts (client_id, id);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('clients', 100100);
        INSERT INTO sqlite_sequence (name, seq) VALUES ('contacts', 7000)
        """,
    )
]

CLIENT_COLUMNS: tuple[str, ...] = (
    "company_id",
    "name",
    "name_folded",
    "slug",
    "address",
    "address_complement",
    "postal_code",
    "city",
    "country_id",
    "email",
    "phone",
    "siren_or_siret",
    "siret",
    "siren",
    "archived",
    "archived_at",
    "professional",
    "color",
    "acronym",
    "note",
    "bic",
    "iban",
    "invoicing_use_email",
    "payment_status",
    "balance_cents",
    "billed_including_cents",
    "billed_excluding_cents",
    "created_at",
)
CONTACT_COLUMNS: tuple[str, ...] = (
    "client_id",
    "firstname",
    "lastname",
    "email",
    "phone",
    "job",
    "invoicing_use_email",
)
_CLIENT_SELECT = (
    "SELECT cl.*, co.name AS country_name, co.code AS country_code "
    "FROM clients cl LEFT JOIN countries co ON co.id = cl.country_id"
)


# -- queries ----------------------------------------------------------------------------


def _client_filter(
    company_id: int, archived: bool | None, search: str | None
) -> tuple[str, list[Any]]:
    where = ["cl.company_id = ?"]
    params: list[Any] = [company_id]
    if archived is not None:
        where.append("cl.archived = ?")
        params.append(int(archived))
    folded = fold(search) if search else ""
    if folded:
        where.append("instr(cl.name_folded, ?) > 0")
        params.append(folded)
    return " WHERE " + " AND ".join(where), params


def count_clients(
    db: Database, company_id: int, *, archived: bool | None = None, search: str | None = None
) -> int:
    """How many clients of the company match the filters."""
    where, params = _client_filter(company_id, archived, search)
    sql = "SELECT COUNT(*) FROM clients cl" + where  # noqa: S608 - fixed fragments
    return int(db.scalar(sql, params))


def clients(
    db: Database,
    company_id: int,
    *,
    archived: bool | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[Row]:
    """The company's clients matching the filters, by ascending id, one window of them.

    ``search`` matches a part of the name, ignoring case and accents.
    """
    where, params = _client_filter(company_id, archived, search)
    return db.all(
        _CLIENT_SELECT + where + " ORDER BY cl.id LIMIT ? OFFSET ?",
        [*params, -1 if limit is None else limit, offset],
    )


def client(db: Database, company_id: int, client_id: int) -> Row | None:
    """The client of that id if it belongs to the company, else None."""
    if not 0 <= client_id <= MAX_ID:
        return None
    return db.one(
        _CLIENT_SELECT + " WHERE cl.company_id = ? AND cl.id = ?", (company_id, client_id)
    )


def insert_client(db: Database, values: Mapping[str, Any]) -> int:
    """Insert one client (keys among :data:`CLIENT_COLUMNS`); returns its id."""
    row = _complete_client(values)
    with db.transaction() as conn:
        cursor = conn.execute(insert_sql("clients", CLIENT_COLUMNS), row)
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _insert_clients(
    db: Database, rows: Sequence[Mapping[str, Any]], contacts: Mapping[int, Sequence[Row]]
) -> None:
    """Insert many clients in one transaction; ``contacts`` maps a client's position in
    ``rows`` to its contacts."""
    completed = [_complete_client(values) for values in rows]
    with db.transaction() as conn:
        first = int(
            conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'clients'").fetchone()[0]
        )
        ids = list(range(first + 1, first + 1 + len(completed)))
        conn.executemany(
            insert_sql("clients", ("id", *CLIENT_COLUMNS)),
            [(client_id, *row) for client_id, row in zip(ids, completed, strict=True)],
        )
        contact_rows = [
            tuple(
                ids[position] if column == "client_id" else contact.get(column)
                for column in CONTACT_COLUMNS
            )
            for position, items in sorted(contacts.items())
            for contact in items
        ]
        conn.executemany(insert_sql("contacts", CONTACT_COLUMNS), contact_rows)


def _complete_client(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """A client row in :data:`CLIENT_COLUMNS` order, with the folded name and defaults."""
    row = dict(values)
    row["name_folded"] = fold(row["name"])
    row.setdefault("created_at", now_text())
    for column in ("archived", "professional", "invoicing_use_email"):
        row[column] = int(bool(row.get(column)))
    for amount in ("balance_cents", "billed_including_cents", "billed_excluding_cents"):
        row[amount] = int(row.get(amount) or 0)
    return tuple(row.get(column) for column in CLIENT_COLUMNS)


def _count_contacts(db: Database, client_id: int) -> int:
    return int(db.scalar("SELECT COUNT(*) FROM contacts WHERE client_id = ?", (client_id,)))


def _contacts_of(db: Database, client_id: int, offset: int, limit: int | None) -> list[Row]:
    return db.all(
        "SELECT * FROM contacts WHERE client_id = ? ORDER BY id LIMIT ? OFFSET ?",
        (client_id, -1 if limit is None else limit, offset),
    )


# -- validation -------------------------------------------------------------------------

MAX_LENGTH = 255
DEFAULT_COUNTRY_ID = 75
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_OPTIONAL_TEXT = ("email", "phone", "address", "postal_code", "city", "siren_or_siret")


@dataclass(frozen=True)
class ClientInput:
    """The accepted fields of a new client, cleaned (blank optional texts become None)."""

    name: str
    email: str | None
    phone: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    country_id: int
    siren_or_siret: str | None
    professional: bool


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError
    value = value.strip()
    return value or None


def validate_client_create(
    body: dict[str, Any], country_exists: Callable[[int], bool]
) -> ClientInput:
    """The client to create from a JSON object; unknown fields are ignored.

    Raises :class:`FieldErrors` (a 422) naming each invalid field.
    """
    errors: dict[str, str] = {}
    texts: dict[str, str | None] = {}

    raw_name = body.get("name")
    if raw_name is None:
        errors["name"] = "Ce champ est obligatoire."
    elif not isinstance(raw_name, str):
        errors["name"] = "Cette valeur doit être une chaîne de caractères."
    elif not raw_name.strip():
        errors["name"] = "Cette valeur ne doit pas être vide."
    elif len(raw_name.strip()) > MAX_LENGTH:
        errors["name"] = f"Cette valeur est trop longue ({MAX_LENGTH} caractères au plus)."

    for field in _OPTIONAL_TEXT:
        try:
            texts[field] = _text(body.get(field))
        except TypeError:
            errors[field] = "Cette valeur doit être une chaîne de caractères."
            continue
        value = texts[field]
        if value is not None and len(value) > MAX_LENGTH:
            errors[field] = f"Cette valeur est trop longue ({MAX_LENGTH} caractères au plus)."

    email = texts.get("email")
    if "email" not in errors and email is not None and not _EMAIL.fullmatch(email):
        errors["email"] = "Cette valeur n'est pas une adresse e-mail valide."

    identifier = texts.get("siren_or_siret")
    if "siren_or_siret" not in errors and identifier is not None:
        identifier = re.sub(r"[\s.]", "", identifier)
        texts["siren_or_siret"] = identifier
        if not is_valid_siren_or_siret(identifier):
            errors["siren_or_siret"] = (
                "Cette valeur n'est ni un SIREN (9 chiffres) ni un SIRET (14 chiffres) valide."
            )

    country_id = body.get("country_id")
    if country_id is None:
        country_id = DEFAULT_COUNTRY_ID
    elif isinstance(country_id, bool) or not isinstance(country_id, int):
        errors["country_id"] = "Cette valeur doit être un entier."
    elif not country_exists(country_id):
        errors["country_id"] = f"Pays inconnu : {country_id}."

    professional = body.get("professional")
    if professional is None:
        professional = identifier is not None
    elif not isinstance(professional, bool):
        errors["professional"] = "Cette valeur doit être un booléen (true ou false)."

    if errors:
        raise FieldErrors(errors)
    assert isinstance(raw_name, str)
    return ClientInput(
        name=raw_name.strip(),
        email=texts["email"],
        phone=texts["phone"],
        address=texts["address"],
        postal_code=texts["postal_code"],
        city=texts["city"],
        country_id=int(country_id),
        siren_or_siret=texts["siren_or_siret"],
        professional=bool(professional),
    )


# -- rendering --------------------------------------------------------------------------


def render_client(row: Row, *, listing: bool = False) -> dict[str, Any]:
    """A client as the API returns it; ``listing`` adds the list answer's payment fields."""
    rendered: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "address": row["address"],
        "address_complement": row["address_complement"],
        "postal_code": row["postal_code"],
        "city": row["city"],
        "country": render_country(row),
        "country_code": row["country_code"],
        "email": row["email"],
        "phone": row["phone"],
        "siren_or_siret": row["siren_or_siret"],
        "siret": row["siret"],
        "siren": row["siren"],
        "intracom_vat_number": intracom_vat_number(row["siren"]),
        "archived": bool(row["archived"]),
        "archived_at": row["archived_at"],
        "professional": bool(row["professional"]),
        "color": row["color"],
        "acronym": row["acronym"],
        "note": row["note"],
        "bic": row["bic"],
        "iban": row["iban"],
        "invoicing_use_email": bool(row["invoicing_use_email"]),
    }
    if listing:
        rendered["payment_status"] = row["payment_status"]
        rendered["balance_including_taxes"] = round(row["balance_cents"] / 100, 2)
        rendered["billed_including_taxes"] = round(row["billed_including_cents"] / 100, 2)
        rendered["billed_excluding_taxes"] = round(row["billed_excluding_cents"] / 100, 2)
    return rendered


def _render_contact(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "firstname": row["firstname"],
        "lastname": row["lastname"],
        "email": row["email"],
        "phone": row["phone"],
        "job": row["job"],
        "invoicing_use_email": bool(row["invoicing_use_email"]),
    }


# -- routes -----------------------------------------------------------------------------


async def list_clients(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/clients``: list (``archived=true|false``) and search
    (``search=TEXT``, part of the name, ignoring case and accents), by ascending id,
    paged by Range; ``application/vnd.tiime.timeline.v2+json`` when asked for."""
    _, company = company_guard(ctx, request)
    archived_param = request.query_params.get("archived")
    archived: bool | None = None
    if archived_param is not None:
        if archived_param not in ("true", "false"):
            raise ApiError(400, f"archived : valeur invalide {archived_param!r} (true ou false).")
        archived = archived_param == "true"
    search = request.query_params.get("search")
    return paged(
        ctx,
        request,
        lambda: count_clients(ctx.db, company["id"], archived=archived, search=search),
        lambda offset, limit: [
            render_client(row, listing=True)
            for row in clients(
                ctx.db, company["id"], archived=archived, search=search, offset=offset, limit=limit
            )
        ],
        TIMELINE_V2 if accepts(request, TIMELINE_V2) else JSON_TYPE,
    )


async def create_client(ctx: Context, request: Request) -> Response:
    """``POST /v1/companies/{cid}/clients``: create a client from a JSON object; 201 with
    it and its ``Location``; 400 when the body is not a JSON object, 422 naming each
    invalid field."""
    _, company = company_guard(ctx, request)
    body = await json_object(request)
    data = validate_client_create(body, lambda country_id: country(ctx.db, country_id) is not None)
    siret, siren = split_siren_or_siret(data.siren_or_siret)
    client_id = insert_client(
        ctx.db,
        {
            "company_id": company["id"],
            "name": data.name,
            "slug": slugify(data.name),
            "address": data.address,
            "postal_code": data.postal_code,
            "city": data.city,
            "country_id": data.country_id,
            "email": data.email,
            "phone": data.phone,
            "siren_or_siret": data.siren_or_siret,
            "siret": siret,
            "siren": siren,
            "professional": data.professional,
            "color": color_for(data.name),
            "acronym": acronym(data.name),
        },
    )
    row = client(ctx.db, company["id"], client_id)
    assert row is not None
    return JSONResponse(
        render_client(row),
        status_code=201,
        headers={"Location": f"/v1/companies/{company['id']}/clients/{client_id}"},
    )


def _client_of_path(ctx: Context, request: Request) -> Row:
    """The client of the path within the path's company; 404 otherwise."""
    _, company = company_guard(ctx, request)
    found = client(ctx.db, company["id"], request.path_params["client_id"])
    if found is None:
        raise ApiError(404, "Client introuvable")
    return found


async def get_client(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/clients/{id}``: one client; 404 "Client introuvable"."""
    return JSONResponse(render_client(_client_of_path(ctx, request)))


async def list_contacts(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/clients/{id}/contacts``: the client's contacts, by Range."""
    found = _client_of_path(ctx, request)
    return paged(
        ctx,
        request,
        lambda: _count_contacts(ctx.db, found["id"]),
        lambda offset, limit: [
            _render_contact(row) for row in _contacts_of(ctx.db, found["id"], offset, limit)
        ],
    )


def routes(ctx: Context) -> list[Route]:
    """The clients' and contacts' routes."""
    base = "/v1/companies/{company_id:int}/clients"
    return [
        route(
            ctx,
            base,
            list_clients,
            doc=Doc(
                answer=list[Client],
                paged=True,
                media_types=(TIMELINE_V2,),
                query=(
                    flag("archived", "Only the archived clients (true) or the others (false)."),
                    Query("search", "Part of the name (case and accents ignored)."),
                ),
            ),
        ),
        route(
            ctx,
            base,
            create_client,
            ["POST"],
            doc=Doc(answer=Client, status=201, body=ClientCreate, location=True),
        ),
        route(ctx, base + "/{client_id:int}", get_client, doc=Doc(answer=Client)),
        route(
            ctx,
            base + "/{client_id:int}/contacts",
            list_contacts,
            doc=Doc(answer=list[Contact], paged=True),
        ),
    ]


# -- seed -------------------------------------------------------------------------------

# (name, professional, country id); the curated clients come first, in this order.
_CURATED: tuple[tuple[str, bool, int], ...] = (
    ("Société Générale de Plomberie", True, 75),
    ("Boulangerie Hélène", True, 75),
    ("Café des Arts", True, 75),
    ("Hélène Dubois", False, 75),
    ("Atelier Lumière & Fils", True, 75),
    ("Éditions du Rivage", True, 75),
    ("Jérôme Lefèvre", False, 75),
    ("Garage Lefèvre", True, 75),
    ("Château de Beaulieu", True, 75),
    ("Crèmerie Française", True, 75),
    ("Amélie Girard", False, 75),
    ("Pâtisserie Gâteau d'Été", True, 75),
    ("Cabinet Bérénice Avocats", True, 75),
    ("L'Œuf et la Poule", True, 75),
    ("François Müller", False, 75),
    ("Menuiserie Noël", True, 75),
    ("Agence Nœud Digital", True, 75),
    ("Brasserie du Mont-Blanc", True, 75),
    ("Chloé Bernard", False, 75),
    ("Fromagerie Saint-Honoré", True, 75),
    ("Électricité Générale Dubois", True, 75),
    ("Librairie À la Page", True, 75),
    ("Maël Le Goff", False, 75),
    ("Hôtel du Lac", True, 75),
    ("Épicerie Fine Léonie", True, 75),
    ("Chocolaterie Bruxelloise", True, 21),
    ("Noémie Faure", False, 75),
    ("Transports Mégane", True, 75),
    ("Cidrerie de Normandie", True, 75),
    ("Horlogerie Genevoise", True, 41),
    ("Loïc Hervé", False, 75),
    ("Studio Graphique Zoé", True, 75),
    ("Coopérative Agricole de l'Aube", True, 75),
    ("Agnès Rousseau", False, 75),
    ("Société Nouvelle des Eaux", True, 75),
    ("Benoît Mercier", False, 75),
)
_FOREIGN_CITIES: dict[int, tuple[str, str]] = {21: ("1000", "Bruxelles"), 41: ("1204", "Genève")}
_PAYMENT_STATUSES: tuple[str | None, ...] = ("paid", "paid", "late", "pending", None)


def _generated_name(rng: random.Random) -> tuple[str, bool, int]:
    if rng.random() < 0.3:
        return f"{rng.choice(demodata.FIRSTNAMES)} {rng.choice(demodata.LASTNAMES)}", False, 75
    name = f"{rng.choice(demodata.TRADES)} {rng.choice(demodata.LASTNAMES)}"
    if rng.random() < 0.15:
        name += " & Fils"
    return name, True, 75


def _client(
    rng: random.Random, company_id: int, spec: tuple[str, bool, int], base_date: datetime
) -> dict[str, Any]:
    name, professional, country_id = spec
    postal_code, city = _FOREIGN_CITIES.get(country_id) or rng.choice(demodata.FRENCH_CITIES)
    siret = demodata.siret(rng) if professional and country_id == 75 else None
    if professional:
        email: str | None = f"contact@{slugify(name)}.example"
    else:
        email = f"{demodata.email_local(name)}@example.fr"
    if rng.random() < 0.2:
        email = None
    archived = rng.random() < 0.17
    created = base_date + timedelta(days=rng.randint(0, 400), seconds=rng.randint(0, 86399))
    archived_at = created + timedelta(days=rng.randint(1, 200), seconds=rng.randint(0, 86399))
    status = rng.choice(_PAYMENT_STATUSES)
    billed_excl = rng.randint(5_000, 2_500_000) if status else 0
    billed_incl = billed_excl * 6 // 5
    balance = 0 if status in ("paid", None) else rng.randint(1, billed_incl)
    iban, bic = demodata.iban(rng) if professional and rng.random() < 0.2 else (None, None)
    return {
        "company_id": company_id,
        "name": name,
        "slug": slugify(name),
        "address": f"{rng.randint(1, 120)} {rng.choice(demodata.STREETS)}",
        "address_complement": rng.choice((None, None, None, "Bâtiment B", "2e étage")),
        "postal_code": postal_code,
        "city": city,
        "country_id": country_id,
        "email": email,
        "phone": demodata.phone(rng) if rng.random() < 0.7 else None,
        "siren_or_siret": siret,
        "siret": siret,
        "siren": siret[:9] if siret else None,
        "archived": archived,
        "archived_at": archived_at.strftime("%Y-%m-%d %H:%M:%S") if archived else None,
        "professional": professional,
        "color": color_for(name),
        "acronym": acronym(name),
        "note": "Client historique." if rng.random() < 0.1 else None,
        "bic": bic,
        "iban": iban,
        "invoicing_use_email": email is not None and rng.random() < 0.5,
        "payment_status": status,
        "balance_cents": balance,
        "billed_including_cents": billed_incl,
        "billed_excluding_cents": billed_excl,
        "created_at": created.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _contacts(rng: random.Random, client: dict[str, Any]) -> list[Row]:
    domain = f"{slugify(client['name'])}.example"
    _local = demodata.email_local
    contacts: list[Row] = []
    for _ in range(rng.randint(1, 3)):
        firstname, lastname = rng.choice(demodata.FIRSTNAMES), rng.choice(demodata.LASTNAMES)
        contacts.append(
            {
                "firstname": firstname,
                "lastname": lastname,
                "email": f"{_local(firstname)}.{_local(lastname)}@{domain}",
                "phone": demodata.phone(rng) if rng.random() < 0.6 else None,
                "job": rng.choice(demodata.JOBS),
                "invoicing_use_email": rng.random() < 0.4,
            }
        )
    return contacts


def seed(db: Database, company_id: int, size: int) -> None:
    """Bring the company to ``size`` clients (nothing when it has that many already):
    the curated ones first, then deterministic generated ones (seeded by the company's
    id), with contacts for about a quarter of the professional ones."""
    existing = count_clients(db, company_id)
    if size <= existing:
        return
    rng = random.Random(company_id)  # noqa: S311 - demo data
    base_date = datetime(2024, 1, 8, 9, 0, 0)
    rows: list[dict[str, Any]] = []
    contacts: dict[int, list[Row]] = {}
    # Generated from the first position, so that topping up gives the same data as
    # seeding that many at once; the first ``existing`` are then left out.
    for position in range(size):
        spec = _CURATED[position] if position < len(_CURATED) else _generated_name(rng)
        row = _client(rng, company_id, spec, base_date)
        with_contacts = row["professional"] and (position < 3 or rng.random() < 0.25)
        if position >= existing:
            rows.append(row)
            if with_contacts:
                contacts[position - existing] = _contacts(rng, row)
        elif with_contacts:
            _contacts(rng, row)  # keep the random sequence that of a full seed
    _insert_clients(db, rows, contacts)
