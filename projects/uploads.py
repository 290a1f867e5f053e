"""What an uploaded file really is, checked before it is stored.

The kind comes from the bytes, never from the name: clients' files arrive renamed, half
downloaded, password-protected or as something else entirely, and each refusal says so in
a sentence the firm's staff can act on. Archives are measured before any parser touches
them, so a zip bomb costs a directory listing, not the server's memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from projects.cma.years import fiscal_years_in

__all__ = [
    "DELIMITERS",
    "Inspection",
    "UploadRejected",
    "cell_text",
    "decode_text",
    "inspect_upload",
    "sanitize_filename",
]

MIB = 1024 * 1024
MAX_ARCHIVE_MEMBERS = 10_000
MAX_ARCHIVE_BYTES = 256 * MIB
MAX_ARCHIVE_RATIO = 100
# Small archives may compress very well (a sheet of zeros) and cannot hurt anyone.
ARCHIVE_RATIO_FLOOR = 1 * MIB
# Enough to sniff a CSV and to see a binary file for what it is.
TEXT_SAMPLE_BYTES = 64 * 1024
SNIFF_ROWS = 50
YEAR_ROWS = 30
MAX_NAME_CHARS = 150
_CHUNK = 1 * MIB

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
DELIMITERS = ",;\t|"

_KIND_NAMES = {
    "xlsx": "an Excel workbook (.xlsx)",
    "xlsb": "an Excel binary workbook (.xlsb)",
    "xls": "an Excel 97-2003 workbook (.xls)",
    "ods": "an OpenDocument spreadsheet (.ods)",
}

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

# Characters no Windows or Unix file system accepts in a name, or that would change its meaning.
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"/\\|?*]')
_PATH_SEPARATORS = re.compile(r"[/\\]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,16}$")
# Zero-width joiners shape Indic scripts; every other format character can only disguise a name
# (U+202E turns "cod.exe" around).
_KEPT_FORMAT_CHARS = {"\u200c", "\u200d"}
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{digit}" for digit in range(1, 10)),
    *(f"lpt{digit}" for digit in range(1, 10)),
}


class UploadRejected(Exception):
    """A file that cannot be accepted; ``detail`` is a sentence for the person uploading it.

    ``code`` is one of "empty", "file_too_large", "unsupported_type", "corrupt",
    "archive_too_large".
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Inspection:
    kind: str  # "xlsx", "xls", "xlsb", "ods", "csv" or "pdf"
    fiscal_year: str | None  # "2023-24" when the file names exactly one fiscal year


class _WorkbookUnreadable(Exception):
    def __init__(self, *, password: bool) -> None:
        super().__init__()
        self.password = password


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
        raise _too_large(label, size, max_bytes)
    fileobj.seek(0)
    # One byte more than allowed shows a size that was under-reported.
    data = fileobj.read(max_bytes + 1)
    if not data:
        raise UploadRejected("empty", f"{label} is empty.")
    if len(data) > max_bytes:
        raise _too_large(label, len(data), max_bytes)
    return data


def sanitize_filename(name: str) -> str:
    """A name safe to show and to store on any file system, keeping the client's wording.

    Path parts and drive letters go, as do control and format characters and the
    characters Windows or Unix refuse; runs of whitespace become one space; no leading
    dot; at most 150 characters with the extension kept. Never empty: "upload".
    """
    name = unicodedata.normalize("NFC", name)
    name = _PATH_SEPARATORS.split(name)[-1]
    name = _DRIVE.sub("", name)
    # Tabs and line breaks are control characters too, but they separated words.
    name = "".join(" " if char.isspace() else char for char in name)
    name = "".join(
        char
        for char in name
        if char in _KEPT_FORMAT_CHARS or unicodedata.category(char) not in {"Cc", "Cf", "Cs"}
    )
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = " ".join(name.split())

    match = _EXTENSION.search(name)
    stem, extension = (name[: match.start()], match.group()) if match else (name, "")
    # Leading dots hide a file on Unix; trailing dots and spaces vanish on Windows.
    stem = stem.strip(". ")
    if stem.split(".")[0].lower() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    stem = stem[: MAX_NAME_CHARS - len(extension)].rstrip(". ")
    return f"{stem or 'upload'}{extension}"


def _inspect_content(label: str, data: bytes) -> tuple[str, str]:
    """The kind of file and the text to look for fiscal years in."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _inspect_zip(label, data)
    if data.startswith(_OLE_MAGIC):
        return "xls", _inspect_ole(label, data)
    looks_like = _binary_signature(data)
    if looks_like is not None:
        raise _unsupported(label, looks_like)
    # Acrobat accepts junk before the header, and so do some scanners' PDFs.
    if b"%PDF-" in data[:1024]:
        return "pdf", _inspect_pdf(label, data)
    return "csv", _inspect_text(label, data)


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


# PDF


def _inspect_pdf(label: str, data: bytes) -> str:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            text = _first_page_text(pdf) if pages else ""
    except PdfminerException as exc:
        # pdfplumber wraps pdfminer's error as the first argument instead of chaining it.
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise UploadRejected(
                "corrupt",
                f"{label} is password-protected. Save or print a copy without the password "
                "and upload that.",
            ) from exc
        if isinstance(cause, PDFEncryptionError):
            raise UploadRejected(
                "corrupt",
                f"{label} is encrypted in a way that cannot be opened. Save or print a copy "
                "without protection and upload that.",
            ) from exc
        raise _corrupt(label, "a PDF") from exc
    except Exception as exc:
        raise _corrupt(label, "a PDF") from exc
    if pages == 0:
        raise UploadRejected("corrupt", f"{label} is a PDF without any pages.")
    return text


def _first_page_text(pdf: pdfplumber.PDF) -> str:
    # A page whose text cannot be pulled out is still a page: reading it is the extractor's job.
    try:
        return pdf.pages[0].extract_text() or ""
    except Exception:
        return ""


# ZIP-based workbooks: .xlsx, .xlsb, .ods


def _inspect_zip(label: str, data: bytes) -> tuple[str, str]:
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
    return kind, _workbook_text_or_reject(label, data, kind)


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
        raise _expands_too_much(label)


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
            raise _password_protected(label)
        try:
            inflated, crc = _inflate(data, member, limit=member.file_size)
        except (ValueError, zlib.error, struct.error) as exc:
            raise _corrupt(label, _KIND_NAMES[kind]) from exc
        if inflated > member.file_size:
            raise UploadRejected(
                "archive_too_large",
                f"{label} expands to more data than it says it holds, which only a tampered "
                "file does, so it was not opened.",
            )
        if inflated != member.file_size or crc != member.CRC:
            raise _corrupt(label, _KIND_NAMES[kind])


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
        chunk = inflater.decompress(pending, _CHUNK)
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
            raise _unsupported(label, "an OpenDocument file that is not a spreadsheet")
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        raise _unsupported(label, "a Word document")
    if "ppt/presentation.xml" in names:
        raise _unsupported(label, "a PowerPoint presentation")
    if "index/document.iwa" in names:
        raise _unsupported(
            label, "an Apple Numbers file", "Export it from Numbers as Excel and upload that."
        )
    raise _unsupported(
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
        raise _corrupt(label, "an OpenDocument file") from exc


# OLE2 compound files: .xls, but also .doc, .ppt, .msg and encrypted .xlsx


def _inspect_ole(label: str, data: bytes) -> str:
    streams = {name.lower() for name in _ole_stream_names(data)}
    if {"encryptedpackage", "encryptioninfo"} & streams:
        # Excel saves a password-protected .xlsx inside an OLE2 wrapper.
        raise _password_protected(label)
    if streams and not {"workbook", "book"} & streams:
        raise _unsupported(label, _ole_document_kind(streams))
    return _workbook_text_or_reject(label, data, "xls")


def _ole_document_kind(streams: set[str]) -> str:
    if "worddocument" in streams:
        return "a Word 97-2003 document (.doc)"
    if "powerpoint document" in streams:
        return "a PowerPoint 97-2003 presentation (.ppt)"
    if any(name.startswith("__substg1.0_") for name in streams):
        return "an Outlook email (.msg)"
    return "a Microsoft Office file that is not an Excel workbook"


def _ole_stream_names(data: bytes) -> set[str]:
    """Names in a compound file's directory; empty when the directory cannot be read."""
    end_of_chain = 0xFFFFFFFA  # this and above are markers, not sector numbers
    try:
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            return set()
        sector_size = 1 << shift
        sector_count = len(data) // sector_size
        fat_count, first_directory = struct.unpack_from("<II", data, 44)
        next_difat, difat_count = struct.unpack_from("<II", data, 68)
        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        per_difat = sector_size // 4 - 1
        seen: set[int] = set()
        # Every loop below is bounded by the sectors the file has: a crafted chain can loop.
        for _ in range(min(difat_count, sector_count)):
            if next_difat >= end_of_chain or next_difat in seen:
                break
            seen.add(next_difat)
            entries = struct.unpack_from(f"<{per_difat + 1}I", data, (next_difat + 1) * sector_size)
            fat_sectors.extend(entries[:per_difat])
            next_difat = entries[per_difat]
        fat: list[int] = []
        for sector in fat_sectors[: min(fat_count, sector_count)]:
            if sector < end_of_chain:
                fat.extend(
                    struct.unpack_from(f"<{sector_size // 4}I", data, (sector + 1) * sector_size)
                )
        names: set[str] = set()
        current, visited = first_directory, set()
        while current < min(end_of_chain, len(fat)) and current not in visited:
            visited.add(current)
            start = (current + 1) * sector_size
            for offset in range(start, start + sector_size, 128):
                entry = data[offset : offset + 128]
                if len(entry) < 128:
                    break
                length, entry_type = struct.unpack_from("<HB", entry, 64)
                if entry_type in (1, 2) and 2 <= length <= 64:
                    names.add(entry[: length - 2].decode("utf-16-le", errors="replace"))
            current = fat[current]
        return names
    except struct.error:
        return set()


# Workbooks through calamine


def _workbook_text_or_reject(label: str, data: bytes, kind: str) -> str:
    try:
        return _workbook_text(data)
    except _WorkbookUnreadable as exc:
        if exc.password:
            raise _password_protected(label) from exc
        raise _corrupt(label, _KIND_NAMES[kind]) from exc


def _workbook_text(data: bytes) -> str:
    """The first rows of every worksheet, one line per row, text and date cells only."""
    lines: list[str] = []
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            if not workbook.sheet_names:
                # Every spreadsheet program saves at least one sheet.
                raise _WorkbookUnreadable(password=False)
            for sheet in workbook.sheets_metadata:
                # Chart and macro sheets hold no figures, and calamine cannot always read them.
                if sheet.typ != SheetTypeEnum.WorkSheet:
                    continue
                rows = workbook.get_sheet_by_name(sheet.name).to_python(nrows=YEAR_ROWS)
                lines.extend(" ".join(cell_text(cell) for cell in row).strip() for row in rows)
    except PasswordError as exc:
        raise _WorkbookUnreadable(password=True) from exc
    except _WorkbookUnreadable:
        raise
    except Exception as exc:
        raise _WorkbookUnreadable(password=False) from exc
    except BaseException as exc:
        # A panic inside calamine's Rust code surfaces as pyo3's PanicException, which
        # derives from BaseException and cannot be imported by name.
        if type(exc).__name__ != "PanicException":
            raise
        raise _WorkbookUnreadable(password=False) from exc
    return "\n".join(line for line in lines if line)


def cell_text(cell: object) -> str:
    # Amounts are left out: a balance of 2023.24 must not read as a fiscal year.
    if isinstance(cell, str):
        return cell
    if isinstance(cell, datetime.date):
        return cell.isoformat()[:10]
    return ""


# Text: CSV


def _inspect_text(label: str, data: bytes) -> str:
    sample = data[:TEXT_SAMPLE_BYTES]
    complete = len(sample) == len(data)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRejected(
            "unsupported_type",
            f"{label} is saved as Unicode (UTF-16) text. In Excel use Save As, choose "
            '"CSV UTF-8 (Comma delimited)" and upload that file.',
        )
    if b"\x00" in sample:
        raise _unsupported(label, "a binary file of an unknown type")
    text = decode_text(sample, complete=complete)
    if text is None or _mostly_control_characters(text):
        raise _unsupported(label, "a binary file of an unknown type")
    markup = _markup_kind(text)
    if markup is not None:
        # Tally and many banks export web pages and XML named .xls, which Excel opens.
        raise _unsupported(label, markup, "Open it in Excel, save it as .xlsx and upload that.")
    lines = text.splitlines()
    if not complete and lines:
        lines.pop()  # cut off mid-line by the sample
    if not _is_tabular(lines[:SNIFF_ROWS]):
        raise UploadRejected(
            "unsupported_type",
            f"{label} is not a spreadsheet, CSV or PDF: it is text, but not in columns "
            "separated by commas, semicolons, tabs or pipes.",
        )
    return "\n".join(lines[:YEAR_ROWS])


def decode_text(sample: bytes, *, complete: bool) -> str | None:
    # Excel saves "CSV UTF-8" with a BOM and plain "CSV" in the Windows code page.
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
    return None


def _mostly_control_characters(text: str) -> bool:
    control = sum(
        1 for char in text if (ord(char) < 32 and char not in "\t\n\r\f\v\x1a") or char == "\x7f"
    )
    return control > len(text) // 100


def _markup_kind(text: str) -> str | None:
    start = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    if start.startswith("{\\rtf"):
        return "a Rich Text (RTF) document"
    if start.startswith("%!ps"):
        return "a PostScript file"
    if not start.startswith("<"):
        return None
    if "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "an Excel 2003 XML spreadsheet"
    if "<html" in start or "<!doctype html" in start:
        return "a web page (HTML)"
    return "an XML or HTML file"


def _is_tabular(lines: list[str]) -> bool:
    """At least two rows of at least two columns under the sniffed delimiter."""
    sample = "\n".join(lines)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        candidates = [sniffed]
    except csv.Error:
        # The sniffer gives up on a title line above the table; count columns instead.
        candidates = list(DELIMITERS)
    for delimiter in candidates:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        if sum(1 for row in rows if len(row) >= 2) >= 2:
            return True
    return False


# Fiscal year and messages


def _fiscal_year(content_text: str, label: str) -> str | None:
    years = fiscal_years_in(content_text)
    if not years:
        # "TB_2023_24.xlsx" names its year as clearly as "TB-2023-24.xlsx".
        years = fiscal_years_in(label.replace("_", "-"))
    return years[0] if len(years) == 1 else None


def _megabytes(size: int) -> str:
    value = math.ceil(size / MIB * 10) / 10
    return f"{value:g}"


def _too_large(label: str, size: int, max_bytes: int) -> UploadRejected:
    return UploadRejected(
        "file_too_large",
        f"{label} is {_megabytes(size)} MB; files can be at most {max_bytes / MIB:g} MB.",
    )


def _unsupported(label: str, looks_like: str, advice: str = "") -> UploadRejected:
    detail = f"{label} is not a spreadsheet, CSV or PDF (it looks like {looks_like})."
    return UploadRejected("unsupported_type", f"{detail} {advice}".strip())


def _corrupt(label: str, kind_name: str) -> UploadRejected:
    return UploadRejected(
        "corrupt",
        f"{label} looks like {kind_name} but could not be read; it may be damaged or "
        "incomplete. Open it, save a fresh copy and upload that.",
    )


def _password_protected(label: str) -> UploadRejected:
    return UploadRejected(
        "corrupt",
        f"{label} is password-protected. Save a copy without the password and upload that.",
    )


def _expands_too_much(label: str) -> UploadRejected:
    return UploadRejected(
        "archive_too_large",
        f"{label} expands to far more data when unpacked than a real spreadsheet holds "
        f"(over {MAX_ARCHIVE_BYTES // MIB} MB, or over {MAX_ARCHIVE_RATIO} times its own "
        "size), so it was not opened.",
    )
