"""Closing stock that sits apart from a trial balance's ledgers.

A trial balance is exported before closing stock is posted, so firms give the stock
apart: in a file of its own (read like any table, every figure closing stock), or in rows
under the table's total ("Stock (not included in TB above)", a memo line). Rows below a
total that closes the table are not ledgers of it: those a heading or their own label
marks as stock become closing-stock items; any other is a SkippedRow saying why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from projects.cma.extract.numbers import PAISA
from projects.cma.extract.trial_balance.checks import YearTally, scaled
from projects.cma.extract.trial_balance.hierarchy import Entry, grand_matches
from projects.cma.extract.trial_balance.layout import Found, text_of
from projects.cma.records import ExtractedItem, SkippedRow

# "Stock (not included in TB above)", "Closing Stock - Tyres", "Inventories",
# "Work-in-Progress (Unbilled Work Done)", "WIP".
_STOCK_MARK = re.compile(
    r"\bstocks?\b|\binventor(?:y|ies)\b|\bwork[\s-]*in[\s-]*progress\b|\bwip\b", re.IGNORECASE
)
_BELOW = "below the table's total"
# A total printed one side a row: "Total Debit" then "Total Credit", each with its figure.
_SIDE_TOTAL = re.compile(
    r"(?:grand[\s-]*)?totals?\s+(?:of\s+)?(debits?|dr|credits?|cr)\.?\s*:?", re.IGNORECASE
)
_STOCK_TOTAL = re.compile(r"total\b", re.IGNORECASE)
Pair = tuple[Decimal, Decimal]


def total_side(label: str) -> str | None:
    """The side a "Total Debit" (Dr) or "Total Credit" (Cr) row totals; None for others."""
    match = _SIDE_TOTAL.fullmatch(label) if label else None
    if match is None:
        return None
    return "Dr" if match.group(1).lower().startswith("d") else "Cr"


def stock_total(label: str, stock: bool) -> bool:
    """In a stock table, "Total Stock", "Total Value": a total, not an item of stock."""
    return stock and _STOCK_TOTAL.match(label) is not None


def both_sides(debit: list[Pair | None], credit: list[Pair | None]) -> list[Pair | None]:
    """One total from a "Total Debit" row's figures and the "Total Credit" row's below it."""
    return [
        (a[0] + b[0], a[1] + b[1]) if a is not None and b is not None else None
        for a, b in zip(debit, credit, strict=True)
    ]


def closes(entries: Sequence[Entry], grand: list[Pair] | None, *, stock: bool = False) -> bool:
    """Whether the table's total closes it: a trial balance's total balances (a stock
    table's need not) and adds up the entries above it. A total of a net closing column
    prints the net itself, 0: then the balances' net must be 0."""
    if grand is None:
        return False
    if not stock and any(abs(dr - cr) > PAISA for dr, cr in grand):
        return False  # a one-sided total: a section's, not the table's
    if grand_matches(entries, grand):
        return True
    if any(dr or cr for dr, cr in grand):
        return False
    top = [e for e in entries if e.parent is None and e.amounts is not None]
    for k in range(len(grand)):
        net = sum((e.amounts[k] for e in top if not e.closing_stock), Decimal(0))  # type: ignore[index]
        if abs(net) > PAISA:
            return False
    return True


def after_total(
    found: Found,
    tail: list[Entry],
    zero_cells: set[int],
    total: tuple[str, int],
    years_of: dict[str | None, str],
    items: list[ExtractedItem],
    tallies: dict[str, YearTally],
) -> list[tuple[int, SkippedRow]]:
    """The rows below a table's closing total: stock items, else SkippedRows.

    ``zero_cells``: positions in ``tail`` whose cells print 0; ``total``: the total's label
    and row; ``years_of``: each slot's year. Returns the skipped rows with their row."""
    sheet, layout = found.sheet, found.layout
    label_column = layout.label
    years = [years_of[slot.year] for slot in layout.slots]
    named = f'"{total[0]}" ({sheet.cite(total[1], label_column)})'
    skipped: list[tuple[int, SkippedRow]] = []
    heading = ""  # the heading the rows below sit under
    for position, entry in enumerate(tail):
        source = sheet.cite(entry.row, label_column)
        if entry.amounts is None:
            if position in zero_cells:
                reason = "a zero balance below the table's total"
            else:
                heading = entry.label
                reason = "a heading below the table's total" + (
                    ": the rows under it are closing stock" if _STOCK_MARK.search(heading) else ""
                )
            skipped.append((entry.row, SkippedRow(source, entry.label, reason)))
            continue
        if not (_STOCK_MARK.search(heading) or _STOCK_MARK.search(entry.label)):
            reason = (
                f"{_BELOW} {named}, so not one of its ledgers; not marked as closing stock "
                "by its name or a heading above it"
            )
            skipped.append((entry.row, SkippedRow(source, _row_text(found, entry), reason)))
            continue
        section = heading
        if not section and layout.group is not None:
            row = sheet.rows[entry.row]
            section = text_of(row[layout.group]) if layout.group < len(row) else ""
        for k, raw in enumerate(entry.amounts):
            if not raw:
                continue
            amount = scaled(abs(raw), layout.unit)
            items.append(
                ExtractedItem(
                    year=years[k],
                    label=entry.label,
                    amount=amount,
                    side="Dr" if raw > 0 else "Cr",
                    source=source,
                    section=section,
                    closing_stock=True,
                )
            )
            tally = tallies.setdefault(years[k], YearTally())
            tally.closing_stock += amount if raw > 0 else -amount
    return skipped


def left_out_below(found: Found, skipped: list[tuple[int, SkippedRow]]) -> list[str]:
    """A warning for the rows with figures below the table's total that were left out: a
    figure the user may have meant to count."""
    left_out = [row for _, row in skipped if row.reason.startswith(_BELOW)]
    if not left_out:
        return []
    shown = ", ".join(f'"{row.text}" ({row.source})' for row in left_out[:3])
    more = f" and {len(left_out) - 3:,} more" if len(left_out) > 3 else ""
    where = found.sheet.name if found.sheet.csv else f'the sheet "{found.sheet.name}"'
    rows = "1 row" if len(left_out) == 1 else f"{len(left_out):,} rows"
    return [
        f"{rows} with figures below the total of {where} left out: "
        f"not ledgers of the trial balance and not marked as closing stock: {shown}{more}."
    ]


def _row_text(found: Found, entry: Entry) -> str:
    cells = found.sheet.rows[entry.row]
    return " | ".join(t for cell in cells if (t := text_of(cell)))[:120]
