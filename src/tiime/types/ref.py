"""References to other objects, as answers embed them: ``{id}`` and ``{id, name}``."""

from __future__ import annotations

from typing import TypedDict

from ._base import Model

__all__ = ["NamedRef", "Ref", "RefInput"]


# Not tracked by the garbage collector (gc=False), as the other small structs of listings
# (Tag, LabelSuggestion, invoice lines): they hold only scalars and each other, so they
# cannot be part of a reference cycle, and 10,000 bank transactions decode about a third
# faster without the collector's passes over them.
class Ref(Model, gc=False):
    """Another object named by its id only (``bank_account``, ``logo``, ``document``...)."""

    id: int


class NamedRef(Model, gc=False):
    """Another object named by id and name (a quotation's ``client``, a ``merchant``...)."""

    id: int
    name: str | None = None


class RefInput(TypedDict):
    """An object named by its id in a request body: ``{"id": 12}``."""

    id: int
