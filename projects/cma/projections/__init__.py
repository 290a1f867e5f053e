"""Estimated and projected years from a plan (PROJECTIONS.md). Pure Python, Decimal money.

    plan = parse_plan(data, actual_years=report.years)   # PlanInvalid: {path: message}
    projection = project(report, plan)                     # report = compute(actual books)
    projection.report                                      # every year through FORMS
    projection.key_figures()

The per-head recipe (``recipe.recipe``) is the one description of how a projected year is
made; the workbook turns the same steps into formulas over the assumption cells.
"""

from projects.cma.projections.assumptions import ASSUMPTION_KEYS, ASSUMPTIONS, defaults_from
from projects.cma.projections.data import (
    data_changes,
    limit_to_data,
    loan_to_data,
    plan_to_data,
)
from projects.cma.projections.engine import (
    PROJECTED_FIGURES,
    Projection,
    default_limits,
    default_loans,
    project,
)
from projects.cma.projections.loans import LoanYear, Month, TermLoan, emi, loan_years, schedule
from projects.cma.projections.plan import (
    DISPLAY_UNITS,
    FACILITIES,
    MAX_PROJECTED_YEARS,
    UNIT_LABELS,
    YEAR_KINDS,
    Limit,
    Plan,
    PlanInvalid,
    YearKind,
    next_year,
    parse_plan,
    plan_years,
)
from projects.cma.projections.recipe import Step, recipe
from projects.cma.projections.stock import StockStatement, stock_statement_to_data

__all__ = [
    "ASSUMPTIONS",
    "ASSUMPTION_KEYS",
    "DISPLAY_UNITS",
    "FACILITIES",
    "MAX_PROJECTED_YEARS",
    "PROJECTED_FIGURES",
    "UNIT_LABELS",
    "YEAR_KINDS",
    "Limit",
    "LoanYear",
    "Month",
    "Plan",
    "PlanInvalid",
    "Projection",
    "Step",
    "StockStatement",
    "TermLoan",
    "YearKind",
    "data_changes",
    "default_limits",
    "default_loans",
    "defaults_from",
    "emi",
    "limit_to_data",
    "loan_to_data",
    "loan_years",
    "next_year",
    "parse_plan",
    "plan_to_data",
    "plan_years",
    "project",
    "recipe",
    "schedule",
    "stock_statement_to_data",
]
