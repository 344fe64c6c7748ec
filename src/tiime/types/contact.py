from __future__ import annotations

from ._base import Model

__all__ = ["Contact"]


class Contact(Model):
    """A person to address at a client (``GET companies/{cid}/clients/{id}/contacts``)."""

    id: int
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    phone: str | None = None
    job: str | None = None
    invoicing_use_email: bool | None = None
