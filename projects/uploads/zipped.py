"""ZIP-based workbooks (.xlsx, .xlsb, .ods), measured before any parser touches them.

The directory's declared sizes are checked first, then every member is inflated here,
never past the size it declares, so a zip bomb costs a directory listing and at most the
declared total, not the server's memory. Only then does calamine read the workbook.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from projects.uploads.limits import (
    ARCHIVE_RATIO_FLOOR,
    CHUNK,
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MAX_ARCHIVE_RATIO,
)
from projects.uploads.rejections import (
    KIND_NAMES,
    UploadRejected,
    corrupt,
    expands_too_much,
    password_protected,
    unsupported,
)
from projects.uploads.workbooks import workbook_text_or_reject

_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


# ZIP-based workbooks: .xlsx, .xlsb, .ods


def inspect_zip(label: str, data: bytes) -> tuple[str, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRejected(
            "corrupt",
            f"{label} looks like an Excel workbook (.xlsx) or another ZIP-based file, but it is "
            "damaged or incomplete. Download or copy it again, or open it and save a fresh "
            "copy, and upload that.",
        ) from exc
    with archive:
        _check_declared_expansion(label, archive)
        kind = _zip_kind(label, archive)
        _check_real_expansion(label, data, archive, kind)
    return kind, workbook_text_or_reject(label, data, kind)


def _check_declared_expansion(label: str, archive: zipfile.ZipFile) -> None:
    """Refuses archives whose directory promises more than a workbook ever holds."""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise UploadRejected(
            "archive_too_large",
            f"{label} contains {len(members):,} files inside it, more than any spreadsheet "
            f"has (the limit is {MAX_ARCHIVE_MEMBERS:,}), so it was not opened.",
        )
    expanded = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if expanded > MAX_ARCHIVE_BYTES or (
        expanded >= ARCHIVE_RATIO_FLOOR and expanded > MAX_ARCHIVE_RATIO * max(packed, 1)
    ):
        raise expands_too_much(label)


def _check_real_expansion(label: str, data: bytes, archive: zipfile.ZipFile, kind: str) -> None:
    """Inflates every member ourselves, never past the size it declares.

    The sizes checked so far are only what the archive claims. A crafted member can claim
    1 KB (with the CRC of its first kilobyte) and inflate to gigabytes: zipfile would stop
    at the claim and find nothing wrong, and whether a parser stops too depends on the
    version of the zip library inside it. Inflating here costs at most the declared total.
    """
    for member in archive.infolist():
        if member.is_dir():
            continue
        if member.flag_bits & 0x1:
            raise password_protected(label)
        try:
            inflated, crc = _inflate(data, member, limit=member.file_size)
        except (ValueError, zlib.error, struct.error) as exc:
            raise corrupt(label, KIND_NAMES[kind]) from exc
        if inflated > member.file_size:
            raise UploadRejected(
                "archive_too_large",
                f"{label} expands to more data than it says it holds, which only a tampered "
                "file does, so it was not opened.",
            )
        if inflated != member.file_size or crc != member.CRC:
            raise corrupt(label, KIND_NAMES[kind])


def _inflate(data: bytes, member: zipfile.ZipInfo, *, limit: int) -> tuple[int, int]:
    """The inflated size and CRC-32 of a member; stops as soon as the size passes ``limit``."""
    start = member.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise ValueError("no local file header")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    raw = memoryview(data)[begin : begin + member.compress_size]
    if len(raw) < member.compress_size:
        raise ValueError("member cut short")
    if member.compress_type == zipfile.ZIP_STORED:
        return len(raw), zlib.crc32(raw)
    if member.compress_type != zipfile.ZIP_DEFLATED:
        # Spreadsheet programs only ever store or deflate.
        raise ValueError(f"compression method {member.compress_type}")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size, crc = 0, 0
    pending: bytes | memoryview = raw
    while True:
        chunk = inflater.decompress(pending, CHUNK)
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
        if size > limit or inflater.eof:
            return size, crc
        pending = inflater.unconsumed_tail
        if not pending and not chunk:
            raise ValueError("deflate stream cut short")


def _zip_kind(label: str, archive: zipfile.ZipFile) -> str:
    names = {name.lower() for name in archive.namelist()}
    if "mimetype" in names:
        mimetype = _small_member(label, archive, "mimetype")
        if mimetype == _ODS_MIMETYPE:
            return "ods"
        if mimetype.startswith("application/vnd.oasis.opendocument."):
            raise unsupported(label, "an OpenDocument file that is not a spreadsheet")
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        raise unsupported(label, "a Word document")
    if "ppt/presentation.xml" in names:
        raise unsupported(label, "a PowerPoint presentation")
    if "index/document.iwa" in names:
        raise unsupported(
            label, "an Apple Numbers file", "Export it from Numbers as Excel and upload that."
        )
    raise unsupported(
        label, "a ZIP archive", "Take the files out of it and upload them one by one."
    )


def _small_member(label: str, archive: zipfile.ZipFile, name: str) -> str:
    member = next(info for info in archive.infolist() if info.filename.lower() == name)
    if member.file_size > 200:
        return ""
    try:
        # zipfile never returns more than the declared size, so this read is bounded.
        return archive.read(member).decode("ascii", errors="replace").strip()
    except Exception as exc:
        raise corrupt(label, "an OpenDocument file") from exc
