"""Documents' files beside the mirror, by content hash (``tiime sync --files``).

**Where.** A file is stored once per content in ``<database>.files/``, named by its SHA-256:
``books.sqlite.files/ab/ab12...ef.pdf`` (the first two hex digits as a folder, the
extension told by the document's ``mime_type``, ``.bin`` when unknown). The document's row
names it by ``file_sha256``; two documents with the same content share one file.

**Which.** After a company's documents are written, the files of its documents whose
``file_sha256`` is NULL (new, changed since their file was fetched, or never fetched) or
whose file is missing are fetched, one streamed download each
(``documents.with_streaming_response.download``); an unchanged document is not fetched
again. Each file is written to ``.incoming/<document id>.part``, hashed as it streams,
flushed to disk, then renamed to its name (a partial file is never left under a final
name), and only then is the row given its hash (one commit per file): a sync killed
between the two fetches that one file again on the next run. Files no row references any
more (their documents deleted or changed) are removed; one that another row still
references is kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from pathlib import Path

import msgspec

from .. import TiimeClient

__all__ = [
    "EXTENSIONS",
    "FileChanges",
    "clear_incoming",
    "fetch",
    "file_path",
    "remove_unreferenced",
    "store_of",
]

EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/tiff": ".tiff",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "application/zip": ".zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}
_STORED = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]{1,5}$")
_INCOMING = ".incoming"


class FileChanges(msgspec.Struct):
    """What a sync did to the files: downloads, new files stored, files removed, bytes
    written."""

    fetched: int = 0
    written: int = 0
    deleted: int = 0
    bytes_written: int = 0


def store_of(db_path: Path) -> Path:
    """The folder of the mirror's files: ``<database>.files`` beside it."""
    return db_path.with_name(db_path.name + ".files")


def file_path(store: Path, sha256: str, mime_type: str | None) -> Path:
    """Where the file of hash ``sha256`` (a document of type ``mime_type``) is stored."""
    extension = EXTENSIONS.get((mime_type or "").split(";", 1)[0].strip().lower(), ".bin")
    return store / sha256[:2] / f"{sha256}{extension}"


def clear_incoming(store: Path) -> None:
    """Remove what a sync cut short left in ``.incoming`` (one sync runs at a time)."""
    incoming = store / _INCOMING
    if incoming.is_dir():
        for part in incoming.glob("*.part"):
            part.unlink(missing_ok=True)


def fetch(
    client: TiimeClient, store: Path, document_id: int, mime_type: str | None
) -> tuple[str, int]:
    """Download document ``document_id``'s file into the store; returns its SHA-256 and the
    bytes written (0 when that content was stored already).

    Sends ``GET companies/{cid}/documents/{id}/download``, streamed. Raises the SDK's errors
    (a :class:`~tiime.NotFoundError` for a document deleted since its listing), the partial
    file removed.
    """
    incoming = store / _INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    part = incoming / f"{document_id}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with (
            client.documents.with_streaming_response.download(document_id) as response,
            part.open("wb") as out,
        ):
            for chunk in response.iter_bytes():
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha256 = digest.hexdigest()
        final = file_path(store, sha256, mime_type)
        if final.is_file():  # the same content, stored for another document or before
            part.unlink()
            return sha256, 0
        final.parent.mkdir(exist_ok=True)
        os.replace(part, final)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return sha256, size


def remove_unreferenced(conn: sqlite3.Connection, store: Path) -> int:
    """Remove the stored files no document of the mirror references; returns how many.

    Only files named as the store names them are considered (anything else is left)."""
    if not store.is_dir():
        return 0
    referenced = {
        file_path(store, sha256, mime_type)
        for sha256, mime_type in conn.execute(
            "SELECT file_sha256, mime_type FROM documents WHERE file_sha256 IS NOT NULL"
        )
    }
    removed = 0
    for folder in store.iterdir():
        if not folder.is_dir() or len(folder.name) != 2 or folder.name == _INCOMING:
            continue
        for stored in folder.iterdir():
            if _STORED.match(stored.name) and stored not in referenced:
                stored.unlink(missing_ok=True)
                removed += 1
    return removed
