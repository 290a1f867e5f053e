"""Debt service and break-even (PROJECTIONS.md "Term loans"): DSCR per year, average and
minimum; interest coverage; break-even and cash break-even sales."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from projects.cma.forms import Report

__all__ = [
    "VARIABLE_COSTS",
    "BreakEven",
    "DebtService",
    "DscrTable",
    "DscrYear",
    "break_even",
    "dscr_table",
    "iscr",
]

ZERO = Decimal(0)
PAISA = Decimal("0.01")
# Costs that move with sales (PROJECTIONS.md); SG&A, depreciation and interest are fixed.
VARIABLE_COSTS = ("rm_consumed", "spares_consumed", "power_fuel", "other_mfg_expenses")
FIXED_COSTS = ("sga_expenses", "depreciation", "interest")


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator).quantize(PAISA, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DebtService:
    """One year's inputs: net profit, depreciation, and the term loans' interest and
    principal repaid (working-capital interest is no part of it)."""

    net_profit: Decimal
    depreciation: Decimal
    interest: Decimal
    principal: Decimal


@dataclass(frozen=True)
class DscrYear:
    numerator: Decimal  # net profit + depreciation + term-loan interest
    denominator: Decimal  # term-loan interest + principal repaid
    dscr: Decimal


@dataclass(frozen=True)
class DscrTable:
    average: Decimal | None  # sum of numerators / sum of denominators
    minimum: Decimal | None
    by_year: Mapping[str, DscrYear]


def dscr_table(years: Mapping[str, DebtService]) -> DscrTable:
    """DSCR over the years that repay principal (a moratorium year services interest
    only and is left out, as banks leave it out of the average)."""
    by_year: dict[str, DscrYear] = {}
    for year, row in years.items():
        if row.principal <= 0:
            continue
        numerator = row.net_profit + row.depreciation + row.interest
        denominator = row.interest + row.principal
        by_year[year] = DscrYear(numerator, denominator, _ratio(numerator, denominator))
    if not by_year:
        return DscrTable(None, None, {})
    numerators = sum((row.numerator for row in by_year.values()), ZERO)
    denominators = sum((row.denominator for row in by_year.values()), ZERO)
    return DscrTable(
        _ratio(numerators, denominators), min(row.dscr for row in by_year.values()), by_year
    )


def iscr(report: Report, year: str) -> Decimal | None:
    """Operating profit before interest, depreciation and tax / all interest; None
    without interest."""
    interest = report.value("interest", year) or ZERO
    if interest <= 0:
        return None
    pbdit = (report.value("operating_profit_before_interest", year) or ZERO) + (
        report.value("depreciation", year) or ZERO
    )
    return _ratio(pbdit, interest)


@dataclass(frozen=True)
class BreakEven:
    sales: Decimal | None  # None: costs that move with sales eat all of it
    cash_sales: Decimal | None
    contribution_ratio: Decimal | None
    fixed_costs: Decimal


def break_even(report: Report, year: str) -> BreakEven:
    """Fixed costs / contribution margin ratio; the cash break-even leaves depreciation
    out of the fixed costs."""
    value = report.value
    sales = value("net_sales", year) or ZERO
    variable = sum((value(key, year) or ZERO for key in VARIABLE_COSTS), ZERO)
    fixed = sum((value(key, year) or ZERO for key in FIXED_COSTS), ZERO)
    depreciation = value("depreciation", year) or ZERO
    if sales <= 0 or variable >= sales:
        return BreakEven(None, None, None, fixed)
    contribution = 1 - variable / sales
    return BreakEven(
        (fixed / contribution).quantize(PAISA, rounding=ROUND_HALF_UP),
        ((fixed - depreciation) / contribution).quantize(PAISA, rounding=ROUND_HALF_UP),
        contribution.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        fixed,
    )
