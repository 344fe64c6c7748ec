"""Command-line habits: help, typos, several words, defaults in help, completion, pipes, --id."""

from __future__ import annotations

import argparse
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tiime.cli._parser import build_parser

from .conftest import BinaryResult, Result, tiime_command

Cli = Callable[..., Result]
Tiime = Callable[..., BinaryResult]


def test_bare_tiime_prints_the_help(cli: Cli) -> None:
    result = cli()
    assert result.code == 0
    assert result.out.startswith("usage: tiime")
    assert "clients" in result.out
    assert result.err == ""


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (("clinets",), "clients"),
        (("compnay", "list"), "company"),
        (("clients", "serch", "x"), "search"),
        (("auth", "stauts"), "status"),
    ],
)
def test_a_typo_gets_a_suggestion(cli: Cli, args: tuple[str, ...], suggestion: str) -> None:
    result = cli(*args)
    assert result.code == 2
    assert f"did you mean '{suggestion}'?" in result.error_line


def test_search_joins_the_words(cli: Cli) -> None:
    one = cli("--sandbox", "clients", "search", "boulangerie hélène")
    two = cli("--sandbox", "clients", "search", "boulangerie", "hélène")
    assert one.code == two.code == 0, one.err + two.err
    assert [c["name"] for c in two.json] == [c["name"] for c in one.json] == ["Boulangerie Hélène"]


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.extend(_parsers(sub))
    return found


def test_every_option_says_what_it_does_and_its_default() -> None:
    missing = []
    for parser in _parsers(build_parser()):
        for action in parser._actions:
            if not action.option_strings or action.help == argparse.SUPPRESS:
                continue
            if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
                continue
            if not action.help or ("default" not in action.help and "required" not in action.help):
                missing.append(f"{parser.prog} {'/'.join(action.option_strings)}")
    assert missing == []


def _complete(line: str, cwd: Path) -> list[str]:
    answer = cwd / ".completions"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
    }
    subprocess.run(tiime_command(), cwd=cwd, env=env, capture_output=True, timeout=60, check=True)
    return answer.read_text().split()


@pytest.mark.parametrize(
    "line",
    ["tiime company use ", "tiime clients get ", "tiime clients get --id ", "tiime company get "],
)
def test_ids_do_not_complete_to_file_names(tmp_path: Path, line: str) -> None:
    (tmp_path / "facture.pdf").write_text("x")
    words = _complete(line, tmp_path)
    assert "facture.pdf" not in words


def test_bash_does_not_fall_back_to_file_names(cli: Cli) -> None:
    script = cli("completion", "bash").out
    assert "-o default" not in script
    assert "complete -o nospace -F _python_argcomplete tiime" in script


def test_a_closed_pipe_is_not_an_error(isolated: object) -> None:
    command = " ".join(tiime_command()) + " --sandbox clients list --format table | head -1"
    completed = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("id")
    assert completed.stderr == ""


def test_a_closed_pipe_during_a_long_json_listing(isolated: object) -> None:
    command = " ".join(tiime_command()) + " --sandbox clients list --format json | head -c 10"
    completed = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert "Exception ignored" not in completed.stderr
    assert completed.stderr == ""


@pytest.mark.parametrize(
    "args",
    [("clients", "get"), ("clients", "contacts"), ("company", "get")],
)
def test_id_as_an_option(cli: Cli, args: tuple[str, ...]) -> None:
    ident = "12345" if args[0] == "company" else "100101"
    positional = cli("--sandbox", *args, ident, "--format", "json")
    option = cli("--sandbox", *args, "--id", ident, "--format", "json")
    assert positional.code == option.code == 0, positional.err + option.err
    assert positional.out == option.out


def test_id_given_twice_differently_is_a_usage_error(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "get", "100101", "--id", "100102")
    assert result.code == 2
    assert "two different ids" in result.error_line


def test_missing_id_is_a_usage_error(cli: Cli) -> None:
    result = cli("--sandbox", "clients", "get")
    assert result.code == 2
    assert "ID" in result.error_line
