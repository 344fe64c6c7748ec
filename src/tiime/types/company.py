from __future__ import annotations

from ._base import Model
from .country import Country

__all__ = ["Company"]


class Company(Model):
    """A company the user can act on (``GET companies``, ``GET companies/{cid}``)."""

    id: int | None = None
    name: str | None = None
    siren: str | None = None
    siret: str | None = None
    legal_form: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: Country | None = None
    activity: str | None = None
    vat_system: str | None = None
