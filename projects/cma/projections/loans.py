"""Term-loan schedules: month by month, then summed by financial year (April to March).

A loan is disbursed (or, for an existing loan, stands at ``amount``) at the start of its
first month; interest accrues monthly on the balance at the start of the month, at
rate / 12. The first ``moratorium_months`` pay interest only; the remaining
``tenor_months - moratorium_months`` repay it:

- ``equal_principal``: amount / n each month (the last one takes the paise left over);
- ``emi``: the equated instalment P x r x (1 + r)^n / ((1 + r)^n - 1), r = rate / 1200,
  rounded to the paisa; each month's principal is the instalment less that month's
  interest, and the last instalment clears what is left.

Every monthly figure is rounded to the paisa, so the yearly sums are exact and the balance
always equals the amount less the principal repaid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from projects.cma.forms.books import year_start
from projects.cma.years import fiscal_year_label

__all__ = [
    "REPAYMENTS",
    "LoanYear",
    "Month",
    "Repayment",
    "TermLoan",
    "emi",
    "fiscal_year_of",
    "loan_years",
    "schedule",
    "sum_years",
]

Repayment = Literal["equal_principal", "emi"]
REPAYMENTS: tuple[Repayment, ...] = ("equal_principal", "emi")
PAISA = Decimal("0.01")
ZERO = Decimal(0)


def _paise(value: Decimal) -> Decimal:
    return value.quantize(PAISA, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TermLoan:
    name: str
    amount: Decimal  # sanctioned amount; for an existing loan, the outstanding balance
    rate_pct: Decimal
    start_month: str  # "2025-04": disbursement (or, existing, the balance's) month
    tenor_months: int  # moratorium included
    moratorium_months: int = 0
    repayment: Repayment = "equal_principal"
    existing: bool = False


@dataclass(frozen=True)
class Month:
    month: str  # "2025-04"
    opening: Decimal
    interest: Decimal
    principal: Decimal
    closing: Decimal


@dataclass(frozen=True)
class LoanYear:
    """A financial year of a loan, as the forms take it."""

    interest: Decimal
    principal: Decimal
    closing: Decimal
    due_within_year: Decimal  # principal of the following twelve months (Form III item 8)

    @property
    def beyond_year(self) -> Decimal:
        """The balance not due within a year (Form III item 13)."""
        return self.closing - self.due_within_year


def month_index(month: str) -> int:
    """ "2025-04" -> months since year 0; ValueError for anything else."""
    year, _, number = month.partition("-")
    if len(year) != 4 or len(number) != 2 or not (year + number).isdigit():
        raise ValueError(f"Not a month like 2025-04: {month!r}")
    if not 1 <= int(number) <= 12:
        raise ValueError(f"Not a month like 2025-04: {month!r}")
    return int(year) * 12 + int(number) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fiscal_year_of(month: str) -> str:
    """The financial year a month falls in: "2025-03" -> "2024-25"."""
    index = month_index(month)
    year, number = index // 12, index % 12 + 1
    return fiscal_year_label(year if number >= 4 else year - 1)


def emi(principal: Decimal, rate_pct: Decimal, months: int) -> Decimal:
    """The equated monthly instalment, to the paisa (no interest: principal / months)."""
    if months <= 0:
        raise ValueError("An EMI needs at least one instalment")
    if rate_pct == 0:
        return _paise(principal / months)
    rate = rate_pct / 1200
    growth = (1 + rate) ** months
    return _paise(principal * rate * growth / (growth - 1))


def schedule(loan: TermLoan) -> list[Month]:
    """The loan month by month, from its first month until it is repaid."""
    first = month_index(loan.start_month)
    instalments = loan.tenor_months - loan.moratorium_months
    if instalments <= 0:
        raise ValueError(f"{loan.name}: the tenor must be longer than the moratorium")
    rate = loan.rate_pct / 1200
    balance = _paise(loan.amount)
    level = (
        _paise(balance / instalments)
        if loan.repayment == "equal_principal"
        else emi(balance, loan.rate_pct, instalments)
    )
    months: list[Month] = []
    for offset in range(loan.tenor_months):
        interest = _paise(balance * rate)
        if offset < loan.moratorium_months:
            principal = ZERO
        elif offset == loan.tenor_months - 1:
            principal = balance  # the last instalment clears the paise left by rounding
        elif loan.repayment == "equal_principal":
            principal = min(level, balance)
        else:
            principal = min(max(level - interest, ZERO), balance)
        months.append(
            Month(month_label(first + offset), balance, interest, principal, balance - principal)
        )
        balance -= principal
    return months


def loan_years(loan: TermLoan, years: Sequence[str]) -> dict[str, LoanYear]:
    """The loan's interest, principal repaid, closing balance and next year's principal,
    for each of ``years`` (financial years; a year before the loan shows zeros)."""
    return sum_years(schedule(loan), loan.amount, years)


def sum_years(
    months: Sequence[Month], amount: Decimal, years: Sequence[str]
) -> dict[str, LoanYear]:
    first = month_index(months[0].month) if months else 0
    by_year: dict[str, list[Decimal]] = {}
    for month in months:
        sums = by_year.setdefault(fiscal_year_of(month.month), [ZERO, ZERO])
        sums[0] += month.interest
        sums[1] += month.principal
    result = {}
    for year in years:
        year_end = (year_start(year) + 1) * 12 + 2  # March of the following calendar year
        if year_end < first:
            result[year] = LoanYear(ZERO, ZERO, ZERO, ZERO)
            continue
        interest, principal = by_year.get(year, [ZERO, ZERO])
        repaid = sum((m.principal for m in months if month_index(m.month) <= year_end), ZERO)
        next_year = fiscal_year_label(year_start(year) + 1)
        due = by_year.get(next_year, [ZERO, ZERO])[1]
        result[year] = LoanYear(interest, principal, _paise(amount) - repaid, due)
    return result
