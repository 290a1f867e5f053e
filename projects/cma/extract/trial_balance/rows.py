"""Reading a trial balance's rows into line items, with every row accounted for.

Each table found is read once, in order. A row is a ledger, a group (Tally's detailed
export: a subtotal with its ledgers under it), a total, a heading, a repeated header, a
blank, an unreadable amount, or below the total that closes the table (stock given apart,
see `stock`); whatever is not a ledger with a balance becomes a SkippedRow saying why.
Totals and subtotals are checked against the rows they add up; per year debits = credits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from projects.cma.extract.numbers import PAISA
from projects.cma.extract.trial_balance.cells import slot_value, total_pair
from projects.cma.extract.trial_balance.checks import (
    Mismatches,
    TableTotals,
    YearTally,
    check_balances,
    group_message,
    pairs_match,
    scaled,
    total_message,
)
from projects.cma.extract.trial_balance.hierarchy import (
    Entry,
    adopt,
    arrange,
    chain,
    check,
    grand_matches,
    readings_of,
)
from projects.cma.extract.trial_balance.layout import Found, Sheet, find_layout, text_of
from projects.cma.extract.trial_balance.stock import (
    Pair,
    after_total,
    both_sides,
    closes,
    left_out_below,
    stock_total,
    total_side,
)
from projects.cma.extract.trial_balance.titles import company_from_title
from projects.cma.extract.trial_balance.years import resolve_years, single_year
from projects.cma.records import ExtractedItem, Extraction, ExtractionError, SkippedRow

Progress = Callable[[int, int], None]

# Calling back every row would cost more than reading it; the caller throttles further.
PROGRESS_EVERY = 1000
# Beyond this the staff stop reading; the count of the rest is given instead.
MAX_ROW_WARNINGS = 10
# A row is shown in a SkippedRow as far as a person needs to recognise it.
_TEXT_LIMIT = 120
# One level of a cell's indent format counts as much as this many leading spaces.
_SPACES_PER_INDENT = 4
# A figure in a column of its own (Tally's group column) outranks any indentation.
_COLUMN_DEPTH = 10_000

_ZERO = Decimal("0.00")

# "Total", "Grand Total", "Sub-Total", "TOTAL :", "Total (Dr/Cr)"; "GROUP TOTAL", which Marg
# prints under each group's ledgers, the group's name being the heading above them.
_TOTAL = re.compile(r"(?:(?:grand|sub|group)[\s-]*)?totals?\s*(?:\(.*\))?\s*:?", re.IGNORECASE)
_GRAND_TOTAL = re.compile(r"grand[\s-]*totals?\s*:?", re.IGNORECASE)
# "Stock of Goods (Closing Stock)", "Closing Stock - Raw Material".
_CLOSING_STOCK = re.compile(r"^\s*closing\s+stock\b|\(\s*closing\s+stock\s*\)", re.IGNORECASE)


@dataclass
class _TotalRow:
    row: int
    label: str
    pairs: list[tuple[Decimal, Decimal] | None]  # per slot: (debit, credit) as printed
    entries_before: int  # entries read above it
    since: int  # the entry where the rows it may total begin (after a total or heading)
    grand: bool
    # The figureless heading right above the rows it totals: the group it closes (Marg,
    # Busy: the group's name, its ledgers, then "Group Total" with the group's figures).
    heading: int | None = None


@dataclass
class _Table:
    """What reading one table gathered, before the checks."""

    entries: list[Entry] = field(default_factory=list)
    zero_cells: set[int] = field(default_factory=set)  # entries whose cells print 0
    totals: list[_TotalRow] = field(default_factory=list)
    skipped: list[tuple[int, SkippedRow]] = field(default_factory=list)
    # Entries below the total that closes the table (its stock given apart, memo lines),
    # taken out of ``entries`` by `_conclude`; ``tail_from``: where they were.
    tail: list[Entry] = field(default_factory=list)
    tail_from: int = 0


# ----------------------------------------------------------------------------------------
# The whole file
# ----------------------------------------------------------------------------------------


def extract_sheets(
    name: str,
    sheets: list[Sheet],
    fiscal_year: str | None,
    accept_mismatches: bool,
    progress: Progress | None,
    warnings: list[str],
    skipped: list[SkippedRow],
) -> Extraction:
    """Every table of the file's sheets, read and checked. ``skipped`` holds what the
    caller already left out (hidden sheets)."""
    mismatches = Mismatches()
    found: list[Found] = []
    for sheet in sheets:
        # A CSV file has no sheet name: its file's name says what it holds.
        sheet_name = (name if sheet.csv else sheet.name).lower()
        stock = "stock" in sheet_name and "trial" not in sheet_name
        layout = find_layout(sheet.rows, stock=stock)
        if layout is None:
            if any(any(cell != "" for cell in row) for row in sheet.rows):
                if len(sheets) > 1:
                    warnings.append(
                        f'The sheet "{sheet.name}" has no trial balance table; skipped.'
                    )
                skipped.append(
                    SkippedRow(
                        _rows_cited(sheet, 0, len(sheet.rows) - 1),
                        sheet.name,
                        f"no trial balance table in it ({len(sheet.rows):,} rows not read)",
                    )
                )
            continue
        if layout.transactions and not layout.stock:
            raise _transactions(name, sheet, layout.transactions)
        year = single_year(layout.title) or (
            None if sheet.csv else single_year(sheet.name.replace("_", "-"))
        )
        found.append(Found(sheet, layout, year))
    if not found:
        raise _no_table(name, sheets)
    stock_only = all(entry.layout.stock for entry in found)
    years_of = resolve_years(name, found, fiscal_year, warnings, mismatches)
    company = next(
        (c for entry in found if (c := company_from_title(entry.layout.title.splitlines()))), ""
    )

    total_rows = sum(len(entry.sheet.rows) for entry in found)
    done = 0
    items: list[ExtractedItem] = []
    tallies: dict[str, YearTally] = {}
    problems: list[str] = []
    ledger_groups: dict[str, str] = {}
    for index, entry in enumerate(found):
        years = {slot.year: years_of[(index, slot.year)] for slot in entry.layout.slots}
        table, unmarked = _read_table(entry, problems, progress, done, total_rows)
        done += len(entry.sheet.rows)
        _conclude(entry, table, years, items, tallies, mismatches, ledger_groups)
        if table.tail:
            zeros = {i - table.tail_from for i in table.zero_cells if i >= table.tail_from}
            total = (table.totals[-1].label, table.totals[-1].row)
            table.skipped += after_total(entry, table.tail, zeros, total, years, items, tallies)
            warnings.extend(left_out_below(entry, table.skipped))
        if unmarked:
            where = entry.sheet.name if entry.sheet.csv else f'the sheet "{entry.sheet.name}"'
            warnings.append(
                f"{unmarked:,} balances in {where} have no Dr/Cr mark: positive figures were "
                "read as debits and negative ones as credits."
            )
        if unmarked and not any(item.side == "Cr" for item in items if not item.closing_stock):
            raise ExtractionError(
                f"{name} is not a trial balance: every figure in it is positive and none is "
                "marked Dr or Cr, so none is a credit. A trial balance has debit and credit "
                "balances; export the Trial Balance report and upload that."
            )
        skipped.extend(row for _, row in sorted(table.skipped, key=lambda pair: pair[0]))
    if progress is not None:
        progress(total_rows, total_rows)
    if problems:
        more = len(problems) - MAX_ROW_WARNINGS
        warnings.extend(problems[:MAX_ROW_WARNINGS])
        if more > 0:
            rows = "row" if more == 1 else "rows"
            warnings.append(f"{more} more {rows} could not be read and were left out.")
    if not items:
        what = "a closing-stock table" if stock_only else "a trial balance table"
        raise ExtractionError(f"{name} has {what}, but no ledger in it has a balance.")
    totals = check_balances(name, tallies, mismatches)
    mismatches.settle(accept_mismatches, warnings)
    years_found = sorted({item.year for item in items})
    if stock_only:
        warnings.append(
            f"{name} holds closing stock only (no trial balance): read as the closing stock "
            f"of {', '.join(years_found)}, to go with the trial balance of the same year."
        )
    # Year by year, in the file's order within each year: how the staff review them.
    items.sort(key=lambda item: item.year)
    return Extraction(
        items=items,
        years=years_found,
        basis="trial_balance",
        totals=totals,
        warnings=warnings,
        skipped=skipped,
        company=company,
        ledger_groups=ledger_groups,
    )


def _transactions(name: str, sheet: Sheet, column: str) -> ExtractionError:
    where = "" if sheet.csv else f' (sheet "{sheet.name}")'
    return ExtractionError(
        f'{name}{where} is not a trial balance: its table has a "{column}" column, as a bank '
        "statement or a ledger account does. A trial balance lists each ledger once with its "
        "closing balance, under a header such as Particulars | Debit | Credit. Export the "
        "Trial Balance report and upload that."
    )


def _no_table(name: str, sheets: list[Sheet]) -> ExtractionError:
    where = "its first rows" if len(sheets) <= 1 else "the first rows of any of its sheets"
    return ExtractionError(
        f"No trial balance table was found in {name}: {where} have no header row with a "
        'ledger name column ("Particulars", "Ledger") and Debit and Credit columns or a '
        "closing balance column."
    )


# ----------------------------------------------------------------------------------------
# One table: reading its rows
# ----------------------------------------------------------------------------------------


def _read_table(
    entry: Found, problems: list[str], progress: Progress | None, done: int, total_rows: int
) -> tuple[_Table, int]:
    """Every row of one sheet sorted into entries, totals and skipped rows; and the count of
    balances read by their sign alone."""
    sheet, layout = entry.sheet, entry.layout
    rows = sheet.rows
    table = _Table()
    label_column = layout.label
    slots = layout.slots
    header_label = layout.header_label
    unmarked = [0]
    blank_from: int | None = None
    indents = sheet.indents_of(label_column) if sheet.indents_of is not None else {}

    def skip(row: int, text: str, reason: str, kind: str = "ignored") -> None:
        table.skipped.append(
            (row, SkippedRow(sheet.cite(row, label_column), text, reason, kind))  # type: ignore[arg-type]
        )

    def flush_blanks(upto: int) -> None:
        nonlocal blank_from
        if blank_from is not None:
            count = upto - blank_from
            text = "blank row" if count == 1 else f"{count:,} blank rows"
            table.skipped.append(
                (blank_from, SkippedRow(_rows_cited(sheet, blank_from, upto - 1), text, "blank"))
            )
            blank_from = None

    for row_index in range(layout.data_start):
        row = rows[row_index]
        if not any(cell != "" and cell is not None for cell in row):
            if blank_from is None:
                blank_from = row_index
            continue
        flush_blanks(row_index)
        text = _row_text(row)
        if row_index >= layout.header_row:
            skip(row_index, text, "the table's header")
        else:
            skip(row_index, text, "a title above the table (company, report, period)")
    flush_blanks(layout.data_start)

    since = 0  # where the rows a plain total adds up begin
    top_level: int | None = None
    for row_index in range(layout.data_start, len(rows)):
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total_rows)
        row = rows[row_index]
        width = len(row)
        if not any(cell != "" and cell is not None for cell in row):
            if blank_from is None:
                blank_from = row_index
            continue
        flush_blanks(row_index)
        raw_label = row[label_column] if label_column < width else None
        label = text_of(raw_label) if raw_label is not None and raw_label != "" else ""
        values: list[Decimal] = []
        level: int | None = None
        unreadable: str | None = None
        zero_cells = False
        for slot in slots:
            value = slot_value(row, width, slot, layout.stock, unmarked)
            if isinstance(value, str):
                unreadable = value
                break
            amount, slot_level, printed = value
            values.append(amount)
            zero_cells = zero_cells or printed
            if amount and level is None:
                level = slot_level
        if unreadable is not None:
            if not label or label.lower() == header_label:
                skip(row_index, _row_text(row), "the table's header, repeated on a new page")
                continue
            problems.append(
                f'{sheet.cite(row_index, label_column)}: "{unreadable}" is not an amount, so '
                f'"{label}" was left out.'
            )
            skip(row_index, _row_text(row), f'"{unreadable}" is not an amount')
            continue
        side = total_side(label)
        if not label or _TOTAL.fullmatch(label) or side or stock_total(label, layout.stock):
            pairs = [total_pair(row, width, slot) for slot in slots]
            last = table.totals[-1] if table.totals else None
            # Right under "Total Debit" (nothing between): the two rows are one total.
            if (
                side == "Cr"
                and last
                and last.entries_before == len(table.entries)
                and total_side(last.label) == "Dr"
            ):
                last.pairs = both_sides(last.pairs, pairs)
                skip(row_index, _row_text(row), "the credit side of the total above", "total")
                continue
            heading: int | None = since - 1
            if since == 0 or since - 1 in table.zero_cells or table.entries[since - 1].amounts:
                heading = None
            table.totals.append(
                _TotalRow(
                    row_index,
                    label or _row_text(row),
                    pairs,
                    len(table.entries),
                    since,
                    bool(label and _GRAND_TOTAL.fullmatch(label)),
                    heading,
                )
            )
            since = len(table.entries)
            continue
        has_amount = any(values)
        if has_amount and top_level is None:
            top_level = level
        spaces = 0
        if isinstance(raw_label, str):
            spaces = len(raw_label) - len(raw_label.lstrip())
        indent = indents.get(row_index, 0) * _SPACES_PER_INDENT
        column_depth = 0 if not has_amount or level == top_level else _COLUMN_DEPTH
        if zero_cells and not has_amount:
            table.zero_cells.add(len(table.entries))
        if not has_amount and not zero_cells:
            since = len(table.entries) + 1  # a heading: a total below it adds up what follows
        table.entries.append(
            Entry(
                row=row_index,
                label=label,
                amounts=tuple(values) if has_amount else None,
                depth=column_depth + spaces + indent,
                readings=readings_of(column_depth, spaces, indent),
                closing_stock=layout.stock or _CLOSING_STOCK.search(label) is not None,
            )
        )
    flush_blanks(len(rows))
    return table, unmarked[0]


def _row_text(row: Sequence[object]) -> str:
    text = " | ".join(t for cell in row if (t := text_of(cell)))
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "\u2026"


def _rows_cited(sheet: Sheet, first: int, last: int) -> str:
    if sheet.cite_rows is not None and last > first:
        return sheet.cite_rows(first, last)
    return sheet.cite(max(first, 0), 0)


# ----------------------------------------------------------------------------------------
# One table: groups, checks and items
# ----------------------------------------------------------------------------------------


def _conclude(
    found: Found,
    table: _Table,
    years: dict[str | None, str],
    items: list[ExtractedItem],
    tallies: dict[str, YearTally],
    mismatches: Mismatches,
    ledger_groups: dict[str, str],
) -> None:
    sheet, layout = found.sheet, found.layout
    entries = table.entries
    slots = layout.slots
    width = len(slots)
    cite = sheet.cite
    label_column = layout.label
    file_total, grand = _arranged(table, width, stock=layout.stock)
    # Each heading a total row closes (Marg's "GROUP TOTAL") -> that row.
    closed_by = {
        t.heading: t.row
        for t in table.totals
        if t.heading is not None and not t.grand and adopt(entries, t.heading, t.entries_before)
    }
    problems = check(entries, width)
    bad_groups = {problem.entry for problem in problems}
    for problem in problems:
        mismatches.add(group_message(found, entries, problem, [years[s.year] for s in slots]))
    ledger_count: dict[int, int] = {}
    for entry in entries:
        if entry.group:
            continue
        parent = entry.parent
        while parent is not None:
            ledger_count[parent] = ledger_count.get(parent, 0) + 1
            parent = entries[parent].parent

    unit = layout.unit
    year_list = [years[slot.year] for slot in slots]
    table_totals = TableTotals(width)
    for index, entry in enumerate(entries):
        source = cite(entry.row, label_column)
        if entry.group:
            under = ledger_count.get(index, 0)
            if entry.amounts is None and index in closed_by:
                where = cite(closed_by[index], label_column)
                reason = (
                    f"a group heading: its total is printed below its {_ledgers(under)} ({where})"
                )
                table.skipped.append((entry.row, SkippedRow(source, entry.label, reason)))
            elif entry.amounts is None:
                reason = f"a group heading with no subtotal printed ({_ledgers(under)} under it)"
                table.skipped.append((entry.row, SkippedRow(source, entry.label, reason)))
            elif index in bad_groups:
                reason = "a group's subtotal that the ledgers under it do not add up to"
                table.skipped.append((entry.row, SkippedRow(source, entry.label, reason)))
            else:
                reason = f"a group's subtotal: matches the {_ledgers(under)} under it"
                table.skipped.append((entry.row, SkippedRow(source, entry.label, reason, "total")))
            continue
        if entry.amounts is None:
            reason = (
                "a zero balance"
                if index in table.zero_cells
                else "no figure: a heading, or a ledger with no balance"
            )
            table.skipped.append((entry.row, SkippedRow(source, entry.label, reason)))
            continue
        section = chain(entries, index)
        if section:
            ledger_groups[entry.label] = section
        elif layout.group is not None:
            row = sheet.rows[entry.row]
            section = text_of(row[layout.group]) if layout.group < len(row) else ""
        for k, raw in enumerate(entry.amounts):
            if not raw:
                continue
            amount = scaled(abs(raw), unit)
            side = "Dr" if raw > 0 else "Cr"
            items.append(
                ExtractedItem(
                    year=year_list[k],
                    label=entry.label,
                    amount=amount,
                    side=side,
                    source=source,
                    section=section,
                    closing_stock=entry.closing_stock,
                )
            )
            table_totals.add(k, amount if side == "Dr" else -amount, entry.closing_stock)

    _check_totals(found, table, file_total, grand, year_list, mismatches)
    for k, year in enumerate(year_list):
        tally = tallies.setdefault(year, YearTally())
        tally.debit += table_totals.debit[k]
        tally.credit += table_totals.credit[k]
        tally.closing_stock += table_totals.stock[k]
        if grand is not None:
            file_debit, file_credit = grand[k]
            if unit is not None:
                file_debit = (file_debit * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
                file_credit = (file_credit * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
            tally.file_debit += file_debit
            tally.file_credit += file_credit
            tally.file_totals = True


def _arranged(
    table: _Table, width: int, *, stock: bool
) -> tuple[_TotalRow | None, list[Pair] | None]:
    """The table's total and its figures, its entries arranged in groups; the entries
    below its last total set apart in ``table.tail`` when that total closes the table."""
    entries = table.entries
    table.tail_from = table.totals[-1].entries_before if table.totals else len(entries)
    table.tail = entries[table.tail_from :]
    del entries[table.tail_from :]
    while True:
        file_total = _file_total(table)
        grand = None
        if file_total is not None and all(pair is not None for pair in file_total.pairs):
            grand = [pair for pair in file_total.pairs if pair is not None]
        arrange(entries, width, grand)
        if not table.tail or closes(entries, grand, stock=stock):
            return file_total, grand
        # The total did not close the table: the rows below it are its ledgers after all.
        entries.extend(table.tail)
        table.tail = []


def _file_total(table: _Table) -> _TotalRow | None:
    """The table's own total: its "Grand Total", else a last total with no ledger after it."""
    grand = next((total for total in reversed(table.totals) if total.grand), None)
    if grand is not None:
        return grand
    if table.totals and table.totals[-1].entries_before == len(table.entries):
        return table.totals[-1]
    return None


def _check_totals(
    found: Found,
    table: _Table,
    file_total: _TotalRow | None,
    grand: list[tuple[Decimal, Decimal]] | None,
    years: list[str],
    mismatches: Mismatches,
) -> None:
    """Each printed total against the rows it adds up; each becomes a SkippedRow."""
    entries = table.entries
    sheet = found.sheet
    cite = sheet.cite
    label_column = found.layout.label
    for total in table.totals:
        source = cite(total.row, label_column)
        if not any(pair is not None and any(pair) for pair in total.pairs):
            table.skipped.append(
                (total.row, SkippedRow(source, total.label, "a total row with no figures"))
            )
            continue
        if total is file_total and grand is not None:
            if grand_matches(entries, grand):
                count = sum(1 for e in entries if not e.group and e.amounts is not None)
                reason = f"the table's total: matches its {count:,} ledgers"
                table.skipped.append((total.row, SkippedRow(source, total.label, reason, "total")))
                continue
            mismatches.add(
                total_message(found, entries, total.row, total.label, grand, years, None)
            )
            table.skipped.append(
                (
                    total.row,
                    SkippedRow(source, total.label, "a total that its ledgers do not add up to"),
                )
            )
            continue
        pairs = [pair or (_ZERO, _ZERO) for pair in total.pairs]
        matched = False
        for start in (total.since, 0):
            ledgers = [
                i
                for i in range(start, total.entries_before)
                if not entries[i].group and entries[i].amounts is not None
            ]
            if ledgers and pairs_match(entries, ledgers, pairs):
                what = (
                    "lines above it" if start == total.since else "lines above it, a running total"
                )
                reason = f"a total: matches the {len(ledgers):,} {what}"
                table.skipped.append((total.row, SkippedRow(source, total.label, reason, "total")))
                matched = True
                break
        if not matched:
            mismatches.add(
                total_message(found, entries, total.row, total.label, pairs, years, total.since)
            )
            table.skipped.append(
                (
                    total.row,
                    SkippedRow(
                        source, total.label, "a total that the lines above it do not add up to"
                    ),
                )
            )


def _ledgers(count: int) -> str:
    return "1 ledger" if count == 1 else f"{count:,} ledgers"
