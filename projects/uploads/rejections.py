"""Refusals: UploadRejected, whose ``detail`` names the file and says what to do, and the
sentences for each reason (too large, not a supported kind, damaged, password-protected,
expands too much), so every kind of file is refused in the same words."""

from __future__ import annotations

import math

from projects.uploads.limits import MAX_ARCHIVE_BYTES, MAX_ARCHIVE_RATIO, MIB

KIND_NAMES = {
    "xlsx": "an Excel workbook (.xlsx)",
    "xlsb": "an Excel binary workbook (.xlsb)",
    "xls": "an Excel 97-2003 workbook (.xls)",
    "ods": "an OpenDocument spreadsheet (.ods)",
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


# Messages


def _megabytes(size: int) -> str:
    value = math.ceil(size / MIB * 10) / 10
    return f"{value:g}"


def too_large(label: str, size: int, max_bytes: int) -> UploadRejected:
    return UploadRejected(
        "file_too_large",
        f"{label} is {_megabytes(size)} MB; files can be at most {max_bytes / MIB:g} MB.",
    )


def unsupported(label: str, looks_like: str, advice: str = "") -> UploadRejected:
    detail = f"{label} is not a spreadsheet, CSV or PDF (it looks like {looks_like})."
    return UploadRejected("unsupported_type", f"{detail} {advice}".strip())


def corrupt(label: str, kind_name: str) -> UploadRejected:
    return UploadRejected(
        "corrupt",
        f"{label} looks like {kind_name} but could not be read; it may be damaged or "
        "incomplete. Open it, save a fresh copy and upload that.",
    )


def password_protected(label: str) -> UploadRejected:
    return UploadRejected(
        "corrupt",
        f"{label} is password-protected. Save a copy without the password and upload that.",
    )


def expands_too_much(label: str) -> UploadRejected:
    return UploadRejected(
        "archive_too_large",
        f"{label} expands to far more data when unpacked than a real spreadsheet holds "
        f"(over {MAX_ARCHIVE_BYTES // MIB} MB, or over {MAX_ARCHIVE_RATIO} times its own "
        "size), so it was not opened.",
    )
