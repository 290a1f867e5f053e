"""The entry point: a PDF opened with pdfplumber and its statements read page by page.

Pages without a text layer are counted (a scanned page is reported, not guessed at);
a password, damage or a PDF with no statement is refused with an ExtractionError that
says what to upload instead. Once every page is read, each printed total is checked
against the rows above it (`checksums`), borrowings notes replace the face lines they
add up to (`notes`), and every line that is not an item is listed with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from projects.cma.extract.statements.checksums import Resolved, resolve
from projects.cma.extract.statements.company import company_name
from projects.cma.extract.statements.lines import page_lines
from projects.cma.extract.statements.notes import apply_notes
from projects.cma.extract.statements.ocr import ScannedPages
from projects.cma.extract.statements.page import State, read_page
from projects.cma.extract.statements.rows import StatementRow
from projects.cma.extract.statements.totals import apply_user_year, balance_sheet_totals
from projects.cma.records import (
    ExtractedItem,
    Extraction,
    ExtractionError,
    MismatchError,
    SkippedRow,
)

__all__ = ["extract_pdf"]

Progress = Callable[[int, int], None]

# Fewer characters than this on a page is a stamp or a page number, not a statement.
_MIN_CHARS = 25
_RUPEE = Decimal(1)
# Rows that show a page holds a statement; a page without any is skipped as a whole.
_STATEMENT_REASONS = frozenset(
    {"the column headings", "the statement's title", "a heading", "a sub-heading"}
)


def extract_pdf(
    path: Path,
    *,
    name: str | None = None,
    fiscal_year: str | None,
    accept_mismatches: bool = False,
    progress: Progress | None = None,
) -> Extraction:
    """The balance sheet and statement of profit and loss in a PDF, every year it shows.

    Every printed total must equal the rows read under it: one that does not raises
    MismatchError naming the amount missing, or with ``accept_mismatches`` becomes a
    warning. ``name`` is the file's name as uploaded, used in every message.
    """
    name = name or path.name
    items: list[ExtractedItem] = []
    warnings: list[str] = []
    state = State(name=name)
    scanned_pages: list[int] = []
    textless: list[int] = []
    scans = ScannedPages()
    try:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                # A scanner's "Scanned by ..." stamp is text too, but no statement.
                if sum(1 for char in page.chars if not char["text"].isspace()) < _MIN_CHARS:
                    # A scan is read by OCR; only without the engine is it left unread.
                    if not (
                        page.images
                        and scans.read_page(
                            page, number, state, items, fiscal_year, path, name=name
                        )
                    ):
                        textless.append(number)
                        if page.images:
                            scanned_pages.append(number)
                else:
                    deduped = page.dedupe_chars()  # fake bold prints every letter twice
                    read_page(number, page_lines(deduped, number), state, items, fiscal_year, path)
                page.close()  # a long annual report's pages are not all kept in memory
                if progress is not None:
                    progress(number, pages)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise ExtractionError(
                f"{name} is password-protected. Save or print a copy without the "
                "password and upload that."
            ) from exc
        raise _unreadable(name) from exc
    except ExtractionError:
        raise
    except Exception as exc:
        raise _unreadable(name) from exc
    # Rows become items only now, once every total can be checked.
    unit = state.unit or _RUPEE
    resolved = resolve(state.rows, name=name, unit=unit)
    items = [item for _index, made in sorted(resolved.items.items()) for item in made]
    unread_scan = scans.no_statement_error(name, pages) if not items else None
    if unread_scan is not None:
        raise unread_scan
    if len(textless) == pages:
        raise ExtractionError(
            f"{name} has no text layer (it looks scanned), so its figures cannot be "
            "read. Upload the PDF as exported from the accounting software, or the trial "
            "balance as Excel."
        )
    if not items:
        if state.headers == 0:
            raise ExtractionError(
                f"No balance sheet or statement of profit and loss was found in {name}: "
                'no column is headed with a year (such as "As at 31.03.2025").'
            )
        raise ExtractionError(
            f"No balance sheet or statement of profit and loss was found in {name}: it "
            "has year columns, but no line under an \u201cEQUITY AND LIABILITIES\u201d, "
            "\u201cASSETS\u201d, \u201cINCOME\u201d or \u201cEXPENSES\u201d heading or a "
            "statement title."
        )
    if resolved.mismatches:
        if not accept_mismatches:
            raise MismatchError("\n".join(resolved.mismatches))
        warnings.extend(resolved.mismatches)
    if scanned_pages:
        warnings.append(textless_warning(name, scanned_pages))
    warnings.extend(scans.warnings(name))
    if state.unit is None:
        warnings.append(
            f"{name} has no line saying which unit its figures are in (such as "
            '"\u20b9 in lakhs"); they were read as rupees.'
        )
    totals = balance_sheet_totals(state.rows, resolved, unit, name, warnings)
    apply_notes(state.rows, resolved, unit, name, warnings)
    items = [item for _index, made in sorted(resolved.items.items()) for item in made]
    items, totals = apply_user_year(
        items, totals, fiscal_year, name, warnings, accept_mismatches=accept_mismatches
    )
    years = sorted({item.year for item in items})
    items.sort(key=lambda item: item.year)
    return Extraction(
        items=items,
        years=years,
        basis="statements",
        totals=totals,
        warnings=warnings,
        skipped=_skipped(state.rows, resolved),
        company=company_name(state.rows),
    )


def _skipped(rows: list[StatementRow], resolved: Resolved) -> list[SkippedRow]:
    """Every row that is not an item, in page order; a page with no statement as one row."""
    statement_pages = {
        row.page for row in rows if row.statement is not None or row.reason in _STATEMENT_REASONS
    }
    skipped: list[SkippedRow] = []
    counted: dict[int, int] = {}
    for index, row in enumerate(rows):
        if index in resolved.items:
            continue
        if row.page in statement_pages:
            skipped.append(resolved.skipped[index])
        else:
            counted[row.page] = counted.get(row.page, 0) + 1
    for page, count in sorted(counted.items()):
        skipped.append(
            SkippedRow(
                f"page {page}",
                f"{count} lines",
                "no balance sheet, statement of profit and loss or borrowings note on this page",
            )
        )
    return skipped


def _unreadable(name: str) -> ExtractionError:
    return ExtractionError(
        f"{name} could not be read as a PDF; it may be damaged or incomplete. Save or "
        "download a fresh copy and upload that."
    )


def textless_warning(name: str, pages: list[int]) -> str:
    """What the staff are told of pages with no text layer that were left unread."""
    listed = ", ".join(str(number) for number in pages)
    if len(pages) == 1:
        return f"Page {listed} of {name} has no text layer (it looks scanned) and was not read."
    return f"Pages {listed} of {name} have no text layer (they look scanned) and were not read."
