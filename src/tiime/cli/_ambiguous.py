"""What the command line says when a write may have been made but its answer was lost.

After a create (an invoice, a quotation, a client, an expense report, an upload), it
looks for the record (``AmbiguousWriteError.find_created()``) and says, in one line,
whether it was made (its id: do not run the command again), was not (safe to retry), or
could not tell (and which command shows it). After another write (an e-mail, an
imputation), it says the write may have been done and how to check.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .._exceptions import AmbiguousWriteError

# The command listing what a create makes.
_LISTS = {
    "invoice": "tiime invoices list --status draft",
    "quotation": "tiime quotations list",
    "client": "tiime clients search NAME",
    "expense report": "tiime expenses list",
    "document": "tiime documents list",
}
_VERBS = {"document": "uploaded"}

# Other writes: the endpoint's path, and how to see whether the write was made.
_CHECKS = (
    (re.compile(r"/invoices/(\d+)/send$"), "e-mailed", "`tiime invoices get {}` (its status)"),
    (re.compile(r"/quotations/(\d+)/send$"), "e-mailed", "`tiime quotations get {}`"),
    (
        re.compile(r"/bank_transactions/(\d+)$"),
        "imputed",
        "`tiime bank unimputed` (transaction {} is no longer there if it was)",
    ),
    (re.compile(r"/invoices/(\d+)$"), "changed", "`tiime invoices get {}`"),
)


def _reason(exc: AmbiguousWriteError) -> str:
    from .._exceptions import APITimeoutError

    if exc.status is not None:  # a gateway's 502 or 504
        lost = f"answered {exc.status} by a gateway"
    elif isinstance(exc, APITimeoutError):
        lost = "no answer in time"
    else:
        lost = "the connection was lost"
    return f"{exc.method} {exc.endpoint}: {lost} after the request was sent"


def without_lookup(exc: AmbiguousWriteError) -> str:
    """The one line for an ambiguous write, without looking for what it made."""
    if exc.record_type is not None:
        listing = _LISTS.get(exc.record_type, "the listing")
        verb = _VERBS.get(exc.record_type, "created")
        return (
            f"{_reason(exc)}; the {exc.record_type} may have been {verb}: check with "
            f"`{listing}` before retrying"
        )
    path = (exc.endpoint or "").split("?", 1)[0]
    for pattern, done, check in _CHECKS:
        match = pattern.search(path)
        if match is not None:
            return (
                f"{_reason(exc)}; it may have been {done}: check with {check.format(match[1])} "
                "before running the command again"
            )
    return f"{_reason(exc)}; it may have been done: check before running the command again"


def outcome(exc: AmbiguousWriteError) -> str:
    """The one line for an ambiguous write, after looking for what a create made."""
    from .._exceptions import APITimeoutError, TiimeError

    record = exc.record_type
    if record is None:
        return without_lookup(exc)
    listing = _LISTS.get(record, "the listing")
    if record == "client" and exc.sent and isinstance(exc.sent.get("name"), str):
        listing = listing.replace("NAME", repr(exc.sent["name"]))
    head = f"{_reason(exc)}; the {record} may have been {_VERBS.get(record, 'created')}"
    try:
        found = exc.find_created()
    except TiimeError as lookup:
        why = lookup.message.split(";", 1)[0]
        return f"{head}: could not tell ({why}): check with `{listing}` before retrying"
    if found is not None:
        return f"{head}: it was (id {found.id}); do not run the command again"
    if isinstance(exc, APITimeoutError):  # the server may still be working on it
        return (
            f"{head}: it is not there yet; the server may still be making it: check with "
            f"`{listing}` in a minute before retrying"
        )
    return f"{head}: it was not: safe to retry"
