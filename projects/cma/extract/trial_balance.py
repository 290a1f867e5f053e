"""Trial balances from spreadsheets (through calamine) and CSV files, into line items.

A table is found by its header row, anywhere in a sheet's first rows, below whatever titles
the accounting software printed (company, "Trial Balance", the period: read for the year).
Each amount column is understood from its header: debit, credit, a balance with Dr/Cr
marks (with or without a separate Dr/Cr column), and which year it is for when a file
holds several. Rows are read once, in order, with nothing compiled per row, so a 20,000
ledger export takes a fraction of a second.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from projects.cma.extract.numbers import PAISA, format_inr, parse_amount, unit_multiplier
from projects.cma.records import ExtractedItem, Extraction, ExtractionError, Side
from projects.cma.years import fiscal_years_in
from projects.uploads import DELIMITERS, cell_text, decode_text

__all__ = ["extract_csv", "extract_workbook"]

Progress = Callable[[int, int], None]

# Tally and most software print at most a dozen title rows; 30 leaves room for letterheads.
HEADER_ROWS = 30
# Calling back every row would cost more than reading it; the caller throttles further.
PROGRESS_EVERY = 1000
# Beyond this the staff stop reading; the count of the rest is given instead.
MAX_ROW_WARNINGS = 10
_TOLERANCE = PAISA
# "Closing Balance as on 31-Mar-2024 (Dr)" is as long as column headers get.
_MAX_HEADER_WORDS = 9

_ZERO = Decimal("0.00")

# Header words. A cell's role comes from the words in it, checked in the order of _header().
_IGNORED_WORDS = frozenset(
    {"quantity", "qty", "rate", "code", "sr", "sl", "serial", "no", "number", "unit", "uom", "id"}
)
_DEBIT_WORDS = frozenset({"debit", "debits", "dr"})
_CREDIT_WORDS = frozenset({"credit", "credits", "cr"})
_BALANCE_WORDS = frozenset(
    {"balance", "balances", "amount", "amounts", "value", "closing", "net", "rs", "inr", "rupees"}
)
_GROUP_WORDS = frozenset(
    {"group", "groups", "under", "parent", "schedule", "category", "classification", "grouping"}
)
_LABEL_WORDS = frozenset(
    {
        "particulars",
        "particular",
        "ledger",
        "ledgers",
        "account",
        "accounts",
        "description",
        "item",
        "items",
        "name",
        "names",
        "head",
        "heads",
        "details",
    }
)
_OPENING_WORDS = frozenset({"opening"})
_MOVEMENT_WORDS = frozenset(
    {"transaction", "transactions", "during", "inward", "inwards", "outward", "outwards"}
)
_WORD = re.compile(r"[a-z]+|\d+")

# "Total", "Grand Total", "Sub-Total", "TOTAL :", "Total (Dr/Cr)".
_TOTAL = re.compile(r"(?:(?:grand|sub)[\s-]*)?totals?\s*(?:\(.*\))?\s*:?", re.IGNORECASE)
_GRAND_TOTAL = re.compile(r"grand[\s-]*totals?\s*:?", re.IGNORECASE)
# "Stock of Goods (Closing Stock)", "Closing Stock - Raw Material".
_CLOSING_STOCK = re.compile(r"^\s*closing\s+stock\b|\(\s*closing\s+stock\s*\)", re.IGNORECASE)
_STOCK_TITLE = re.compile(r"closing\s+stock|stock\s+summary", re.IGNORECASE)
_TB_TITLE = re.compile(r"trial\s+balance", re.IGNORECASE)
_SEP_LINE = re.compile(r"sep=(.)")


@dataclass
class _Sheet:
    """One table-shaped source: a worksheet, or the whole CSV file."""

    name: str  # the sheet's name, or the CSV file's name
    rows: Sequence[Sequence[object]]
    # How a cell is cited: "Trial Balance!A12" or "trial-balance.csv line 5".
    cite: Callable[[int, int], str]
    csv: bool = False


@dataclass
class _Slot:
    """The columns that give one year's balance."""

    year: str | None  # from the column header; None: the sheet's year
    dr: int | None = None
    cr: int | None = None
    bal: int | None = None
    side: int | None = None  # a separate "Dr/Cr" column next to a balance column


@dataclass
class _Layout:
    header_row: int
    data_start: int
    label: int
    group: int | None
    slots: list[_Slot]
    header_label: str  # the label column's header, to recognise it repeated on a new page
    title: str  # the text above the header: company, "Trial Balance", the period
    unit: Decimal | None  # "Amount in lakhs" above or in the header
    stock: bool  # a closing-stock table


@dataclass
class _Found:
    sheet: _Sheet
    layout: _Layout
    year: str | None  # named by the title rows or the sheet's name


@dataclass
class _Tally:
    """Running sums of one year, and what the file's own total rows say."""

    debit: Decimal = _ZERO
    credit: Decimal = _ZERO
    file_debit: Decimal = _ZERO
    file_credit: Decimal = _ZERO
    file_totals: bool = False
    closing_stock: Decimal = _ZERO
    mismatches: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------


def extract_workbook(
    path: Path, *, fiscal_year: str | None, progress: Progress | None = None
) -> Extraction:
    """Every worksheet of an .xlsx/.xls/.xlsb/.ods trial balance."""
    warnings: list[str] = []
    sheets: list[_Sheet] = []
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            for meta in workbook.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue  # chart and macro sheets hold no ledgers
                if meta.visible != SheetVisibleEnum.Visible:
                    warnings.append(f'The hidden sheet "{meta.name}" was not read.')
                    continue
                sheet = workbook.get_sheet_by_name(meta.name)
                start = sheet.start
                rows = sheet.to_python() if start is not None else []
                row0, col0 = start if start is not None else (0, 0)
                sheets.append(_Sheet(meta.name, rows, _cell_citer(meta.name, row0, col0)))
    except PasswordError as exc:
        raise ExtractionError(
            f"{path.name} is password-protected. Save a copy without the password and upload that."
        ) from exc
    except Exception as exc:
        raise _unreadable(path) from exc
    except BaseException as exc:
        # A panic in calamine's Rust code is pyo3's PanicException, a BaseException.
        if type(exc).__name__ != "PanicException":
            raise
        raise _unreadable(path) from exc
    return _extract(path, sheets, fiscal_year, progress, warnings)


def extract_csv(
    path: Path, *, fiscal_year: str | None, progress: Progress | None = None
) -> Extraction:
    """A trial balance saved as CSV: UTF-8 (with or without BOM) or Windows-1252."""
    data = path.read_bytes()
    text = decode_text(data, complete=True)
    if text is None:
        raise ExtractionError(
            f"{path.name} could not be read as text. In Excel use Save As, choose "
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
            f"{path.name} could not be read as CSV near line {reader.line_num} ({exc}). "
            "Open it in Excel, save it again as CSV and upload that file."
        ) from exc
    name = path.name

    # Relative to the file, as "Sheet1!B7" is: the stored file's name is not the user's.
    def cite(row: int, _col: int) -> str:
        return f"line {line_numbers[row]}"

    return _extract(path, [_Sheet(name, rows, cite, csv=True)], fiscal_year, progress, [])


def _cell_citer(sheet: str, row0: int, col0: int) -> Callable[[int, int], str]:
    def cite(row: int, col: int) -> str:
        return f"{sheet}!{_column_letters(col0 + col)}{row0 + row + 1}"

    return cite


@lru_cache(maxsize=256)
def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter under which a trial balance header appears; else the most regular one."""
    best, best_score = DELIMITERS[0], -1
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        if _find_layout(rows, stock=False) is not None:
            return delimiter
        # A title line above the table defeats csv.Sniffer: count rows of the usual width.
        widths = [len(row) for row in rows if len(row) >= 2]
        score = max((widths.count(width) for width in set(widths)), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unreadable(path: Path) -> ExtractionError:
    return ExtractionError(
        f"{path.name} could not be read as a spreadsheet; it may be damaged. Open it, save "
        "a fresh copy and upload that."
    )


# ----------------------------------------------------------------------------------------
# Finding the table
# ----------------------------------------------------------------------------------------


def _text(cell: object) -> str:
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a ledger named "4001" is stored as the number 4001.0
    if isinstance(cell, int | float):
        return str(cell)
    return cell_text(cell).strip() if cell is not None else ""


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("\u20b9", " rs ")))


@dataclass(frozen=True)
class _Header:
    role: str | None  # "label", "group", "dr", "cr", "bal", "side" or None
    year: str | None
    phase: str | None  # "opening", "movement", "closing" or None


def _header(text: str) -> _Header:
    if not text:
        return _Header(None, None, None)
    words = _words(text)
    if len(words) > _MAX_HEADER_WORDS:
        return _Header(None, None, None)  # a sentence or a title, not a column's name
    years = fiscal_years_in(text) if any(char.isdigit() for char in text) else []
    year = years[0] if len(years) == 1 else None
    phase = (
        "closing"
        if "closing" in words
        else "opening"
        if words & _OPENING_WORDS
        else "movement"
        if words & _MOVEMENT_WORDS
        else None
    )
    if words & _IGNORED_WORDS or "%" in text:
        return _Header(None, None, None)
    has_dr, has_cr = bool(words & _DEBIT_WORDS), bool(words & _CREDIT_WORDS)
    if has_dr and has_cr:
        # "Dr/Cr" alone marks the side of the balance beside it; "Balance Dr/Cr" is a balance.
        role = "bal" if words & _BALANCE_WORDS or year else "side"
    elif has_dr:
        role = "dr"
    elif has_cr:
        role = "cr"
    elif words & _GROUP_WORDS:
        role = "group"
    elif words & _BALANCE_WORDS or year:
        role = "bal"
    elif words & _LABEL_WORDS:
        role = "label"
    else:
        role = None
    return _Header(role, year, phase)


def _find_layout(rows: Sequence[Sequence[object]], *, stock: bool) -> _Layout | None:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        texts = [_text(cell) for cell in row]
        headers = [_header(text) for text in texts]
        if not _is_header(headers):
            continue
        data_start = index + 1
        below = rows[index + 1] if index + 1 < len(rows) else []
        if _is_header_continuation(below, headers):
            # "Closing Balance" above "Debit | Credit": one header in two rows.
            texts = _merge_header_rows(texts, headers, [_text(cell) for cell in below])
            headers = [_header(text) for text in texts]
            data_start = index + 2
        layout = _layout(rows, index, data_start, texts, headers, stock=stock)
        if layout is not None:
            return layout
    return None


def _is_header(headers: list[_Header]) -> bool:
    roles = [header.role for header in headers]
    amounts = sum(1 for role in roles if role in ("dr", "cr", "bal"))
    if "label" in roles and amounts:
        return True
    if "dr" in roles and "cr" in roles:
        return True
    return sum(1 for header in headers if header.role == "bal" and header.year) >= 2


def _is_header_continuation(row: Sequence[object], upper: list[_Header]) -> bool:
    label = next((column for column, header in enumerate(upper) if header.role == "label"), None)
    if label is not None and label < len(row) and _text(row[label]):
        return False  # a ledger's name: the data has begun
    for cell in row:
        # A first ledger such as "Capital | 1,54,030.01 Cr" has a "Cr" too, and an amount.
        parsed = parse_amount(cell) if cell != "" else None
        if parsed is not None and parsed[0]:
            return False
    # "Debit | Credit" under "Closing Balance"; "Quantity | Rate | Value" under it in stock.
    return any(_header(_text(cell)).role in ("dr", "cr", "bal") for cell in row)


def _merge_header_rows(
    upper: list[str], upper_headers: list[_Header], lower: list[str]
) -> list[str]:
    width = max(len(upper), len(lower))
    merged: list[str] = []
    carried = ""
    for column in range(width):
        top = upper[column] if column < len(upper) else ""
        bottom = lower[column] if column < len(lower) else ""
        if top:
            role = upper_headers[column].role
            # A merged cell ("Closing Balance" over two columns) is stored in its first column.
            carried = top if role not in ("label", "group", None) else ""
        elif bottom:
            top = carried
        merged.append(f"{top} {bottom}".strip())
    return merged


def _layout(
    rows: Sequence[Sequence[object]],
    header_row: int,
    data_start: int,
    texts: list[str],
    headers: list[_Header],
    *,
    stock: bool,
) -> _Layout | None:
    amount_columns = [
        (column, header)
        for column, header in enumerate(headers)
        if header.role in ("dr", "cr", "bal", "side")
    ]
    phases = {header.phase for _, header in amount_columns if header.role != "side"}
    # Opening balances and the year's transactions sit beside the closing balance in
    # fuller exports; only the closing balance is the trial balance.
    if "closing" in phases:
        keep = {"closing"}
    elif None in phases:
        keep = {None}
    else:
        keep = phases
    slots: dict[str | None, _Slot] = {}
    order: list[_Slot] = []
    last_balance: _Slot | None = None
    for column, header in amount_columns:
        if header.role == "side":
            if last_balance is not None and last_balance.side is None:
                last_balance.side = column
            continue
        if header.phase not in keep:
            continue
        slot = slots.get(header.year)
        role = header.role
        if slot is None or getattr(slot, role) is not None:
            # A second Debit column for the same year starts a new pair: the last wins.
            slot = _Slot(header.year)
            slots[header.year] = slot
            order.append(slot)
        setattr(slot, role, column)
        last_balance = slot if role == "bal" else None
    chosen = [slot for slot in order if slots.get(slot.year) is slot]
    for slot in chosen:
        if slot.bal is not None and (slot.dr is not None or slot.cr is not None):
            slot.bal = slot.side = None  # debit and credit columns say more than a net figure
    if not chosen:
        return None
    amount_indexes = {c for _, c in _slot_columns(chosen)}
    label = next((c for c, h in enumerate(headers) if h.role == "label"), None)
    if label is None:
        first_amount = min(amount_indexes)
        label = next((c for c in range(first_amount) if headers[c].role not in ("group",)), 0)
    group = next((c for c, h in enumerate(headers) if h.role == "group"), None)
    title = "\n".join(
        " ".join(_text(cell) for cell in row if _text(cell)) for row in rows[:header_row]
    )
    unit = unit_multiplier(title) or next(
        (u for text in texts if text and (u := unit_multiplier(text)) is not None), None
    )
    return _Layout(
        header_row=header_row,
        data_start=data_start,
        label=label,
        group=group,
        slots=chosen,
        header_label=texts[label].lower() if label < len(texts) else "",
        title=title,
        unit=unit if unit != 1 else None,
        # A trial balance's title may mention closing stock ("closing stock marked").
        stock=stock or (_STOCK_TITLE.search(title) is not None and not _TB_TITLE.search(title)),
    )


def _slot_columns(slots: list[_Slot]) -> list[tuple[str, int]]:
    return [
        (name, column)
        for slot in slots
        for name in ("dr", "cr", "bal", "side")
        if (column := getattr(slot, name)) is not None
    ]


# ----------------------------------------------------------------------------------------
# Years
# ----------------------------------------------------------------------------------------


def _single_year(text: str) -> str | None:
    years = fiscal_years_in(text)
    return years[0] if len(years) == 1 else None


def _resolve_years(
    path: Path, found: list[_Found], fiscal_year: str | None, warnings: list[str]
) -> dict[tuple[int, str | None], str]:
    """The year of every (table, column year) pair; the user's choice wins in one-year files."""
    named: set[str] = set()
    for entry in found:
        for slot in entry.layout.slots:
            if slot.year is not None:
                named.add(slot.year)
            elif entry.year is not None:
                named.add(entry.year)
    if not named:
        from_name = _single_year(path.stem.replace("_", "-"))
        if from_name is not None:
            named.add(from_name)
    mapping: dict[tuple[int, str | None], str] = {}
    one_year = len(named) <= 1
    if fiscal_year is not None and one_year:
        if named and fiscal_year not in named:
            warnings.append(
                f"{path.name} names the fiscal year {next(iter(named))}, but {fiscal_year} was "
                f"chosen for it; its figures are filed under {fiscal_year}."
            )
        for index, entry in enumerate(found):
            for slot in entry.layout.slots:
                mapping[(index, slot.year)] = fiscal_year
        return mapping
    for index, entry in enumerate(found):
        for slot in entry.layout.slots:
            year = slot.year or entry.year
            if year is None:
                if fiscal_year is not None:
                    year = fiscal_year
                elif one_year and named:
                    year = next(iter(named))
                else:
                    raise _no_year(path, entry, several=bool(named))
            mapping[(index, slot.year)] = year
    if fiscal_year is not None and fiscal_year not in mapping.values():
        listed = ", ".join(sorted(named))
        warnings.append(
            f"{path.name} covers the fiscal years {listed}, each named in the file, so the "
            f"chosen year {fiscal_year} was not used for it."
        )
    return mapping


def _no_year(path: Path, entry: _Found, *, several: bool) -> ExtractionError:
    if several:
        where = "" if entry.sheet.csv else f' The sheet "{entry.sheet.name}" does not.'
        return ExtractionError(
            f"{path.name} covers several fiscal years, but it is not clear which one some of "
            f"its figures are for.{where} Put the year in the sheet's name (for example "
            '"FY 2023-24") or above its table, and upload it again.'
        )
    return ExtractionError(
        f"{path.name} does not say which fiscal year it is for: there is no period line "
        '(such as "1-Apr-2023 to 31-Mar-2024") above its table and no year in its sheet or '
        "file name. Choose the fiscal year for this file and process it again."
    )


# ----------------------------------------------------------------------------------------
# Reading the rows
# ----------------------------------------------------------------------------------------


def _extract(
    path: Path,
    sheets: list[_Sheet],
    fiscal_year: str | None,
    progress: Progress | None,
    warnings: list[str],
) -> Extraction:
    found: list[_Found] = []
    for sheet in sheets:
        name = sheet.name.lower()
        stock = not sheet.csv and "stock" in name and "trial" not in name
        layout = _find_layout(sheet.rows, stock=stock)
        if layout is None:
            if len(sheets) > 1 and any(any(cell != "" for cell in row) for row in sheet.rows):
                warnings.append(f'The sheet "{sheet.name}" has no trial balance table; skipped.')
            continue
        year = _single_year(layout.title) or (
            None if sheet.csv else _single_year(sheet.name.replace("_", "-"))
        )
        found.append(_Found(sheet, layout, year))
    if not any(not entry.layout.stock for entry in found):
        raise _no_table(path, sheets, found)
    years_of = _resolve_years(path, found, fiscal_year, warnings)

    total_rows = sum(len(entry.sheet.rows) for entry in found)
    done = 0
    items: list[ExtractedItem] = []
    tallies: dict[str, _Tally] = {}
    row_problems: list[str] = []
    for index, entry in enumerate(found):
        done = _read_table(
            entry,
            {slot.year: years_of[(index, slot.year)] for slot in entry.layout.slots},
            items,
            tallies,
            row_problems,
            warnings,
            progress,
            done,
            total_rows,
        )
    if progress is not None:
        progress(total_rows, total_rows)
    if row_problems:
        more = len(row_problems) - MAX_ROW_WARNINGS
        warnings.extend(row_problems[:MAX_ROW_WARNINGS])
        if more > 0:
            rows = "row" if more == 1 else "rows"
            warnings.append(f"{more} more {rows} could not be read and were left out.")
    if not items:
        raise ExtractionError(
            f"{path.name} has a trial balance table, but no ledger in it has a balance."
        )
    totals = _check_totals(path, tallies, warnings)
    years = sorted({item.year for item in items})
    # Year by year, in the file's order within each year: how the staff review them.
    items.sort(key=lambda item: item.year)
    return Extraction(
        items=items, years=years, basis="trial_balance", totals=totals, warnings=warnings
    )


def _no_table(path: Path, sheets: list[_Sheet], found: list[_Found]) -> ExtractionError:
    if found:
        return ExtractionError(
            f"{path.name} has a closing-stock table but no trial balance: no header row with a "
            "ledger name column and Debit/Credit (or closing balance) columns was found."
        )
    where = "its first rows" if len(sheets) <= 1 else "the first rows of any of its sheets"
    return ExtractionError(
        f"No trial balance table was found in {path.name}: {where} have no header row with a "
        'ledger name column ("Particulars", "Ledger") and Debit and Credit columns or a '
        "closing balance column."
    )


def _read_table(
    entry: _Found,
    years: dict[str | None, str],
    items: list[ExtractedItem],
    tallies: dict[str, _Tally],
    problems: list[str],
    notes: list[str],
    progress: Progress | None,
    done: int,
    total_rows: int,
) -> int:
    """Appends one table's items and adds its sums to ``tallies``; returns rows done so far.

    A row is a ledger, a total (kept only to compare with the ledgers), a repeated header or
    a row whose amount cannot be read (reported in ``problems``, never guessed).
    """
    sheet, layout = entry.sheet, entry.layout
    rows = sheet.rows
    label_column, group_column = layout.label, layout.group
    stock_table = layout.stock
    unit = layout.unit
    slots = [(slot, years[slot.year]) for slot in layout.slots]
    for year in years.values():
        tallies.setdefault(year, _Tally())
    # Per slot: the file's "Grand Total", and the last plain "Total" row with no ledger after
    # it (a plain total followed by ledgers was a group's subtotal).
    grand: dict[int, tuple[Decimal, Decimal]] = {}
    plain: dict[int, tuple[Decimal, Decimal]] = {}
    # Per slot: debits, credits (closing stock apart) and closing stock (Dr positive).
    sums = [[_ZERO, _ZERO, _ZERO] for _ in slots]
    header_label = layout.header_label
    unmarked = [0]
    for row_index in range(layout.data_start, len(rows)):
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total_rows)
        row = rows[row_index]
        width = len(row)
        raw_label = row[label_column] if label_column < width else None
        label = _text(raw_label) if raw_label is not None and raw_label != "" else ""
        values: list[tuple[Decimal, Side] | None] = []
        unreadable: str | None = None
        for slot, _year in slots:
            value = _slot_value(row, width, slot, stock_table, unmarked)
            if isinstance(value, str):
                unreadable = value
                break
            values.append(value)
        if unreadable is not None:
            if not label or label.lower() == header_label:
                continue  # the header repeated on a new page, or a note below the table
            problems.append(
                f'{sheet.cite(row_index, label_column)}: "{unreadable}" is not an amount, so '
                f'"{label}" was left out.'
            )
            continue
        if not label or _TOTAL.fullmatch(label):
            # Debit and credit totals net to nothing: read the row's cells, not its balance.
            totals = grand if label and _GRAND_TOTAL.fullmatch(label) else plain
            for i, (slot, _year) in enumerate(slots):
                if slot.dr is not None and slot.cr is not None:
                    pair = _total_pair(row, width, slot)
                    if pair is not None and any(pair):
                        totals[i] = pair
            continue
        closing = stock_table or _CLOSING_STOCK.search(label) is not None
        section = ""
        if group_column is not None and group_column < width:
            section = _text(row[group_column])
        for i, value in enumerate(values):
            if value is None:
                continue
            amount, side = value
            if unit is not None:
                amount = (amount * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
            items.append(
                ExtractedItem(
                    year=slots[i][1],
                    label=label,
                    amount=amount,
                    side=side,
                    source=sheet.cite(row_index, label_column),
                    section=section,
                    closing_stock=closing,
                )
            )
            running = sums[i]
            if closing:
                running[2] += amount if side == "Dr" else -amount
            elif side == "Dr":
                running[0] += amount
            else:
                running[1] += amount
            plain.pop(i, None)
    if unmarked[0]:
        where = sheet.name if sheet.csv else f'the sheet "{sheet.name}"'
        notes.append(
            f"{unmarked[0]:,} balances in {where} have no Dr/Cr mark: positive figures were "
            "read as debits and negative ones as credits."
        )
    for i, (_slot, year) in enumerate(slots):
        tally = tallies[year]
        debit, credit, stock_net = sums[i]
        tally.debit += debit
        tally.credit += credit
        tally.closing_stock += stock_net
        pair = grand.get(i) or plain.get(i)
        if pair is None:
            continue
        file_debit, file_credit = pair
        if unit is not None:
            file_debit = (file_debit * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
            file_credit = (file_credit * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
        tally.file_debit += file_debit
        tally.file_credit += file_credit
        tally.file_totals = True
        # A total row may or may not count closing stock lines listed in the table.
        if not (
            _close(file_credit, credit)
            and (_close(file_debit, debit) or _close(file_debit, debit + stock_net))
        ):
            tally.mismatches.append(
                f"{_where(sheet)} ends with totals of Dr \u20b9{format_inr(file_debit)} and Cr "
                f"\u20b9{format_inr(file_credit)}, but its ledgers for {year} add up to Dr "
                f"\u20b9{format_inr(debit)} and Cr \u20b9{format_inr(credit)}. Check that each "
                "ledger is listed once (not groups and their ledgers both)."
            )
    return done


def _where(sheet: _Sheet) -> str:
    return sheet.name if sheet.csv else f'The sheet "{sheet.name}"'


def _close(first: Decimal, second: Decimal) -> bool:
    return abs(first - second) <= _TOLERANCE


def _slot_value(
    row: Sequence[object], width: int, slot: _Slot, stock: bool, unmarked: list[int]
) -> tuple[Decimal, Side] | str | None:
    """The balance in one slot: (amount > 0, side), None for zero, or the unreadable text.

    ``unmarked[0]`` counts balances whose side came from their sign alone.
    """
    if slot.bal is not None:
        cell = row[slot.bal] if slot.bal < width else None
        parsed = parse_amount(cell)
        if parsed is None:
            return _text(cell)
        amount, side = parsed
        if not amount:
            return None
        if side is None and slot.side is not None and slot.side < width:
            mark = _text(row[slot.side]).lower().rstrip(".")
            side = "Dr" if mark in ("dr", "debit") else "Cr" if mark in ("cr", "credit") else None
        if side is None:
            # No mark: software that writes signed balances shows credits as negatives.
            side = "Dr"
            if not stock:
                unmarked[0] += 1
        if amount < 0:
            return -amount, _other(side)
        return amount, side
    net = _ZERO
    for column, natural in ((slot.dr, "Dr"), (slot.cr, "Cr")):
        if column is None or column >= width:
            continue
        cell = row[column]
        if cell is None or cell == "":
            continue
        parsed = parse_amount(cell)
        if parsed is None:
            return _text(cell)
        amount, side = parsed
        # A mark in the cell says more than the column it sits in.
        net += amount if (side or natural) == "Dr" else -amount
    if not net:
        return None
    if stock and slot.dr is None:
        net = -net  # a stock table's lone "Credit"-headed column is still stock held
    return (net, "Dr") if net > 0 else (-net, "Cr")


def _total_pair(row: Sequence[object], width: int, slot: _Slot) -> tuple[Decimal, Decimal] | None:
    pair = []
    for column in (slot.dr, slot.cr):
        cell = row[column] if column is not None and column < width else None
        parsed = parse_amount(cell)
        if parsed is None:
            return None
        pair.append(abs(parsed[0]))
    return pair[0], pair[1]


def _other(side: Side) -> Side:
    return "Cr" if side == "Dr" else "Dr"


def _check_totals(
    path: Path, tallies: dict[str, _Tally], warnings: list[str]
) -> dict[str, tuple[Decimal, Decimal]]:
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for year in sorted(tallies):
        tally = tallies[year]
        if tally.debit == _ZERO and tally.credit == _ZERO:
            continue  # only closing stock for this year: nothing to balance
        if not _close(tally.debit, tally.credit):
            difference = abs(tally.debit - tally.credit)
            stock_note = (
                " (closing stock is left out of this check: a trial balance exported before "
                "closing balances without it)"
                if tally.closing_stock
                else ""
            )
            raise ExtractionError(
                f"The trial balance for {year} in {path.name} does not balance: debits total "
                f"\u20b9{format_inr(tally.debit)} and credits total "
                f"\u20b9{format_inr(tally.credit)}, a difference of "
                f"\u20b9{format_inr(difference)}{stock_note}. Correct it in the accounting "
                "software, export it again and upload the new file."
            )
        warnings.extend(tally.mismatches)
        if tally.file_totals:
            totals[year] = (tally.file_debit, tally.file_credit)
        else:
            totals[year] = (tally.debit, tally.credit)
    return totals
