"""``tiime documents list|get|update|upload|download|categories``: receipts and other
documents."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ...i18n import N_, _
from .._errors import EXIT_OK, CommandError, UsageError
from .._parser import Registrar, add_id, add_limit, add_page
from .documents_bulk import add_bulk_flags, bulk_upload, is_bulk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import IO, Any

    from .._session import Session

COLUMNS = ("id", "name", "type", "mime_type", "created_at", "ocr_status", "payment_status")
CATEGORY_COLUMNS = ("id", "name", "identifier", "count", "owner", "editable")
NOT_FOUND = N_("`tiime documents list` shows the documents' ids")
# Transfers at least this big get a progress bar (on a terminal).
PROGRESS_THRESHOLD = 4 * 1024 * 1024
_CHUNK = 256 * 1024
# An upload may take this many seconds, plus one per SLOWEST_UPLOAD bytes.
UPLOAD_TIMEOUT = 60.0
SLOWEST_UPLOAD = 256 * 1024


def register(registrar: Registrar) -> None:
    group = registrar.group("documents")

    listing = group.command("list", _("the company's documents, newest first"), list_)
    listing.add_argument(
        "--type",
        dest="types",
        metavar="TYPE",
        help=_("only this type, e.g. receipt, or several comma-separated (default: all)"),
    )
    listing.add_argument("--source", help=_("only this source, e.g. upload (default: all)"))
    listing.add_argument(
        "--sort",
        default="created_at:desc",
        help=_("sort order, FIELD:asc|desc (default: %(default)s)"),
    )
    add_page(listing, _("documents"))
    add_limit(listing)

    add_id(
        group.command("get", _("one document"), get_, not_found=NOT_FOUND), _("the document's id")
    )
    update = group.command(
        "update",
        _("set a document's date, wording, amount or VAT amount (its metadata)"),
        update_,
        not_found=NOT_FOUND,
    )
    add_id(update, _("the document's id"))
    update.add_argument("--date", help=_("its date, YYYY-MM-DD (default: unchanged)"))
    update.add_argument("--wording", help=_("what it is for, one line (default: unchanged)"))
    update.add_argument(
        "--amount",
        metavar="EUROS",
        help=_("its amount including taxes, e.g. 12.50 (default: unchanged)"),
    )
    update.add_argument(
        "--vat-amount", metavar="EUROS", help=_("its VAT amount, e.g. 2.08 (default: unchanged)")
    )

    upload = group.command(
        "upload",
        _(
            "upload a file as a document, or many: every supported file of a directory, "
            "each content once (a ledger per company), at a bounded concurrency"
        ),
        upload_,
    )
    upload.add_argument(
        "file",
        nargs="*",
        metavar="FILE|DIR",
        help=_("the file to upload, or several, or directories"),
    )
    upload.add_argument(
        "--file",
        dest="file_option",
        metavar="FILE",
        help=_("the same file, given as an option (default: the positional FILE)"),
    )
    upload.add_argument(
        "--type", help=_("the document's type, e.g. receipt or invoice (default: the server's)")
    )
    add_bulk_flags(upload)

    download = group.command(
        "download", _("save a document's file"), download_, not_found=NOT_FOUND
    )
    add_id(download, _("the document's id"))
    download.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        help=_(
            "where to write it, a file or a directory (default: document-ID plus the "
            "extension of its type, in the current directory)"
        ),
    )
    download.add_argument(
        "--force", action="store_true", help=_("overwrite an existing file (default: refuse)")
    )

    group.command("categories", _("the document categories and their counts"), categories)


def list_(session: Session, args: argparse.Namespace) -> int:
    from ...types import Document
    from .._listing import limited, one_page, page_note, page_size, read_ahead
    from .._progress import until_first

    client = session.client()
    paged = one_page(args)
    if paged is not None:
        page = client.documents.list_page(
            page=paged[0], page_size=paged[1], types=args.types, source=args.source, sorts=args.sort
        )
        page_note(page, _("documents"))
        session.output.many(limited(page.items, args.limit), kind=Document, columns=COLUMNS)
        return EXIT_OK
    documents = client.documents.iter(
        types=args.types, source=args.source, sorts=args.sort, page_size=page_size(args.limit)
    )
    shown = until_first(read_ahead(limited(documents, args.limit)), _("Fetching documents..."))
    session.output.many(shown, kind=Document, columns=COLUMNS)
    return EXIT_OK


def get_(session: Session, args: argparse.Namespace) -> int:
    session.output.one(session.client().documents.get(args.id))
    return EXIT_OK


def update_(session: Session, args: argparse.Namespace) -> int:
    """One PATCH with the fields given (a usage error, nothing sent, when none is)."""
    if all(v is None for v in (args.date, args.wording, args.amount, args.vat_amount)):
        raise UsageError(_("give at least one of --date, --wording, --amount, --vat-amount"))
    updated = session.client().documents.update(
        args.id,
        date=args.date,
        wording=args.wording,
        amount=args.amount,
        vat_amount=args.vat_amount,
    )
    session.output.one(updated)
    return EXIT_OK


def categories(session: Session, args: argparse.Namespace) -> int:
    from ...types import DocumentCategory

    found = session.client().documents.categories()
    session.output.many(found, kind=DocumentCategory, columns=CATEGORY_COLUMNS)
    return EXIT_OK


# -- progress --------------------------------------------------------------------------------


def _progress_bar(description: str, total: int | None) -> Any:
    """A rich progress bar on stderr for a transfer of ``total`` bytes, or ``None`` when
    stderr is not a terminal or the transfer is small (or of unknown size)."""
    import sys

    if total is None or total < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TransferSpeedColumn,
    )

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


class _Counted:
    """A binary file that reports each read to ``advance`` (for the upload's bar); httpx
    still gets its size (``fileno``) and streams it."""

    def __init__(self, file: IO[bytes], advance: Callable[[int], None]) -> None:
        self._file = file
        self._advance = advance
        self.name = file.name

    def fileno(self) -> int:
        return self._file.fileno()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        self._advance(len(chunk))
        return chunk


# -- upload ----------------------------------------------------------------------------------


def upload_(session: Session, args: argparse.Namespace) -> int:
    if is_bulk(args):
        if args.file_option:
            raise UsageError(_("--file names one file: give several as FILE|DIR..."))
        return bulk_upload(session, args)
    one = args.file[0] if args.file else None
    if one and args.file_option and one != args.file_option:
        raise UsageError(
            _("two different files: {one} and --file {file_option}").format(
                one=one, file_option=args.file_option
            )
        )
    given = one or args.file_option
    if not given:
        raise UsageError(_("the following arguments are required: FILE (or --file FILE)"))
    path = Path(given)
    if not path.is_file():
        raise CommandError(
            (_("{path}: no such file") if not path.exists() else _("{path}: not a file")).format(
                path=given
            )
        )
    size = path.stat().st_size
    # The client's timeout bounds a whole call, the upload included: allow for a slow link.
    client = session.client().with_options(timeout=UPLOAD_TIMEOUT + size / SLOWEST_UPLOAD)
    bar = _progress_bar(_("Uploading {name}").format(name=path.name), size)
    if bar is None:
        created = client.documents.upload(path, type=args.type)
    else:
        with bar, path.open("rb") as file:
            task = bar.add_task(_("Uploading {name}").format(name=path.name), total=size)
            counted = _Counted(file, lambda n: bar.advance(task, n))
            created = client.documents.upload(counted, filename=path.name, type=args.type)  # type: ignore[arg-type]
    session.output.one(created)
    return EXIT_OK


# -- download --------------------------------------------------------------------------------


def _extension(content_type: str, disposition: str) -> str:
    """The file extension a download should get: from the name the server gave it, else
    from its media type (``.bin`` when neither says)."""
    import mimetypes
    from email.message import Message

    message = Message()
    message["content-disposition"] = disposition
    name = message.get_filename() or ""
    suffix = Path(name).suffix
    if suffix and suffix[1:].isalnum() and len(suffix) <= 8:
        return suffix.lower()
    media_type = content_type.split(";")[0].strip().lower()
    return mimetypes.guess_extension(media_type) or ".bin"


def _refuse_existing(path: Path, force: bool) -> None:
    if path.is_dir():
        raise CommandError(_("{path} is a directory").format(path=path))
    if path.exists() and not force:
        raise CommandError(_("{path} exists: use --force to overwrite it").format(path=path))


def _place_new(partial: Path, target: Path) -> None:
    """Give ``partial`` the name ``target`` unless a file has that name by now."""
    try:
        os.link(partial, target)  # atomic: fails if the target appeared meanwhile
    except FileExistsError:
        raise CommandError(
            _("{target} exists: use --force to overwrite it").format(target=target)
        ) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise CommandError(
                _("{target} exists: use --force to overwrite it").format(target=target)
            ) from None
        partial.replace(target)
        return
    partial.unlink()


def _write(chunks: Iterator[bytes], target: Path, force: bool, bar: Any, total: int | None) -> int:
    """Write ``chunks`` to ``target`` through a partial file renamed at the end; returns the
    size written. Without ``force``, an existing ``target`` is never replaced."""
    partial = target.with_name(f".{target.name}.part")
    written = 0
    try:
        with partial.open("wb") as out:
            task = (
                None
                if bar is None
                else bar.add_task(_("Downloading {name}").format(name=target.name), total=total)
            )
            for chunk in chunks:
                out.write(chunk)
                written += len(chunk)
                if bar is not None:
                    bar.advance(task, len(chunk))
        if force:
            partial.replace(target)
        else:
            _place_new(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return written


def download_(session: Session, args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    output = Path(args.output) if args.output else None
    directory = output if output is not None and output.is_dir() else None
    if args.output and args.output.endswith(("/", os.sep)) and directory is None:
        raise CommandError(_("{output}: no such directory").format(output=args.output))
    if output is not None and directory is None:
        _refuse_existing(output, args.force)
    client = session.client()
    with client.documents.with_streaming_response.download(args.id) as response:
        if output is None or directory is not None:
            name = f"document-{args.id}" + _extension(
                response.headers.get("content-type", ""),
                response.headers.get("content-disposition", ""),
            )
            target = (directory or Path()) / name
            _refuse_existing(target, args.force)
        else:
            target = output
        length = response.headers.get("content-length", "")
        total = int(length) if length.isdigit() else None
        bar = _progress_bar(_("Downloading {name}").format(name=target.name), total)
        with bar if bar is not None else nullcontext():
            size = _write(response.iter_bytes(_CHUNK), target, args.force, bar, total)
        content_type = response.headers.get("content-type")
    session.output.one(
        {"status": "downloaded", "path": str(target), "size": size, "content_type": content_type}
    )
    return EXIT_OK
