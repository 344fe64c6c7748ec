"""Start-up: only the group named on the command line is imported, and no module that
the command does not use (the parser tree is built lazily)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable

import pytest

from tiime.cli._parser import build_parser
from tiime.cli.commands import GROUPS

from .conftest import Result

# Runs the command line in a fresh interpreter, then prints the group modules it imported.
_IMPORTED_GROUPS = """
import sys
from tiime.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
prefix = "tiime.cli.commands."
print(sorted(m[len(prefix):] for m in sys.modules if m.startswith(prefix)), file=sys.stderr)
"""


def _imported_groups(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED_GROUPS, *args], capture_output=True, text=True
    )
    imported: list[str] = eval(done.stderr.strip().splitlines()[-1])
    return imported


@pytest.mark.parametrize(
    ("args", "groups"),
    [
        (("--version",), []),
        (("--help",), []),
        (("clinets",), []),
        (("clients", "--help"), ["clients"]),
        (
            ("--format", "json", "invoices", "list", "--help"),
            ["_billing", "invoices", "invoices_overdue"],
        ),
        (("clients", "search", "auth", "--help"), ["clients"]),
    ],
)
def test_only_the_named_group_is_imported(args: tuple[str, ...], groups: list[str]) -> None:
    assert _imported_groups(*args) == groups


def _group_helps(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help for a in action._choices_actions}
    raise AssertionError("no subcommands")


def test_the_help_lists_every_group_with_its_line_built_or_not() -> None:
    assert _group_helps(build_parser(["--help"])) == _group_helps(build_parser()) == GROUPS


@pytest.mark.parametrize("group", list(GROUPS))
def test_every_group_registers_under_its_name(group: str) -> None:
    subparsers = next(
        a for a in build_parser([group])._actions if isinstance(a, argparse._SubParsersAction)
    )
    assert subparsers.choices[group].get_default("command_parser") is not None or any(
        isinstance(a, argparse._SubParsersAction) for a in subparsers.choices[group]._actions
    )


def test_group_help_of_a_lazily_built_group(cli: Callable[..., Result]) -> None:
    result = cli("invoices", "--help")
    assert result.code == 0
    assert "list, create, send and download invoices" in result.out
    assert "download" in result.out.split("ACTION", 1)[1]


def test_the_client_does_not_import_stdnum_until_a_siret_is_checked() -> None:
    code = (
        "import sys\n"
        "import tiime._client\n"
        "from tiime._validation import check_siren_or_siret\n"
        "before = 'stdnum' in sys.modules\n"
        "check_siren_or_siret('732 829 320')\n"
        "print(before, 'stdnum' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


# Runs the command line in a fresh interpreter, then prints what it imported and how many
# times the disk was searched for message catalogues (gettext.find).
_HELP_COST = """
import gettext, sys
searches = []
real = gettext.find
def counting(*args, **kwargs):
    searches.append(args[:1])
    return real(*args, **kwargs)
gettext.find = counting
from tiime.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(repr((sorted(sys.modules), len(searches))), file=sys.stderr)
"""
# argparse has fewer words of its own than this (usage:, options, its errors...): each may
# be looked up once, not once per parser built (35 parsers for `invoices --help`: 102).
ARGPARSE_WORDS = 20


@pytest.mark.parametrize("args", [("--help",), ("invoices", "--help"), ("invoices", "list", "-h")])
def test_help_imports_little_and_searches_catalogues_once_a_word(args: tuple[str, ...]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _HELP_COST, *args], capture_output=True, text=True, check=False
    )
    modules, searches = eval(done.stderr.strip().splitlines()[-1])
    assert done.stdout.startswith("usage: tiime")
    unwanted = {"shutil", "httpx", "msgspec", "rich", "tiime._client", "tiime.cli._output"}
    assert not unwanted & set(modules)
    assert searches <= ARGPARSE_WORDS
