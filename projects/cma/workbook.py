"""The CMA workbook a bank receives: inputs, Forms II to VI, ratios, line items, validation.

Every computed cell is a formula over the Inputs sheet (and other forms), written from the
same expressions that computed the report, with the computed value cached in the cell: a
reader that does not recalculate (python-calamine, a bank's intake software) sees the
numbers, and a banker who clicks a cell sees how it was arrived at.

User text (ledger labels, file names, project and client names, reviewers' names) is data,
never a formula. Two layers (OWASP "CSV injection"):
- it is only ever written with ``write_string`` (and the workbook is opened with
  ``strings_to_formulas`` off besides), so Excel stores it as text and never evaluates it;
- text starting with = + - @, a tab or a carriage return (or their full-width forms) is
  prefixed with a single quote, visibly. ``write_string`` alone keeps the xlsx safe, but
  the firm's staff export sheets to CSV and open the CSV in Excel, where a leading "=" is a
  formula again; the quote survives the export. A label like "-5% discount" therefore reads
  "'-5% discount": a small price for a file that stays safe wherever it goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from projects.cma.checks import Issue, Validation
from projects.cma.forms import CellKind, Form, FormLine, Kind, Report, Section, line_formula
from projects.cma.heads import GROUP_LABELS, HEADS

__all__ = ["MONEY_FORMAT", "WorkbookItem", "safe_text", "write_workbook"]

# Indian grouping (12,34,56,789.00). Excel allows two conditions, so amounts of a lakh and
# more are grouped the Indian way when positive; negatives (rare: a loss, a deficit) fall
# to the last section and show Western grouping. Better than wrong digits.
MONEY_FORMAT = "[>=10000000]##\\,##\\,##\\,##0.00;[>=100000]##\\,##\\,##0.00;##,##0.00"
NUMBER_FORMATS: dict[Kind, str] = {
    "money": MONEY_FORMAT,
    "ratio": "0.00",
    "months": "0.00",
    "percent": "0.00%",
}
KIND_NOTE = "Amounts in rupees; ratios in times; holding periods in months."

# Characters that make a spreadsheet (or a CSV opened in one) read a cell as a formula.
_RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_MAX_CELL_TEXT = 32767  # Excel's limit; XlsxWriter refuses longer strings

INPUTS = "Inputs"
LINE_ITEMS = "Line items"
VALIDATION = "Validation"
HEADER_ROW = 3  # rows 0-2: title, sheet title, note; row 3: column headers
FIRST_ROW = 4


@dataclass(frozen=True)
class WorkbookItem:
    """One line item as the Line items sheet shows it."""

    year: str
    label: str
    amount: Decimal  # rupees, as read (>= 0; the side says which way)
    side: str  # "Dr" / "Cr"
    file_name: str
    source: str  # where in the file: "Trial Balance!A12", "page 2, line 14"
    head: str | None  # head id; None while unclassified
    head_label: str
    confidence: float | None  # 0..1 from the classifier
    method: str  # "learned", "synonym", "fuzzy", "section", "manual", ...
    approved_by: str = ""  # who approved or corrected it in review


def safe_text(value: str) -> str:
    """User text made safe for a cell and any CSV exported from it (see the module doc)."""
    text = str(value)
    if text.startswith(_RISKY_FIRST):
        text = "'" + text
    return text[:_MAX_CELL_TEXT]


class _Styles:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.subtitle = add({"bold": True, "font_size": 12})
        self.note = add({"italic": True, "font_color": "#555555"})
        self.header = add(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.header_number = add(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "align": "right"}
        )
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.section = add({"bold": True, "font_color": "#1F3864"})
        self.total_label = add({"bold": True})
        self.numbers = {kind: add({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
        self.totals = {
            kind: add({"num_format": fmt, "bold": True, "top": 1})
            for kind, fmt in NUMBER_FORMATS.items()
        }
        self.percent = add({"num_format": "0%"})
        self.error = add({"bold": True, "font_color": "#C00000", "valign": "top"})
        self.warning = add({"bold": True, "font_color": "#9C5700", "valign": "top"})


@dataclass
class _Layout:
    """Where each head and line sits: (kind, key) -> (sheet, row); sheet -> year -> column."""

    rows: dict[tuple[CellKind, str], tuple[str, int]]
    columns: dict[str, dict[str, int]]

    def cell_of_from(self, here: str) -> _CellOf:
        return _CellOf(self, here)


@dataclass
class _CellOf:
    layout: _Layout
    here: str  # the sheet being written: references to it need no sheet name

    def __call__(self, kind: CellKind, key: str, year: str) -> str:
        sheet, row = self.layout.rows[(kind, key)]
        ref = xl_rowcol_to_cell(row, self.layout.columns[sheet][year])
        return ref if sheet == self.here else f"{quote_sheetname(sheet)}!{ref}"


def write_workbook(
    path_or_buffer: str | IO[bytes],
    *,
    project_name: str,
    client_name: str,
    report: Report,
    line_items: Sequence[WorkbookItem],
    validation: Validation,
) -> None:
    """Writes the CMA workbook to a path or a binary buffer."""
    workbook = xlsxwriter.Workbook(
        path_or_buffer,
        {
            "in_memory": True,
            # Belt and braces: write() would otherwise turn "=..." strings into formulas.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    styles = _Styles(workbook)
    title = safe_text(" - ".join(part for part in (project_name, client_name) if part))
    workbook.set_properties({"title": title, "subject": "CMA data", "comments": "CMA Pipeline"})

    forms = [form for form in report.forms if report.form_periods(form)]
    layout = _layout(report, forms)

    _write_inputs(workbook.add_worksheet(INPUTS), styles, title, report, layout)
    for form in forms:
        sheet = workbook.add_worksheet(form.sheet)
        _write_form(sheet, styles, title, report, form, layout)
    _write_line_items(workbook.add_worksheet(LINE_ITEMS), styles, title, line_items)
    _write_validation(workbook.add_worksheet(VALIDATION), styles, title, validation)
    workbook.close()


def _layout(report: Report, forms: Sequence[Form]) -> _Layout:
    rows: dict[tuple[CellKind, str], tuple[str, int]] = {}
    columns: dict[str, dict[str, int]] = {}
    row = FIRST_ROW + 1  # the Basis row comes first
    for group in GROUP_LABELS:
        row += 1  # the group's heading
        for head_def in HEADS:
            if head_def.group == group:
                rows[("head", head_def.id)] = (INPUTS, row)
                row += 1
    columns[INPUTS] = {year: 2 + index for index, year in enumerate(report.years)}
    for form in forms:
        for index, form_row in enumerate(form.rows):
            if isinstance(form_row, FormLine):
                rows[("line", form_row.key)] = (form.sheet, FIRST_ROW + index)
        periods = report.form_periods(form)
        columns[form.sheet] = {period.year: 1 + index for index, period in enumerate(periods)}
    return _Layout(rows, columns)


def _heading(sheet: Worksheet, styles: _Styles, title: str, sheet_title: str, note: str) -> None:
    """Title rows, print setup (landscape, A4, one page wide, titles repeated), header/footer."""
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(1, 0, sheet_title, styles.subtitle)
    sheet.write_string(2, 0, note, styles.note)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, HEADER_ROW)
    # "&" starts a header code; the user's "&" must be doubled. Excel caps headers at 255.
    printable = title.replace("&", "&&")[:150]
    sheet.set_header(f"&L{printable}&R{sheet_title.replace('&', '&&')[:80]}")
    sheet.set_footer("&CPage &P of &N")


def _write_inputs(
    sheet: Worksheet, styles: _Styles, title: str, report: Report, layout: _Layout
) -> None:
    years = report.years
    _heading(
        sheet,
        styles,
        title,
        "Inputs - total of each head per year",
        "Sum of the line items of each head, signed by the head's normal side (Dr or Cr); "
        "blank where no line item has the head. The forms' formulas start from here.",
    )
    sheet.write_string(HEADER_ROW, 0, "Item", styles.header)
    sheet.write_string(HEADER_ROW, 1, "Head", styles.header)
    for year, col in layout.columns[INPUTS].items():
        sheet.write_string(HEADER_ROW, col, year, styles.header_number)
    sheet.write_string(FIRST_ROW, 1, "Basis", styles.total_label)
    for period in report.periods:
        basis = (
            "Trial balance (before closing)"
            if period.basis == "trial_balance"
            else "Financial statements"
        )
        sheet.write_string(FIRST_ROW, layout.columns[INPUTS][period.year], basis, styles.wrap)

    for group, group_label in GROUP_LABELS.items():
        group_heads = [head_def for head_def in HEADS if head_def.group == group]
        _, first = layout.rows[("head", group_heads[0].id)]
        sheet.write_string(first - 1, 0, group_label, styles.section)
        for head_def in group_heads:
            _, row = layout.rows[("head", head_def.id)]
            sheet.write_string(row, 0, head_def.item, styles.text)
            sheet.write_string(row, 1, f"{head_def.label} ({head_def.normal})", styles.text)
            for period in report.periods:
                col = layout.columns[INPUTS][period.year]
                if period.books.given(head_def.id):
                    amount = period.books.head(head_def.id)
                    # The xlsx format stores numbers as binary floats: the only float here.
                    sheet.write_number(row, col, float(amount), styles.numbers["money"])
                else:
                    sheet.write_blank(row, col, None, styles.numbers["money"])
    sheet.set_column(0, 0, 13)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 1 + len(years), 18)
    sheet.freeze_panes(FIRST_ROW, 2)


def _write_form(
    sheet: Worksheet, styles: _Styles, title: str, report: Report, form: Form, layout: _Layout
) -> None:
    periods = report.form_periods(form)
    columns = layout.columns[form.sheet]
    note = KIND_NOTE + " Every figure is a formula over the Inputs sheet and the other forms."
    _heading(sheet, styles, title, form.title, note)
    sheet.write_string(HEADER_ROW, 0, "Particulars", styles.header)
    for period in periods:
        sheet.write_string(HEADER_ROW, columns[period.year], period.year, styles.header_number)
    cell_of = layout.cell_of_from(form.sheet)
    for index, form_row in enumerate(form.rows):
        row = FIRST_ROW + index
        if isinstance(form_row, Section):
            sheet.write_string(row, 0, form_row.label, styles.section)
            continue
        sheet.write_string(
            row, 0, form_row.label, styles.total_label if form_row.total else styles.text
        )
        cell_format = (styles.totals if form_row.total else styles.numbers)[form_row.kind]
        for period in periods:
            value = report.value(form_row.key, period.year)
            formula = line_formula(form_row, cell_of, period)
            _write_computed(sheet, row, columns[period.year], formula, value, cell_format)
    sheet.set_column(0, 0, 66)
    sheet.set_column(1, max(1, len(periods)), 18)
    sheet.freeze_panes(FIRST_ROW, 1)


def _write_computed(
    sheet: Worksheet, row: int, col: int, formula: str, value: Decimal | None, fmt: Format
) -> None:
    # The computed value is cached in the cell: readers that do not recalculate see it.
    cached: float | str = "" if value is None else float(value)
    sheet.write_formula(row, col, formula, fmt, cached)


ITEM_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Year", 9),
    ("Label (as in the file)", 42),
    ("Amount", 16),
    ("Side", 6),
    ("File", 28),
    ("Location in the file", 24),
    ("Head id", 24),
    ("Head", 34),
    ("Confidence", 11),
    ("Method", 11),
    ("Approved by", 22),
)


def _write_line_items(
    sheet: Worksheet, styles: _Styles, title: str, items: Sequence[WorkbookItem]
) -> None:
    _heading(
        sheet,
        styles,
        title,
        "Line items - every ledger or statement line, its source and its head",
        "Labels, file names and names are shown exactly as given (text starting with = + - @ "
        "gets a leading ' so that it can never run as a formula).",
    )
    for col, (name, width) in enumerate(ITEM_COLUMNS):
        sheet.write_string(HEADER_ROW, col, name, styles.header)
        sheet.set_column(col, col, width)
    for offset, item in enumerate(items):
        row = FIRST_ROW + offset
        sheet.write_string(row, 0, safe_text(item.year), styles.text)
        sheet.write_string(row, 1, safe_text(item.label), styles.wrap)
        sheet.write_number(row, 2, float(item.amount), styles.numbers["money"])
        sheet.write_string(row, 3, safe_text(item.side), styles.text)
        sheet.write_string(row, 4, safe_text(item.file_name), styles.text)
        sheet.write_string(row, 5, safe_text(item.source), styles.text)
        if item.head is None:
            sheet.write_string(row, 6, "(no head)", styles.error)
        else:
            sheet.write_string(row, 6, safe_text(item.head), styles.text)
        sheet.write_string(row, 7, safe_text(item.head_label), styles.text)
        if item.confidence is None:
            sheet.write_blank(row, 8, None, styles.percent)
        else:
            sheet.write_number(row, 8, item.confidence, styles.percent)
        sheet.write_string(row, 9, safe_text(item.method), styles.text)
        sheet.write_string(row, 10, safe_text(item.approved_by), styles.text)
    last_row = FIRST_ROW + max(len(items), 1) - 1
    sheet.autofilter(HEADER_ROW, 0, last_row, len(ITEM_COLUMNS) - 1)
    sheet.freeze_panes(FIRST_ROW, 0)


def _write_validation(
    sheet: Worksheet, styles: _Styles, title: str, validation: Validation
) -> None:
    _heading(
        sheet,
        styles,
        title,
        "Validation - checks on the figures",
        "Errors must be resolved before the report is relied on; warnings need a look.",
    )
    for col, (name, width) in enumerate((("Severity", 10), ("Year", 9), ("Check", 28))):
        sheet.write_string(HEADER_ROW, col, name, styles.header)
        sheet.set_column(col, col, width)
    sheet.write_string(HEADER_ROW, 3, "What to look at", styles.header)
    sheet.set_column(3, 3, 110)
    issues: list[tuple[str, Issue]] = [("Error", issue) for issue in validation.errors]
    issues += [("Warning", issue) for issue in validation.warnings]
    if not issues:
        sheet.write_string(FIRST_ROW, 0, "OK", styles.text)
        sheet.write_string(FIRST_ROW, 3, "No errors or warnings.", styles.text)
    for offset, (severity, issue) in enumerate(issues):
        row = FIRST_ROW + offset
        style = styles.error if severity == "Error" else styles.warning
        sheet.write_string(row, 0, severity, style)
        sheet.write_string(row, 1, safe_text(issue.year or ""), styles.text)
        sheet.write_string(row, 2, safe_text(issue.code), styles.text)
        # Messages quote ledger labels and amounts from the uploads: user text.
        sheet.write_string(row, 3, safe_text(issue.message), styles.wrap)
    sheet.freeze_panes(FIRST_ROW, 0)
