"""Reading text and cells as the firm's files hold them, shared by the upload checks
(projects.uploads) and the trial balance reader, so both see a file the same way.
"""

from __future__ import annotations

import codecs
import datetime

# The delimiters a CSV file is sniffed for, by the upload checks and the reader alike.
DELIMITERS = ",;\t|"


def decode_text(sample: bytes, *, complete: bool) -> str | None:
    """The bytes as text, or None when they are neither UTF-8 nor Windows-1252.

    ``complete`` is False for a sample cut from a longer file: a character split at the
    cut is then not an error.
    """
    # Excel saves "CSV UTF-8" with a BOM and plain "CSV" in the Windows code page.
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
    return None


def cell_text(cell: object) -> str:
    """A workbook cell's text: strings as they are, dates as ISO dates, nothing else."""
    # Amounts are left out: a balance of 2023.24 must not read as a fiscal year.
    if isinstance(cell, str):
        return cell
    if isinstance(cell, datetime.date):
        return cell.isoformat()[:10]
    return ""
