"""Trial balance files built to look like real exports (see TRIAL_BALANCE_FIXTURES.md).

`tally_detailed_rows` lays out a trial balance the way Tally's "detailed" report prints it:
the company and its address, "Trial Balance", the period, a header of Particulars and the
closing balance's Debit and Credit, then each group with its subtotal followed by its
sub-groups and ledgers, indented, and a Grand Total. The names and figures are made up.
"""

import csv
import io
from decimal import Decimal

import xlsxwriter

COMPANY = "Kaveri Textiles Private Limited"

# (label, level, Dr/Cr, amount) in Tally's order; a group's amount is its subtotal.
TALLY_GROUPS = [
    ("Capital Account", 0, "Cr", "500000.00"),
    ("Equity Share Capital", 1, "Cr", "500000.00"),
    ("Loans (Liability)", 0, "Cr", "850000.00"),
    ("Secured Loans", 1, "Cr", "850000.00"),
    ("HDFC Bank Cash Credit", 2, "Cr", "600000.00"),
    ("HDFC Term Loan", 2, "Cr", "250000.00"),
    ("Current Liabilities", 0, "Cr", "215000.00"),
    ("Duties & Taxes", 1, "Cr", "35000.00"),
    ("GST Payable", 2, "Cr", "35000.00"),
    ("Sundry Creditors", 1, "Cr", "180000.00"),
    ("Arihant Yarns", 2, "Cr", "120000.00"),
    ("Balaji Dyes", 2, "Cr", "65000.00"),
    ("Chetan Packaging", 2, "Dr", "5000.00"),  # an advance: a debit among creditors
    ("Fixed Assets", 0, "Dr", "900000.00"),
    ("Plant & Machinery", 1, "Dr", "700000.00"),
    ("Factory Building", 1, "Dr", "200000.00"),
    ("Current Assets", 0, "Dr", "665000.00"),
    ("Sundry Debtors", 1, "Dr", "400000.00"),
    ("Deepak Garments", 2, "Dr", "250000.00"),
    ("Eastern Fabrics", 2, "Dr", "150000.00"),
    ("Cash-in-Hand", 1, "Dr", "15000.00"),
    ("Bank Accounts", 1, "Dr", "250000.00"),
    ("SBI Current A/c", 2, "Dr", "250000.00"),
]
TALLY_LEDGERS = {
    "Equity Share Capital",
    "HDFC Bank Cash Credit",
    "HDFC Term Loan",
    "GST Payable",
    "Arihant Yarns",
    "Balaji Dyes",
    "Chetan Packaging",
    "Plant & Machinery",
    "Factory Building",
    "Deepak Garments",
    "Eastern Fabrics",
    "Cash-in-Hand",
    "SBI Current A/c",
}
TALLY_GRAND_TOTAL = Decimal("1565000.00")
TITLE_ROWS = [
    [COMPANY],
    ["Plot 14, SIDCO Industrial Estate, Tiruppur"],
    ["Trial Balance"],
    ["1-Apr-2023 to 31-Mar-2024"],
]


def tally_detailed_rows(groups=TALLY_GROUPS, *, spaces=True, group_column=False):
    """Rows of a Tally-like detailed trial balance.

    ``spaces``: the hierarchy shows as leading spaces in the names (as in a text or CSV
    export); else the names carry none (the xlsx writer can indent the cells instead).
    ``group_column``: groups' subtotals stand in a column right of the ledgers' column under
    each of Debit and Credit (Tally's two-figure layout); else in the same column.
    """
    rows = [list(row) for row in TITLE_ROWS]
    if group_column:
        rows.append(["Particulars", "Closing Balance", None, None, None])
        rows.append([None, "Debit", None, "Credit", None])
    else:
        rows.append(["Particulars", "Closing Balance", None])
        rows.append([None, "Debit", "Credit"])
    for label, level, side, amount in groups:
        name = ("   " * level + label) if spaces else label
        figure = float(amount)
        if group_column:
            # Top-level groups in the outer column; everything inside them in the inner one.
            column = 2 if level == 0 else 1
            cells = [name, None, None, None, None]
            cells[column if side == "Dr" else column + 2] = figure
        else:
            cells = [name, figure if side == "Dr" else None, figure if side == "Cr" else None]
        rows.append(cells)
    total = float(TALLY_GRAND_TOTAL)
    rows.append(
        ["Grand Total", total, None, total, None] if group_column else ["Grand Total", total, total]
    )
    return rows


def levels_of(groups=TALLY_GROUPS):
    return [level for _, level, *_ in groups]


def write_xlsx(path, sheets, indents=None):
    """sheets: {name: [row, ...]}; ``indents``: {sheet: [indent level per row]} for column A."""
    workbook = xlsxwriter.Workbook(str(path))
    formats = {}
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        levels = (indents or {}).get(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                level = levels[r] if levels and c == 0 and r < len(levels) else 0
                if level:
                    fmt = formats.setdefault(level, workbook.add_format({"indent": level}))
                    sheet.write(r, c, value, fmt)
                else:
                    sheet.write(r, c, value)
    workbook.close()
    return path


def write_csv(path, lines, encoding="utf-8", delimiter=","):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(
        [["" if cell is None else cell for cell in line] for line in lines]
    )
    path.write_bytes(text.getvalue().encode(encoding))
    return path
