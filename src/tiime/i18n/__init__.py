"""Messages a person reads, in French or English: gettext catalogs, one domain per area.

Standard library only at import (``tiime --help`` stays fast); a catalog is read on the
first message translated into French, never in English (the messages are written in English).

Writing a translatable message::

    from tiime.i18n import N_, _, ngettext

    print(_("no client matches {name!r}").format(name=name))  # placeholders after _()
    print(ngettext("{n} row", "{n} rows", n).format(n=n))
    HELP = N_("list the clients")  # a module-level constant: marked, translated at use
    print(_(HELP))

**Domains**, one per area, each its own catalog
``locales/<lang>/LC_MESSAGES/<domain>.po`` beside this file: ``tiime`` (the command
line, the default), ``dashboard`` and ``sandbox``. Another area asks for its domain::

    from tiime.i18n import translator

    t = translator("dashboard")
    t.gettext("Treasury"); t.ngettext("{n} invoice", "{n} invoices", n)
    # or: gettext("Treasury", domain="dashboard")

**The language** is ``"fr"`` or ``"en"``: the one given to :func:`set_language` (the
command line's ``--lang``), else ``TIIME_LANG``, else the locale (the first of
``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set: ``fr_FR.UTF-8`` is French), else
English. A language other than these two reads as English.

**Catalogs**: the ``.po`` sources are in the repository; the build (``hatch_build.py``)
compiles each into a ``.mo`` beside it, in the wheel and in an editable install. Where a
``.mo`` is missing or older than its ``.po`` (a source checkout on ``PYTHONPATH``), the
``.po`` is compiled in memory with Babel; without Babel, the messages stay English.
``make messages-extract``, ``messages-update``, ``messages-compile`` keep them in step
with the sources (``babel.cfg``); ``GLOSSARY.md`` is the French vocabulary.

Numbers, money and dates in the reader's language: :mod:`tiime.i18n.formatting`. The
SDK's own exceptions stay English (a library for developers); so do JSON and CSV output.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is not imported at run time: start-up speed
if TYPE_CHECKING:
    import gettext as _gettext

__all__ = [
    "LANGUAGES",
    "N_",
    "Translator",
    "_",
    "chosen",
    "gettext",
    "language",
    "ngettext",
    "npgettext",
    "pgettext",
    "set_language",
    "translator",
]

LANGUAGES = ("en", "fr")
DEFAULT_DOMAIN = "tiime"
LOCALES = os.path.join(os.path.dirname(__file__), "locales")

_chosen: str | None = None  # set_language(): the command line's --lang
_catalogs: dict[tuple[str, str], _gettext.NullTranslations] = {}


def _normalise(value: str | None) -> str | None:
    """``"fr"``, ``"fr_FR.UTF-8"``, ``"FR"`` -> ``"fr"``; ``"C"``, ``"de_DE"`` -> ``"en"``;
    ``None`` or empty -> ``None`` (not set)."""
    if not value:
        return None
    code = value.split(":", 1)[0].split(".", 1)[0].split("@", 1)[0]
    code = code.replace("-", "_").split("_", 1)[0].lower()
    return code if code in LANGUAGES else "en"


def set_language(lang: str | None) -> None:
    """Choose the language (``"fr"`` or ``"en"``), over ``TIIME_LANG`` and the locale;
    ``None`` goes back to those. Raises ``ValueError`` for any other language."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    _chosen = lang


def chosen() -> str | None:
    """The language given to :func:`set_language`, if any (``None``: from the environment)."""
    return _chosen


def language() -> str:
    """The language messages are shown in: ``"fr"`` or ``"en"`` (see the module's text)."""
    if _chosen is not None:
        return _chosen
    explicit = _normalise(os.environ.get("TIIME_LANG"))
    if explicit is not None:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:  # the first one set decides, as for the C library
            return _normalise(value) or "en"
    return "en"


def catalog(domain: str = DEFAULT_DOMAIN, lang: str | None = None) -> _gettext.NullTranslations:
    """The translations of ``domain`` into ``lang`` (default: :func:`language`), read once."""
    lang = lang or language()
    key = (lang, domain)
    found = _catalogs.get(key)
    if found is None:
        found = _catalogs[key] = _load(domain, lang)
    return found


def _load(domain: str, lang: str) -> _gettext.NullTranslations:
    import gettext as stdlib

    if lang == "en":  # the messages are written in English
        return stdlib.NullTranslations()
    base = os.path.join(LOCALES, lang, "LC_MESSAGES", domain)
    po, mo = f"{base}.po", f"{base}.mo"
    try:
        po_time = os.stat(po).st_mtime
    except OSError:
        po_time = None
    try:
        if po_time is None or os.stat(mo).st_mtime >= po_time:
            with open(mo, "rb") as compiled:
                return stdlib.GNUTranslations(compiled)
    except OSError:
        pass
    if po_time is None:  # no catalog for this area yet
        return stdlib.NullTranslations()
    return _compile_in_memory(po, lang)


def _compile_in_memory(po: str, lang: str) -> _gettext.NullTranslations:
    """A source checkout has the ``.po`` only: compile it with Babel, or stay English."""
    import gettext as stdlib
    import io

    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError:  # pragma: no cover - Babel comes with the cli extra
        return stdlib.NullTranslations()
    with open(po, "rb") as source:
        messages = read_po(source, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return stdlib.GNUTranslations(compiled)


def gettext(message: str, domain: str = DEFAULT_DOMAIN) -> str:
    """``message`` in the reader's language (itself when untranslated or in English)."""
    if language() == "en":
        return message
    return catalog(domain).gettext(message)


def ngettext(singular: str, plural: str, n: int, domain: str = DEFAULT_DOMAIN) -> str:
    """The singular or plural form for ``n``, in the reader's language (French's
    singular covers 0 and 1)."""
    if language() == "en":
        return singular if n == 1 else plural
    return catalog(domain).ngettext(singular, plural, n)


def pgettext(context: str, message: str, domain: str = DEFAULT_DOMAIN) -> str:
    """``message`` in the reader's language, told apart by ``context`` (``msgctxt``)."""
    if language() == "en":
        return message
    return catalog(domain).pgettext(context, message)


def npgettext(
    context: str, singular: str, plural: str, n: int, domain: str = DEFAULT_DOMAIN
) -> str:
    """:func:`ngettext` with a ``context``."""
    if language() == "en":
        return singular if n == 1 else plural
    return catalog(domain).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (a module-level constant,
    translated where it is shown with :func:`gettext`)."""
    return message


_ = gettext


class Translator:
    """The translation functions bound to one domain: ``translator("dashboard")``."""

    def __init__(self, domain: str) -> None:
        self.domain = domain

    def gettext(self, message: str) -> str:
        return gettext(message, self.domain)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n, self.domain)

    def pgettext(self, context: str, message: str) -> str:
        return pgettext(context, message, self.domain)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return npgettext(context, singular, plural, n, self.domain)

    __call__ = gettext


def translator(domain: str) -> Translator:
    """The functions of :mod:`tiime.i18n` for ``domain`` (``t = translator("sandbox");
    t("...")`` or ``t.ngettext(...)``)."""
    return Translator(domain)
