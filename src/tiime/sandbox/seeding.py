"""Seed profiles: the demo user, their company and each resource's demo data.

A profile gives each resource (by its ``NAME``) how many items to seed per company:
``demo`` is every resource's ``DEFAULT_SIZE`` (36 clients...), ``empty`` is the demo
login and company with nothing in it. ``sizes`` override a profile per resource
(``{"clients": 20000}``). Everything is deterministic, so two fresh sandboxes hold the
same data; seeding an existing database tops each resource up to the given size.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ..i18n import N_
from . import demodata
from .kernel import Database, SandboxError
from .resources import RESOURCES, auth, companies

__all__ = [
    "DEMO_COMPANY_ID",
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "PROFILES",
    "DemoAccount",
    "create_account",
    "demo_account",
    "profile_sizes",
    "seed_company",
    "seed_database",
]

DEMO_EMAIL = "demo@tiime.test"
# Not a secret: the sandbox's demo login, printed on start and written in the docs.
DEMO_PASSWORD = "sandbox-demo"
DEMO_COMPANY_ID = 12345
PROFILES = ("demo", "empty")


@dataclass(frozen=True)
class DemoAccount:
    """The login of the demo user and the id of their company."""

    email: str
    password: str
    company_id: int


def profile_sizes(profile: str = "demo", sizes: Mapping[str, int] | None = None) -> dict[str, int]:
    """How many items of each resource a profile seeds, with ``sizes`` applied.

    Raises :class:`SandboxError` for an unknown profile or resource, or a negative size.
    """
    if profile not in PROFILES:
        raise SandboxError(
            N_("unknown seed profile {profile!r} (known: {known})"),
            profile=profile,
            known=", ".join(PROFILES),
        )
    result = {r.NAME: r.DEFAULT_SIZE if profile == "demo" else 0 for r in RESOURCES}
    for name, size in (sizes or {}).items():
        seedable = sorted(r.NAME for r in RESOURCES if r.DEFAULT_SIZE)
        if name not in seedable:
            raise SandboxError(
                N_("unknown seed size {name!r} (known: {known})"),
                name=name,
                known=", ".join(seedable),
            )
        if size < 0:
            raise SandboxError(
                N_("the seed size of {name} must be zero or more, not {size}"), name=name, size=size
            )
        result[name] = size
    return result


def seed_company(db: Database, company_id: int, sizes: Mapping[str, int]) -> None:
    """Seed each resource of the registry, in order, to its size in ``sizes``."""
    with db.transaction():
        for resource in RESOURCES:
            size = sizes.get(resource.NAME, 0)
            if size:
                resource.seed(db, company_id, size)


def create_account(
    db: Database,
    email: str,
    password: str,
    company_name: str,
    *,
    firstname: str = "Prénom",
    lastname: str = "Nom",
    company_id: int | None = None,
    sizes: Mapping[str, int] | None = None,
) -> int:
    """Add a user with their own company (and ``sizes`` demo items in it); returns its id.

    Raises ValueError when the email is taken.
    """
    with db.transaction():
        user_id = auth.create_user(db, email, password, firstname, lastname)
        rng = random.Random(email)  # noqa: S311 - demo data
        siret = demodata.siret(rng)
        postal_code, city = rng.choice(demodata.FRENCH_CITIES)
        company_id = companies.create_company(
            db,
            company_name,
            company_id=company_id,
            siren=siret[:9],
            siret=siret,
            legal_form="SAS",
            address=f"{rng.randint(1, 120)} {rng.choice(demodata.STREETS)}",
            postal_code=postal_code,
            city=city,
            activity="Conseil en systèmes et logiciels informatiques",
            vat_system="monthly",
        )
        companies.add_membership(db, user_id, company_id)
        seed_company(db, company_id, sizes or {})
    return company_id


def demo_account(db: Database) -> DemoAccount:
    """The demo login of a seeded database."""
    company_id = db.meta("demo_company_id")
    return DemoAccount(
        email=db.meta("demo_email") or DEMO_EMAIL,
        password=DEMO_PASSWORD,
        company_id=int(company_id) if company_id else DEMO_COMPANY_ID,
    )


def seed_database(
    db: Database, profile: str = "demo", sizes: Mapping[str, int] | None = None
) -> bool:
    """Seed a new database with the demo user, company and the profile's data; on a
    database seeded before, top the demo company up to ``sizes`` (the profile alone adds
    nothing: an existing database keeps its data). Returns whether it seeded the account."""
    wanted = profile_sizes(profile, sizes)
    # One transaction, the check included: two processes starting on one new database
    # seed it once.
    with db.transaction():
        if db.meta("seeded_at") is not None:
            if sizes:
                seed_company(
                    db, demo_account(db).company_id, {name: wanted[name] for name in sizes}
                )
            return False
        create_account(
            db,
            DEMO_EMAIL,
            DEMO_PASSWORD,
            "Atelier Martin Conseil",
            firstname="Camille",
            lastname="Martin",
            company_id=DEMO_COMPANY_ID,
            sizes=wanted,
        )
        db.set_meta("demo_email", DEMO_EMAIL)
        db.set_meta("demo_company_id", str(DEMO_COMPANY_ID))
        db.set_meta("seeded_at", datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
    return True
