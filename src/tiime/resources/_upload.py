"""What an upload sends: its file name and content, checked, and never read whole.

The multipart body needs each file's length for its ``Content-Length``; a length that
turns out wrong (a file that grows or shrinks as it is read, a pipe or a ``/proc`` file
whose size reads as 0) would break the request half-way. So the content is one of:

* the bytes given;
* a file of known size (a regular file, by path or as a file object): sent with a
  ``Content-Length``, exactly the bytes it held when the call was made (a file that grows
  meanwhile is sent as it was then; one that shrinks raises :class:`~tiime.ValidationError`);
* a stream of unknown length (a pipe, a socket, ``/proc/...``, any file object whose size
  cannot be told): sent as it is read, with ``Transfer-Encoding: chunked``. It can be read
  once: should the request have to be sent again after it was read (a 401 answered to it),
  a :class:`~tiime.ValidationError` says so instead of sending an empty file.

A file object that seeks and tells (``io.BytesIO``) is sent as given.
"""

from __future__ import annotations

import io
import os
import stat
from typing import IO, Any, Union

from .._exceptions import ValidationError
from .._validation import check_text

__all__ = ["FileInput", "upload_content", "upload_size"]

# What ``upload`` takes: a path, the bytes, or a binary file object open for reading.
FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes]]


class _SizedFile:
    """A file of known size, read from a path or a file object: exactly ``size`` bytes
    from its start. A path is opened at the first read and closed at the end, so that an
    upload built but never sent holds no file open. httpx reads its length through
    ``seek``/``tell`` (it has no ``fileno``, whose size could have changed)."""

    def __init__(self, source: str | IO[bytes], size: int) -> None:
        self.name = source if isinstance(source, str) else getattr(source, "name", None)
        self.size = size
        self._source = source
        self._position = 0
        self._file: IO[bytes] | None = None if isinstance(source, str) else source

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_END:
            self._position = self.size + offset
        elif whence == os.SEEK_CUR:
            self._position += offset
        else:
            self._position = offset
        if self._file is not None:
            self._file.seek(self._position)
        return self._position

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        if self._file is None:
            assert isinstance(self._source, str)
            self._file = open(self._source, "rb")  # noqa: SIM115 - closed at the end
            self._file.seek(self._position)
        left = self.size - self._position
        chunk = self._file.read(left if size < 0 else min(size, left)) if left > 0 else b""
        self._position += len(chunk)
        if left > 0 and not chunk:
            self.close()
            raise ValidationError(
                f"the file {self.name!r} shrank while it was being sent "
                f"({self._position} of {self.size} bytes): nothing was uploaded"
            )
        if self._position >= self.size:
            self.close()
        return chunk

    def close(self) -> None:
        if self._file is not None and isinstance(self._source, str):
            self._file.close()
            self._file = None

    def __del__(self) -> None:
        self.close()


class _Stream:
    """A file of unknown length, sent as it is read (chunked), once. No ``seek``,
    ``tell`` or ``fileno``: httpx then sends it without a ``Content-Length``."""

    def __init__(self, source: str | IO[bytes]) -> None:
        self.name = source if isinstance(source, str) else getattr(source, "name", None)
        self._source = source
        self._file: IO[bytes] | None = None if isinstance(source, str) else source
        self._started = False
        self._ended = False

    def read(self, size: int = -1) -> bytes:
        if self._ended:
            raise ValidationError(
                f"{self.name or 'the file'} is a stream (a pipe...) already read by a first "
                "attempt: it cannot be sent again; upload it from a path or as bytes"
            )
        if self._file is None:
            assert isinstance(self._source, str)
            self._file = open(self._source, "rb")  # noqa: SIM115 - closed at the end
        self._started = True
        chunk = self._file.read(size)
        if not chunk:
            self._ended = True
            if isinstance(self._source, str):
                self._file.close()
        return chunk


def _is_regular(fd: int) -> int | None:
    """The size of the regular file open as ``fd``, or ``None`` (a pipe, a socket...)."""
    info = os.fstat(fd)
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _file_object(file: Any) -> Any:
    """A file object as sent: sized when it is a regular file with a size, as given when
    it seeks (``BytesIO``), else streamed."""
    try:
        size = _is_regular(file.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        size = None
    else:
        if size is not None and size > 0 and _seekable(file):
            return _SizedFile(file, size)
        return _Stream(file)
    return file if _seekable(file) and callable(getattr(file, "tell", None)) else _Stream(file)


def _seekable(file: Any) -> bool:
    """Whether a file object can go back to its start (``seekable()``, or, without it,
    ``seek`` and ``tell``, as wrappers of a file often have)."""
    try:
        return bool(file.seekable())
    except AttributeError:
        return callable(getattr(file, "seek", None)) and callable(getattr(file, "tell", None))
    except (OSError, ValueError):
        return False


def _path(path: str) -> Any:
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ValidationError(f"cannot read the file {path!r}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(f"{path!r} is not a regular file")
    if not os.access(path, os.R_OK):
        raise ValidationError(f"cannot read the file {path!r}: permission denied")
    # A size of 0 may be a file that says nothing of its size (/proc/...): streamed.
    return _SizedFile(path, info.st_size) if info.st_size > 0 else _Stream(path)


def upload_content(file: Any, filename: Any) -> tuple[str, Any]:
    """The file name and content of an upload, checked; the content is never read here."""
    name = check_text(filename, "filename", one_line=True, max_length=255)
    content: Any
    if isinstance(file, (bytes, bytearray, memoryview)):
        content = bytes(file)
    elif isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
        if not isinstance(path, str):
            raise ValidationError("file must be a path as text, bytes or a binary file object")
        content = _path(path)
        name = name or os.path.basename(path)
    elif isinstance(file, io.TextIOBase):
        raise ValidationError("file must be opened in binary mode ('rb'), not text mode")
    elif callable(getattr(file, "read", None)):
        content = _file_object(file)
        own_name = getattr(file, "name", None)
        if not name and isinstance(own_name, str):
            name = os.path.basename(own_name)
    else:
        raise ValidationError(
            f"file must be a path, bytes or a binary file object, not {type(file).__name__}"
        )
    if not name or not name.strip():
        raise ValidationError("filename is required when uploading bytes or an unnamed file")
    return name.strip(), content


def upload_size(content: Any) -> int | None:
    """The number of bytes an upload's content holds, when known before sending it."""
    if isinstance(content, bytes):
        return len(content)
    if isinstance(content, _SizedFile):
        return content.size
    return None
