"""Fixtures of the mirror's tests: a fresh sandbox per test, a client counting its requests."""

from __future__ import annotations

from _books import Counted, books

__all__ = ["Counted", "books"]
