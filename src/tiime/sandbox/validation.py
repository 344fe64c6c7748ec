"""Server-side checks of a client creation body, with French messages naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .derive import is_valid_siren_or_siret

__all__ = ["ClientInput", "FieldErrors", "validate_client_create"]

MAX_LENGTH = 255
DEFAULT_COUNTRY_ID = 75
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_OPTIONAL_TEXT = ("email", "phone", "address", "postal_code", "city", "siren_or_siret")


class FieldErrors(Exception):
    """The body's invalid fields, each with its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors

    @property
    def description(self) -> str:
        """One line naming every invalid field: ``name : Ce champ est obligatoire.``."""
        return " ; ".join(f"{field} : {message}" for field, message in self.errors.items())


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

    Raises :class:`FieldErrors` naming each invalid field.
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
