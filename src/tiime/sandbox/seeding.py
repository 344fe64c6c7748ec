"""Seed profiles: the demo user, their company and each resource's demo data.

A profile says which companies the demo user belongs to and how many items of each
resource (by its ``NAME``) each holds:

* ``demo``: the demo company with every resource's ``DEFAULT_SIZE`` (36 clients...), and
  a second, small company of the same user (:data:`SMALL_SIZES`: a few clients,
  invoices, transactions), so that choosing a company can be tried;
* ``firm``: an accounting firm's user (the same demo login) with
  :data:`FIRM_COMPANIES` small companies, the demo company first;
* ``empty``: the demo login and company with nothing in it.

``sizes`` override the demo company's sizes per resource (``{"clients": 20000}``).
Everything is deterministic, so two fresh sandboxes hold the same data; seeding an
existing database tops the demo company up to the given sizes. The demo company is
seeded first, so its ids are the same whatever the profile adds after it.
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
    "FIRM_COMPANIES",
    "PROFILES",
    "SECOND_COMPANY_ID",
    "SMALL_SIZES",
    "DemoAccount",
    "create_account",
    "demo_account",
    "profile_sizes",
    "seed_company",
    "seed_database",
    "small_company_names",
]

DEMO_EMAIL = "demo@tiime.test"
# Not a secret: the sandbox's demo login, printed on start and written in the docs.
DEMO_PASSWORD = "sandbox-demo"
DEMO_COMPANY_ID = 12345
# The demo user's second company in the ``demo`` profile.
SECOND_COMPANY_ID = DEMO_COMPANY_ID + 1
PROFILES = ("demo", "empty", "firm")
# How many companies the ``firm`` profile's user acts on.
FIRM_COMPANIES = 40
# The items of each small company (the second one of ``demo``, those of ``firm``):
# small, but each resource's screens and links have something to show.
SMALL_SIZES: Mapping[str, int] = {
    "clients": 5,
    "labels": 12,
    "users": 1,
    "company_settings": 1,
    "documents": 6,
    "expense_reports": 1,
    "invoices": 8,
    "quotations": 3,
    "bank_accounts": 1,
    "bank_transactions": 30,
}
# (name, legal form, activity, VAT system) of the demo user's second company.
_SECOND_COMPANY = (
    "Martin Formations",
    "EURL",
    "Formation continue d'adultes",
    "quarterly",
)
_FIRM_FORMS = ("SARL", "SAS", "EURL", "SASU", "EI")
_FIRM_VAT_SYSTEMS = ("monthly", "quarterly", "simplified", "franchise")


@dataclass(frozen=True)
class DemoAccount:
    """The login of the demo user and the id of their company."""

    email: str
    password: str
    company_id: int


def profile_sizes(profile: str = "demo", sizes: Mapping[str, int] | None = None) -> dict[str, int]:
    """How many items of each resource a profile seeds in the demo company, with
    ``sizes`` applied (``firm``: :data:`SMALL_SIZES`, as its other companies).

    Raises :class:`SandboxError` for an unknown profile or resource, or a negative size.
    """
    if profile not in PROFILES:
        raise SandboxError(
            N_("unknown seed profile {profile!r} (known: {known})"),
            profile=profile,
            known=", ".join(PROFILES),
        )
    result = {
        r.NAME: r.DEFAULT_SIZE
        if profile == "demo"
        else SMALL_SIZES.get(r.NAME, 0)
        if profile == "firm"
        else 0
        for r in RESOURCES
    }
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
        return add_company(
            db, user_id, company_name, company_id=company_id, sizes=sizes, seed_key=email
        )


def add_company(
    db: Database,
    user_id: int,
    name: str,
    *,
    company_id: int | None = None,
    sizes: Mapping[str, int] | None = None,
    seed_key: str | None = None,
    legal_form: str = "SAS",
    activity: str = "Conseil en systèmes et logiciels informatiques",
    vat_system: str = "monthly",
) -> int:
    """Add a company of ``user_id`` (the next free id unless given), its SIRET and address
    drawn from ``seed_key`` (the name by default), with ``sizes`` demo items; returns its
    id."""
    rng = random.Random(seed_key or name)  # noqa: S311 - demo data
    siret = demodata.siret(rng)
    postal_code, city = rng.choice(demodata.FRENCH_CITIES)
    with db.transaction():
        company_id = companies.create_company(
            db,
            name,
            company_id=company_id,
            siren=siret[:9],
            siret=siret,
            legal_form=legal_form,
            address=f"{rng.randint(1, 120)} {rng.choice(demodata.STREETS)}",
            postal_code=postal_code,
            city=city,
            activity=activity,
            vat_system=vat_system,
        )
        companies.add_membership(db, user_id, company_id)
        seed_company(db, company_id, sizes or {})
    return company_id


def small_company_names(count: int) -> list[str]:
    """``count`` distinct company names (``Boulangerie Lefèvre``...), the same every time."""
    rng = random.Random("firm")  # noqa: S311 - demo data
    pairs = [(trade, name) for trade in demodata.TRADES for name in demodata.LASTNAMES]
    rng.shuffle(pairs)
    return [f"{trade} {name}" for trade, name in pairs[:count]]


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
    """Seed a new database with the demo user, their companies and the profile's data; on
    a database seeded before, top the demo company up to ``sizes`` (the profile alone adds
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
        _add_other_companies(db, profile)
        db.set_meta("demo_email", DEMO_EMAIL)
        db.set_meta("demo_company_id", str(DEMO_COMPANY_ID))
        db.set_meta("seeded_at", datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
    return True


def _add_other_companies(db: Database, profile: str) -> None:
    """The demo user's companies after the demo one: one for ``demo``, the rest of the
    firm's for ``firm``, none for ``empty``."""
    user = auth.user_by_email(db, DEMO_EMAIL)
    assert user is not None
    if profile == "demo":
        name, legal_form, activity, vat_system = _SECOND_COMPANY
        add_company(
            db,
            user["id"],
            name,
            company_id=SECOND_COMPANY_ID,
            sizes=SMALL_SIZES,
            legal_form=legal_form,
            activity=activity,
            vat_system=vat_system,
        )
    elif profile == "firm":
        for position, name in enumerate(small_company_names(FIRM_COMPANIES - 1)):
            add_company(
                db,
                user["id"],
                name,
                company_id=DEMO_COMPANY_ID + 1 + position,
                sizes=SMALL_SIZES,
                legal_form=_FIRM_FORMS[position % len(_FIRM_FORMS)],
                activity="Activité commerciale",
                vat_system=_FIRM_VAT_SYSTEMS[position % len(_FIRM_VAT_SYSTEMS)],
            )
