"""A year's books as the forms see them: the total of each head, signed by its normal side.

Everything downstream (the forms, the checks, the workbook's Inputs sheet) starts from
these totals, so they are kept exact (Decimal, never float) and unrounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from projects.cma.heads import head
from projects.cma.records import Basis
from projects.cma.years import fiscal_year_label

__all__ = ["BASES", "Period", "YearBooks", "books_from_items", "previous_year", "year_start"]

BASES: tuple[Basis, ...] = ("trial_balance", "statements")
_YEAR = re.compile(r"(\d{4})-(\d{2})")
ZERO = Decimal(0)


def year_start(year: str) -> int:
    """1 April of which year "2023-24" starts in; ValueError for anything else."""
    match = _YEAR.fullmatch(year)
    if match is None or fiscal_year_label(int(match[1])) != year:
        raise ValueError(f"Not a fiscal year label like '2023-24': {year!r}")
    return int(match[1])


def previous_year(year: str) -> str:
    """The fiscal year before: "2024-25" -> "2023-24"."""
    return fiscal_year_label(year_start(year) - 1)


@dataclass(frozen=True)
class YearBooks:
    """One fiscal year: its basis and, per head that has line items, their signed total.

    A head missing from ``heads`` was not given at all, which is not the same as a head whose
    items add up to zero: an opening stock that was not given falls back to the previous
    year's closing stock, one given as 0 is 0 (see ``given``).
    """

    year: str
    basis: Basis
    heads: Mapping[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        year_start(self.year)
        if self.basis not in BASES:
            raise ValueError(f"Unknown basis {self.basis!r}: use one of {', '.join(BASES)}")
        for head_id, amount in self.heads.items():
            head(head_id)  # KeyError naming an unknown head
            if not isinstance(amount, Decimal):
                raise TypeError(f"{head_id}: amounts are Decimal, got {type(amount).__name__}")
        # A private copy: the caller's dict must not change the books after the fact.
        object.__setattr__(self, "heads", dict(self.heads))

    def head(self, head_id: str) -> Decimal:
        """The head's total this year; 0 when no line item has it."""
        head(head_id)
        return self.heads.get(head_id, ZERO)

    def given(self, head_id: str) -> bool:
        return head_id in self.heads


@dataclass(frozen=True)
class Period:
    """A year seen from the forms: its books and the immediately preceding year's, if any.

    Only the fiscal year right before counts as "previous": with 2021-22 and 2023-24 the
    opening stock of 2023-24 is not 2021-22's closing stock.
    """

    books: YearBooks
    previous: YearBooks | None = None

    def __post_init__(self) -> None:
        if self.previous is not None and self.previous.year != previous_year(self.books.year):
            raise ValueError(f"{self.previous.year} is not the year before {self.books.year}")

    @property
    def year(self) -> str:
        return self.books.year

    @property
    def basis(self) -> Basis:
        return self.books.basis


def books_from_items(
    items: Iterable[tuple[str, str, Decimal, str]], bases: Mapping[str, Basis]
) -> list[YearBooks]:
    """Per-year head totals from (year, head_id, amount, side) line items, sorted by year.

    An item on its head's normal side adds, one on the other side subtracts: a P&L surplus
    ledger with a debit balance is a deficit, a change in inventories on the credit side is
    an increase in stock. Every year named by an item or by ``bases`` gets its books (a year
    with no items still shows up, so that the checks can say it has no sales). A year
    without a basis is refused rather than guessed: the two bases compute different figures.
    """
    totals: dict[str, dict[str, Decimal]] = {year: {} for year in bases}
    for year, head_id, amount, side in items:
        if year not in bases:
            raise ValueError(f"No basis (trial balance or statements) given for {year}")
        if not isinstance(amount, Decimal):
            # Money stays Decimal end to end: a float here has already lost paise.
            raise TypeError(f"Amounts are Decimal, got {type(amount).__name__} for {head_id}")
        if side not in ("Dr", "Cr"):
            raise ValueError(f"Side is 'Dr' or 'Cr', got {side!r} for {head_id}")
        signed = amount if side == head(head_id).normal else -amount
        year_heads = totals[year]
        year_heads[head_id] = year_heads.get(head_id, ZERO) + signed
    return [YearBooks(year, bases[year], totals[year]) for year in sorted(totals, key=year_start)]
