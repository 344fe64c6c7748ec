from __future__ import annotations

from ._base import Model
from .ref import NamedRef

__all__ = ["Label", "Tag", "TagDetail"]


class Label(Model):
    """An accounting label (``GET companies/{cid}/labels``, ``.../standard_labels``).

    ``name`` is the accounting name and ``label`` the displayed one; ``client`` is the
    client a sales label is for. The reference declares ``id, name, color``; its CLI also
    reads ``type, registry_type, acronym, disabled, configuration_source``.
    """

    id: int
    name: str | None = None
    label: str | None = None
    color: str | None = None
    type: str | None = None
    registry_type: str | None = None
    acronym: str | None = None
    disabled: bool | None = None
    configuration_source: str | None = None
    is_standard: bool | None = None
    sales: bool | None = None
    invoice_client: bool | None = None
    client: NamedRef | None = None


class TagDetail(Model, gc=False):
    """The detail of a tag (``GET companies/{cid}/tags?expand=tag_detail``)."""

    id: int
    label: str | None = None


# gc=False: scalars and a TagDetail only (see ref.Ref).
class Tag(Model, gc=False):
    """A tag, on invoices and bank transactions or from ``GET companies/{cid}/tags``."""

    id: int
    label: str | None = None
    tag_detail: TagDetail | None = None
