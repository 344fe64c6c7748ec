"""The small kernel every resource is written against; import its names from here.

See :mod:`tiime.sandbox.resources` for how a resource uses them.
"""

from __future__ import annotations

from .context import DEFAULT_TOKEN_TTL, Context
from .db import MAX_ID, Database, Migration, Row, insert_sql, now_text, run_script
from .errors import ApiError, FieldErrors, OAuthError, SandboxError
from .guards import User, bearer_user, company_guard
from .http import JSON_TYPE, Handler, accepts, json_object, loads_json, read_body, route
from .paging import paged
from .spec import Doc, Query, choice, flag, integer

__all__ = [
    "DEFAULT_TOKEN_TTL",
    "JSON_TYPE",
    "MAX_ID",
    "ApiError",
    "Context",
    "Database",
    "Doc",
    "FieldErrors",
    "Handler",
    "Migration",
    "OAuthError",
    "Query",
    "Row",
    "SandboxError",
    "User",
    "accepts",
    "bearer_user",
    "choice",
    "company_guard",
    "flag",
    "insert_sql",
    "integer",
    "json_object",
    "loads_json",
    "now_text",
    "paged",
    "read_body",
    "route",
    "run_script",
]
