"""Fixtures of the FEC tests: a fresh sandbox per test and a client that counts its requests."""

from __future__ import annotations

from _books import Counted, books

__all__ = ["Counted", "books"]
