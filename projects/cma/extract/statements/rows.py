"""A statement's lines as read, before it is known which of them are totals.

Reading a page (`page`) records every line as a `StatementRow`: one with figures, or one
without and the reason it holds none (a heading, a title, part of a wrapped label). Only
once a whole statement is read can its rows be resolved (`checksums`): a printed total is
told from an item by whether the rows above it add up to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from projects.cma.records import Side

__all__ = ["Figure", "NoteTitle", "StatementRow"]

BALANCE_SHEET = "Balance Sheet"
PROFIT_AND_LOSS = "Statement of Profit and Loss"
NOTE = "Note"


@dataclass(frozen=True)
class Figure:
    """One year's amount on a line, as printed (in the statement's unit, signed)."""

    value: Decimal  # negative for "(1.20)" or "-1.20"
    quantum: Decimal  # the last digit printed: the figure is exact to half of it
    side: Side | None  # when the line prints "Dr"/"Cr"


@dataclass(frozen=True)
class NoteTitle:
    """A note to the accounts that details a face line: "Note 5 Long-term borrowings"."""

    number: str
    title: str

    @property
    def name(self) -> str:
        return f"Note {self.number} {self.title}"


@dataclass
class StatementRow:
    page: int
    number: int
    text: str  # the line as read
    label: str = ""  # wrapped parts joined, the note number taken out
    figures: dict[str, Figure] = field(default_factory=dict)  # fiscal year -> figure
    statement: str | None = None  # BALANCE_SHEET, PROFIT_AND_LOSS or NOTE
    kind: str | None = None  # "liabilities", "assets", "income", "expenses"
    section: str = ""
    natural: Side = "Dr"  # the side a positive figure sits on
    subtracts: bool = False  # "Less: ...": taken away from the lines above it
    block: int = 0  # one statement (or note) as printed, pages apart or not
    scope: int = 0  # a kind heading starts a new one: totals never sum across it
    sub_scope: int = 0  # a sub-heading starts a new one: where a subtotal's lines begin
    unit: Decimal | None = None  # the unit in force when the line was read
    reason: str = ""  # a row without figures: why it is not an item
    derived: str = ""  # a line computed from others: what it is
    note_ref: str | None = None  # the Note column beside a face line
    note: NoteTitle | None = None  # the note this row was read in
    confidence: float | None = None

    @property
    def source(self) -> str:
        return f"page {self.page}, line {self.number}"

    @property
    def shown(self) -> str:
        """The row as a person recognises it, shortened."""
        text = " ".join(self.text.split())
        return text if len(text) <= 90 else f"{text[:87]}..."
