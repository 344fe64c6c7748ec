"""The registry of command groups: one module per group, one line per module below.

Each module ``tiime.cli.commands.<name>`` has a ``register(registrar)`` function that
declares its parser and handlers (see :mod:`tiime.cli` for the contract). The modules
import only the standard library at the top; the SDK is imported inside the handlers.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing is not imported at run time: start-up speed
if TYPE_CHECKING:
    from .._parser import Registrar

GROUPS = (
    "auth",
    "company",
    "clients",
    "labels",
    "open",
    "documents",
    "expenses",
    "bank",
    "audit",
    "status",
    "invoices",
    "quotations",
    "sandbox",
    "completion",
)


def register_all(registrar: Registrar) -> None:
    """Let every group of :data:`GROUPS` declare its commands, in this order."""
    for name in GROUPS:
        import_module(f"{__name__}.{name}").register(registrar)
