"""What ``tiime sandbox`` (and ``python -m tiime.sandbox``) prints, in the reader's language.

The ``sandbox`` gettext domain of :mod:`tiime.i18n` (``sandbox.po``) holds these texts and
the sandbox's own error messages (:class:`~tiime.sandbox.SandboxError`); the API's answers
(its wire) are never translated: they are what the real API says.
"""

from __future__ import annotations

from pathlib import Path

from ..i18n import N_, gettext

__all__ = ["CHAOS_LINE", "DOMAIN", "REMOTE_WARNING", "banner", "say"]

DOMAIN = "sandbox"

# What `tiime sandbox` prints (tiime.i18n's "sandbox" domain; the URLs and commands stay as
# they are: they are typed in a shell).
REMOTE_WARNING = N_(
    "WARNING: the sandbox listens on {host}, reachable from other machines: "
    "anyone who reaches it can log in as the demo user."
)
CHAOS_LINE = N_("CHAOS: {rate} of requests meet a fault ({kinds}; seed {seed})")
_BANNER_FIELDS = (
    N_("database:"),
    N_("base URL:"),
    N_("auth URL:"),
    N_("email:"),
    N_("password:"),
    N_("company id:"),
)


def say(message: str) -> str:
    """``message`` (one of the sandbox's own) in the reader's language."""
    return gettext(message, DOMAIN)


def banner(
    root: str, path: Path, email: str, password: str, company_id: int, *, remote: bool
) -> str:
    """What :func:`.server.serve` prints once listening, in the reader's language: the URLs, the
    demo login (its password left out when ``remote``), the next steps, how to stop."""
    shown = say(N_("(not shown: reachable from other machines)")) if remote else password
    values = (str(path), f"{root}/v1", f"{root}/oauth/token", email, shown, str(company_id))
    labels = [say(label) for label in _BANNER_FIELDS]
    width = max(len(label) for label in labels)  # the values aligned, whatever the language
    rows = zip(labels, values, strict=True)
    fields = "".join(f"  {label:<{width}} {value}\n" for label, value in rows)
    return (
        say(N_("Tiime sandbox on {url}")).format(url=root)
        + "\n"
        + fields
        + "\n"
        + say(N_("Next, in another terminal:"))
        + "\n\n"
        + f"export TIIME_BASE_URL={root}/v1\n"
        + f"export TIIME_AUTH_URL={root}/oauth/token\n"
        + f"tiime auth login --email {email} --company-id {company_id}   # "
        + say(N_("the password above"))
        + "\ntiime clients list\n\n"
        + say(N_("Press Ctrl-C to stop."))
    )
