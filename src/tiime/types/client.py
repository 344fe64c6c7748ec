from __future__ import annotations

from decimal import Decimal

from ._base import Model
from ._dates import DateTime
from .country import Country

__all__ = ["Client"]


# gc=False: scalars and a Country only (see ref.Ref); a list of 10,000 clients decodes
# faster without the collector's passes.
class Client(Model, gc=False):
    """A client (customer) of the company, as ``companies/{cid}/clients`` returns it.

    ``id`` is always there; any other field may be ``None`` when the server leaves it out.
    ``country`` is a :class:`Country`, or its code as a string (the reference CLI reads
    both). The last four fields come only with the list and search answers; amounts are
    ``Decimal``.
    """

    id: int
    name: str | None = None
    slug: str | None = None
    address: str | None = None
    address_complement: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: Country | str | None = None
    country_code: str | None = None
    email: str | None = None
    phone: str | None = None
    siren_or_siret: str | None = None
    siret: str | None = None
    siren: str | None = None
    intracom_vat_number: str | None = None
    archived: bool | None = None
    archived_at: DateTime | None = None
    professional: bool | None = None
    color: str | None = None
    acronym: str | None = None
    note: str | None = None
    bic: str | None = None
    iban: str | None = None
    invoicing_use_email: bool | None = None
    # Only in list and search answers.
    payment_status: str | None = None
    balance_including_taxes: Decimal | None = None
    billed_including_taxes: Decimal | None = None
    billed_excluding_taxes: Decimal | None = None
