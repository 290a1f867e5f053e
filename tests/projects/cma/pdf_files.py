"""Schedule III statements laid out as PDFs the way accounting software and CA firms print
them: a proportional font, a Note column, right-aligned year columns, bold headings and
totals with a rule above, labels wrapped onto a second line. See STATEMENT_FIXTURES.md.

No real company's figures: every amount below is made up, and adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4
LEFT = 40
BODY = 8
LEADING = 12.5


@dataclass(frozen=True)
class Row:
    """A printed line of a statement; "\\n" in the label wraps it onto further lines."""

    label: str
    note: str = ""
    figures: tuple[str, ...] = ()
    style: str = "item"  # "heading" and "total" are bold; a total has a rule above it
    indent: int = 1
    figures_on: str = "first"  # the line of a wrapped label that carries the figures


@dataclass(frozen=True)
class Page:
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    unit: str = ""
    company: str = "DEMO POLYMERS PRIVATE LIMITED"
    subtitle: str = ""
    footer: tuple[str, ...] = ()
    header_size: float = 7.5


def heading(label: str, indent: int = 0) -> Row:
    return Row(label, style="heading", indent=indent)


def total(label: str, *figures: str, indent: int = 1) -> Row:
    return Row(label, figures=figures, style="total", indent=indent)


def write_statement_pdf(path: Path, pages: list[Page]) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    for page in pages:
        _draw_page(canvas, page)
        canvas.showPage()
    canvas.save()
    return path


def _edges(count: int) -> tuple[list[float], float]:
    """Right edges of the year columns, and the centre of the Note column."""
    if count == 3:
        return [395.0, 475.0, 555.0], 295.0
    if count == 1:
        return [555.0], 440.0
    return [465.0, 555.0], 345.0


def _draw_page(canvas: Canvas, page: Page) -> None:
    edges, note_x = _edges(len(page.columns))
    top = 50.0

    def y(at: float) -> float:
        return HEIGHT - at

    if page.company:
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawCentredString(WIDTH / 2, y(top), page.company)
        top += 16
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawCentredString(WIDTH / 2, y(top), page.title)
    top += 14
    if page.subtitle:
        canvas.setFont("Helvetica", 9)
        canvas.drawCentredString(WIDTH / 2, y(top), page.subtitle)
        top += 14
    if page.unit:
        canvas.setFont("Helvetica", BODY)
        canvas.drawRightString(edges[-1], y(top), page.unit)
        top += 14
    canvas.setFont("Helvetica-Bold", page.header_size)
    canvas.drawString(LEFT, y(top), "Particulars")
    canvas.drawCentredString(note_x, y(top), "Note")
    for edge, header in zip(edges, page.columns, strict=True):
        canvas.drawRightString(edge, y(top), header)
    canvas.line(LEFT, y(top + 4), edges[-1], y(top + 4))
    top += LEADING + 2
    for row in page.rows:
        top = _draw_row(canvas, row, top, edges, note_x)
    top += LEADING
    canvas.setFont("Helvetica", BODY)
    for line in page.footer:
        canvas.drawString(LEFT, y(top), line)
        top += LEADING


def _draw_row(canvas: Canvas, row: Row, top: float, edges: list[float], note_x: float) -> float:
    font = "Helvetica" if row.style == "item" else "Helvetica-Bold"
    parts = row.label.split("\n")
    on = 0 if row.figures_on == "first" else len(parts) - 1
    if row.style == "total":
        for edge in edges:
            canvas.line(edge - 55, HEIGHT - top + LEADING - 3, edge, HEIGHT - top + LEADING - 3)
    for index, part in enumerate(parts):
        canvas.setFont(font, BODY)
        canvas.drawString(LEFT + 10 * row.indent, HEIGHT - top, part)
        if index == on:
            if row.note:
                canvas.setFont("Helvetica", BODY)
                canvas.drawCentredString(note_x, HEIGHT - top, row.note)
            canvas.setFont(font, BODY)
            for edge, figure in zip(edges, row.figures, strict=False):
                canvas.drawRightString(edge, HEIGHT - top, figure)
        top += LEADING
    return top


# ----------------------------------------------------------------------------------------
# A small private company's statements in lakhs, with the MSME split of trade payables
# ----------------------------------------------------------------------------------------

TWO_YEARS = ("As at 31st March, 2025", "As at 31st March, 2024")
PL_YEARS = ("Year ended 31.03.2025", "Year ended 31.03.2024")
SIGNATURES = (
    "See accompanying notes forming part of the financial statements",
    "As per our report of even date attached",
    "For Demo & Associates, Chartered Accountants",
)

MSME_PAYABLES = (
    Row(
        "(A) total outstanding dues of micro enterprises and small enterprises",
        figures=("12.40", "10.10"),
        indent=3,
    ),
    Row(
        "(B) total outstanding dues of creditors other than micro enterprises and small\n"
        "enterprises",
        figures=("85.32", "70.44"),
        indent=3,
    ),
)
SHORT_TERM_PROVISIONS = Row("(d) Short-term provisions", "9", ("9.88", "7.45"), indent=2)


def msme_balance_sheet(*, drop: str = "") -> Page:
    """The balance sheet; ``drop`` leaves the line with that label out of the text."""
    rows = (
        heading("EQUITY AND LIABILITIES"),
        heading("(1) Shareholders' funds", 1),
        Row("(a) Share capital", "2", ("25.00", "25.00"), indent=2),
        Row("(b) Reserves and surplus", "3", ("148.76", "120.31"), indent=2),
        heading("(2) Non-current liabilities", 1),
        Row("(a) Long-term borrowings", "4", ("42.18", "50.62"), indent=2),
        Row("(b) Long-term provisions", "5", ("6.35", "5.20"), indent=2),
        heading("(3) Current liabilities", 1),
        Row("(a) Short-term borrowings", "6", ("60.14", "55.90"), indent=2),
        Row("(b) Trade payables", "7", indent=2, style="heading"),
        *MSME_PAYABLES,
        Row("(c) Other current liabilities", "8", ("18.47", "16.02"), indent=2),
        SHORT_TERM_PROVISIONS,
        total("TOTAL", "408.50", "361.04"),
        heading("ASSETS"),
        heading("(1) Non-current assets", 1),
        Row("(a) Property, Plant and Equipment and Intangible assets", indent=2),
        Row("(i) Property, Plant and Equipment", "10", ("150.22", "138.40"), indent=3),
        Row("(ii) Intangible assets", "10", ("2.10", "2.60"), indent=3),
        Row("(b) Non-current investments", "11", ("10.00", "10.00"), indent=2),
        Row("(c) Long-term loans and advances", "12", ("8.45", "7.90"), indent=2),
        heading("(2) Current assets", 1),
        Row("(a) Inventories", "13", ("95.60", "82.15"), indent=2),
        Row("(b) Trade receivables", "14", ("110.34", "93.27"), indent=2),
        Row("(c) Cash and cash equivalents", "15", ("14.87", "12.08"), indent=2),
        Row("(d) Short-term loans and advances", "16", ("16.92", "14.64"), indent=2),
        total("TOTAL", "408.50", "361.04"),
    )
    return Page(
        "Balance Sheet as at 31st March, 2025",
        TWO_YEARS,
        tuple(row for row in rows if not drop or row.label != drop),
        unit="(Rs. in lakhs)",
        footer=SIGNATURES,
    )


def msme_profit_and_loss() -> Page:
    rows = (
        Row("I. Revenue from operations", "17", ("812.45", "701.30"), indent=0),
        Row("II. Other income", "18", ("4.12", "3.55"), indent=0),
        total("III. Total income (I + II)", "816.57", "704.85", indent=0),
        heading("IV. Expenses:"),
        Row("Cost of materials consumed", "19", ("520.31", "455.12"), indent=2),
        Row("Purchases of stock-in-trade", "20", ("40.10", "35.00"), indent=2),
        Row(
            "Changes in inventories of finished goods, work-in-progress and\nstock-in-trade",
            "21",
            ("(6.20)", "3.10"),
            indent=2,
            figures_on="last",
        ),
        Row("Employee benefits expense", "22", ("85.40", "76.25"), indent=2),
        Row("Finance costs", "23", ("14.22", "13.80"), indent=2),
        Row("Depreciation and amortisation expense", "10", ("18.05", "16.40"), indent=2),
        Row("Other expenses", "24", ("95.63", "80.93"), indent=2),
        total("Total expenses (IV)", "767.51", "680.60", indent=2),
        Row("V. Profit before tax (III - IV)", figures=("49.06", "24.25"), indent=0),
        heading("VI. Tax expense:"),
        Row("(1) Current tax", figures=("12.90", "6.80"), indent=2),
        Row("(2) Deferred tax", figures=("(0.45)", "(0.25)"), indent=2),
        Row("VII. Profit for the year (V - VI)", figures=("36.61", "17.70"), indent=0),
        Row("VIII. Earnings per equity share (face value Rs. 10 each):", indent=0),
        Row("(1) Basic", figures=("14.64", "7.08"), indent=2),
        Row("(2) Diluted", figures=("14.64", "7.08"), indent=2),
    )
    return Page(
        "Statement of Profit and Loss for the year ended 31st March, 2025",
        PL_YEARS,
        rows,
        unit="(Rs. in lakhs)",
        footer=SIGNATURES,
    )


def borrowings_notes() -> Page:
    """Notes 4 and 6, which detail the balance sheet's borrowings and add up to them."""
    rows = (
        heading("Note 4: Long-term borrowings"),
        heading("Secured", 1),
        Row("Term loans from banks", figures=("38.18", "47.12"), indent=2),
        Row("Vehicle loans from banks", figures=("2.00", "-"), indent=2),
        heading("Unsecured", 1),
        Row("Loans from directors", figures=("10.00", "8.00"), indent=2),
        Row(
            "Less: Current maturities of long-term debt shown under short-term\nborrowings",
            figures=("(8.00)", "(4.50)"),
            indent=1,
            figures_on="last",
        ),
        total("Total", "42.18", "50.62"),
        heading("Note 6: Short-term borrowings"),
        heading("Secured", 1),
        Row("Loans repayable on demand - cash credit from banks", figures=("52.14", "51.40")),
        Row("Current maturities of long-term debt", figures=("8.00", "4.50")),
        total("Total", "60.14", "55.90"),
        Row("Note 7: Trade payables", style="heading", indent=0),
    )
    return Page(
        "Notes forming part of the financial statements for the year ended 31st March, 2025",
        TWO_YEARS,
        rows,
        unit="(Rs. in lakhs)",
    )


def write_msme_statement_pdf(path: Path) -> Path:
    """The small company's balance sheet and statement of profit and loss, one page each.

    Stable for other tests (OCR rasterises it): figures in lakhs, two years, and trade
    payables split into (A) 12.40 / 10.10 and (B) 85.32 / 70.44, the (B) label wrapped
    with its figures on the first line; TOTAL 408.50 / 361.04; revenue 812.45 / 701.30.
    """
    return write_statement_pdf(path, [msme_balance_sheet(), msme_profit_and_loss()])


# ----------------------------------------------------------------------------------------
# A listed company's Ind AS balance sheet on transition: three balance-sheet dates
# ----------------------------------------------------------------------------------------

IND_AS_YEARS = ("As at 31 March 2025", "As at 31 March 2024", "As at 1 April 2023")


def ind_as_balance_sheet(*, extra: Row | None = None) -> Page:
    """In '000; each section printed with its subtotal, as Division II lays it out."""

    def line(label: str, note: str, *figures: str, indent: int = 2) -> Row:
        return Row(label, note, figures, indent=indent)

    rows = [
        heading("ASSETS"),
        heading("Non-current assets", 1),
        line("Property, plant and equipment", "3", "45,210", "47,880", "49,120"),
        line("Capital work-in-progress", "3", "1,250", "-", "640"),
        line("Right-of-use assets", "4", "2,100", "2,600", "3,100"),
        heading("Financial assets", 2),
        line("Other financial assets", "5", "820", "790", "760", indent=3),
        line("Deferred tax assets (net)", "6", "310", "280", "255"),
        total("Total non-current assets", "49,690", "51,550", "53,875"),
        heading("Current assets", 1),
        line("Inventories", "7", "18,450", "16,920", "15,300"),
        heading("Financial assets", 2),
        line("Trade receivables", "8", "22,340", "19,870", "18,010", indent=3),
        line("Cash and cash equivalents", "9", "3,215", "2,480", "1,905", indent=3),
        line("Other current assets", "10", "1,105", "960", "875"),
        total("Total current assets", "45,110", "40,230", "36,090"),
        total("Total assets", "94,800", "91,780", "89,965", indent=0),
        heading("EQUITY AND LIABILITIES"),
        heading("Equity", 1),
        line("Equity share capital", "11", "10,000", "10,000", "10,000"),
        line("Other equity", "12", "38,420", "33,150", "29,210"),
        total("Total equity", "48,420", "43,150", "39,210"),
        heading("Liabilities", 0),
        heading("Non-current liabilities", 1),
        heading("Financial liabilities", 2),
        line("Borrowings", "13", "12,500", "15,000", "17,500", indent=3),
        line("Lease liabilities", "4", "1,650", "2,150", "2,600", indent=3),
        line("Provisions", "14", "1,230", "1,120", "1,010"),
        total("Total non-current liabilities", "15,380", "18,270", "21,110"),
        heading("Current liabilities", 1),
        heading("Financial liabilities", 2),
        line("Borrowings", "15", "9,800", "11,200", "10,450", indent=3),
        line("Lease liabilities", "4", "500", "450", "500", indent=3),
        Row("Trade payables", "16", style="heading", indent=3),
        Row(
            "Total outstanding dues of micro enterprises and small\nenterprises",
            figures=("2,140", "1,870", "1,655"),
            indent=4,
            figures_on="last",
        ),
        Row(
            "Total outstanding dues of creditors other than micro\n"
            "enterprises and small enterprises",
            figures=("14,260", "13,420", "13,940"),
            indent=4,
            figures_on="last",
        ),
        line("Other current liabilities", "17", "3,700", "3,150", "2,830"),
        line("Current tax liabilities (net)", "18", "600", "270", "270"),
        total("Total current liabilities", "31,000", "30,360", "29,645"),
        total("Total liabilities", "46,380", "48,630", "50,755"),
        total("Total equity and liabilities", "94,800", "91,780", "89,965", indent=0),
    ]
    if extra is not None:
        rows.insert(rows.index(heading("Current assets", 1)), extra)
    return Page(
        "Balance Sheet as at 31 March 2025",
        IND_AS_YEARS,
        tuple(rows),
        unit="(Rs. in '000)",
        company="Demo Engineering Limited",
        header_size=7,
        footer=SIGNATURES,
    )


# ----------------------------------------------------------------------------------------
# A statement of profit and loss in crores, in a file of its own
# ----------------------------------------------------------------------------------------


def crores_profit_and_loss() -> Page:
    rows = (
        heading("Income"),
        Row("Revenue from operations", "19", ("1,245.60", "1,108.35")),
        Row("Other income", "20", ("18.42", "15.10")),
        total("Total income", "1,264.02", "1,123.45"),
        heading("Expenses"),
        Row("Cost of materials consumed", "21", ("702.15", "640.80")),
        Row("Employee benefits expense", "22", ("148.30", "132.65")),
        Row("Finance costs", "23", ("36.75", "41.20")),
        Row("Depreciation and amortisation expense", "3", ("52.40", "49.95")),
        Row("Other expenses", "24", ("171.12", "150.05")),
        total("Total expenses", "1,110.72", "1,014.65"),
        Row("Profit before tax", figures=("153.30", "108.80"), indent=0),
        heading("Tax expense", 0),
        Row("Current tax", figures=("38.60", "27.30")),
        Row("Deferred tax", figures=("1.05", "(0.40)")),
        total("Total tax expense", "39.65", "26.90"),
        Row("Profit for the year", figures=("113.65", "81.90"), indent=0),
        heading("Other comprehensive income", 0),
        Row("Remeasurement of defined benefit plans", figures=("(0.85)", "0.30")),
        Row("Total comprehensive income for the year", figures=("112.80", "82.20"), indent=0),
    )
    return Page(
        "Statement of Profit and Loss for the year ended 31 March 2025",
        ("FY 2024-25", "FY 2023-24"),
        rows,
        unit="(All amounts in Rs. crores, unless otherwise stated)",
        company="Demo Engineering Limited",
    )
