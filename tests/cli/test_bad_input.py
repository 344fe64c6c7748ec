"""Bad input of every kind, run through the command line: one line on stderr, exit 2
(usage) or 1 (runtime), never a traceback.

The table holds what broke before (integers past 2^63, input nested thousands deep) and
its neighbours; each row runs in a fresh ``$TIIME_CONFIG_DIR`` and sandbox database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import BinaryResult, Result

Cli = Callable[..., Result]
Tiime = Callable[..., BinaryResult]

HUGE = "9" * 30  # past 2^63, and past sys.maxsize
DEEP_JSON = "[" * 10_000 + "]" * 10_000
DEEPISH_JSON = "[" * 500 + "]" * 500  # parses, but is no document's lines
DEEP_OBJECTS = '{"a":' * 5_000 + "1" + "}" * 5_000
DEEP_FIELD = '[{"description": ' + DEEPISH_JSON + ', "unit_price": 1}]'
LINE_WITH = '[{"description": "x", "unit_price": 1, %s}]'
ONE_LINE = ("invoices", "create", "--description", "x", "--dry-run")


def _files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "deep.json": DEEP_JSON,
        "deep-object.json": '{"lines": ' + "[" * 5_000 + "]" * 5_000 + "}",
        "deep.yaml": "lines: " + "[" * 10_000 + "]" * 10_000,
        "cycle.yaml": "lines: &a [*a]\n",
        "laughs.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
            for i in range(9)
        )
        + "lines: *j\n",
    }
    paths = {}
    for name, text in files.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text)
    return paths


BAD_INPUTS: list[tuple[str, tuple[str, ...]]] = [
    ("limit past 2^63", ("clients", "list", "--limit", HUGE)),
    ("limit past 2^63, search", ("clients", "search", "x", "--limit", HUGE)),
    ("limit past 2^63, invoices", ("invoices", "list", "--limit", HUGE)),
    ("limit past 2^63, bank", ("bank", "transactions", "--limit", HUGE)),
    ("id past 2^63", ("clients", "get", HUGE)),
    ("--id past 2^63", ("invoices", "get", "--id", HUGE)),
    ("client id past 2^63", ("invoices", "create", "--client-id", HUGE)),
    ("bank page past 2^63", ("bank", "transactions", "--page", HUGE)),
    ("bank page size past 2^63", ("bank", "transactions", "--page", "1", "--page-size", HUGE)),
    ("concurrency past 2^63", ("audit", "--concurrency", HUGE)),
    ("login company past 2^63", ("auth", "login", "--company-id", HUGE)),
    ("sandbox clients past 2^63", ("sandbox", "--clients", HUGE)),
    ("sandbox size past 2^63", ("sandbox", "--size", f"clients={HUGE}")),
    ("sandbox port past 2^63", ("sandbox", "--port", HUGE)),
    ("limit of 5,000 digits", ("clients", "list", "--limit", "9" * 5_000)),
    ("lines nested 10,000 deep", ("invoices", "create", "--lines", DEEP_JSON)),
    ("quotation lines 10,000 deep", ("quotations", "create", "--lines", DEEP_JSON)),
    ("lines nested 500 deep", ("invoices", "create", "--lines", DEEPISH_JSON)),
    ("lines of deep objects", ("invoices", "create", "--lines", DEEP_OBJECTS)),
    ("a line's field nested deep", ("invoices", "create", "--lines", DEEP_FIELD)),
    ("file nested 10,000 deep", ("invoices", "create", "--from-file", "@file:deep.json")),
    ("file's lines 5,000 deep", ("quotations", "create", "--from-file", "@file:deep-object.json")),
    ("YAML nested 10,000 deep", ("invoices", "create", "--from-file", "@file:deep.yaml")),
    ("YAML lines in a cycle", ("invoices", "create", "--from-file", "@file:cycle.yaml")),
    ("YAML billion laughs", ("invoices", "create", "--from-file", "@file:laughs.yaml")),
    ("quantity of 10^999999", (*ONE_LINE, "--unit-price", "1", "--quantity", "1e999999")),
    ("unit price NaN", (*ONE_LINE, "--unit-price", "NaN")),
    ("a line's unit a list", ("invoices", "create", "--lines", LINE_WITH % '"unit": []')),
    ("a line's VAT a list", ("invoices", "create", "--lines", LINE_WITH % '"vat": {"code": []}')),
    ("a line's quantity text", ("invoices", "create", "--lines", LINE_WITH % '"quantity": "x"')),
    ("a date past 9999", ("bank", "transactions", "--from", "99999-01-01")),
    ("a date that is not one", ("bank", "transactions", "--from", "2024-02-30")),
]  # fmt: skip


@pytest.mark.parametrize(("what", "args"), BAD_INPUTS, ids=[what for what, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_1_or_2(
    cli: Cli, tiime: Tiime, tmp_path: Path, what: str, args: tuple[str, ...]
) -> None:
    files = _files(tmp_path)
    args = tuple(str(files[arg[6:]]) if arg.startswith("@file:") else arg for arg in args)

    if args[0] == "sandbox":  # in a subprocess, ended after 60 s: a sandbox accepting the
        result: Result | BinaryResult = tiime(*args)  # option would serve (or seed) for good
    else:
        result = cli("--sandbox", *args)

    assert "Traceback" not in result.err, result.err[-2000:]
    assert result.code in (1, 2), (result.code, result.err[-2000:])
    assert result.err.startswith("tiime: error: "), result.err[-2000:]
    assert len(result.err.splitlines()) == 1, result.err[-2000:]
