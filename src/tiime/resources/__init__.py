"""The API's resources, each written once for the sync and async clients."""

from .clients import AsyncClients, Clients
from .companies import AsyncCompanies, Companies

__all__ = ["AsyncClients", "AsyncCompanies", "Clients", "Companies"]
