"""What every route of the sandbox is built with: the database and the server's settings."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Database

__all__ = ["DEFAULT_TOKEN_TTL", "Context"]

DEFAULT_TOKEN_TTL = 7200


@dataclass(frozen=True)
class Context:
    """The database and settings a resource's ``routes(ctx)`` closes over.

    ``token_ttl`` is the access tokens' lifetime in seconds; ``max_page_size``, when set,
    caps how many items one list answer holds (206 then tells there are more).
    """

    db: Database
    token_ttl: int = DEFAULT_TOKEN_TTL
    max_page_size: int | None = None
