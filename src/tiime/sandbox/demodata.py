"""French demo vocabulary and valid identifiers, shared by the resources' seed functions.

Everything takes a seeded :class:`random.Random`, so that seeds are deterministic.
"""

from __future__ import annotations

import random

from stdnum import iban as stdnum_iban

from .derive import make_siren, make_siret, slugify

__all__ = [
    "BANKS",
    "FIRSTNAMES",
    "FRENCH_CITIES",
    "JOBS",
    "LASTNAMES",
    "STREETS",
    "TRADES",
    "email_local",
    "iban",
    "phone",
    "siret",
]

_LA_POSTE_SIREN = "356000000"

FRENCH_CITIES: tuple[tuple[str, str], ...] = (
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
STREETS: tuple[str, ...] = (
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
TRADES: tuple[str, ...] = (
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
FIRSTNAMES: tuple[str, ...] = (
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
LASTNAMES: tuple[str, ...] = (
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
JOBS: tuple[str, ...] = (
    "Gérant",
    "Comptable",
    "Directrice administrative et financière",
    "Assistante de direction",
    "Responsable achats",
)
BANKS: tuple[tuple[str, str], ...] = (
    ("30004", "BNPAFRPPXXX"),
    ("30003", "SOGEFRPPXXX"),
    ("30002", "CRLYFRPPXXX"),
    ("20041", "PSSTFRPPXXX"),
)


def email_local(text: str) -> str:
    """``text`` as the local part of an e-mail address: ``jean.dupont``."""
    return slugify(text).replace("-", ".")


def siret(rng: random.Random) -> str:
    """A SIRET with valid checksums (the Luhn digits are valid by construction, except for
    La Poste's SIREN, which has its own rule and is skipped)."""
    while True:
        siren = make_siren(str(rng.randint(10_000_000, 99_999_999)))
        if siren != _LA_POSTE_SIREN:
            return make_siret(siren, f"{rng.randint(1, 99):04d}")


def iban(rng: random.Random) -> tuple[str, str]:
    """A French IBAN with a valid RIB key and check digits, and its bank's BIC."""
    bank, bic = rng.choice(BANKS)
    branch = f"{rng.randint(0, 99999):05d}"
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    return f"FR{stdnum_iban.calc_check_digits('FR00' + bban)}{bban}", bic


def phone(rng: random.Random) -> str:
    """A French phone number, ``06 12 34 56 78``."""
    prefix = rng.choice(("01", "02", "03", "04", "05", "06", "07", "09"))
    return prefix + "".join(f" {rng.randint(0, 99):02d}" for _ in range(4))
