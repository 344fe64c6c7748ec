"""The line computation of invoices and quotations, exact and checked before sending."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from tiime import ValidationError, _today
from tiime._validation import check_amount, check_date
from tiime.resources._lines import line_amount, prepare_lines, send_body


def line(**changes: Any) -> dict[str, Any]:
    return {
        "description": "Dev",
        "quantity": 2,
        "unit_amount": 450.5,
        "vat_type": {"code": "normal"},
        **changes,
    }


def wire(value: Any) -> bytes:
    return msgspec.json.Encoder(decimal_format="number").encode(value)


def test_the_reference_example_keeps_its_keys_and_adds_the_defaults_in_order() -> None:
    [prepared] = prepare_lines([line()])
    assert list(prepared) == [
        "description",
        "quantity",
        "unit_amount",
        "vat_type",
        "line_amount",
        "sequence",
        "invoicing_category_type",
        "discount_description",
        "discount_amount",
        "discount_percentage",
    ]
    assert json.loads(wire(prepared)) == {
        "description": "Dev",
        "quantity": 2,
        "unit_amount": 450.5,
        "vat_type": {"code": "normal"},
        "line_amount": 901,
        "sequence": 1,
        "invoicing_category_type": "benefit",
        "discount_description": "",
        "discount_amount": None,
        "discount_percentage": None,
    }


def test_three_times_a_tenth_is_thirty_cents_on_the_wire() -> None:
    [prepared] = prepare_lines([line(quantity=3, unit_amount=0.1)])
    assert prepared["line_amount"] == Decimal("0.30")
    assert b'"line_amount":0.30' in wire(prepared)
    assert b"0.30000000000000004" not in wire(prepared)


@pytest.mark.parametrize(
    ("quantity", "unit_amount", "expected"),
    [
        ("1", "0.005", "0.01"),  # half up, not half even
        ("3", "0.333", "1.00"),  # 0.999
        ("1.5", "19.99", "29.99"),  # 29.985
        ("0.5", 450, "225.00"),
        (Decimal("2"), Decimal("450.50"), "901.00"),
    ],
)
def test_line_amounts_are_exact_and_rounded_half_up_to_the_cent(
    quantity: Any, unit_amount: Any, expected: str
) -> None:
    [prepared] = prepare_lines([line(quantity=quantity, unit_amount=unit_amount)])
    assert prepared["line_amount"] == Decimal(expected)


def test_a_discount_is_taken_off_the_line_amount_and_sent_as_given() -> None:
    by_percentage, by_amount = prepare_lines(
        [
            line(quantity=2, unit_amount="19.99", discount_percentage=10),
            line(quantity=1, unit_amount=100, discount_amount="15.5", discount_description="Geste"),
        ]
    )
    assert by_percentage["line_amount"] == Decimal("35.98")  # 39.98 - 3.998
    assert by_percentage["discount_percentage"] == Decimal("10")
    assert by_percentage["discount_amount"] is None
    assert by_amount["line_amount"] == Decimal("84.50")
    assert by_amount["discount_amount"] == Decimal("15.5")
    assert by_amount["discount_description"] == "Geste"
    assert line_amount(Decimal(3), Decimal("0.1")) == Decimal("0.30")


def test_lines_are_numbered_in_order_unless_given() -> None:
    prepared = prepare_lines([line(), line(), line(sequence=7), line()])
    assert [item["sequence"] for item in prepared] == [1, 2, 7, 4]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": float("nan")}, "quantity must be a finite number"),
        ({"quantity": "abc"}, "quantity is not a number"),
        ({"quantity": True}, "quantity must be a number"),
        ({"unit_amount": None}, "unit_amount must be a number"),
        ({"unit_amount": 10**13}, "unit_amount is too large"),
        ({"vat_type": {}}, "vat_type.code is required"),
        ({"description": "  "}, "description must not be blank"),
        ({"discount_amount": 1, "discount_percentage": 5}, "not both"),
        ({"discount_percentage": 150}, "from 0 to 100"),
        ({"line_amount": 900}, "line_amount is 900"),
        ({"sequence": 0}, "sequence must be a positive integer"),
        ({"invoicing_unit": "day"}, "invoicing_unit must be"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        prepare_lines([line(), line(**changes)])
    assert "lines[1]" in str(caught.value)


@pytest.mark.parametrize("lines", [[], "Dev", {"description": "Dev"}, None, [None]])
def test_lines_must_be_a_non_empty_list_of_mappings(lines: Any) -> None:
    with pytest.raises(ValidationError, match="lines"):
        prepare_lines(lines)


def test_missing_keys_are_named() -> None:
    with pytest.raises(ValidationError, match=r"lines\[0\]\.vat_type is required"):
        prepare_lines([{"description": "Dev", "quantity": 1, "unit_amount": 1}])


def test_a_given_line_amount_equal_to_the_computed_one_is_accepted() -> None:
    [prepared] = prepare_lines([line(quantity=3, unit_amount="0.1", line_amount="0.3")])
    assert prepared["line_amount"] == Decimal("0.30")


def test_check_amount_reads_floats_through_their_text() -> None:
    assert check_amount(0.1, "x") == Decimal("0.1")
    assert check_amount(" 12.50 ", "x") == Decimal("12.50")
    assert check_amount(7, "x") == Decimal(7)
    with pytest.raises(ValidationError, match="greater than zero"):
        check_amount(0, "x", positive=True)


@pytest.mark.parametrize("value", ["2024-02-30", "01/02/2024", "2024-1-2", 20240101, None])
def test_bad_dates_are_refused(value: Any) -> None:
    with pytest.raises(ValidationError, match="when"):
        check_date(value, "when")


def test_dates_are_written_iso() -> None:
    assert check_date(date(2024, 4, 1), "d") == "2024-04-01"
    assert check_date("2024-04-01", "d") == "2024-04-01"
    with pytest.raises(ValidationError, match="not a datetime"):
        check_date(datetime(2024, 4, 1, 10), "d")


def test_today_is_the_date_in_france(monkeypatch: pytest.MonkeyPatch) -> None:
    # 23:30 UTC on 31 March 2024 is already 1 April in Paris (summer time, UTC+2).
    instant = datetime(2024, 3, 31, 23, 30, tzinfo=timezone.utc)

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return instant.astimezone(tz)

    monkeypatch.setattr(_today, "datetime", FrozenDatetime)
    assert _today.today() == date(2024, 4, 1)


def test_send_body_takes_addresses_or_recipient_dicts() -> None:
    assert send_body(["a@b.fr", {"email": "c@d.fr"}], "S", None) == {
        "recipients": [{"email": "a@b.fr"}, {"email": "c@d.fr"}],
        "subject": "S",
    }
    for bad in ([], "a@b.fr", ["not-an-address"], [{"mail": "a@b.fr"}]):
        with pytest.raises(ValidationError, match="recipients"):
            send_body(bad, None, None)
    with pytest.raises(ValidationError, match="subject"):
        send_body(["a@b.fr"], "two\nlines", None)
