"""The balance sheet's totals per year, and the user's fiscal year over the file's.

Totals are taken as printed, else as the lines add up, with a warning when the two
disagree or the balance sheet does not balance. In a file that shows one year, the
fiscal year the user chose replaces the file's.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from projects.cma.extract.numbers import PAISA, format_inr
from projects.cma.extract.statements.page import _RUPEE, _State
from projects.cma.records import ExtractedItem

# ----------------------------------------------------------------------------------------
# Totals and years
# ----------------------------------------------------------------------------------------


def _totals(state: _State, path: Path, warnings: list[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """Per year (total assets, total liabilities) as printed, else as the lines add up."""
    unit = state.unit or _RUPEE
    years = sorted({year for year, _ in state.sums} | {year for year, _ in state.totals})
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for year in years:
        pair = []
        for kind in ("assets", "liabilities"):
            key = (year, kind)
            computed = state.sums.get(key, Decimal(0))
            printed = state.totals.get(key)
            if printed is None:
                pair.append(computed)
                continue
            pair.append(printed)
            # Each printed figure is rounded to its last digit: allow half a digit a line.
            tolerance = unit * PAISA * (state.lines_in.get(key, 0) + 1) / 2
            if key in state.sums and abs(printed - computed) > tolerance:
                warnings.append(
                    f"In {path.name} the {kind} lines for {year} add up to "
                    f"\u20b9{format_inr(computed)}, but its total says "
                    f"\u20b9{format_inr(printed)}; a line may have been missed."
                )
        assets, liabilities = pair
        if assets != liabilities:
            warnings.append(
                f"The balance sheet in {path.name} does not balance for {year}: total assets "
                f"\u20b9{format_inr(assets)}, total liabilities \u20b9{format_inr(liabilities)}."
            )
        totals[year] = (assets, liabilities)
    return totals


def _apply_user_year(
    items: list[ExtractedItem],
    totals: dict[str, tuple[Decimal, Decimal]],
    fiscal_year: str | None,
    path: Path,
    warnings: list[str],
) -> tuple[list[ExtractedItem], dict[str, tuple[Decimal, Decimal]]]:
    """The user's fiscal year replaces the file's when the file shows one year."""
    years = {item.year for item in items}
    if fiscal_year is None or len(years) != 1 or fiscal_year in years:
        return items, totals
    named = next(iter(years))
    warnings.append(
        f"{path.name} names the fiscal year {named}, but {fiscal_year} was chosen for it; its "
        f"figures are filed under {fiscal_year}."
    )
    items = [replace(item, year=fiscal_year) for item in items]
    # One year in the file, so at most one pair of totals.
    totals = {fiscal_year: totals[named]} if named in totals else {}
    return items, totals
