"""Lenient dates and date-times: what the API sends in any of its forms, typed.

A date-time may come as ``2024-01-31``, ``2024-01-31 10:00:00`` or ISO 8601
(``2024-01-31T10:00:00``, with or without an offset or fraction); a date as
``2024-01-31`` or as any of those date-times. msgspec decodes ``datetime`` natively but
rejects a date-only value, and ``date`` rejects a date-time, so one unexpected form
would make the whole object fail.

Fields are annotated :data:`DateTime` or :data:`Date`. Type checkers see plain
:class:`~datetime.datetime` and :class:`~datetime.date`; at run time the annotations
are marker classes that msgspec hands to :func:`dec_hook`, which returns real
``datetime`` / ``date`` values (never a subclass):

* a date-time field given a date-only value gets midnight of that day, without offset;
* a date field given a date-time gets the calendar date as written (the offset is not
  applied: ``2024-01-31T23:30:00+01:00`` is the 31st).

The hook is only called for non-null values, and only on these fields: amounts and
other hot fields keep msgspec's native decoding. It costs about 0.5 µs a value
(``datetime.fromisoformat`` first); on the benchmark's 10,000 clients (one in ten
archived, so with an ``archived_at``) decoding stays within noise of a native ``datetime``.
"""

from __future__ import annotations

import abc
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import msgspec

__all__ = ["Date", "DateTime", "dec_hook", "parse_date", "parse_datetime"]


class _LenientDateTime(abc.ABC):  # noqa: B024 (a marker: datetime is registered)
    """Run-time annotation of a date-time field (any ``datetime`` is an instance)."""


class _LenientDate(abc.ABC):  # noqa: B024 (a marker: date is registered)
    """Run-time annotation of a date field (any ``date`` is an instance)."""


_LenientDateTime.register(datetime)
_LenientDate.register(date)

if TYPE_CHECKING:
    DateTime = datetime
    Date = date
else:
    DateTime = _LenientDateTime
    Date = _LenientDate


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"Expected `{what}`, got `{type(value).__name__}`")
    return value


def parse_datetime(value: object) -> datetime:
    """A date-time from ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM:SS`` or ISO 8601 text."""
    text = _text(value, "date-time string")
    try:  # the fast path; it takes a date alone as midnight
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:  # RFC 3339 forms older Pythons' fromisoformat refuses (``Z``, any fraction)
        return msgspec.convert(text, datetime)
    except msgspec.ValidationError:
        raise ValueError(f"Invalid date-time {text!r}") from None


def parse_date(value: object) -> date:
    """A calendar date from ``YYYY-MM-DD``, or the date part of a date-time."""
    text = _text(value, "date string")
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"Invalid date {text!r}") from None
    return parse_datetime(text).date()


def dec_hook(into: type[Any], value: object) -> Any:
    """The msgspec ``dec_hook`` of every decoder into the models."""
    if into is _LenientDateTime:
        return parse_datetime(value)
    if into is _LenientDate:
        return parse_date(value)
    raise NotImplementedError(f"no decoder for {into!r}")
