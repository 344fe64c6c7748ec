"""Uploaded files: a multipart body streamed straight to disk, and where the files live.

The files of a database ``sandbox.db`` live in the directory ``sandbox.db.files`` beside
it (mode 0700, files 0600), each under a random name the database row records. An upload
is parsed as it arrives (python-multipart's incremental parser): the ``file`` part goes
chunk by chunk to a temporary file in that directory, so that a body of any size takes a
few kilobytes of memory; past ``max_size`` bytes the upload is refused (413) and the
partial file removed. The file is flushed to disk (``fsync``) and renamed to its final
name before the row that points to it is committed, so that an acknowledged upload
survives a crash.

A temporary file (``.upload-*``) is locked while its upload is in progress (see
:mod:`tiime.sandbox.kernel.locks`): those nobody locks are left by a crash, and
:meth:`FileStore.reclaim_orphans` deletes them when a sandbox starts, leaving those of
another running process alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from .filetypes import SNIFF_SIZE, sniff
from .kernel import ApiError
from .kernel.locks import hold, remove_unlocked

__all__ = ["FileStore", "Upload", "receive_upload"]

# Text fields (``type``) are short; more is refused.
_MAX_FIELD_SIZE = 1024
_MAX_PARTS = 16
# The names the store gives files.
_KEY = re.compile(r"[0-9a-f]{32}")


class FileStore:
    """The directory of a database's uploaded files (created 0700 on first use)."""

    def __init__(self, database_path: Path) -> None:
        self.directory = database_path.with_name(database_path.name + ".files")

    def ensure(self) -> Path:
        """The directory, created with mode 0700 if missing."""
        with contextlib.suppress(FileExistsError):
            self.directory.mkdir(mode=0o700)
        return self.directory

    def forget_all(self) -> None:
        """Remove the files of a previous database of the same path (``--reset``, or a
        deleted database): the files of a new database start empty."""
        if not self.directory.is_dir():
            return
        for entry in self.directory.iterdir():
            if _KEY.fullmatch(entry.name):
                entry.unlink(missing_ok=True)
        self.reclaim_orphans()

    def reclaim_orphans(self) -> int:
        """Delete the temporary files of uploads no process is receiving (left by a
        crash); returns how many."""
        if not self.directory.is_dir():
            return 0
        return sum(remove_unlocked(entry) for entry in self.directory.glob(".upload-*"))

    def temporary(self) -> tuple[BinaryIO, Path, int | None]:
        """A new temporary file, open for writing and locked: (file, path, the lock's
        descriptor, to close when the upload is kept or discarded)."""
        for _ in range(8):
            fd, name = tempfile.mkstemp(prefix=".upload-", dir=self.ensure())
            lock = hold(fd)
            if os.fstat(fd).st_nlink:
                return os.fdopen(fd, "wb"), Path(name), lock
            # Reclaimed by a starting sandbox before it was locked: another name.
            os.close(fd)
            if lock is not None:
                os.close(lock)
        raise OSError(f"cannot make a temporary file in {self.directory}")

    def path(self, key: str) -> Path:
        """Where the file of that key is."""
        return self.directory / key

    def keep(self, temporary: Path) -> str:
        """Give a complete, synced temporary file its final name; returns its key."""
        key = secrets.token_hex(16)
        temporary.replace(self.path(key))
        _sync_directory(self.directory)
        return key


def _sync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Upload:
    """What a multipart upload brought: the file (name, temporary path, size, detected
    type) and the text fields. Call :meth:`discard` if it is not kept."""

    filename: str | None = None
    path: Path | None = None
    size: int = 0
    media_type: str = "application/octet-stream"
    fields: dict[str, str] = field(default_factory=dict)
    lock: int | None = None  # the temporary file's lock, held until kept or discarded

    def discard(self) -> None:
        """Remove the temporary file, if any (not kept), and let go of its lock."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None


def _header_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _part_name(headers: dict[str, bytes]) -> tuple[str | None, str | None]:
    """The ``name`` and ``filename`` of a part's ``Content-Disposition`` (HTML5 escapes
    ``%22``, ``%0A``, ``%0D`` undone)."""
    _, options = parse_options_header(headers.get("content-disposition", b""))

    def text(key: bytes) -> str | None:
        value = options.get(key)
        if value is None:
            return None
        decoded = _header_text(value)
        return decoded.replace("%22", '"').replace("%0A", "\n").replace("%0D", "\r")

    return text(b"name"), text(b"filename")


class _Receiver:
    """The parser's callbacks: one file part to disk, small text fields in memory."""

    def __init__(self, store: FileStore, file_field: str, max_size: int) -> None:
        self.store = store
        self.file_field = file_field
        self.max_size = max_size
        self.upload = Upload()
        self.parts = 0
        self.ended = False  # the closing boundary was read
        self._headers: dict[str, bytes] = {}
        self._field = b""
        self._value = b""
        self._name: str | None = None
        self._out: BinaryIO | None = None
        self._head = b""
        self._text: bytearray | None = None

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > _MAX_PARTS:
            raise ApiError(400, f"Trop de parties dans le corps multipart (au plus {_MAX_PARTS}).")
        self._headers = {}
        self._name = None
        self._text = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]
        if len(self._value) > 4096:
            raise ApiError(400, "En-tête de partie multipart trop long.")

    def on_header_end(self) -> None:
        self._headers[self._field.decode("latin-1").lower()] = self._value
        self._field = self._value = b""

    def on_headers_finished(self) -> None:
        name, filename = _part_name(self._headers)
        self._name = name
        if name == self.file_field and filename is not None and self._out is None:
            if self.upload.path is not None:
                raise ApiError(400, f"Une seule partie {self.file_field!r} est permise.")
            self._out, self.upload.path, self.upload.lock = self.store.temporary()
            self.upload.filename = filename
        else:
            self._text = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._out is not None:
            self.upload.size += len(chunk)
            if self.upload.size > self.max_size:
                raise too_large(self.max_size)
            if len(self._head) < SNIFF_SIZE:
                self._head += chunk[: SNIFF_SIZE - len(self._head)]
            self._out.write(chunk)
        elif self._text is not None:
            self._text += chunk
            if len(self._text) > _MAX_FIELD_SIZE:
                raise ApiError(400, f"Champ {self._name!r} trop long.")

    def on_part_end(self) -> None:
        if self._out is not None:
            self._out.flush()
            os.fsync(self._out.fileno())
            self._out.close()
            self._out = None
            self.upload.media_type = sniff(self._head)
        elif self._text is not None and self._name is not None:
            self.upload.fields.setdefault(self._name, _header_text(bytes(self._text)))
        self._text = None

    def on_end(self) -> None:
        self.ended = True

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


class _Epilogue:
    """Refuses bytes after the closing boundary (other than blanks and line breaks).

    ``feed`` each chunk after the parser has read it, with whether the parser has seen
    the end: the closing delimiter (``CRLF--boundary--``, which part data cannot hold) is
    looked for in the chunk that ended the body, with the end of the bytes before it (the
    delimiter may be cut between chunks); what follows it, and every later chunk, must be
    blank. python-multipart skips such bytes in silence (RFC 2046's epilogue), so that a
    body could carry a second file, or anything, unseen.
    """

    def __init__(self, boundary: bytes) -> None:
        self._delimiter = b"\r\n--" + boundary + b"--"
        self._tail = b"\r\n"  # as if a line break came first: a body may start with it
        self._ended = False

    def feed(self, chunk: bytes, ended: bool) -> None:
        if self._ended:
            rest = chunk
        elif ended:
            data = self._tail + chunk
            found = data.find(self._delimiter)
            rest = data[found + len(self._delimiter) :] if found >= 0 else b""
            self._ended = True
        else:
            keep = len(self._delimiter) - 1
            self._tail = chunk[-keep:] if len(chunk) >= keep else (self._tail + chunk)[-keep:]
            return
        if rest.strip(b" \t\r\n"):
            raise ApiError(400, "Corps multipart invalide : des octets suivent sa limite de fin.")


def too_large(max_size: int) -> ApiError:
    """The 413 of a file over ``max_size`` bytes."""
    megabytes = max_size / (1024 * 1024)
    return ApiError(
        413, f"Fichier trop volumineux (au plus {megabytes:g} Mo, soit {max_size} octets)."
    )


async def receive_upload(
    request: Request, store: FileStore, *, file_field: str = "file", max_size: int
) -> Upload:
    """Read a ``multipart/form-data`` body as it arrives: the ``file_field`` part to a
    temporary file of ``store``, the other parts as text fields.

    Raises :class:`ApiError` 400 for a body that is not multipart or is malformed (bytes
    after the closing boundary included), 413 as
    soon as the file (or the declared body) is over ``max_size`` bytes; the temporary
    file is then removed.
    """
    media_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise ApiError(400, "Le corps doit être multipart/form-data (avec un boundary).")
    declared = request.headers.get("content-length", "")
    # The multipart framing adds a few hundred bytes to the file's size.
    if declared.isdigit() and (len(declared) > 18 or int(declared) > max_size + 64 * 1024):
        raise too_large(max_size)
    receiver = _Receiver(store, file_field, max_size)
    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": receiver.on_part_begin,
            "on_header_field": receiver.on_header_field,
            "on_header_value": receiver.on_header_value,
            "on_header_end": receiver.on_header_end,
            "on_headers_finished": receiver.on_headers_finished,
            "on_part_data": receiver.on_part_data,
            "on_part_end": receiver.on_part_end,
            "on_end": receiver.on_end,
        },
    )
    epilogue = _Epilogue(boundary)
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            epilogue.feed(chunk, receiver.ended)
        parser.finalize()
        if not receiver.ended:
            raise ApiError(400, "Corps multipart incomplet (sans sa limite de fin).")
    except (MultipartParseError, ClientDisconnect) as exc:
        receiver.close()
        receiver.upload.discard()
        raise ApiError(400, f"Corps multipart invalide ou interrompu : {exc}") from None
    except BaseException:
        receiver.close()
        receiver.upload.discard()
        raise
    return receiver.upload
