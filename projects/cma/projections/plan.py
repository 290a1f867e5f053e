"""The plan as the user gives it (JSON-like data) -> a checked ``Plan``, or every problem.

Problems are collected per field path ("assumptions.2025-26.rm_months",
"term_loans.0.tenor_months") with a sentence a user can act on; nothing is half-applied.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from projects.cma.forms.books import year_start
from projects.cma.projections.assumptions import ASSUMPTIONS, Assumption
from projects.cma.projections.loans import REPAYMENTS, TermLoan, month_index
from projects.cma.projections.stock import StockStatement, parse_stock_statement
from projects.cma.years import fiscal_year_label

__all__ = [
    "DISPLAY_UNITS",
    "FACILITIES",
    "MAX_PROJECTED_YEARS",
    "PLAN_FIELDS",
    "WC_FACILITIES",
    "YEAR_KINDS",
    "Limit",
    "Plan",
    "PlanInvalid",
    "YearKind",
    "next_year",
    "parse_plan",
    "plan_years",
]

YearKind = Literal["audited", "provisional", "estimated", "projected"]
YEAR_KINDS: tuple[YearKind, ...] = ("audited", "provisional", "estimated", "projected")
DisplayUnit = Literal["lakhs", "crores", "rupees"]
DISPLAY_UNITS: dict[str, Decimal] = {
    "lakhs": Decimal(100000),
    "crores": Decimal(10000000),
    "rupees": Decimal(1),
}
# How a page or a sheet names the unit its amounts are in.
UNIT_LABELS: dict[str, str] = {"lakhs": "₹ lakhs", "crores": "₹ crores", "rupees": "₹"}
FACILITIES = (
    "cash_credit",
    "overdraft",
    "wcdl",
    "packing_credit",
    "bill_discounting",
    "letter_of_credit",
    "bank_guarantee",
    "term_loan",
)
# Fund-based working-capital facilities: what the projected bank borrowing is drawn from.
WC_FACILITIES = frozenset(
    {"cash_credit", "overdraft", "wcdl", "packing_credit", "bill_discounting"}
)
NON_FUND_FACILITIES = frozenset({"letter_of_credit", "bank_guarantee"})
MAX_PROJECTED_YEARS = 7
DEFAULT_PROJECTED_YEARS = 1
PLAN_FIELDS = (
    "estimate_year",
    "projected_years",
    "years",
    "assumptions",
    "limits",
    "term_loans",
    "msme",
    "display_unit",
    "notes",
    "stock_statement",
)
# Far beyond any client's books: a typo (or a pasted account number), not a figure.
MAX_AMOUNT = Decimal(10) ** 13
MAX_MONTHS = Decimal(120)
MAX_PERCENT = Decimal(1000)
_ASSUMPTION = {a.key: a for a in ASSUMPTIONS}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Limit:
    """A Form I row: one facility with one bank."""

    bank: str
    facility: str
    fund_based: bool
    existing_limit: Decimal | None = None
    outstanding: Decimal | None = None
    outstanding_on: str | None = None
    highest_use: Decimal | None = None
    lowest_use: Decimal | None = None
    proposed_limit: Decimal | None = None


@dataclass(frozen=True)
class Plan:
    estimate_year: str | None = None  # None: the year after the last actual year
    projected_years: int = DEFAULT_PROJECTED_YEARS
    provisional_years: tuple[str, ...] = ()
    assumptions: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    limits: tuple[Limit, ...] | None = None  # None: not given, defaults from the books
    term_loans: tuple[TermLoan, ...] | None = None  # None: the books' loans
    msme: bool = False
    display_unit: DisplayUnit = "lakhs"
    # Bank-readiness checks' notes, keyed "code" (every year) or "code:year" (one year).
    notes: Mapping[str, str] = field(default_factory=dict)
    stock_statement: StockStatement | None = None  # for the drawing power


class PlanInvalid(ValueError):
    """One or more fields of a plan are wrong; ``fields`` maps each path to why."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(f"{path}: {message}" for path, message in self.fields.items()))


def plan_years(actual_years: Sequence[str], plan: Plan) -> list[tuple[str, YearKind]]:
    """Every column, left to right: the actual years, the estimate, the projections."""
    years: list[tuple[str, YearKind]] = [
        (year, "provisional" if year in plan.provisional_years else "audited")
        for year in actual_years
    ]
    if not actual_years:
        return years
    estimate = plan.estimate_year or next_year(actual_years[-1])
    first = year_start(estimate)
    years.append((estimate, "estimated"))
    years += [
        (fiscal_year_label(first + offset), "projected")
        for offset in range(1, plan.projected_years + 1)
    ]
    return years


def next_year(year: str) -> str:
    return fiscal_year_label(year_start(year) + 1)


class _Problems:
    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, message)


def _number(
    value: Any, path: str, problems: _Problems, *, what: str = "a number"
) -> Decimal | None:
    """A JSON number or a numeric string (a form field) as Decimal; None for blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problems.add(path, f"Must be {what}, not true or false.")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.add(path, f"Must be {what}.")
        return None
    text = str(value).strip().replace(",", "") if isinstance(value, str) else repr(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        problems.add(path, f"Must be {what}; “{value}” is not a number.")
        return None
    if not number.is_finite():
        problems.add(path, f"Must be {what}.")
        return None
    if abs(number) >= MAX_AMOUNT:
        problems.add(path, "Is far too large to be right.")
        return None
    return number


def _assumption_value(
    spec: Assumption, value: Any, path: str, problems: _Problems
) -> Decimal | None:
    number = _number(value, path, problems)
    if number is None:
        return None
    if spec.minimum is not None and number < spec.minimum:
        if spec.kind == "months":
            problems.add(path, "Months cannot be negative.")
        elif spec.minimum == -100:
            problems.add(path, "Growth cannot be below -100 % (that would be negative sales).")
        elif spec.kind == "money":
            problems.add(path, "Cannot be negative.")
        else:
            problems.add(path, "A percentage here cannot be negative.")
        return None
    if spec.kind == "months" and number > MAX_MONTHS:
        problems.add(path, f"{number} months is more than ten years' holding: check the figure.")
        return None
    if spec.kind == "percent" and number > MAX_PERCENT:
        problems.add(path, f"{number} % is not a plausible rate: check the figure.")
        return None
    return number


def _int(
    value: Any, path: str, problems: _Problems, *, low: int, high: int, what: str
) -> int | None:
    number = _number(value, path, problems, what=what)
    if number is None:
        if value is None or value == "":
            problems.add(path, f"Give {what}.")
        return None
    if number != number.to_integral_value():
        problems.add(path, f"Must be a whole number of {what.split()[-1]}.")
        return None
    if number < 0 and what.endswith("months"):
        problems.add(path, "Months cannot be negative.")
        return None
    if not low <= number <= high:
        problems.add(path, f"Must be between {low} and {high}.")
        return None
    return int(number)


def _bool(value: Any, path: str, problems: _Problems) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "on", "1", 1):
        return True
    if value in ("false", "off", "0", 0, "", None):
        return False
    problems.add(path, "Must be true or false.")
    return False


def _text(value: Any, path: str, problems: _Problems, *, required: bool, limit: int = 200) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.add(path, "Must be text.")
        return ""
    text = value.strip()
    if required and not text:
        problems.add(path, "Cannot be blank.")
    if len(text) > limit:
        problems.add(path, f"At most {limit} characters.")
    return text


def _unknown(
    data: Mapping[str, Any], known: Sequence[str], prefix: str, problems: _Problems
) -> None:
    for key in data:
        if key not in known:
            problems.add(f"{prefix}{key}", f"Unknown field “{key}”.")


def parse_plan(data: Mapping[str, Any], *, actual_years: Sequence[str]) -> Plan:
    """The plan in ``data`` (API.md's plan fields) checked against the books' years.

    Raises PlanInvalid naming every bad field. Blank assumptions mean "use the default".
    """
    problems = _Problems()
    if not isinstance(data, Mapping):
        raise PlanInvalid({"": "A plan is a JSON object."})
    _unknown(data, PLAN_FIELDS, "", problems)

    estimate_year = None
    expected = next_year(actual_years[-1]) if actual_years else None
    if data.get("estimate_year") not in (None, ""):
        given = data["estimate_year"]
        if not isinstance(given, str) or not _is_year(given):
            problems.add("estimate_year", f"“{given}” is not a financial year like 2025-26.")
        elif expected is None:
            problems.add("estimate_year", "The project has no books yet to estimate from.")
        elif given != expected:
            problems.add(
                "estimate_year",
                f"{given} is out of range: the estimate is the year after the books' last "
                f"year ({actual_years[-1]}), {expected}.",
            )
        else:
            estimate_year = given

    projected_years = DEFAULT_PROJECTED_YEARS
    if data.get("projected_years") is not None:
        count = _int(
            data["projected_years"], "projected_years", problems,
            low=1, high=MAX_PROJECTED_YEARS, what="a number of years",
        )  # fmt: skip
        projected_years = count if count is not None else DEFAULT_PROJECTED_YEARS

    provisional = _provisional_years(data.get("years"), actual_years, problems)

    plan_so_far = Plan(estimate_year=estimate_year, projected_years=projected_years)
    plan_year_list = [
        y for y, kind in plan_years(actual_years, plan_so_far) if kind in ("estimated", "projected")
    ]
    assumptions = _assumptions(data.get("assumptions"), plan_year_list, problems)
    limits = None if data.get("limits") is None else _limits(data["limits"], problems)
    loans = None if data.get("term_loans") is None else _loans(data["term_loans"], problems)

    display_unit = data.get("display_unit") or "lakhs"
    if display_unit not in DISPLAY_UNITS:
        problems.add("display_unit", f"Use one of {', '.join(DISPLAY_UNITS)}.")
        display_unit = "lakhs"
    notes: dict[str, str] = {}
    raw_notes = data.get("notes") or {}
    if not isinstance(raw_notes, Mapping):
        problems.add("notes", "Notes are an object: {check code: text}.")
    else:
        for code, text in raw_notes.items():
            note = _text(text, f"notes.{code}", problems, required=False, limit=2000)
            if note:
                notes[str(code)] = note

    msme = _bool(data.get("msme", False), "msme", problems)
    stock_statement = parse_stock_statement(data.get("stock_statement"), problems.add)
    if problems.fields:
        raise PlanInvalid(problems.fields)
    return Plan(
        estimate_year=estimate_year,
        projected_years=projected_years,
        provisional_years=provisional,
        assumptions=assumptions,
        limits=limits,
        term_loans=loans,
        msme=msme,
        display_unit=display_unit,  # type: ignore[arg-type]
        notes=notes,
        stock_statement=stock_statement,
    )


def _is_year(text: str) -> bool:
    try:
        year_start(text)
    except ValueError:
        return False
    return True


def _provisional_years(
    years: Any, actual_years: Sequence[str], problems: _Problems
) -> tuple[str, ...]:
    """From ``years: [{year, kind}]``: the actual years marked provisional. The other
    kinds follow from the books and the plan's years; they may be sent back unchanged."""
    if years is None:
        return ()
    if not isinstance(years, list):
        problems.add("years", "Years are a list of {year, kind}.")
        return ()
    provisional = []
    for index, entry in enumerate(years):
        path = f"years.{index}"
        if not isinstance(entry, Mapping):
            problems.add(path, "Each year is {year, kind}.")
            continue
        _unknown(entry, ("year", "kind"), f"{path}.", problems)
        year, kind = entry.get("year"), entry.get("kind")
        if kind not in YEAR_KINDS:
            problems.add(f"{path}.kind", f"Use one of {', '.join(YEAR_KINDS)}.")
        elif year in actual_years:
            if kind == "provisional":
                provisional.append(year)
            elif kind != "audited":
                problems.add(
                    f"{path}.kind", f"{year} is in the books: it is audited or provisional."
                )
        elif kind in ("audited", "provisional"):
            problems.add(f"{path}.year", f"{year} is out of range: it is not a year of the books.")
    return tuple(provisional)


def _assumptions(
    raw: Any, years: Sequence[str], problems: _Problems
) -> dict[str, dict[str, Decimal]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.add("assumptions", "Assumptions are an object: {year: {key: value}}.")
        return {}
    result: dict[str, dict[str, Decimal]] = {}
    span = f"{years[0]} to {years[-1]}" if years else "none: the project has no books yet"
    for year, values in raw.items():
        path = f"assumptions.{year}"
        if year not in years:
            problems.add(path, f"{year} is out of range: the plan's years are {span}.")
            continue
        if not isinstance(values, Mapping):
            problems.add(path, "Each year is an object: {key: value}.")
            continue
        for key, value in values.items():
            if key not in _ASSUMPTION:
                problems.add(f"{path}.{key}", f"Unknown assumption “{key}”.")
                continue
            number = _assumption_value(_ASSUMPTION[key], value, f"{path}.{key}", problems)
            if number is not None:
                result.setdefault(year, {})[key] = number
    return result


def _money(entry: Mapping[str, Any], key: str, path: str, problems: _Problems) -> Decimal | None:
    number = _number(entry.get(key), f"{path}.{key}", problems)
    if number is not None and number < 0:
        problems.add(f"{path}.{key}", "Cannot be negative.")
        return None
    return number


LIMIT_FIELDS = (
    "bank",
    "facility",
    "fund_based",
    "existing_limit",
    "outstanding",
    "outstanding_on",
    "highest_use",
    "lowest_use",
    "proposed_limit",
)
LOAN_FIELDS = (
    "name",
    "existing",
    "amount",
    "rate_pct",
    "start_month",
    "moratorium_months",
    "tenor_months",
    "repayment",
)


def _limits(raw: Any, problems: _Problems) -> tuple[Limit, ...]:
    if not isinstance(raw, list):
        problems.add("limits", "Limits are a list of Form I rows.")
        return ()
    limits = []
    for index, entry in enumerate(raw):
        path = f"limits.{index}"
        if not isinstance(entry, Mapping):
            problems.add(path, "Each limit is an object.")
            continue
        _unknown(entry, LIMIT_FIELDS, f"{path}.", problems)
        facility = entry.get("facility")
        if facility not in FACILITIES:
            problems.add(f"{path}.facility", f"Use one of {', '.join(FACILITIES)}.")
            facility = "cash_credit"
        fund_based = entry.get("fund_based")
        on = entry.get("outstanding_on") or None
        if on is not None and (not isinstance(on, str) or not _DATE.fullmatch(on)):
            problems.add(f"{path}.outstanding_on", "A date like 2025-03-31.")
            on = None
        limits.append(
            Limit(
                bank=_text(entry.get("bank"), f"{path}.bank", problems, required=False),
                facility=facility,
                fund_based=(
                    facility not in NON_FUND_FACILITIES
                    if fund_based is None
                    else _bool(fund_based, f"{path}.fund_based", problems)
                ),
                existing_limit=_money(entry, "existing_limit", path, problems),
                outstanding=_money(entry, "outstanding", path, problems),
                outstanding_on=on,
                highest_use=_money(entry, "highest_use", path, problems),
                lowest_use=_money(entry, "lowest_use", path, problems),
                proposed_limit=_money(entry, "proposed_limit", path, problems),
            )
        )
    return tuple(limits)


def _loans(raw: Any, problems: _Problems) -> tuple[TermLoan, ...]:
    if not isinstance(raw, list):
        problems.add("term_loans", "Term loans are a list.")
        return ()
    loans = []
    names: set[str] = set()
    for index, entry in enumerate(raw):
        path = f"term_loans.{index}"
        if not isinstance(entry, Mapping):
            problems.add(path, "Each term loan is an object.")
            continue
        _unknown(entry, LOAN_FIELDS, f"{path}.", problems)
        name = _text(entry.get("name"), f"{path}.name", problems, required=True)
        if name in names:
            problems.add(f"{path}.name", f"Another loan is already called “{name}”.")
        names.add(name)
        amount = _money(entry, "amount", path, problems)
        if amount is None and f"{path}.amount" not in problems.fields:
            problems.add(
                f"{path}.amount", "Give the amount (the outstanding, for an existing loan)."
            )
        rate = _money(entry, "rate_pct", path, problems)
        if rate is None and f"{path}.rate_pct" not in problems.fields:
            problems.add(f"{path}.rate_pct", "Give the interest rate.")
        elif rate is not None and rate > 100:
            problems.add(f"{path}.rate_pct", "An interest rate above 100 % is not plausible.")
        start = entry.get("start_month")
        try:
            month_index(start if isinstance(start, str) else "")
        except ValueError:
            problems.add(f"{path}.start_month", "A month like 2025-04.")
        tenor = _int(
            entry.get("tenor_months"), f"{path}.tenor_months", problems,
            low=1, high=600, what="the tenor in months",
        )  # fmt: skip
        moratorium = entry.get("moratorium_months")
        moratorium_months = (
            0
            if moratorium in (None, "")
            else _int(
                moratorium,
                f"{path}.moratorium_months",
                problems,
                low=0,
                high=599,
                what="the moratorium in months",
            )
        )
        if tenor is not None and moratorium_months is not None and moratorium_months >= tenor:
            problems.add(
                f"{path}.moratorium_months", "The moratorium must be shorter than the tenor."
            )
        repayment = entry.get("repayment") or "equal_principal"
        if repayment not in REPAYMENTS:
            problems.add(f"{path}.repayment", f"Use one of {', '.join(REPAYMENTS)}.")
        existing = _bool(entry.get("existing", False), f"{path}.existing", problems)
        if amount is None or rate is None or tenor is None or moratorium_months is None:
            continue
        if repayment not in REPAYMENTS or not isinstance(start, str):
            continue
        loans.append(
            TermLoan(
                name=name,
                amount=amount,
                rate_pct=rate,
                start_month=start,
                tenor_months=tenor,
                moratorium_months=moratorium_months,
                repayment=repayment,
                existing=existing,
            )
        )
    return tuple(loans)
