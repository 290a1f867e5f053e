"""OCR of scanned statements: time per page and how many figures come out right.

    .venv/bin/python bench/ocr.py [--runs 1]

The sample statement PDF (and the MSME statement of tests/projects/cma/pdf_files.py when
it exists) is scanned in memory at 200 and 300 dpi, and once badly (200 dpi, turned a
degree, softened, a poor JPEG), then read by OCR through extract_file. Each scan's items
are compared with what the text layer gives: figures read exactly (year, amount, side),
items read exactly (and the label), items sent to review (confidence below
REVIEW_BELOW), wrong items that were not sent to review, and whether every checksum
passed. Prints figures only; records nothing.
"""

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from projects.cma.extract import extract_file  # noqa: E402
from projects.cma.extract.statements.ocr import REVIEW_BELOW  # noqa: E402
from tests.projects.cma.test_ocr import SGP, noisy_scan, scan_pdf  # noqa: E402

CHECKSUM_WORDS = ("add up", "does not balance", "total says")


def sources(folder: Path) -> list[tuple[str, Path]]:
    found = [("sample statements", SGP / "financial-statements.pdf")]
    try:
        from tests.projects.cma.pdf_files import write_msme_statement_pdf
    except ImportError:
        return found
    path = folder / "msme.pdf"
    write_msme_statement_pdf(path)
    return [*found, ("MSME statement", path)]


def measure(name: str, source: Path, scan: Path, pages: int, runs: int) -> None:
    truth = extract_file(path=source, kind="pdf", accept_mismatches=True)
    started = time.perf_counter()
    for _ in range(runs):
        read = extract_file(path=scan, kind="pdf", accept_mismatches=True)
    per_page = (time.perf_counter() - started) / runs / pages
    want = Counter((i.year, i.amount, i.side) for i in truth.items)
    got = Counter((i.year, i.amount, i.side) for i in read.items)
    exact_figures = sum((want & got).values())
    labelled = Counter((i.year, i.amount, i.side, i.label) for i in truth.items)
    right = {(i.year, i.amount, i.side, i.label) for i in read.items} & set(labelled)
    exact_items = sum(labelled[key] for key in right)
    review = [i for i in read.items if (i.ocr_confidence or 0) < REVIEW_BELOW]
    unflagged_wrong = [
        i
        for i in read.items
        if (i.year, i.amount, i.side, i.label) not in labelled
        and (i.ocr_confidence or 0) >= REVIEW_BELOW
    ]
    checks = [w for w in read.warnings if any(word in w for word in CHECKSUM_WORDS)]
    total = sum(want.values())
    print(
        f"{name:38} {per_page:6.2f} s/page  figures {exact_figures}/{total} "
        f"({exact_figures / total:.1%})  items {exact_items}/{total}  "
        f"review {len(review)}  wrong-unflagged {len(unflagged_wrong)}  "
        f"checksums {'passed' if not checks and read.totals == truth.totals else 'FAILED'}"
    )
    confidences = sorted(i.ocr_confidence or 0 for i in read.items)
    if confidences:
        print(
            f"{'':38} confidence min {confidences[0]:.2f}  median "
            f"{confidences[len(confidences) // 2]:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name, source in sources(Path(folder)):
            document = pdfium.PdfDocument(source)
            pages = len(document)
            document.close()
            for label, build in (
                ("300 dpi", lambda s, t: scan_pdf(s, t, dpi=300)),
                ("200 dpi", lambda s, t: scan_pdf(s, t, dpi=200)),
                ("200 dpi skewed 1°, blurred, JPEG q35", noisy_scan),
            ):
                scan = build(source, Path(folder) / "scan.pdf")
                measure(f"{name}, {label}", source, scan, pages, args.runs)


if __name__ == "__main__":
    main()
