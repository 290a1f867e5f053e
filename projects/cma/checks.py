"""The validate step: checks that make a CMA report trustworthy (REFERENCE.md).

Errors block the report (unless the run says ``skip_validation``); warnings are shown next
to it. Every message is written for the CA who has to act on it: which year, which figure,
how much, and what probably went wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projects.cma.extract import numbers
from projects.cma.forms import Report, unknown_opening_stocks
from projects.cma.heads import HEADS, HEADS_BY_ID

__all__ = [
    "STATEMENTS_TOLERANCE_SHARE",
    "TENFOLD_FLOOR",
    "TRIAL_BALANCE_TOLERANCE",
    "Issue",
    "Validation",
    "balance_tolerance",
    "format_inr",
    "validate",
]

# A trial balance is kept to the paisa; ₹1 forgives a stray paisa-rounding in an export.
TRIAL_BALANCE_TOLERANCE = Decimal(1)
# Statements are printed rounded (Rs. in lakhs to two decimals: ₹1,000 a line), and each
# line and each printed total is rounded on its own, so the two sides of the rebuilt balance
# sheet can differ by several units. 0.5 % of total assets covers any realistic pile-up of
# such rounding (the Shree Ganesh PDF: ₹2,000 on ₹1.13 crore, 0.02 %) while a missing or
# misread line (a lakh on a crore) still fails; the rounding unit itself is the floor for
# very small balance sheets.
STATEMENTS_TOLERANCE_SHARE = Decimal("0.005")
# Tenfold moves in small heads (bank charges from ₹300 to ₹4,000) are noise, not a sign of
# a misread unit or a misclassified ledger; only moves where the larger side reaches this
# amount are reported.
TENFOLD_FLOOR = Decimal(10000)
HOLDING_PERIOD_LIMIT = Decimal(12)

INVENTORY_HEADS = ("inventory_rm", "inventory_wip", "inventory_fg", "inventory_spares")


@dataclass(frozen=True)
class Issue:
    code: str  # stable, for programs: "assets_liabilities_mismatch", "no_sales", ...
    year: str | None  # the fiscal year it concerns; None for the whole report
    message: str  # a sentence for the CA

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "year": self.year, "message": self.message}


@dataclass(frozen=True)
class Validation:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No errors (warnings do not block)."""
        return not self.errors

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


def format_inr(amount: Decimal) -> str:
    """₹ with Indian digit grouping: Decimal("-1234567.5") -> "-₹12,34,567.50"."""
    sign = "-" if amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) < 0 else ""
    return f"{sign}₹{numbers.format_inr(abs(amount))}"


def balance_tolerance(report: Report, year: str, rounding_unit: Decimal | None = None) -> Decimal:
    """How far total assets may be from total liabilities before it is an error."""
    period = next(period for period in report.periods if period.year == year)
    if period.basis == "trial_balance":
        return TRIAL_BALANCE_TOLERANCE
    total_assets = abs(report.value("total_assets", year) or Decimal(0))
    unit = rounding_unit if rounding_unit is not None else TRIAL_BALANCE_TOLERANCE
    return max(STATEMENTS_TOLERANCE_SHARE * total_assets, unit)


def validate(
    report: Report,
    *,
    unclassified: int | Mapping[str, int] = 0,
    trial_balance_totals: Mapping[str, tuple[Decimal, Decimal]] | None = None,
    rounding_units: Mapping[str, Decimal] | None = None,
) -> Validation:
    """Checks the computed report.

    ``unclassified``: line items left without a head (a count, or a count per year).
    ``trial_balance_totals``: per year, the (debit, credit) totals of the trial balance as
    read from the file (records.Extraction.totals); years read from statements are left out.
    ``rounding_units``: per statements year, the rupee value of the PDF's last printed digit
    (Rs. in lakhs to 2 decimals: Decimal(1000)); it sets the floor of the balance tolerance.
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    units = rounding_units or {}

    if not report.periods:
        errors.append(Issue("no_years", None, "No figures were found for any year."))

    errors.extend(_unclassified(unclassified))
    for year, (debit, credit) in sorted((trial_balance_totals or {}).items()):
        if abs(debit - credit) > TRIAL_BALANCE_TOLERANCE:
            errors.append(
                Issue(
                    "trial_balance_unbalanced",
                    year,
                    f"The {year} trial balance does not agree: debits {format_inr(debit)}, "
                    f"credits {format_inr(credit)} (difference {format_inr(debit - credit)}). "
                    "Check that the export is complete (no ledgers or groups left out).",
                )
            )

    for period in report.periods:
        year = period.year
        errors.extend(_balance(report, year, units.get(year)))
        if (report.value("gross_sales", year) or Decimal(0)) <= 0:
            errors.append(
                Issue(
                    "no_sales",
                    year,
                    f"{year} has no sales: no line item is classified as domestic or export "
                    "sales. Classify the sales ledgers (or revenue from operations).",
                )
            )
        missing = unknown_opening_stocks(period)
        if missing:
            warnings.append(
                Issue(
                    "opening_stock_unknown",
                    year,
                    f"The opening stock of {_and(missing)} for {year} is not known (no opening "
                    "stock line and no previous year), so it is taken as nil; profit and "
                    "consumption for the year may be overstated.",
                )
            )
        warnings.extend(_negative_balances(report, year))
        warnings.extend(_long_holding_periods(report, year))

    for period in report.periods:
        if period.previous is not None:
            warnings.extend(_tenfold_moves(period.previous.heads, period.books.heads, period.year))
    return Validation(errors, warnings)


def _unclassified(unclassified: int | Mapping[str, int]) -> list[Issue]:
    counts: dict[str | None, int] = (
        {None: unclassified} if isinstance(unclassified, int) else dict(unclassified)
    )
    issues = []
    for year, count in sorted(counts.items(), key=lambda pair: pair[0] or ""):
        if count > 0:
            where = f" in {year}" if year else ""
            items = "line item has" if count == 1 else "line items have"
            issues.append(
                Issue(
                    "unclassified_items",
                    year,
                    f"{count} {items} no CMA head{where}. Review and classify them: "
                    "the forms would leave their amounts out.",
                )
            )
    return issues


def _balance(report: Report, year: str, rounding_unit: Decimal | None) -> list[Issue]:
    assets = report.value("total_assets", year) or Decimal(0)
    liabilities = report.value("total_liabilities", year) or Decimal(0)
    difference = assets - liabilities
    tolerance = balance_tolerance(report, year, rounding_unit)
    if abs(difference) <= tolerance:
        return []
    hint = (
        "Usually a ledger classified to the wrong side, a missing closing stock, or a "
        "ledger without a head."
    )
    return [
        Issue(
            "assets_liabilities_mismatch",
            year,
            f"In {year} total assets ({format_inr(assets)}) differ from total liabilities "
            f"({format_inr(liabilities)}) by {format_inr(difference)}, more than the "
            f"{format_inr(tolerance)} allowed for rounding. {hint}",
        )
    ]


def _negative_balances(report: Report, year: str) -> list[Issue]:
    issues = []
    for head_id in (*INVENTORY_HEADS, "cash_bank"):
        amount = report.value(head_id, year) or Decimal(0)
        if amount >= 0:
            continue
        label = HEADS_BY_ID[head_id].label.lower()
        if head_id == "cash_bank":
            issues.append(
                Issue(
                    "negative_cash",
                    year,
                    f"Cash and bank balances are negative in {year} ({format_inr(amount)}): "
                    "a bank account in credit is a borrowing (short-term borrowings from "
                    "banks), not cash.",
                )
            )
        else:
            issues.append(
                Issue(
                    "negative_inventory",
                    year,
                    f"Inventory of {label} is negative in {year} ({format_inr(amount)}): "
                    "check the closing stock lines.",
                )
            )
    return issues


def _long_holding_periods(report: Report, year: str) -> list[Issue]:
    form = report.form("form_iv")
    if form is None:
        return []
    issues = []
    for line in form.lines:
        value = report.value(line.key, year)
        if line.kind == "months" and value is not None and value > HOLDING_PERIOD_LIMIT:
            issues.append(
                Issue(
                    "holding_period_long",
                    year,
                    f"{line.label}: {value} months in {year}, more than a year. Check the "
                    "closing balance and the yearly figure it is measured against.",
                )
            )
    return issues


def _tenfold_moves(
    before: Mapping[str, Decimal], after: Mapping[str, Decimal], year: str
) -> list[Issue]:
    issues = []
    for head_def in HEADS:
        old, new = abs(before.get(head_def.id, Decimal(0))), abs(after.get(head_def.id, Decimal(0)))
        if old == 0 or new == 0 or max(old, new) < TENFOLD_FLOOR:
            continue  # a head that appears or disappears is not a "move"
        if new > 10 * old or old > 10 * new:
            direction = "rose" if new > old else "fell"
            issues.append(
                Issue(
                    "head_moved_tenfold",
                    year,
                    f"{head_def.label} {direction} more than tenfold in {year}: from "
                    f"{format_inr(before[head_def.id])} to {format_inr(after[head_def.id])}. "
                    "Check the unit (lakhs, thousands) and the classification.",
                )
            )
    return issues


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
