"""References to other objects, as answers embed them: ``{id}`` and ``{id, name}``."""

from __future__ import annotations

from typing import TypedDict

from ._base import Model

__all__ = ["NamedRef", "Ref", "RefInput"]


class Ref(Model):
    """Another object named by its id only (``bank_account``, ``logo``, ``document``...)."""

    id: int


class NamedRef(Model):
    """Another object named by id and name (a quotation's ``client``, a ``merchant``...)."""

    id: int
    name: str | None = None


class RefInput(TypedDict):
    """An object named by its id in a request body: ``{"id": 12}``."""

    id: int
