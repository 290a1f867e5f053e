"""Statements printed by Chromium from HTML (tests/projects/cma/printed.py): a producer,
fonts and a table layout the reader was not written against. Each reaches its figures
to the rupee, or stops naming the amount missing."""

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from projects.cma.extract import extract_file
from projects.cma.records import MismatchError
from tests.projects.cma.printed import balance_sheet_html, print_pdf, profit_and_loss_html

LAKH = Decimal(100_000)
MSME_A = "(A) total outstanding dues of micro enterprises and small enterprises; and"
MSME_B = (
    "(B) total outstanding dues of creditors other than micro enterprises and small enterprises"
)


class Printed:
    """Pages printed by headless Chromium (a browser start and a second or so a print),
    each printed once for the module: the tests only read the PDFs."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.pdfs: dict[tuple[str, str], Path] = {}

    def pdf(self, html: str, name: str) -> Path:
        if (html, name) not in self.pdfs:
            self.pdfs[html, name] = print_pdf(html, self.factory.mktemp("printed") / name)
        return self.pdfs[html, name]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Printed:
    return Printed(tmp_path_factory)


def read(path, **options):
    return extract_file(path=path, kind="pdf", name=path.name, **options)


def amounts(extraction, year):
    return {item.label: (item.amount, item.side) for item in extraction.items if item.year == year}


@pytest.mark.parametrize("valign", ["top", "bottom"])
def test_a_printed_balance_sheet_with_wrapped_headings_and_msme_lines_reaches_its_totals(
    printed, valign
):
    """Figures on the first line of a wrapped label (top) or on its last (bottom)."""
    extraction = read(printed.pdf(balance_sheet_html(valign=valign), "bs.pdf"))
    assert extraction.years == ["2023-24", "2024-25"]
    assert extraction.company == "KAVERI AGRO FOODS PRIVATE LIMITED"
    current = amounts(extraction, "2024-25")
    assert current[MSME_A] == (Decimal("18.44") * LAKH, "Cr")
    assert current[MSME_B] == (Decimal("96.73") * LAKH, "Cr")
    assert amounts(extraction, "2023-24")[MSME_B] == (Decimal("84.51") * LAKH, "Cr")
    for year, total in (("2024-25", "656.01"), ("2023-24", "581.85")):
        items = [i for i in extraction.items if i.year == year]
        liabilities = sum(i.amount for i in items if i.side == "Cr")
        assets = sum(i.amount for i in items if i.side == "Dr")
        assert liabilities == assets == Decimal(total) * LAKH
        assert extraction.totals[year] == (Decimal(total) * LAKH, Decimal(total) * LAKH)
    assert "Capital work-in-progress" in "".join(current)
    headings = [row for row in extraction.skipped if row.reason == "the column headings"]
    assert len(headings) >= 2  # "As at" / "31st" / "March," / "2025" over several lines
    assert sum(1 for row in extraction.skipped if row.kind == "total") == 2


def test_a_line_lost_from_a_printed_balance_sheet_is_named_by_its_total(tmp_path):
    path = print_pdf(balance_sheet_html(drop="(B) total"), tmp_path / "bs.pdf")
    with pytest.raises(MismatchError) as refused:
        read(path)
    message = str(refused.value)
    assert "bs.pdf" in message
    assert "₹96,73,000 is missing" in message and "₹84,51,000 is missing" in message
    assert "Trade payables" in message  # a nearby line that could hold it

    accepted = read(path, accept_mismatches=True)
    assert any("₹96,73,000 is missing" in warning for warning in accepted.warnings)
    assert MSME_B not in amounts(accepted, "2024-25")


def test_a_printed_profit_and_loss_in_thousands_reads_every_figure(tmp_path):
    extraction = read(print_pdf(profit_and_loss_html(), tmp_path / "pl.pdf"))
    assert extraction.warnings == []  # the unit line was read
    current = amounts(extraction, "2024-25")
    assert current["I. Revenue from operations"] == (Decimal(124_518_000), "Cr")
    changes = "Changes in inventories of finished goods, work-in-progress and Stock-in-Trade"
    assert current[changes] == (Decimal(2_185_000), "Cr")  # an increase, in brackets
    assert current["(1) Current tax"] == (Decimal(1_180_000), "Dr")
    expenses = sum(a for a, side in current.values() if side == "Dr")
    income = sum(a for a, side in current.values() if side == "Cr")
    # Profit for the period: 3,746 thousand, after tax.
    assert income - expenses == Decimal(3_746_000)
    reasons = {row.text.split(" (")[0]: row.reason for row in extraction.skipped}
    assert reasons["VI. Exceptional items - -"] == "nil in every year"
    assert sum(1 for row in extraction.skipped if row.kind == "total") == 2


def test_a_printed_balance_sheet_scanned_with_pdftoppm_and_img2pdf_reads_the_same(
    tmp_path, printed
):
    for tool in ("tesseract", "pdftoppm", "img2pdf"):
        if not shutil.which(tool):
            if os.getenv("CI"):
                pytest.fail(f"{tool} is missing: .ci/run must install it")
            pytest.skip(f"{tool} is not installed")
    text_pdf = printed.pdf(balance_sheet_html(), "bs.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", text_pdf, tmp_path / "page"], check=True
    )
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    scanned = tmp_path / "scan.pdf"
    subprocess.run(["img2pdf", *pages, "-o", scanned], check=True)
    extraction = read(scanned)
    text_layer = read(text_pdf)
    assert {(i.year, i.amount, i.side) for i in extraction.items} == {
        (i.year, i.amount, i.side) for i in text_layer.items
    }
    assert extraction.totals == text_layer.totals
    assert all(item.ocr_confidence is not None for item in extraction.items)
