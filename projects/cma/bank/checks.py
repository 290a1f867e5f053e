"""Bank-readiness checks (PROJECTIONS.md): what a credit officer sends a CMA back for,
found before it leaves the office. Each names the year, the figure, the threshold and
what to change.

Notes: the plan's ``notes`` carry the user's explanation of a check, keyed by the
check's code for every year it trips in ("sales_growth") or by code and year for one
year ("sales_growth:2026-27"; this wins over the code alone). A note travels with the
check; it never hides one. A note turns only one error into a warning: sales growth
above 40 %, which PROJECTIONS.md allows when a note explains it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from projects.cma.bank.assessment import Assessment
from projects.cma.bank.coverage import DscrTable
from projects.cma.extract.numbers import format_inr
from projects.cma.forms import Report
from projects.cma.forms.assessment import HOLDING_PERIODS

__all__ = [
    "CHECK_CODES",
    "HOLDING_LEVELS",
    "THRESHOLDS",
    "Check",
    "Level",
    "note_for",
    "readiness_checks",
]

Level = Literal["error", "warning"]
ZERO = Decimal(0)
TWO = Decimal("0.01")

THRESHOLDS: Mapping[str, Decimal] = {
    "current_ratio_warning": Decimal("1.33"),
    "current_ratio_error": Decimal("1.17"),
    "tol_tnw_warning": Decimal(3),
    "tol_tnw_error": Decimal(4),
    "dscr_warning": Decimal("1.5"),
    "dscr_error": Decimal("1.25"),
    "iscr_warning": Decimal(2),
    "sales_growth_warning": Decimal(25),
    "sales_growth_error": Decimal(40),
    "holding_level_times": Decimal("1.5"),
}
# Form IV's holding levels a projection sets (months), with the words a user knows.
HOLDING_LEVELS: tuple[tuple[str, str], ...] = (
    *((key, label.split(" (")[0].lower()) for key, label, _, _ in HOLDING_PERIODS),
    ("creditors_months", "sundry creditors"),
)
CHECK_CODES = (
    "current_ratio",
    "tol_tnw",
    "dscr_average",
    "iscr",
    "sales_growth",
    *(f"holding_{key}" for key, _ in HOLDING_LEVELS),
    "cash_shortfall",
    "assessed_below_proposed",
    "balance_sheet_not_tying",
)


@dataclass(frozen=True)
class Check:
    code: str
    level: Level
    year: str | None  # None: over all the years (the average DSCR)
    figure: Decimal | None
    threshold: Decimal | None
    message: str
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "year": self.year,
            "figure": self.figure,
            "threshold": self.threshold,
            "message": self.message,
            "note": self.note,
        }


def note_for(notes: Mapping[str, str], code: str, year: str | None) -> str | None:
    if year is not None and notes.get(f"{code}:{year}"):
        return notes[f"{code}:{year}"]
    return notes.get(code) or None


def _rupees(amount: Decimal) -> str:
    """Whole rupees with Indian grouping: "₹12,34,567"."""
    whole = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if whole < 0 else ""
    return f"{sign}₹{format_inr(abs(whole)).removesuffix('.00')}"


def readiness_checks(
    report: Report,
    *,
    kinds: Mapping[str, str],
    assessments: Mapping[str, Assessment],
    dscr: DscrTable,
    iscr: Mapping[str, Decimal | None],
    additional_finance: Mapping[str, Decimal],
    proposed_limits: Decimal | None,
    notes: Mapping[str, str],
) -> list[Check]:
    """Every check that trips, in the order PROJECTIONS.md lists them, year by year."""
    projected = [year for year in report.years if kinds.get(year) in ("estimated", "projected")]
    actual = [year for year in report.years if year not in projected]
    checks: list[Check] = []

    def add(
        code: str,
        level: Level,
        year: str | None,
        figure: Decimal | None,
        threshold: Decimal | None,
        message: str,
    ) -> None:
        checks.append(
            Check(code, level, year, figure, threshold, message, note_for(notes, code, year))
        )

    value = report.value
    for year in projected:
        ratio = value("current_ratio", year)
        if ratio is not None and ratio < THRESHOLDS["current_ratio_warning"]:
            error = ratio < THRESHOLDS["current_ratio_error"]
            limit = THRESHOLDS["current_ratio_error" if error else "current_ratio_warning"]
            add(
                "current_ratio", "error" if error else "warning", year, ratio, limit,
                f"Current ratio in {year} is {ratio}, below {limit}: banks expect at least "
                "1.33 (Method II). Bring in long-term funds (capital, term or unsecured "
                "loans) or lower the proposed working-capital limit.",
            )  # fmt: skip

    for year in projected:
        tnw = value("tangible_net_worth", year)
        ratio = value("tol_tnw", year)
        if tnw is not None and tnw <= 0:
            add(
                "tol_tnw", "error", year, ratio, THRESHOLDS["tol_tnw_error"],
                f"Tangible net worth in {year} is {_rupees(tnw)}, not positive: TOL/TNW "
                "means nothing. Bring in capital or reduce drawings.",
            )  # fmt: skip
        elif ratio is not None and ratio > THRESHOLDS["tol_tnw_warning"]:
            error = ratio > THRESHOLDS["tol_tnw_error"]
            limit = THRESHOLDS["tol_tnw_error" if error else "tol_tnw_warning"]
            add(
                "tol_tnw", "error" if error else "warning", year, ratio, limit,
                f"TOL/TNW in {year} is {ratio}, above {limit}: the business leans on "
                "outside money. Bring in capital, retain more profit or borrow less.",
            )  # fmt: skip

    if dscr.average is not None and dscr.average < THRESHOLDS["dscr_warning"]:
        error = dscr.average < THRESHOLDS["dscr_error"]
        limit = THRESHOLDS["dscr_error" if error else "dscr_warning"]
        years = ", ".join(dscr.by_year)
        add(
            "dscr_average", "error" if error else "warning", None, dscr.average, limit,
            f"Average DSCR over {years} is {dscr.average}, below {limit} (lowest "
            f"{dscr.minimum}): the profit does not cover the instalments with room. "
            "Lengthen the tenor or the moratorium, or borrow less.",
        )  # fmt: skip

    for year in projected:
        cover = iscr.get(year)
        if cover is not None and cover < THRESHOLDS["iscr_warning"]:
            add(
                "iscr", "warning", year, cover, THRESHOLDS["iscr_warning"],
                f"Interest coverage in {year} is {cover}, below 2: operating profit "
                "before interest, depreciation and tax is less than twice the interest. "
                "Check the margins, the rates or the borrowing.",
            )  # fmt: skip

    for previous, year in zip(report.years, report.years[1:], strict=False):
        if year not in projected:
            continue
        before, sales = value("net_sales", previous), value("net_sales", year)
        if not before or before <= 0 or sales is None:
            continue
        growth = ((sales - before) * 100 / before).quantize(TWO, rounding=ROUND_HALF_UP)
        if growth <= THRESHOLDS["sales_growth_warning"]:
            continue
        note = note_for(notes, "sales_growth", year)
        error = growth > THRESHOLDS["sales_growth_error"] and note is None
        limit = THRESHOLDS["sales_growth_error" if error else "sales_growth_warning"]
        add(
            "sales_growth", "error" if error else "warning", year, growth, limit,
            f"Net sales grow {growth} % in {year} over {previous}, above {limit} %: "
            + (
                "say in a note what supports it (orders in hand, new capacity)."
                if note is None
                else "explained by the note."
            ),
        )  # fmt: skip

    if actual:
        last = actual[-1]
        times = THRESHOLDS["holding_level_times"]
        for key, words in HOLDING_LEVELS:
            base = value(key, last)
            if base is None or base <= 0:
                continue
            for year in projected:
                level = value(key, year)
                if level is None or level <= base * times:
                    continue
                add(
                    f"holding_{key}", "warning", year, level, (base * times).quantize(TWO),
                    f"Holding of {words} in {year} is {level} months, more than 1.5 times "
                    f"the {base} months of {last}: explain it in a note or bring it nearer "
                    "the books.",
                )  # fmt: skip

    for year in projected:
        shortfall = additional_finance.get(year, ZERO)
        if shortfall > 0:
            add(
                "cash_shortfall", "warning", year, shortfall, ZERO,
                f"{year} is short of cash by {_rupees(shortfall)} (additional finance "
                "required): bring in capital or loans, or lower the capex, drawings or "
                "holding levels.",
            )  # fmt: skip

    coming = next((y for y in projected if kinds.get(y) == "projected"), None) or (
        projected[0] if projected else None
    )
    if coming is not None and proposed_limits is not None:
        assessed = assessments[coming].assessed_limit
        if assessed < proposed_limits:
            method = (
                "the turnover method"
                if assessments[coming].applicable == "turnover_method"
                else "Method II"
            )
            add(
                "assessed_below_proposed", "warning", coming, assessed, proposed_limits,
                f"The limit assessed for {coming} by {method} is {_rupees(assessed)}, below "
                f"the {_rupees(proposed_limits)} proposed: lower the proposed limit or "
                "raise the net working capital (long-term funds).",
            )  # fmt: skip

    for year in projected:
        assets, liabilities = value("total_assets", year), value("total_liabilities", year)
        if assets is None or liabilities is None or assets == liabilities:
            continue
        difference = assets - liabilities
        add(
            "balance_sheet_not_tying", "error", year, difference, ZERO,
            f"The projected balance sheet of {year} does not tie: assets less "
            f"liabilities is {_rupees(difference)}. This is a fault in the product; "
            "report it with the plan.",
        )  # fmt: skip
    return checks


def errors(checks: Sequence[Check]) -> list[Check]:
    return [check for check in checks if check.level == "error"]
