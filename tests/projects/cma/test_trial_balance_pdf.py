"""Trial balances printed to PDF (Tally, Busy, Excel's "Print to PDF"), read as trial
balances. The PDFs are drawn here with reportlab; see TRIAL_BALANCE_FIXTURES.md."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from projects.cma.extract import extract_file
from projects.cma.records import ExtractionError
from tests.projects.cma.conftest import by_label

_, HEIGHT = A4
LEFT = 50.0
DEBIT, CREDIT = 440.0, 540.0  # right edges of the figure columns
TITLES = ("Demo Caterers LLP", "Trial Balance", "1-Apr-2024 to 31-Mar-2025")


@dataclass(frozen=True)
class Printed:
    """One printed line: a label at an indent, and figures right-aligned at their edges."""

    label: str = ""
    indent: float = 0.0
    figures: dict[float, str] = field(default_factory=dict)
    bold: bool = False
    left: dict[float, str] = field(default_factory=dict)  # texts printed from a left edge
    # Points to the next line: a wrapped cell's lines are set closer than the rows.
    advance: float = 13.0


def heading(label: str) -> Printed:
    return Printed(label, bold=True)


def ledger(label: str, debit: str = "", credit: str = "", **kw) -> Printed:
    figures = {edge: text for edge, text in ((DEBIT, debit), (CREDIT, credit)) if text}
    return Printed(label, kw.pop("indent", 16.0), figures, **kw)


def write_pdf(path, pages: list[list[Printed]]):
    canvas = Canvas(str(path), pagesize=A4)
    for lines in pages:
        top = 50.0
        for line in lines:
            canvas.setFont("Helvetica-Bold" if line.bold else "Helvetica", 9)
            if line.label:
                canvas.drawString(LEFT + line.indent, HEIGHT - top, line.label)
            canvas.setFont("Helvetica", 9)
            for edge, text in line.figures.items():
                canvas.drawRightString(edge, HEIGHT - top, text)
            canvas.setFont("Helvetica-Bold" if line.bold else "Helvetica", 9)
            for x, text in line.left.items():
                canvas.drawString(x, HEIGHT - top, text)
            top += line.advance
        canvas.showPage()
    canvas.save()
    return path


def titles() -> list[Printed]:
    return [Printed(text) for text in TITLES]


# Tally's print: "Particulars ... Closing Balance" over "Debit  Credit", both printed from
# the left of their columns while the figures are right-aligned under them.
TALLY_HEADER = [
    Printed("Particulars", left={DEBIT - 37: "Closing Balance"}, bold=True),
    Printed(left={DEBIT - 98: "Debit", DEBIT + 4: "Credit"}, bold=True),
]


def tally_pages() -> list[list[Printed]]:
    first = [
        *titles(),
        *TALLY_HEADER,
        heading("Capital Account"),
        ledger("Partners Capital - Asha Rao", credit="25,00,000.00"),
        ledger("Partners Current A/c - Vikram Rao", debit="1,85,926.12"),
        heading("Loans (Liability)"),
        ledger("Term Loan from Canara Bank for Kitchen", credit="11,23,815.32"),
        ledger("Equipment (Hypothecated)", indent=24.0),
        heading("Current Liabilities"),
        ledger("Sundry Creditors", credit="4,38,110.68"),
        Printed("Page 1 of 2"),
    ]
    second = [
        Printed(TITLES[0]),
        *TALLY_HEADER,
        heading("Fixed Assets"),
        ledger("Kitchen Equipment", debit="22,92,462.70"),
        heading("Current Assets"),
        ledger("Cash in Hand", debit="72,113.27"),
        ledger("Kotak Current A/c 8312456601", debit="15,11,423.91"),
        Printed("Page 2 of 2"),
    ]
    return [first, second]


def test_a_trial_balance_printed_to_pdf_is_read_as_a_trial_balance(tmp_path):
    path = write_pdf(tmp_path / "tb.pdf", tally_pages())
    extraction = extract_file(path=path, kind="pdf")
    assert extraction.basis == "trial_balance"
    assert extraction.years == ["2024-25"]
    assert extraction.company == "Demo Caterers LLP"
    items = by_label(extraction, "2024-25")
    assert {label: (item.amount, item.side) for label, item in items.items()} == {
        "Partners Capital - Asha Rao": (Decimal("2500000.00"), "Cr"),
        "Partners Current A/c - Vikram Rao": (Decimal("185926.12"), "Dr"),
        "Term Loan from Canara Bank for Kitchen Equipment (Hypothecated)": (
            Decimal("1123815.32"),
            "Cr",
        ),
        "Sundry Creditors": (Decimal("438110.68"), "Cr"),
        "Kitchen Equipment": (Decimal("2292462.70"), "Dr"),
        "Cash in Hand": (Decimal("72113.27"), "Dr"),
        "Kotak Current A/c 8312456601": (Decimal("1511423.91"), "Dr"),
    }


def test_figures_go_to_the_column_they_are_right_aligned_in_under_a_left_printed_header(
    tmp_path,
):
    path = write_pdf(tmp_path / "tb.pdf", tally_pages())
    items = by_label(extract_file(path=path, kind="pdf"), "2024-25")
    # The debit figures end 4 points left of where "Credit" begins, under no header.
    assert items["Partners Current A/c - Vikram Rao"].side == "Dr"
    assert items["Partners Capital - Asha Rao"].side == "Cr"


def test_ledgers_are_cited_by_page_and_line_and_sit_under_their_group_heading(tmp_path):
    path = write_pdf(tmp_path / "tb.pdf", tally_pages())
    extraction = extract_file(path=path, kind="pdf")
    items = by_label(extraction, "2024-25")
    assert items["Partners Capital - Asha Rao"].source == "page 1, line 7"
    assert items["Cash in Hand"].source == "page 2, line 7"
    assert items["Cash in Hand"].section == "Current Assets"
    assert extraction.ledger_groups["Kitchen Equipment"] == "Fixed Assets"


def test_a_wrapped_label_page_headings_and_page_numbers_are_accounted_for(tmp_path):
    path = write_pdf(tmp_path / "tb.pdf", tally_pages())
    skipped = {row.source: row.reason for row in extract_file(path=path, kind="pdf").skipped}
    assert skipped["page 1, line 11"] == "the rest of the label on page 1, line 10"
    assert skipped["page 2, line 1"] == "the page's heading, repeated"
    assert skipped["page 2, line 2"] == "the table's header, repeated on a new page"
    assert skipped["page 2, line 3"] == "the table's header, repeated on a new page"
    assert skipped["page 1, line 14"] == "a page number or a continuation mark"
    assert skipped["page 1, line 6"].startswith("a group heading with no subtotal printed")


def test_a_single_balance_column_with_dr_cr_marks_and_a_label_wrapped_above_its_figure(
    tmp_path,
):
    # Excel's "Print to PDF" of a wrapped cell: its lines set close, the figure on the last.
    header = Printed("Particulars", figures={CREDIT: "Closing Balance"}, bold=True)
    lines = [
        *titles(),
        header,
        heading("Capital"),
        Printed("Proprietor's Capital", 16.0, {CREDIT: "12,50,000.00 Cr"}),
        Printed("Advance received from customers against", 16.0, advance=10.0),
        Printed("catering orders", 16.0, {CREDIT: "75,000.00 Cr"}),
        Printed("Stock of Provisions", 16.0, {CREDIT: "2,30,045.34 Dr"}),
        Printed("Kotak Current A/c", 16.0, {CREDIT: "10,94,954.66 Dr"}),
    ]
    path = write_pdf(tmp_path / "tb.pdf", [lines])
    extraction = extract_file(path=path, kind="pdf")
    items = by_label(extraction, "2024-25")
    assert {label: (item.amount, item.side) for label, item in items.items()} == {
        "Proprietor's Capital": (Decimal("1250000.00"), "Cr"),
        "Advance received from customers against catering orders": (
            Decimal("75000.00"),
            "Cr",
        ),
        "Stock of Provisions": (Decimal("230045.34"), "Dr"),
        "Kotak Current A/c": (Decimal("1094954.66"), "Dr"),
    }
    skipped = {row.source: row.reason for row in extraction.skipped}
    assert skipped["page 1, line 7"] == "the first part of the label on page 1, line 8"


def test_a_flat_printed_trial_balance_checks_its_grand_total(tmp_path):
    header = Printed("Particulars", figures={DEBIT: "Debit", CREDIT: "Credit"}, bold=True)
    lines = [
        *titles(),
        header,
        ledger("Capital", credit="5,00,000.00", indent=0.0),
        ledger("Cash", debit="1,00,000.00", indent=0.0),
        ledger("Furniture", debit="3,00,000.00", indent=0.0),
        ledger("Grand Total", "4,50,000.00", "5,00,000.00", indent=0.0),
    ]
    path = write_pdf(tmp_path / "tb.pdf", [lines])
    with pytest.raises(ExtractionError, match=r'"Grand Total" \(page 1, line 8\)'):
        extract_file(path=path, kind="pdf")
    lines[-1] = ledger("Grand Total", "4,00,000.00", "4,00,000.00", indent=0.0)
    lines[4] = ledger("Capital", credit="4,00,000.00", indent=0.0)
    extraction = extract_file(path=write_pdf(tmp_path / "ok.pdf", [lines]), kind="pdf")
    total = next(row for row in extraction.skipped if row.text == "Grand Total")
    assert (total.source, total.kind) == ("page 1, line 8", "total")


def test_a_pdf_without_a_trial_balance_header_is_still_read_as_statements(tmp_path):
    lines = [
        Printed("Balance Sheet as at 31st March, 2025"),
        Printed("Particulars", figures={DEBIT: "As at 31.03.2025", CREDIT: "As at 31.03.2024"}),
        Printed("Some words"),
    ]
    path = write_pdf(tmp_path / "bs.pdf", [lines])
    with pytest.raises(ExtractionError, match="No balance sheet or statement of profit"):
        extract_file(path=path, kind="pdf")


def test_a_sub_group_heading_under_a_group_subtotal_is_not_taken_for_a_wrapped_label(tmp_path):
    lines = [
        *titles(),
        *TALLY_HEADER,
        ledger("Capital Account", credit="5,00,000.00", indent=0.0),
        ledger("Owner's Capital", credit="5,00,000.00", indent=16.0),
        ledger("Current Assets", debit="5,00,000.00", indent=0.0),
        ledger("Bank Accounts", indent=16.0),
        ledger("Canara Bank", debit="3,00,000.00", indent=32.0),
        ledger("Kotak Bank", debit="2,00,000.00", indent=32.0),
    ]
    extraction = extract_file(path=write_pdf(tmp_path / "tb.pdf", [lines]), kind="pdf")
    items = by_label(extraction, "2024-25")
    assert set(items) == {"Owner's Capital", "Canara Bank", "Kotak Bank"}
    assert items["Kotak Bank"].section == "Bank Accounts / Current Assets"


def test_a_page_without_a_text_layer_after_the_trial_balance_is_reported(tmp_path):
    lines = [
        *titles(),
        Printed("Particulars", figures={DEBIT: "Debit", CREDIT: "Credit"}, bold=True),
        ledger("Capital", credit="4,00,000.00", indent=0.0),
        ledger("Cash", debit="4,00,000.00", indent=0.0),
    ]
    path = write_pdf(tmp_path / "tb.pdf", [lines, [Printed("x")]])
    extraction = extract_file(path=path, kind="pdf")
    assert extraction.basis == "trial_balance"
    assert extraction.warnings == [
        "Page 2 of tb.pdf has no text layer (it looks scanned) and was not read."
    ]
    assert any(row.source == "page 2" for row in extraction.skipped)
