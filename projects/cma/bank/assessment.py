"""The working-capital limit a bank would assess, for every year (PROJECTIONS.md
"Assessment"): Method I and II from Form V, the turnover method for micro and small
enterprises, which of them applies and why, drawing power and excess borrowing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from projects.cma.forms import Report
from projects.cma.projections.loans import fiscal_year_of
from projects.cma.projections.plan import WC_FACILITIES, Limit
from projects.cma.projections.stock import StockStatement

__all__ = [
    "TURNOVER_METHOD_CEILING",
    "Assessment",
    "DrawingPower",
    "Method",
    "TurnoverMethod",
    "assess",
    "assessment_dict",
    "drawing_power",
    "fund_based_wc_limits",
    "turnover_method",
]

Method = Literal["turnover_method", "method_2"]
ZERO = Decimal(0)
PAISA = Decimal("0.01")
HUNDRED = Decimal(100)
# RBI: micro and small enterprises with fund-based working-capital limits up to ₹5 crore
# are assessed on at least 20 % of their projected turnover (Nayak Committee).
TURNOVER_METHOD_CEILING = Decimal(50_000_000)


def _paise(value: Decimal) -> Decimal:
    return value.quantize(PAISA, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TurnoverMethod:
    """The Nayak Committee's table, lettered as banks print it."""

    a_turnover: Decimal
    b_requirement: Decimal  # 25 % of A
    c_minimum_margin: Decimal  # 5 % of A
    d_net_working_capital: Decimal  # actual / projected NWC
    e_b_less_c: Decimal  # 20 % of A
    f_b_less_d: Decimal
    g_assessed_limit: Decimal  # lower of E and F (nothing, if that is negative)

    def as_dict(self) -> dict[str, Decimal]:
        return {
            "a_turnover": self.a_turnover,
            "b_requirement": self.b_requirement,
            "c_minimum_margin": self.c_minimum_margin,
            "d_net_working_capital": self.d_net_working_capital,
            "e_b_less_c": self.e_b_less_c,
            "f_b_less_d": self.f_b_less_d,
            "g_assessed_limit": self.g_assessed_limit,
        }


def turnover_method(turnover: Decimal, net_working_capital: Decimal) -> TurnoverMethod:
    a = _paise(turnover)
    b = _paise(a * Decimal("0.25"))
    c = _paise(a * Decimal("0.05"))
    d = _paise(net_working_capital)
    e, f = b - c, b - d
    return TurnoverMethod(a, b, c, d, e, f, max(min(e, f), ZERO))


@dataclass(frozen=True)
class DrawingPower:
    as_on: str
    year: str
    paid_stock: Decimal  # stocks less creditors for goods (nothing, if creditors exceed)
    stock_advance: Decimal  # paid stock less the stock margin
    receivables_advance: Decimal  # receivables up to 90 days less the debtor margin
    computed: Decimal  # the two advances
    sanctioned_limit: Decimal | None
    drawing_power: Decimal  # lower of computed and the sanctioned limit


def drawing_power(
    statement: StockStatement, sanctioned_limit: Decimal | None, year: str = ""
) -> DrawingPower:
    """(stocks - creditors) x (1 - stock margin) + receivables x (1 - debtor margin),
    capped at the sanctioned limit where there is one."""
    paid = max(statement.stocks - statement.creditors, ZERO)
    stock_advance = _paise(paid * (HUNDRED - statement.stock_margin_pct) / HUNDRED)
    debts_advance = _paise(
        statement.receivables * (HUNDRED - statement.debtor_margin_pct) / HUNDRED
    )
    computed = stock_advance + debts_advance
    power = computed if sanctioned_limit is None else min(computed, sanctioned_limit)
    return DrawingPower(
        statement.as_on, year, paid, stock_advance, debts_advance, computed, sanctioned_limit, power
    )


def fund_based_wc_limits(limits: Sequence[Limit], field: str) -> Decimal | None:
    """The total of one column of Form I over the fund-based working-capital rows; None
    when no row gives it."""
    amounts = [
        getattr(limit, field)
        for limit in limits
        if limit.facility in WC_FACILITIES
        and limit.fund_based
        and getattr(limit, field) is not None
    ]
    return sum(amounts, ZERO) if amounts else None


@dataclass(frozen=True)
class Assessment:
    year: str
    method_1: Decimal | None  # MPBF, Form V
    method_2: Decimal | None
    turnover_method: TurnoverMethod | None  # None: not a micro or small enterprise
    applicable: Method
    reason: str
    assessed_limit: Decimal
    bank_borrowings: Decimal
    excess_borrowing: Decimal  # bank borrowings - assessed limit, where positive
    drawing_power: DrawingPower | None


def _crores(amount: Decimal) -> str:
    return f"₹{(amount / Decimal(10_000_000)).quantize(PAISA, rounding=ROUND_HALF_UP)} crore"


def _which(msme: bool, limits: Decimal | None, borrowing: Decimal) -> tuple[Method, str]:
    if not msme:
        return "method_2", (
            "Method II: the client is not marked a micro or small enterprise, so the "
            "turnover method does not apply (Method I is shown beside it)."
        )
    total, what = (
        (limits, "the proposed fund-based working-capital limits")
        if limits is not None
        else (borrowing, "the year's working-capital bank borrowing (no limits proposed)")
    )
    if total <= TURNOVER_METHOD_CEILING:
        return "turnover_method", (
            f"Turnover method: a micro or small enterprise, and {what} total "
            f"{_crores(total)}, within ₹5 crore (RBI, Nayak Committee)."
        )
    return "method_2", (
        f"Method II: a micro or small enterprise, but {what} total {_crores(total)}, "
        "above the turnover method's ₹5 crore."
    )


def assess(
    report: Report,
    *,
    msme: bool,
    limits: Sequence[Limit],
    statement: StockStatement | None = None,
    statement_year: str | None = None,
) -> dict[str, Assessment]:
    """Every year of ``report`` assessed. The drawing power goes to the year the
    statement's date falls in, else to ``statement_year`` (the estimate year)."""
    proposed = fund_based_wc_limits(limits, "proposed_limit")
    sanctioned = fund_based_wc_limits(limits, "existing_limit")
    if sanctioned is None:
        sanctioned = proposed
    dp_year = None
    if statement is not None:
        dp_year = fiscal_year_of(statement.as_on[:7])
        if dp_year not in report.years:
            dp_year = statement_year
    result: dict[str, Assessment] = {}
    for year in report.years:
        value = report.value
        borrowing = value("bank_borrowings_wc", year) or ZERO
        applicable, reason = _which(msme, proposed, borrowing)
        turnover = (
            turnover_method(
                value("net_sales", year) or ZERO, value("net_working_capital", year) or ZERO
            )
            if msme
            else None
        )
        method_2 = value("mpbf_method_2", year)
        assessed = (
            turnover.g_assessed_limit
            if applicable == "turnover_method" and turnover is not None
            else (method_2 or ZERO)
        )
        dp = (
            drawing_power(statement, sanctioned, year)
            if statement is not None and year == dp_year
            else None
        )
        result[year] = Assessment(
            year=year,
            method_1=value("mpbf_method_1", year),
            method_2=method_2,
            turnover_method=turnover,
            applicable=applicable,
            reason=reason,
            assessed_limit=assessed,
            bank_borrowings=borrowing,
            excess_borrowing=max(borrowing - assessed, ZERO),
            drawing_power=dp,
        )
    return result


def assessment_dict(assessment: Assessment) -> Mapping[str, object]:
    """API.md's ``assessment[year]`` (amounts as Decimal; the caller makes them numbers)."""
    dp = assessment.drawing_power
    return {
        "method_1": assessment.method_1,
        "method_2": assessment.method_2,
        "turnover_method": (
            None if assessment.turnover_method is None else assessment.turnover_method.as_dict()
        ),
        "applicable": assessment.applicable,
        "reason": assessment.reason,
        "assessed_limit": assessment.assessed_limit,
        "drawing_power": None if dp is None else dp.drawing_power,
        "drawing_power_detail": None
        if dp is None
        else {
            "as_on": dp.as_on,
            "paid_stock": dp.paid_stock,
            "stock_advance": dp.stock_advance,
            "receivables_advance": dp.receivables_advance,
            "computed": dp.computed,
            "sanctioned_limit": dp.sanctioned_limit,
        },
        "excess_borrowing": assessment.excess_borrowing,
    }
