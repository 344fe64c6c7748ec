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

__all__ = [
    "DEFAULT_TOKEN_TTL",
    "JSON_TYPE",
    "MAX_ID",
    "ApiError",
    "Context",
    "Database",
    "FieldErrors",
    "Handler",
    "Migration",
    "OAuthError",
    "Row",
    "SandboxError",
    "User",
    "accepts",
    "bearer_user",
    "company_guard",
    "insert_sql",
    "json_object",
    "loads_json",
    "now_text",
    "paged",
    "read_body",
    "route",
    "run_script",
]
