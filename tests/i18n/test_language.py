"""Which language a message is shown in: --lang (set_language) > TIIME_LANG > the locale
(LC_ALL, LC_MESSAGES, LANG) > English; and the catalog's translations themselves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tiime import i18n
from tiime.i18n import N_, _, gettext, ngettext, translator


def test_english_without_any_setting() -> None:
    assert i18n.language() == "en"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr_FR.UTF-8", "fr"),
        ("fr_CA", "fr"),
        ("fr", "fr"),
        ("fr_FR@euro", "fr"),
        ("en_GB.UTF-8", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("de_DE.UTF-8", "en"),  # a language without messages reads as English
    ],
)
def test_the_locale_decides(monkeypatch: pytest.MonkeyPatch, value: str, expected: str) -> None:
    monkeypatch.setenv("LANG", value)
    assert i18n.language() == expected


def test_lc_all_then_lc_messages_then_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_MESSAGES", "fr_FR.UTF-8")
    assert i18n.language() == "fr"
    monkeypatch.setenv("LC_ALL", "C")
    assert i18n.language() == "en"
    monkeypatch.setenv("LC_ALL", "")  # set but empty: not set
    assert i18n.language() == "fr"


def test_tiime_lang_wins_over_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    monkeypatch.setenv("TIIME_LANG", "en")
    assert i18n.language() == "en"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    monkeypatch.setenv("TIIME_LANG", "fr")
    assert i18n.language() == "fr"


def test_set_language_wins_over_tiime_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIIME_LANG", "fr")
    i18n.set_language("en")
    assert i18n.language() == "en"
    assert i18n.chosen() == "en"
    i18n.set_language(None)
    assert i18n.language() == "fr"


def test_set_language_refuses_another_language() -> None:
    with pytest.raises(ValueError, match="not 'de'"):
        i18n.set_language("de")


def test_messages_follow_the_language() -> None:
    message = "the following arguments are required: %s"
    assert _(message) == message
    i18n.set_language("fr")
    assert gettext(message) == "ces arguments sont obligatoires : %s"
    assert _("no such message, anywhere") == "no such message, anywhere"


def test_plural_forms_in_french() -> None:
    i18n.set_language("fr")
    assert ngettext("expected %s argument", "expected %s arguments", 0) == "%s argument attendu"
    assert ngettext("expected %s argument", "expected %s arguments", 1) == "%s argument attendu"
    assert ngettext("expected %s argument", "expected %s arguments", 2) == "%s arguments attendus"
    i18n.set_language("en")
    assert ngettext("expected %s argument", "expected %s arguments", 0) == "expected %s arguments"


def test_a_marked_constant_is_translated_where_shown() -> None:
    i18n.set_language("fr")
    constant = N_("show this help message and exit")
    assert constant == "show this help message and exit"
    assert _(constant) == "afficher cette aide et quitter"


def test_a_domain_without_catalog_stays_english() -> None:
    i18n.set_language("fr")
    assert gettext("Treasury", domain="no-such-area") == "Treasury"
    area = translator("no-such-area")
    assert area("Treasury") == "Treasury"
    assert area.ngettext("{n} invoice", "{n} invoices", 2) == "{n} invoices"
    assert translator("tiime").gettext("options") == "options"


def _catalog_files(root: Path, translation: str) -> tuple[Path, Path]:
    folder = root / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    po = folder / "area.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "Hello"\nmsgstr "{translation}"\n',
        encoding="utf-8",
    )
    return po, folder / "area.mo"


def test_the_compiled_catalog_is_read_unless_its_source_is_newer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    monkeypatch.setattr(i18n, "LOCALES", str(tmp_path))
    i18n.set_language("fr")

    def fresh() -> str:
        monkeypatch.setattr(i18n, "_catalogs", {})
        return gettext("Hello", domain="area")

    po, mo = _catalog_files(tmp_path, "Salut")
    with po.open("rb") as source:
        compiled = read_po(source, locale="fr")
    with mo.open("wb") as target:
        write_mo(target, compiled)
    _catalog_files(tmp_path, "Bonjour")  # the source edited since
    os.utime(mo, (1, 1))  # the .mo older than its .po: a stale build
    assert fresh() == "Bonjour"  # compiled in memory from the .po
    os.utime(mo, None)  # the .mo newest: the build's
    os.utime(po, (1, 1))
    assert fresh() == "Salut"
    mo.unlink()  # a source checkout: the .po alone
    assert fresh() == "Bonjour"
