"""Each command's --help lists only the options that mean something for it, and an option
a command does not know is refused by that command, pointing to its own help."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator

import pytest

from tiime.cli._parser import build_parser

from .conftest import Result

Cli = Callable[..., Result]

OUTPUT_OPTIONS = {"--format", "--csv-dialect", "--columns", "--no-pager", "--output"}
CONNECTION_OPTIONS = {"--sandbox", "--verbose"}
# Commands that print no data: a server, a script, a URL.
PRINT_NO_DATA = {"sandbox", "dashboard", "mcp", "completion", "open", "version"}
# Commands that call no API.
CALL_NO_API = {"sandbox", "completion", "version"}
# What a command of PRINT_NO_DATA keeps of the output options: `version --format json`.
OWN_OPTIONS = {"version": {"--format"}}
_LISTED = re.compile(r"^  (?:-\w, )?(--[\w-]+)")


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[str]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield " ".join(path)
        return
    for name, sub in subs[0].choices.items():
        yield from _commands(sub, (*path, name))


EVERY_COMMAND = sorted(_commands(build_parser()))


def _listed(help_text: str) -> set[str]:
    """The long options the help lists (its options section, not its prose)."""
    return {m.group(1) for line in help_text.splitlines() if (m := _LISTED.match(line))}


def test_the_walk_finds_the_commands() -> None:
    assert {"invoices list", "sandbox", "mcp", "bank auto-impute"} <= set(EVERY_COMMAND)


@pytest.mark.parametrize("name", EVERY_COMMAND)
def test_help_lists_the_options_that_mean_something(cli: Cli, name: str) -> None:
    result = cli(*name.split(), "--help")
    assert result.code == 0, result.err
    listed = _listed(result.out)
    if name in PRINT_NO_DATA:
        assert listed & OUTPUT_OPTIONS == OWN_OPTIONS.get(name, set()), result.out
    else:
        assert {"--format", "--columns", "--output"} <= listed, result.out
    if name in CALL_NO_API:
        assert not listed & CONNECTION_OPTIONS, result.out
    else:
        assert listed >= CONNECTION_OPTIONS, result.out


@pytest.mark.parametrize("name", ["sandbox", "dashboard", "mcp", "completion"])
def test_a_server_or_a_script_refuses_output_options(cli: Cli, name: str) -> None:
    result = cli(name, "--no-pager")
    assert result.code == 2
    assert f"{name}: unknown option --no-pager (see 'tiime {name} --help')" in result.error_line


def test_the_outbox_still_takes_format(cli: Cli) -> None:
    result = cli("sandbox", "outbox", "--format", "json")
    assert result.code == 0, result.err
    assert isinstance(result.json, list)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("invoices", "list", "--bogus"),
            "tiime: error: invoices list: unknown option --bogus "
            "(see 'tiime invoices list --help')",
        ),
        (
            ("invoices", "list", "--bogus=3", "--limit", "2"),
            "tiime: error: invoices list: unknown option --bogus "
            "(see 'tiime invoices list --help')",
        ),
        (
            ("bank", "auto-impute", "--yess"),
            "tiime: error: bank auto-impute: unknown option --yess "
            "(see 'tiime bank auto-impute --help')",
        ),
        (
            ("invoices", "get", "1", "2"),
            "tiime: error: invoices get: unexpected argument '2' (see 'tiime invoices get --help')",
        ),
        (
            ("invoices", "--bogus"),
            "tiime: error: invoices: unknown option --bogus (see 'tiime invoices --help')",
        ),
        (
            ("--bogus", "clients", "list"),
            "tiime: error: unknown option --bogus (see 'tiime --help')",
        ),
    ],
)
def test_an_unknown_option_points_to_the_command_s_help(
    cli: Cli, args: tuple[str, ...], expected: str
) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.error_line == expected
