"""``tiime documents`` and ``tiime expenses`` on the embedded sandbox."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Result

Cli = Callable[..., Result]
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory of the command: where downloads land by default."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def upload(cli: Cli, path: Path, *extra: str) -> int:
    result = cli("--sandbox", "documents", "upload", str(path), *extra, "--format", "json")
    assert result.code == 0, result.err
    return int(result.json["id"])


def test_list_newest_first_with_a_limit(cli: Cli) -> None:
    result = cli("--sandbox", "documents", "list", "--limit", "5", "--format", "json")

    assert result.code == 0, result.err
    assert len(result.json) == 5
    dates = [document["created_at"] for document in result.json]
    assert dates == sorted(dates, reverse=True)


def test_list_by_type_as_csv(cli: Cli) -> None:
    result = cli("--sandbox", "documents", "list", "--type", "invoice", "--format", "csv")

    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows
    assert {row["type"] for row in rows} == {"invoice"}
    assert "metadata.supplier_name" in rows[0]


def test_categories_table(cli: Cli) -> None:
    result = cli("--sandbox", "documents", "categories", "--format", "table")

    assert result.code == 0, result.err
    header = result.out.splitlines()[0].split()
    assert header[:3] == ["id", "name", "identifier"]
    assert "receipt" in result.out


def test_upload_then_download_byte_for_byte(cli: Cli, workdir: Path) -> None:
    source = workdir / "reçu été.pdf"
    source.write_bytes(PDF)

    document_id = upload(cli, source, "--type", "invoice")
    result = cli("--sandbox", "documents", "download", str(document_id), "--format", "json")

    assert result.code == 0, result.err
    target = workdir / f"document-{document_id}.pdf"
    assert result.json == {
        "status": "downloaded",
        "path": target.name,
        "size": len(PDF),
        "content_type": "application/pdf",
    }
    assert target.read_bytes() == PDF
    assert sorted(p.name for p in workdir.iterdir()) == sorted([source.name, target.name])


def test_download_never_overwrites_without_force(cli: Cli, workdir: Path) -> None:
    source = workdir / "a.pdf"
    source.write_bytes(PDF)
    document_id = upload(cli, source)
    target = workdir / "copie.pdf"
    target.write_bytes(b"precious")

    refused = cli("--sandbox", "documents", "download", "--id", str(document_id), "-o", "copie.pdf")

    assert refused.code == 1
    assert refused.error_line == "tiime: error: copie.pdf exists: use --force to overwrite it"
    assert target.read_bytes() == b"precious"
    forced = cli(
        "--sandbox", "documents", "download", str(document_id), "-o", "copie.pdf", "--force"
    )
    assert forced.code == 0, forced.err
    assert target.read_bytes() == PDF
    assert sorted(p.name for p in workdir.iterdir()) == ["a.pdf", "copie.pdf"]


def test_download_default_name_is_not_overwritten_either(cli: Cli, workdir: Path) -> None:
    (workdir / "document-500001.png").write_bytes(b"mine")

    result = cli("--sandbox", "documents", "download", "500001")

    assert result.code == 1
    assert "exists: use --force" in result.error_line
    assert (workdir / "document-500001.png").read_bytes() == b"mine"


def test_download_into_a_directory(cli: Cli, workdir: Path) -> None:
    (workdir / "out").mkdir()

    result = cli("--sandbox", "documents", "download", "500002", "-o", "out", "--format", "json")
    missing = cli("--sandbox", "documents", "download", "500002", "-o", "nowhere/")

    assert result.code == 0, result.err
    saved = workdir / "out" / "document-500002.png"
    assert result.json["path"] == str(Path("out") / saved.name)
    assert saved.read_bytes().startswith(b"\x89PNG")
    assert missing.code == 1
    assert missing.error_line == "tiime: error: nowhere/: no such directory"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "FILE (or --file FILE)"),
        (("a.pdf", "--file", "b.pdf"), 2, "two different files"),
        (("absent.pdf",), 1, "absent.pdf: no such file"),
        ((".",), 1, ".: not a file"),
    ],
)
def test_upload_errors(
    cli: Cli, workdir: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = cli("--sandbox", "documents", "upload", *args)
    assert result.code == code
    assert message in result.error_line
    assert result.err.count("\n") == 1


def test_upload_with_the_reference_flag(cli: Cli, workdir: Path) -> None:
    (workdir / "ticket.pdf").write_bytes(PDF)
    result = cli("--sandbox", "documents", "upload", "--file", "ticket.pdf", "--format", "json")
    assert result.code == 0, result.err
    assert result.json["name"] == "ticket.pdf"


def test_unknown_document_is_one_line_with_a_hint(cli: Cli, workdir: Path) -> None:
    result = cli("--sandbox", "documents", "download", "99")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "`tiime documents list` shows the documents' ids" in result.error_line
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("terminal", [True, False])
def test_a_progress_bar_on_a_terminal_only(
    cli: Cli, workdir: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    big = workdir / "gros.pdf"
    big.write_bytes(b"%PDF-1.4\n" + os.urandom(5 * 1024 * 1024))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)

    uploaded = cli("--sandbox", "documents", "upload", "gros.pdf", "--format", "json")
    downloaded = cli(
        "--sandbox", "documents", "download", str(uploaded.json["id"]), "--format", "json"
    )

    assert uploaded.code == downloaded.code == 0
    assert ("Uploading gros.pdf" in uploaded.err) is terminal
    assert ("Downloading document-" in downloaded.err) is terminal
    assert (workdir / downloaded.json["path"]).read_bytes() == big.read_bytes()


# -- expenses --------------------------------------------------------------------------------


def test_expenses_list_with_totals(cli: Cli) -> None:
    result = cli("--sandbox", "expenses", "list", "--format", "json")

    assert result.code == 0, result.err
    assert len(result.json) == 8
    assert all(isinstance(report["total_amount"], (int, float)) for report in result.json)
    table = cli("--sandbox", "expenses", "list", "--limit", "2", "--format", "table")
    assert table.out.splitlines()[0].split()[:4] == ["id", "date", "total", "status"]
    assert table.out.splitlines()[-1] == "2 rows"


def test_expenses_create_and_get(cli: Cli) -> None:
    created = cli(
        "--sandbox",
        "expenses",
        "create",
        "--name",
        "Mars",
        "--date",
        "2024-03-31",
        "--format",
        "json",
    )
    assert created.code == 0, created.err
    assert created.json["metadata"] == {"date": "2024-03-31"}
    shown = cli("--sandbox", "expenses", "get", str(created.json["id"]), "--format", "json")
    assert shown.json["name"] == "Mars"


def test_expenses_create_bad_date(cli: Cli) -> None:
    result = cli("--sandbox", "expenses", "create", "--name", "Mars", "--date", "31/03/2024")
    assert result.code == 2
    assert (
        result.error_line
        == "tiime: error: date must be a date written YYYY-MM-DD, got '31/03/2024'"
    )


def test_get_and_update_a_document_s_metadata(cli: Cli, workdir: Path) -> None:
    path = workdir / "ticket-parking.pdf"
    path.write_bytes(b"%PDF-1.4\n% parking\n")
    document_id = upload(cli, path)

    got = cli("--sandbox", "documents", "get", str(document_id), "--format", "json")
    assert got.code == 0, got.err
    assert got.json["name"] == "ticket-parking.pdf"

    changed = cli(
        "--sandbox",
        "documents",
        "update",
        str(document_id),
        "--date",
        "2026-03-02",
        "--wording",
        "Parking gare",
        "--amount",
        "18.00",
        "--vat-amount",
        "3.00",
        "--format",
        "json",
    )
    assert changed.code == 0, changed.err
    assert changed.json["metadata"] == {
        "date": "2026-03-02",
        "amount": 18.0,
        "supplier_name": None,
        "wording": "Parking gare",
        "vat_amount": 3.0,
    }
    again = cli("--sandbox", "documents", "get", str(document_id), "--format", "json")
    assert again.json["metadata"] == changed.json["metadata"]

    nothing = cli("--sandbox", "documents", "update", str(document_id))
    assert nothing.code == 2
    assert "give at least one of --date" in nothing.error_line
    bad = cli("--sandbox", "documents", "update", str(document_id), "--amount", "1.234")
    assert bad.code == 2
    assert "two decimals" in bad.error_line
    missing = cli("--sandbox", "documents", "get", "999999999")
    assert missing.code == 1
    assert "tiime documents list" in missing.error_line
