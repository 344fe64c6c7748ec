"""What the command line says when a write may have been made but its answer was lost.

After a create (an invoice, a quotation, a client, an expense report, an upload), it
looks for the record (``AmbiguousWriteError.find_created()``) and says, in one line,
whether it was made (its id: do not run the command again), was not (safe to retry), or
could not tell (and which command shows it). After another write (an e-mail, an
imputation), it says the write may have been done and how to check.
"""

from __future__ import annotations

import re

from ..i18n import N_, _

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
# What may have happened, by record (whole phrases: French agrees the participle).
_MAY_HAVE = {
    "invoice": N_("the invoice may have been created"),
    "quotation": N_("the quotation may have been created"),
    "client": N_("the client may have been created"),
    "expense report": N_("the expense report may have been created"),
    "document": N_("the document may have been uploaded"),
}

# Other writes: the endpoint's path, what may have been done, how to see whether it was.
_CHECKS = (
    (
        re.compile(r"/invoices/(\d+)/send$"),
        N_("it may have been e-mailed"),
        N_("`tiime invoices get {id}` (its status)"),
    ),
    (
        re.compile(r"/quotations/(\d+)/send$"),
        N_("it may have been e-mailed"),
        N_("`tiime quotations get {id}`"),
    ),
    (
        re.compile(r"/bank_transactions/(\d+)$"),
        N_("it may have been imputed"),
        N_("`tiime bank unimputed` (transaction {id} is no longer there if it was)"),
    ),
    (
        re.compile(r"/invoices/(\d+)$"),
        N_("it may have been changed"),
        N_("`tiime invoices get {id}`"),
    ),
)


def _reason(exc: AmbiguousWriteError) -> str:
    from .._exceptions import APITimeoutError

    if exc.status is not None:  # a gateway's 502 or 504
        lost = _("answered {status} by a gateway").format(status=exc.status)
    elif isinstance(exc, APITimeoutError):
        lost = _("no answer in time")
    else:
        lost = _("the connection was lost")
    return _("{method} {endpoint}: {lost} after the request was sent").format(
        method=exc.method, endpoint=exc.endpoint, lost=lost
    )


def _may_have(record: str) -> str:
    known = _MAY_HAVE.get(record)
    return _(known) if known else _("the {record} may have been created").format(record=record)


def without_lookup(exc: AmbiguousWriteError) -> str:
    """The one line for an ambiguous write, without looking for what it made."""
    if exc.record_type is not None:
        listing = _LISTS.get(exc.record_type) or _("the listing")
        return _("{reason}; {what}: check with `{listing}` before retrying").format(
            reason=_reason(exc), what=_may_have(exc.record_type), listing=listing
        )
    path = (exc.endpoint or "").split("?", 1)[0]
    for pattern, done, check in _CHECKS:
        match = pattern.search(path)
        if match is not None:
            return _(
                "{reason}; {what}: check with {check} before running the command again"
            ).format(reason=_reason(exc), what=_(done), check=_(check).format(id=match[1]))
    return _("{reason}; it may have been done: check before running the command again").format(
        reason=_reason(exc)
    )


def outcome(exc: AmbiguousWriteError) -> str:
    """The one line for an ambiguous write, after looking for what a create made."""
    from .._exceptions import APITimeoutError, TiimeError

    record = exc.record_type
    if record is None:
        return without_lookup(exc)
    listing = _LISTS.get(record) or _("the listing")
    if record == "client" and exc.sent and isinstance(exc.sent.get("name"), str):
        listing = listing.replace("NAME", repr(exc.sent["name"]))
    head = _("{reason}; {what}").format(reason=_reason(exc), what=_may_have(record))
    try:
        found = exc.find_created()
    except TiimeError as lookup:
        why = lookup.message.split(";", 1)[0]
        return _("{head}: could not tell ({why}): check with `{listing}` before retrying").format(
            head=head, why=why, listing=listing
        )
    if found is not None:
        return _("{head}: it was (id {id}); do not run the command again").format(
            head=head, id=found.id
        )
    if isinstance(exc, APITimeoutError):  # the server may still be working on it
        return _(
            "{head}: it is not there yet; the server may still be making it: check with "
            "`{listing}` in a minute before retrying"
        ).format(head=head, listing=listing)
    return _("{head}: it was not: safe to retry").format(head=head)
