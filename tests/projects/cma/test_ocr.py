"""Scanned statements read by OCR: the sample statement scanned clean and badly, figures
damaged the usual ways, and a server without the OCR engine."""

import io
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageFilter

from projects.cma.extract import extract_file
from projects.cma.extract.statements import ocr
from projects.cma.extract.statements.ocr import REVIEW_BELOW, repair_amount
from projects.cma.records import Extraction, ExtractionError

SAMPLES = Path(__file__).parents[2] / "fixtures" / "samples"
SGP = SAMPLES / "shree-ganesh-polymers-private-limited"
LAKH = Decimal(100_000)


@pytest.fixture(scope="module")
def tesseract() -> None:
    if not shutil.which("tesseract"):
        if os.getenv("CI"):
            pytest.fail("tesseract is missing: .ci/run must install Debian's tesseract-ocr")
        pytest.skip("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)")


# ----------------------------------------------------------------------------------------
# Building scans
# ----------------------------------------------------------------------------------------


def page_images(pdf: Path, dpi: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def scan_pdf(
    source: Path,
    target: Path,
    *,
    dpi: int = 300,
    rotate: float = 0.0,
    jpeg_quality: int | None = None,
    blur: float = 0.0,
) -> Path:
    """``source`` printed and scanned: an image-only PDF, as a scanner writes one."""
    scans = []
    for image in page_images(source, dpi):
        if blur:
            image = image.filter(ImageFilter.GaussianBlur(blur))
        if rotate:
            image = image.rotate(rotate, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if jpeg_quality is not None:
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=jpeg_quality)
            image = Image.open(io.BytesIO(buffer.getvalue()))
        scans.append(image)
    scans[0].save(target, format="PDF", resolution=dpi, save_all=True, append_images=scans[1:])
    return target


def noisy_scan(source: Path, target: Path) -> Path:
    """A cheap office scan: 200 dpi, turned a degree, softened, saved as a poor JPEG."""
    return scan_pdf(source, target, dpi=200, rotate=1.0, jpeg_quality=35, blur=0.6)


def mixed_pdf(text_pdf: Path, scanned_pdf: Path, target: Path) -> Path:
    """Page 1 with its text layer, page 2 scanned: a PDF assembled from two sources."""
    merged = pdfium.PdfDocument.new()
    text, scanned = pdfium.PdfDocument(text_pdf), pdfium.PdfDocument(scanned_pdf)
    merged.import_pages(text, [0])
    merged.import_pages(scanned, [1])
    merged.save(target)
    for document in (merged, text, scanned):
        document.close()
    return target


def figure_key(item):
    return (item.year, item.amount, item.side)


# ----------------------------------------------------------------------------------------
# The sample statement, scanned
# ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_layer():
    return extract_file(path=SGP / "financial-statements.pdf", kind="pdf")


SCANS = {"clean-300-dpi": scan_pdf, "skewed-200-dpi-jpeg": noisy_scan}


class Scanned:
    """The sample statement scanned each way of SCANS, and what OCR read from it.

    Shared by the module: a scan takes seconds to render and several more to read, and
    the tests only look at the reading, so each scan is made and read once, when a test
    first asks for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.scans: dict[str, Path] = {}
        self.readings: dict[str, Extraction] = {}

    def scan(self, kind: str) -> Path:
        if kind not in self.scans:
            target = self.folder / f"{kind}.pdf"
            self.scans[kind] = SCANS[kind](SGP / "financial-statements.pdf", target)
        return self.scans[kind]

    def reading(self, kind: str) -> Extraction:
        if kind not in self.readings:
            self.readings[kind] = extract_file(
                path=self.scan(kind), kind="pdf", name="Statements 2025.pdf"
            )
        return self.readings[kind]


@pytest.fixture(scope="module")
def scanned(tesseract, tmp_path_factory) -> Scanned:
    return Scanned(tmp_path_factory.mktemp("scans"))


@pytest.mark.parametrize("kind", list(SCANS))
def test_scanned_sample_statement_yields_the_text_layers_figures(text_layer, scanned, kind):
    extraction = scanned.reading(kind)
    ocr_figures = sorted(figure_key(i) for i in extraction.items)
    assert ocr_figures == sorted(figure_key(i) for i in text_layer.items)
    # Every printed total matched its lines: no checksum failed.
    assert extraction.totals == text_layer.totals
    assert not [w for w in extraction.warnings if "add up" in w or "balance" in w]
    assert any("read by OCR" in w and "Statements 2025.pdf" in w for w in extraction.warnings)


@pytest.mark.parametrize("kind", list(SCANS))
def test_a_scanned_label_is_either_read_as_printed_or_sent_to_review(text_layer, scanned, kind):
    extraction = scanned.reading(kind)
    printed = {(i.year, i.amount, i.label) for i in text_layer.items}
    for item in extraction.items:
        assert 0 <= item.ocr_confidence <= 1
        if item.ocr_confidence >= REVIEW_BELOW:
            assert (item.year, item.amount, item.label) in printed
    sure = [i for i in extraction.items if i.ocr_confidence >= REVIEW_BELOW]
    assert len(sure) >= len(extraction.items) * 0.8


def test_scanned_sample_totals_agree_with_the_answer_key_within_the_statements_rounding(
    scanned,
):
    truth = json.loads((SGP / "truth.json").read_text())["key_figures"]
    extraction = scanned.reading("clean-300-dpi")
    for year, (assets, liabilities) in extraction.totals.items():
        # Printed in lakhs to two places: each figure is within half a paisa of a lakh.
        assert abs(assets - Decimal(str(truth[year]["total_assets"]))) <= LAKH / 200
        assert abs(liabilities - Decimal(str(truth[year]["total_liabilities"]))) <= LAKH / 200


def test_a_mixed_pdf_reads_its_text_page_and_its_scanned_page(tmp_path, text_layer, scanned):
    scan = scanned.scan("clean-300-dpi")
    mixed = mixed_pdf(SGP / "financial-statements.pdf", scan, tmp_path / "mixed.pdf")
    progress: list[tuple[int, int]] = []
    extraction = extract_file(
        path=mixed, kind="pdf", progress=lambda done, total: progress.append((done, total))
    )
    assert progress == [(1, 2), (2, 2)]
    assert sorted(figure_key(i) for i in extraction.items) == sorted(
        figure_key(i) for i in text_layer.items
    )
    balance_sheet = [i for i in extraction.items if i.source.startswith("page 1,")]
    profit_and_loss = [i for i in extraction.items if i.source.startswith("page 2,")]
    assert all(item.ocr_confidence is None for item in balance_sheet)
    assert profit_and_loss
    assert all(item.ocr_confidence is not None for item in profit_and_loss)


@pytest.mark.usefixtures("tesseract")
def test_scanned_msme_statement_is_read_like_its_text_layer(tmp_path):
    builders = pytest.importorskip("tests.projects.cma.pdf_files")
    if not hasattr(builders, "write_msme_statement_pdf"):
        pytest.skip("write_msme_statement_pdf is not written yet")
    source = builders.write_msme_statement_pdf(tmp_path / "msme.pdf") or tmp_path / "msme.pdf"
    text_layer = extract_file(path=source, kind="pdf", accept_mismatches=True)
    extraction = extract_file(
        path=scan_pdf(source, tmp_path / "scan.pdf"), kind="pdf", accept_mismatches=True
    )
    assert sorted(figure_key(i) for i in extraction.items) == sorted(
        figure_key(i) for i in text_layer.items
    )


# ----------------------------------------------------------------------------------------
# Figures damaged by OCR
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("12.34.567.89", "12,34,567.89"),  # every comma read as a full stop
        ("1,23,456,78", "1,23,456.78"),  # the decimal point read as a comma
        ("12.34.567", "12,34,567"),  # grouping only, no paise printed
        ("l2,3O4.5O", "12,304.50"),  # l for 1, O for 0
        ("4S,000", "45,000"),  # S for 5
        ("I,00,000.00", "1,00,000.00"),  # I for 1
        ("%1,500.00", "1,500.00"),  # the rupee sign read as a per cent sign
        ("&2,50,000", "2,50,000"),  # or as an ampersand
        ("|8,59,024.78|", "8,59,024.78"),  # table rules either side
        ("(2.71", "(2.71)"),  # a bracket's partner lost
        ("2.71)", "(2.71)"),
        ("11.16.", "11.16"),  # a speck after the figure
    ],
)
def test_damaged_figure_is_repaired_to_what_was_printed(read, meant):
    assert repair_amount(read) == meant


@pytest.mark.parametrize(
    "word", ["Sales", "IS", "Ol", "31.03.2025", "31.03.25", "2O23-24", "Note", "S1", "&"]
)
def test_words_dates_and_codes_are_not_taken_for_damaged_figures(word):
    assert repair_amount(word) in (None, word)
    assert repair_amount("1,234.56") == "1,234.56"


def fake_engine(rows):
    """Tesseract's words for a page of rows: (left px, text, confidence %) per word."""

    def recognise(image, *, name=""):
        words = []
        for line, row in enumerate(rows, start=1):
            for left, text, confidence in row:
                box = (left, 100 + line * 60, 14 * len(text), 26)
                words.append((text, confidence / 100, (1, 1, line), box))
        return words

    return recognise


DAMAGED_PAGE = [
    [(200, "Demo", 96), (320, "Industries", 96), (520, "Limited", 96)],
    [
        (200, "Balance", 96),
        (360, "Sheet", 96),
        (480, "as", 96),
        (530, "at", 96),
        (580, "31", 96),
        (640, "March", 96),
        (760, "2025", 96),
    ],
    [(200, "(All", 95), (290, "amounts", 95), (430, "in", 95), (470, "Rs.)", 95)],
    [
        (200, "Particulars", 96),
        (1250, "Note", 96),
        (1600, "As", 95),
        (1650, "at", 95),
        (1700, "31.03.2025", 95),
        (2000, "As", 95),
        (2050, "at", 95),
        (2100, "31.03.2024", 95),
    ],
    [(200, "EQUITY", 96), (330, "AND", 96), (420, "LIABILITIES", 96)],
    [
        (250, "Share", 96),
        (350, "capital", 96),
        (1250, "2", 96),
        (1700, "%10,00,000.00", 71),
        (2100, "10.00.000.00", 88),
    ],
    [
        (250, "Trade", 96),
        (350, "payables", 96),
        (1250, "3", 96),
        (1560, "|", 40),
        (1700, "4S,OOO.OO", 62),
        (2100, "(5,000.00", 83),
    ],
    [(250, "TOTAL", 96), (1700, "10,45,000.00", 94), (2100, "9,95,000.00", 94)],
    [(200, "ASSETS", 96)],
    [
        (250, "Inventories", 96),
        (1250, "4", 96),
        (1700, "10,45,000.00", 95),
        (2100, "9,95,000.00", 93),
    ],
    [(250, "TOTAL", 96), (1700, "10,45,000.00", 94), (2100, "9,95,000.00", 94)],
]


def blank_scan(path: Path, pages: int = 1) -> Path:
    images = [Image.new("L", (2480, 3508), 255) for _ in range(pages)]
    images[0].save(path, format="PDF", resolution=300, save_all=True, append_images=images[1:])
    return path


def test_damaged_scanned_figures_are_repaired_and_pass_the_balance_sheet_checksums(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr, "recognise", fake_engine(DAMAGED_PAGE))
    extraction = extract_file(path=blank_scan(tmp_path / "scan.pdf"), kind="pdf")
    got = {(i.label, i.year): (i.amount, i.side) for i in extraction.items}
    assert got == {
        ("Share capital", "2024-25"): (Decimal("1000000.00"), "Cr"),
        ("Share capital", "2023-24"): (Decimal("1000000.00"), "Cr"),
        ("Trade payables", "2024-25"): (Decimal("45000.00"), "Cr"),
        ("Trade payables", "2023-24"): (Decimal("5000.00"), "Dr"),
        ("Inventories", "2024-25"): (Decimal("1045000.00"), "Dr"),
        ("Inventories", "2023-24"): (Decimal("995000.00"), "Dr"),
    }
    assert not [w for w in extraction.warnings if "add up" in w or "balance" in w]


def test_an_items_confidence_is_the_least_sure_word_of_its_printed_row(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr, "recognise", fake_engine(DAMAGED_PAGE))
    extraction = extract_file(path=blank_scan(tmp_path / "scan.pdf"), kind="pdf")
    confidence = {(i.label, i.year): i.ocr_confidence for i in extraction.items}
    # Letters repaired into digits: never surer than a guess, and the row's doubt is
    # each of its figures' doubt.
    assert confidence[("Trade payables", "2024-25")] == 0.62
    assert confidence[("Trade payables", "2023-24")] == 0.62
    assert confidence[("Share capital", "2023-24")] == 0.71
    assert confidence[("Inventories", "2024-25")] == 0.93
    assert all(
        value < REVIEW_BELOW for (label, _), value in confidence.items() if label != "Inventories"
    )
    assert confidence[("Inventories", "2023-24")] >= REVIEW_BELOW


# ----------------------------------------------------------------------------------------
# A server without the engine
# ----------------------------------------------------------------------------------------


def test_a_scanned_pdf_without_the_ocr_engine_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda command: None)
    with pytest.raises(ExtractionError, match="OCR is not installed") as raised:
        extract_file(path=blank_scan(tmp_path / "x.pdf", 2), kind="pdf", name="Scan 2019.pdf")
    assert "apt-get install tesseract-ocr" in str(raised.value)
    assert "Scan 2019.pdf" in str(raised.value)
    assert not raised.value.acceptable


def test_a_mixed_pdf_without_the_ocr_engine_keeps_its_text_page(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda command: None)
    mixed = mixed_pdf(
        SGP / "financial-statements.pdf",
        blank_scan(tmp_path / "scan.pdf", 2),
        tmp_path / "mixed.pdf",
    )
    extraction = extract_file(path=mixed, kind="pdf")
    assert {i.source.split(",")[0] for i in extraction.items} == {"page 1"}
    assert len(extraction.items) == 36
    assert any("OCR is not installed" in w for w in extraction.warnings)
