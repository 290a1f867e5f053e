"""What validate and generate both need: the project's line items as computed forms."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projects.cma.checks import Issue, Validation, validate
from projects.cma.forms import Report, books_from_items, compute, key_figures
from projects.models import FileStatus, LineItem, ProjectFile

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
    # Nothing here reads the review JSON; decoding it for 20,000 items costs a second.
    items = list(
        LineItem.objects.filter(project_id=project_id)
        .select_related("file")
        .defer("alternatives", "evidence")
    )
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
    # What extraction said of each file travels with the figures it produced: to the
    # project page, the report API, the workbook's Validation sheet and the email.
    validation.warnings[:0] = file_issues(project_id=project_id)
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


def file_issues(*, project_id: int) -> list[Issue]:
    """Each file left out, and each file's warnings, named as the user uploaded it."""
    issues = []
    for project_file in ProjectFile.objects.filter(project_id=project_id).order_by("id"):
        name = project_file.name
        if project_file.status == FileStatus.FAILED:
            error = project_file.error
            text = f"Not used: {error}" if name in error else f"{name} was not used: {error}"
            issues.append(Issue("file_not_used", None, text))
        for message in project_file.warnings:
            text = message if name in message else f"{name}: {message}"
            issues.append(Issue("file_warning", None, text))
    return issues
