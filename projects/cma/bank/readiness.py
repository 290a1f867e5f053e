"""A projection's bank readiness in one place: assessment, DSCR, ISCR, break-even, the
term loans by year and the checks, in API.md's shapes (amounts as Decimal; ``as_json``
makes them JSON numbers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from projects.cma.bank.assessment import Assessment, assess, assessment_dict, fund_based_wc_limits
from projects.cma.bank.checks import Check, readiness_checks
from projects.cma.bank.coverage import (
    BreakEven,
    DebtService,
    DscrTable,
    break_even,
    dscr_table,
    iscr,
)
from projects.cma.projections import Plan, Projection

__all__ = ["BANK_FIELDS", "BankReadiness", "bank_readiness", "jsonable"]

ZERO = Decimal(0)
# The report's fields this module fills (API.md "Plan, assessment and bank readiness").
BANK_FIELDS = ("assessment", "dscr", "iscr", "break_even", "term_loans", "checks")


@dataclass(frozen=True)
class BankReadiness:
    assessment: Mapping[str, Assessment]
    dscr: DscrTable
    iscr: Mapping[str, Decimal | None]
    break_even: Mapping[str, BreakEven]
    term_loans: Mapping[str, Mapping[str, Mapping[str, Decimal]]]
    checks: list[Check] = field(default_factory=list)

    @property
    def ready_to_send(self) -> bool:
        """Errors block sending the file to the bank (never generating it)."""
        return not any(check.level == "error" for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "assessment": {y: assessment_dict(a) for y, a in self.assessment.items()},
            "dscr": {
                "average": self.dscr.average,
                "minimum": self.dscr.minimum,
                "by_year": {
                    year: {"numerator": r.numerator, "denominator": r.denominator, "dscr": r.dscr}
                    for year, r in self.dscr.by_year.items()
                },
            },
            "iscr": dict(self.iscr),
            "break_even": {
                year: {"sales": b.sales, "cash_sales": b.cash_sales}
                for year, b in self.break_even.items()
            },
            "term_loans": {name: dict(years) for name, years in self.term_loans.items()},
            "checks": [check.as_dict() for check in self.checks],
            "ready_to_send": self.ready_to_send,
        }

    def as_json(self) -> dict[str, Any]:
        return jsonable(self.as_dict())


def jsonable(value: Any) -> Any:
    """Decimals as JSON numbers (money in rupees, two decimals), recursively."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {key: jsonable(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(inner) for inner in value]
    return value


def bank_readiness(projection: Projection, plan: Plan) -> BankReadiness:
    """Everything a bank looks at beside the forms, for every year of ``projection``
    (a projection of the actual years alone has assessments and ratios, no checks)."""
    report = projection.report
    projected = projection.projected
    assessments = assess(
        report,
        msme=plan.msme,
        limits=projection.limits,
        statement=plan.stock_statement,
        statement_year=projected[0] if projected else None,
    )
    value = report.value
    debt = {
        year: DebtService(
            value("net_profit", year) or ZERO,
            value("depreciation", year) or ZERO,
            projection.loan_totals(year).interest,
            projection.loan_totals(year).principal,
        )
        for year in projected
    }
    dscr = dscr_table(debt)
    coverage = {year: iscr(report, year) for year in report.years}
    loans = {
        name: {
            year: {
                "interest": row.interest,
                "principal": row.principal,
                "closing": row.closing,
                "due_within_year": row.due_within_year,
            }
            for year, row in by_year.items()
        }
        for name, by_year in projection.loan_years.items()
    }
    checks = readiness_checks(
        report,
        kinds=projection.kinds,
        assessments=assessments,
        dscr=dscr,
        iscr=coverage,
        additional_finance={
            year: projection.steps.get(year, {}).get("additional_finance_required", ZERO)
            for year in projected
        },
        proposed_limits=fund_based_wc_limits(projection.limits, "proposed_limit"),
        notes=plan.notes,
    )
    return BankReadiness(
        assessment=assessments,
        dscr=dscr,
        iscr=coverage,
        break_even={year: break_even(report, year) for year in report.years},
        term_loans=loans,
        checks=checks,
    )
