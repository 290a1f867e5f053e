"""What validate and generate both need: the project's line items as computed forms."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projects.cma.checks import Issue, Validation, validate
from projects.cma.forms import Report, books_from_items, compute, key_figures
from projects.models import LineItem

# Statements printed in lakhs to two decimals round each line to ₹1,000.
STATEMENT_ROUNDING = Decimal("1000")
CROSS_CHECK_TOLERANCE = Decimal("0.005")


@dataclass(frozen=True)
class Computed:
    items: list[LineItem]
    report: Report
    validation: Validation

    def key_figures_json(self) -> dict[str, dict[str, float | None]]:
        """Money as rupees with two decimals, ratios with four: JSON numbers (API.md)."""
        return {
            year: {name: None if value is None else float(value) for name, value in figures.items()}
            for year, figures in key_figures(self.report).items()
        }


def project_compute(
    *, project_id: int, cross_checks: list[dict[str, Any]] | None = None
) -> Computed:
    items = list(LineItem.objects.filter(project_id=project_id).select_related("file"))
    bases = {item.year: item.basis for item in items}
    books = books_from_items(((i.year, i.head, i.amount, i.side) for i in items if i.head), bases)
    report = compute(books)
    unclassified = Counter(i.year for i in items if not i.head)
    validation = validate(
        report,
        unclassified=dict(unclassified),
        trial_balance_totals=trial_balance_totals(items),
        rounding_units={y: STATEMENT_ROUNDING for y, b in bases.items() if b == "statements"},
    )
    for issue in statement_cross_checks(report, cross_checks or []):
        validation.warnings.append(issue)
    return Computed(items=items, report=report, validation=validation)


def trial_balance_totals(items: list[LineItem]) -> dict[str, tuple[Decimal, Decimal]]:
    """Per trial-balance year, debits and credits as read (closing stock stands apart)."""
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for item in items:
        if item.basis == "trial_balance" and not item.closing_stock:
            totals[item.year][0 if item.side == "Dr" else 1] += item.amount
    return {year: (debit, credit) for year, (debit, credit) in totals.items()}


def statement_cross_checks(report: Report, cross_checks: list[dict[str, Any]]) -> list[Issue]:
    """A statement of a year the trial balance already gave must agree on total assets."""
    issues = []
    for check in cross_checks:
        year, stated = check["year"], Decimal(check["total_assets"])
        if year not in report.years:
            continue
        computed = report.value("total_assets", year)
        if computed is None or abs(computed - stated) <= max(
            STATEMENT_ROUNDING * 10, abs(stated) * CROSS_CHECK_TOLERANCE
        ):
            continue
        issues.append(
            Issue(
                "statement_mismatch",
                year,
                f"{check['file']} gives total assets of ₹{stated:,.2f} for {year}, but the "
                f"trial balance comes to ₹{computed:,.2f}.",
            )
        )
    return issues
