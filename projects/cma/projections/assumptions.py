"""The plan's per-year assumptions (PROJECTIONS.md "The plan") and their defaults.

Every assumption has a default read from the last actual year's computed forms, so a plan
with nothing filled in already projects. Percentages are kept as the user types them (10
means 10 %); holding levels are months; money is rupees.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from projects.cma.forms import Report

__all__ = [
    "ASSUMPTIONS",
    "ASSUMPTION_KEYS",
    "Assumption",
    "AssumptionKind",
    "defaults_from",
]

AssumptionKind = Literal["percent", "months", "money"]


@dataclass(frozen=True)
class Assumption:
    key: str
    label: str
    kind: AssumptionKind
    # Growth may go down to -100 % (the business stops); shares and rates may not be
    # negative; money may move either way only where the key says "change".
    minimum: Decimal | None = Decimal(0)


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("sales_growth_pct", "Domestic sales growth", "percent", Decimal(-100)),
    Assumption("export_growth_pct", "Export sales growth", "percent", Decimal(-100)),
    Assumption("rm_pct_of_sales", "Raw materials consumed, % of net sales", "percent"),
    Assumption("spares_pct_of_sales", "Stores and spares, % of net sales", "percent"),
    Assumption("power_pct_of_sales", "Power and fuel, % of net sales", "percent"),
    Assumption("labour_pct_of_sales", "Direct labour, % of net sales", "percent"),
    Assumption("other_mfg_pct_of_sales", "Other manufacturing, % of net sales", "percent"),
    Assumption("sga_pct_of_sales", "Selling, general and admin., % of net sales", "percent"),
    Assumption("rm_months", "Raw materials (months' consumption)", "months"),
    Assumption("wip_months", "Stock in process (months' cost of production)", "months"),
    Assumption("fg_months", "Finished goods (months' cost of sales)", "months"),
    Assumption("receivables_months", "Receivables, domestic (months' sales)", "months"),
    Assumption("export_receivables_months", "Receivables, export (months' export sales)", "months"),
    Assumption("creditors_months", "Sundry creditors (months' purchases)", "months"),
    Assumption(
        "other_current_assets_growth_pct", "Other current assets growth", "percent", Decimal(-100)
    ),
    Assumption(
        "other_current_liabilities_growth_pct",
        "Other current liabilities growth",
        "percent",
        Decimal(-100),
    ),
    Assumption("capex", "Capital expenditure (additions to gross block)", "money"),
    Assumption("depreciation_pct", "Depreciation rate on net block", "percent"),
    Assumption("wc_interest_pct", "Interest rate on working-capital borrowings", "percent"),
    Assumption("tax_pct", "Tax, % of profit before tax", "percent"),
    Assumption("dividend_or_drawings", "Dividend or drawings", "money"),
    Assumption("fresh_capital", "Fresh capital brought in", "money"),
    Assumption("unsecured_loans_change", "Change in long-term unsecured loans", "money", None),
)
ASSUMPTION_KEYS: tuple[str, ...] = tuple(a.key for a in ASSUMPTIONS)

SALES_GROWTH_DEFAULT = Decimal(10)
WC_INTEREST_DEFAULT = Decimal(10)
TAX_DEFAULT = Decimal("25.17")  # s. 115BAA: 22 % + 10 % surcharge + 4 % cess
# Outside these an "effective" rate read from the books is an artefact of odd books (a
# one-off, a loss year), not a rate anyone would plan on: the fixed default is used.
_PLAUSIBLE_INTEREST = (Decimal(0), Decimal(30))
_PLAUSIBLE_TAX = (Decimal(0), Decimal(60))

# Cost lines of Form II -> the assumption that projects them as a share of net sales.
COST_SHARES: tuple[tuple[str, str], ...] = (
    ("rm_pct_of_sales", "rm_consumed"),
    ("spares_pct_of_sales", "spares_consumed"),
    ("power_pct_of_sales", "power_fuel"),
    ("labour_pct_of_sales", "direct_labour"),
    ("other_mfg_pct_of_sales", "other_mfg_expenses"),
    ("sga_pct_of_sales", "sga_expenses"),
)
# Holding-level assumptions -> the Form IV line whose definition they read backwards.
HOLDING_LINES: tuple[tuple[str, str], ...] = (
    ("rm_months", "rm_months"),
    ("wip_months", "wip_months"),
    ("fg_months", "fg_months"),
    ("receivables_months", "receivables_domestic_months"),
    ("export_receivables_months", "receivables_export_months"),
    ("creditors_months", "creditors_months"),
)
_TWO = Decimal("0.01")
ZERO = Decimal(0)


def _pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return (part * 100 / whole).quantize(_TWO, rounding=ROUND_HALF_UP)


def defaults_from(report: Report, year: str) -> dict[str, Decimal]:
    """Each assumption's default for the years after ``year`` (the last actual year)."""

    def line(key: str) -> Decimal:
        return report.value(key, year) or ZERO

    def previous_line(key: str) -> Decimal | None:
        period = next(p for p in report.periods if p.year == year)
        return report.value(key, period.previous.year) if period.previous else None

    net_sales = line("net_sales")
    defaults: dict[str, Decimal] = {
        "sales_growth_pct": SALES_GROWTH_DEFAULT,
        "export_growth_pct": SALES_GROWTH_DEFAULT,
        "other_current_assets_growth_pct": ZERO,
        "other_current_liabilities_growth_pct": ZERO,
        "capex": ZERO,
        "dividend_or_drawings": ZERO,
        "fresh_capital": ZERO,
        "unsecured_loans_change": ZERO,
    }
    for key, cost_line in COST_SHARES:
        defaults[key] = max(_pct(line(cost_line), net_sales) or ZERO, ZERO)
    for key, months_line in HOLDING_LINES:
        months = report.value(months_line, year)
        defaults[key] = max(months or ZERO, ZERO)

    # The rate on the block before the year's depreciation (closing net block +
    # depreciation): the books rarely say which part of the block was added when.
    depreciation = line("depreciation")
    defaults["depreciation_pct"] = max(
        _pct(depreciation, line("net_block") + depreciation) or ZERO, ZERO
    )

    # Term-loan interest is not apart in the books, so the year's interest is taken over
    # all bank debt (working capital and term loans, averaged over the year when the year
    # before is known): the working-capital rate if both cost the same.
    debt_keys = ("bank_borrowings_wc", "term_loans", "term_loan_current_maturities")
    closing_debt = sum((line(key) for key in debt_keys), ZERO)
    opening = [previous_line(key) for key in debt_keys]
    average_debt = (
        closing_debt if None in opening else (closing_debt + sum(opening, ZERO)) / 2  # type: ignore[arg-type]
    )
    rate = _pct(line("interest"), average_debt)
    low, high = _PLAUSIBLE_INTEREST
    defaults["wc_interest_pct"] = (
        rate if rate is not None and low < rate <= high else WC_INTEREST_DEFAULT
    )

    profit_before_tax = line("profit_before_tax")
    tax = _pct(line("tax_provision"), profit_before_tax) if profit_before_tax > 0 else None
    low, high = _PLAUSIBLE_TAX
    defaults["tax_pct"] = tax if tax is not None and low < tax <= high else TAX_DEFAULT
    return {key: defaults[key] for key in ASSUMPTION_KEYS}
