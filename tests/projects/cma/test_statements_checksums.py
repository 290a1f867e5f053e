"""Statements laid out as accounting software prints them (tests/projects/cma/pdf_files.py):
every printed total a checksum."""

from decimal import Decimal

import pytest

from projects.cma.extract import extract_file
from projects.cma.extract.numbers import unit_multiplier
from projects.cma.records import MismatchError
from tests.projects.cma.conftest import LAKH, by_label
from tests.projects.cma.pdf_files import (
    Page,
    Row,
    borrowings_notes,
    crores_profit_and_loss,
    heading,
    ind_as_balance_sheet,
    msme_balance_sheet,
    msme_profit_and_loss,
    total,
    write_msme_statement_pdf,
    write_statement_pdf,
)

MSME_B = (
    "(B) total outstanding dues of creditors other than micro enterprises and small enterprises"
)


def test_wrapped_msme_payables_line_is_read_with_its_amounts(tmp_path):
    extraction = extract_file(path=write_msme_statement_pdf(tmp_path / "fs.pdf"), kind="pdf")
    assert extraction.warnings == []
    current, previous = by_label(extraction, "2024-25"), by_label(extraction, "2023-24")
    payables = current[MSME_B]
    assert (payables.amount, payables.side) == (Decimal("85.32") * LAKH, "Cr")
    assert payables.section.endswith("Current liabilities / Trade payables")
    assert previous[MSME_B].amount == Decimal("70.44") * LAKH
    micro = "(A) total outstanding dues of micro enterprises and small enterprises"
    assert current[micro].amount == Decimal("12.40") * LAKH
    assert extraction.totals["2024-25"] == (Decimal("408.50") * LAKH, Decimal("408.50") * LAKH)
    liabilities = [
        i for i in extraction.items if i.year == "2024-25" and i.section.startswith("Balance")
    ]
    assert sum(i.amount for i in liabilities if i.side == "Cr") == Decimal("408.50") * LAKH
    reasons = {row.source: row for row in extraction.skipped}
    assert reasons["page 1, line 17"].text == "enterprises"
    assert reasons["page 1, line 17"].reason == "the rest of the label on page 1, line 16"
    assert (reasons["page 1, line 20"].text, reasons["page 1, line 20"].kind) == (
        "TOTAL 408.50 361.04",
        "total",
    )
    assert reasons["page 1, line 20"].reason == "a total: matches the 9 lines above it"


def test_every_line_of_a_statement_page_is_an_item_or_a_skipped_row(tmp_path):
    extraction = extract_file(path=write_msme_statement_pdf(tmp_path / "fs.pdf"), kind="pdf")
    sources = {item.source for item in extraction.items} | {
        row.source for row in extraction.skipped
    }
    for page in (1, 2):
        numbers = {int(s.split("line ")[1]) for s in sources if s.startswith(f"page {page},")}
        assert numbers == set(range(1, max(numbers) + 1))
    skipped = {row.text: row for row in extraction.skipped}
    assert skipped["III. Total income (I + II) 816.57 704.85"].kind == "total"
    assert "computed" in skipped["V. Profit before tax (III - IV) 49.06 24.25"].reason
    assert skipped["(1) Basic 14.64 7.08"].kind == "ignored"


def test_a_line_missing_from_the_text_fails_the_total_naming_the_amount(tmp_path):
    path = write_statement_pdf(
        tmp_path / "stored.pdf", [msme_balance_sheet(drop="(d) Short-term provisions")]
    )
    with pytest.raises(MismatchError) as caught:
        extract_file(path=path, kind="pdf", name="Demo BS 2025.pdf")
    message = str(caught.value)
    assert message.startswith("In Demo BS 2025.pdf, the Balance Sheet for 2023-24")
    assert "\u20b97,45,000 is missing" in message
    assert "the Balance Sheet for 2024-25" in message
    assert "\u20b99,88,000 is missing" in message
    assert "TOTAL" in message and "page 1, line" in message
    assert caught.value.acceptable


def test_an_accepted_mismatch_is_a_warning_and_the_rest_is_read(tmp_path):
    path = write_statement_pdf(
        tmp_path / "bs.pdf", [msme_balance_sheet(drop="(d) Short-term provisions")]
    )
    extraction = extract_file(path=path, kind="pdf", accept_mismatches=True)
    assert any("\u20b99,88,000 is missing" in warning for warning in extraction.warnings)
    assert by_label(extraction, "2024-25")[MSME_B].amount == Decimal("85.32") * LAKH


def test_a_line_read_without_its_figures_is_named_where_the_amount_is_missing(tmp_path):
    page = msme_balance_sheet()
    rows = tuple(
        Row(row.label, row.note, (), indent=row.indent)
        if row.label.startswith("(c) Other")
        else row
        for row in page.rows
    )
    path = write_statement_pdf(
        tmp_path / "bs.pdf", [Page(page.title, page.columns, rows, page.unit)]
    )
    with pytest.raises(MismatchError) as caught:
        extract_file(path=path, kind="pdf")
    message = str(caught.value)
    assert "\u20b918,47,000 is missing" in message
    assert "\u201c(c) Other current liabilities 8\u201d (a sub-heading)" in message


def test_a_total_worded_item_that_adds_up_to_nothing_stays_an_item_but_a_total_does_not(
    tmp_path,
):
    rows = (
        heading("EQUITY AND LIABILITIES"),
        Row("Share capital", "2", ("10.00", "10.00")),
        Row("Total outstanding dues of micro enterprises", "3", ("4.00", "3.00")),
        total("Total", "14.00", "13.00"),
        heading("ASSETS"),
        Row("Cash and cash equivalents", "4", ("14.00", "13.00")),
        total("Total", "14.00", "13.50"),
    )
    page = Page("Balance Sheet as at 31.03.2025", ("As at 31.03.2025", "As at 31.03.2024"), rows)
    path = write_statement_pdf(tmp_path / "bs.pdf", [page])
    extraction = extract_file(path=path, kind="pdf", accept_mismatches=True)
    assert "Total outstanding dues of micro enterprises" in by_label(extraction, "2024-25")
    [mismatch] = [w for w in extraction.warnings if "does not add up" in w]
    assert "for 2023-24" in mismatch and "\u20b90.50 is missing" in mismatch


def test_three_year_ind_as_balance_sheet_checks_every_subtotal(tmp_path):
    path = write_statement_pdf(tmp_path / "bs.pdf", [ind_as_balance_sheet()])
    extraction = extract_file(path=path, kind="pdf")
    assert extraction.warnings == []
    assert extraction.years == ["2022-23", "2023-24", "2024-25"]
    assert extraction.company == "Demo Engineering Limited"
    assert extraction.totals["2022-23"] == (Decimal("89965000"), Decimal("89965000"))
    totals = {row.text.split(" 9")[0].split(" 4")[0]: row for row in extraction.skipped}
    matched = [row for row in extraction.skipped if row.kind == "total"]
    assert len(matched) == 8
    assert "matches the 4 lines above it" in totals["Total current assets"].reason
    opening = [i for i in extraction.items if i.year == "2022-23"]
    borrowings = sorted((i.section, i.amount) for i in opening if i.label == "Borrowings")
    assert borrowings == [
        (
            "Balance Sheet / EQUITY AND LIABILITIES / Current liabilities / Financial liabilities",
            Decimal("10450000.00"),
        ),
        (
            "Balance Sheet / EQUITY AND LIABILITIES / Non-current liabilities / Financial "
            "liabilities",
            Decimal("17500000.00"),
        ),
    ]
    cwip = [i for i in extraction.items if i.label == "Capital work-in-progress"]
    assert sorted(i.year for i in cwip) == ["2022-23", "2024-25"]  # "-" is nil
    assert {i.label for i in opening} >= {
        "Right-of-use assets",
        "Deferred tax assets (net)",
        "Other equity",
        "Lease liabilities",
        "Current tax liabilities (net)",
        "Total outstanding dues of creditors other than micro enterprises and small enterprises",
    }
    assert totals  # keeps the mapping used


def test_a_labelled_line_that_adds_up_the_lines_above_is_a_subtotal_not_an_item(tmp_path):
    extra = Row("", figures=("45,110", "40,230", "36,090"), style="total")
    page = ind_as_balance_sheet()
    rows = tuple(
        Row("Current assets (sum)", figures=r.figures, style="item")
        if r.label == "Total current assets"
        else r
        for r in page.rows
    )
    path = write_statement_pdf(
        tmp_path / "bs.pdf", [Page(page.title, page.columns, rows, page.unit, header_size=7)]
    )
    extraction = extract_file(path=path, kind="pdf")
    assert "Current assets (sum)" not in {i.label for i in extraction.items}
    assert extra.figures  # the layout mirrors a printed subtotal


def test_borrowings_notes_replace_the_face_lines_they_add_up_to(tmp_path):
    pages = [msme_balance_sheet(), msme_profit_and_loss(), borrowings_notes()]
    extraction = extract_file(path=write_statement_pdf(tmp_path / "fs.pdf", pages), kind="pdf")
    assert extraction.warnings == []
    current = by_label(extraction, "2024-25")
    assert "(a) Long-term borrowings" not in current
    term = current["Term loans from banks"]
    assert (term.amount, term.side) == (Decimal("38.18") * LAKH, "Cr")
    assert term.section == (
        "Balance Sheet / EQUITY AND LIABILITIES / Non-current liabilities / "
        "Note 4 Long-term borrowings / Secured"
    )
    maturities = current["Current maturities of long-term debt"]
    assert maturities.section.endswith("Current liabilities / Note 6 Short-term borrowings")
    less = current["Less: Current maturities of long-term debt shown under short-term borrowings"]
    assert (less.amount, less.side) == (Decimal("8.00") * LAKH, "Dr")
    assert "Vehicle loans from banks" not in by_label(extraction, "2023-24")  # "-"
    face = next(row for row in extraction.skipped if row.text.startswith("(a) Long-term"))
    assert (face.kind, face.reason) == (
        "total",
        "detailed by Note 4 Long-term borrowings: its 4 lines add up to it",
    )
    assert extraction.totals["2024-25"] == (Decimal("408.50") * LAKH, Decimal("408.50") * LAKH)


def test_a_note_that_does_not_add_up_to_its_face_line_leaves_the_face_line(tmp_path):
    note = Page(
        "Notes forming part of the financial statements",
        ("As at 31st March, 2025", "As at 31st March, 2024"),
        (
            heading("Note 4: Long-term borrowings"),
            Row("Term loans from banks", figures=("40.18", "50.62")),
            total("Total", "40.18", "50.62"),
        ),
        unit="(Rs. in lakhs)",
    )
    path = write_statement_pdf(tmp_path / "fs.pdf", [msme_balance_sheet(), note])
    extraction = extract_file(path=path, kind="pdf")
    current = by_label(extraction, "2024-25")
    assert current["(a) Long-term borrowings"].amount == Decimal("42.18") * LAKH
    assert "Term loans from banks" not in current
    assert "Note 4 Long-term borrowings do not add up" in extraction.warnings[0]
    assert "\u20b92,00,000 less for 2024-25" in extraction.warnings[0]


def test_a_profit_and_loss_in_crores_alone_in_its_file(tmp_path):
    path = write_statement_pdf(tmp_path / "pl.pdf", [crores_profit_and_loss()])
    extraction = extract_file(path=path, kind="pdf")
    assert extraction.warnings == [] and extraction.totals == {}
    current = by_label(extraction, "2024-25")
    crore = Decimal(10_000_000)
    assert current["Revenue from operations"].amount == Decimal("1245.60") * crore
    assert (current["Deferred tax"].side, by_label(extraction, "2023-24")["Deferred tax"].side) == (
        "Dr",
        "Cr",
    )
    assert "Total comprehensive income for the year" not in current
    assert "Remeasurement of defined benefit plans" not in current  # after the year's profit
    skipped = {row.text: row for row in extraction.skipped}
    assert skipped["Total tax expense 39.65 26.90"].kind == "total"


def test_a_balance_sheet_alone_in_its_file(tmp_path):
    path = write_statement_pdf(tmp_path / "bs.pdf", [msme_balance_sheet()])
    extraction = extract_file(path=path, kind="pdf", name="BS FY25.pdf")
    assert extraction.years == ["2023-24", "2024-25"]
    assert extraction.company == "DEMO POLYMERS PRIVATE LIMITED"
    assert all(item.section.startswith("Balance Sheet") for item in extraction.items)


@pytest.mark.parametrize(
    ("text", "rupees"),
    [
        ("Rs. in lakhs", 100_000),
        ("(\u20b9 in '000)", 1_000),
        ("Rupees in thousands", 1_000),
        ("(Amount in crores)", 10_000_000),
        ("(All amounts in INR millions)", 1_000_000),
        ("(Amount in \u20b9)", 1),
        ("(All figures in Indian Rupees unless otherwise stated)", 1),
    ],
)
def test_unit_lines_say_what_one_printed_unit_is_worth(text, rupees):
    assert unit_multiplier(text) == Decimal(rupees)
