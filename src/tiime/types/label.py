from __future__ import annotations

from ._base import Model

__all__ = ["Label", "Tag", "TagDetail"]


class Label(Model):
    """An accounting label (``GET companies/{cid}/labels``, ``.../standard_labels``)."""

    id: int
    name: str | None = None
    color: str | None = None
    type: str | None = None
    registry_type: str | None = None
    acronym: str | None = None
    disabled: bool | None = None
    configuration_source: str | None = None


class TagDetail(Model):
    """The detail of a tag (``GET companies/{cid}/tags?expand=tag_detail``)."""

    id: int
    label: str | None = None


class Tag(Model):
    """A tag, on invoices and bank transactions or from ``GET companies/{cid}/tags``."""

    id: int
    label: str | None = None
    tag_detail: TagDetail | None = None
