"""Trial balances from spreadsheets and CSV: layouts, checksums, groups, every row accounted for.

The samples' exact extraction is tested in test_extract.py; these files are made up, built
to look like the exports they imitate (tb_files.py, TRIAL_BALANCE_FIXTURES.md).
"""

import re
from decimal import Decimal

import pytest
import xlsxwriter
import xlwt

from projects.cma.extract import extract_file
from projects.cma.records import ExtractionError, MismatchError
from tests.projects.cma.tb_files import (
    COMPANY,
    TALLY_GRAND_TOTAL,
    TALLY_GROUPS,
    TALLY_LEDGERS,
    levels_of,
    tally_detailed_rows,
    write_csv,
    write_xlsx,
)

SAMPLES = __import__("pathlib").Path(__file__).parents[2] / "fixtures" / "samples"
SGP = SAMPLES / "shree-ganesh-polymers-private-limited"
MEHTA = SAMPLES / "mehta-traders"


def items_of(extraction):
    return [(i.label, i.year, i.amount, i.side) for i in extraction.items]


def test_single_balance_column_with_dr_cr_marks_in_xlsx(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Ledger Name", "Closing Balance"],
                ["Capital Account", "1,00,000.00 Cr"],
                ["Cash-in-Hand", "60,000.00 Dr"],
                ["Sundry Debtors", "40,000.00 dr."],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2024-25")
    assert items_of(extraction) == [
        ("Capital Account", "2024-25", Decimal("100000.00"), "Cr"),
        ("Cash-in-Hand", "2024-25", Decimal("60000.00"), "Dr"),
        ("Sundry Debtors", "2024-25", Decimal("40000.00"), "Dr"),
    ]
    assert extraction.totals == {"2024-25": (Decimal("100000.00"), Decimal("100000.00"))}
    assert extraction.items[0].source == "TB!A2"


def test_balance_column_with_a_separate_dr_cr_column(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv",
        [
            ["Particulars", "Balance", "Dr/Cr"],
            ["Capital", "5000", "Cr"],
            ["Bank", "5000", "Dr"],
        ],
    )
    extraction = extract_file(path=path, kind="csv", fiscal_year="2023-24")
    assert [(i.label, i.side) for i in extraction.items] == [("Capital", "Cr"), ("Bank", "Dr")]


def test_signed_balances_without_marks_are_read_by_sign_with_a_warning(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {"TB": [["Sr No", "Account Name", "Balance"], [1, "Capital", -100], [2, "Cash", 100]]},
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2023-24")
    assert [(i.label, i.side, i.source) for i in extraction.items] == [
        ("Capital", "Cr", "TB!B2"),
        ("Cash", "Dr", "TB!B3"),
    ]
    assert "no Dr/Cr mark" in extraction.warnings[0]


def test_windows_1252_csv_is_read(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv",
        [
            ["Particulars", "Debit", "Credit"],
            ["Caf\u00e9 Rent \u2013 Shop", "1200", ""],
            ["Capital \u2018A\u2019", "", "1200"],
        ],
        encoding="cp1252",
    )
    extraction = extract_file(path=path, kind="csv", fiscal_year="2023-24")
    assert [i.label for i in extraction.items] == [
        "Caf\u00e9 Rent \u2013 Shop",
        "Capital \u2018A\u2019",
    ]


def test_utf8_csv_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "tb.csv"
    path.write_bytes(b"\xef\xbb\xbfParticulars,Debit,Credit\nCash,10,\nCapital,,10\n")
    extraction = extract_file(path=path, kind="csv", fiscal_year="2023-24")
    assert [i.label for i in extraction.items] == ["Cash", "Capital"]


def test_semicolon_csv_with_indian_grouping_is_read(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv",
        [
            ["Trial Balance as on 31-Mar-2024"],
            ["Ledger", "Debit", "Credit"],
            ["Sales", "", "12,34,567.00"],
            ["Purchases", "10,00,000.00", ""],
            ["Cash", "2,34,567.00", ""],
        ],
        delimiter=";",
    )
    extraction = extract_file(path=path, kind="csv")
    assert items_of(extraction) == [
        ("Sales", "2023-24", Decimal("1234567.00"), "Cr"),
        ("Purchases", "2023-24", Decimal("1000000.00"), "Dr"),
        ("Cash", "2023-24", Decimal("234567.00"), "Dr"),
    ]
    assert extraction.items[0].source == "line 3"


def test_header_row_below_title_rows_is_found_and_the_period_line_gives_the_year(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "Sheet1": [
                ["Kaveri Textiles Pvt Ltd"],
                ["12, MG Road, Coimbatore"],
                [],
                ["Trial Balance"],
                ["1-Apr-2024 to 31-Mar-2025"],
                [],
                [None, "Particulars", "Group", "Debit", "Credit"],
                [None, "Share Capital", "Capital Account", None, 500000],
                [None, "HDFC Bank", "Bank Accounts", 500000, None],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx")
    assert extraction.years == ["2024-25"]
    first = extraction.items[0]
    assert (first.label, first.section, first.source) == (
        "Share Capital",
        "Capital Account",
        "Sheet1!B8",
    )


def test_trial_balance_that_does_not_balance_is_a_mismatch_then_read_once_accepted(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv",
        [
            ["Particulars", "Debit", "Credit"],
            ["Cash", "12,34,567.00", ""],
            ["Capital", "", "12,00,000.00"],
        ],
    )
    with pytest.raises(MismatchError) as error:
        extract_file(path=path, kind="csv", name="tb.csv", fiscal_year="2023-24")
    message = str(error.value)
    assert error.value.acceptable
    assert "does not balance" in message
    assert "12,34,567.00" in message
    assert "12,00,000.00" in message
    assert "34,567.00" in message  # the difference
    assert "2023-24" in message
    extraction = extract_file(
        path=path, kind="csv", name="tb.csv", fiscal_year="2023-24", accept_mismatches=True
    )
    assert [i.label for i in extraction.items] == ["Cash", "Capital"]
    assert extraction.warnings == [message]


def test_total_rows_are_ignored_and_the_grand_total_becomes_the_files_totals(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Particulars", "Debit", "Credit"],
                ["Capital", None, 700],
                ["Loan", None, 300],
                ["Sub Total", None, 1000],
                ["Cash", 400, None],
                ["Stock", 600, None],
                ["TOTAL", 1000, None],
                [],
                ["Grand Total", 1000, 1000],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2023-24")
    assert [i.label for i in extraction.items] == ["Capital", "Loan", "Cash", "Stock"]
    assert extraction.totals == {"2023-24": (Decimal("1000.00"), Decimal("1000.00"))}
    assert extraction.warnings == []


def test_a_grand_total_that_differs_from_the_ledgers_is_a_mismatch_until_accepted(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Particulars", "Debit", "Credit"],
                ["Capital", None, 700],
                ["Cash", 700, None],
                ["Grand Total", 1400, 1400],
            ]
        },
    )
    with pytest.raises(MismatchError) as error:
        extract_file(path=path, kind="xlsx", name="March TB.xlsx", fiscal_year="2023-24")
    message = str(error.value)
    assert "add up to" in message and "700.00 apart" in message
    assert '"Cash"' in message  # a line near the total, to find the place
    extraction = extract_file(
        path=path, kind="xlsx", name="March TB.xlsx", fiscal_year="2023-24", accept_mismatches=True
    )
    assert extraction.totals["2023-24"] == (Decimal("1400.00"), Decimal("1400.00"))
    assert extraction.warnings == [message]


def test_negative_and_bracketed_amounts_move_to_the_other_side(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Particulars", "Debit", "Credit"],
                ["Bank OD", -5000, None],  # a negative debit is a credit
                ["Advance from customer", None, "(1,500.00)"],  # a bracketed credit is a debit
                ["Cash", "6,500.00", None],
                ["Capital", None, "3,000.00-"],
                ["Drawings", None, None],  # zero: skipped
                ["Suspense", 0, "-"],
                ["Sales", None, 6000],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2023-24")
    assert [(i.label, i.amount, i.side) for i in extraction.items] == [
        ("Bank OD", Decimal("5000.00"), "Cr"),
        ("Advance from customer", Decimal("1500.00"), "Dr"),
        ("Cash", Decimal("6500.00"), "Dr"),
        ("Capital", Decimal("3000.00"), "Dr"),
        ("Sales", Decimal("6000.00"), "Cr"),
    ]


def test_year_columns_give_one_item_per_year(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Ledger", "FY 2023-24", "FY 2024-25"],
                ["Capital", "1,000.00 Cr", "1,200.00 Cr"],
                ["Cash", "1,000.00 Dr", "1,200.00 Dr"],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2024-25")
    assert extraction.years == ["2023-24", "2024-25"]
    assert items_of(extraction) == [
        ("Capital", "2023-24", Decimal("1000.00"), "Cr"),
        ("Cash", "2023-24", Decimal("1000.00"), "Dr"),
        ("Capital", "2024-25", Decimal("1200.00"), "Cr"),
        ("Cash", "2024-25", Decimal("1200.00"), "Dr"),
    ]


def test_closing_balance_is_chosen_from_a_two_row_header_with_opening_and_transactions(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Trial Balance 1-Apr-2023 to 31-Mar-2024"],
                ["Particulars", "Opening Balance", None, "Transactions", None, "Closing Balance"],
                [None, "Debit", "Credit", "Debit", "Credit", "Debit", "Credit"],
                ["Capital", None, 100, None, 50, None, 150],
                ["Cash", 100, None, 50, None, 150, None],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx")
    assert items_of(extraction) == [
        ("Capital", "2023-24", Decimal("150.00"), "Cr"),
        ("Cash", "2023-24", Decimal("150.00"), "Dr"),
    ]


def test_closing_stock_sheet_takes_the_workbooks_year_and_stays_out_of_the_balancing(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "Trial Balance": [
                ["For the year ended 31st March, 2025"],
                ["Particulars", "Debit", "Credit"],
                ["Capital", None, 900],
                ["Opening Stock", 900, None],
            ],
            "Closing Stock": [["Item", "Quantity", "Rate", "Value"], ["Yarn", 10, 50, 500]],
        },
    )
    extraction = extract_file(path=path, kind="xlsx")
    stock = extraction.items[-1]
    assert (stock.label, stock.year, stock.amount, stock.side, stock.closing_stock) == (
        "Yarn",
        "2024-25",
        Decimal("500.00"),
        "Dr",
        True,
    )
    assert extraction.totals == {"2024-25": (Decimal("900.00"), Decimal("900.00"))}


def test_one_sheet_per_year_in_one_workbook(tmp_path):
    rows = [["Particulars", "Debit", "Credit"], ["Capital", None, 10], ["Cash", 10, None]]
    path = write_xlsx(tmp_path / "tb.xlsx", {"FY 2023-24": rows, "FY 2024-25": rows})
    extraction = extract_file(path=path, kind="xlsx")
    assert extraction.years == ["2023-24", "2024-25"]
    assert extraction.items[2].source == "FY 2024-25!A2"


def test_a_file_naming_another_year_than_the_chosen_one_is_a_mismatch_until_accepted(tmp_path):
    path = write_csv(
        tmp_path / "stored-4f2a.csv",
        [
            ["Period: 01-Apr-2023 To 31-Mar-2024"],
            ["Ledger", "Debit", "Credit"],
            ["A", "1", ""],
            ["B", "", "1"],
        ],
    )
    with pytest.raises(MismatchError, match=r"TB FY24\.csv names the fiscal year 2023-24"):
        extract_file(path=path, kind="csv", name="TB FY24.csv", fiscal_year="FY 2024-25")
    extraction = extract_file(
        path=path, kind="csv", name="TB FY24.csv", fiscal_year="FY 2024-25", accept_mismatches=True
    )
    assert extraction.years == ["2024-25"]
    assert "2023-24" in extraction.warnings[0]


def test_the_year_can_come_from_the_file_name(tmp_path):
    path = write_csv(
        tmp_path / "TB_2022_23.csv", [["Ledger", "Debit", "Credit"], ["A", "1", ""], ["B", "", "1"]]
    )
    assert extract_file(path=path, kind="csv").years == ["2022-23"]


def test_a_file_without_a_fiscal_year_needs_one_to_be_chosen(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv", [["Ledger", "Debit", "Credit"], ["A", "1", ""], ["B", "", "1"]]
    )
    with pytest.raises(ExtractionError, match="does not say which fiscal year"):
        extract_file(path=path, kind="csv")


def test_a_spreadsheet_without_a_trial_balance_table_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path / "notes.xlsx", {"Notes": [["Meeting notes"], ["Call the client", 3]]}
    )
    with pytest.raises(ExtractionError, match=r"No trial balance table was found in notes\.xlsx"):
        extract_file(path=path, kind="xlsx", fiscal_year="2023-24")


def test_a_row_whose_amount_cannot_be_read_is_left_out_with_a_warning(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv",
        [["Ledger", "Debit", "Credit"], ["A", "10", ""], ["B", "", "10"], ["C", "see note", ""]],
    )
    extraction = extract_file(path=path, kind="csv", fiscal_year="2023-24")
    assert [i.label for i in extraction.items] == ["A", "B"]
    assert extraction.warnings == ['line 4: "see note" is not an amount, so "C" was left out.']


def test_an_xls_workbook_is_read(tmp_path):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Trial Balance")
    rows = [
        ["As at 31.03.2024"],
        ["Particulars", "Debit", "Credit"],
        ["Cash", 25.5],
        ["Capital", "", 25.5],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "tb.xls"
    workbook.save(str(path))
    extraction = extract_file(path=path, kind="xls")
    assert items_of(extraction) == [
        ("Cash", "2023-24", Decimal("25.50"), "Dr"),
        ("Capital", "2023-24", Decimal("25.50"), "Cr"),
    ]


def test_twenty_thousand_ledgers_extract_whole(tmp_path):
    # How fast is bench/cma_throughput.py's to say; here, that nothing is lost.
    path = tmp_path / "big.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Trial Balance")
    sheet.write_row(0, 0, ["Trial Balance", "", ""])
    sheet.write_row(1, 0, ["1-Apr-2024 to 31-Mar-2025", "", ""])
    sheet.write_row(2, 0, ["Particulars", "Group", "Debit", "Credit"])
    for n in range(10_000):
        sheet.write_row(3 + 2 * n, 0, [f"Debtor {n}", "Sundry Debtors", 1234.56 + n])
        sheet.write_row(4 + 2 * n, 0, [f"Creditor {n}", "Sundry Creditors", None, 1234.56 + n])
    workbook.close()
    extraction = extract_file(path=path, kind="xlsx")
    assert len(extraction.items) == 20_000
    assert extraction.totals["2024-25"][0] == extraction.totals["2024-25"][1]


# ----------------------------------------------------------------------------------------
# Tally's detailed trial balance: groups with their subtotals, ledgers under them
# ----------------------------------------------------------------------------------------

CHAINS = {
    "Equity Share Capital": "Capital Account",
    "HDFC Bank Cash Credit": "Secured Loans / Loans (Liability)",
    "HDFC Term Loan": "Secured Loans / Loans (Liability)",
    "GST Payable": "Duties & Taxes / Current Liabilities",
    "Arihant Yarns": "Sundry Creditors / Current Liabilities",
    "Balaji Dyes": "Sundry Creditors / Current Liabilities",
    "Chetan Packaging": "Sundry Creditors / Current Liabilities",
    "Plant & Machinery": "Fixed Assets",
    "Factory Building": "Fixed Assets",
    "Deepak Garments": "Sundry Debtors / Current Assets",
    "Eastern Fabrics": "Sundry Debtors / Current Assets",
    "Cash-in-Hand": "Current Assets",
    "SBI Current A/c": "Bank Accounts / Current Assets",
}


def assert_reads_tally_groups(extraction):
    assert extraction.warnings == []
    assert {i.label for i in extraction.items} == TALLY_LEDGERS
    assert {i.label: i.section for i in extraction.items} == CHAINS
    chetan = next(i for i in extraction.items if i.label == "Chetan Packaging")
    assert (chetan.amount, chetan.side) == (Decimal("5000.00"), "Dr")
    debit = sum(i.amount for i in extraction.items if i.side == "Dr")
    credit = sum(i.amount for i in extraction.items if i.side == "Cr")
    assert debit == credit == Decimal("1570000.00")  # ledgers, not groups as well
    assert extraction.totals == {"2023-24": (TALLY_GRAND_TOTAL, TALLY_GRAND_TOTAL)}
    groups = {s.text for s in extraction.skipped if s.reason.startswith("a group's subtotal")}
    assert groups == {label for label, *_ in TALLY_GROUPS} - TALLY_LEDGERS
    assert all(
        s.kind == "total" for s in extraction.skipped if s.reason.startswith("a group's subtotal")
    )
    assert extraction.company == COMPANY
    assert extraction.ledger_groups["Arihant Yarns"] == "Sundry Creditors / Current Liabilities"


def test_tally_detailed_xlsx_with_indented_names_gives_ledgers_with_their_group_chain(tmp_path):
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": tally_detailed_rows()})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_xlsx_indented_by_cell_format_reads_the_hierarchy(tmp_path):
    rows = tally_detailed_rows(spaces=False)
    indents = [0] * (len(rows) - len(TALLY_GROUPS) - 1) + levels_of() + [0]
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows}, {"Trial Balance": indents})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_with_group_subtotals_in_their_own_column_is_read(tmp_path):
    rows = tally_detailed_rows(spaces=False, group_column=True)
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_csv_with_indented_names_is_read_the_same(tmp_path):
    path = write_csv(tmp_path / "tb.csv", tally_detailed_rows())
    extraction = extract_file(path=path, kind="csv", name="Kaveri TB.csv")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_csv_without_any_indentation_is_grouped_by_its_subtotals(tmp_path):
    path = write_csv(tmp_path / "tb.csv", tally_detailed_rows(spaces=False))
    extraction = extract_file(path=path, kind="csv", name="Kaveri TB.csv")
    assert_reads_tally_groups(extraction)


def test_a_group_subtotal_its_ledgers_do_not_make_is_a_mismatch_naming_them(tmp_path):
    groups = [
        (label, level, side, "170000.00" if label == "Sundry Creditors" else amount)
        for label, level, side, amount in TALLY_GROUPS
    ]
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": tally_detailed_rows(groups)})
    with pytest.raises(MismatchError) as error:
        extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    message = str(error.value)
    assert '"Sundry Creditors"' in message
    assert "\u20b910,000.00 apart" in message
    assert '"Arihant Yarns", "Balaji Dyes", "Chetan Packaging"' in message
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx", accept_mismatches=True)
    assert message.splitlines()[0] in extraction.warnings
    assert {i.label for i in extraction.items} == TALLY_LEDGERS
    creditors = next(s for s in extraction.skipped if s.text == "Sundry Creditors")
    assert creditors.kind == "ignored"


def test_a_flat_trial_balance_with_equal_neighbours_is_not_regrouped(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Particulars", "Debit", "Credit"],
                ["Rent Deposit - Shop", 15000, None],
                ["Rent Deposit - Godown", 15000, None],
                ["Capital", None, 30000],
                ["Grand Total", 30000, 30000],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2023-24")
    assert [i.label for i in extraction.items] == [
        "Rent Deposit - Shop",
        "Rent Deposit - Godown",
        "Capital",
    ]
    assert all(i.section == "" for i in extraction.items)


# ----------------------------------------------------------------------------------------
# Every row accounted for
# ----------------------------------------------------------------------------------------

CELL = re.compile(r"(?:.*!)?[A-Z]+(\d+)(?::[A-Z]+(\d+))?$")
LINES = re.compile(r"lines? (\d+)(?:\u2013(\d+))?$")


def rows_cited(source):
    match = CELL.fullmatch(source) or LINES.fullmatch(source)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    return set(range(first, last + 1))


def accounted_rows(extraction):
    rows = [rows_cited(i.source) for i in extraction.items] + [
        rows_cited(s.source) for s in extraction.skipped
    ]
    seen = set()
    for cited in rows:
        seen |= cited
    # No row both an item and skipped, none skipped twice (items repeat per year column).
    skipped = [r for s in extraction.skipped for r in rows_cited(s.source)]
    assert len(skipped) == len(set(skipped))
    assert not set(skipped) & {r for i in extraction.items for r in rows_cited(i.source)}
    return seen


def test_every_row_of_a_tally_export_is_an_item_or_a_skipped_row(tmp_path):
    rows = tally_detailed_rows()
    rows[7:7] = [[], []]  # blank rows inside the table
    rows.append([])
    rows.append(["Note: figures as per books, unaudited"])
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert accounted_rows(extraction) == set(range(1, len(rows) + 1))
    reasons = {s.text: (s.kind, s.reason) for s in extraction.skipped}
    assert reasons[COMPANY][1].startswith("a title")
    assert reasons["Grand Total"][0] == "total"
    assert reasons["Particulars | Closing Balance"][1] == "the table's header"
    assert reasons["2 blank rows"] == ("ignored", "blank")


def test_every_line_of_a_csv_with_totals_zero_rows_and_bad_amounts_is_accounted_for(tmp_path):
    lines = [
        ["Mehta Traders"],
        ["Trial Balance as at 31-Mar-2024"],
        ["Ledger", "Debit", "Credit"],
        ["LIABILITIES", "", ""],
        ["Capital", "", "700"],
        ["Loan", "", "300"],
        ["Sub Total", "", "1000"],
        ["Drawings", "0", ""],
        ["Cash", "1000", ""],
        ["Misc", "see note", ""],
        [],
        ["Grand Total", "1000", "1000"],
    ]
    path = write_csv(tmp_path / "tb.csv", lines)
    extraction = extract_file(path=path, kind="csv", name="tb.csv")
    assert accounted_rows(extraction) == set(range(1, len(lines) + 1))
    by_text = {s.text: s for s in extraction.skipped}
    assert by_text["Sub Total"].kind == "total"
    assert by_text["Sub Total"].reason == "a total: matches the 2 lines above it"
    assert by_text["Drawings"].reason == "a zero balance"
    assert by_text["LIABILITIES"].kind == "ignored"
    assert by_text["Misc | see note"].reason == '"see note" is not an amount'
    assert extraction.company == "Mehta Traders"


def test_a_hidden_sheet_and_a_sheet_without_a_table_are_accounted_for(tmp_path):
    path = tmp_path / "tb.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("TB")
    for r, row in enumerate([["Ledger", "Debit", "Credit"], ["Cash", 5], ["Capital", None, 5]]):
        sheet.write_row(r, 0, row)
    notes = workbook.add_worksheet("Notes")
    notes.write_row(0, 0, ["Prepared by the accountant"])
    hidden = workbook.add_worksheet("Old")
    hidden.write_row(0, 0, ["Ledger", "Debit", "Credit"])
    hidden.hide()
    workbook.close()
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2023-24")
    sources = {s.source: s.reason for s in extraction.skipped}
    assert sources["Old!A1"] == "a hidden sheet: not read"
    assert "no trial balance table" in sources["Notes!A1"]


# ----------------------------------------------------------------------------------------
# The company, the name the user gave, and files that are not trial balances
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("titles", "company"),
    [
        (
            [["Kaveri Textiles Pvt Ltd"], ["12, MG Road"], ["Trial Balance"]],
            "Kaveri Textiles Pvt Ltd",
        ),
        ([["Trial Balance"], ["1-Apr-2023 to 31-Mar-2024"]], ""),
        ([["Sai Agencies - Trial Balance as at 31.03.2024"]], "Sai Agencies"),
        ([], ""),
    ],
)
def test_the_company_is_the_first_title_row_that_names_one(tmp_path, titles, company):
    rows = [*titles, ["Particulars", "Debit", "Credit"], ["Cash", 5, None], ["Capital", None, 5]]
    path = write_xlsx(tmp_path / "tb.xlsx", {"TB": rows})
    assert extract_file(path=path, kind="xlsx", fiscal_year="2023-24").company == company


def test_the_samples_name_their_companies():
    mehta = extract_file(path=MEHTA / "trial-balance.csv", kind="csv")
    sgp = extract_file(path=SGP / "trial-balance-2023-24.xlsx", kind="xlsx")
    assert mehta.company == "Mehta Traders"
    assert sgp.company == "Shree Ganesh Polymers Private Limited"


def test_messages_name_the_file_as_uploaded_not_as_stored(tmp_path):
    path = write_csv(tmp_path / "9f3c2e.csv", [["Ledger", "Debit", "Credit"], ["A", "1", ""]])
    with pytest.raises(ExtractionError) as error:
        extract_file(path=path, kind="csv", name="Client TB.csv", fiscal_year="2023-24")
    assert "Client TB.csv" in str(error.value)
    assert "9f3c2e" not in str(error.value)


def test_a_bank_statement_csv_is_refused_as_not_a_trial_balance(tmp_path):
    path = write_csv(
        tmp_path / "statement.csv",
        [
            [
                "Date",
                "Narration",
                "Chq./Ref.No.",
                "Withdrawal Amt.",
                "Deposit Amt.",
                "Closing Balance",
            ],
            ["01/04/23", "NEFT-ARIHANT YARNS", "N0912", "12000.00", "", "88000.00"],
            ["02/04/23", "UPI-DEEPAK GARMENTS", "U1234", "", "5000.00", "93000.00"],
        ],
    )
    with pytest.raises(ExtractionError) as error:
        extract_file(path=path, kind="csv", name="HDFC April.csv", fiscal_year="2023-24")
    assert not error.value.acceptable
    # What was looked for and not found: a ledger column with Debit/Credit or a balance.
    message = str(error.value)
    assert message.startswith("No trial balance table was found in HDFC April.csv")
    assert '"Particulars"' in message


def test_a_bank_statement_with_debit_and_credit_columns_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "statement.csv",
        [
            ["Txn Date", "Description", "Debit", "Credit", "Balance"],
            ["01-04-2023", "Opening", "", "", "10000"],
            ["03-04-2023", "Cash deposit", "", "5000", "15000"],
        ],
    )
    with pytest.raises(ExtractionError, match="not a trial balance"):
        extract_file(path=path, kind="csv", name="sbi.csv", fiscal_year="2023-24")


def test_a_price_list_is_refused_as_not_a_trial_balance(tmp_path):
    path = write_xlsx(
        tmp_path / "prices.xlsx",
        {"Prices": [["Item", "Amount"], ["Cotton yarn 40s", 260], ["Polyester 30s", 180]]},
    )
    with pytest.raises(ExtractionError) as error:
        extract_file(path=path, kind="xlsx", name="Price list.xlsx", fiscal_year="2023-24")
    assert not error.value.acceptable
    assert "Price list.xlsx is not a trial balance" in str(error.value)
