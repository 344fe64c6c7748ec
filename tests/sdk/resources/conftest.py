"""Wire tests by resource: one file per resource, run against the sandbox over loopback.

Every test here runs with the sync and the async client (``flavour``) against
:class:`tiime.sandbox.Sandbox` (``backend="sandbox"``), and asserts on what went on the wire
(``env.api_requests``, recorded in front of real loopback HTTP) and on what came back.
A test file may parametrize ``backend`` with ``"mock"`` too, for calls the mock serves; the
scripted mock (``tests/sdk/_support.FakeTiime``) is otherwise kept for failures and races.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def backend() -> str:
    return "sandbox"
