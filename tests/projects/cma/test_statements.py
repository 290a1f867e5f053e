"""Schedule III statements from PDF: the sample, and hand-placed text."""

import zlib
from decimal import Decimal

import pytest

from projects.cma.extract import extract_file
from projects.cma.records import ExtractionError, MismatchError
from tests.projects.cma.conftest import LAKH, SGP, by_label

# ----------------------------------------------------------------------------------------
# The sample
# ----------------------------------------------------------------------------------------


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


def one_year_balance_sheet(path):
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
    return write_pdf(path, [text_page(placed)])


def test_a_one_year_statement_naming_another_year_than_chosen_is_a_mismatch(tmp_path):
    path = one_year_balance_sheet(tmp_path / "stored-7f3a.pdf")
    with pytest.raises(MismatchError, match=r"^bs-2025\.pdf names the fiscal year 2024-25"):
        extract_file(path=path, kind="pdf", name="bs-2025.pdf", fiscal_year="2023-24")


def test_an_accepted_year_mismatch_files_the_figures_under_the_chosen_year(tmp_path):
    path = one_year_balance_sheet(tmp_path / "bs.pdf")
    extraction = extract_file(path=path, kind="pdf", fiscal_year="2023-24", accept_mismatches=True)
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
    path = write_pdf(tmp_path / "scan.pdf", [scan])
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


def test_messages_name_the_file_as_uploaded(tmp_path):
    page = text_page([(50, 40, "Dear Sir,"), (50, 60, "Please find our quotation attached.")])
    with pytest.raises(ExtractionError, match="found in Quotation March\\.pdf"):
        extract_file(
            path=write_pdf(tmp_path / "x1.pdf", [page]), kind="pdf", name="Quotation March.pdf"
        )
