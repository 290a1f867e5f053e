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


class ExtractionError(Exception):
    """The file cannot be used; the message is shown to the firm's staff as it is."""


@dataclass(frozen=True)
class Suggestion:
    head: str | None  # a head id of projects.cma.heads, or None when nothing fits
    confidence: float  # 0..1
    method: str  # "learned", "synonym", "fuzzy", "section", "none"
    alternatives: tuple[tuple[str, float], ...] = ()  # next best (head, confidence), best first
