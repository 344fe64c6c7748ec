"""Accounting labels (standard and the company's own) and tags.

* ``GET /v1/companies/{cid}/labels``: the company's own labels, by ascending id, paged by
  Range; answered as ``application/vnd.tiime.labels.v2+json`` when asked for.
* ``GET /v1/companies/{cid}/standard_labels``: the standard labels (a French chart of
  accounts subset, the same for every company), by ascending id, paged by Range.
* ``GET /v1/companies/{cid}/tags``: the company's tags (``expand=tag_detail`` adds
  ``tag_detail: {id, label}``), by ascending id, paged by Range.

Tables (other modules may read them; columns are kept, new ones added by migrations):

* ``labels(id, company_id, name, label, acronym, color, type, registry_type, disabled,
  configuration_source, is_standard, sales, keywords, client_id, created_at)``:
  ``company_id`` is NULL for a standard label (``is_standard = 1``, seeded by the
  migration, ids from 1) and the owner for a company's own label (ids from 900001);
  ``name`` is the accounting name, ``label`` the displayed one; ``type`` one of
  ``expense``, ``income``, ``vat``, ``personal``, ``transfer``; ``registry_type``
  ``purchase``, ``sale``, ``bank`` or ``miscellaneous``; ``disabled``, ``is_standard``,
  ``sales`` 0/1; ``configuration_source`` ``standard`` or ``company``; ``keywords``
  space-separated lower-case words without accents ("sncf train billet") that suggest the
  label from a bank transaction's wording (:func:`suggest_labels`); ``client_id`` the
  client a sales label is for (or NULL).
* ``tags(id, company_id, label, created_at)``.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...types import Label, Tag
from ..derive import acronym, color_for, fold
from ..kernel import (
    JSON_TYPE,
    MAX_ID,
    Context,
    Database,
    Doc,
    Migration,
    Query,
    Row,
    accepts,
    company_guard,
    insert_sql,
    paged,
    route,
)

__all__ = [
    "DEFAULT_SIZE",
    "LABELS_V2",
    "MIGRATIONS",
    "NAME",
    "STANDARD_LABELS",
    "label",
    "rank_labels",
    "render_label",
    "render_tag",
    "routes",
    "seed",
    "suggest_labels",
    "suggestible_labels",
]

NAME = "labels"
DEFAULT_SIZE = 12
LABELS_V2 = "application/vnd.tiime.labels.v2+json"

# (name, type, registry_type, sales, keywords): the standard labels, ids 1.. in this order.
STANDARD_LABELS: tuple[tuple[str, str, str, int, str], ...] = (
    ("Achats de marchandises", "expense", "purchase", 0, "marchandises grossiste fournisseur"),
    ("Fournitures de bureau", "expense", "purchase", 0, "bureau vallee papeterie fournitures"),
    ("Petit matériel", "expense", "purchase", 0, "leroy merlin castorama boulanger darty"),
    ("Frais bancaires", "expense", "bank", 0, "frais commission cotisation carte agios"),
    ("Télécommunications", "expense", "purchase", 0, "orange sfr bouygues free telecom"),
    ("Transports et déplacements", "expense", "purchase", 0, "sncf train billet uber taxi ratp"),
    ("Carburant", "expense", "purchase", 0, "total carburant essence station esso shell"),
    ("Péages et parkings", "expense", "purchase", 0, "peage parking vinci sanef aprr indigo"),
    ("Hôtels", "expense", "purchase", 0, "hotel ibis novotel booking airbnb"),
    ("Repas d'affaires", "expense", "purchase", 0, "restaurant brasserie repas deliveroo"),
    ("Logiciels et abonnements", "expense", "purchase", 0, "google microsoft adobe ovh"),
    ("Honoraires", "expense", "purchase", 0, "honoraires avocat expert comptable notaire"),
    ("Loyer", "expense", "purchase", 0, "loyer bail sci location"),
    ("Assurances", "expense", "purchase", 0, "assurance axa maif allianz macif"),
    ("Publicité", "expense", "purchase", 0, "publicite facebook linkedin ads"),
    ("Frais postaux", "expense", "purchase", 0, "poste colissimo chronopost lettre"),
    ("Cotisations sociales", "expense", "miscellaneous", 0, "urssaf cotisations retraite"),
    ("Impôts et taxes", "expense", "miscellaneous", 0, "dgfip impots cfe taxe"),
    ("Ventes de prestations", "income", "sale", 1, "facture prestation reglement client"),
    ("Ventes de marchandises", "income", "sale", 1, "vente stripe sumup paypal"),
    ("TVA", "vat", "miscellaneous", 0, "tva"),
    ("Apport personnel", "personal", "bank", 0, "apport"),
    ("Prélèvement personnel", "personal", "bank", 0, "prelevement personnel retrait"),
    ("Virement interne", "transfer", "bank", 0, "virement interne compte epargne"),
)

# The demo company's own labels: (name, type, registry_type, sales, keywords).
_OWN_LABELS: tuple[tuple[str, str, str, int, str], ...] = (
    ("Matériel informatique", "expense", "purchase", 0, "ldlc apple materiel informatique"),
    ("Sous-traitance", "expense", "purchase", 0, "sous-traitance freelance malt"),
    ("Formation", "expense", "purchase", 0, "formation udemy cours"),
    ("Cadeaux clients", "expense", "purchase", 0, "cadeaux fleurs chocolats"),
    ("Documentation", "expense", "purchase", 0, "livres fnac amazon documentation"),
    ("Coworking", "expense", "purchase", 0, "coworking wework morning"),
    ("Hébergement web", "expense", "purchase", 0, "scaleway aws hebergement serveur"),
    ("Ventes formation", "income", "sale", 1, "formation session stagiaire"),
    ("Ventes licences", "income", "sale", 1, "licence abonnement"),
    ("Frais de représentation", "expense", "purchase", 0, "salon evenement billetterie"),
    ("Location de véhicule", "expense", "purchase", 0, "hertz europcar sixt ada"),
    ("Dons", "expense", "miscellaneous", 0, "don association"),
)

_TAGS: tuple[str, ...] = (
    "Projet Alpha",
    "Déplacement Lyon",
    "Salon 2024",
    "Client prioritaire",
    "À vérifier",
    "Remboursable",
)

_LABEL_COLUMNS = (
    "company_id",
    "name",
    "label",
    "acronym",
    "color",
    "type",
    "registry_type",
    "disabled",
    "configuration_source",
    "is_standard",
    "sales",
    "keywords",
    "client_id",
    "created_at",
)

# Seed rows carry a fixed date (seeding uses no clock).
_SEEDED_AT = "2024-01-08 09:00:00"


def _label_row(
    company_id: int | None, spec: tuple[str, str, str, int, str], *, disabled: int = 0
) -> tuple[Any, ...]:
    name, kind, registry, sales, keywords = spec
    return (
        company_id,
        name,
        name,
        acronym(name),
        color_for(name),
        kind,
        registry,
        disabled,
        "standard" if company_id is None else "company",
        1 if company_id is None else 0,
        sales,
        " ".join(fold(word) for word in keywords.split()),
        None,
        _SEEDED_AT,
    )


def _create_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE labels (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER REFERENCES companies(id),
            name TEXT NOT NULL,
            label TEXT,
            acronym TEXT,
            color TEXT,
            type TEXT,
            registry_type TEXT,
            disabled INTEGER NOT NULL DEFAULT 0,
            configuration_source TEXT,
            is_standard INTEGER NOT NULL DEFAULT 0,
            sales INTEGER NOT NULL DEFAULT 0,
            keywords TEXT NOT NULL DEFAULT '',
            client_id INTEGER REFERENCES clients(id),
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX labels_by_company ON labels (company_id, id)")
    conn.execute(
        """
        CREATE TABLE tags (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            company_id INTEGER NOT NULL REFERENCES companies(id),
            label TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX tags_by_company ON tags (company_id, id)")
    conn.executemany(
        insert_sql("labels", _LABEL_COLUMNS), [_label_row(None, spec) for spec in STANDARD_LABELS]
    )
    # A company's own labels and tags get ids apart from the standard ones.
    conn.execute(
        "UPDATE sqlite_sequence SET seq = 900000 WHERE name = 'labels'",
    )
    conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('tags', 4000)")


MIGRATIONS = [Migration(50, "labels (standard ones included) and tags", _create_tables)]


# -- queries ----------------------------------------------------------------------------


def label(db: Database, company_id: int, label_id: int) -> Row | None:
    """The label of that id that the company may use (a standard one or its own), or None."""
    if not 0 <= label_id <= MAX_ID:
        return None
    return db.one(
        "SELECT * FROM labels WHERE id = ? AND (company_id IS NULL OR company_id = ?)",
        (label_id, company_id),
    )


def suggest_labels(db: Database, company_id: int, wording: str, limit: int = 3) -> list[Row]:
    """The enabled labels (the company's own first, then standard) sharing the most
    keywords with ``wording`` (compared folded, word by word), best first, at most
    ``limit``; none when no keyword matches."""
    return rank_labels(suggestible_labels(db, company_id), wording, limit)


def suggestible_labels(db: Database, company_id: int) -> list[Row]:
    """The labels :func:`suggest_labels` chooses from, in its order of preference (read
    once by a caller that ranks many wordings with :func:`rank_labels`)."""
    return db.all(
        "SELECT * FROM labels WHERE (company_id IS NULL OR company_id = ?) AND disabled = 0 "
        "AND keywords != '' ORDER BY is_standard, id",
        (company_id,),
    )


def rank_labels(candidates: list[Row], wording: str, limit: int = 3) -> list[Row]:
    """The ``candidates`` sharing the most keywords with ``wording``, best first (ties in
    the candidates' order), at most ``limit``."""
    words = set(fold(wording).replace("-", " ").replace("*", " ").split())
    scored = [(len(words & set(row["keywords"].split())), row) for row in candidates]
    ranked = sorted((pair for pair in scored if pair[0]), key=lambda pair: -pair[0])
    return [row for _, row in ranked[:limit]]


def _count(db: Database, table: str, company_id: int | None) -> int:
    if company_id is None:
        return int(db.scalar("SELECT COUNT(*) FROM labels WHERE company_id IS NULL"))
    return int(db.scalar(f"SELECT COUNT(*) FROM {table} WHERE company_id = ?", (company_id,)))  # noqa: S608


def _window(
    db: Database, table: str, company_id: int | None, offset: int, limit: int | None
) -> list[Row]:
    where = "company_id IS NULL" if company_id is None else "company_id = ?"
    params: Sequence[Any] = () if company_id is None else (company_id,)
    return db.all(
        f"SELECT * FROM {table} WHERE {where} ORDER BY id LIMIT ? OFFSET ?",  # noqa: S608
        (*params, -1 if limit is None else limit, offset),
    )


# -- rendering --------------------------------------------------------------------------


def render_label(row: Row, client_name: str | None = None) -> dict[str, Any]:
    """A label as the labels lists and imputations carry it."""
    client = None if row["client_id"] is None else {"id": row["client_id"], "name": client_name}
    return {
        "id": row["id"],
        "name": row["name"],
        "label": row["label"],
        "acronym": row["acronym"],
        "color": row["color"],
        "client": client,
        "disabled": bool(row["disabled"]),
        "invoice_client": row["client_id"] is not None,
        "is_standard": bool(row["is_standard"]),
        "sales": bool(row["sales"]),
        "type": row["type"],
        "registry_type": row["registry_type"],
        "configuration_source": row["configuration_source"],
    }


def render_tag(row: Row, *, detail: bool = False) -> dict[str, Any]:
    """A tag ``{id, label}``, with ``tag_detail: {id, label}`` when asked for."""
    tag: dict[str, Any] = {"id": row["id"], "label": row["label"]}
    if detail:
        tag["tag_detail"] = {"id": row["id"], "label": row["label"]}
    return tag


# -- routes -----------------------------------------------------------------------------


async def list_labels(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/labels``: the company's own labels (labels v2 if asked)."""
    _, company = company_guard(ctx, request)
    cid = company["id"]
    return paged(
        ctx,
        request,
        lambda: _count(ctx.db, "labels", cid),
        lambda offset, limit: [
            render_label(row) for row in _window(ctx.db, "labels", cid, offset, limit)
        ],
        LABELS_V2 if accepts(request, LABELS_V2) else JSON_TYPE,
    )


async def list_standard_labels(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/standard_labels``: the standard labels."""
    company_guard(ctx, request)
    return paged(
        ctx,
        request,
        lambda: _count(ctx.db, "labels", None),
        lambda offset, limit: [
            render_label(row) for row in _window(ctx.db, "labels", None, offset, limit)
        ],
    )


async def list_tags(ctx: Context, request: Request) -> Response:
    """``GET /v1/companies/{cid}/tags``: the company's tags (``expand=tag_detail``)."""
    _, company = company_guard(ctx, request)
    cid = company["id"]
    expand = {part.strip() for part in request.query_params.get("expand", "").split(",")}
    detail = "tag_detail" in expand
    return paged(
        ctx,
        request,
        lambda: _count(ctx.db, "tags", cid),
        lambda offset, limit: [
            render_tag(row, detail=detail) for row in _window(ctx.db, "tags", cid, offset, limit)
        ],
    )


def routes(ctx: Context) -> list[Route]:
    """The three lists above."""
    base = "/v1/companies/{company_id:int}"
    return [
        route(
            ctx,
            f"{base}/labels",
            list_labels,
            doc=Doc(answer=list[Label], paged=True, media_types=(LABELS_V2,)),
        ),
        route(
            ctx,
            f"{base}/standard_labels",
            list_standard_labels,
            doc=Doc(answer=list[Label], paged=True),
        ),
        route(
            ctx,
            f"{base}/tags",
            list_tags,
            doc=Doc(
                answer=list[Tag],
                paged=True,
                query=(Query("expand", "tag_detail adds each tag's detail."),),
            ),
        ),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Bring the company to ``size`` own labels (the curated ones first, then numbered
    ones; about one in ten generated ones disabled) and to all of its curated tags."""
    have = _count(db, "labels", company_id)
    rng = random.Random(company_id)  # noqa: S311 - demo data
    rows = []
    for position in range(size):
        if position < len(_OWN_LABELS):
            spec, disabled = _OWN_LABELS[position], 0
        else:
            number = position - len(_OWN_LABELS) + 1
            spec = (f"Compte analytique {number}", "expense", "purchase", 0, "")
            disabled = int(rng.random() < 0.1)
        if position >= have:
            rows.append(_label_row(company_id, spec, disabled=disabled))
    tags_have = _count(db, "tags", company_id)
    with db.transaction() as conn:
        conn.executemany(insert_sql("labels", _LABEL_COLUMNS), rows)
        conn.executemany(
            "INSERT INTO tags (company_id, label, created_at) VALUES (?, ?, ?)",
            [(company_id, name, _SEEDED_AT) for name in _TAGS[tags_have:]],
        )
