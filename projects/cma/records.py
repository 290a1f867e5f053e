"""The plain records the CMA engine passes between its parts (no ORM, no Django).

extract → ExtractedItem (what a file says) → classify → Suggestion (which head) →
forms (per-year totals by head → Forms II-VI, ratios, key figures) → workbook.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Side = Literal["Dr", "Cr"]
# Where a year's figures come from: a trial balance (closing stock apart, the P&L
# ledger holding the opening surplus) or final statements (Schedule III).
Basis = Literal["trial_balance", "statements"]


@dataclass(frozen=True)
class ExtractedItem:
    year: str  # fiscal year, "2023-24"
    label: str  # the ledger or statement line as written, stripped
    amount: Decimal  # rupees, >= 0, the unit line already applied
    side: Side  # the side the balance sits on
    source: str  # where it came from: "Trial Balance!A12" or "page 2, line 14"
    section: str = ""  # the heading it sat under ("EQUITY AND LIABILITIES", a Tally group)
    closing_stock: bool = False  # a closing-stock line (a sheet of its own, or marked)
    basis: Basis = "trial_balance"
    # Read by OCR from a scanned page: how sure the engine was of this line's words and
    # figures (0..1). None for a text layer or a spreadsheet. Low values go to review.
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class SkippedRow:
    """A row of a file that did not become a line item, and why: shown to the user per file.

    ``kind`` is "total" for a printed total or subtotal that matched the rows under it (a
    checksum that passed), "ignored" for anything else left out (a heading, a title, a
    blank or zero line, a line computed from others), with the reason in words.
    """

    source: str  # "Trial Balance!A12", "page 2, line 14"
    text: str  # the row as read, shortened to what a person recognises
    reason: str  # "a total: matches the 6 lines above it", "a heading"
    kind: Literal["total", "ignored"] = "ignored"


@dataclass(frozen=True)
class Extraction:
    """Everything read from one file."""

    items: list[ExtractedItem]
    years: list[str]  # fiscal years the file covers, sorted
    basis: Basis
    # Per year: the file's own totals (debit, credit) for a trial balance, or the
    # balance sheet's (total assets, total liabilities) for statements; for cross-checks.
    totals: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Every row that is not an item: matched totals and ignored rows, with the reason.
    skipped: list[SkippedRow] = field(default_factory=list)
    # The entity the file names (a title row, the statement's heading, Tally's company),
    # as printed; "" when it names none. Compared across a project's files.
    company: str = ""
    # Ledger name -> its group chain, nearest first ("Sundry Creditors / Current
    # Liabilities"), from a file that lists ledgers with their groups (Tally's masters).
    # Applied by the extract step to the items of the project's other files.
    ledger_groups: dict[str, str] = field(default_factory=dict)


class ExtractionError(Exception):
    """The file cannot be used; the message is shown to the firm's staff as it is."""

    # True when the file can be used as it is once the user accepts what the message
    # says (a total that does not add up, a year that differs from the one chosen).
    acceptable: bool = False


class MismatchError(ExtractionError):
    """A printed total disagrees with what was read under it, or the file contradicts the
    year chosen for it. Raised only when the caller has not accepted mismatches; with
    ``accept_mismatches`` the same message becomes one of the extraction's warnings."""

    acceptable = True


@dataclass(frozen=True)
class Suggestion:
    head: str | None  # a head id of projects.cma.heads, or None when nothing fits
    confidence: float  # 0..1
    method: str  # "learned", "synonym", "fuzzy", "section", "none"
    alternatives: tuple[tuple[str, float], ...] = ()  # next best (head, confidence), best first
    # What decided it, in words a CA reads: "the group Sundry Creditors", "learned from
    # the firm's decision", "the word 'salary' in the label". Shown with the item.
    evidence: tuple[str, ...] = ()
