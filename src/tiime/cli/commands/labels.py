"""``tiime labels list|standard|tags``: the accounting labels and the tags."""

from __future__ import annotations

import argparse

from ...i18n import _
from .._errors import EXIT_OK
from .._parser import Registrar, add_limit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._session import Session

COLUMNS = (
    "id",
    "name",
    "type",
    "registry_type",
    "acronym",
    "color",
    "disabled",
    "configuration_source",
)
STANDARD_COLUMNS = ("id", "name", "type", "registry_type", "acronym", "color", "sales")
TAG_COLUMNS = ("id", "label")


def register(registrar: Registrar) -> None:
    group = registrar.group("labels")
    add_limit(group.command("list", _("the company's own labels"), list_))
    add_limit(group.command("standard", _("Tiime's standard labels"), standard))
    add_limit(group.command("tags", _("the company's tags"), tags))


def list_(session: Session, args: argparse.Namespace) -> int:
    from ...types import Label

    labels = session.client().labels.list(limit=args.limit)
    session.output.many(labels, kind=Label, columns=COLUMNS)
    return EXIT_OK


def standard(session: Session, args: argparse.Namespace) -> int:
    from ...types import Label

    labels = session.client().labels.standard(limit=args.limit)
    session.output.many(labels, kind=Label, columns=STANDARD_COLUMNS)
    return EXIT_OK


def tags(session: Session, args: argparse.Namespace) -> int:
    from ...types import Tag

    found = session.client().labels.tags(limit=args.limit)
    session.output.many(found, kind=Tag, columns=TAG_COLUMNS)
    return EXIT_OK
