"""Which fiscal year each amount column of a trial balance is for.

A year comes from the column's header, else from the title rows or the name of its sheet,
else from the file's name; the user's choice wins in a file that covers one year. A file
that leaves a column's year unclear is refused with a message saying where to put it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from projects.cma.extract.trial_balance.layout import Found
from projects.cma.records import ExtractionError
from projects.cma.years import fiscal_years_in

if TYPE_CHECKING:
    from projects.cma.extract.trial_balance.checks import Mismatches

# ----------------------------------------------------------------------------------------
# Years
# ----------------------------------------------------------------------------------------


def single_year(text: str) -> str | None:
    years = fiscal_years_in(text)
    return years[0] if len(years) == 1 else None


def resolve_years(
    name: str,
    found: list[Found],
    fiscal_year: str | None,
    warnings: list[str],
    mismatches: Mismatches,
) -> dict[tuple[int, str | None], str]:
    """The year of every (table, column year) pair.

    In a one-year file the user's choice is used; when the file names another year that is
    a mismatch (the user may accept it, and the figures are filed under the chosen year).
    """
    named: set[str] = set()
    for entry in found:
        for slot in entry.layout.slots:
            if slot.year is not None:
                named.add(slot.year)
            elif entry.year is not None:
                named.add(entry.year)
    if not named:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        from_name = single_year(stem.replace("_", "-"))
        if from_name is not None:
            named.add(from_name)
    mapping: dict[tuple[int, str | None], str] = {}
    one_year = len(named) <= 1
    if fiscal_year is not None and one_year:
        if named and fiscal_year not in named:
            mismatches.add(
                f"{name} names the fiscal year {next(iter(named))}, but {fiscal_year} was "
                f"chosen for it; accepted as it is, its figures are filed under {fiscal_year}."
            )
        for index, entry in enumerate(found):
            for slot in entry.layout.slots:
                mapping[(index, slot.year)] = fiscal_year
        return mapping
    for index, entry in enumerate(found):
        for slot in entry.layout.slots:
            year = slot.year or entry.year
            if year is None:
                if fiscal_year is not None:
                    year = fiscal_year
                elif one_year and named:
                    year = next(iter(named))
                else:
                    raise _no_year(name, entry, several=bool(named))
            mapping[(index, slot.year)] = year
    if fiscal_year is not None and fiscal_year not in mapping.values():
        listed = ", ".join(sorted(named))
        warnings.append(
            f"{name} covers the fiscal years {listed}, each named in the file, so the "
            f"chosen year {fiscal_year} was not used for it."
        )
    return mapping


def _no_year(name: str, entry: Found, *, several: bool) -> ExtractionError:
    if several:
        where = "" if entry.sheet.csv else f' The sheet "{entry.sheet.name}" does not.'
        return ExtractionError(
            f"{name} covers several fiscal years, but it is not clear which one some of "
            f"its figures are for.{where} Put the year in the sheet's name (for example "
            '"FY 2023-24") or above its table, and upload it again.'
        )
    return ExtractionError(
        f"{name} does not say which fiscal year it is for: there is no period line "
        '(such as "1-Apr-2023 to 31-Mar-2024") above its table and no year in its sheet or '
        "file name. Choose the fiscal year for this file and process it again."
    )
