"""From the actual years' forms and a plan to the estimated and projected years.

    projection = project(compute(actual_books), plan)
    projection.report            # Forms II-VI and the ratios of every year, one Report
    projection.key_figures()     # API.md's key figures, + additional_finance_required

Each projected year runs the recipe (recipe.py) over the previous year's form lines, the
year's assumptions and the loan schedules; its head totals become a ``YearBooks`` with the
statements basis (projected books are closed books), and the forms compute it exactly as
they compute an actual year.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from projects.cma.forms import (
    FORMS,
    Expr,
    Period,
    Report,
    Value,
    YearBooks,
    compute,
    evaluate,
    key_figures,
    quantize,
)
from projects.cma.projections.assumptions import ASSUMPTION_KEYS, defaults_from
from projects.cma.projections.loans import LoanYear, TermLoan, loan_years
from projects.cma.projections.plan import WC_FACILITIES, Limit, Plan, YearKind, plan_years
from projects.cma.projections.recipe import (
    Assume,
    Last,
    Loans,
    PlanInput,
    Step,
    recipe,
    run_steps,
)

__all__ = [
    "PROJECTED_FIGURES",
    "Projection",
    "default_limits",
    "default_loans",
    "project",
    "year_lines",
]

ZERO = Decimal(0)
TWO = Decimal("0.01")
# Key figures of estimated and projected years beyond the actual years' (API.md).
PROJECTED_FIGURES = ("additional_finance_required",)


@dataclass(frozen=True)
class Projection:
    report: Report  # every year, actual and projected, through the same forms
    kinds: Mapping[str, YearKind]
    defaults: Mapping[str, Decimal]  # per assumption, the same for every projected year
    assumptions: Mapping[str, Mapping[str, Decimal]]  # projected year -> key -> value used
    steps: Mapping[str, Mapping[str, Decimal]]  # projected year -> step -> value
    recipe: tuple[Step, ...]
    loans: tuple[TermLoan, ...]
    loan_years: Mapping[str, Mapping[str, LoanYear]]  # loan name -> year -> sums
    limits: tuple[Limit, ...]

    @classmethod
    def of_books(cls, actual: Report, kinds: Mapping[str, YearKind] | None = None) -> Projection:
        """The books' years alone (no plan, or no year to project from): assessed all
        the same, with nothing projected."""
        if kinds is None:
            kinds = dict.fromkeys(actual.years, "audited")
        return cls(actual, kinds, {}, {}, {}, (), (), {}, ())

    @property
    def years(self) -> list[str]:
        return self.report.years

    @property
    def projected(self) -> list[str]:
        return [year for year in self.years if self.kinds[year] in ("estimated", "projected")]

    def key_figures(self) -> dict[str, dict[str, Decimal | None]]:
        figures = key_figures(self.report)
        for year in self.projected:
            for name in PROJECTED_FIGURES:
                figures[year][name] = self.steps[year][name]
        return figures

    def loan_totals(self, year: str) -> LoanYear:
        sums = [by_year[year] for by_year in self.loan_years.values() if year in by_year]
        return LoanYear(
            sum((s.interest for s in sums), ZERO),
            sum((s.principal for s in sums), ZERO),
            sum((s.closing for s in sums), ZERO),
            sum((s.due_within_year for s in sums), ZERO),
        )

    def dscr(self) -> dict[str, object]:
        """PROJECTIONS.md "DSCR" over the projected years that repay a term loan."""
        by_year: dict[str, dict[str, Decimal | None]] = {}
        numerators, denominators, ratios = ZERO, ZERO, []
        for year in self.projected:
            loans = self.loan_totals(year)
            if loans.principal == 0:
                continue
            value = self.report.value
            numerator = (
                (value("net_profit", year) or ZERO)
                + (value("depreciation", year) or ZERO)
                + loans.interest
            )
            denominator = loans.interest + loans.principal
            ratio = (numerator / denominator).quantize(TWO, rounding=ROUND_HALF_UP)
            by_year[year] = {"numerator": numerator, "denominator": denominator, "dscr": ratio}
            numerators += numerator
            denominators += denominator
            ratios.append(ratio)
        average = (
            (numerators / denominators).quantize(TWO, rounding=ROUND_HALF_UP)
            if denominators
            else None
        )
        return {"average": average, "minimum": min(ratios, default=None), "by_year": by_year}


def default_limits(actual: Report, year: str) -> tuple[Limit, ...]:
    """Form I rows the books show: the working-capital borrowing and the term loans,
    outstanding as at the end of the last actual year; limits left for the user."""
    end = f"{int(year[:4]) + 1}-03-31"
    rows = []
    wc = actual.value("bank_borrowings_wc", year) or ZERO
    if wc > 0:
        rows.append(Limit("", "cash_credit", True, outstanding=wc, outstanding_on=end))
    term = (actual.value("term_loans", year) or ZERO) + (
        actual.value("term_loan_current_maturities", year) or ZERO
    )
    if term > 0:
        rows.append(Limit("", "term_loan", True, outstanding=term, outstanding_on=end))
    return tuple(rows)


# An existing loan without instalments in the books is taken as not repaying within the
# plan's years: interest only for this long, then repaid after them.
_NO_REPAYMENT_MONTHS = 12 * 10
_LONGEST_BOOK_LOAN_MONTHS = 12 * 30


def default_loans(
    actual: Report, year: str, estimate_year: str, rate_pct: Decimal
) -> tuple[TermLoan, ...]:
    """The books' term loans as one existing loan from the start of the estimate year,
    repaying its current maturities (Form III item 8) in the next twelve months and at
    that pace after; interest at the working-capital rate until the user enters more."""
    beyond = actual.value("term_loans", year) or ZERO
    current = actual.value("term_loan_current_maturities", year) or ZERO
    outstanding = beyond + current
    if outstanding <= 0:
        return ()
    start = f"{estimate_year[:4]}-04"
    name = f"Term loans in the books ({year})"
    if current <= 0:
        return (
            TermLoan(
                name, outstanding, rate_pct, start, _NO_REPAYMENT_MONTHS + 1,
                _NO_REPAYMENT_MONTHS, existing=True,
            ),
        )  # fmt: skip
    # Instalments so small that they would run past thirty years are taken as thirty years'.
    months = min(max(1, math.ceil(outstanding * 12 / current)), _LONGEST_BOOK_LOAN_MONTHS)
    return (TermLoan(name, outstanding, rate_pct, start, months, existing=True),)


def year_lines(
    books: YearBooks, previous: YearBooks, previous_lines: Mapping[str, Value]
) -> dict[str, Value]:
    """Every form line of one year, the previous year's lines being known already.

    What ``compute`` does for a run of years, for one: the projection needs each year's
    lines before it can make the next year's books.
    """
    period = Period(books, previous)
    line_of = {line.key: (form, line) for form in FORMS for line in form.lines}
    values: dict[str, Value] = {}

    def line_value(key: str, year: str) -> Value:
        if year == previous.year:
            return previous_lines[key]
        if key not in values:
            _, line = line_of[key]
            values[key] = quantize(evaluate(line.expr, period, line_value), line.kind)
        return values[key]

    for key in line_of:
        line_value(key, books.year)
    return values


def _wc_limits(limits: Sequence[Limit]) -> Decimal | None:
    proposed = [
        limit.proposed_limit
        for limit in limits
        if limit.facility in WC_FACILITIES and limit.fund_based and limit.proposed_limit is not None
    ]
    return sum(proposed, ZERO) if proposed else None


def _leaves(
    year: str,
    values: Mapping[str, Decimal],
    loans: Mapping[str, Decimal],
    previous: Mapping[str, Value],
    wc_limits: Decimal | None,
) -> Callable[[Expr, Mapping[str, Decimal]], Decimal]:
    """Where the recipe's leaves come from in one year."""

    def leaf(node: Expr, _done: Mapping[str, Decimal]) -> Decimal:
        match node:
            case Assume(key=key):
                return values[key]
            case Last(key=key):
                found = previous[key]
                return ZERO if found is None else found
            case Loans(field=name):
                return loans[name]
            case PlanInput(name="wc_limits") if wc_limits is not None:
                return wc_limits
        raise KeyError(f"Nothing gives {node!r} in {year}")

    return leaf


def project(actual: Report, plan: Plan) -> Projection:
    """The actual years and, after them, the plan's estimate and projected years."""
    kinds = dict(plan_years(actual.years, plan))
    if not actual.years:
        return Projection.of_books(actual, kinds)
    last = actual.years[-1]
    defaults = defaults_from(actual, last)
    projected = [year for year, kind in kinds.items() if kind in ("estimated", "projected")]
    assumptions = {
        year: {
            key: plan.assumptions.get(year, {}).get(key, defaults[key]) for key in ASSUMPTION_KEYS
        }
        for year in projected
    }
    loans = (
        plan.term_loans
        if plan.term_loans is not None
        else default_loans(actual, last, projected[0], defaults["wc_interest_pct"])
    )
    limits = plan.limits if plan.limits is not None else default_limits(actual, last)
    schedules = {loan.name: loan_years(loan, projected) for loan in loans}
    wc_limits = _wc_limits(limits)
    last_books = actual.books[-1]
    steps = recipe(
        payout_as_drawings=last_books.heads.get("drawings", ZERO) != 0,
        wc_limits_proposed=wc_limits is not None,
    )

    previous_books = last_books
    previous: dict[str, Value] = {"additional_finance_required": ZERO, **actual.values[last]}
    all_steps: dict[str, dict[str, Decimal]] = {}
    projected_books: list[YearBooks] = []
    for year in projected:
        totals = {
            field: sum((getattr(s[year], field) for s in schedules.values()), ZERO)
            for field in ("interest", "principal", "closing", "due_within_year")
        }
        totals["beyond_year"] = totals["closing"] - totals["due_within_year"]

        done = run_steps(steps, _leaves(year, assumptions[year], totals, previous, wc_limits))
        books = YearBooks(year, "statements", {s.name: done[s.name] for s in steps if s.head})
        lines = year_lines(books, previous_books, previous)
        all_steps[year] = done
        projected_books.append(books)
        # The next year reads this year's lines; steps fill in what no line is (the
        # shortfall). Where both have a name the line wins ("net_block" is the form's
        # total; the step of that name is the head, shown as "net_block_stated").
        previous = {**done, **lines}
        previous_books = books

    report = compute([*actual.books, *projected_books])
    return Projection(
        report=report,
        kinds=kinds,
        defaults=defaults,
        assumptions=assumptions,
        steps=all_steps,
        recipe=steps,
        loans=tuple(loans),
        loan_years=schedules,
        limits=tuple(limits),
    )
