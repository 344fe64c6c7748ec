from __future__ import annotations

from decimal import Decimal

from ._base import Model
from ._dates import Date
from .country import Country
from .ref import Ref

__all__ = ["AccountingPeriod", "ApeCode", "Company", "VatSystem"]


class ApeCode(Model):
    """A company's activity code (APE/NAF): ``{"id", "code": "6202A", "label"}``."""

    id: int
    code: str | None = None
    label: str | None = None


class VatSystem(Model):
    """A company's VAT system as an object: ``{"id", "code", "label", "type"}``."""

    id: int
    code: str | None = None
    label: str | None = None
    type: str | None = None


class Company(Model):
    """A company the user can act on (``GET companies``, ``GET companies/{cid}``).

    Two shapes are in circulation and both decode: the reference SDK's (``country`` a
    code string, ``vat_system`` a :class:`VatSystem` object, the address in ``street``)
    and another (``country`` a :class:`Country` object, ``vat_system`` a string, with
    ``siren``, ``address`` and ``activity``). Every field of both is here; a field the
    answer's shape lacks is ``None``.
    """

    id: int
    name: str | None = None
    slug: str | None = None
    uuid: str | None = None
    legal_form: str | None = None
    siren: str | None = None
    siret: str | None = None
    vat_number: str | None = None
    intracom_vat_number: str | None = None
    ape_code: ApeCode | None = None
    activity: str | None = None
    street: str | None = None
    address: str | None = None
    address_complement: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: Country | str | None = None
    country_code: str | None = None
    share_capital: Decimal | None = None
    registration_date: Date | None = None
    activity_start_date: Date | None = None
    vat_system: VatSystem | str | None = None
    tax_regime: str | None = None
    receipt_email: str | None = None
    payment_email: str | None = None
    has_invoices: bool | None = None
    logo: Ref | None = None


class AccountingPeriod(Model):
    """The current accounting period (``GET companies/{cid}/accounting_period/current``)."""

    id: int
    start_date: Date | None = None
    end_date: Date | None = None
    status: str | None = None
