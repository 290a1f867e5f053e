"""What every sheet shares: formats, safe user text, the heading rows, where each figure sits.

User text (ledger labels, file names, project and client names, reviewers' names, loan
and bank names) is data, never a formula. Two layers (OWASP "CSV injection"):
- it is only ever written with ``write_string`` (and the workbook is opened with
  ``strings_to_formulas`` off besides), so Excel stores it as text and never evaluates it;
- text starting with = + - @, a tab or a carriage return (or their full-width forms) is
  prefixed with a single quote, visibly. ``write_string`` alone keeps the xlsx safe, but
  the firm's staff export sheets to CSV and open the CSV in Excel, where a leading "=" is a
  formula again; the quote survives the export. A label like "-5% discount" therefore reads
  "'-5% discount": a small price for a file that stays safe wherever it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from projects.cma.forms import Kind

__all__ = [
    "ASSUMPTIONS",
    "FIRST_ROW",
    "HEADER_ROW",
    "INPUTS",
    "KIND_LABELS",
    "LINE_ITEMS",
    "MONEY_FORMAT",
    "TERM_LOANS",
    "UNITS",
    "VALIDATION",
    "Layout",
    "Styles",
    "Unit",
    "heading",
    "safe_text",
    "write_computed",
]

# Indian grouping (12,34,56,789.00). Excel allows two conditions, so amounts of a lakh and
# more are grouped the Indian way when positive; negatives (rare: a loss, a deficit) fall
# to the last section and show Western grouping. Better than wrong digits.
MONEY_FORMAT = "[>=10000000]##\\,##\\,##\\,##0.00;[>=100000]##\\,##\\,##0.00;##,##0.00"
# Lakhs and crores are read with two decimals; the figures are small enough for commas.
SCALED_FORMAT = "#,##0.00;-#,##0.00"

# Characters that make a spreadsheet (or a CSV opened in one) read a cell as a formula.
_RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_MAX_CELL_TEXT = 32767  # Excel's limit; XlsxWriter refuses longer strings

INPUTS = "Inputs"
ASSUMPTIONS = "Assumptions"
TERM_LOANS = "Term loans"
LINE_ITEMS = "Line items"
VALIDATION = "Validation"
HEADER_ROW = 3  # rows 0-2: title, sheet title, note; row 3: column headers
FIRST_ROW = 4

KIND_LABELS = {
    "audited": "Audited",
    "provisional": "Provisional",
    "estimated": "Estimated",
    "projected": "Projected",
}


@dataclass(frozen=True)
class Unit:
    """The display unit of the forms' amounts: every money cell holds rupees / divisor."""

    name: str  # "lakhs", "crores", "rupees"
    divisor: Decimal
    label: str  # "₹ lakhs"

    @property
    def extra_digits(self) -> int:
        """Places to add to a rupee rounding so that it still rounds to the paisa."""
        return len(str(self.divisor)) - 1

    def scale(self, rupees: Decimal) -> float:
        # The xlsx format stores numbers as binary floats: the only floats are here.
        return float(rupees / self.divisor)


UNITS = {
    "lakhs": Unit("lakhs", Decimal(100000), "₹ lakhs"),
    "crores": Unit("crores", Decimal(10000000), "₹ crores"),
    "rupees": Unit("rupees", Decimal(1), "₹"),
}


def safe_text(value: str) -> str:
    """User text made safe for a cell and any CSV exported from it (see the module doc)."""
    text = str(value)
    if text.startswith(_RISKY_FIRST):
        text = "'" + text
    return text[:_MAX_CELL_TEXT]


class Styles:
    def __init__(self, workbook: xlsxwriter.Workbook, unit: Unit) -> None:
        add = workbook.add_format
        money = MONEY_FORMAT if unit.name == "rupees" else SCALED_FORMAT
        formats: dict[Kind, str] = {
            "money": money,
            "ratio": "0.00",
            "months": "0.00",
            "percent": "0.00%",
        }
        self.title = add({"bold": True, "font_size": 14})
        self.subtitle = add({"bold": True, "font_size": 12})
        self.note = add({"italic": True, "font_color": "#555555"})
        self.header = add(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.header_number = add(
            {
                "bold": True,
                "bg_color": "#DDE4EE",
                "border": 1,
                "align": "right",
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.text = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.section = add({"bold": True, "font_color": "#1F3864"})
        self.total_label = add({"bold": True})
        self.numbers = {kind: add({"num_format": fmt}) for kind, fmt in formats.items()}
        self.totals = {
            kind: add({"num_format": fmt, "bold": True, "top": 1}) for kind, fmt in formats.items()
        }
        self.rupees = add({"num_format": MONEY_FORMAT})
        self.plain = add({"num_format": "0.00"})
        # Cells a reader may change: the plan's inputs.
        self.input = add({"num_format": "0.00", "bg_color": "#FFF2CC", "border": 1})
        self.input_money = add({"num_format": money, "bg_color": "#FFF2CC", "border": 1})
        self.percent = add({"num_format": "0%"})
        self.error = add({"bold": True, "font_color": "#C00000", "valign": "top"})
        self.warning = add({"bold": True, "font_color": "#9C5700", "valign": "top"})


@dataclass
class Layout:
    """Where each figure sits: (kind, key) -> (sheet, row); sheet -> year -> column.

    Kinds: "head" (Inputs), "line" (a form), "step" (a projection step: the head's row
    for a head step, a workings row on Inputs otherwise), "assume" (Assumptions),
    "loans" (Term loans' totals); ``fixed`` holds cells that are not per year.
    """

    rows: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    columns: dict[str, dict[str, int]] = field(default_factory=dict)
    fixed: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    def cell(self, here: str, kind: str, key: str, year: str) -> str:
        sheet, row = self.rows[(kind, key)]
        return _ref(here, sheet, row, self.columns[sheet][year])

    def fixed_cell(self, here: str, name: str) -> str:
        sheet, row, col = self.fixed[name]
        return _ref(here, sheet, row, col)

    def cell_of_from(self, here: str) -> CellOf:
        return CellOf(self, here)


def _ref(here: str, sheet: str, row: int, col: int) -> str:
    ref = xl_rowcol_to_cell(row, col)
    return ref if sheet == here else f"{quote_sheetname(sheet)}!{ref}"


@dataclass
class CellOf:
    """The forms' ``cell_of(kind, key, year)`` for one sheet being written."""

    layout: Layout
    here: str

    def __call__(self, kind: str, key: str, year: str) -> str:
        return self.layout.cell(self.here, kind, key, year)


def heading(sheet: Worksheet, styles: Styles, title: str, sheet_title: str, note: str) -> None:
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


def write_computed(
    sheet: Worksheet, row: int, col: int, formula: str, value: float | None, fmt: Format
) -> None:
    # The computed value is cached in the cell: readers that do not recalculate see it.
    sheet.write_formula(row, col, formula, fmt, "" if value is None else value)
