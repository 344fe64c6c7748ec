""" "Today", as the API's users mean it: the calendar date in France (Europe/Paris)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["FRANCE", "today"]

FRANCE = ZoneInfo("Europe/Paris")


def today() -> date:
    """The current date in Europe/Paris (between midnight and 02:00 there, UTC is a day behind)."""
    return datetime.now(FRANCE).date()
