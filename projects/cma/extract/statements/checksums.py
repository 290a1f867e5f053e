"""Every printed total a checksum: a statement's rows resolved into items and totals.

A row is a total when the rows above it add up to it, within the rounding of the figures
printed (half the last digit of each). Matched rows are replaced by the total, so that
"Total liabilities" can be the sum of two subtotals and "Total equity and liabilities"
the sum of those. A row worded as a total ("Total", "Sub-total", figures with no words)
that nothing adds up to is a mismatch: a line was lost, and the message says how much and
where it may be. A row worded otherwise that nothing adds up to is an item, which is how
"(B) total outstanding dues of creditors ..." stays an item. A row whose figures the
rows just below it add up to is a heading's total printed above its lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from projects.cma.extract.numbers import PAISA, format_inr
from projects.cma.extract.statements.page import is_total_label
from projects.cma.extract.statements.rows import BALANCE_SHEET, StatementRow
from projects.cma.records import ExtractedItem, Side, SkippedRow

__all__ = ["Resolved", "resolve", "rupees_text"]

_MAX_NEARBY = 6
_MAX_LOOKAHEAD = 30


@dataclass
class _Entry:
    """Items or a total on the stack of a statement's open lines."""

    values: dict[str, Decimal]  # year -> signed figure, as the kind's total counts it
    slack: dict[str, Decimal]  # year -> the rounding the figures allow
    rows: list[int]
    lines: int  # item lines inside
    sub_scope: int


@dataclass
class Resolved:
    """What a file's rows come to: items, skipped rows, totals and failed checksums."""

    items: dict[int, list[ExtractedItem]] = field(default_factory=dict)  # row -> items
    skipped: dict[int, SkippedRow] = field(default_factory=dict)  # row -> why not an item
    mismatches: list[str] = field(default_factory=list)
    # (block, kind) -> year -> the last printed total that covered the whole kind, rupees
    totals: dict[tuple[int, str], dict[str, Decimal]] = field(default_factory=dict)
    # row index -> the rows a total covers (for a note's total and the face line)
    covered: dict[int, list[int]] = field(default_factory=dict)


def rupees_text(amount: Decimal) -> str:
    """₹12,34,000 (paise only when there are some)."""
    text = format_inr(amount)
    return f"\u20b9{text[:-3] if text.endswith('.00') else text}"


def resolve(rows: list[StatementRow], *, name: str, unit: Decimal) -> Resolved:
    """Items and totals of every statement in ``rows``; ``unit`` is the file's default."""
    resolved = _Resolver(rows, name, unit)
    resolved.run()
    return resolved.result


def contribution(row: StatementRow, year: str) -> Decimal:
    """A row's figure as its statement's total counts it: a debit under liabilities, or a
    "Less:" line, is taken away."""
    figure = row.figures[year]
    value = figure.value
    normal = "Cr" if row.kind in ("liabilities", "income") or row.kind is None else "Dr"
    if figure.side is not None and figure.side != normal:
        value = -abs(value)
    if row.subtracts:
        # "Less: ..." is taken away whether or not it is also printed in brackets.
        value = -abs(value)
    return value


def row_rupees(row: StatementRow, value: Decimal, unit: Decimal) -> Decimal:
    return (value * (row.unit or unit)).quantize(PAISA, rounding=ROUND_HALF_UP)


def items_of(row: StatementRow, unit: Decimal, section: str | None = None) -> list[ExtractedItem]:
    """One item per year the row has a figure for (a nil year is no item)."""
    made = []
    for year, figure in sorted(row.figures.items()):
        if not figure.value:
            continue
        side: Side = figure.side or row.natural
        amount = abs(figure.value) if row.subtracts else figure.value
        if amount < 0:
            amount, side = -amount, ("Cr" if side == "Dr" else "Dr")
        made.append(
            ExtractedItem(
                year=year,
                label=row.label,
                amount=row_rupees(row, amount, unit),
                side=side,
                source=row.source,
                section=row.section if section is None else section,
                basis="statements",
                ocr_confidence=row.confidence,
            )
        )
    return made


class _Resolver:
    def __init__(self, rows: list[StatementRow], name: str, unit: Decimal) -> None:
        self.rows = rows
        self.name = name
        self.unit = unit
        self.result = Resolved()
        self.stack: list[_Entry] = []

    def run(self) -> None:
        context: tuple[int, int] | None = None
        for index, row in enumerate(self.rows):
            if row.reason or row.statement is None or not row.figures:
                self.result.skipped[index] = SkippedRow(
                    row.source, row.shown, row.reason or "no figures", "ignored"
                )
                continue
            if (row.block, row.scope) != context:
                context = (row.block, row.scope)
                self.stack = []
            if row.derived:
                self.result.skipped[index] = SkippedRow(row.source, row.shown, row.derived)
                self.stack = []
                continue
            self._figure_row(index, row)

    # ------------------------------------------------------------------------------------

    def _figure_row(self, index: int, row: StatementRow) -> None:
        totalish = is_total_label(row.label)
        nil = not any(figure.value for figure in row.figures.values())
        if nil and not totalish:
            self.result.skipped[index] = SkippedRow(row.source, row.shown, "nil in every year")
            return
        count = self._match(row, single=totalish)
        if count and (totalish or self._confident(row)):
            self._total(index, row, count)
            return
        if totalish:
            self._mismatch(index, row)
            return
        below = self._heading_total(index, row)
        if below:
            # Its lines are read as items in their turn; the heading's total is not.
            self.result.skipped[index] = SkippedRow(
                row.source,
                row.shown,
                f"a total printed above its lines: the {len(below)} lines below it add up to it",
                "total",
            )
            self.result.covered[index] = below
            return
        self.result.items[index] = items_of(row, self.unit)
        self.stack.append(
            _Entry(
                {year: contribution(row, year) for year in row.figures},
                {year: figure.quantum / 2 for year, figure in row.figures.items()},
                [index],
                1,
                row.sub_scope,
            )
        )

    def _confident(self, row: StatementRow) -> bool:
        # A labelled line taken for a total on arithmetic alone: a chance equality in one
        # column is plausible, in two it is not.
        return sum(1 for figure in row.figures.values() if figure.value) >= 2

    def _match(self, row: StatementRow, *, single: bool) -> int:
        """How many entries from the top of the stack add up to the row (0: none do)."""
        values: dict[str, Decimal] = {}
        slack: dict[str, Decimal] = {}
        for count in range(1, len(self.stack) + 1):
            entry = self.stack[-count]
            for year, value in entry.values.items():
                values[year] = values.get(year, Decimal(0)) + value
                slack[year] = slack.get(year, Decimal(0)) + entry.slack[year]
            if count == 1 and not single:
                continue
            if self._equal(row, values, slack):
                return count
        return 0

    def _equal(self, row: StatementRow, values: dict[str, Decimal], slack: dict) -> bool:
        years = set(values) | set(row.figures)
        for year in years:
            printed = contribution(row, year) if year in row.figures else Decimal(0)
            allowed = slack.get(year, Decimal(0)) + (
                row.figures[year].quantum / 2 if year in row.figures else Decimal(0)
            )
            if abs(printed - values.get(year, Decimal(0))) > allowed:
                return False
        return True

    def _total(self, index: int, row: StatementRow, count: int) -> None:
        entries = self.stack[-count:]
        del self.stack[-count:]
        lines = sum(entry.lines for entry in entries)
        covered = [position for entry in entries for position in entry.rows]
        described = "line" if lines == 1 else f"{lines} lines"
        self.result.skipped[index] = SkippedRow(
            row.source,
            row.shown,
            f"a total: matches the {described} above it",
            "total",
        )
        self.result.covered[index] = covered
        self._push_total(index, row, lines, covered)

    def _push_total(self, index: int, row: StatementRow, lines: int, covered: list[int]) -> None:
        self.stack.append(
            _Entry(
                {year: contribution(row, year) for year in row.figures},
                {year: figure.quantum / 2 for year, figure in row.figures.items()},
                covered,
                lines,
                row.sub_scope,
            )
        )
        if len(self.stack) == 1 and row.statement == BALANCE_SHEET and row.kind:
            key = (row.block, row.kind)
            self.result.totals[key] = {
                year: row_rupees(row, abs(figure.value), self.unit)
                for year, figure in row.figures.items()
            }

    def _heading_total(self, index: int, row: StatementRow) -> list[int]:
        """The rows just below that add up to this one, when there are two or more."""
        if not self._confident(row):
            return []
        sums: dict[str, Decimal] = {}
        slack: dict[str, Decimal] = {}
        taken: list[int] = []
        for position in range(index + 1, min(len(self.rows), index + _MAX_LOOKAHEAD)):
            below = self.rows[position]
            if below.reason or not below.figures:
                continue
            if (below.block, below.scope) != (row.block, row.scope) or below.derived:
                break
            if is_total_label(below.label):
                break
            for year in below.figures:
                sums[year] = sums.get(year, Decimal(0)) + contribution(below, year)
                slack[year] = slack.get(year, Decimal(0)) + below.figures[year].quantum / 2
            taken.append(position)
            if len(taken) >= 2 and self._confident(row) and self._equal(row, sums, slack):
                return taken
        return []

    # ------------------------------------------------------------------------------------

    def _mismatch(self, index: int, row: StatementRow) -> None:
        """A printed total nothing adds up to: say what is missing and where it may be."""
        scopes = []
        if self.stack:
            last_sub = self.stack[-1].sub_scope
            inner = [entry for entry in self.stack if entry.sub_scope == last_sub]
            scopes.append(len(inner))
            # Only the entries after the last matched subtotal... or all of the kind.
            scopes.append(len(self.stack))
        scopes.append(0)
        best, best_gap = 0, None
        for count in dict.fromkeys(scopes):
            gap = self._gaps(row, self.stack[len(self.stack) - count :])
            largest = max((abs(value) for value in gap.values()), default=Decimal(0))
            if best_gap is None or largest < best_gap:
                best, best_gap = count, largest
        entries = self.stack[len(self.stack) - best :] if best else []
        gaps = self._gaps(row, entries)
        covered = [position for entry in entries for position in entry.rows]
        statement = row.note.name if row.note is not None else f"the {row.statement}"
        for year, gap in sorted(gaps.items()):
            figure = row.figures.get(year)
            printed = row_rupees(row, abs(figure.value) if figure else Decimal(0), self.unit)
            missing = row_rupees(row, abs(gap), self.unit)
            read = printed - missing if gap > 0 else printed + missing
            shown = row.label or "a line of figures without words"
            if gap > 0:
                what = f"{rupees_text(missing)} is missing"
            else:
                what = f"they come to {rupees_text(missing)} more than it"
            self.result.mismatches.append(
                f"In {self.name}, {statement} for {year} does not add up: \u201c{shown}\u201d "
                f"on {row.source} is {rupees_text(printed)}, but the lines read above it add "
                f"up to {rupees_text(read)}; {what}. "
                + self._nearby(index, covered, year, gap, row)
            )
        lines = sum(entry.lines for entry in entries)
        del self.stack[len(self.stack) - best :]
        self.result.skipped[index] = SkippedRow(
            row.source,
            row.shown,
            f"a printed total that the {lines} lines above it do not add up to",
            "ignored",
        )
        self.result.covered[index] = covered
        self._push_total(index, row, lines, covered)

    def _gaps(self, row: StatementRow, entries: list[_Entry]) -> dict[str, Decimal]:
        """Per year where the figures do not meet: the printed total less the lines."""
        sums: dict[str, Decimal] = {}
        slack: dict[str, Decimal] = {}
        for entry in entries:
            for year, value in entry.values.items():
                sums[year] = sums.get(year, Decimal(0)) + value
                slack[year] = slack.get(year, Decimal(0)) + entry.slack[year]
        gaps = {}
        for year in set(sums) | set(row.figures):
            printed = contribution(row, year) if year in row.figures else Decimal(0)
            allowed = slack.get(year, Decimal(0)) + (
                row.figures[year].quantum / 2 if year in row.figures else Decimal(0)
            )
            gap = printed - sums.get(year, Decimal(0))
            if abs(gap) > allowed:
                gaps[year] = gap
        return gaps

    def _nearby(
        self, index: int, covered: list[int], year: str, gap: Decimal, total: StatementRow
    ) -> str:
        """Lines near the total that may hold the difference, in the order printed."""
        first = min(covered, default=index)
        # From the heading before the block's first line read, to the total.
        start = first
        while start > 0 and index - start < 60:
            above = self.rows[start - 1]
            if above.block != total.block or above.reason in ("the statement's title", "a heading"):
                break
            start -= 1
        hints: list[str] = []
        for position in range(start, index):
            row = self.rows[position]
            if row.reason.startswith(("a sub-heading", "the first part", "the rest of")):
                hints.append(f"{row.source} \u201c{row.shown}\u201d ({row.reason})")
            elif position in self.result.skipped and self.result.skipped[position].kind == "total":
                hints.append(f"{row.source} \u201c{row.shown}\u201d (read as a total)")
            elif row.derived and year in row.figures:
                value = abs(row.figures[year].value)
                if abs(value - abs(gap)) <= row.figures[year].quantum:
                    hints.append(f"{row.source} \u201c{row.shown}\u201d (read as a computed line)")
        if not hints:
            return (
                "No line near it is without figures: a line may be missing from the PDF's "
                "text, or printed in a way that could not be read."
            )
        listed = "; ".join(hints[-_MAX_NEARBY:])
        return f"Lines nearby that could hold it: {listed}."
