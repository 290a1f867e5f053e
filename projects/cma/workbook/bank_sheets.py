"""The Form I sheet (existing and proposed limits), the Assessment sheet (Form V in item
order, the turnover method, which applies and why, drawing power, excess borrowing) and
the bank-readiness checks under the Validation sheet's issues.

Form I reads the limits typed on the Assumptions sheet (one place to change them); the
Assessment reads the forms' cells, so a recalculated plan moves it too. Cached values are
bank/'s figures: the formulas here are the same arithmetic, rounded to the paisa as
bank/ rounds (ROUND(x, 2 + the unit's extra digits)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from projects.cma.bank import Assessment, Check
from projects.cma.forms import Report
from projects.cma.projections import Projection
from projects.cma.projections.plan import WC_FACILITIES
from projects.cma.projections.stock import StockStatement
from projects.cma.workbook.cells import (
    ASSUMPTIONS,
    FIRST_ROW,
    HEADER_ROW,
    Layout,
    Styles,
    Unit,
    heading,
    safe_text,
    write_computed,
)
from projects.cma.workbook.forms import column_header
from projects.cma.workbook.plan_sheets import LIMIT_COLUMNS

__all__ = [
    "ASSESSMENT",
    "FORM_I",
    "FORM_V_ITEM_ORDER",
    "write_assessment",
    "write_checks",
    "write_form_i",
]

FORM_I = "Form I"
ASSESSMENT = "Assessment"
ZERO = Decimal(0)

# REFERENCE.md's Form V, read in item order (the form sheet groups the lines by method).
FORM_V_ITEM_ORDER: tuple[tuple[str, str], ...] = (
    ("mpbf_total_current_assets", "1. Total current assets"),
    ("mpbf_other_current_liabilities", "2. Other current liabilities (other than bank borrowings)"),
    ("working_capital_gap", "3. Working capital gap (1 - 2)"),
    ("min_nwc_method_1", "4. Minimum stipulated NWC - Method I: 25 % of item 3"),
    ("min_nwc_method_2", "4. Minimum stipulated NWC - Method II: 25 % of item 1"),
    ("actual_nwc", "5. Actual / projected net working capital"),
    ("item_6_method_1", "6. Item 3 - item 4 (Method I)"),
    ("item_6_method_2", "6. Item 3 - item 4 (Method II)"),
    ("item_7", "7. Item 3 - item 5"),
    ("mpbf_method_1", "8. MPBF - Method I (lower of 6 and 7)"),
    ("mpbf_method_2", "8. MPBF - Method II (lower of 6 and 7)"),
    ("excess_borrowing_method_1", "9. Excess borrowing - Method I"),
    ("excess_borrowing_method_2", "9. Excess borrowing - Method II"),
)
METHOD_NAMES = {"turnover_method": "Turnover method", "method_2": "Method II"}
# The limits' columns as the Assumptions sheet lays them out (plan_sheets.LIMIT_COLUMNS).
_AMOUNT_COLUMNS = (3, 4, 6, 7, 8)


def write_form_i(
    sheet: Worksheet,
    styles: Styles,
    title: str,
    layout: Layout,
    unit: Unit,
    projection: Projection,
) -> None:
    """Form I: one row per bank and facility, the amounts referring to the Assumptions
    sheet's limits (where the plan's inputs are typed), fund-based and non-fund-based
    totals below."""
    heading(
        sheet,
        styles,
        title,
        f"Form I - Existing and proposed limits ({unit.label})",
        "Amounts from the limits on the Assumptions sheet (change them there). Outstanding "
        "amounts default from the books: bank borrowings and term loans.",
    )
    for col, (name, width) in enumerate(LIMIT_COLUMNS[:-1]):
        sheet.write_string(HEADER_ROW, col, name, styles.header)
        sheet.set_column(col, col, width)
    sheet.set_row(HEADER_ROW, 30)
    _, total_row, _ = layout.fixed["wc_limits"]
    source_first = total_row - len(projection.limits)
    money = styles.numbers["money"]
    groups: dict[bool, list[int]] = {True: [], False: []}
    for offset, limit in enumerate(projection.limits):
        row, source = FIRST_ROW + offset, source_first + offset
        groups[limit.fund_based].append(row)
        sheet.write_string(row, 0, safe_text(limit.bank) or "(bank not given)", styles.text)
        sheet.write_string(row, 1, limit.facility.replace("_", " "), styles.text)
        sheet.write_string(row, 2, "Fund-based" if limit.fund_based else "Non-fund-based")
        sheet.write_string(row, 5, safe_text(limit.outstanding_on or ""), styles.text)
        amounts = (
            limit.existing_limit,
            limit.outstanding,
            limit.highest_use,
            limit.lowest_use,
            limit.proposed_limit,
        )
        for col, amount in zip(_AMOUNT_COLUMNS, amounts, strict=True):
            if amount is None:
                sheet.write_blank(row, col, None, money)
            else:
                ref = f"'{ASSUMPTIONS}'!{xl_rowcol_to_cell(source, col)}"
                write_computed(sheet, row, col, ref, unit.scale(amount), money)
    row = FIRST_ROW + len(projection.limits) + 1
    for fund_based, label in ((True, "Total fund-based"), (False, "Total non-fund-based")):
        sheet.write_string(row, 0, label, styles.total_label)
        limits = [limit for limit in projection.limits if limit.fund_based == fund_based]
        for index, col in enumerate(_AMOUNT_COLUMNS):
            field = ("existing_limit", "outstanding", "highest_use", "lowest_use")
            name = field[index] if index < len(field) else "proposed_limit"
            total = sum((getattr(lim, name) or ZERO for lim in limits), ZERO)
            cells = ",".join(xl_rowcol_to_cell(r, col) for r in groups[fund_based]) or "0"
            write_computed(
                sheet, row, col, f"SUM({cells})", unit.scale(total), styles.totals["money"]
            )
        row += 1
    counted = [lim for lim in projection.limits if lim.fund_based and lim.facility in WC_FACILITIES]
    sheet.write_string(
        row + 1,
        0,
        f"{len(counted)} of the fund-based rows are working-capital facilities: their proposed "
        "limits are the working-capital borrowing of the projected years.",
        styles.note,
    )
    sheet.freeze_panes(FIRST_ROW, 1)


def write_assessment(
    sheet: Worksheet,
    styles: Styles,
    title: str,
    report: Report,
    layout: Layout,
    unit: Unit,
    kinds: Mapping[str, str],
    assessments: Mapping[str, Assessment],
    statement: StockStatement | None = None,
) -> None:
    """Every year's assessment beside Form V, as formulas over the forms' cells."""
    heading(
        sheet,
        styles,
        title,
        f"Assessment of the working-capital limit ({unit.label})",
        "Form V in item order, the turnover method (micro and small enterprises), which "
        "method applies and why, the assessed limit, excess borrowing and drawing power.",
    )
    years = [year for year in report.years if year in assessments]
    columns = {year: 1 + index for index, year in enumerate(years)}
    sheet.write_string(HEADER_ROW, 0, "Particulars", styles.header)
    for year, col in columns.items():
        sheet.write_string(HEADER_ROW, col, column_header(year, kinds), styles.header_number)
    sheet.set_row(HEADER_ROW, 30)
    sheet.set_column(0, 0, 66)
    sheet.set_column(1, max(1, len(years)), 18)
    digits = 2 + unit.extra_digits
    money, total_money = styles.numbers["money"], styles.totals["money"]
    here: dict[tuple[str, str], str] = {}  # (name, year) -> this sheet's cell

    def line(key: str, year: str) -> str:
        return layout.cell(ASSESSMENT, "line", key, year)

    def put(row: int, name: str, formulas: Mapping[str, tuple[str, Decimal | None]]) -> None:
        for year, (formula, value) in formulas.items():
            col = columns[year]
            shown = None if value is None else unit.scale(value)
            write_computed(sheet, row, col, formula, shown, money)
            here[(name, year)] = xl_rowcol_to_cell(row, col)

    row = FIRST_ROW
    sheet.write_string(row, 0, "Form V - Maximum permissible bank finance", styles.section)
    row += 1
    for key, label in FORM_V_ITEM_ORDER:
        sheet.write_string(row, 0, label, styles.text)
        put(row, key, {year: (line(key, year), report.value(key, year)) for year in years})
        row += 1

    if any(a.turnover_method is not None for a in assessments.values()):
        row += 1
        sheet.write_string(row, 0, "Turnover method (Nayak Committee)", styles.section)
        row += 1
        letters = (
            ("A", "A. Projected turnover (net sales)", "a_turnover"),
            ("B", "B. Working-capital requirement: 25 % of A", "b_requirement"),
            ("C", "C. Minimum margin: 5 % of A", "c_minimum_margin"),
            ("D", "D. Actual / projected net working capital", "d_net_working_capital"),
            ("E", "E. B - C (20 % of A)", "e_b_less_c"),
            ("F", "F. B - D", "f_b_less_d"),
            ("G", "G. Assessed limit: lower of E and F", "g_assessed_limit"),
        )
        for letter, label, field in letters:
            sheet.write_string(row, 0, label, styles.total_label if letter == "G" else styles.text)
            for year in years:
                turnover = assessments[year].turnover_method
                if turnover is None:
                    continue
                cell = {name: here.get((f"tm_{name}", year), "") for name in "ABCDEF"}
                formula = {
                    "A": f"ROUND(N({line('net_sales', year)}),{digits})",
                    "B": f"ROUND({cell['A']}*0.25,{digits})",
                    "C": f"ROUND({cell['A']}*0.05,{digits})",
                    "D": f"ROUND(N({line('net_working_capital', year)}),{digits})",
                    "E": f"{cell['B']}-{cell['C']}",
                    "F": f"{cell['B']}-{cell['D']}",
                    "G": f"MAX(MIN({cell['E']},{cell['F']}),0)",
                }[letter]
                col = columns[year]
                fmt = total_money if letter == "G" else money
                write_computed(sheet, row, col, formula, unit.scale(getattr(turnover, field)), fmt)
                here[(f"tm_{letter}", year)] = xl_rowcol_to_cell(row, col)
            row += 1

    row += 1
    sheet.write_string(row, 0, "Which method applies", styles.section)
    row += 1
    sheet.write_string(row, 0, "Applicable method", styles.text)
    sheet.write_string(row + 1, 0, "Why", styles.text)
    for year in years:
        col = columns[year]
        sheet.write_string(row, col, METHOD_NAMES[assessments[year].applicable], styles.text)
        sheet.write_string(row + 1, col, assessments[year].reason, styles.wrap)
    sheet.set_row(row + 1, 90)
    row += 2
    sheet.write_string(row, 0, "Assessed working-capital limit", styles.total_label)
    for year in years:
        assessment = assessments[year]
        if assessment.applicable == "turnover_method" and (("tm_G", year) in here):
            formula = here[("tm_G", year)]
        else:
            formula = f"N({here[('mpbf_method_2', year)]})"
        write_computed(
            sheet, row, columns[year], formula, unit.scale(assessment.assessed_limit), total_money
        )
        here[("assessed", year)] = xl_rowcol_to_cell(row, columns[year])
    row += 1
    sheet.write_string(row, 0, "Working-capital bank borrowings (Form III)", styles.text)
    for year in years:
        formula = f"N({line('bank_borrowings_wc', year)})"
        write_computed(
            sheet, row, columns[year], formula, unit.scale(assessments[year].bank_borrowings), money
        )
        here[("borrowing", year)] = xl_rowcol_to_cell(row, columns[year])
    row += 1
    sheet.write_string(row, 0, "Excess borrowing (borrowings - assessed limit)", styles.text)
    for year in years:
        formula = f"MAX({here[('borrowing', year)]}-{here[('assessed', year)]},0)"
        value = unit.scale(assessments[year].excess_borrowing)
        write_computed(sheet, row, columns[year], formula, value, money)
    row += 2
    _write_drawing_power(sheet, styles, row, columns, unit, assessments, statement)
    sheet.freeze_panes(FIRST_ROW, 1)


def _write_drawing_power(
    sheet: Worksheet,
    styles: Styles,
    row: int,
    columns: Mapping[str, int],
    unit: Unit,
    assessments: Mapping[str, Assessment],
    statement: StockStatement | None,
) -> None:
    with_dp = [(year, a.drawing_power) for year, a in assessments.items() if a.drawing_power]
    sheet.write_string(row, 0, "Drawing power (stock and book-debts statement)", styles.section)
    if not with_dp or statement is None:
        sheet.write_string(row + 1, 0, "No stock statement entered.", styles.note)
        return
    year, dp = with_dp[0]
    assert dp is not None
    col = columns[year]
    money, total_money = styles.numbers["money"], styles.totals["money"]
    digits = 2 + unit.extra_digits
    sheet.write_string(row + 1, 0, f"Statement as on {dp.as_on} (in {year})", styles.text)
    inputs: list[tuple[str, Decimal, bool]] = [
        ("Stocks", statement.stocks, True),
        ("Creditors for goods", statement.creditors, True),
        ("Stock margin %", statement.stock_margin_pct, False),
        ("Receivables up to 90 days", statement.receivables, True),
        ("Debtor margin %", statement.debtor_margin_pct, False),
    ]
    cells: list[str] = []
    for offset, (label, value, is_money) in enumerate(inputs):
        r = row + 2 + offset
        sheet.write_string(r, 0, label, styles.text)
        if is_money:
            sheet.write_number(r, col, unit.scale(value), styles.input_money)
        else:
            sheet.write_number(r, col, float(value), styles.input)
        cells.append(xl_rowcol_to_cell(r, col))
    stocks, creditors, stock_margin, receivables, debtor_margin = cells
    r = row + 2 + len(inputs)
    rows = (
        (
            "Paid stock (stocks less creditors, nothing if negative)",
            f"MAX({stocks}-{creditors},0)",
            dp.paid_stock,
        ),
        ("Advance on stock", "", dp.stock_advance),
        (
            "Advance on book debts",
            f"ROUND({receivables}*(100-{debtor_margin})/100,{digits})",
            dp.receivables_advance,
        ),
    )
    done: list[str] = []
    for offset, (label, formula, value) in enumerate(rows):
        if not formula:
            formula = f"ROUND({done[0]}*(100-{stock_margin})/100,{digits})"
        sheet.write_string(r + offset, 0, label, styles.text)
        write_computed(sheet, r + offset, col, formula, unit.scale(value), money)
        done.append(xl_rowcol_to_cell(r + offset, col))
    r += len(rows)
    sheet.write_string(r, 0, "Computed drawing power", styles.text)
    write_computed(sheet, r, col, f"{done[1]}+{done[2]}", unit.scale(dp.computed), money)
    computed = xl_rowcol_to_cell(r, col)
    sheet.write_string(r + 1, 0, "Sanctioned fund-based working-capital limit", styles.text)
    if dp.sanctioned_limit is None:
        sheet.write_blank(r + 1, col, None, money)
        formula = computed
    else:
        sheet.write_number(r + 1, col, unit.scale(dp.sanctioned_limit), money)
        formula = f"MIN({computed},{xl_rowcol_to_cell(r + 1, col)})"
    sheet.write_string(r + 2, 0, "Drawing power (lower of the two)", styles.total_label)
    write_computed(sheet, r + 2, col, formula, unit.scale(dp.drawing_power), total_money)


# The Validation sheet's own columns first (level, year, code, message), then the
# check's figure, threshold and the user's note.
CHECK_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Level", 10),
    ("Year", 9),
    ("Check", 28),
    ("What to change", 110),
    ("Figure", 14),
    ("Threshold", 12),
    ("Note (the user's explanation)", 60),
)


def write_checks(sheet: Worksheet, styles: Styles, row: int, checks: Sequence[Check]) -> int:
    """The bank-readiness checks from ``row`` down (below the validation issues); returns
    the row after the last. Money figures are in rupees, ratios in times, growth in %."""
    sheet.write_string(
        row, 0, "Bank-readiness checks (what a credit officer would raise)", styles.section
    )
    row += 1
    for col, (name, width) in enumerate(CHECK_COLUMNS):
        sheet.write_string(row, col, name, styles.header)
        if col >= 4:
            sheet.set_column(col, col, width)
    row += 1
    if not checks:
        sheet.write_string(row, 0, "OK", styles.text)
        sheet.write_string(row, 3, "No bank-readiness check trips.", styles.text)
        return row + 1
    for check in checks:
        style = styles.error if check.level == "error" else styles.warning
        sheet.write_string(row, 0, check.level.capitalize(), style)
        sheet.write_string(row, 1, check.year or "All years", styles.text)
        sheet.write_string(row, 2, check.code, styles.text)
        sheet.write_string(row, 3, safe_text(check.message), styles.wrap)
        for col, number in ((4, check.figure), (5, check.threshold)):
            if number is None:
                sheet.write_blank(row, col, None, styles.plain)
            else:
                sheet.write_number(row, col, float(number), styles.plain)
        # The user's note is their text: never a formula.
        sheet.write_string(row, 6, safe_text(check.note or ""), styles.wrap)
        row += 1
    return row
