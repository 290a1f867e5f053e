"""The entry points: a trial balance's file opened into sheets, then read.

A workbook (.xlsx, .xls, .xlsb, .ods) is opened through calamine, every visible worksheet
a sheet; a CSV file is decoded, its delimiter taken from a "sep=" line or sniffed, and the
whole file is one sheet. Cells are cited as the staff would find them ("Sheet1!B7",
"line 5").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from projects.cma.extract.text import DELIMITERS, decode_text
from projects.cma.extract.trial_balance.indent import column_letters, xlsx_indents
from projects.cma.extract.trial_balance.layout import HEADER_ROWS, Sheet, find_layout
from projects.cma.extract.trial_balance.rows import Progress, extract_sheets
from projects.cma.records import Extraction, ExtractionError, SkippedRow

__all__ = ["extract_csv", "extract_workbook"]

_SEP_LINE = re.compile(r"sep=(.)")


# ----------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------


def extract_workbook(
    path: Path,
    *,
    name: str,
    fiscal_year: str | None,
    accept_mismatches: bool = False,
    progress: Progress | None = None,
) -> Extraction:
    """Every worksheet of an .xlsx/.xls/.xlsb/.ods trial balance.

    ``name`` is the file's name as uploaded, used in every message; ``accept_mismatches``
    turns failed checksums and a year other than the chosen one into warnings.
    """
    warnings: list[str] = []
    skipped: list[SkippedRow] = []
    sheets: list[Sheet] = []
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            for meta in workbook.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue  # chart and macro sheets hold no ledgers
                if meta.visible != SheetVisibleEnum.Visible:
                    warnings.append(f'The hidden sheet "{meta.name}" was not read.')
                    skipped.append(
                        SkippedRow(f"{meta.name}!A1", meta.name, "a hidden sheet: not read")
                    )
                    continue
                sheet = workbook.get_sheet_by_name(meta.name)
                start = sheet.start
                rows = sheet.to_python() if start is not None else []
                row0, col0 = start if start is not None else (0, 0)
                sheets.append(
                    Sheet(
                        meta.name,
                        rows,
                        _cell_citer(meta.name, row0, col0),
                        cite_rows=_rows_citer(meta.name, row0, col0),
                        indents_of=_indent_reader(path, meta.name, row0, col0),
                    )
                )
    except PasswordError as exc:
        raise ExtractionError(
            f"{name} is password-protected. Save a copy without the password and upload that."
        ) from exc
    except Exception as exc:
        raise _unreadable(name) from exc
    except BaseException as exc:
        # A panic in calamine's Rust code is pyo3's PanicException, a BaseException.
        if type(exc).__name__ != "PanicException":
            raise
        raise _unreadable(name) from exc
    return extract_sheets(name, sheets, fiscal_year, accept_mismatches, progress, warnings, skipped)


def extract_csv(
    path: Path,
    *,
    name: str,
    fiscal_year: str | None,
    accept_mismatches: bool = False,
    progress: Progress | None = None,
) -> Extraction:
    """A trial balance saved as CSV: UTF-8 (with or without BOM) or Windows-1252.

    Arguments as for `extract_workbook`.
    """
    data = path.read_bytes()
    text = decode_text(data, complete=True)
    if text is None:
        raise ExtractionError(
            f"{name} could not be read as text. In Excel use Save As, choose "
            '"CSV UTF-8 (Comma delimited)" and upload that file.'
        )
    lines = text.splitlines()
    first_line = 0
    delimiter: str | None = None
    # Excel honours a first line "sep=;" and so do we.
    if lines and (match := _SEP_LINE.fullmatch(lines[0].strip())) is not None:
        delimiter, first_line = match.group(1), 1
    if delimiter is None:
        delimiter = _sniff_delimiter(lines[: HEADER_ROWS + 5])
    rows: list[list[str]] = []
    line_numbers: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if reader.line_num > first_line:
                rows.append(row)
                line_numbers.append(reader.line_num)
    except csv.Error as exc:
        raise ExtractionError(
            f"{name} could not be read as CSV near line {reader.line_num} ({exc}). "
            "Open it in Excel, save it again as CSV and upload that file."
        ) from exc
    skipped: list[SkippedRow] = []
    if first_line:
        skipped.append(
            SkippedRow("line 1", lines[0].strip(), 'the "sep=" line naming the delimiter')
        )

    # Relative to the file, as "Sheet1!B7" is: the stored file's name is not the user's.
    def cite(row: int, _col: int) -> str:
        return f"line {line_numbers[row]}"

    def cite_rows(first: int, last: int) -> str:
        return f"lines {line_numbers[first]}\u2013{line_numbers[last]}"

    sheet = Sheet(name, rows, cite, csv=True, cite_rows=cite_rows)
    return extract_sheets(name, [sheet], fiscal_year, accept_mismatches, progress, [], skipped)


def _cell_citer(sheet: str, row0: int, col0: int) -> Callable[[int, int], str]:
    def cite(row: int, col: int) -> str:
        return f"{sheet}!{column_letters(col0 + col)}{row0 + row + 1}"

    return cite


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter under which a trial balance header appears; else the most regular one."""
    best, best_score = DELIMITERS[0], -1
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        if find_layout(rows, stock=False) is not None:
            return delimiter
        # A title line above the table defeats csv.Sniffer: count rows of the usual width.
        widths = [len(row) for row in rows if len(row) >= 2]
        score = max((widths.count(width) for width in set(widths)), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _indent_reader(path: Path, sheet: str, row0: int, col0: int) -> Callable[[int], dict[int, int]]:
    def read(column: int) -> dict[int, int]:
        found = xlsx_indents(path, sheet, col0 + column)
        return {row - row0: indent for row, indent in found.items()}

    return read


def _rows_citer(sheet: str, row0: int, col0: int) -> Callable[[int, int], str]:
    def cite(first: int, last: int) -> str:
        column = column_letters(col0)
        return f"{sheet}!{column}{row0 + first + 1}:{column}{row0 + last + 1}"

    return cite


def _unreadable(name: str) -> ExtractionError:
    return ExtractionError(
        f"{name} could not be read as a spreadsheet; it may be damaged. Open it, save "
        "a fresh copy and upload that."
    )
