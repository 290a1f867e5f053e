"""A project's line items as computed forms, checked: what validate and generate both need.

Extraction keeps, besides the line items, the totals of statements it set aside for a year
a trial balance already gave; they are checked here against the computed balance sheet."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round

from projects.cma.checks import Issue, Validation, validate
from projects.cma.forms import Report, books_from_items, compute
from projects.models import FileStatus, LineItem, ProjectFile

# Statements printed in lakhs to two decimals round each line to ₹1,000.
STATEMENT_ROUNDING = Decimal("1000")
CROSS_CHECK_TOLERANCE = Decimal("0.005")


@dataclass(frozen=True)
class Computed:
    report: Report
    validation: Validation


@dataclass(frozen=True)
class HeadTotal:
    """The line items of one year, head, side, basis and closing-stock flag, added up."""

    year: str
    head: str  # "" while unclassified
    side: str
    basis: str
    closing_stock: bool
    amount: Decimal
    count: int


def report_of(totals: list[HeadTotal]) -> Report:
    """The forms of the years the line items' totals (`head_totals`) give."""
    bases = {total.year: total.basis for total in totals}
    return compute(
        books_from_items(((t.year, t.head, t.amount, t.side) for t in totals if t.head), bases)
    )


def project_compute(*, project_id: int) -> Computed:
    totals = head_totals(project_id=project_id)
    bases = {total.year: total.basis for total in totals}
    report = report_of(totals)
    unclassified: Counter[str] = Counter()
    for total in totals:
        if not total.head:
            unclassified[total.year] += total.count
    validation = validate(
        report,
        unclassified=dict(unclassified),
        trial_balance_totals=trial_balance_totals(totals),
        rounding_units={y: STATEMENT_ROUNDING for y, b in bases.items() if b == "statements"},
    )
    for issue in statement_cross_checks(report, set_aside_totals(project_id=project_id)):
        validation.warnings.append(issue)
    # What extraction said of each file travels with the figures it produced: to the
    # project page, the report API, the workbook's Validation sheet and the email.
    validation.warnings[:0] = file_issues(project_id=project_id)
    return Computed(report=report, validation=validation)


def head_totals(*, project_id: int) -> list[HeadTotal]:
    """The project's line items added up in the database: a few hundred rows, not one
    object per ledger (20,000 of them took a second to build, 100,000 a few hundred MB).

    Added up as whole paise: SQLite keeps a decimal column as a float, and a float sum of
    thousands of amounts can be a paisa out; an integer sum is exact on both databases.
    """
    paise = Sum(Cast(Round(F("amount") * 100), BigIntegerField()))
    rows = (
        LineItem.objects.filter(project_id=project_id)
        .order_by()
        .values_list("year", "head", "side", "basis", "closing_stock")
        .annotate(paise=paise, count=Count("id"))
        .order_by("year", "head", "side", "basis", "closing_stock")
    )
    return [
        HeadTotal(year, head, side, basis, bool(stock), Decimal(int(total)).scaleb(-2), count)
        for year, head, side, basis, stock, total, count in rows
    ]


def set_aside_totals(*, project_id: int) -> list[dict[str, Any]]:
    """Statements' total assets for years another file gave ({year, file, total_assets}),
    as the latest extraction recorded them on each file."""
    files = ProjectFile.objects.filter(project_id=project_id)
    return [
        {"year": year, "file": name, "total_assets": total}
        for name, totals in files.values_list("name", "set_aside_totals")
        for year, total in sorted((totals or {}).items())
    ]


def trial_balance_totals(totals: list[HeadTotal]) -> dict[str, tuple[Decimal, Decimal]]:
    """Per trial-balance year, debits and credits as read (closing stock stands apart)."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for total in totals:
        if total.basis == "trial_balance" and not total.closing_stock:
            sums[total.year][0 if total.side == "Dr" else 1] += total.amount
    return {year: (debit, credit) for year, (debit, credit) in sums.items()}


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
