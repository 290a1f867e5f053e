"""The entry point: ``inspect_upload`` reads an upload within its size limit, decides its
kind from the bytes (never the name), hands it to the reader for that kind, and finds
the one fiscal year it is for in its content or, failing that, its name.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from projects.cma.years import fiscal_years_in
from projects.uploads.names import sanitize_filename
from projects.uploads.ole import OLE_MAGIC, inspect_ole
from projects.uploads.pdf import inspect_pdf
from projects.uploads.rejections import UploadRejected, too_large, unsupported
from projects.uploads.tally import inspect_tally
from projects.uploads.text import inspect_text
from projects.uploads.zipped import inspect_zip

# (magic, offset, what a person would call it), checked in order.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"WEBP", 8, "a WebP image"),
    (b"ftypheic", 4, "a HEIC photo"),
    (b"ftypmif1", 4, "a HEIC photo"),
    (b"ftyp", 4, "a video"),
    (b"\x1f\x8b", 0, "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"\xfd7zXZ\x00", 0, "an XZ-compressed file"),
    (b"BZh91AY&SY", 0, "a bzip2-compressed file"),
    (b"\x7fELF", 0, "a Linux program"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
)


@dataclass(frozen=True)
class Inspection:
    kind: str  # "xlsx", "xls", "xlsb", "ods", "csv", "pdf" or "xml" (a Tally export)
    fiscal_year: str | None  # "2023-24" when the file names exactly one fiscal year


def inspect_upload(*, name: str, fileobj: BinaryIO, size: int, max_bytes: int) -> Inspection:
    """Decides what an upload really is and which fiscal year it is for, or refuses it.

    Reads at most ``max_bytes + 1`` bytes and leaves ``fileobj`` at position 0.
    Raises UploadRejected with a detail that names the file.
    """
    label = sanitize_filename(name)
    try:
        data = _read_within_limit(label, fileobj, size, max_bytes)
        kind, content_text = _inspect_content(label, data)
    finally:
        fileobj.seek(0)
    return Inspection(kind=kind, fiscal_year=_fiscal_year(content_text, label))


def _read_within_limit(label: str, fileobj: BinaryIO, size: int, max_bytes: int) -> bytes:
    if size <= 0:
        raise UploadRejected("empty", f"{label} is empty.")
    if size > max_bytes:
        raise too_large(label, size, max_bytes)
    fileobj.seek(0)
    # One byte more than allowed shows a size that was under-reported.
    data = fileobj.read(max_bytes + 1)
    if not data:
        raise UploadRejected("empty", f"{label} is empty.")
    if len(data) > max_bytes:
        raise too_large(label, len(data), max_bytes)
    return data


def _inspect_content(label: str, data: bytes) -> tuple[str, str]:
    """The kind of file and the text to look for fiscal years in."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return inspect_zip(label, data)
    if data.startswith(OLE_MAGIC):
        return "xls", inspect_ole(label, data)
    looks_like = _binary_signature(data)
    if looks_like is not None:
        raise unsupported(label, looks_like)
    # Acrobat accepts junk before the header, and so do some scanners' PDFs.
    if b"%PDF-" in data[:1024]:
        return "pdf", inspect_pdf(label, data)
    # Before the text reader, which refuses XML and UTF-16: Tally writes both.
    tally = inspect_tally(label, data)
    if tally is not None:
        return "xml", tally
    return "csv", inspect_text(label, data)


def _binary_signature(data: bytes) -> str | None:
    for magic, offset, looks_like in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return looks_like
    # "MZ" alone would also start a CSV of "MZ Traders"; a program has its PE header too.
    if data.startswith(b"MZ") and len(data) >= 64:
        header_at = struct.unpack_from("<I", data, 60)[0]
        if data[header_at : header_at + 4] == b"PE\x00\x00":
            return "a Windows program"
    return None


# Fiscal year


def _fiscal_year(content_text: str, label: str) -> str | None:
    years = fiscal_years_in(content_text)
    if not years:
        # "TB_2023_24.xlsx" names its year as clearly as "TB-2023-24.xlsx".
        years = fiscal_years_in(label.replace("_", "-"))
    return years[0] if len(years) == 1 else None
