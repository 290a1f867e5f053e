"""The checksums of a trial balance and the messages when one fails.

Per year the ledgers' debits must equal their credits; a printed total must equal the
rows it adds up; a group's subtotal must equal the ledgers under it. A failure is a
MismatchError naming the amount and the rows nearby, unless the user has accepted the
file as it is: then the same message is one of the extraction's warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from projects.cma.extract.numbers import PAISA, format_inr
from projects.cma.extract.trial_balance.hierarchy import Entry, GroupProblem
from projects.cma.extract.trial_balance.layout import Found
from projects.cma.records import MismatchError

_ZERO = Decimal("0.00")
# Ledgers named in a message: enough to find the place, few enough to read.
_NAMED = 5


@dataclass
class Mismatches:
    """The failed checksums of one file, raised together or kept as warnings."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.messages.append(message)

    def settle(self, accepted: bool, warnings: list[str]) -> None:
        if not self.messages:
            return
        if not accepted:
            raise MismatchError("\n".join(self.messages))
        warnings.extend(self.messages)


@dataclass
class YearTally:
    """One year's ledgers summed over the file's tables, and the file's own totals."""

    debit: Decimal = _ZERO
    credit: Decimal = _ZERO
    file_debit: Decimal = _ZERO
    file_credit: Decimal = _ZERO
    file_totals: bool = False
    closing_stock: Decimal = _ZERO


class TableTotals:
    """One table's ledgers summed per year column: debits, credits, closing stock (Dr +)."""

    def __init__(self, width: int) -> None:
        self.debit = [_ZERO] * width
        self.credit = [_ZERO] * width
        self.stock = [_ZERO] * width

    def add(self, column: int, signed: Decimal, closing_stock: bool) -> None:
        if closing_stock:
            self.stock[column] += signed
        elif signed > 0:
            self.debit[column] += signed
        else:
            self.credit[column] -= signed


def check_balances(
    name: str, tallies: dict[str, YearTally], mismatches: Mismatches
) -> dict[str, tuple[Decimal, Decimal]]:
    """Per year, debits against credits; the totals the file states (else the sums)."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for year in sorted(tallies):
        tally = tallies[year]
        if tally.debit == _ZERO and tally.credit == _ZERO:
            continue  # only closing stock for this year: nothing to balance
        if abs(tally.debit - tally.credit) > PAISA:
            difference = abs(tally.debit - tally.credit)
            short = "credits" if tally.debit > tally.credit else "debits"
            stock_note = (
                " (closing stock is left out of this check: a trial balance exported before "
                "closing balances without it)"
                if tally.closing_stock
                else ""
            )
            mismatches.add(
                f"The trial balance for {year} in {name} does not balance: debits total "
                f"\u20b9{format_inr(tally.debit)} and credits total "
                f"\u20b9{format_inr(tally.credit)}, a difference of "
                f"\u20b9{format_inr(difference)} missing from the {short}{stock_note}. "
                "Correct it in the accounting software and export it again, or accept the "
                "file as it is."
            )
        if tally.file_totals:
            totals[year] = (tally.file_debit, tally.file_credit)
        else:
            totals[year] = (tally.debit, tally.credit)
    return totals


def group_message(
    found: Found, entries: Sequence[Entry], problem: GroupProblem, years: list[str]
) -> str:
    group = entries[problem.entry]
    k = next(
        (i for i, (a, b) in enumerate(zip(problem.printed, problem.added, strict=True)) if a != b),
        0,
    )
    unit = found.layout.unit
    printed, added = scaled(problem.printed[k], unit), scaled(problem.added[k], unit)
    difference = abs(printed - added)
    names = _names([entries[i].label for i in problem.ledgers])
    year = f" for {years[k]}" if len(years) > 1 else ""
    cite = found.sheet.cite(group.row, found.layout.label)
    under = (
        "the 1 ledger under it adds up to"
        if len(problem.ledgers) == 1
        else f"the {len(problem.ledgers):,} ledgers under it add up to"
    )
    return (
        f'{_where(found)}: the group "{group.label}" ({cite}) shows a subtotal{year} of '
        f"{_signed(printed)}, but {under} "
        f"{_signed(added)}, \u20b9{format_inr(difference)} apart. The ledgers under it: {names}."
    )


def total_message(
    found: Found,
    entries: Sequence[Entry],
    row: int,
    label: str,
    pairs: list[tuple[Decimal, Decimal]],
    years: list[str],
    since: int | None,
) -> str:
    """A printed total its rows do not add up to: the grand total when ``since`` is None."""
    unit = found.layout.unit
    before = [i for i, e in enumerate(entries) if e.row < row]
    if since is None:
        counted = [i for i in before if entries[i].parent is None]
        what = "its ledgers"
    else:
        counted = [i for i in before[since:] if not entries[i].group]
        what = f"the {len(counted):,} lines above it"
    k = 0
    for k in range(len(pairs)):
        debit, credit = _sides(entries, counted, k)
        if (debit, credit) != pairs[k]:
            break
    debit, credit = _sides(entries, counted, k)
    file_debit, file_credit = (scaled(v, unit) for v in pairs[k])
    debit, credit = scaled(debit, unit), scaled(credit, unit)
    gap = max(abs(file_debit - debit), abs(file_credit - credit))
    near = _names([entries[i].label for i in before[-3:]])
    cite = found.sheet.cite(row, found.layout.label)
    return (
        f'{_where(found)}: "{label}" ({cite}) shows totals of Dr \u20b9{format_inr(file_debit)} '
        f"and Cr \u20b9{format_inr(file_credit)}, but {what} for {years[k]} add up to Dr "
        f"\u20b9{format_inr(debit)} and Cr \u20b9{format_inr(credit)}: \u20b9{format_inr(gap)} "
        f"apart. The lines just above it: {near}. Check that each ledger is listed once "
        "(not groups and their ledgers both)."
    )


def _sides(entries: Sequence[Entry], counted: list[int], k: int) -> tuple[Decimal, Decimal]:
    debit = credit = _ZERO
    for i in counted:
        amounts = entries[i].amounts
        if amounts is None:
            continue
        if amounts[k] > 0:
            debit += amounts[k]
        else:
            credit -= amounts[k]
    return debit, credit


def scaled(amount: Decimal, unit: Decimal | None) -> Decimal:
    """An amount as printed, in rupees: times the table's unit (lakhs), to the paisa."""
    if unit is None:
        return amount
    return (amount * unit).quantize(PAISA, rounding=ROUND_HALF_UP)


def _signed(amount: Decimal) -> str:
    side = "Dr" if amount >= 0 else "Cr"
    return f"\u20b9{format_inr(abs(amount))} {side}"


def _names(labels: list[str]) -> str:
    shown = ", ".join(f'"{label}"' for label in labels[:_NAMED])
    more = len(labels) - _NAMED
    return shown + (f" and {more:,} more" if more > 0 else "") if labels else "none"


def _where(found: Found) -> str:
    return found.sheet.name if found.sheet.csv else f'The sheet "{found.sheet.name}"'


def pairs_match(
    entries: Sequence[Entry], ledgers: list[int], pairs: list[tuple[Decimal, Decimal]]
) -> bool:
    """Whether the ledgers add up to a printed total's (debit, credit) per year column."""
    for k, (dr, cr) in enumerate(pairs):
        debit = sum((a for i in ledgers if (a := entries[i].amounts[k]) > 0), _ZERO)  # type: ignore[index]
        credit = -sum((a for i in ledgers if (a := entries[i].amounts[k]) < 0), _ZERO)  # type: ignore[index]
        # Either the column sums ("Total | 1,000 | 1,000") or the net (a one-sided subtotal).
        if abs(debit - dr) <= PAISA and abs(credit - cr) <= PAISA:
            continue
        if abs((debit - credit) - (dr - cr)) <= PAISA:
            continue
        return False
    return True
