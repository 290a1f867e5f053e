"""The plan's sheets: Assumptions (the inputs a reader may change) and Term loans.

The Assumptions sheet holds every assumption per estimated and projected year (with the
default the books gave), the proposed limits (Form I) and their working-capital total.
The Term loans sheet holds each loan's terms and its schedule month by month, summed by
financial year with SUMIFS into the figures the projection takes (interest, principal
repaid, closing balance, next year's instalments), and the DSCR over them. The projected
years' formulas (forms.py) refer to these cells, so changing one recomputes the forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from projects.cma.forms.books import year_start
from projects.cma.projections import ASSUMPTIONS as ASSUMPTION_DEFS
from projects.cma.projections import Projection, schedule
from projects.cma.projections.loans import fiscal_year_of
from projects.cma.projections.plan import WC_FACILITIES
from projects.cma.workbook.cells import (
    ASSUMPTIONS,
    FIRST_ROW,
    HEADER_ROW,
    TERM_LOANS,
    Layout,
    Styles,
    Unit,
    heading,
    safe_text,
    write_computed,
)
from projects.cma.workbook.forms import column_header
from projects.cma.years import fiscal_year_label

__all__ = ["LOAN_FIELDS", "layout_plan", "write_assumptions", "write_term_loans"]

LOAN_FIELDS: tuple[tuple[str, str], ...] = (
    ("interest", "Interest (Form II)"),
    ("principal", "Principal repaid"),
    ("closing", "Closing balance"),
    ("due_within_year", "Due within 12 months (Form III item 8)"),
    ("beyond_year", "Due after 12 months (Form III item 13)"),
)
DSCR_ROWS = (
    "Net profit (Form II)",
    "Depreciation (Form II)",
    "Term-loan interest",
    "Term-loan principal repaid",
    "Cash accruals + interest (numerator)",
    "Interest + principal (denominator)",
    "DSCR (times)",
)
LIMIT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Bank", 40),
    ("Facility", 16),
    ("Fund-based", 16),
    ("Existing limit", 16),
    ("Outstanding", 16),
    ("Outstanding on", 16),
    ("Highest use (12 months)", 16),
    ("Lowest use (12 months)", 16),
    ("Proposed limit", 16),
    ("In the working-capital limit", 16),
)
PROPOSED_COL = 8
COUNTED_COL = 9
UNIT_NAMES = {"percent": "%", "months": "months"}


def layout_plan(layout: Layout, projection: Projection) -> None:
    years = projection.projected
    layout.columns[ASSUMPTIONS] = {year: 3 + index for index, year in enumerate(years)}
    for index, assumption in enumerate(ASSUMPTION_DEFS):
        layout.rows[("assume", assumption.key)] = (ASSUMPTIONS, FIRST_ROW + index)
    # Two rows after the assumptions: the limits' heading and their column headers.
    total_row = FIRST_ROW + len(ASSUMPTION_DEFS) + 3 + len(projection.limits)
    layout.fixed["wc_limits"] = (ASSUMPTIONS, total_row, PROPOSED_COL)

    layout.columns[TERM_LOANS] = {year: 1 + index for index, year in enumerate(years)}
    for index, (name, _) in enumerate(LOAN_FIELDS):
        layout.rows[("loans", name)] = (TERM_LOANS, FIRST_ROW + 1 + index)


def write_assumptions(
    sheet: Worksheet,
    styles: Styles,
    title: str,
    layout: Layout,
    unit: Unit,
    projection: Projection,
    *,
    msme: bool,
    notes: Mapping[str, str],
) -> None:
    heading(
        sheet,
        styles,
        title,
        f"Assumptions - the plan's inputs per year (money in {unit.label})",
        "Change a yellow cell and recalculate: every estimated and projected figure in the "
        "forms follows. Percentages as typed (10 means 10 %); holding levels in months.",
    )
    last_actual = next((y for y in reversed(projection.years) if y not in projection.projected), "")
    for col, name in enumerate(("Assumption", "Unit", f"Default (from {last_actual})")):
        sheet.write_string(HEADER_ROW, col, name, styles.header)
    for year, col in layout.columns[ASSUMPTIONS].items():
        sheet.write_string(
            HEADER_ROW, col, column_header(year, projection.kinds), styles.header_number
        )
    sheet.set_row(HEADER_ROW, 30)
    for assumption in ASSUMPTION_DEFS:
        _, row = layout.rows[("assume", assumption.key)]
        money = assumption.kind == "money"
        sheet.write_string(row, 0, assumption.label, styles.text)
        sheet.write_string(row, 1, unit.label if money else UNIT_NAMES[assumption.kind])
        default = projection.defaults.get(assumption.key)
        if default is not None:
            shown = unit.scale(default) if money else float(default)
            sheet.write_number(row, 2, shown, styles.numbers["money"] if money else styles.plain)
        for year, col in layout.columns[ASSUMPTIONS].items():
            value = projection.assumptions[year][assumption.key]
            shown = unit.scale(value) if money else float(value)
            sheet.write_number(row, col, shown, styles.input_money if money else styles.input)

    _write_limits(sheet, styles, layout, unit, projection)
    _, total_row, _ = layout.fixed["wc_limits"]
    row = total_row + 2
    sheet.write_string(row, 0, "Micro or small enterprise (MSME)", styles.text)
    sheet.write_string(row, 1, "Yes" if msme else "No", styles.text)
    sheet.write_string(row + 1, 0, "Amounts shown in", styles.text)
    sheet.write_string(row + 1, 1, unit.label, styles.text)
    if notes:
        row += 3
        sheet.write_string(row, 0, "Notes on the plan (they travel with the CMA)", styles.section)
        for offset, (key, note) in enumerate(sorted(notes.items())):
            sheet.write_string(row + 1 + offset, 0, safe_text(key), styles.text)
            sheet.write_string(row + 1 + offset, 1, safe_text(note), styles.wrap)
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2 + max(len(projection.projected), 8), 16)
    sheet.freeze_panes(FIRST_ROW, 1)


def _write_limits(
    sheet: Worksheet, styles: Styles, layout: Layout, unit: Unit, projection: Projection
) -> None:
    _, total_row, _ = layout.fixed["wc_limits"]
    first = total_row - len(projection.limits)
    sheet.write_string(first - 2, 0, "Existing and proposed limits (Form I)", styles.section)
    for col, (name, _) in enumerate(LIMIT_COLUMNS):
        sheet.write_string(first - 1, col, name, styles.header)
    money = styles.input_money
    for offset, limit in enumerate(projection.limits):
        row = first + offset
        sheet.write_string(row, 0, safe_text(limit.bank) or "(bank not given)", styles.text)
        sheet.write_string(row, 1, limit.facility.replace("_", " "), styles.text)
        sheet.write_string(row, 2, "Yes" if limit.fund_based else "No", styles.text)
        amounts = (
            (3, limit.existing_limit),
            (4, limit.outstanding),
            (6, limit.highest_use),
            (7, limit.lowest_use),
            (PROPOSED_COL, limit.proposed_limit),
        )
        for col, amount in amounts:
            if amount is None:
                sheet.write_blank(row, col, None, money)
            else:
                sheet.write_number(row, col, unit.scale(amount), money)
        sheet.write_string(row, 5, safe_text(limit.outstanding_on or ""), styles.text)
        counted = limit.fund_based and limit.facility in WC_FACILITIES
        sheet.write_string(row, COUNTED_COL, "Yes" if counted else "No", styles.text)
    sheet.write_string(
        total_row, 0, "Total proposed fund-based working-capital limits", styles.total_label
    )
    total = sum(
        (
            limit.proposed_limit
            for limit in projection.limits
            if limit.fund_based
            and limit.facility in WC_FACILITIES
            and limit.proposed_limit is not None
        ),
        start=Decimal(0),
    )
    if projection.limits:
        proposed = _range(first, total_row - 1, PROPOSED_COL)
        counted_range = _range(first, total_row - 1, COUNTED_COL)
        formula = f'SUMIFS({proposed},{counted_range},"Yes")'
    else:
        formula = "0"
    write_computed(
        sheet, total_row, PROPOSED_COL, formula, unit.scale(total), styles.totals["money"]
    )


def _range(first: int, last: int, col: int) -> str:
    return f"{xl_rowcol_to_cell(first, col, True, True)}:{xl_rowcol_to_cell(last, col, True, True)}"


def write_term_loans(
    sheet: Worksheet, styles: Styles, title: str, layout: Layout, unit: Unit, projection: Projection
) -> None:
    years = projection.projected
    columns = layout.columns[TERM_LOANS]
    heading(
        sheet,
        styles,
        title,
        f"Term loans - schedules summed by financial year, and the DSCR ({unit.label})",
        "Each loan month by month below (interest on the opening balance at rate / 12, every "
        "figure to the paisa); the yearly figures are SUMIFS over those rows.",
    )
    sheet.write_string(HEADER_ROW, 0, "Particulars", styles.header)
    for year, col in columns.items():
        sheet.write_string(
            HEADER_ROW, col, column_header(year, projection.kinds), styles.header_number
        )
    sheet.set_row(HEADER_ROW, 30)
    money, total_money = styles.numbers["money"], styles.totals["money"]

    loans = projection.loans
    months = [(number, schedule(loan)) for number, loan in enumerate(loans, start=1)]
    month_rows = sum(len(rows) for _, rows in months)
    # Blocks: all loans (5 rows), each loan (heading + 5), DSCR (heading + 7 + 2), terms
    # (heading + header + loans), months (heading + header + rows).
    all_first = FIRST_ROW + 1
    loan_first = all_first + len(LOAN_FIELDS) + 1
    dscr_first = loan_first + (len(LOAN_FIELDS) + 1) * len(loans) + 1
    terms_first = dscr_first + len(DSCR_ROWS) + 4
    month_first = terms_first + len(loans) + 3
    month_last = month_first + month_rows - 1

    def column(col: int) -> str:
        return _range(month_first, month_last, col)

    # The monthly schedule (values: the loan's terms above made them).
    sheet.write_string(month_first - 2, 0, "Schedules month by month", styles.section)
    month_headers = ("Loan no.", "Loan", "Month", "Financial year", "Opening", "Interest")
    for col, name in enumerate((*month_headers, "Principal", "Closing")):
        sheet.write_string(month_first - 1, col, name, styles.header)
    row = month_first
    for number, rows in months:
        name = safe_text(loans[number - 1].name)
        for month in rows:
            sheet.write_number(row, 0, number)
            sheet.write_string(row, 1, name, styles.text)
            sheet.write_string(row, 2, month.month, styles.text)
            sheet.write_string(row, 3, fiscal_year_of(month.month), styles.text)
            for col, amount in enumerate(
                (month.opening, month.interest, month.principal, month.closing), start=4
            ):
                sheet.write_number(row, col, unit.scale(amount), money)
            row += 1

    # Each loan's financial years.
    for index, (number, _) in enumerate(months):
        loan = loans[number - 1]
        top = loan_first + index * (len(LOAN_FIELDS) + 1)
        sheet.write_string(top, 0, f"Loan {number}: {safe_text(loan.name)}", styles.section)
        by_year = projection.loan_years[loan.name]
        for year, col in columns.items():
            closing = xl_rowcol_to_cell(top + 3, col)
            due = xl_rowcol_to_cell(top + 4, col)
            next_year = fiscal_year_label(year_start(year) + 1)
            march = f"{year_start(year) + 1:04d}-03"

            def sumifs(value_col: int, key_col: int, key: str, number: int = number) -> str:
                return f'SUMIFS({column(value_col)},{column(0)},{number},{column(key_col)},"{key}")'

            formulas = (
                sumifs(5, 3, year) if month_rows else "0",
                sumifs(6, 3, year) if month_rows else "0",
                sumifs(7, 2, march) if month_rows else "0",
                f"IF({closing}=0,0,{sumifs(6, 3, next_year)})" if month_rows else "0",
                f"{closing}-{due}",
            )
            figures = by_year[year]
            values = (
                figures.interest,
                figures.principal,
                figures.closing,
                figures.due_within_year,
                figures.beyond_year,
            )
            for offset, ((_, label), formula, value) in enumerate(
                zip(LOAN_FIELDS, formulas, values, strict=True)
            ):
                sheet.write_string(top + 1 + offset, 0, label, styles.text)
                write_computed(sheet, top + 1 + offset, col, formula, unit.scale(value), money)

    # All loans: the sum of each loan's rows.
    sheet.write_string(all_first - 1, 0, "All term loans", styles.section)
    for offset, (field, label) in enumerate(LOAN_FIELDS):
        row = all_first + offset
        sheet.write_string(row, 0, label, styles.total_label)
        for year, col in columns.items():
            cells = [
                xl_rowcol_to_cell(loan_first + i * (len(LOAN_FIELDS) + 1) + 1 + offset, col)
                for i in range(len(loans))
            ]
            formula = "+".join(cells) if cells else "0"
            totals = projection.loan_totals(year)
            value = totals.beyond_year if field == "beyond_year" else getattr(totals, field)
            write_computed(sheet, row, col, formula, unit.scale(value), total_money)

    _write_dscr(sheet, styles, layout, unit, projection, dscr_first, all_first)
    _write_terms(sheet, styles, unit, projection, terms_first)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, max(len(years), 8), 16)
    sheet.freeze_panes(FIRST_ROW, 1)


def _write_dscr(
    sheet: Worksheet,
    styles: Styles,
    layout: Layout,
    unit: Unit,
    projection: Projection,
    first: int,
    all_first: int,
) -> None:
    """PROJECTIONS.md "DSCR": (net profit + depreciation + interest) / (interest +
    principal) for the years that repay; average over those years, and the lowest."""
    dscr = projection.dscr()
    by_year: Mapping[str, Mapping[str, object]] = dscr["by_year"]  # type: ignore[assignment]
    sheet.write_string(first - 1, 0, "Debt service coverage (DSCR)", styles.section)
    columns = layout.columns[TERM_LOANS]
    for offset, label in enumerate(DSCR_ROWS):
        sheet.write_string(first + offset, 0, label, styles.text)
    money, ratio = styles.numbers["money"], styles.totals["ratio"]
    unit_scale = unit.scale
    for year, col in columns.items():

        def at(offset: int, col: int = col) -> str:
            return xl_rowcol_to_cell(first + offset, col)

        report_value = projection.report.value
        loans = projection.loan_totals(year)
        net_profit = report_value("net_profit", year)
        depreciation = report_value("depreciation", year)
        cells = (
            (layout.cell(TERM_LOANS, "line", "net_profit", year), net_profit),
            (layout.cell(TERM_LOANS, "line", "depreciation", year), depreciation),
            (xl_rowcol_to_cell(all_first, col), loans.interest),
            (xl_rowcol_to_cell(all_first + 1, col), loans.principal),
        )
        for offset, (formula, value) in enumerate(cells):
            shown = None if value is None else unit_scale(value)
            write_computed(sheet, first + offset, col, formula, shown, money)
        numerator = (net_profit or 0) + (depreciation or 0) + loans.interest
        denominator = loans.interest + loans.principal
        write_computed(
            sheet, first + 4, col, f"N({at(0)})+N({at(1)})+{at(2)}", unit_scale(numerator), money
        )
        write_computed(sheet, first + 5, col, f"{at(2)}+{at(3)}", unit_scale(denominator), money)
        value = by_year.get(year, {}).get("dscr")
        formula = f'IF({at(3)}=0,"",ROUND({at(4)}/{at(5)},2))'
        shown = None if value is None else float(value)  # type: ignore[arg-type]
        write_computed(sheet, first + 6, col, formula, shown, ratio)

    cols = list(columns.values())
    span = (
        f"{xl_rowcol_to_cell(first + 3, cols[0])}:{xl_rowcol_to_cell(first + 3, cols[-1])}",
        f"{xl_rowcol_to_cell(first + 4, cols[0])}:{xl_rowcol_to_cell(first + 4, cols[-1])}",
        f"{xl_rowcol_to_cell(first + 5, cols[0])}:{xl_rowcol_to_cell(first + 5, cols[-1])}",
        f"{xl_rowcol_to_cell(first + 6, cols[0])}:{xl_rowcol_to_cell(first + 6, cols[-1])}",
    )
    principal, numerators, denominators, ratios = span
    denominator = f'SUMIFS({denominators},{principal},"<>0")'
    average = (
        f'IF({denominator}=0,"",ROUND(SUMIFS({numerators},{principal},"<>0")/{denominator},2))'
    )
    row = first + len(DSCR_ROWS)
    sheet.write_string(row, 0, "Average DSCR", styles.total_label)
    cached = dscr["average"]
    write_computed(sheet, row, 1, average, None if cached is None else float(cached), ratio)  # type: ignore[arg-type]
    sheet.write_string(row + 1, 0, "Minimum DSCR", styles.total_label)
    cached = dscr["minimum"]
    minimum = f'IF(COUNT({ratios})=0,"",MIN({ratios}))'
    write_computed(sheet, row + 1, 1, minimum, None if cached is None else float(cached), ratio)  # type: ignore[arg-type]


def _write_terms(
    sheet: Worksheet, styles: Styles, unit: Unit, projection: Projection, first: int
) -> None:
    sheet.write_string(first - 2, 0, "The loans' terms", styles.section)
    headers = (
        "Loan",
        "Loan no.",
        f"Amount ({unit.label})",
        "Rate %",
        "First month",
        "Tenor (months)",
        "Moratorium (months)",
        "Repayment",
        "In the books",
    )
    for col, name in enumerate(headers):
        sheet.write_string(first - 1, col, name, styles.header)
    for offset, loan in enumerate(projection.loans):
        row = first + offset
        sheet.write_string(row, 0, safe_text(loan.name), styles.text)
        sheet.write_number(row, 1, offset + 1)
        sheet.write_number(row, 2, unit.scale(loan.amount), styles.numbers["money"])
        sheet.write_number(row, 3, float(loan.rate_pct), styles.plain)
        sheet.write_string(row, 4, loan.start_month, styles.text)
        sheet.write_number(row, 5, loan.tenor_months)
        sheet.write_number(row, 6, loan.moratorium_months)
        sheet.write_string(row, 7, loan.repayment.replace("_", " "), styles.text)
        sheet.write_string(row, 8, "Yes" if loan.existing else "No", styles.text)
