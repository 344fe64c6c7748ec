"""Demo data put into a new sandbox database: a user, a company and French clients.

Everything is deterministic (seeded random), so two fresh sandboxes hold the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from stdnum import iban as stdnum_iban

from .derive import acronym, color_for, make_siren, make_siret, slugify
from .store import Row, Store

__all__ = [
    "DEFAULT_CLIENTS",
    "DEMO_COMPANY_ID",
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "DemoAccount",
    "create_account",
    "demo_account",
    "seed_clients",
    "seed_if_new",
]

DEMO_EMAIL = "demo@tiime.test"
# Not a secret: the sandbox's demo login, printed on start and written in the docs.
DEMO_PASSWORD = "sandbox-demo"
DEMO_COMPANY_ID = 12345
DEFAULT_CLIENTS = 36
_LA_POSTE_SIREN = "356000000"


@dataclass(frozen=True)
class DemoAccount:
    """The login of the demo user and the id of their company."""

    email: str
    password: str
    company_id: int


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

_FRENCH_CITIES: tuple[tuple[str, str], ...] = (
    ("75001", "Paris"),
    ("75011", "Paris"),
    ("69002", "Lyon"),
    ("13001", "Marseille"),
    ("33000", "Bordeaux"),
    ("59000", "Lille"),
    ("31000", "Toulouse"),
    ("44000", "Nantes"),
    ("67000", "Strasbourg"),
    ("35000", "Rennes"),
    ("06000", "Nice"),
    ("34000", "Montpellier"),
    ("21000", "Dijon"),
    ("37000", "Tours"),
    ("38000", "Grenoble"),
    ("51100", "Reims"),
    ("29200", "Brest"),
    ("63000", "Clermont-Ferrand"),
    ("76000", "Rouen"),
    ("74000", "Annecy"),
)
_FOREIGN_CITIES: dict[int, tuple[str, str]] = {21: ("1000", "Bruxelles"), 41: ("1204", "Genève")}
_STREETS: tuple[str, ...] = (
    "rue de la République",
    "avenue Jean Jaurès",
    "boulevard Victor Hugo",
    "rue Pasteur",
    "place du Marché",
    "rue des Lilas",
    "quai de la Fosse",
    "rue Sainte-Catherine",
    "cours Mirabeau",
    "allée des Tilleuls",
    "impasse des Écoles",
    "rue du Général Leclerc",
)
_TRADES: tuple[str, ...] = (
    "Boulangerie",
    "Garage",
    "Cabinet",
    "Atelier",
    "Pharmacie",
    "Librairie",
    "Menuiserie",
    "Plomberie",
    "Restaurant",
    "Agence",
    "Studio",
    "Domaine",
    "Maison",
    "Salon",
    "Épicerie",
    "Fromagerie",
)
_FIRSTNAMES: tuple[str, ...] = (
    "Élodie",
    "Théo",
    "Léa",
    "Jérémy",
    "Inès",
    "Gaëlle",
    "Hugo",
    "Manon",
    "Raphaël",
    "Clémence",
    "Noé",
    "Zoé",
    "Mathéo",
    "Camille",
    "Anaïs",
    "Sébastien",
)
_LASTNAMES: tuple[str, ...] = (
    "Lefèvre",
    "Bérard",
    "Hébert",
    "Lemaître",
    "Noël",
    "Dupré",
    "Fournier",
    "Mercier",
    "Périer",
    "Moreau",
    "Girard",
    "Rousseau",
    "Chevalier",
    "Gauthier",
    "Faure",
    "Lacroix",
)
_JOBS: tuple[str, ...] = (
    "Gérant",
    "Comptable",
    "Directrice administrative et financière",
    "Assistante de direction",
    "Responsable achats",
)
_BANKS: tuple[tuple[str, str], ...] = (
    ("30004", "BNPAFRPPXXX"),
    ("30003", "SOGEFRPPXXX"),
    ("30002", "CRLYFRPPXXX"),
    ("20041", "PSSTFRPPXXX"),
)
_PAYMENT_STATUSES: tuple[str | None, ...] = ("paid", "paid", "late", "pending", None)


def _email_local(text: str) -> str:
    return slugify(text).replace("-", ".")


def _siret(rng: random.Random) -> str:
    """A SIRET with valid checksums (the Luhn digits are valid by construction, except for
    La Poste's SIREN, which has its own rule and is skipped)."""
    while True:
        siren = make_siren(str(rng.randint(10_000_000, 99_999_999)))
        if siren != _LA_POSTE_SIREN:
            return make_siret(siren, f"{rng.randint(1, 99):04d}")


def _iban(rng: random.Random) -> tuple[str, str]:
    """A French IBAN with a valid RIB key and check digits, and its bank's BIC."""
    bank, bic = rng.choice(_BANKS)
    branch = f"{rng.randint(0, 99999):05d}"
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    iban = f"FR{stdnum_iban.calc_check_digits('FR00' + bban)}{bban}"
    return iban, bic


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(("01", "02", "03", "04", "05", "06", "07", "09"))
    return prefix + "".join(f" {rng.randint(0, 99):02d}" for _ in range(4))


def _generated_name(rng: random.Random) -> tuple[str, bool, int]:
    if rng.random() < 0.3:
        return f"{rng.choice(_FIRSTNAMES)} {rng.choice(_LASTNAMES)}", False, 75
    name = f"{rng.choice(_TRADES)} {rng.choice(_LASTNAMES)}"
    if rng.random() < 0.15:
        name += " & Fils"
    return name, True, 75


def _client(
    rng: random.Random, company_id: int, spec: tuple[str, bool, int], base_date: datetime
) -> dict[str, Any]:
    name, professional, country_id = spec
    postal_code, city = _FOREIGN_CITIES.get(country_id) or rng.choice(_FRENCH_CITIES)
    siret = _siret(rng) if professional and country_id == 75 else None
    if professional:
        email: str | None = f"contact@{slugify(name)}.example"
    else:
        email = f"{_email_local(name)}@example.fr"
    if rng.random() < 0.2:
        email = None
    archived = rng.random() < 0.17
    created = base_date + timedelta(days=rng.randint(0, 400), seconds=rng.randint(0, 86399))
    archived_at = created + timedelta(days=rng.randint(1, 200), seconds=rng.randint(0, 86399))
    status = rng.choice(_PAYMENT_STATUSES)
    billed_excl = rng.randint(5_000, 2_500_000) if status else 0
    billed_incl = billed_excl * 6 // 5
    balance = 0 if status in ("paid", None) else rng.randint(1, billed_incl)
    iban, bic = _iban(rng) if professional and rng.random() < 0.2 else (None, None)
    return {
        "company_id": company_id,
        "name": name,
        "slug": slugify(name),
        "address": f"{rng.randint(1, 120)} {rng.choice(_STREETS)}",
        "address_complement": rng.choice((None, None, None, "Bâtiment B", "2e étage")),
        "postal_code": postal_code,
        "city": city,
        "country_id": country_id,
        "email": email,
        "phone": _phone(rng) if rng.random() < 0.7 else None,
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
    contacts: list[Row] = []
    for _ in range(rng.randint(1, 3)):
        firstname, lastname = rng.choice(_FIRSTNAMES), rng.choice(_LASTNAMES)
        contacts.append(
            {
                "firstname": firstname,
                "lastname": lastname,
                "email": f"{_email_local(firstname)}.{_email_local(lastname)}@{domain}",
                "phone": _phone(rng) if rng.random() < 0.6 else None,
                "job": rng.choice(_JOBS),
                "invoicing_use_email": rng.random() < 0.4,
            }
        )
    return contacts


def seed_clients(
    store: Store, company_id: int, count: int, *, seed: int | None = None
) -> list[int]:
    """Add ``count`` deterministic clients (the curated ones first) to a company, with
    contacts for about a quarter of the professional ones; returns their ids."""
    rng = random.Random(company_id if seed is None else seed)  # noqa: S311 - demo data
    base_date = datetime(2024, 1, 8, 9, 0, 0)
    clients: list[dict[str, Any]] = []
    contacts: dict[int, list[Row]] = {}
    for position in range(count):
        spec = _CURATED[position] if position < len(_CURATED) else _generated_name(rng)
        client = _client(rng, company_id, spec, base_date)
        clients.append(client)
        if client["professional"] and (position < 3 or rng.random() < 0.25):
            contacts[position] = _contacts(rng, client)
    return store.insert_clients(clients, contacts)


def create_account(
    store: Store,
    email: str,
    password: str,
    company_name: str,
    *,
    firstname: str = "Prénom",
    lastname: str = "Nom",
    company_id: int | None = None,
    clients: int = 0,
) -> int:
    """Add a user with their own company (and ``clients`` demo clients); returns its id."""
    with store.transaction():
        user_id = store.create_user(email, password, firstname, lastname)
        rng = random.Random(email)  # noqa: S311 - demo data
        siret = _siret(rng)
        postal_code, city = rng.choice(_FRENCH_CITIES)
        company_id = store.create_company(
            company_name,
            company_id=company_id,
            siren=siret[:9],
            siret=siret,
            legal_form="SAS",
            address=f"{rng.randint(1, 120)} {rng.choice(_STREETS)}",
            postal_code=postal_code,
            city=city,
            activity="Conseil en systèmes et logiciels informatiques",
            vat_system="monthly",
        )
        store.add_membership(user_id, company_id)
        if clients:
            seed_clients(store, company_id, clients)
    return company_id


def demo_account(store: Store) -> DemoAccount:
    """The demo login of a seeded database."""
    company_id = store.meta("demo_company_id")
    return DemoAccount(
        email=store.meta("demo_email") or DEMO_EMAIL,
        password=DEMO_PASSWORD,
        company_id=int(company_id) if company_id else DEMO_COMPANY_ID,
    )


def seed_if_new(store: Store, clients: int | None = None) -> bool:
    """Seed the demo user, company and clients (``clients`` of them, 36 by default) unless
    the database was seeded before; returns whether it seeded now."""
    if store.meta("seeded_at") is not None:
        return False
    count = DEFAULT_CLIENTS if clients is None else clients
    if count < 0:
        raise ValueError("clients must be zero or more")
    with store.transaction():
        create_account(
            store,
            DEMO_EMAIL,
            DEMO_PASSWORD,
            "Atelier Martin Conseil",
            firstname="Camille",
            lastname="Martin",
            company_id=DEMO_COMPANY_ID,
            clients=count,
        )
        store.set_meta("demo_email", DEMO_EMAIL)
        store.set_meta("demo_company_id", str(DEMO_COMPANY_ID))
        store.set_meta("seeded_at", datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
    return True
