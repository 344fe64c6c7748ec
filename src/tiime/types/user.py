from __future__ import annotations

from ._base import Model
from ._dates import DateTime
from .country import Country

__all__ = ["Address", "User"]


class Address(Model):
    """A postal address (the user's)."""

    street: str | None = None
    additional_information1: str | None = None
    additional_information2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: Country | None = None


class User(Model):
    """The user logged in (``GET users/me``); ``active_company`` is a company id."""

    id: int
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    phone: str | None = None
    civility: str | None = None
    status: str | None = None
    roles: list[str] | None = None
    active_company: int | None = None
    director: bool | None = None
    has_wallet_access: bool | None = None
    has_business_account: bool | None = None
    address: Address | None = None
    created_at: DateTime | None = None
    acronym: str | None = None
