"""Property tests (hypothesis): what the validators refuse before sending, the models
decoding what they encode, and the line computation's exact decimals and rounding.

The pagination rule's properties (random caps, inserts and deletes between pages) are in
``test_pagination_churn.py``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
import typing
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tiime.types as models
from tiime import ValidationError
from tiime._validation import (
    MAX_AMOUNT,
    MAX_ID,
    check_amount,
    check_date,
    check_email,
    check_id,
    check_name,
    check_text,
)
from tiime.resources._lines import CENT, line_amount, prepare_lines

# Anything a caller might pass by mistake.
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.dates(),
    st.datetimes(),
)


def refused_or(fn: Any, value: Any) -> Any:
    """``fn(value)``, or the ValidationError it raised (never another exception)."""
    try:
        return fn(value)
    except ValidationError as exc:
        return exc


# -- validators ---------------------------------------------------------------------------


@given(st.one_of(ANYTHING, st.integers(min_value=-(2**70), max_value=2**70)))
def test_an_id_is_a_positive_64_bit_int(value: Any) -> None:
    result = refused_or(lambda v: check_id(v, "id"), value)
    valid = type(value) is int and 0 < value <= MAX_ID
    assert (result == value) if valid else isinstance(result, ValidationError)


@given(
    st.one_of(
        ANYTHING,
        st.decimals(allow_nan=True, allow_infinity=True),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
    )
)
def test_an_amount_is_an_exact_finite_decimal(value: Any) -> None:
    result = refused_or(lambda v: check_amount(v, "amount"), value)
    if isinstance(result, ValidationError):
        return
    assert isinstance(result, Decimal)
    assert result.is_finite()
    assert abs(result) < MAX_AMOUNT
    assert not isinstance(value, bool)
    # exactly the number written: a float through str(), so 0.1 is one tenth
    expected = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    assert result == expected


@given(st.one_of(ANYTHING, st.text(alphabet=st.characters(codec="utf-8"))))
def test_text_is_sendable_or_refused(value: Any) -> None:
    result = refused_or(lambda v: check_text(v, "note"), value)
    if isinstance(result, ValidationError) or result is None:
        return
    assert isinstance(value, str)
    assert "\x00" not in result
    result.encode("utf-8")  # no lone surrogate


@given(st.one_of(ANYTHING, st.text()))
def test_a_name_is_one_visible_line(value: Any) -> None:
    result = refused_or(lambda v: check_name(v, "name"), value)
    if isinstance(result, ValidationError):
        return
    assert result == value.strip()
    assert result
    assert not any(char in result for char in "\n\r\x00\x1b\u2028")


@given(st.one_of(ANYTHING, st.text(max_size=30), st.emails()))
def test_an_email_has_one_at_and_a_dotted_domain(value: Any) -> None:
    result = refused_or(check_email, value)
    if isinstance(result, ValidationError) or result is None:
        return
    local, at, domain = result.partition("@")
    assert at
    assert local
    assert "." in domain
    assert "@" not in domain


@given(st.one_of(ANYTHING, st.dates().map(dt.date.isoformat), st.text(max_size=12)))
def test_a_date_is_an_iso_calendar_day(value: Any) -> None:
    result = refused_or(lambda v: check_date(v, "date"), value)
    if isinstance(result, ValidationError):
        assert not (isinstance(value, dt.date) and not isinstance(value, dt.datetime))
        return
    assert not isinstance(value, dt.datetime)
    assert dt.date.fromisoformat(result).isoformat() == result


# -- the line computation -----------------------------------------------------------------

AMOUNTS = st.decimals(
    min_value=Decimal("-100000"), max_value=Decimal("100000"), places=4, allow_nan=False
)


@given(
    quantity=AMOUNTS,
    unit_amount=AMOUNTS,
    discount=st.one_of(
        st.none(),
        st.tuples(st.just("discount_amount"), AMOUNTS),
        st.tuples(
            st.just("discount_percentage"),
            st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
        ),
    ),
    as_float=st.booleans(),
)
def test_line_amounts_are_exact_to_the_cent(
    quantity: Decimal,
    unit_amount: Decimal,
    discount: tuple[str, Decimal] | None,
    as_float: bool,
) -> None:
    line: dict[str, Any] = {
        "description": "x",
        "quantity": float(quantity) if as_float else quantity,
        "unit_amount": unit_amount,
        "vat_type": {"code": "normal"},
    }
    if discount is not None:
        line[discount[0]] = discount[1]
    (prepared,) = prepare_lines([line], allow_negative=True)  # a credit may be negative
    exact_quantity = Decimal(str(float(quantity))) if as_float else quantity
    gross = exact_quantity * unit_amount
    if discount is None:
        net = gross
    elif discount[0] == "discount_amount":
        net = gross - discount[1]
    else:
        net = gross - gross * discount[1] / 100
    assert prepared["quantity"] == exact_quantity
    assert prepared["line_amount"] == net.quantize(CENT, rounding=ROUND_HALF_UP)
    assert prepared["line_amount"].as_tuple().exponent == -2
    # the amount the SDK computes is accepted back; any other is refused
    again = {**line, "line_amount": prepared["line_amount"]}
    assert prepare_lines([again], allow_negative=True)[0]["line_amount"] == prepared["line_amount"]
    wrong = {**line, "line_amount": prepared["line_amount"] + CENT}
    assert isinstance(
        refused_or(lambda lines: prepare_lines(lines, allow_negative=True), [wrong]),
        ValidationError,
    )
    # Not said to be a credit, the line is refused exactly when something in it is negative.
    negative = exact_quantity < 0 or unit_amount < 0 or prepared["line_amount"] < 0
    assert isinstance(refused_or(prepare_lines, [line]), ValidationError) == negative


@given(st.decimals(min_value=0, max_value=1000, places=3), st.decimals(0, 1000, places=3))
def test_half_cents_round_up(quantity: Decimal, unit_amount: Decimal) -> None:
    amount = line_amount(quantity, unit_amount)
    assert abs(amount - quantity * unit_amount) <= Decimal("0.005")
    if (quantity * unit_amount * 1000) % 10 == 5 and (quantity * unit_amount * 100) % 1:
        assert amount > quantity * unit_amount


# -- the models ---------------------------------------------------------------------------

MODELS = sorted(
    {
        cls
        for cls in vars(models).values()
        if inspect.isclass(cls) and issubclass(cls, models.Model) and cls is not models.Model
    },
    key=lambda cls: cls.__name__,
)
_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=6).filter(
    lambda d: abs(d) < 10**15
)
_SCALARS: dict[Any, st.SearchStrategy[Any]] = {
    type(None): st.none(),
    bool: st.booleans(),
    int: st.integers(min_value=-(2**63), max_value=2**63 - 1),
    float: st.floats(allow_nan=False, allow_infinity=False),
    str: st.text(max_size=8),
    Decimal: _DECIMALS,
    dt.date: st.dates(),
    dt.datetime: st.datetimes(timezones=st.sampled_from([dt.timezone.utc, None])),
}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)


def strategy(hint: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of the type ``hint`` (a model's field type), nested models included."""
    if hint in _SCALARS:
        return _SCALARS[hint]
    if hint is Any:
        return _JSON
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([strategy(arg, depth) for arg in args])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(strategy(args[0], depth + 1), max_size=0 if depth > 2 else 2)
    if origin is dict:
        return st.dictionaries(st.text(max_size=4), strategy(args[1], depth + 1), max_size=2)
    if inspect.isclass(hint) and issubclass(hint, msgspec.Struct):
        return model_strategy(hint, depth + 1)
    raise AssertionError(f"no strategy for {hint!r}")


def model_strategy(cls: type[msgspec.Struct], depth: int = 0) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    fields = {
        field.name: strategy(hints[field.name], depth) for field in msgspec.structs.fields(cls)
    }
    if depth > 3:  # deep enough: the required fields only
        required = msgspec.structs.fields(cls)
        fields = {f.name: fields[f.name] for f in required if f.required}
    return st.builds(cls, **fields)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_model_decodes_what_it_encodes(cls: type[models.Model], data: st.DataObject) -> None:
    model = data.draw(model_strategy(cls))
    assert msgspec.json.decode(model.to_json(), type=cls) == model
    exact = msgspec.json.encode(model.to_dict(exact=True))
    assert msgspec.json.decode(exact, type=cls) == model
