"""A local emulator of the Tiime API, for development and tests.

One HTTP server speaks both Auth0's ``POST /oauth/token`` and the ``/v1`` API, backed by
a SQLite database seeded with a demo user, their companies and clients::

    from tiime.sandbox import Sandbox

    with Sandbox() as sb:  # a free loopback port, a temporary database
        ...  # point the SDK at sb.base_url and sb.auth_url, log in as sb.email/sb.password

``serve()`` runs it in the foreground (``tiime sandbox`` or ``python -m tiime.sandbox``
on the command line). Both seed a new database from a profile (``seed="demo"``: the demo
company and a second, small one; ``"firm"``: an accounting firm's forty small companies;
``"empty"``), with ``sizes={"clients": 20000}`` per resource of the demo company, and
raise :class:`SandboxError`, one line for a human, when they cannot start (port in use, a
database that is not theirs...). It needs the ``sandbox`` extra: ``pip install
'tiime[sandbox]'``. Its handlers share no code with the SDK, so that the two cannot share a
bug (only its OpenAPI description, :mod:`.openapi`, names the SDK's models, data types
without behaviour, as the shapes its routes answer).

Layout: :mod:`.kernel` (database and migrations, errors, guards, paging, HTTP helpers),
:mod:`.resources` (one module per resource, and the registry; its documentation is the
contract for adding one), :mod:`.seeding` (profiles), :mod:`.app` (the ASGI application)
and :mod:`.server` (``serve`` and ``Sandbox``).
"""

from __future__ import annotations

import sys

try:
    import fpdf as _fpdf  # noqa: F401
    import jwt as _jwt  # noqa: F401
    import python_multipart as _python_multipart  # noqa: F401
    import starlette as _starlette  # noqa: F401
    import uvicorn as _uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    _needs = "tiime.sandbox needs the 'sandbox' extra: pip install 'tiime[sandbox]'"
    # `python -m tiime.sandbox` imports this package while it locates its module
    # (sys.argv[0] is "-m" meanwhile): a command, not an import, so one line and exit 1.
    _argv = sys.orig_argv
    if (
        sys.argv[:1] == ["-m"]
        and "-m" in _argv[:-1]
        and _argv[_argv.index("-m") + 1] in (__name__, f"{__name__}.__main__")
    ):
        _missing = f" ({exc.name} is missing)" if exc.name else ""
        sys.stderr.write(f"python -m tiime.sandbox: error: {_needs}{_missing}\n")
        raise SystemExit(1) from None
    raise ImportError(_needs) from exc

from .app import create_app, open_database
from .kernel import Database, SandboxError
from .seeding import (
    DEMO_COMPANY_ID,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    FIRM_COMPANIES,
    PROFILES,
    SECOND_COMPANY_ID,
)
from .server import DEFAULT_PORT, Sandbox, default_db_path, serve

__all__ = [
    "DEFAULT_PORT",
    "DEMO_COMPANY_ID",
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "FIRM_COMPANIES",
    "PROFILES",
    "SECOND_COMPANY_ID",
    "Database",
    "Sandbox",
    "SandboxError",
    "create_app",
    "default_db_path",
    "open_database",
    "serve",
]
