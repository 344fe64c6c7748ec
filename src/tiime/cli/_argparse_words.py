"""argparse's own words, marked for tiime's catalog (``tiime`` domain).

argparse writes them through its module's ``_``, which :func:`tiime.cli.main` points at
:func:`tiime.i18n.gettext` for the time of a call; listed here so that the extraction
finds them (never imported at run time). The wording is Python 3.10 to 3.14's.
"""

from __future__ import annotations

from ..i18n import N_, ngettext

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("optional arguments"),  # Python 3.9's heading, still in some 3.10 builds' help
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ignored explicit argument %r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _plurals(n: int) -> str:
    return ngettext("expected %s argument", "expected %s arguments", n)
