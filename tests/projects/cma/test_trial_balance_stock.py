"""Closing stock given apart from the trial balance: a file of stock alone, and rows below a
trial balance's total (a stock heading, a memo line, anything else left out with a reason).

The files are made up, built in each test (see TRIAL_BALANCE_FIXTURES.md). How the
extract step joins a stock file to the trial balance of its year is in
tests/projects/test_extract_stock.py.
"""

from decimal import Decimal

import pytest

from projects.cma.extract import extract_file
from projects.cma.records import MismatchError
from tests.projects.cma.tb_files import write_csv, write_xlsx


def stock_of(extraction):
    return [(i.label, i.year, i.amount, i.side) for i in extraction.items if i.closing_stock]


def ledgers_of(extraction):
    return [(i.label, i.year, i.amount, i.side) for i in extraction.items if not i.closing_stock]


def reason_of(extraction, text):
    return next(s.reason for s in extraction.skipped if s.text.startswith(text))


# ----------------------------------------------------------------------------------------
# A file of closing stock alone
# ----------------------------------------------------------------------------------------


def test_a_stock_workbook_with_both_years_is_read_as_closing_stock_of_each_year(tmp_path):
    path = write_xlsx(
        tmp_path / "stock.xlsx",
        {
            "Stock": [
                ["Godavari Castings Private Limited"],
                ["Statement of Closing Stock (at lower of cost or NRV)"],
                [],
                ["Particulars", "As at 31.03.2024", "As at 31.03.2025"],
                ["Raw Material", 500.25, 700],
                ["Finished Goods", 300, 100.5],
                ["Total", 800.25, 800.5],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", name="Closing Stock Valuation.xlsx")
    assert extraction.basis == "trial_balance"
    assert extraction.years == ["2023-24", "2024-25"]
    assert stock_of(extraction) == [
        ("Raw Material", "2023-24", Decimal("500.25"), "Dr"),
        ("Finished Goods", "2023-24", Decimal("300.00"), "Dr"),
        ("Raw Material", "2024-25", Decimal("700.00"), "Dr"),
        ("Finished Goods", "2024-25", Decimal("100.50"), "Dr"),
    ]
    assert ledgers_of(extraction) == []
    assert "closing stock only" in extraction.warnings[-1]
    assert reason_of(extraction, "Total").startswith("the table's total: matches")


def test_a_csv_titled_closing_stock_is_read_as_stock_by_its_date_columns(tmp_path):
    path = write_csv(
        tmp_path / "upload-1.csv",
        [
            ["Closing stock as per physical count (at cost)"],
            ["Item", "31-03-2024", "31-03-2025"],
            ["Paper", "448.50", "507.00"],
            ["Total", "448.50", "507.00"],
        ],
    )
    extraction = extract_file(path=path, kind="csv", name="stock.csv")
    assert stock_of(extraction) == [
        ("Paper", "2023-24", Decimal("448.50"), "Dr"),
        ("Paper", "2024-25", Decimal("507.00"), "Dr"),
    ]


def test_a_csv_named_closing_stock_is_read_as_stock_without_a_title(tmp_path):
    path = write_csv(
        tmp_path / "upload-2.csv",
        [["Item", "31-03-2024"], ["Ink", "91.75"], ["Plates", "10"]],
    )
    extraction = extract_file(path=path, kind="csv", name="closing_stock.csv")
    assert stock_of(extraction) == [
        ("Ink", "2023-24", Decimal("91.75"), "Dr"),
        ("Plates", "2023-24", Decimal("10.00"), "Dr"),
    ]


# ----------------------------------------------------------------------------------------
# Rows below a trial balance's total
# ----------------------------------------------------------------------------------------

# A working trial balance with signed closing balances (credits negative) and a TOTAL of
# the net column, 0; then stock the partners certified, under a heading of its own.
WORKING = [
    ["Trial Balance working for FY 2023-24"],
    ["Group", "Ledger", "Closing"],
    ["Capital", "Capital A/c - Partner", -1000],
    ["Sundry Creditors", "Cement Depot", -500],
    ["Fixed Assets", "Tipper Truck", 900],
    ["Cash", "Cash in Hand", 600],
    [None, "TOTAL", 0],
    [],
    [None, "Stock (not included in TB above) - as certified by partners"],
    [None, "Material at Site", 250],
    [None, "Work Done not Billed", 125.5],
]


def test_rows_under_a_stock_heading_below_the_total_are_closing_stock_not_ledgers(tmp_path):
    path = write_xlsx(tmp_path / "tb.xlsx", {"FY 2023-24": WORKING})
    extraction = extract_file(path=path, kind="xlsx", name="Working.xlsx")
    assert len(ledgers_of(extraction)) == 4  # and the year balances: no MismatchError
    assert stock_of(extraction) == [
        ("Material at Site", "2023-24", Decimal("250.00"), "Dr"),
        ("Work Done not Billed", "2023-24", Decimal("125.50"), "Dr"),
    ]
    assert reason_of(extraction, "Stock (not included").startswith("a heading below the table")


def test_a_figure_below_the_total_not_marked_as_stock_is_left_out_with_its_reason(tmp_path):
    rows = [*WORKING, [], [None, "Contingent liability: bank guarantees", 4000]]
    rows[8] = [None, "Memo (not part of the TB)"]  # the heading no longer says stock
    path = write_xlsx(tmp_path / "tb.xlsx", {"FY 2023-24": rows})
    extraction = extract_file(path=path, kind="xlsx", name="Working.xlsx")
    assert stock_of(extraction) == []
    assert len(ledgers_of(extraction)) == 4
    reason = reason_of(extraction, "Contingent liability")
    assert reason.startswith('below the table\'s total "TOTAL"')
    assert "not one of its ledgers" in reason
    assert any("3 rows with figures below the total" in w for w in extraction.warnings)


def test_total_debit_and_total_credit_rows_are_one_total_and_a_memo_below_is_stock(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "31.03.2024": [
                ["Trial Balance as on 31.03.2024"],
                ["Ledger Name", "Under", "Closing Balance"],
                ["Capital A/c", "Capital Account", "1,500.00 Cr"],
                ["Trucks", "Fixed Assets", "1,200.00 Dr"],
                ["Diesel", "Direct Expenses", "300.00 Dr"],
                ["Total Debit", None, "1,500.00 Dr"],
                ["Total Credit", None, "1,500.00 Cr"],
                [],
                ["Stock of Tyres & Spares (memo)", "Not in TB", "75.00 Dr"],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", name="TB.xlsx")
    assert [label for label, *_ in ledgers_of(extraction)] == ["Capital A/c", "Trucks", "Diesel"]
    assert stock_of(extraction) == [
        ("Stock of Tyres & Spares (memo)", "2023-24", Decimal("75"), "Dr")
    ]
    assert extraction.items[-1].section == "Not in TB"
    assert reason_of(extraction, "Total Debit").startswith("the table's total: matches")
    assert reason_of(extraction, "Total Credit") == "the credit side of the total above"
    assert extraction.totals == {"2023-24": (Decimal("1500.00"), Decimal("1500.00"))}


def test_rows_below_a_total_that_does_not_close_the_table_are_still_its_ledgers(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "FY 2023-24": [
                ["Particulars", "Debit", "Credit"],
                ["Capital", None, 700],
                ["Creditors", None, 300],
                ["Total", 0, 1000],  # the liabilities' total, not the table's
                ["Machinery", 800, None],
                ["Stock in Trade", 200, None],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", name="TB.xlsx")
    assert [label for label, *_ in ledgers_of(extraction)] == [
        "Capital",
        "Creditors",
        "Machinery",
        "Stock in Trade",
    ]
    assert stock_of(extraction) == []


def test_a_trial_balance_that_does_not_balance_without_its_tail_is_still_a_mismatch(tmp_path):
    rows = [list(row) for row in WORKING]
    rows[5] = ["Cash", "Cash in Hand", 700]  # the table is 100 off; its total says 0
    path = write_xlsx(tmp_path / "tb.xlsx", {"FY 2023-24": rows})
    with pytest.raises(MismatchError, match="does not balance"):
        extract_file(path=path, kind="xlsx", name="Working.xlsx")


def test_a_total_stock_row_in_a_stock_sheet_is_its_total_not_an_item(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "Trial Balance": [
                ["Particulars", "Debit", "Credit"],
                ["Capital", None, 900],
                ["Cash", 900, None],
            ],
            "Closing Stock": [
                ["Particulars", "Value"],
                ["Paints", 300],
                ["Pipes", 200],
                ["Total Stock", 500],
            ],
        },
    )
    extraction = extract_file(path=path, kind="xlsx", name="TB 2023-24.xlsx")
    assert [label for label, *_ in stock_of(extraction)] == ["Paints", "Pipes"]
    assert reason_of(extraction, "Total Stock").startswith("the table's total: matches")
