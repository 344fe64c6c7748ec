"""``tiime documents upload DIR|FILES...`` on the embedded sandbox: many files at once,
each content sent once across runs, unsupported ones listed and skipped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import Isolation, Result

Cli = Callable[..., Result]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\ntrailer<<>>\n%%EOF\n".encode()


def ok(cli: Cli, *args: str) -> Any:
    result = cli("--sandbox", *args, "--format", "json")
    assert result.code == 0, result.err
    return result.json


def folder(tmp_path: Path) -> Path:
    receipts = tmp_path / "recus"
    (receipts / "mars").mkdir(parents=True)
    for n in range(5):
        (receipts / f"ticket-{n}.pdf").write_bytes(pdf(f"ticket {n}"))
    (receipts / "mars" / "photo.png").write_bytes(PNG)
    (receipts / "mars" / "copie.pdf").write_bytes(pdf("ticket 0"))  # same content as ticket-0
    (receipts / "notes.txt").write_text("pas un justificatif")
    (receipts / "faux.pdf").write_bytes(b"GIF89a not a pdf")
    (receipts / ".DS_Store").write_bytes(b"\x00")
    return receipts


def test_a_folder_is_uploaded_once_whatever_the_runs(
    cli: Cli, tmp_path: Path, isolated: Isolation
) -> None:
    receipts = folder(tmp_path)
    before = len(ok(cli, "documents", "list"))

    first = ok(cli, "documents", "upload", str(receipts), "--concurrency", "3", "--yes")

    by_status: dict[str, list[str]] = {}
    for row in first:
        by_status.setdefault(row["status"], []).append(Path(row["path"]).name)
    # Files go in path order: mars/copie.pdf comes before ticket-0.pdf, its twin.
    assert sorted(by_status["uploaded"]) == sorted(
        ["copie.pdf", "photo.png"] + [f"ticket-{n}.pdf" for n in range(1, 5)]
    )
    assert by_status["duplicate"] == ["ticket-0.pdf"]
    assert sorted(by_status["skipped"]) == ["faux.pdf", "notes.txt"]
    assert len(ok(cli, "documents", "list")) == before + 6
    ids = {row["document_id"] for row in first if row["status"] == "uploaded"}
    assert len(ids) == 6

    again = ok(cli, "documents", "upload", str(receipts))  # nothing to send: nothing asked
    assert {row["status"] for row in again} == {"already uploaded", "skipped"}
    assert {r["document_id"] for r in again if r["status"] == "already uploaded"} == ids
    assert len(ok(cli, "documents", "list")) == before + 6
    (receipts / "nouveau.pdf").write_bytes(pdf("nouveau"))
    third = ok(
        cli,
        "documents",
        "upload",
        str(receipts / "nouveau.pdf"),
        str(receipts / "ticket-1.pdf"),
        "--yes",
    )
    assert [row["status"] for row in third] == ["uploaded", "already uploaded"]
    empty = tmp_path / "vide"
    empty.mkdir()
    skipped = ok(cli, "documents", "upload", str(empty), str(receipts / "notes.txt"))
    assert [row["status"] for row in skipped] == ["skipped"]
    alone = cli("--sandbox", "documents", "upload", str(empty))
    assert alone.code == 1
    assert "no file in it" in alone.error_line
    ledger = isolated.config_dir / "uploads.json"
    assert ledger.stat().st_mode & 0o077 == 0


def test_bad_concurrency_and_missing_paths_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    receipts = folder(tmp_path)
    zero = cli("--sandbox", "documents", "upload", str(receipts), "--concurrency", "0")
    assert zero.code == 2
    missing = cli("--sandbox", "documents", "upload", str(receipts), str(tmp_path / "absent"))
    assert missing.code == 2
    assert "absent: no such file or directory" in missing.error_line


def test_match_says_what_it_proposes(cli: Cli, tmp_path: Path) -> None:
    one = tmp_path / "ticket.pdf"
    one.write_bytes(pdf("seul"))
    result = cli(
        "--sandbox", "documents", "upload", str(one), "--match", "--yes", "--format", "json"
    )
    assert result.code == 0, result.err
    assert [row["status"] for row in result.json] == ["uploaded"]
    assert "No transaction proposed yet" in result.err
