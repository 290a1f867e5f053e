"""Workbooks through calamine: the first rows of every worksheet as text (for the fiscal
year), with a workbook calamine cannot open (password, damage, even a panic in its Rust
code) refused as such. ``cell_text`` is shared with the trial balance extractor.
"""

from __future__ import annotations

import datetime
import io

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from projects.uploads.limits import YEAR_ROWS
from projects.uploads.rejections import _KIND_NAMES, _corrupt, _password_protected

# Workbooks through calamine


class _WorkbookUnreadable(Exception):
    def __init__(self, *, password: bool) -> None:
        super().__init__()
        self.password = password


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
