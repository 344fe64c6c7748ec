"""How a failure becomes one line on stderr and an exit code.

Exit codes: 0 done, 1 runtime failure (the API refused, the network, the environment,
not logged in), 2 usage (the command line itself is wrong), 130 interrupted.
"""

from __future__ import annotations

import sys

from ..i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .. import _exceptions as E

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# The address `tiime sandbox` listens on unless told otherwise.
SANDBOX_DEFAULT_ADDRESSES = {("127.0.0.1", 8787), ("localhost", 8787)}


class UsageError(Exception):
    """The command line is wrong: exit code 2."""


class CommandError(Exception):
    """The command cannot be carried out (not logged in, a missing extra...): exit code 1."""


def fail(message: str, code: int) -> int:
    """Print ``tiime: error: MESSAGE`` (one line) on stderr and return ``code``.

    The words around the message are in the reader's language (``tiime : erreur :`` in
    French); the message is given translated. Whitespace runs become one space; other
    control characters (terminal escape sequences in a server's message or a name) are
    shown escaped, never sent as they are.
    """
    line = " ".join(message.split())  # one line, whatever the message holds
    line = "".join(
        f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in line
    )
    sys.stderr.write(_("tiime: error: {message}").format(message=line) + "\n")
    return code


def missing_extra(extra: str, module: str) -> CommandError:
    """The error for an optional dependency that is not installed."""
    return CommandError(
        _(
            "this needs the '{extra}' extra ({module} is missing): pip install 'tiime[{extra}]'"
        ).format(extra=extra, module=module)
    )


def _server_text(exc: E.TiimeError) -> str | None:
    details = exc.details
    if isinstance(details, dict):
        for key in ("error_description", "message", "detail", "error"):
            value = details.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _connection_hint(url: str | None) -> str:
    from urllib.parse import urlsplit

    if url:
        try:
            parts = urlsplit(url)
            address = (parts.hostname or "", parts.port or 0)
        except ValueError:
            address = ("", 0)
        if address in SANDBOX_DEFAULT_ADDRESSES:
            return _("is `tiime sandbox` running?")
    return _("check the network, or TIIME_BASE_URL")


def describe(exc: E.TiimeError, *, not_found: str | None = None) -> str:
    """One line for an SDK error: what failed, the server's own words quoted, a hint.

    The words of the command line are in the reader's language; the server's are quoted as
    it sent them, and the SDK's own message (English, for developers) is kept.

    ``not_found`` is the command's hint for a 404 (where to find the ids).
    """
    from .. import _exceptions as E

    where = " ".join(str(p) for p in (exc.status, exc.method, exc.endpoint) if p)
    if isinstance(exc, E.AmbiguousWriteError):  # not "check the network": it may be done
        from ._ambiguous import without_lookup

        return without_lookup(exc)
    if isinstance(exc, E.APIConnectionError):
        reason = exc.message.split(";", 1)[0]
        return _("{reason}: {address}; {hint}").format(
            reason=reason,
            address=exc.endpoint or _("the server"),
            hint=_connection_hint(exc.endpoint),
        )
    said = _server_text(exc)
    if said:
        text = _('{where}: server said: "{said}"').format(where=where, said=said)
    else:
        text = (
            _("{where}: {message}").format(where=where, message=exc.message)
            if where
            else exc.message
        )
    if isinstance(exc, E.AuthenticationError):
        if exc.message.startswith("login refused"):
            return _("wrong e-mail or password ({error})").format(error=text)
        if exc.status is None:  # no credentials left to renew the token: the message says how
            return text
        return _("{error}; the login was refused: run `tiime auth login`").format(error=text)
    if isinstance(exc, E.NotFoundError):
        hint = _(not_found) if not_found else _("check the id")  # a command's N_() hint
        return _("{error}; {hint}").format(error=text, hint=hint)
    if isinstance(exc, E.PermissionDeniedError):
        return _("{error}; `tiime company list` shows the companies you can use").format(error=text)
    return text
