"""Text uploads, accepted only as CSV: decoded as Excel saves them (UTF-8 with a BOM or
Windows-1252), told apart from binary files, web pages, XML and RTF, and sniffed for
columns (decoded and sniffed as the trial balance reader does: projects.cma.extract.text).
"""

from __future__ import annotations

import csv
import io

from projects.cma.extract.text import DELIMITERS, decode_text
from projects.uploads.limits import SNIFF_ROWS, TEXT_SAMPLE_BYTES, YEAR_ROWS
from projects.uploads.rejections import UploadRejected, unsupported

# Text: CSV


def inspect_text(label: str, data: bytes) -> str:
    sample = data[:TEXT_SAMPLE_BYTES]
    complete = len(sample) == len(data)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRejected(
            "unsupported_type",
            f"{label} is saved as Unicode (UTF-16) text. In Excel use Save As, choose "
            '"CSV UTF-8 (Comma delimited)" and upload that file.',
        )
    if b"\x00" in sample:
        raise unsupported(label, "a binary file of an unknown type")
    text = decode_text(sample, complete=complete)
    if text is None or _mostly_control_characters(text):
        raise unsupported(label, "a binary file of an unknown type")
    markup = _markup_kind(text)
    if markup is not None:
        # Tally and many banks export web pages and XML named .xls, which Excel opens.
        raise unsupported(label, markup, "Open it in Excel, save it as .xlsx and upload that.")
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
