"""A stock and book-debts statement as on a date (PROJECTIONS.md "Drawing power"): the
plan's optional input from which the drawing power of the working-capital limit is read.

    "stock_statement": {"as_on": "2025-06-30", "stocks": 3500000, "creditors": 1000000,
                        "receivables": 2500000, "stock_margin_pct": 25,
                        "debtor_margin_pct": 40}

``creditors`` are the creditors for goods (unpaid stock is no security for the bank);
``receivables`` are the book debts up to 90 days old, the only ones banks lend against.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "DEFAULT_DEBTOR_MARGIN_PCT",
    "DEFAULT_STOCK_MARGIN_PCT",
    "STOCK_STATEMENT_FIELDS",
    "StockStatement",
    "parse_stock_statement",
    "stock_statement_to_data",
]

DEFAULT_STOCK_MARGIN_PCT = Decimal(25)
DEFAULT_DEBTOR_MARGIN_PCT = Decimal(40)
STOCK_STATEMENT_FIELDS = (
    "as_on",
    "stocks",
    "creditors",
    "receivables",
    "stock_margin_pct",
    "debtor_margin_pct",
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOO_LARGE = Decimal(10) ** 13


@dataclass(frozen=True)
class StockStatement:
    as_on: str  # "2025-06-30"
    stocks: Decimal
    creditors: Decimal = Decimal(0)  # creditors for goods
    receivables: Decimal = Decimal(0)  # book debts up to 90 days
    stock_margin_pct: Decimal = DEFAULT_STOCK_MARGIN_PCT
    debtor_margin_pct: Decimal = DEFAULT_DEBTOR_MARGIN_PCT


def _amount(value: Any, path: str, add: Callable[[str, str], None]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        add(path, "Must be a number, not true or false.")
        return None
    text = value.strip().replace(",", "") if isinstance(value, str) else repr(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        add(path, f"Must be a number; “{value}” is not a number.")
        return None
    if not number.is_finite():
        add(path, "Must be a number.")
        return None
    if number < 0:
        add(path, "Cannot be negative.")
        return None
    if number >= _TOO_LARGE:
        add(path, "Is far too large to be right.")
        return None
    return number


def parse_stock_statement(
    raw: Any, add: Callable[[str, str], None], path: str = "stock_statement"
) -> StockStatement | None:
    """The statement in ``raw`` or None (not given, or blank); ``add(path, message)`` is
    told of every bad field."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        add(path, "A stock statement is an object: {as_on, stocks, creditors, receivables}.")
        return None
    for key in raw:
        if key not in STOCK_STATEMENT_FIELDS:
            add(f"{path}.{key}", f"Unknown field “{key}”.")
    values = {
        key: _amount(raw.get(key), f"{path}.{key}", add) for key in STOCK_STATEMENT_FIELDS[1:]
    }
    as_on = raw.get("as_on") or None
    given = any(value is not None for value in values.values())
    if as_on is None and not given:
        return None  # a blank form: no statement
    if not isinstance(as_on, str) or not _DATE.fullmatch(as_on):
        add(f"{path}.as_on", "Give the statement's date, like 2025-06-30.")
        return None
    for key in ("stock_margin_pct", "debtor_margin_pct"):
        margin = values[key]
        if margin is not None and margin > 100:
            add(f"{path}.{key}", "A margin is at most 100 %.")
            return None
    if values["stocks"] is None and values["receivables"] is None:
        add(f"{path}.stocks", "Give the stocks or the receivables of the statement.")
        return None
    return StockStatement(
        as_on=as_on,
        stocks=values["stocks"] or Decimal(0),
        creditors=values["creditors"] or Decimal(0),
        receivables=values["receivables"] or Decimal(0),
        stock_margin_pct=(
            DEFAULT_STOCK_MARGIN_PCT
            if values["stock_margin_pct"] is None
            else values["stock_margin_pct"]
        ),
        debtor_margin_pct=(
            DEFAULT_DEBTOR_MARGIN_PCT
            if values["debtor_margin_pct"] is None
            else values["debtor_margin_pct"]
        ),
    )


def stock_statement_to_data(
    statement: StockStatement, number: Callable[[Decimal], Any] = str
) -> dict[str, Any]:
    return {
        "as_on": statement.as_on,
        "stocks": number(statement.stocks),
        "creditors": number(statement.creditors),
        "receivables": number(statement.receivables),
        "stock_margin_pct": number(statement.stock_margin_pct),
        "debtor_margin_pct": number(statement.debtor_margin_pct),
    }
