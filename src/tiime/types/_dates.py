"""Lenient dates and date-times: what the API sends in any of its forms, typed.

A date-time may come as ``2024-01-31``, ``2024-01-31 10:00:00`` or ISO 8601
(``2024-01-31T10:00:00``, with or without an offset or fraction); a date as
``2024-01-31`` or as any of those date-times:

* a date-time field given a date-only value gets midnight of that day, without offset;
* a date field given a date-time gets the calendar date as written (the offset is not
  applied: ``2024-01-31T23:30:00+01:00`` is the 31st).

The models are annotated with plain :class:`~datetime.date` and
:class:`~datetime.datetime` (:data:`Date` and :data:`DateTime` name them), which msgspec
decodes natively from the usual forms (``2024-01-31`` for a date; RFC 3339, with ``T`` or
a space, for a date-time). :class:`LenientDecoder` decodes a body that way first, in
strict mode; only when that fails does it decode the body again, in lax mode (``"12"``
for ``12``), into a *lenient* twin of the type: the same structs with every date and
date-time field annotated by a marker class that msgspec hands to :func:`dec_hook`, which
accepts every form above. The twins' values are then converted into the public classes,
so a caller always gets the classes it asked for. A body that fails both ways raises the
lenient decoder's error, naming the field's path.

Strict mode first matters for date-times: in lax mode msgspec would take a number as a
Unix timestamp, which the API never sends and the hook refuses.
"""

from __future__ import annotations

import abc
import types
import typing
from collections.abc import Hashable
from datetime import date, datetime
from functools import cache
from typing import Any, Generic, TypeVar

import msgspec

__all__ = [
    "Date",
    "DateTime",
    "LenientDecoder",
    "dec_hook",
    "lenient_type",
    "parse_date",
    "parse_datetime",
]

T = TypeVar("T")

Date = date
DateTime = datetime


class _LenientDateTime(abc.ABC):  # noqa: B024 (a marker: datetime is registered)
    """Run-time annotation of a date-time field in a lenient twin."""


class _LenientDate(abc.ABC):  # noqa: B024 (a marker: date is registered)
    """Run-time annotation of a date field in a lenient twin."""


_LenientDateTime.register(datetime)
_LenientDate.register(date)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"Expected `{what}`, got `{type(value).__name__}`")
    return value


def parse_datetime(value: object) -> datetime:
    """A date-time from ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM:SS`` or ISO 8601 text."""
    text = _text(value, "date-time string")
    try:  # RFC 3339 (``T`` or a space, ``Z``, any fraction): as the fast path reads it
        return msgspec.convert(text, datetime)
    except msgspec.ValidationError:
        pass
    try:  # a date alone (midnight), and ISO 8601 forms RFC 3339 leaves out
        return datetime.fromisoformat(text)
    except ValueError:
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
    """The msgspec ``dec_hook`` of the lenient twins (see :func:`lenient_type`)."""
    if into is _LenientDateTime:
        return parse_datetime(value)
    if into is _LenientDate:
        return parse_date(value)
    raise NotImplementedError(f"no decoder for {into!r}")


def _union(args: tuple[Any, ...]) -> Any:
    union: Any = typing.Union
    return union[args]


@cache
def lenient_type(into: Any) -> Any:
    """``into`` with every ``date``/``datetime`` read by :func:`dec_hook`: ``into`` itself
    when it holds none, else a twin (a struct's twin is a struct of the same fields and
    configuration, not a subclass)."""
    if into is datetime:
        return _LenientDateTime
    if into is date:
        return _LenientDate
    if isinstance(into, type) and issubclass(into, msgspec.Struct):
        return _lenient_struct(into)
    origin = typing.get_origin(into)
    args = typing.get_args(into)
    if origin is None or origin is typing.Literal:
        return into
    if origin is typing.Annotated:
        inner = lenient_type(args[0])
        annotated: Any = typing.Annotated
        parts = (inner, *args[1:])
        return into if inner is args[0] else annotated[parts]
    twins = tuple(lenient_type(arg) for arg in args)
    if twins == args:
        return into
    if origin is types.UnionType or origin is typing.Union:
        return _union(twins)
    return origin[twins]


def _lenient_struct(cls: type[msgspec.Struct]) -> Any:
    fields = msgspec.structs.fields(cls)
    twins = [lenient_type(field.type) for field in fields]
    if all(twin is field.type for twin, field in zip(twins, fields, strict=True)):
        return cls
    config = cls.__struct_config__
    specs = []
    for field, twin in zip(fields, twins, strict=True):
        if field.default_factory is not msgspec.NODEFAULT:
            default = msgspec.field(default_factory=field.default_factory, name=field.encode_name)
        elif field.default is not msgspec.NODEFAULT:
            default = msgspec.field(default=field.default, name=field.encode_name)
        else:
            default = msgspec.field(name=field.encode_name)
        specs.append((field.name, twin, default))
    return msgspec.defstruct(
        f"Lenient{cls.__name__}",
        specs,
        kw_only=True,  # as every model
        forbid_unknown_fields=config.forbid_unknown_fields,
        tag=config.tag,
        tag_field=config.tag_field,
        gc=config.gc,
        module=__name__,
    )


class LenientDecoder(Generic[T]):
    """A JSON decoder into ``type``: natively (strict) first, then through its lenient twin
    (lax, every date form) when that fails; values are always of ``type``'s own classes."""

    __slots__ = ("_lenient", "_native", "_twin", "type")

    def __init__(self, into: type[T]) -> None:
        self.type = into
        self._native: msgspec.json.Decoder[T] = msgspec.json.Decoder(into)
        self._twin: Any = lenient_type(typing.cast(Hashable, into))
        self._lenient: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
            self._twin, strict=False, dec_hook=dec_hook
        )

    def decode(self, data: bytes | str) -> T:
        """``data`` decoded; ``msgspec.ValidationError`` names the path of a bad value."""
        try:
            return self._native.decode(data)
        except msgspec.ValidationError:
            pass
        value = self._lenient.decode(data)
        if self._twin is self.type:
            return typing.cast(T, value)
        return msgspec.convert(value, self.type, from_attributes=True)
