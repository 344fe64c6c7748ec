"""Files' types told from their first bytes, their names in ``Content-Disposition``, and the
tiny PDF and PNG receipts the seed's documents are made of.

:func:`sniff` knows the formats people upload as receipts (PDF, PNG, JPEG, GIF, WebP,
HEIC, ZIP and the Office formats inside ZIP, plain text); anything else is
``application/octet-stream``. :func:`download_name` makes a file's name agree with that
type (a PDF uploaded as ``photo.png`` downloads as ``photo.pdf``), so that what the name
says and what ``Content-Type`` says never differ.
"""

from __future__ import annotations

import struct
import zlib
from urllib.parse import quote

__all__ = [
    "SNIFF_SIZE",
    "content_disposition",
    "download_name",
    "file_family",
    "sniff",
    "tiny_pdf",
    "tiny_png",
]

# How many leading bytes :func:`sniff` needs.
SNIFF_SIZE = 4096

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1")
# The first file of an Office Open XML archive names its kind in its path.
_OFFICE = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
_FAMILIES = {
    "application/pdf": "pdf",
    "application/zip": "archive",
    "text/plain": "text",
}


def _zip_type(head: bytes) -> str:
    if b"[Content_Types].xml" in head or any(marker in head for marker, _ in _OFFICE):
        for marker, media_type in _OFFICE:
            if marker in head:
                return media_type
    return "application/zip"


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
    return all(byte >= 0x20 or byte in b"\t\n\r\f" for byte in head)


def sniff(head: bytes) -> str:
    """The media type of a file from its first bytes (:data:`SNIFF_SIZE` are enough)."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(head)
    if _is_text(head):
        return "text/plain"
    return "application/octet-stream"


def file_family(media_type: str) -> str:
    """The document's ``file_family``: pdf, image, office, archive, text or other."""
    if media_type.startswith("image/"):
        return "image"
    if "officedocument" in media_type:
        return "office"
    return _FAMILIES.get(media_type, "other")


# The extensions a name of each sniffed type may have, the first one given when it has not.
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jpe", "jfif"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "image/heic": ("heic", "heif"),
    "application/zip": ("zip",),
    _OFFICE[0][1]: ("docx",),
    _OFFICE[1][1]: ("xlsx",),
    _OFFICE[2][1]: ("pptx",),
    "text/plain": ("txt", "text", "csv", "tsv", "log", "md", "json"),
}
# Extensions that say a type: replaced when they say another one than the file's (others,
# such as ``rapport.v2``, are kept and the type's extension added).
_TYPED_EXTENSIONS = frozenset(
    {extension for extensions in _EXTENSIONS.values() for extension in extensions}
    | {"htm", "html", "xhtml", "svg", "js", "mjs", "xml", "css", "exe", "msi", "bat", "cmd"}
    | {"sh", "ps1", "jar", "apk", "doc", "xls", "ppt", "odt", "ods", "rtf", "bmp", "tif"}
    | {"tiff", "ico", "mp3", "mp4", "mov", "avi", "wav", "rar", "7z", "gz", "tar"}
)


def download_name(filename: str, media_type: str) -> str:
    """``filename`` with an extension that agrees with ``media_type`` (a type of
    :func:`sniff`): kept when it does, replaced when it names another type
    (``photo.png`` of a PDF: ``photo.pdf``), added otherwise (``facture`` of a PDF:
    ``facture.pdf``). ``application/octet-stream`` (no known type) claims nothing: the
    name is kept."""
    extensions = _EXTENSIONS.get(media_type)
    if not extensions:
        return filename
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem:
        return f"{filename}.{extensions[0]}"
    if extension.lower() in extensions:
        return filename
    if not extension or extension.lower() in _TYPED_EXTENSIONS:
        return f"{stem}.{extensions[0]}"
    return f"{filename}.{extensions[0]}"


def content_disposition(filename: str) -> str:
    """``attachment`` with the name, RFC 6266: an ASCII ``filename`` fallback and, for any
    other character, ``filename*=UTF-8''...`` percent-encoded."""
    fallback = "".join(
        ch if 0x20 <= ord(ch) < 0x7F and ch not in '"\\%' else "_" for ch in filename
    )
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def _pdf_text(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing ``lines`` (ASCII; other characters become ``?``)."""
    text = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({_pdf_text(line)}) '" for line in lines)
    stream = text.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s ET\nendstream" % (len(stream) + 3, stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def tiny_png(seed: int, width: int = 48, height: int = 64) -> bytes:
    """A valid small greyscale PNG, a receipt-like pattern varying with ``seed``."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        ink = y % 6 == 3 and 4 < y < height - 4
        for x in range(width):
            line = ink and 4 < x < width - 4 - (seed + y) % 17
            rows.append(40 if line else 250)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )
