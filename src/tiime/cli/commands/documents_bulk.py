"""``tiime documents upload DIR|FILES...`` for many files: uploads at a bounded
concurrency with a progress bar, a ledger of what was sent (by content hash, per company,
``uploads.json`` in the config directory) so that a second run sends nothing twice,
unsupported files listed and skipped, and with ``--match`` the transactions proposed for
what was uploaded. Standard library only at the top."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...i18n import _
from .._errors import EXIT_OK, EXIT_RUNTIME, CommandError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date
    from typing import Any

    from ..._client import TiimeClient
    from ...reconcile._uploads import UploadLedger
    from .._session import Session

# What Tiime takes as a receipt, by extension and by first bytes.
SUPPORTED = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".heic": (b"",),
}
MAX_CONCURRENCY = 16
RESULT_COLUMNS = ("path", "status", "document_id", "sha256", "error")


def add_bulk_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="N",
        help=_("uploads at once, 1 to {MAX_CONCURRENCY} (default: 4)").format(
            MAX_CONCURRENCY=MAX_CONCURRENCY
        ),
    )
    parser.add_argument(
        "--match",
        action="store_true",
        help=_("then propose the bank transactions matching what was uploaded (default: off)"),
    )
    parser.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help=_(
            "upload many files without asking; needed when stdin is not a terminal "
            "(default: ask on a terminal, for a directory or several files)"
        ),
    )


def is_bulk(args: argparse.Namespace) -> bool:
    """Whether the upload is the bulk one: several paths, a directory, or ``--match``."""
    paths = args.file or []
    return len(paths) > 1 or args.match or any(Path(p).is_dir() for p in paths)


def _files(paths: list[str]) -> Iterator[Path]:
    from .._errors import CommandError

    for given in paths:
        path = Path(given)
        if path.is_dir():
            if len(paths) == 1 and not any(p.is_file() for p in path.rglob("*")):
                raise CommandError(_("{given}: not a file, and no file in it").format(given=given))
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        elif path.is_file():
            yield path
        else:
            raise UsageError(_("{given}: no such file or directory").format(given=given))


def _unsupported(path: Path) -> str | None:
    """Why ``path`` is not sent (its type), or None."""
    signatures = SUPPORTED.get(path.suffix.lower())
    if signatures is None:
        return f"unsupported type {path.suffix or '(no extension)'}"
    with path.open("rb") as file:
        head = file.read(16)
    if not head:
        return "empty file"
    if not any(head.startswith(signature) for signature in signatures):
        return f"not a {path.suffix.lower()[1:].upper()} file (its first bytes)"
    return None


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _ledger(client: TiimeClient) -> UploadLedger:
    from ..._config import login_path
    from ...reconcile import ReminderLedger
    from ...reconcile._uploads import UploadLedger

    company_id = client.require_company()
    scope = ReminderLedger.key(str(client.base_url), company_id, 0).rsplit("|", 1)[0]
    return UploadLedger(login_path().with_name("uploads.json"), scope)


def _upload_one(
    client: TiimeClient, ledger: UploadLedger, path: Path, sha: str, kind: str | None, day: date
) -> dict[str, Any]:
    from ... import _exceptions as E
    from .._errors import describe

    row: dict[str, Any] = {"path": str(path), "sha256": sha, "document_id": None, "error": None}
    if not ledger.claim(sha, path.name, day):
        entry = ledger.known().get(sha, {})
        row["document_id"] = entry.get("document_id")
        row["status"] = "already uploaded" if entry.get("state") == "sent" else "unknown before"
        return row
    try:
        document = client.documents.upload(path, type=kind)
    except E.AmbiguousWriteError as exc:
        row["status"], row["error"] = "unknown", describe(exc)
        return row
    except E.TiimeError as exc:
        ledger.release(sha)
        row["status"], row["error"] = "failed", describe(exc)
        return row
    except OSError as exc:  # the file could not be read: nothing was sent
        ledger.release(sha)
        row["status"], row["error"] = "failed", f"{path}: {exc.strerror or exc}"
        return row
    ledger.done(sha, path.name, day, document.id)
    row["status"], row["document_id"] = "uploaded", document.id
    return row


def bulk_upload(session: Session, args: argparse.Namespace) -> int:
    """Upload every supported file of the paths given, ``--concurrency`` at a time; print a
    line per file (uploaded, already uploaded, duplicate, skipped, failed, unknown)."""
    from concurrent.futures import ThreadPoolExecutor

    from ..._today import today
    from .._bookkeeping import bar
    from .._confirm import confirm

    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise UsageError(
            _("--concurrency {concurrency}: give 1 to {MAX_CONCURRENCY}").format(
                concurrency=args.concurrency, MAX_CONCURRENCY=MAX_CONCURRENCY
            )
        )
    client = session.client()
    ledger = _ledger(client)
    known = ledger.known()
    rows: list[dict[str, Any]] = []
    todo: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    for path in _files(args.file):
        row: dict[str, Any] = {
            "path": str(path),
            "document_id": None,
            "sha256": None,
            "error": None,
        }
        reason = _unsupported(path)
        if reason is not None:
            rows.append({**row, "status": "skipped", "error": reason})
            continue
        sha = _sha256(path)
        row["sha256"] = sha
        if sha in seen:
            rows.append({**row, "status": "duplicate", "error": f"same content as {seen[sha]}"})
        elif sha in known:
            state = known[sha].get("state")
            rows.append(
                {
                    **row,
                    "status": "already uploaded" if state == "sent" else "unknown before",
                    "document_id": known[sha].get("document_id"),
                }
            )
        else:
            seen[sha] = path
            todo.append((path, sha))
            rows.append(row)  # its place in the report, filled in once sent
    question = _("Upload {n} files as documents of company {company}?").format(
        n=len(todo), company=client.require_company()
    )
    if todo and not confirm(_("upload many files"), question, yes=args.yes):
        raise CommandError(
            _("nothing uploaded: {n} files not sent (not confirmed)").format(n=len(todo))
        )
    day = today()
    with (
        bar(len(todo), _("Uploading {n} files").format(n=len(todo))) as progress,
        ThreadPoolExecutor(max_workers=args.concurrency) as pool,
    ):
        futures = {
            sha: pool.submit(_upload_one, client, ledger, path, sha, args.type, day)
            for path, sha in todo
        }
        places = {row["sha256"]: row for row in rows if "status" not in row}
        for sha, future in futures.items():
            places[sha].update(future.result())
            progress.advance()
    from ...reconcile._uploads import UploadRow

    session.output.many(rows, kind=UploadRow, columns=RESULT_COLUMNS)
    skipped = [row for row in rows if row["status"] == "skipped"]
    if skipped:
        sys.stderr.write(
            _("{n} files skipped (unsupported): listed above.").format(n=len(skipped)) + "\n"
        )
    if any(row["status"] in ("unknown", "unknown before") for row in rows):
        sys.stderr.write(
            _(
                "Some uploads may have been made (answer lost): `tiime documents list` shows "
                "them; they are not sent again."
            )
            + "\n"
        )
    if args.match:
        _propose(
            session, client, [row["document_id"] for row in rows if row["status"] == "uploaded"]
        )
    return EXIT_RUNTIME if any(row["status"] == "failed" for row in rows) else EXIT_OK


def _propose(session: Session, client: TiimeClient, document_ids: list[int]) -> None:
    """The reconciliation's pairs whose document is one just uploaded, on stderr."""
    from ...reconcile import load_books, propose

    wanted = set(document_ids)
    books = load_books(client)
    found = [p for p in propose(books) if p.kind == "document" and p.target_id in wanted]
    if not found:
        sys.stderr.write(
            _(
                "No transaction proposed yet: a document's date and amount are read after the "
                "upload; `tiime reconcile` proposes them once they are."
            )
            + "\n"
        )
    for p in found:
        sys.stderr.write(
            _(
                "document {target_id} <-> transaction {transaction_id} ({transaction_date}, "
                "{amount}, score {score}): `tiime bank match {transaction_id} {target_id} "
                "--keep`"
            ).format(
                target_id=p.target_id,
                transaction_id=p.transaction_id,
                transaction_date=p.transaction_date,
                amount=p.amount,
                score=p.score,
            )
            + "\n"
        )
