"""Fixtures of the language tests: a clean language environment, no choice left behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tiime import i18n

LOCALE_VARIABLES = ("TIIME_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@pytest.fixture(autouse=True)
def no_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Neither TIIME_LANG nor a locale set, no language chosen: each test sets its own."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)
