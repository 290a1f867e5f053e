"""Reading a trial balance's rows into line items, and checking that they balance.

Each table found is read once, in order: a row is a ledger, a total (kept only to compare
with the ledgers), a repeated header or a row whose amount cannot be read. Per year the
debits must equal the credits; the file's own total rows are compared with its ledgers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from projects.cma.extract.numbers import PAISA, format_inr, parse_amount
from projects.cma.extract.trial_balance.layout import (
    _find_layout,
    _Found,
    _Sheet,
    _Slot,
    _text,
)
from projects.cma.extract.trial_balance.years import _resolve_years, _single_year
from projects.cma.records import ExtractedItem, Extraction, ExtractionError, Side

Progress = Callable[[int, int], None]

# Calling back every row would cost more than reading it; the caller throttles further.
PROGRESS_EVERY = 1000
# Beyond this the staff stop reading; the count of the rest is given instead.
MAX_ROW_WARNINGS = 10
_TOLERANCE = PAISA

_ZERO = Decimal("0.00")

# "Total", "Grand Total", "Sub-Total", "TOTAL :", "Total (Dr/Cr)".
_TOTAL = re.compile(r"(?:(?:grand|sub)[\s-]*)?totals?\s*(?:\(.*\))?\s*:?", re.IGNORECASE)
_GRAND_TOTAL = re.compile(r"grand[\s-]*totals?\s*:?", re.IGNORECASE)
# "Stock of Goods (Closing Stock)", "Closing Stock - Raw Material".
_CLOSING_STOCK = re.compile(r"^\s*closing\s+stock\b|\(\s*closing\s+stock\s*\)", re.IGNORECASE)


@dataclass
class _Tally:
    """Running sums of one year, and what the file's own total rows say."""

    debit: Decimal = _ZERO
    credit: Decimal = _ZERO
    file_debit: Decimal = _ZERO
    file_credit: Decimal = _ZERO
    file_totals: bool = False
    closing_stock: Decimal = _ZERO
    mismatches: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------
# Reading the rows
# ----------------------------------------------------------------------------------------


def _extract(
    path: Path,
    sheets: list[_Sheet],
    fiscal_year: str | None,
    progress: Progress | None,
    warnings: list[str],
) -> Extraction:
    found: list[_Found] = []
    for sheet in sheets:
        name = sheet.name.lower()
        stock = not sheet.csv and "stock" in name and "trial" not in name
        layout = _find_layout(sheet.rows, stock=stock)
        if layout is None:
            if len(sheets) > 1 and any(any(cell != "" for cell in row) for row in sheet.rows):
                warnings.append(f'The sheet "{sheet.name}" has no trial balance table; skipped.')
            continue
        year = _single_year(layout.title) or (
            None if sheet.csv else _single_year(sheet.name.replace("_", "-"))
        )
        found.append(_Found(sheet, layout, year))
    if not any(not entry.layout.stock for entry in found):
        raise _no_table(path, sheets, found)
    years_of = _resolve_years(path, found, fiscal_year, warnings)

    total_rows = sum(len(entry.sheet.rows) for entry in found)
    done = 0
    items: list[ExtractedItem] = []
    tallies: dict[str, _Tally] = {}
    row_problems: list[str] = []
    for index, entry in enumerate(found):
        done = _read_table(
            entry,
            {slot.year: years_of[(index, slot.year)] for slot in entry.layout.slots},
            items,
            tallies,
            row_problems,
            warnings,
            progress,
            done,
            total_rows,
        )
    if progress is not None:
        progress(total_rows, total_rows)
    if row_problems:
        more = len(row_problems) - MAX_ROW_WARNINGS
        warnings.extend(row_problems[:MAX_ROW_WARNINGS])
        if more > 0:
            rows = "row" if more == 1 else "rows"
            warnings.append(f"{more} more {rows} could not be read and were left out.")
    if not items:
        raise ExtractionError(
            f"{path.name} has a trial balance table, but no ledger in it has a balance."
        )
    totals = _check_totals(path, tallies, warnings)
    years = sorted({item.year for item in items})
    # Year by year, in the file's order within each year: how the staff review them.
    items.sort(key=lambda item: item.year)
    return Extraction(
        items=items, years=years, basis="trial_balance", totals=totals, warnings=warnings
    )


def _no_table(path: Path, sheets: list[_Sheet], found: list[_Found]) -> ExtractionError:
    if found:
        return ExtractionError(
            f"{path.name} has a closing-stock table but no trial balance: no header row with a "
            "ledger name column and Debit/Credit (or closing balance) columns was found."
        )
    where = "its first rows" if len(sheets) <= 1 else "the first rows of any of its sheets"
    return ExtractionError(
        f"No trial balance table was found in {path.name}: {where} have no header row with a "
        'ledger name column ("Particulars", "Ledger") and Debit and Credit columns or a '
        "closing balance column."
    )


def _read_table(
    entry: _Found,
    years: dict[str | None, str],
    items: list[ExtractedItem],
    tallies: dict[str, _Tally],
    problems: list[str],
    notes: list[str],
    progress: Progress | None,
    done: int,
    total_rows: int,
) -> int:
    """Appends one table's items and adds its sums to ``tallies``; returns rows done so far.

    A row is a ledger, a total (kept only to compare with the ledgers), a repeated header or
    a row whose amount cannot be read (reported in ``problems``, never guessed).
    """
    sheet, layout = entry.sheet, entry.layout
    rows = sheet.rows
    label_column, group_column = layout.label, layout.group
    stock_table = layout.stock
    unit = layout.unit
    slots = [(slot, years[slot.year]) for slot in layout.slots]
    for year in years.values():
        tallies.setdefault(year, _Tally())
    # Per slot: the file's "Grand Total", and the last plain "Total" row with no ledger after
    # it (a plain total followed by ledgers was a group's subtotal).
    grand: dict[int, tuple[Decimal, Decimal]] = {}
    plain: dict[int, tuple[Decimal, Decimal]] = {}
    # Per slot: debits, credits (closing stock apart) and closing stock (Dr positive).
    sums = [[_ZERO, _ZERO, _ZERO] for _ in slots]
    header_label = layout.header_label
    unmarked = [0]
    for row_index in range(layout.data_start, len(rows)):
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total_rows)
        row = rows[row_index]
        width = len(row)
        raw_label = row[label_column] if label_column < width else None
        label = _text(raw_label) if raw_label is not None and raw_label != "" else ""
        values: list[tuple[Decimal, Side] | None] = []
        unreadable: str | None = None
        for slot, _year in slots:
            value = _slot_value(row, width, slot, stock_table, unmarked)
            if isinstance(value, str):
                unreadable = value
                break
            values.append(value)
        if unreadable is not None:
            if not label or label.lower() == header_label:
                continue  # the header repeated on a new page, or a note below the table
            problems.append(
                f'{sheet.cite(row_index, label_column)}: "{unreadable}" is not an amount, so '
                f'"{label}" was left out.'
            )
            continue
        if not label or _TOTAL.fullmatch(label):
            # Debit and credit totals net to nothing: read the row's cells, not its balance.
            totals = grand if label and _GRAND_TOTAL.fullmatch(label) else plain
            for i, (slot, _year) in enumerate(slots):
                if slot.dr is not None and slot.cr is not None:
                    pair = _total_pair(row, width, slot)
                    if pair is not None and any(pair):
                        totals[i] = pair
            continue
        closing = stock_table or _CLOSING_STOCK.search(label) is not None
        section = ""
        if group_column is not None and group_column < width:
            section = _text(row[group_column])
        for i, value in enumerate(values):
            if value is None:
                continue
            amount, side = value
            if unit is not None:
                amount = (amount * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
            items.append(
                ExtractedItem(
                    year=slots[i][1],
                    label=label,
                    amount=amount,
                    side=side,
                    source=sheet.cite(row_index, label_column),
                    section=section,
                    closing_stock=closing,
                )
            )
            running = sums[i]
            if closing:
                running[2] += amount if side == "Dr" else -amount
            elif side == "Dr":
                running[0] += amount
            else:
                running[1] += amount
            plain.pop(i, None)
    if unmarked[0]:
        where = sheet.name if sheet.csv else f'the sheet "{sheet.name}"'
        notes.append(
            f"{unmarked[0]:,} balances in {where} have no Dr/Cr mark: positive figures were "
            "read as debits and negative ones as credits."
        )
    for i, (_slot, year) in enumerate(slots):
        tally = tallies[year]
        debit, credit, stock_net = sums[i]
        tally.debit += debit
        tally.credit += credit
        tally.closing_stock += stock_net
        pair = grand.get(i) or plain.get(i)
        if pair is None:
            continue
        file_debit, file_credit = pair
        if unit is not None:
            file_debit = (file_debit * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
            file_credit = (file_credit * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
        tally.file_debit += file_debit
        tally.file_credit += file_credit
        tally.file_totals = True
        # A total row may or may not count closing stock lines listed in the table.
        if not (
            _close(file_credit, credit)
            and (_close(file_debit, debit) or _close(file_debit, debit + stock_net))
        ):
            tally.mismatches.append(
                f"{_where(sheet)} ends with totals of Dr \u20b9{format_inr(file_debit)} and Cr "
                f"\u20b9{format_inr(file_credit)}, but its ledgers for {year} add up to Dr "
                f"\u20b9{format_inr(debit)} and Cr \u20b9{format_inr(credit)}. Check that each "
                "ledger is listed once (not groups and their ledgers both)."
            )
    return done


def _where(sheet: _Sheet) -> str:
    return sheet.name if sheet.csv else f'The sheet "{sheet.name}"'


def _close(first: Decimal, second: Decimal) -> bool:
    return abs(first - second) <= _TOLERANCE


def _slot_value(
    row: Sequence[object], width: int, slot: _Slot, stock: bool, unmarked: list[int]
) -> tuple[Decimal, Side] | str | None:
    """The balance in one slot: (amount > 0, side), None for zero, or the unreadable text.

    ``unmarked[0]`` counts balances whose side came from their sign alone.
    """
    if slot.bal is not None:
        cell = row[slot.bal] if slot.bal < width else None
        parsed = parse_amount(cell)
        if parsed is None:
            return _text(cell)
        amount, side = parsed
        if not amount:
            return None
        if side is None and slot.side is not None and slot.side < width:
            mark = _text(row[slot.side]).lower().rstrip(".")
            side = "Dr" if mark in ("dr", "debit") else "Cr" if mark in ("cr", "credit") else None
        if side is None:
            # No mark: software that writes signed balances shows credits as negatives.
            side = "Dr"
            if not stock:
                unmarked[0] += 1
        if amount < 0:
            return -amount, _other(side)
        return amount, side
    net = _ZERO
    for column, natural in ((slot.dr, "Dr"), (slot.cr, "Cr")):
        if column is None or column >= width:
            continue
        cell = row[column]
        if cell is None or cell == "":
            continue
        parsed = parse_amount(cell)
        if parsed is None:
            return _text(cell)
        amount, side = parsed
        # A mark in the cell says more than the column it sits in.
        net += amount if (side or natural) == "Dr" else -amount
    if not net:
        return None
    if stock and slot.dr is None:
        net = -net  # a stock table's lone "Credit"-headed column is still stock held
    return (net, "Dr") if net > 0 else (-net, "Cr")


def _total_pair(row: Sequence[object], width: int, slot: _Slot) -> tuple[Decimal, Decimal] | None:
    pair = []
    for column in (slot.dr, slot.cr):
        cell = row[column] if column is not None and column < width else None
        parsed = parse_amount(cell)
        if parsed is None:
            return None
        pair.append(abs(parsed[0]))
    return pair[0], pair[1]


def _other(side: Side) -> Side:
    return "Cr" if side == "Dr" else "Dr"


def _check_totals(
    path: Path, tallies: dict[str, _Tally], warnings: list[str]
) -> dict[str, tuple[Decimal, Decimal]]:
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for year in sorted(tallies):
        tally = tallies[year]
        if tally.debit == _ZERO and tally.credit == _ZERO:
            continue  # only closing stock for this year: nothing to balance
        if not _close(tally.debit, tally.credit):
            difference = abs(tally.debit - tally.credit)
            stock_note = (
                " (closing stock is left out of this check: a trial balance exported before "
                "closing balances without it)"
                if tally.closing_stock
                else ""
            )
            raise ExtractionError(
                f"The trial balance for {year} in {path.name} does not balance: debits total "
                f"\u20b9{format_inr(tally.debit)} and credits total "
                f"\u20b9{format_inr(tally.credit)}, a difference of "
                f"\u20b9{format_inr(difference)}{stock_note}. Correct it in the accounting "
                "software, export it again and upload the new file."
            )
        warnings.extend(tally.mismatches)
        if tally.file_totals:
            totals[year] = (tally.file_debit, tally.file_credit)
        else:
            totals[year] = (tally.debit, tally.credit)
    return totals
