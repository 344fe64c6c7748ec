"""How a failure becomes a tool error: one sentence saying what failed and the next step.

Never a stack trace, never a secret: the SDK's exceptions carry the method, the URL (no
token in it) and the server's own words, and only those are quoted.
"""

from __future__ import annotations

from .. import _exceptions as E
from ._args import ArgumentError

__all__ = ["ToolFailure", "explain"]


class ToolFailure(Exception):
    """A tool cannot answer; its message is the whole of the tool error."""


def _server_words(exc: E.TiimeError) -> str:
    details = exc.details
    if isinstance(details, dict):
        for key in ("error_description", "message", "detail", "error"):
            value = details.get(key)
            if isinstance(value, str) and value:
                return " ".join(value.split())[:300]
    return " ".join(exc.message.split())[:300]


def explain(exc: BaseException) -> str:
    """The one sentence for ``exc`` (a :class:`ToolFailure`, a bad argument or an SDK error;
    of a group of them, as calls made at once fail, the first)."""
    group = getattr(exc, "exceptions", None)
    while isinstance(group, tuple) and group:
        exc = group[0]
        group = getattr(exc, "exceptions", None)
    if isinstance(exc, ToolFailure):
        return str(exc)
    if isinstance(exc, ArgumentError):
        return f"Invalid arguments: {exc}; fix that argument and call again."
    if isinstance(exc, E.ConfigurationError):
        return (
            f"Not set up: {_server_words(exc)} The user should run `tiime auth login` "
            "(and `tiime company use ID`) in a terminal, then restart this server."
        )
    if isinstance(exc, E.AuthenticationError):
        return (
            f"The login was refused ({_server_words(exc)}): the user should run "
            "`tiime auth login` in a terminal, then restart this server."
        )
    if isinstance(exc, E.PermissionDeniedError):
        return (
            f"Access refused ({_server_words(exc)}): this user cannot act on it; "
            "call companies to see the companies served."
        )
    if isinstance(exc, E.NotFoundError):
        return (
            f"Not found ({exc.method} {exc.endpoint}): check the id, or find it with the list tool."
        )
    if isinstance(exc, E.ValidationError):
        return f"Refused: {_server_words(exc)}; fix the arguments and call again."
    if isinstance(exc, E.RateLimitError):
        return "The API is rate limiting: wait a minute, then call again."
    if isinstance(exc, E.APIConnectionError):
        return (
            f"The API could not be reached ({_server_words(exc)}): "
            "check the network, then call again."
        )
    if isinstance(exc, E.TiimeError):
        status = exc.status or "no status"
        return f"The API failed ({status}): {_server_words(exc)}; try again later."
    return f"Internal error ({type(exc).__name__}): please report it; other tools still work."
