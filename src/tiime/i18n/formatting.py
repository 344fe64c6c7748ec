"""Numbers, money and dates as a person reads them, in the reader's language.

============  ==================  ==============
               French              English
============  ==================  ==============
money          ``1 234,56 €``      ``€1,234.56``
decimal        ``1 234,5``         ``1,234.5``
date           ``31/01/2026``      ``2026-01-31``
date, medium   ``31 janv. 2026``   ``Jan 31, 2026``
============  ==================  ==============

For tables and pages only: JSON, CSV and xlsx keep machine formats whatever the language.
Babel is imported on the first call, never at start-up. French groups thousands with a
no-break space (U+00A0; Babel's narrow one, U+202F, is missing from many terminal fonts
and from Windows' cp1252 console).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from . import language

__all__ = ["babel_locale", "format_date", "format_decimal", "format_money"]

_LOCALES = {"fr": "fr_FR", "en": "en_US"}
_NARROW_NBSP, _NBSP = "\u202f", "\u00a0"


def babel_locale(lang: str | None = None) -> str:
    """Babel's locale for ``lang`` (default: :func:`tiime.i18n.language`): ``fr_FR``, ``en_US``."""
    return _LOCALES.get(lang or language(), "en_US")


def _spaces(text: str) -> str:
    return text.replace(_NARROW_NBSP, _NBSP)


def format_money(
    amount: Decimal | int | float, currency: str = "EUR", *, lang: str | None = None
) -> str:
    """``amount`` in ``currency`` with two decimals (the currency's own digits):
    ``1 234,56 €`` in French, ``€1,234.56`` in English; a negative amount keeps its sign."""
    from babel.numbers import format_currency

    return _spaces(format_currency(amount, currency, locale=babel_locale(lang)))


def format_decimal(
    value: Decimal | int | float, *, digits: int | None = None, lang: str | None = None
) -> str:
    """A number with the language's separators (``1 234,5`` / ``1,234.5``); ``digits``
    fixes the decimals shown (``digits=2``: ``1 234,50``), else they are kept as given."""
    from babel.numbers import format_decimal as babel_decimal

    locale = babel_locale(lang)
    if digits is None:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        shown = max(0, -int(number.as_tuple().exponent)) if number.is_finite() else 0
        pattern = "#,##0" + ("." + "0" * shown if shown else "")
    else:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _spaces(babel_decimal(value, format=pattern, locale=locale, decimal_quantization=True))


def format_date(day: dt.date, *, style: str = "short", lang: str | None = None) -> str:
    """A date: ``31/01/2026`` in French, ``2026-01-31`` (ISO) in English; with
    ``style="medium"``, Babel's (``31 janv. 2026`` / ``Jan 31, 2026``). A datetime shows
    its day and its time (``31/01/2026 14:05``)."""
    lang = lang or language()
    clock = ""
    if isinstance(day, dt.datetime):
        clock = f" {day:%H:%M}"
        day = day.date()
    if style == "medium":
        from babel.dates import format_date as babel_date

        return _spaces(babel_date(day, "medium", locale=babel_locale(lang))) + clock
    if style != "short":
        raise ValueError(f"style must be 'short' or 'medium', not {style!r}")
    if lang == "fr":
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}{clock}"
    return day.isoformat() + clock
