"""Reading trial balances and Schedule III statements: the samples, and small made-up files."""

import csv
import io
import json
import re
import zlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
import xlwt

from projects.cma.extract import extract_file
from projects.cma.records import ExtractionError

SAMPLES = Path(__file__).parents[2] / "fixtures" / "samples"
MEHTA = SAMPLES / "mehta-traders"
SGP = SAMPLES / "shree-ganesh-polymers-private-limited"
LAKH = Decimal(100_000)

TRIAL_BALANCES = [
    ("mehta-traders", [("trial-balance.csv", "csv")]),
    (
        "shree-ganesh-polymers-private-limited",
        [("trial-balance-2023-24.xlsx", "xlsx"), ("trial-balance-2024-25.xlsx", "xlsx")],
    ),
]
# The CSV marks closing stock in the ledger's name; the answer key gives the bare name.
MARKER = re.compile(r"\s*\(closing stock\)\s*$", re.IGNORECASE)


def key(label, year, amount, side, closing):
    return (label, year, Decimal(str(amount)).quantize(Decimal("0.01")), side, bool(closing))


def truth_items(folder):
    truth = json.loads((SAMPLES / folder / "truth.json").read_text())
    return Counter(
        key(i["label"], i["year"], i["amount"], i["side"], i.get("closing_stock"))
        for i in truth["line_items"]
    )


def by_label(extraction, year):
    return {item.label: item for item in extraction.items if item.year == year}


# ----------------------------------------------------------------------------------------
# The samples
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "files"), TRIAL_BALANCES)
def test_each_sample_trial_balance_yields_exactly_the_answer_keys_line_items(folder, files):
    got = Counter()
    for name, kind in files:
        extraction = extract_file(path=SAMPLES / folder / name, kind=kind)
        assert extraction.warnings == []
        for item in extraction.items:
            label = MARKER.sub("", item.label) if item.closing_stock else item.label
            got[key(label, item.year, item.amount, item.side, item.closing_stock)] += 1
    assert got == truth_items(folder)


@pytest.mark.parametrize(("folder", "files"), TRIAL_BALANCES)
def test_sample_trial_balances_balance_without_their_closing_stock(folder, files):
    for name, kind in files:
        extraction = extract_file(path=SAMPLES / folder / name, kind=kind)
        assert extraction.basis == "trial_balance"
        for year in extraction.years:
            debit, credit = extraction.totals[year]
            assert debit == credit
            ledgers = [i for i in extraction.items if i.year == year and not i.closing_stock]
            assert sum(i.amount for i in ledgers if i.side == "Dr") == debit
            assert sum(i.amount for i in ledgers if i.side == "Cr") == credit


def test_mehta_csv_yields_both_years_from_its_year_columns():
    extraction = extract_file(path=MEHTA / "trial-balance.csv", kind="csv")
    assert extraction.years == ["2023-24", "2024-25"]
    capital = [i for i in extraction.items if i.label == "Partner Capital - Rajesh Mehta"]
    assert [(i.year, i.amount, i.side) for i in capital] == [
        ("2023-24", Decimal("154030.01"), "Cr"),
        ("2024-25", Decimal("184478.36"), "Cr"),
    ]
    assert capital[0].source == "line 3"


def test_mehta_closing_stock_lines_are_flagged_and_keep_their_marked_label():
    extraction = extract_file(path=MEHTA / "trial-balance.csv", kind="csv")
    stock = [i for i in extraction.items if i.closing_stock]
    assert len(stock) == 8
    assert all(i.label.endswith("(Closing Stock)") and i.side == "Dr" for i in stock)
    assert extraction.totals["2023-24"] == (Decimal("3354138.13"), Decimal("3354138.13"))


def test_sgp_workbook_uses_its_grand_total_and_period_line_and_stock_sheet():
    extraction = extract_file(path=SGP / "trial-balance-2023-24.xlsx", kind="xlsx")
    assert extraction.years == ["2023-24"]
    assert extraction.totals == {"2023-24": (Decimal("18848921.50"), Decimal("18848921.50"))}
    items = by_label(extraction, "2023-24")
    assert "Grand Total" not in items
    assert items["Interest Received on FD"].source == "Trial Balance!A6"
    assert (items["Sales - Domestic"].amount, items["Sales - Domestic"].side) == (
        Decimal("9032277.09"),
        "Cr",
    )
    raw_material = items["Raw Material"]
    assert raw_material.closing_stock
    assert (raw_material.amount, raw_material.side) == (Decimal("606811.50"), "Dr")
    assert raw_material.source == "Closing Stock!A2"


def test_sample_pdf_yields_both_years_in_rupees_from_lakhs():
    extraction = extract_file(path=SGP / "financial-statements.pdf", kind="pdf")
    assert extraction.basis == "statements"
    assert extraction.years == ["2023-24", "2024-25"]
    assert extraction.warnings == []
    current, previous = by_label(extraction, "2024-25"), by_label(extraction, "2023-24")
    assert current["Share capital"].amount == Decimal("11.16") * LAKH
    assert previous["Share capital"].amount == Decimal("8.59") * LAKH
    assert current["Revenue from operations"].amount == Decimal("119.83") * LAKH
    assert previous["Cash and cash equivalents"].amount == Decimal("15.69") * LAKH
    assert all(item.basis == "statements" for item in extraction.items)


def test_sample_pdf_returns_the_balance_sheet_totals():
    extraction = extract_file(path=SGP / "financial-statements.pdf", kind="pdf")
    assert extraction.totals == {
        "2024-25": (Decimal("112.78") * LAKH, Decimal("112.78") * LAKH),
        "2023-24": (Decimal("84.29") * LAKH, Decimal("84.29") * LAKH),
    }


def test_sample_pdf_label_printed_over_its_note_number_reads_cleanly_as_a_credit():
    extraction = extract_file(path=SGP / "financial-statements.pdf", kind="pdf")
    label = "Changes in inventories of finished goods and work-in-progress"
    current, previous = (
        by_label(extraction, "2024-25")[label],
        by_label(extraction, "2023-24")[label],
    )
    assert (current.amount, current.side) == (Decimal("2.71") * LAKH, "Cr")
    assert (previous.amount, previous.side) == (Decimal("0.36") * LAKH, "Dr")
    assert current.source == "page 2, line 11"


def test_sample_pdf_sides_and_sections_follow_the_statement_headings():
    extraction = extract_file(path=SGP / "financial-statements.pdf", kind="pdf")
    items = by_label(extraction, "2024-25")
    expected = {
        "Trade payables": ("Cr", "Balance Sheet / EQUITY AND LIABILITIES"),
        "Trade receivables": ("Dr", "Balance Sheet / ASSETS"),
        "Other income": ("Cr", "Statement of Profit and Loss / INCOME"),
        "Finance costs": ("Dr", "Statement of Profit and Loss / EXPENSES"),
        "Tax expense": ("Dr", "Statement of Profit and Loss / EXPENSES"),
    }
    for label, (side, section) in expected.items():
        assert (items[label].side, items[label].section) == (side, section), label


def test_sample_pdf_leaves_out_totals_derived_lines_and_zero_lines():
    extraction = extract_file(path=SGP / "financial-statements.pdf", kind="pdf")
    labels = {item.label for item in extraction.items}
    for left_out in (
        "TOTAL",
        "Total income",
        "Total expenses",
        "Profit before tax",
        "Profit for the year",
        "Intangible assets",  # 0.00 both years
    ):
        assert left_out not in labels
    assert len(by_label(extraction, "2024-25")) == 27


# ----------------------------------------------------------------------------------------
# Small made-up trial balances
# ----------------------------------------------------------------------------------------


def write_xlsx(path, sheets):
    """sheets: {name: [row, ...]}; a row is a list of cell values."""
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    workbook.close()
    return path


def write_csv(path, lines, encoding="utf-8", delimiter=","):
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(lines)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


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


def test_trial_balance_that_does_not_balance_is_refused_with_both_totals(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv",
        [
            ["Particulars", "Debit", "Credit"],
            ["Cash", "12,34,567.00", ""],
            ["Capital", "", "12,00,000.00"],
        ],
    )
    with pytest.raises(ExtractionError) as error:
        extract_file(path=path, kind="csv", fiscal_year="2023-24")
    message = str(error.value)
    assert "does not balance" in message
    assert "12,34,567.00" in message
    assert "12,00,000.00" in message
    assert "34,567.00" in message  # the difference
    assert "2023-24" in message


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


def test_a_grand_total_that_differs_from_the_ledgers_is_reported(tmp_path):
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
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2023-24")
    assert extraction.totals["2023-24"] == (Decimal("1400.00"), Decimal("1400.00"))
    assert any("add up to" in warning for warning in extraction.warnings)


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


def test_the_users_fiscal_year_wins_over_the_one_the_file_names(tmp_path):
    path = write_csv(
        tmp_path / "tb.csv",
        [
            ["Period: 01-Apr-2023 To 31-Mar-2024"],
            ["Ledger", "Debit", "Credit"],
            ["A", "1", ""],
            ["B", "", "1"],
        ],
    )
    extraction = extract_file(path=path, kind="csv", fiscal_year="FY 2024-25")
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


def test_progress_is_reported_up_to_the_total(tmp_path):
    calls = []
    extract_file(
        path=SGP / "trial-balance-2023-24.xlsx",
        kind="xlsx",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls
    assert calls[-1][0] == calls[-1][1]
    calls.clear()
    extract_file(
        path=SGP / "financial-statements.pdf",
        kind="pdf",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 2), (2, 2)]


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
# Small made-up PDFs, written by hand: Helvetica text at given positions
# ----------------------------------------------------------------------------------------


def pdf_bytes(pages):
    """A PDF whose pages are content streams (bytes); fonts and one image are shared."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\x80\x80\x00\nendstream",
    }
    kids = []
    for index, content in enumerate(pages):
        page_id, content_id = 5 + 2 * index, 6 + 2 * index
        kids.append(f"{page_id} 0 R".encode())
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> "
            + f"/Contents {content_id} 0 R >>".encode()
        )
        packed = zlib.compress(content)
        objects[content_id] = (
            f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode()
            + packed
            + b"\nendstream"
        )
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + f"] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_page(placed, size=9):
    """placed: (x, top, text) with top measured down from the top of an A4 page."""
    ops = ["BT", f"/F1 {size} Tf"]
    for x, top, text in placed:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"1 0 0 1 {x} {842 - top} Tm ({escaped}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("cp1252")


def statement_page(title, unit, columns, rows):
    """rows: (label, note, current, previous); a label alone is a heading."""
    placed = [(50, 40, "Demo Industries Limited"), (50, 55, title)]
    if unit:
        placed.append((50, 70, unit))
    placed += [
        (50, 90, "Particulars"),
        (300, 90, "Note"),
        (380, 90, columns[0]),
        (480, 90, columns[1]),
    ]
    top = 105
    for label, note, current, previous in rows:
        placed.append((60 if note is not None or current else 50, top, label))
        if note:
            placed.append((300, top, note))
        if current:
            placed.append((400, top, current))
        if previous:
            placed.append((500, top, previous))
        top += 14
    return text_page(placed)


def write_pdf(path, pages):
    path.write_bytes(pdf_bytes(pages))
    return path


BALANCE_SHEET_ROWS = [
    ("EQUITY AND LIABILITIES", None, None, None),
    ("Share capital", "2", "1.50", "1.50"),
    ("Trade payables", "3", "0.75", "(0.10)"),
    ("TOTAL", None, "2.25", "1.40"),
    ("ASSETS", None, None, None),
    ("Inventories", "4", "1.25", "1.00"),
    ("Cash and cash equivalents", "5", "1.00", "0.40"),
    ("TOTAL", None, "2.25", "1.40"),
]


@pytest.mark.parametrize(
    ("unit", "rupees"),
    [
        ("(Amount in Rs. crores)", Decimal(10_000_000)),
        ("(Rs. in '000)", Decimal(1_000)),
        ("(All amounts in Rs. thousands unless otherwise stated)", Decimal(1_000)),
    ],
)
def test_statement_units_apply_to_every_figure_and_total(tmp_path, unit, rupees):
    page = statement_page(
        "Balance Sheet as at 31 March 2025",
        unit,
        ("As at 31.03.2025", "As at 31.03.2024"),
        BALANCE_SHEET_ROWS,
    )
    extraction = extract_file(path=write_pdf(tmp_path / "bs.pdf", [page]), kind="pdf")
    assert extraction.years == ["2023-24", "2024-25"]
    current = by_label(extraction, "2024-25")
    assert current["Share capital"].amount == Decimal("1.50") * rupees
    assert current["Cash and cash equivalents"].side == "Dr"
    assert extraction.totals["2024-25"] == (Decimal("2.25") * rupees, Decimal("2.25") * rupees)
    payables = by_label(extraction, "2023-24")["Trade payables"]
    assert (payables.amount, payables.side) == (Decimal("0.10") * rupees, "Dr")
    assert extraction.warnings == []


def test_statement_without_a_unit_line_is_read_in_rupees_with_a_warning(tmp_path):
    page = statement_page(
        "Balance Sheet", None, ("31 March 2025", "31 March 2024"), BALANCE_SHEET_ROWS
    )
    extraction = extract_file(path=write_pdf(tmp_path / "bs.pdf", [page]), kind="pdf")
    assert by_label(extraction, "2024-25")["Share capital"].amount == Decimal("1.50")
    assert "read as rupees" in extraction.warnings[0]


def test_current_and_previous_year_headers_take_the_year_from_the_title(tmp_path):
    page = statement_page(
        "Statement of Profit and Loss for the year ended 31st March, 2024",
        "(Rs. in lakhs)",
        ("Current Year", "Previous Year"),
        [
            ("INCOME", None, None, None),
            ("Revenue from operations", "10", "50.00", "40.00"),
            ("EXPENSES", None, None, None),
            ("Purchases of stock-in-trade", "11", "30.00", "25.00"),
            ("Profit before tax", None, "20.00", "15.00"),
        ],
    )
    extraction = extract_file(path=write_pdf(tmp_path / "pl.pdf", [page]), kind="pdf")
    assert extraction.years == ["2022-23", "2023-24"]
    sales = by_label(extraction, "2023-24")["Revenue from operations"]
    assert (sales.amount, sales.side, sales.section) == (
        Decimal("5000000.00"),
        "Cr",
        "Statement of Profit and Loss / INCOME",
    )
    assert "Profit before tax" not in {i.label for i in extraction.items}


def test_profit_and_loss_without_headings_reads_expenses_after_total_income(tmp_path):
    rows = [
        ("I. Revenue from operations", "18", "100.00"),
        ("II. Other income", "19", "2.00"),
        ("III. Total revenue (I + II)", None, "102.00"),
        ("Cost of materials consumed", "20", "60.00"),
        ("Other expenses", "21", "20.00"),
        ("Profit before tax", None, "22.00"),
        ("Current tax", None, "6.00"),
        ("Deferred tax", None, "(0.50)"),
        ("Profit for the year", None, "16.50"),
        ("Earnings per equity share: Basic", None, "16.50"),
    ]
    placed = [
        (50, 40, "Statement of Profit and Loss for the year ended 31st March 2025"),
        (50, 55, "(Amount in Rs. lakhs)"),
        (50, 80, "Particulars"),
        (300, 80, "Note No."),
        (400, 80, "Amount (Rs.)"),
    ]
    for line, (label, note, amount) in enumerate(rows):
        top = 95 + 14 * line
        placed += [(60, top, label), (400, top, amount)] + ([(300, top, note)] if note else [])
    extraction = extract_file(path=write_pdf(tmp_path / "pl.pdf", [text_page(placed)]), kind="pdf")
    assert extraction.years == ["2024-25"]
    assert [(i.label, i.amount, i.side) for i in extraction.items] == [
        ("I. Revenue from operations", Decimal("10000000.00"), "Cr"),
        ("II. Other income", Decimal("200000.00"), "Cr"),
        ("Cost of materials consumed", Decimal("6000000.00"), "Dr"),
        ("Other expenses", Decimal("2000000.00"), "Dr"),
        ("Current tax", Decimal("600000.00"), "Dr"),
        ("Deferred tax", Decimal("50000.00"), "Cr"),
    ]
    assert extraction.totals == {}  # no balance sheet in this file


def test_a_one_year_statement_takes_the_users_fiscal_year(tmp_path):
    placed = [
        (50, 40, "Balance Sheet"),
        (50, 55, "(Rs. in lakhs)"),
        (50, 80, "Particulars"),
        (300, 80, "Note"),
        (380, 80, "As at 31.03.2025"),
        (50, 95, "ASSETS"),
        (60, 110, "Cash and bank balances"),
        (300, 110, "7"),
        (400, 110, "3.00"),
    ]
    path = write_pdf(tmp_path / "bs.pdf", [text_page(placed)])
    extraction = extract_file(path=path, kind="pdf", fiscal_year="2023-24")
    assert extraction.years == ["2023-24"]
    assert "2024-25" in extraction.warnings[0]


def test_sub_headings_extend_the_section_and_wrapped_labels_are_joined(tmp_path):
    page = statement_page(
        "Balance Sheet as at 31 March 2025",
        "(Rs. in lakhs)",
        ("As at 31.03.2025", "As at 31.03.2024"),
        [
            ("EQUITY AND LIABILITIES", None, None, None),
            ("Shareholders' funds", None, None, None),
            ("Share capital", "2", "10.00", "10.00"),
            ("Current liabilities", None, None, None),
            ("Trade payables - total outstanding dues of micro and", None, None, None),
            ("small enterprises", "3", "5.00", "4.00"),
            ("TOTAL", None, "15.00", "14.00"),
            ("ASSETS", None, None, None),
            ("Current assets", None, None, None),
            ("Cash and cash equivalents", "5", "15.00", "14.00"),
            ("TOTAL", None, "15.00", "14.00"),
        ],
    )
    extraction = extract_file(path=write_pdf(tmp_path / "bs.pdf", [page]), kind="pdf")
    items = by_label(extraction, "2024-25")
    assert items["Share capital"].section == (
        "Balance Sheet / EQUITY AND LIABILITIES / Shareholders' funds"
    )
    payables = items["Trade payables - total outstanding dues of micro and small enterprises"]
    assert (payables.section, payables.side) == (
        "Balance Sheet / EQUITY AND LIABILITIES / Current liabilities",
        "Cr",
    )
    assert items["Cash and cash equivalents"].section == "Balance Sheet / ASSETS / Current assets"
    assert extraction.warnings == []


def test_a_two_sided_balance_sheet_is_refused_with_advice(tmp_path):
    placed = [
        (50, 40, "Balance Sheet as at 31st March 2025"),
        (50, 60, "Liabilities"),
        (230, 60, "Amount"),
        (300, 60, "Assets"),
        (480, 60, "Amount"),
        (50, 75, "Capital"),
        (230, 75, "5,00,000"),
        (300, 75, "Cash"),
        (480, 75, "5,00,000"),
    ]
    path = write_pdf(tmp_path / "bs.pdf", [text_page(placed)])
    with pytest.raises(ExtractionError, match="two sides"):
        extract_file(path=path, kind="pdf", fiscal_year="2024-25")


def test_an_image_only_pdf_is_refused_as_scanned(tmp_path):
    scan = b"q 400 0 0 600 100 100 cm /Im1 Do Q"
    path = write_pdf(tmp_path / "scan.pdf", [scan, b""])
    with pytest.raises(ExtractionError, match=r"scan\.pdf has no text layer \(it looks scanned\)"):
        extract_file(path=path, kind="pdf", fiscal_year="2023-24")


def test_a_pdf_with_text_but_no_statement_is_refused(tmp_path):
    page = text_page([(50, 40, "Dear Sir,"), (50, 60, "Please find our quotation attached.")])
    with pytest.raises(ExtractionError, match="No balance sheet or statement of profit and loss"):
        extract_file(path=write_pdf(tmp_path / "letter.pdf", [page]), kind="pdf")


def test_a_damaged_pdf_is_refused(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    with pytest.raises(ExtractionError, match="could not be read"):
        extract_file(path=path, kind="pdf")
