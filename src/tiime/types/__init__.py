"""Typed models of the Tiime API."""

from ._base import Model
from .client import Client
from .company import Company
from .contact import Contact
from .country import Country

__all__ = ["Client", "Company", "Contact", "Country", "Model"]
