"""Looking for what a create made when its answer was lost (see
:class:`~tiime.AmbiguousWriteError`): what every resource's ``find_created`` shares.

A create whose connection dropped after sending, or that got no answer in time, may or
may not have made its record. ``find_created`` reads the newest records (at most
:data:`LOOKBACK`, newest first) and returns the one matching what was sent, or ``None``.
Each resource says what "matching" is (``matches_*`` in its module); the scan is here:

* a record with a ``created_at`` must not be older than the call, less
  :data:`CLOCK_MARGIN` for the clocks' difference (a date-time without a zone is read as
  UTC, the earliest reading of the API's forms, so that a record is never missed because
  of its zone);
* among records that match, the newest (the highest ``id``) is returned.

``None`` means no record made by the call exists *now*. After a timeout, the server may
still be working on the call: look again a little later before creating it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

from .._exceptions import ValidationError
from .._request import Mapped, Operation

__all__ = ["CLOCK_MARGIN", "LOOKBACK", "check_since", "created_since", "newest_match", "now"]

T = TypeVar("T")

# How many of the newest records are looked through.
LOOKBACK = 100
# How much older than the call a record's created_at may be (the clocks' difference).
CLOCK_MARGIN = timedelta(minutes=2)


def now() -> datetime:
    """The time a call is made, as ``since`` is given to ``find_created``."""
    return datetime.now(timezone.utc)


def check_since(value: Any) -> datetime:
    """A ``since`` argument: a ``datetime`` (one without a zone is read as UTC)."""
    if not isinstance(value, datetime):
        raise ValidationError(f"since must be a datetime, not {type(value).__name__}")
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def created_since(created_at: datetime | None, since: datetime) -> bool:
    """Whether a record made at ``created_at`` may have been made by a call at ``since``
    (``True`` when the record does not say when it was made)."""
    if created_at is None:
        return True
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=timezone.utc)
    return created_at >= since - CLOCK_MARGIN


def same_amount(value: Decimal | None, sent: Decimal) -> bool:
    """Whether an amount read back is the one sent (``True`` when it was not read back)."""
    return value is None or value == sent


def newest_match(listing: Operation[list[T]], matches: Callable[[T], bool]) -> Operation[T | None]:
    """The listing's newest item (highest ``id``) for which ``matches`` holds, or ``None``."""

    def pick(items: list[T]) -> T | None:
        found = [item for item in items if matches(item)]
        return max(found, key=lambda item: getattr(item, "id", 0)) if found else None

    return Mapped(listing, pick)
