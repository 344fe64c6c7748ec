"""The logged-in user: ``users/me``, their legal information and their company settings.

* ``GET /v1/users/me``: the token's user with the ``User`` fields (``id, firstname,
  lastname, email, phone, civility, status, roles, active_company, director,
  has_wallet_access, has_business_account, address {street, additional_information1,
  additional_information2, postal_code, city, country}, created_at, acronym``).
* ``GET /v1/users/me/legal_informations``: an object (the reference leaves it untyped).
* ``GET /v1/users/me/companies/{cid}/settings``: the user's settings in one of their
  companies, an object (untyped in the reference; 403/404 as for any company route).

The users table belongs to :mod:`.auth`; the profile lives in the side table
``user_profiles(user_id, phone, civility, status, roles (space-separated), director,
has_wallet_access, has_business_account, street, additional_information1,
additional_information2, postal_code, city, country_id, birth_date, birth_city,
nationality, created_at)``. A user without a profile row (added after seeding) is
rendered with empty profile fields.
"""

from __future__ import annotations

import random
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...types import User
from .. import demodata
from ..derive import acronym
from ..kernel import (
    Context,
    Database,
    Doc,
    Migration,
    Row,
    bearer_user,
    company_guard,
    insert_sql,
    route,
)
from .companies import country

__all__ = [
    "DEFAULT_SIZE",
    "MIGRATIONS",
    "NAME",
    "profile_user",
    "render_user",
    "routes",
    "seed",
]

NAME = "users"
DEFAULT_SIZE = 1

MIGRATIONS = [
    Migration(
        60,
        "user profiles",
        """
        CREATE TABLE user_profiles (
            user_id INTEGER PRIMARY KEY REFERENCES users(id),
            phone TEXT,
            civility TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            roles TEXT NOT NULL DEFAULT 'ROLE_USER',
            director INTEGER NOT NULL DEFAULT 0,
            has_wallet_access INTEGER NOT NULL DEFAULT 0,
            has_business_account INTEGER NOT NULL DEFAULT 0,
            street TEXT,
            additional_information1 TEXT,
            additional_information2 TEXT,
            postal_code TEXT,
            city TEXT,
            country_id INTEGER REFERENCES countries(id),
            birth_date TEXT,
            birth_city TEXT,
            nationality TEXT,
            created_at TEXT
        )
        """,
    )
]

_PROFILE_COLUMNS = (
    "user_id",
    "phone",
    "civility",
    "roles",
    "director",
    "has_wallet_access",
    "has_business_account",
    "street",
    "postal_code",
    "city",
    "country_id",
    "birth_date",
    "birth_city",
    "nationality",
    "created_at",
)


# -- queries ----------------------------------------------------------------------------


def profile_user(db: Database, user_id: int) -> Row | None:
    """The user (``users`` columns but the password hash) with the profile's columns
    (NULL without a profile) and ``active_company``, their first company; or None."""
    return db.one(
        "SELECT u.id, u.email, u.firstname, u.lastname, p.*, "
        "(SELECT MIN(company_id) FROM memberships m WHERE m.user_id = u.id) AS active_company "
        "FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = ?",
        (user_id,),
    )


# -- rendering --------------------------------------------------------------------------


def _address(db: Database, row: Row) -> dict[str, Any] | None:
    if row["street"] is None:
        return None
    found = None if row["country_id"] is None else country(db, row["country_id"])
    return {
        "street": row["street"],
        "additional_information1": row["additional_information1"],
        "additional_information2": row["additional_information2"],
        "postal_code": row["postal_code"],
        "city": row["city"],
        "country": None if found is None else dict(found),
    }


def render_user(db: Database, row: Row) -> dict[str, Any]:
    """A user as ``GET users/me`` returns it (``row`` from :func:`profile_user`)."""
    name = " ".join(part for part in (row["firstname"], row["lastname"]) if part)
    return {
        "id": row["id"],
        "firstname": row["firstname"],
        "lastname": row["lastname"],
        "email": row["email"],
        "phone": row["phone"],
        "civility": row["civility"],
        "status": row["status"] or "active",
        "roles": (row["roles"] or "ROLE_USER").split(),
        "active_company": row["active_company"],
        "director": bool(row["director"]),
        "has_wallet_access": bool(row["has_wallet_access"]),
        "has_business_account": bool(row["has_business_account"]),
        "address": _address(db, row),
        "created_at": row["created_at"],
        "acronym": acronym(name or row["email"]),
    }


def _legal_informations(row: Row) -> dict[str, Any]:
    return {
        "civility": row["civility"],
        "firstname": row["firstname"],
        "lastname": row["lastname"],
        "birth_date": row["birth_date"],
        "birth_city": row["birth_city"],
        "nationality": row["nationality"],
        "director": bool(row["director"]),
    }


def _settings(user_id: int, company_id: int) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "company_id": company_id,
        "locale": "fr",
        "timezone": "Europe/Paris",
        "email_notifications": True,
        "receipt_reminders": True,
        "invoice_payment_notifications": True,
        "weekly_summary": False,
    }


# -- routes -----------------------------------------------------------------------------


def _me(ctx: Context, request: Request) -> Row:
    found = profile_user(ctx.db, bearer_user(ctx, request).id)
    assert found is not None  # bearer_user checked that the user exists
    return found


async def me(ctx: Context, request: Request) -> Response:
    """``GET /v1/users/me``: the token's user."""
    return JSONResponse(render_user(ctx.db, _me(ctx, request)))


async def legal_informations(ctx: Context, request: Request) -> Response:
    """``GET /v1/users/me/legal_informations``: the user's identity as a director."""
    return JSONResponse(_legal_informations(_me(ctx, request)))


async def company_settings(ctx: Context, request: Request) -> Response:
    """``GET /v1/users/me/companies/{cid}/settings``: the user's settings there."""
    user, company = company_guard(ctx, request)
    return JSONResponse(_settings(user.id, company["id"]))


def routes(ctx: Context) -> list[Route]:
    """The three calls above."""
    return [
        route(ctx, "/v1/users/me", me, doc=Doc(answer=User)),
        route(
            ctx,
            "/v1/users/me/legal_informations",
            legal_informations,
            doc=Doc(answer=dict[str, Any]),
        ),
        route(
            ctx,
            "/v1/users/me/companies/{company_id:int}/settings",
            company_settings,
            doc=Doc(answer=dict[str, Any]),
        ),
    ]


def seed(db: Database, company_id: int, size: int) -> None:
    """Give each member of the company without a profile one (deterministic from the
    user's id; the first member is the director). ``size`` only says whether to."""
    members = db.all(
        "SELECT m.user_id FROM memberships m LEFT JOIN user_profiles p ON p.user_id = m.user_id "
        "WHERE m.company_id = ? AND p.user_id IS NULL ORDER BY m.user_id",
        (company_id,),
    )
    first = db.scalar("SELECT MIN(user_id) FROM memberships WHERE company_id = ?", (company_id,))
    rows = []
    for member in members:
        user_id = member["user_id"]
        rng = random.Random(user_id)  # noqa: S311 - demo data
        postal_code, city = rng.choice(demodata.FRENCH_CITIES)
        director = user_id == first
        rows.append(
            (
                user_id,
                demodata.phone(rng),
                rng.choice(("M.", "Mme")),
                "ROLE_USER ROLE_COMPANY_ADMIN" if director else "ROLE_USER",
                int(director),
                int(director),
                0,
                f"{rng.randint(1, 120)} {rng.choice(demodata.STREETS)}",
                postal_code,
                city,
                75,
                f"{rng.randint(1965, 1998)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(demodata.FRENCH_CITIES)[1],
                "française",
                "2023-09-04 10:12:00",
            )
        )
    with db.transaction() as conn:
        conn.executemany(insert_sql("user_profiles", _PROFILE_COLUMNS), rows)
