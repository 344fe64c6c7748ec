"""JSON Schemas of the types the routes declare, through ``msgspec.json.schema_components``.

Two adjustments make msgspec's schemas say what travels on the wire:

* request bodies: the SDK's ``TypedDict`` s take an amount as ``Decimal | int | float |
  str`` and a date as ``date | str`` (what Python callers may pass), unions msgspec cannot
  describe; on the wire an amount is a JSON number or decimal text and a date is text, so
  a body type is rebuilt with those unions (:func:`wire_type`);
* answers: amounts (``Decimal`` in the models) are JSON numbers, or decimal text, which the
  SDK reads both ways; date-times come as ``YYYY-MM-DD HH:MM:SS`` as well as RFC 3339, so
  they are described as text with that pattern rather than ``format: date-time``
  (:func:`wire_schema`).
"""

from __future__ import annotations

import inspect
import json
import types
import typing
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, Union

import msgspec

__all__ = ["REF", "components", "wire_schema", "wire_type"]

REF = "#/components/schemas/{name}"

_AMOUNT: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}],
    "description": "An amount: a JSON number, or decimal text.",
}
_DATE_TIME: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?$",
    "description": "A date-time: YYYY-MM-DD HH:MM:SS or ISO 8601 (a date alone: midnight).",
}


def _plain(tp: Any) -> Any:
    """What ``tp`` is on the wire, for one member of a union."""
    if tp is Decimal:
        return float
    if tp in (date, datetime):
        return str
    return wire_type(tp)


def wire_type(tp: Any) -> Any:
    """``tp`` with the unions msgspec cannot describe replaced by their wire forms, and each
    ``TypedDict`` or struct holding one rebuilt as a struct of the same name."""
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        members: list[Any] = []
        for member in typing.get_args(tp):
            plain = _plain(member)
            if plain not in members:
                members.append(plain)
        if float in members and int not in members:
            members.insert(members.index(float), int)
        return Union[tuple(members)]  # noqa: UP007 - built at run time
    if origin is list:
        (item,) = typing.get_args(tp)
        return list[wire_type(item)]  # type: ignore[misc]
    if isinstance(tp, type) and (typing.is_typeddict(tp) or issubclass(tp, msgspec.Struct)):
        return _rebuilt(tp)
    return tp


@cache
def _rebuilt(tp: type) -> type:
    """A struct of the same name, fields and documentation as ``tp``, each field's type
    made wire-describable; a field is optional as in ``tp``."""
    fields: list[Any] = []
    if typing.is_typeddict(tp):
        hints = typing.get_type_hints(tp)
        required: frozenset[str] = tp.__required_keys__  # type: ignore[attr-defined]
        for name, hint in hints.items():
            wire = wire_type(hint)
            fields.append((name, wire) if name in required else (name, wire, None))
    else:
        assert issubclass(tp, msgspec.Struct)
        for info in msgspec.structs.fields(tp):
            wire = wire_type(info.type)
            if info.required:
                fields.append((info.encode_name, wire))
            else:
                default = info.default if info.default is not msgspec.NODEFAULT else None
                fields.append((info.encode_name, wire, default))
    return msgspec.defstruct(
        tp.__name__,
        fields,
        kw_only=True,
        module=tp.__module__,
        namespace={"__doc__": tp.__doc__},
    )


def wire_schema(schema: Any) -> Any:
    """``schema`` (a msgspec JSON Schema) with amounts and date-times as they travel.

    The same on every msgspec release the project allows: alternatives (``anyOf``) in one
    order, and descriptions dedented (releases differ on both)."""
    if isinstance(schema, list):
        return [wire_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "string" and schema.get("format") == "decimal":
        return dict(_AMOUNT)
    if schema.get("type") == "string" and schema.get("format") == "date-time":
        return dict(_DATE_TIME)
    result = {key: wire_schema(value) for key, value in schema.items()}
    if isinstance(result.get("anyOf"), list):
        result["anyOf"] = sorted(result["anyOf"], key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(result.get("description"), str):
        result["description"] = inspect.cleandoc(result["description"])
    return result


def components(types_: Sequence[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The schema of each type (``$ref`` s into the components) and the components."""
    schemas, comps = msgspec.json.schema_components(types_, ref_template=REF)
    return [wire_schema(schema) for schema in schemas], {
        name: wire_schema(comp) for name, comp in sorted(comps.items())
    }
