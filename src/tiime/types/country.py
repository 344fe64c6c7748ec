from __future__ import annotations

from ._base import Model

__all__ = ["Country"]


# gc=False: scalars only (see ref.Ref).
class Country(Model, gc=False):
    """A country as Tiime names it (France is ``id=75, code="FR"``).

    The reference declares ``id`` optional: a country may come without one.
    """

    id: int | None = None
    name: str | None = None
    code: str | None = None
    invoicing_vat_exoneration_area: str | None = None
    nationality: str | None = None
