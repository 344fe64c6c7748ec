"""The command line in French and in English: the help of every command, its messages and
errors, its tables (money ``1 234,56``, dates ``31/01/2026``); JSON and CSV unchanged.

The language: ``--lang`` over ``TIIME_LANG`` over the locale (tests/i18n checks the order
itself); the suite runs in English (``TIIME_LANG=en``) unless a test says otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from tiime import i18n
from tiime.cli import _argparse_translated
from tiime.cli._parser import build_parser

from .conftest import BinaryResult, Result

Cli = Callable[..., Result]
Tiime = Callable[..., BinaryResult]
NBSP = "\u00a0"


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def _texts(lang: str) -> dict[tuple[str, ...], str]:
    """Every description and option help of the command tree, in ``lang``."""
    i18n.set_language(lang)
    try:
        texts: dict[tuple[str, ...], str] = {}
        with _argparse_translated():  # argparse's own words, as main() has them
            tree = build_parser()
        for path, parser in _commands(tree):
            texts[(*path, "(description)")] = parser.description or ""
            for action in parser._actions:
                if action.help and action.help != argparse.SUPPRESS:
                    texts[(*path, action.dest)] = action.help
        return texts
    finally:
        i18n.set_language(None)


COMMANDS = [path for path, _parser in _commands(build_parser()) if path]


def test_every_text_of_the_french_help_is_french() -> None:
    english, french = _texts("en"), _texts("fr")
    assert english.keys() == french.keys()
    same = {
        key: text
        for key, text in english.items()
        if text
        and french[key] == text
        and re.search(r"[a-z]{3,} [a-z]{3,}", re.sub(r"`[^`]*`", "", text))  # prose
    }
    assert same == {}, "untranslated help texts"


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_its_help_in_both_languages(cli: Cli, command: tuple[str, ...]) -> None:
    english = cli(*command, "--help")
    french = cli("--lang", "fr", *command, "--help")
    assert english.code == french.code == 0, (english.err, french.err)
    assert english.out.startswith(f"usage: tiime {' '.join(command)}")
    assert french.out.startswith(f"utilisation : tiime {' '.join(command)}")
    assert "afficher cette aide et quitter" in french.out
    assert "show this help" not in french.out
    if "\nexamples:\n" in english.out:  # the examples are commands: kept as they are
        assert english.out.split("\nexamples:\n")[1] == french.out.split("\nexemples :\n")[1]


def test_tiime_lang_fr_invoices_help_reads_french(tiime: Tiime) -> None:
    result = tiime("invoices", "--help", env={"TIIME_LANG": "fr"})
    assert result.code == 0, result.err
    text = result.text
    assert text.startswith("utilisation : tiime invoices")
    assert "lister, créer, envoyer et télécharger des factures" in text
    assert "créer une facture (en brouillon sauf avec --status" in text
    assert "supprimer une facture en brouillon" in text
    assert "télécharger une facture en PDF" in text
    assert "list, create, send and download invoices" not in text


def test_the_locale_gives_french_and_lang_overrides_it(tiime: Tiime) -> None:
    french = tiime("clients", "--help", env={"LC_ALL": "fr_FR.UTF-8", "TIIME_LANG": ""})
    assert french.text.startswith("utilisation : tiime clients"), french.text
    english = tiime("--lang", "en", "clients", "--help", env={"TIIME_LANG": "fr"})
    assert english.text.startswith("usage: tiime clients"), english.text
    also = tiime("clients", "--help", "--lang=fr", env={"TIIME_LANG": "en"})
    assert also.text.startswith("utilisation : tiime clients"), also.text


def test_a_usage_error_in_french(cli: Cli) -> None:
    result = cli(
        "--lang",
        "fr",
        "invoices",
        "create",
        "--client-id",
        "1",
        "--description",
        "x",
        "--unit-price",
        "abc",
    )
    assert result.code == 2
    assert result.err == (
        "tiime : erreur : --unit-price : pas un nombre : 'abc' "
        "(voir 'tiime invoices create --help')\n"
    )


def test_a_typo_is_corrected_in_french(cli: Cli) -> None:
    result = cli("--lang", "fr", "invoics", "list")
    assert result.code == 2
    assert "choix invalide : 'invoics'" in result.err
    assert "vouliez-vous dire 'invoices' ?" in result.err


def test_a_not_found_in_french_quotes_the_server(cli: Cli) -> None:
    english = cli("--sandbox", "invoices", "get", "999999")
    french = cli("--lang", "fr", "--sandbox", "invoices", "get", "999999")
    assert english.code == french.code == 1
    said = re.search(r'server said: "([^"]*)"', english.err)
    assert said is not None, english.err
    assert f"le serveur a répondu : « {said[1]} »" in french.err  # the server's words as sent
    assert french.err.startswith("tiime : erreur : 404 GET")
    assert french.err.rstrip().endswith(
        "`tiime invoices list` affiche les identifiants des factures"
    )


def test_a_french_table_reads_french(cli: Cli) -> None:
    english = cli("--sandbox", "invoices", "list", "--limit", "3", "--format", "table")
    french = cli(
        "--lang", "fr", "--sandbox", "invoices", "list", "--limit", "3", "--format", "table"
    )
    assert english.code == french.code == 0
    head = french.out.splitlines()[0].split()
    assert head[:4] == ["id", "n°", "date", "total"]
    assert "HT" in head
    assert "échéance" in head
    assert re.search(r"\b\d\d/\d\d/20\d\d\b", french.out)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", french.out)
    assert re.search(rf"\d{NBSP}\d\d\d,\d\d\b", french.out)  # 11 244,42
    assert french.out.endswith("3 lignes\n")
    assert english.out.endswith("3 rows\n")
    assert re.search(r"\d,\d\d\d\.\d\d\b", english.out)  # 11,244.42


def test_a_document_s_status_reads_french_in_its_gender(cli: Cli) -> None:
    def statuses(*command: str) -> set[str]:
        result = cli(*command, "--format", "json")
        assert result.code == 0, result.err
        return {item["status"] for item in json.loads(result.out)}

    def column(*command: str) -> str:
        result = cli(*command, "--format", "table", "--columns", "id,status")
        assert result.code == 0, result.err
        return result.out

    invoices = ("--sandbox", "invoices", "list", "--status", "sent", "--status", "paid")
    quotations = ("--sandbox", "quotations", "list")
    assert statuses(*invoices) == {"sent", "paid"}  # the API's words, in every language
    assert statuses("--lang", "fr", *invoices) == {"sent", "paid"}
    assert {"accepted", "declined"} <= statuses(*quotations)

    french = column("--lang", "fr", *invoices)
    assert "envoyée" in french
    assert "payée" in french
    assert " sent" not in french
    assert " paid" not in french
    french = column("--lang", "fr", *quotations)
    assert "accepté" in french
    assert "refusé" in french
    english = column(*invoices)
    assert "sent" in english
    assert "envoyée" not in english


def test_status_money_in_french(cli: Cli) -> None:
    result = cli("--lang", "fr", "--sandbox", "status", "--format", "table")
    assert result.code == 0, result.err
    assert "Soldes bancaires :" in result.out
    assert "Transactions à imputer :" in result.out
    assert re.search(rf"\d{NBSP}\d\d\d,\d\d{NBSP}€", result.out)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_formats_do_not_change_with_the_language(cli: Cli, fmt: str) -> None:
    command = ("--sandbox", "invoices", "list", "--limit", "5", "--format", fmt)
    english = cli(*command)
    french = cli("--lang", "fr", *command)
    assert english.code == french.code == 0
    assert french.out == english.out


def test_the_choice_of_language_ends_with_the_command(cli: Cli) -> None:
    import argparse as stdlib_argparse

    words = stdlib_argparse._  # type: ignore[attr-defined]
    cli("--lang", "fr", "clients", "--help")
    assert i18n.chosen() is None
    assert i18n.language() == "en"
    assert stdlib_argparse._ is words  # type: ignore[attr-defined]
    assert cli("clients", "--help").out.startswith("usage: ")


def test_english_help_reads_no_catalog_and_imports_no_babel() -> None:
    code = (
        "import sys, contextlib; from tiime import i18n; from tiime.cli import main\n"
        "with contextlib.suppress(SystemExit): main(['--help'])\n"
        "sys.stdout.write(repr((sorted(i18n._catalogs), 'babel' in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.rstrip().endswith("([], False)")


def test_one_invoice_in_french_shows_its_figures_in_french(cli: Cli) -> None:
    result = cli("--lang", "fr", "--sandbox", "invoices", "get", "500118", "--format", "table")
    assert result.code == 0, result.err
    assert re.search(r"^emission_date +\d\d/\d\d/20\d\d$", result.out, re.M)
    assert "(ci-dessous)" in result.out
    lines = result.out.split("\nlines:\n")[1].splitlines()
    assert lines[0].split()[:3] == ["description", "qté", "prix"]
    assert any(re.search(r" \d+,\d +\d", line) for line in lines[2:])  # a quantity 4,5
