"""Reading a client's file into line items: trial balances and Schedule III statements.

Pure Python: no Django, no database. The caller has already decided the file's kind from
its bytes (projects.uploads); this package only reads it, and refuses it with an
ExtractionError whose message the firm's staff can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from projects.cma.extract.numbers import format_inr, parse_amount
from projects.cma.records import Extraction, ExtractionError
from projects.cma.years import parse_fiscal_year

__all__ = ["SPREADSHEET_KINDS", "extract_file", "format_inr", "parse_amount"]

SPREADSHEET_KINDS = frozenset({"xlsx", "xls", "xlsb", "ods"})
# ₹100 lakh crore: more than any Indian company's books hold. A larger figure is a
# misread (an account number in an amount column, a unit applied twice), not a balance.
MAX_AMOUNT = Decimal(10) ** 15


def extract_file(
    *,
    path: str | Path,
    kind: str,
    name: str | None = None,
    fiscal_year: str | None = None,
    accept_mismatches: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Extraction:
    """Every line item in one uploaded file.

    ``kind`` is "xlsx", "xls", "xlsb", "ods", "csv", "pdf" or "xml" (Tally). ``name`` is
    the name the user uploaded it under: every message names the file by it, never by
    the stored path. ``fiscal_year`` is the user's choice ("2023-24"): it is used for a
    file that names no year; a one-year file that names another year raises
    MismatchError. ``accept_mismatches``: the user has accepted the file as it is, so a
    printed total that does not add up, or a year that differs from the chosen one,
    becomes a warning instead of a MismatchError. ``progress(done, total)`` is called as
    rows or pages are read. Raises ExtractionError when the file cannot be used.
    """
    path = Path(path)
    name = name or path.name
    year = None
    if fiscal_year:
        year = parse_fiscal_year(fiscal_year)
        if year is None:
            raise ExtractionError(f'"{fiscal_year}" is not a fiscal year; write it like "2023-24".')
    if not path.is_file():
        raise ExtractionError(f"{name} is missing on the server; upload it again.")
    options: dict[str, Any] = {
        "name": name,
        "fiscal_year": year,
        "accept_mismatches": accept_mismatches,
        "progress": progress,
    }
    return _within_reason(_read(path, kind, options), name)


def _read(path: Path, kind: str, options: dict[str, Any]) -> Extraction:
    # Imported here so that reading a CSV never loads the PDF machinery, and the reverse.
    if kind in SPREADSHEET_KINDS:
        from projects.cma.extract.trial_balance import extract_workbook

        return extract_workbook(path, **options)
    if kind == "csv":
        from projects.cma.extract.trial_balance import extract_csv

        return extract_csv(path, **options)
    if kind == "pdf":
        from projects.cma.extract.statements import extract_pdf
        from projects.cma.extract.trial_balance.printed import read_printed_trial_balance

        # A trial balance printed to PDF has a trial balance's header (Particulars, Debit,
        # Credit); anything else, scans included, is read as Schedule III statements.
        printed = read_printed_trial_balance(path, **options)
        if printed is not None:
            return printed
        return extract_pdf(path, **options)
    if kind == "xml":
        from projects.cma.extract.tally import extract_tally_xml

        return extract_tally_xml(path, **options)
    raise ValueError(f"unknown file kind {kind!r}")


def _within_reason(extraction: Extraction, name: str) -> Extraction:
    for item in extraction.items:
        if item.amount > MAX_AMOUNT:
            raise ExtractionError(
                f"{name}: {item.source} (\u201c{item.label[:80]}\u201d) holds "
                f"\u20b9{format_inr(item.amount)}, more than any real book holds. It may be "
                "an account number in an amount column, or a unit applied twice; correct the "
                "file and upload it again."
            )
    return extraction
