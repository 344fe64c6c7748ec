"""Fields the sandbox derives from what it is given, as the real service does.

Slug, acronym and colour come from a client's name; SIREN/SIRET are split from
``siren_or_siret``; the French intra-community VAT number is computed from the SIREN.
Names are also folded (accents and case removed) so that search can ignore both.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache

from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

__all__ = [
    "COLORS",
    "acronym",
    "color_for",
    "fold",
    "intracom_vat_number",
    "is_valid_siren_or_siret",
    "make_siren",
    "make_siret",
    "slugify",
    "split_siren_or_siret",
]

# Colours the web app gives clients (the reference example uses #FFC681).
COLORS: tuple[str, ...] = (
    "#FFC681",
    "#F7A072",
    "#EF8A8A",
    "#E58FC4",
    "#B59CE6",
    "#8FA8F0",
    "#7CC6E8",
    "#6FD3C4",
    "#8ED69B",
    "#C4DC7A",
    "#F2D16B",
    "#A7B4C2",
)

_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "\u2019": "'", "\u2018": "'", "ß": "ss"}
)


@lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    """``text`` with accents stripped (NFKD, combining marks dropped) and ligatures spelled."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Accent- and case-insensitive form of ``text``: " Société  Générale" -> "societe generale"."""
    return " ".join(_ascii(text).casefold().split())


def slugify(name: str) -> str:
    """URL slug of a name: "ACME CORP" -> "acme-corp", "Café des Arts" -> "cafe-des-arts"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return slug or "client"


def acronym(name: str) -> str:
    """Two uppercase letters from a name: initials of its first two words, else its first two.

    "ACME CORP" -> "AC", "Boulangerie Hélène" -> "BH", "Orange" -> "OR"; padded with "X".
    """
    words = re.findall(r"[A-Za-z]+", _ascii(name))
    letters = words[0][0] + words[1][0] if len(words) >= 2 else "".join(words)[:2]
    return letters.upper().ljust(2, "X")


def color_for(name: str) -> str:
    """A stable ``#RRGGBB`` colour picked from :data:`COLORS` by the folded name."""
    return COLORS[zlib.crc32(fold(name).encode()) % len(COLORS)]


def intracom_vat_number(siren: str | None) -> str | None:
    """French VAT number of a SIREN: ``FR`` + key + SIREN, key = (12 + 3 * (SIREN % 97)) % 97."""
    if not siren or not siren.isdigit() or len(siren) != 9:
        return None
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def is_valid_siren_or_siret(value: str) -> bool:
    """Whether ``value`` is a 9-digit SIREN or a 14-digit SIRET with a valid checksum."""
    if not value.isdigit():
        return False
    if len(value) == 9:
        return bool(stdnum_siren.is_valid(value))
    if len(value) == 14:
        return bool(stdnum_siret.is_valid(value))
    return False


def split_siren_or_siret(value: str | None) -> tuple[str | None, str | None]:
    """``(siret, siren)`` of a valid identifier: a SIRET gives both, a SIREN only itself."""
    if not value:
        return None, None
    if len(value) == 14:
        return value, value[:9]
    return None, value


def make_siren(eight_digits: str) -> str:
    """A valid SIREN: the eight digits followed by their Luhn check digit."""
    return eight_digits + str(luhn.calc_check_digit(eight_digits))


def make_siret(siren: str, four_digits: str) -> str:
    """A valid SIRET: SIREN + four NIC digits + the Luhn digit over all thirteen."""
    body = siren + four_digits
    return body + str(luhn.calc_check_digit(body))
