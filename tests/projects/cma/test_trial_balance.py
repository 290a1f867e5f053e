"""Trial balances from spreadsheets and CSV: layouts, checksums, years.

The samples' exact extraction is tested in test_extract.py; these files are made up, built
to look like the exports they imitate (tb_files.py, TRIAL_BALANCE_FIXTURES.md). Tally's
groups are in test_trial_balance_groups.py, every row accounted for and files that are not
trial balances in test_trial_balance_rows.py.
"""

from decimal import Decimal

import pytest
import xlsxwriter
import xlwt

from projects.cma.extract import extract_file
from projects.cma.records import ExtractionError, MismatchError
from tests.projects.cma.tb_files import (
    write_csv,
    write_xlsx,
)


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


def test_comparative_columns_under_a_three_row_header_give_each_year_its_pair(tmp_path):
    # Tally's comparative trial balance: the period over "Closing Balance" over Debit |
    # Credit, once per year, the current year first.
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "Comparative TB": [
                ["Ganga Soft Private Limited", "", "", "", ""],
                ["Trial Balance", "", "", "", ""],
                ["Particulars", "1-Apr-2024 to 31-Mar-2025", "", "1-Apr-2023 to 31-Mar-2024", ""],
                ["", "Closing Balance", "", "Closing Balance", ""],
                ["", "Debit", "Credit", "Debit", "Credit"],
                ["Share Capital", "", 500000, "", 500000],
                ["Loan from Director", "", 200000, "", ""],
                ["HDFC Bank", 700000, "", 500000, ""],
                ["Grand Total", 700000, 700000, 500000, 500000],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx")
    assert sorted(items_of(extraction)) == [
        ("HDFC Bank", "2023-24", Decimal("500000.00"), "Dr"),
        ("HDFC Bank", "2024-25", Decimal("700000.00"), "Dr"),
        ("Loan from Director", "2024-25", Decimal("200000.00"), "Cr"),
        ("Share Capital", "2023-24", Decimal("500000.00"), "Cr"),
        ("Share Capital", "2024-25", Decimal("500000.00"), "Cr"),
    ]


@pytest.mark.parametrize("note", ["(Cr balances negative)", "Credit balances in brackets"])
def test_a_note_on_how_credits_are_shown_does_not_make_the_balance_a_credit_column(tmp_path, note):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "Trial Balance": [
                ["Particulars", "Closing Balance"],
                ["", note],
                ["Equity Share Capital", -300000],
                ["Plant & Machinery", 250000],
                ["Cash in Hand", 50000],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2024-25")
    assert [(i.label, i.side) for i in extraction.items] == [
        ("Equity Share Capital", "Cr"),
        ("Plant & Machinery", "Dr"),
        ("Cash in Hand", "Dr"),
    ]


def test_a_stock_statement_to_the_bank_gives_each_months_categories_as_closing_stock(
    tmp_path,
):
    def statement(month: str, paints: float, pipes: float) -> list[list[object]]:
        return [
            ["To: The Branch Manager, Canara Bank, Davangere Branch", ""],
            [f"Stock Statement for CC A/c 0412 - month ending {month} (stock at cost)", ""],
            ["", ""],
            ["Category", "Value (Rs.)"],
            ["Paints & Primers", paints],
            ["Pipes & Fittings", pipes],
            ["Total Stock", paints + pipes],
            ["For Kaveri Hardware (Partner)", ""],
        ]

    path = write_xlsx(
        tmp_path / "stock.xlsx",
        {"Mar-24": statement("Mar-24", 300000, 200000), "Mar-25": statement("Mar-25", 350000, 0)},
    )
    extraction = extract_file(path=path, kind="xlsx", name="Stock Statement.xlsx")
    assert [(i.label, i.year, i.amount, i.closing_stock) for i in extraction.items] == [
        ("Paints & Primers", "2023-24", Decimal("300000.00"), True),
        ("Pipes & Fittings", "2023-24", Decimal("200000.00"), True),
        ("Paints & Primers", "2024-25", Decimal("350000.00"), True),
    ]
    # The bank it is addressed to is not the client.
    assert extraction.company == ""
