"""A Tally-style grouped trial balance written here independently of the reader's own
fixtures (tb_files.py): another company, two header rows, an address line, groups in
bold with their subtotals in the ledgers' columns, levels shown by the cell's indent
format or not at all. Read right, it says the reader works on layouts it was not
written against."""

from decimal import Decimal

import pytest
import xlsxwriter

from projects.cma.extract import extract_file
from projects.cma.records import MismatchError

# (name, level, debit, credit): level 0 is a primary group, its subtotal in bold.
TREE = [
    ("Capital Account", 0, None, 1500000),
    ("Partner A Capital", 1, None, 900000),
    ("Partner B Capital", 1, None, 600000),
    ("Loans (Liability)", 0, None, 2250000),
    ("Bank OD A/c", 1, None, 1750000),
    ("Canara Bank CC", 2, None, 1750000),
    ("Unsecured Loans", 1, None, 500000),
    ("Loan from Relatives", 2, None, 500000),
    ("Current Liabilities", 0, None, 1385000),
    ("Sundry Creditors", 1, None, 1200000),
    ("Arvind Mills", 2, None, 700000),
    ("Vardhman Yarns", 2, None, 500000),
    ("Duties & Taxes", 1, None, 185000),
    ("GST Payable", 2, None, 150000),
    ("TDS Payable", 2, None, 35000),
    ("Fixed Assets", 0, 1800000, None),
    ("Looms", 1, 1500000, None),
    ("Furniture", 1, 300000, None),
    ("Current Assets", 0, 2995000, None),
    ("Sundry Debtors", 1, 2200000, None),
    ("Raymond Ltd", 2, 1400000, None),
    ("Siyaram Silk", 2, 800000, None),
    ("Bank Accounts", 1, 545000, None),
    ("HDFC Current A/c", 2, 545000, None),
    ("Cash-in-Hand", 1, 250000, None),
    ("Cash", 2, 250000, None),
    ("Sales Accounts", 0, None, 9800000),
    ("Sales GST 5%", 1, None, 9800000),
    ("Purchase Accounts", 0, 6900000, None),
    ("Purchase of Yarn", 1, 6900000, None),
    ("Direct Expenses", 0, 1240000, None),
    ("Weaving Wages", 1, 1040000, None),
    ("Power", 1, 200000, None),
    ("Indirect Expenses", 0, 2000000, None),
    ("Salaries", 1, 1200000, None),
    ("Rent", 1, 450000, None),
    ("Interest on CC", 1, 350000, None),
]
GROUPS = {name for name, level, _, _ in TREE if level == 0} | {
    "Bank OD A/c",
    "Unsecured Loans",
    "Sundry Creditors",
    "Duties & Taxes",
    "Sundry Debtors",
    "Bank Accounts",
    "Cash-in-Hand",
}


def write(path, *, indent: bool, change: dict[str, int] | None = None):
    change = change or {}
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Trial Balance")
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0.00"})
    levels = {level: book.add_format({"indent": level}) for level in (1, 2)}
    for row, text in enumerate(
        [
            "Ganga Textiles LLP",
            "Plot 12, MIDC Bhiwandi",
            "Trial Balance",
            "1-Apr-2024 to 31-Mar-2025",
        ]
    ):
        sheet.write(row, 0, text, bold if row == 0 else None)
    sheet.write(5, 0, "Particulars", bold)
    sheet.write(5, 1, "Closing Balance", bold)
    sheet.write(6, 1, "Debit", bold)
    sheet.write(6, 2, "Credit", bold)
    row = 7
    for name, level, debit, credit in TREE:
        style = (levels[level] if indent else None) if level else bold
        sheet.write(row, 0, name, style)
        for column, amount in ((1, debit), (2, credit)):
            if amount is not None:
                sheet.write_number(row, column, change.get(name, amount), number)
        row += 1
    sheet.write(row, 0, "Grand Total", bold)
    sheet.write_number(row, 1, 14935000, number)
    sheet.write_number(row, 2, 14935000, number)
    book.close()
    return path


@pytest.mark.parametrize("indent", [True, False], ids=["cell-indent", "no-indent"])
def test_a_grouped_tally_style_workbook_gives_ledgers_with_their_groups(tmp_path, indent):
    path = write(tmp_path / "TB FY 2024-25.xlsx", indent=indent)
    extraction = extract_file(path=path, kind="xlsx", name=path.name)
    assert extraction.company == "Ganga Textiles LLP"
    assert extraction.years == ["2024-25"]
    labels = {item.label for item in extraction.items}
    assert labels == {name for name, *_ in TREE} - GROUPS
    by_label = {item.label: item for item in extraction.items}
    assert by_label["Arvind Mills"].section == "Sundry Creditors / Current Liabilities"
    assert by_label["Canara Bank CC"].section == "Bank OD A/c / Loans (Liability)"
    assert by_label["Rent"].section == "Indirect Expenses"
    assert extraction.totals["2024-25"] == (Decimal(14935000), Decimal(14935000))
    matched = {row.text.split(" |")[0] for row in extraction.skipped if row.kind == "total"}
    assert matched >= GROUPS
    # Every row of the sheet is an item or a skipped row.
    assert len(extraction.items) + len(extraction.skipped) == 7 + len(TREE) + 1


def test_a_group_subtotal_that_its_ledgers_miss_names_the_group_and_the_gap(tmp_path):
    path = write(tmp_path / "tb.xlsx", indent=True, change={"Vardhman Yarns": 450000})
    with pytest.raises(MismatchError) as refused:
        extract_file(path=path, kind="xlsx", name="tb.xlsx", fiscal_year="2024-25")
    message = str(refused.value)
    assert "Sundry Creditors" in message and "₹50,000.00" in message
    assert "Vardhman Yarns" in message
