"""The Line items sheet (every ledger or statement line, in rupees) and the Validation sheet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from projects.cma.checks import Issue, Validation
from projects.cma.workbook.cells import FIRST_ROW, HEADER_ROW, Styles, heading, safe_text
from projects.cma.workbook.rows import STYLE_SLOTS

__all__ = ["ITEM_COLUMNS", "WorkbookItem", "write_line_items", "write_validation"]


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


ITEM_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Year", 9),
    ("Label (as in the file)", 42),
    ("Amount (₹)", 16),
    ("Side", 6),
    ("File", 28),
    ("Location in the file", 24),
    ("Head id", 24),
    ("Head", 34),
    ("Confidence", 11),
    ("Method", 11),
    ("Approved by", 22),
)


def write_line_items(sheet: Worksheet, styles: Styles, title: str, count: int) -> None:
    """The sheet's frame for ``count`` items, and a template row in the first item's place
    with a cell of each style the rows take (``rows.ItemRows`` writes them over it)."""
    heading(
        sheet,
        styles,
        title,
        "Line items - every ledger or statement line, its source and its head (₹, as read)",
        "Labels, file names and names are shown exactly as given (text starting with = + - @ "
        "gets a leading ' so that it can never run as a formula).",
    )
    for col, (name, width) in enumerate(ITEM_COLUMNS):
        sheet.write_string(HEADER_ROW, col, name, styles.header)
        sheet.set_column(col, col, width)
    for col, slot in enumerate(STYLE_SLOTS):
        sheet.write_blank(FIRST_ROW, col, None, getattr(styles, slot))
    last_row = FIRST_ROW + max(count, 1) - 1
    sheet.autofilter(HEADER_ROW, 0, last_row, len(ITEM_COLUMNS) - 1)
    sheet.freeze_panes(FIRST_ROW, 0)


def write_validation(sheet: Worksheet, styles: Styles, title: str, validation: Validation) -> int:
    """The validation issues; returns the first free row below them."""
    heading(
        sheet,
        styles,
        title,
        "Validation - checks on the figures (amounts in the messages in ₹)",
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
    return FIRST_ROW + max(len(issues), 1) + 1
