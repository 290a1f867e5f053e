"""Computing the forms for a run of years, and the key figures the API reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from projects.cma.forms.books import Period, YearBooks, previous_year, year_start
from projects.cma.forms.definitions import FORMS, KEY_FIGURES, Form, FormLine, Kind
from projects.cma.forms.expressions import (
    CellOf,
    Div,
    Expr,
    Mul,
    Value,
    children,
    evaluate,
    render,
    to_excel,
)

__all__ = ["PLACES", "Report", "compute", "key_figures", "line_formula", "quantize"]

# Money to the paisa, ratios (and percentages, kept as fractions) to 4 places, months to 2.
PLACES: dict[Kind, int] = {"money": 2, "ratio": 4, "percent": 4, "months": 2}


def quantize(value: Value, kind: Kind) -> Value:
    """Rounded half away from zero, as Excel's ROUND does, so cached values match a recalc."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-PLACES[kind]), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Report:
    periods: tuple[Period, ...]  # sorted by year
    forms: tuple[Form, ...]
    values: Mapping[str, Mapping[str, Value]]  # year -> line key -> rounded value

    @property
    def years(self) -> list[str]:
        return [period.year for period in self.periods]

    @property
    def books(self) -> list[YearBooks]:
        return [period.books for period in self.periods]

    def value(self, key: str, year: str) -> Value:
        return self.values[year][key]

    def line(self, key: str) -> FormLine:
        for form in self.forms:
            for line in form.lines:
                if line.key == key:
                    return line
        raise KeyError(f"No line {key!r} in the forms")

    def form_periods(self, form: Form) -> list[Period]:
        """The years a form has a column for (Form VI: those with a previous year)."""
        if form.needs_previous:
            return [period for period in self.periods if period.previous is not None]
        return list(self.periods)

    def form(self, key: str) -> Form | None:
        return next((form for form in self.forms if form.key == key), None)


def compute(books: Sequence[YearBooks], forms: Sequence[Form] = FORMS) -> Report:
    """Every line of every form for every year, rounded per its kind."""
    ordered = sorted(books, key=lambda year_books: year_start(year_books.year))
    by_year = {year_books.year: year_books for year_books in ordered}
    if len(by_year) != len(ordered):
        raise ValueError("Two sets of books for the same year")
    periods = tuple(
        Period(year_books, by_year.get(previous_year(year_books.year))) for year_books in ordered
    )
    period_of = {period.year: period for period in periods}

    line_of: dict[str, FormLine] = {}
    form_of: dict[str, Form] = {}
    for form in forms:
        for line in form.lines:
            if line.key in line_of:
                raise ValueError(f"Line {line.key!r} is defined twice")
            line_of[line.key] = line
            form_of[line.key] = form

    values: dict[str, dict[str, Value]] = {period.year: {} for period in periods}
    pending: set[tuple[str, str]] = set()

    def line_value(key: str, year: str) -> Value:
        done = values[year]
        if key in done:
            return done[key]
        if key not in line_of:
            raise KeyError(f"A form refers to an undefined line {key!r}")
        if (key, year) in pending:
            raise ValueError(f"Line {key!r} depends on itself ({year})")
        pending.add((key, year))
        line, period = line_of[key], period_of[year]
        if form_of[key].needs_previous and period.previous is None:
            value = None
        else:
            # Lines refer to each other's ROUNDED values, as the workbook's cells do.
            value = quantize(evaluate(line.expr, period, line_value), line.kind)
        pending.discard((key, year))
        done[key] = value
        return value

    for period in periods:
        for key in line_of:
            line_value(key, period.year)
    # Form order within each year, whatever order the lines were computed in.
    ordered_values = {year: {key: values[year][key] for key in line_of} for year in values}
    return Report(periods, tuple(forms), ordered_values)


def key_figures(report: Report) -> dict[str, dict[str, Decimal | None]]:
    """Per year, API.md's key figures; None where a ratio has nothing to divide by."""
    return {year: {name: report.value(name, year) for name in KEY_FIGURES} for year in report.years}


def _inexact(expr: Expr) -> bool:
    """Whether the expression multiplies or divides (its result needs rounding)."""
    return isinstance(expr, Mul | Div) or any(_inexact(child) for child in children(expr))


def line_formula(
    line: FormLine, cell_of: CellOf, period: Period, *, extra_money_digits: int = 0
) -> str:
    """The formula for a line's cell: the expression, rounded as compute() rounds it.

    Sums of amounts in paise are exact and left as they are; a product or quotient is
    wrapped in ROUND so that Excel's recalculation shows the same figure as the cached
    value. A quotient keeps its blank-over-zero guard outside the ROUND.
    ``extra_money_digits`` moves money's rounding for a sheet in another unit (the
    paisa of a figure in lakhs is its seventh decimal place).
    """
    digits = PLACES[line.kind] + (extra_money_digits if line.kind == "money" else 0)
    if not _inexact(line.expr):
        return to_excel(line.expr, cell_of, period)
    if isinstance(line.expr, Div):
        numerator = render(line.expr.left, cell_of, period)
        denominator = render(line.expr.right, cell_of, period)
        if numerator is None or denominator is None:
            return '""'
        return f'IF({denominator}=0,"",ROUND({numerator}/{denominator},{digits}))'
    formula = to_excel(line.expr, cell_of, period)
    return '""' if formula == '""' else f"ROUND({formula},{digits})"
