"""Uploading a local file (a receipt...) by its path, through preview and commit.

The server runs on the user's machine: a tool names a file by its path, never sends its
bytes in its arguments. Only files under one directory are read (:class:`UploadDir`:
``--upload-dir``, by default the directory the server was started in), symbolic links
followed before the check, so that an agent cannot read the user's other files.

The preview reads the file once (:func:`read_facts`): a regular file, not empty, at most
:data:`MAX_UPLOAD` bytes; its size, SHA-256 and type told from its first bytes as the
sandbox tells them (PDF, PNG, JPEG, GIF, WebP, HEIC, ZIP and Office, plain text, else
``application/octet-stream``). The commit reads it again and refuses a file that changed;
what it then sends is a :class:`PinnedFile`, hashed again as it is sent: should the bytes
differ from the previewed ones after all, the body is cut before its end (nothing is
uploaded). What is uploaded is always what was previewed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from .._exceptions import ValidationError
from ._errors import ToolFailure

__all__ = ["MAX_UPLOAD", "FileChanged", "FileFacts", "PinnedFile", "UploadDir", "read_facts"]

# The sandbox's upload limit (the API documents none): 250 MiB.
MAX_UPLOAD = 250 * 1024 * 1024
CHUNK = 1024 * 1024
SNIFF_SIZE = 4096
CHANGED = "The file changed since the preview: preview again."

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1")
_OFFICE = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)


def sniff(head: bytes) -> str:
    """The media type of a file from its first :data:`SNIFF_SIZE` bytes (the sandbox's
    rules, written again here: the server needs no sandbox; a test keeps them agreeing)."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    if head.startswith(b"PK\x03\x04"):
        office = [kind for marker, kind in _OFFICE if marker in head]
        return office[0] if office else "application/zip"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
            text = True
        except UnicodeDecodeError as exc:  # a character cut by the sample's end is text
            text = exc.start >= len(head) - 3
        if text and all(byte >= 0x20 or byte in b"\t\n\r\f" for byte in head):
            return "text/plain"
    return "application/octet-stream"


class UploadDir:
    """The directory uploads are read from (``None``: the current directory)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root if root is not None else os.getcwd()).resolve()

    def resolve(self, given: str) -> Path:
        """``given`` (absolute, or relative to the directory) as a real path inside it."""
        path = Path(given).expanduser()
        real = (path if path.is_absolute() else self.root / path).resolve()
        if not real.is_relative_to(self.root):
            raise ToolFailure(
                f"{given!r} is outside the directory files are uploaded from ({self.root}): "
                "the user moves the file there or restarts the server with --upload-dir."
            )
        return real


@dataclass(frozen=True)
class FileFacts:
    """What the preview of an upload read: the file's real path, name, size, SHA-256 and
    media type."""

    path: str
    name: str
    size: int
    sha256: str
    media_type: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _open(path: Path) -> IO[bytes]:
    """``path`` opened for reading if it is a regular file (a FIFO never blocks it)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ToolFailure(
            f"Cannot read {str(path)!r} ({exc.strerror}): check the path with the user."
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ToolFailure(f"{str(path)!r} is not a regular file: give the path of a file.")
    return os.fdopen(fd, "rb")


def read_facts(path: Path) -> FileFacts:
    """Read ``path`` once, whole, for its facts (a :class:`ToolFailure` if it cannot be
    uploaded: missing, not a regular file, empty, over :data:`MAX_UPLOAD`)."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    with _open(path) as file:
        while chunk := file.read(CHUNK):
            if not head:
                head = chunk[:SNIFF_SIZE]
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise ToolFailure(
                    f"{str(path)!r} is over {MAX_UPLOAD // (1024 * 1024)} MiB, the upload "
                    "limit: the user uploads it in Tiime."
                )
            digest.update(chunk)
    if size == 0:
        raise ToolFailure(f"{str(path)!r} is empty: nothing to upload.")
    return FileFacts(str(path), path.name, size, digest.hexdigest(), sniff(head))


class FileChanged(ValidationError):
    """The bytes being sent are not the previewed ones: the body was cut, nothing uploaded."""


class PinnedFile:
    """The previewed file as it is sent: its ``size`` bytes, read from its path at the
    first read and hashed as they go. Their SHA-256 is checked before the last chunk is
    given: if it is not the previewed one (or the file is shorter), :class:`FileChanged`
    is raised and the request's body never ends, so the server makes nothing. It seeks
    and tells (httpx measures it so; a retry starts it again) and has no ``fileno``: the
    SDK sends it as given."""

    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        self.name = facts.name
        self._position = 0
        self._file: IO[bytes] | None = None
        self._digest = hashlib.sha256()

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self.facts.size}
        self._position = base[whence] + offset
        if self._position == 0:  # from the start again: hashed again
            self._digest = hashlib.sha256()
            if self._file is not None:
                self._file.seek(0)
        return self._position

    def read(self, size: int = -1) -> bytes:
        left = self.facts.size - self._position
        if left <= 0:
            return b""
        if self._file is None:
            try:
                self._file = _open(Path(self.facts.path))
            except ToolFailure:  # removed or replaced since the commit read it
                raise FileChanged(f"{CHANGED} (nothing was uploaded)") from None
        wanted = left if size < 0 else min(size, left)
        chunk = self._file.read(wanted)
        self._position += len(chunk)
        self._digest.update(chunk)
        if len(chunk) < wanted or (  # shorter, or other bytes
            self._position >= self.facts.size and self._digest.hexdigest() != self.facts.sha256
        ):
            self.close()
            raise FileChanged(f"{CHANGED} (nothing was uploaded)")
        if self._position >= self.facts.size:
            self.close()
        return chunk

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self) -> None:
        self.close()
