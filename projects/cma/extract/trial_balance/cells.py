"""The figures in one row of a trial balance: a slot's balance, a total row's pair."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from projects.cma.extract.numbers import parse_amount
from projects.cma.extract.trial_balance.layout import Slot, text_of

_ZERO = Decimal("0.00")


def slot_value(
    row: Sequence[object], width: int, slot: Slot, stock: bool, unmarked: list[int]
) -> tuple[Decimal, int, bool] | str:
    """One slot's balance: (signed amount, debit positive; the column level it sits in:
    0 inner, 1 the labelled columns, 2 outer; whether a cell printed a figure, even 0), or
    the text of a cell that is not an amount."""
    main = {
        role: column for role in ("dr", "cr", "bal") if (column := getattr(slot, role)) is not None
    }
    printed = False
    for level, columns in ((1, main), (2, slot.outer), (0, slot.inner)):
        if not columns:
            continue
        value = columns_value(
            row, width, columns, slot.side if level == 1 else None, stock, unmarked
        )
        if isinstance(value, str):
            return value
        amount, shown = value
        printed = printed or shown
        if amount:
            return amount, level, printed
    return _ZERO, 1, printed


def columns_value(
    row: Sequence[object],
    width: int,
    columns: dict[str, int],
    side_column: int | None,
    stock: bool,
    unmarked: list[int],
) -> tuple[Decimal, bool] | str:
    if "bal" in columns:
        column = columns["bal"]
        cell = row[column] if column < width else None
        if cell is None or cell == "":
            return _ZERO, False
        parsed = parse_amount(cell)
        if parsed is None:
            return text_of(cell)
        amount, side = parsed
        if not amount:
            return _ZERO, True
        if side is None and side_column is not None and side_column < width:
            mark = text_of(row[side_column]).lower().rstrip(".")
            side = "Dr" if mark in ("dr", "debit") else "Cr" if mark in ("cr", "credit") else None
        if side is None:
            # No mark: software that writes signed balances shows credits as negatives.
            side = "Dr"
            if not stock:
                unmarked[0] += 1
        return (amount if side == "Dr" else -amount), True
    net = _ZERO
    shown = False
    for role, natural in (("dr", "Dr"), ("cr", "Cr")):
        column = columns.get(role)
        if column is None or column >= width:
            continue
        cell = row[column]
        if cell is None or cell == "":
            continue
        parsed = parse_amount(cell)
        if parsed is None:
            return text_of(cell)
        amount, side = parsed
        shown = True
        # A mark in the cell says more than the column it sits in.
        net += amount if (side or natural) == "Dr" else -amount
    if stock and "dr" not in columns:
        net = -net  # a stock table's lone "Credit"-headed column is still stock held
    return net, shown


def total_pair(row: Sequence[object], width: int, slot: Slot) -> tuple[Decimal, Decimal] | None:
    if slot.dr is not None and slot.cr is not None:
        pair = []
        for column in (slot.dr, slot.cr):
            cell = row[column] if column < width else None
            parsed = parse_amount(cell)
            if parsed is None:
                return None
            pair.append(abs(parsed[0]))
        return pair[0], pair[1]
    column = slot.bal if slot.bal is not None else slot.dr if slot.dr is not None else slot.cr
    cell = row[column] if column is not None and column < width else None
    parsed = parse_amount(cell)
    if parsed is None:
        return None
    amount, side = parsed
    if side == "Cr" or (side is None and slot.cr is not None):
        amount = -amount
    return (amount, _ZERO) if amount >= 0 else (_ZERO, -amount)
