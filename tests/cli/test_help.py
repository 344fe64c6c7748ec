"""Help that teaches: every example of a command's --help runs on the sandbox; a group
without its action shows the group's help; `tiime help X Y` is `tiime X Y --help`."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from tiime.cli._examples import EXAMPLES

from .conftest import Result

Cli = Callable[..., Result]
EVERY_EXAMPLE = [(name, example) for name, examples in EXAMPLES.items() for example in examples]


@pytest.mark.parametrize(("name", "example"), EVERY_EXAMPLE, ids=[e for _, e in EVERY_EXAMPLE])
def test_every_example_runs_on_the_sandbox(
    cli: Cli, name: str, example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    words = shlex.split(example)
    assert words[0] == "tiime"
    assert " ".join(words[1:]).startswith(name)  # the example is of its own command
    if ">" in words:  # a shell redirection: what the command prints is what counts
        words = words[: words.index(">")]
    result = cli("--sandbox", *words[1:])
    assert result.code == 0, result.err


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_help_ends_with_the_examples(cli: Cli, name: str) -> None:
    result = cli(*name.split(), "--help")
    assert result.code == 0, result.err
    assert result.out.rstrip().endswith(EXAMPLES[name][-1])
    assert "\nexamples:\n" in result.out


def test_every_listing_and_download_has_an_example() -> None:
    for name in ("invoices list", "invoices get", "bank transactions", "invoices pdf"):
        assert 1 <= len(EXAMPLES[name]) <= 3


@pytest.mark.parametrize(("group", "action"), [("invoices", "pdf"), ("bank", "transactions")])
def test_a_group_without_its_action_shows_its_help(cli: Cli, group: str, action: str) -> None:
    result = cli(group)
    assert result.code == 0, result.err
    assert result.out.startswith(f"usage: tiime {group}")
    assert f"\n    {action} " in result.out


def test_help_command(cli: Cli) -> None:
    result = cli("help", "invoices", "create")
    assert result.code == 0, result.err
    assert result.out == cli("invoices", "create", "--help").out
    assert result.out.startswith("usage: tiime invoices create")
    assert cli("help").out == cli("--help").out
