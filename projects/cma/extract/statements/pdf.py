"""The entry point: a PDF opened with pdfplumber and its statements read page by page.

Pages without a text layer are counted (a scanned page is reported, not guessed at);
a password, damage or a PDF with no statement is refused with an ExtractionError that
says what to upload instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from projects.cma.extract.statements.lines import _lines
from projects.cma.extract.statements.page import _read_page, _State
from projects.cma.extract.statements.totals import _apply_user_year, _totals
from projects.cma.records import ExtractedItem, Extraction, ExtractionError

__all__ = ["extract_pdf"]

Progress = Callable[[int, int], None]

# Fewer characters than this on a page is a stamp or a page number, not a statement.
_MIN_CHARS = 25


def extract_pdf(
    path: Path, *, fiscal_year: str | None, progress: Progress | None = None
) -> Extraction:
    """The balance sheet and statement of profit and loss in a PDF, every year it shows."""
    items: list[ExtractedItem] = []
    warnings: list[str] = []
    state = _State()
    scanned_pages: list[int] = []
    textless: list[int] = []
    try:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                # A scanner's "Scanned by ..." stamp is text too, but no statement.
                if sum(1 for char in page.chars if not char["text"].isspace()) < _MIN_CHARS:
                    textless.append(number)
                    if page.images:
                        scanned_pages.append(number)
                else:
                    deduped = page.dedupe_chars()  # fake bold prints every letter twice
                    _read_page(number, _lines(deduped, number), state, items, fiscal_year, path)
                page.close()  # a long annual report's pages are not all kept in memory
                if progress is not None:
                    progress(number, pages)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise ExtractionError(
                f"{path.name} is password-protected. Save or print a copy without the "
                "password and upload that."
            ) from exc
        raise _unreadable(path) from exc
    except ExtractionError:
        raise
    except Exception as exc:
        raise _unreadable(path) from exc
    if len(textless) == pages:
        raise ExtractionError(
            f"{path.name} has no text layer (it looks scanned), so its figures cannot be "
            "read. Upload the PDF as exported from the accounting software, or the trial "
            "balance as Excel."
        )
    if not items:
        if state.headers == 0:
            raise ExtractionError(
                f"No balance sheet or statement of profit and loss was found in {path.name}: "
                'no column is headed with a year (such as "As at 31.03.2025").'
            )
        raise ExtractionError(
            f"No balance sheet or statement of profit and loss was found in {path.name}: it "
            "has year columns, but no line under an \u201cEQUITY AND LIABILITIES\u201d, "
            "\u201cASSETS\u201d, \u201cINCOME\u201d or \u201cEXPENSES\u201d heading or a "
            "statement title."
        )
    if scanned_pages and items:
        listed = ", ".join(str(number) for number in scanned_pages)
        warnings.append(
            f"Page {listed} of {path.name} has no text layer (it looks scanned) and was not read."
            if len(scanned_pages) == 1
            else f"Pages {listed} of {path.name} have no text layer (they look scanned) and "
            "were not read."
        )
    if state.unit is None:
        warnings.append(
            f"{path.name} has no line saying which unit its figures are in (such as "
            '"\u20b9 in lakhs"); they were read as rupees.'
        )
    items, totals = _apply_user_year(
        items, _totals(state, path, warnings), fiscal_year, path, warnings
    )
    years = sorted({item.year for item in items})
    items.sort(key=lambda item: item.year)
    return Extraction(
        items=items, years=years, basis="statements", totals=totals, warnings=warnings
    )


def _unreadable(path: Path) -> ExtractionError:
    return ExtractionError(
        f"{path.name} could not be read as a PDF; it may be damaged or incomplete. Save or "
        "download a fresh copy and upload that."
    )
