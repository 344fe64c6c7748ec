"""Money, numbers and dates in the reader's language (tables and pages, never JSON/CSV)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tiime import i18n
from tiime.i18n.formatting import format_date, format_decimal, format_money

NBSP = "\u00a0"


def test_money_in_french_and_english() -> None:
    assert format_money(Decimal("1234.56"), lang="fr") == f"1{NBSP}234,56{NBSP}€"
    assert format_money(Decimal("1234.56"), lang="en") == "€1,234.56"
    assert format_money(Decimal("-62.1"), lang="fr") == f"-62,10{NBSP}€"
    assert format_money(Decimal("-62.1"), lang="en") == "-€62.10"
    assert format_money(Decimal("1234567"), "USD", lang="en") == "$1,234,567.00"


def test_money_follows_the_chosen_language() -> None:
    i18n.set_language("fr")
    assert format_money(Decimal("1517.8")) == f"1{NBSP}517,80{NBSP}€"
    i18n.set_language("en")
    assert format_money(Decimal("1517.8")) == "€1,517.80"


def test_decimals() -> None:
    assert format_decimal(Decimal("1234.5"), lang="fr") == f"1{NBSP}234,5"
    assert format_decimal(Decimal("1234.5"), lang="en") == "1,234.5"
    assert format_decimal(Decimal("1234.5"), digits=2, lang="fr") == f"1{NBSP}234,50"
    assert format_decimal(Decimal("-0.125"), lang="en") == "-0.125"
    assert format_decimal(3, lang="fr") == "3"


def test_dates() -> None:
    day = dt.date(2026, 1, 31)
    assert format_date(day, lang="fr") == "31/01/2026"
    assert format_date(day, lang="en") == "2026-01-31"
    assert format_date(day, style="medium", lang="fr") == "31 janv. 2026"
    assert format_date(day, style="medium", lang="en") == "Jan 31, 2026"
    assert format_date(dt.datetime(2026, 1, 31, 14, 5), lang="fr") == "31/01/2026 14:05"
    with pytest.raises(ValueError, match="style"):
        format_date(day, style="long")
