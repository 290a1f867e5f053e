"""Trial balances: every row accounted for; the company, the name the user gave, and files
that are not trial balances."""

import re

import pytest
import xlsxwriter

from projects.cma.extract import extract_file
from projects.cma.records import ExtractionError
from tests.projects.cma.conftest import MEHTA, SGP
from tests.projects.cma.tb_files import (
    COMPANY,
    tally_detailed_rows,
    write_csv,
    write_xlsx,
)

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
