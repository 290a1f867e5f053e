"""The balance sheet's totals per year, and the user's fiscal year over the file's.

Totals are taken as printed (each has passed its checksum, or the mismatch was reported),
else as the lines add up, with a warning when the balance sheet does not balance. In a
file that shows one year, the fiscal year the user chose replaces the file's, which is
itself a mismatch the user must accept.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from projects.cma.extract.numbers import format_inr
from projects.cma.extract.statements.checksums import Resolved, contribution, row_rupees
from projects.cma.extract.statements.rows import BALANCE_SHEET, StatementRow
from projects.cma.records import ExtractedItem, MismatchError

__all__ = ["apply_user_year", "balance_sheet_totals"]


def balance_sheet_totals(
    rows: list[StatementRow],
    resolved: Resolved,
    unit: Decimal,
    name: str,
    warnings: list[str],
) -> dict[str, tuple[Decimal, Decimal]]:
    """Per year (total assets, total liabilities) as printed, else as the lines add up.

    Called before a note's lines replace a face line, so the sums are the face's.
    """
    printed: dict[tuple[str, str], Decimal] = {}
    for (_block, kind), by_year in sorted(resolved.totals.items()):
        for year, amount in by_year.items():
            printed[(year, kind)] = amount
    sums: dict[tuple[str, str], Decimal] = {}
    for index in resolved.items:
        row = rows[index]
        if row.statement != BALANCE_SHEET or row.kind not in ("assets", "liabilities"):
            continue
        for year in row.figures:
            key = (year, row.kind)
            sums[key] = sums.get(key, Decimal(0)) + row_rupees(row, contribution(row, year), unit)
    years = sorted({year for year, _ in sums} | {year for year, _ in printed})
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for year in years:
        assets = printed.get((year, "assets"), sums.get((year, "assets"), Decimal(0)))
        liabilities = printed.get(
            (year, "liabilities"), sums.get((year, "liabilities"), Decimal(0))
        )
        if assets != liabilities:
            warnings.append(
                f"The balance sheet in {name} does not balance for {year}: total assets "
                f"\u20b9{format_inr(assets)}, total liabilities \u20b9{format_inr(liabilities)}."
            )
        totals[year] = (assets, liabilities)
    return totals


def apply_user_year(
    items: list[ExtractedItem],
    totals: dict[str, tuple[Decimal, Decimal]],
    fiscal_year: str | None,
    name: str,
    warnings: list[str],
    *,
    accept_mismatches: bool,
) -> tuple[list[ExtractedItem], dict[str, tuple[Decimal, Decimal]]]:
    """The user's fiscal year replaces the file's when the file shows one year.

    A file that names another year than the one chosen raises MismatchError, unless the
    user has accepted it: then its figures are filed under the chosen year, with a warning.
    """
    years = {item.year for item in items}
    if fiscal_year is None or len(years) != 1 or fiscal_year in years:
        return items, totals
    named = next(iter(years))
    if not accept_mismatches:
        raise MismatchError(
            f"{name} names the fiscal year {named}, but {fiscal_year} was chosen for it. "
            f"Choose {named} for this file, or accept it to file its figures under "
            f"{fiscal_year}."
        )
    warnings.append(
        f"{name} names the fiscal year {named}, but {fiscal_year} was chosen for it; its "
        f"figures are filed under {fiscal_year}."
    )
    items = [replace(item, year=fiscal_year) for item in items]
    # One year in the file, so at most one pair of totals.
    totals = {fiscal_year: totals[named]} if named in totals else {}
    return items, totals
