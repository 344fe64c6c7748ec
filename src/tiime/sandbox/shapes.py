"""Shapes the sandbox reads or answers that the SDK's models (:mod:`tiime.types`) do not
describe: the error bodies, the token route, a few request bodies and sandbox-only answers.

They exist for the OpenAPI description (:mod:`tiime.sandbox.openapi`): the routes name
them in their :class:`~tiime.sandbox.kernel.Doc`. A field with a default is optional.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from ..types import ImputationInput, RefInput

__all__ = [
    "ClientCreate",
    "DocumentMatchingsUpdate",
    "DocumentUpdate",
    "ErrorBody",
    "ImputationsUpdate",
    "Index",
    "MetadataEntry",
    "OAuthErrorBody",
    "OutboxMessage",
    "Preview",
    "PreviewPage",
    "QuotationUpdate",
    "Token",
    "TokenRequest",
]


class ErrorBody(msgspec.Struct, kw_only=True):
    """Every error of the ``/v1`` API: the status, a code and a French description; a 422
    names each invalid field in ``errors``."""

    error: int
    error_code: str
    error_description: str
    errors: dict[str, str] | None = None


class OAuthErrorBody(msgspec.Struct, kw_only=True):
    """An error of the token route, in Auth0's shape (``invalid_grant``...)."""

    error: str
    error_description: str


class TokenRequest(msgspec.Struct, kw_only=True):
    """``POST /oauth/token``: Auth0's password grant (``username``, ``password``; ``scope``
    with ``offline_access`` adds a refresh token) or refresh_token grant."""

    grant_type: Literal["password", "refresh_token"]
    client_id: str
    username: str | None = None
    password: str | None = None
    refresh_token: str | None = None
    audience: str | None = None
    scope: str | None = None


class Token(msgspec.Struct, kw_only=True):
    """The token route's answer: a bearer access token for the ``/v1`` API."""

    access_token: str
    expires_in: int
    token_type: str
    refresh_token: str | None = None


class ClientCreate(msgspec.Struct, kw_only=True):
    """``POST .../clients``: ``name`` is required; ``siren_or_siret`` a valid SIREN or SIRET;
    ``country_id`` Tiime's country id (France is 75)."""

    name: str
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country_id: int | None = None
    siren_or_siret: str | None = None
    professional: bool | None = None


class QuotationUpdate(msgspec.Struct, kw_only=True):
    """``PATCH .../quotations/{id}``: the fields to change (``status`` moves a quotation:
    ``saved``, ``accepted``, ``declined``...)."""

    title: str | None = None
    lines: list[dict[str, Any]] | None = None
    status: str | None = None


class MetadataEntry(msgspec.Struct, kw_only=True):
    """One metadata entry of a document: ``date`` (``AAAA-MM-JJ``), ``wording`` (text),
    ``amount`` or ``vat_amount`` (``{"currency": "EUR", "value": NUMBER}``)."""

    key: Literal["date", "wording", "amount", "vat_amount"]
    type: str | None = None
    value: Any = None


class DocumentUpdate(msgspec.Struct, kw_only=True):
    """``PATCH .../documents/{id}``: the metadata entries to set."""

    metadata: list[MetadataEntry]


class ImputationsUpdate(msgspec.Struct, kw_only=True):
    """``PATCH .../bank_transactions/{id}``: the transaction's imputations become these."""

    imputations: list[ImputationInput]


class DocumentMatchingsUpdate(msgspec.Struct, kw_only=True):
    """``PUT .../document_matchings``: the transaction's matched documents become these."""

    documents: list[RefInput]


class OutboxMessage(msgspec.Struct, kw_only=True):
    """A message "sent" by the sandbox (an invoice or a quotation sent by e-mail)."""

    id: int
    company_id: int
    document_type: str
    document_id: int
    document_number: str | None = None
    recipients: list[dict[str, Any]] = []
    subject: str | None = None
    message: str | None = None
    attachment: str | None = None
    sent_at: str | None = None


class PreviewPage(msgspec.Struct, kw_only=True):
    """One page of a preview."""

    number: int
    url: str


class Preview(msgspec.Struct, kw_only=True):
    """The preview of a document: whether one exists, and its pages (each the document's
    download URL)."""

    document_id: int
    mime_type: str | None = None
    file_family: str | None = None
    preview_available: bool
    pages: list[PreviewPage]


class Index(msgspec.Struct, kw_only=True):
    """``GET /``: what this server is and where its endpoints are."""

    name: str
    base_url: str
    auth_url: str
