"""Workbooks through calamine: the first rows of every worksheet as text (for the fiscal
year), with a workbook calamine cannot open (password, damage, even a panic in its Rust
code) refused as such.
"""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from projects.cma.extract.text import cell_text
from projects.uploads.limits import YEAR_ROWS
from projects.uploads.rejections import KIND_NAMES, corrupt, password_protected

# Workbooks through calamine


class _WorkbookUnreadable(Exception):
    def __init__(self, *, password: bool) -> None:
        super().__init__()
        self.password = password


def workbook_text_or_reject(label: str, data: bytes, kind: str) -> str:
    try:
        return _workbook_text(data)
    except _WorkbookUnreadable as exc:
        if exc.password:
            raise password_protected(label) from exc
        raise corrupt(label, KIND_NAMES[kind]) from exc


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
