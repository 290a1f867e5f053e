"""The Inputs sheet (each head's total per year) and Forms II to VI and the ratios.

An actual year's head totals are values; an estimated or projected year's are the
formulas of the projection's steps (recipe.py) over the Assumptions sheet, the term-loan
totals and the previous year's form lines, with the steps that are no head written as
"workings" rows below the heads. The forms then compute every year, actual or projected,
with the same formulas over the heads: one definition serves both.

Money is shown in the display unit (lakhs by default): a head's cell holds its rupees
divided by the unit, and every rounding that is to the paisa in rupees rounds to the
paisa in the unit too (ROUND(x, 7) in lakhs), so nothing is lost to the unit and a
recalculation gives back the product's figures exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from projects.cma.forms import Form, FormLine, Report, Section, line_formula
from projects.cma.forms.expressions import Expr
from projects.cma.heads import GROUP_LABELS, HEADS
from projects.cma.projections import Projection
from projects.cma.projections.excel import step_formula
from projects.cma.projections.recipe import Assume, Last, Loans, PlanInput, Ref
from projects.cma.workbook.cells import (
    FIRST_ROW,
    HEADER_ROW,
    INPUTS,
    KIND_LABELS,
    Layout,
    Styles,
    Unit,
    heading,
    write_computed,
)

__all__ = ["column_header", "layout_inputs_and_forms", "write_form", "write_inputs"]

WORKINGS_LABEL = "Projection workings (estimated and projected years)"


def column_header(year: str, kinds: Mapping[str, str]) -> str:
    return f"{year}\n{KIND_LABELS.get(kinds.get(year, 'audited'), 'Audited')}"


def layout_inputs_and_forms(
    layout: Layout, report: Report, forms: Sequence[Form], projection: Projection | None
) -> None:
    row = FIRST_ROW + 1  # the Basis row comes first
    for group in GROUP_LABELS:
        row += 1  # the group's heading
        for head_def in HEADS:
            if head_def.group == group:
                layout.rows[("head", head_def.id)] = (INPUTS, row)
                row += 1
    if projection is not None and projection.projected:
        row += 1  # the workings' heading
        for step in projection.recipe:
            if step.head:
                layout.rows[("step", step.name)] = layout.rows[("head", step.name)]
            else:
                layout.rows[("step", step.name)] = (INPUTS, row)
                row += 1
    layout.columns[INPUTS] = {year: 2 + index for index, year in enumerate(report.years)}
    for form in forms:
        for index, form_row in enumerate(form.rows):
            if isinstance(form_row, FormLine):
                layout.rows[("line", form_row.key)] = (form.sheet, FIRST_ROW + index)
        periods = report.form_periods(form)
        layout.columns[form.sheet] = {p.year: 1 + index for index, p in enumerate(periods)}


def write_inputs(
    sheet: Worksheet,
    styles: Styles,
    title: str,
    report: Report,
    layout: Layout,
    unit: Unit,
    kinds: Mapping[str, str],
    projection: Projection | None,
) -> None:
    projected = set(projection.projected) if projection is not None else set()
    heading(
        sheet,
        styles,
        title,
        f"Inputs - total of each head per year ({unit.label})",
        "Actual years: the sum of the line items of each head, signed by the head's normal "
        "side (Dr or Cr); blank where no line item has the head. Estimated and projected "
        "years: formulas over the Assumptions sheet. The forms' formulas start from here.",
    )
    sheet.write_string(HEADER_ROW, 0, "Item", styles.header)
    sheet.write_string(HEADER_ROW, 1, "Head", styles.header)
    columns = layout.columns[INPUTS]
    for year, col in columns.items():
        sheet.write_string(HEADER_ROW, col, column_header(year, kinds), styles.header_number)
    sheet.set_row(HEADER_ROW, 30)
    sheet.write_string(FIRST_ROW, 1, "Basis", styles.total_label)
    for period in report.periods:
        if period.year in projected:
            basis = "Projected from the Assumptions sheet"
        elif period.basis == "trial_balance":
            basis = "Trial balance (before closing)"
        else:
            basis = "Financial statements"
        sheet.write_string(FIRST_ROW, columns[period.year], basis, styles.wrap)

    money = styles.numbers["money"]
    for group, group_label in GROUP_LABELS.items():
        group_heads = [head_def for head_def in HEADS if head_def.group == group]
        _, first = layout.rows[("head", group_heads[0].id)]
        sheet.write_string(first - 1, 0, group_label, styles.section)
        for head_def in group_heads:
            _, row = layout.rows[("head", head_def.id)]
            sheet.write_string(row, 0, head_def.item, styles.text)
            sheet.write_string(row, 1, f"{head_def.label} ({head_def.normal})", styles.text)
            for period in report.periods:
                if period.year in projected:
                    continue  # the steps below write them
                col = columns[period.year]
                if period.books.given(head_def.id):
                    sheet.write_number(row, col, unit.scale(period.books.head(head_def.id)), money)
                else:
                    sheet.write_blank(row, col, None, money)
    if projection is not None and projected:
        _write_steps(sheet, styles, report, layout, unit, projection)
    sheet.set_column(0, 0, 13)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 1 + len(report.years), 16)
    sheet.freeze_panes(FIRST_ROW, 2)


def _write_steps(
    sheet: Worksheet,
    styles: Styles,
    report: Report,
    layout: Layout,
    unit: Unit,
    projection: Projection,
) -> None:
    """Every projected year's steps as formulas, in the recipe's order."""
    workings = [step for step in projection.recipe if not step.head]
    if workings:
        _, first_working = layout.rows[("step", workings[0].name)]
        sheet.write_string(first_working - 1, 0, WORKINGS_LABEL, styles.section)
    for step in workings:
        _, row = layout.rows[("step", step.name)]
        sheet.write_string(row, 1, step.name.replace("_", " ").capitalize(), styles.text)
    money = styles.numbers["money"]
    line_keys = {key for kind, key in layout.rows if kind == "line"}
    projected = projection.projected
    kind_of = projection.kinds
    for year in projected:
        previous = report.years[report.years.index(year) - 1]
        previous_projected = kind_of.get(previous) in ("estimated", "projected")

        def leaf(
            node: Expr, year: str = year, previous: str = previous, after: bool = previous_projected
        ) -> str:
            match node:
                case Assume(key=key):
                    return layout.cell(INPUTS, "assume", key, year)
                case Ref(name=name):
                    return layout.cell(INPUTS, "step", name, year)
                case Loans(field=name):
                    return layout.cell(INPUTS, "loans", name, year)
                case PlanInput(name=name):
                    return layout.fixed_cell(INPUTS, name)
                case Last(key=key) if key in line_keys:
                    ref = layout.cell(INPUTS, "line", key, previous)
                    # A blank line (nothing to divide by) is 0 to the step, as in Python.
                    return f"N({ref})" if report.value(key, previous) is None else ref
                case Last(key=key) if after:
                    return layout.cell(INPUTS, "step", key, previous)
                case Last():
                    return "0"  # before the first projected year nothing was short
            raise KeyError(f"No cell for {node!r} in {year}")

        col = layout.columns[INPUTS][year]
        values = projection.steps[year]
        for step in projection.recipe:
            _, row = layout.rows[("step", step.name)]
            formula = step_formula(step.expr, leaf, 2 + unit.extra_digits)
            write_computed(sheet, row, col, formula, unit.scale(values[step.name]), money)


def write_form(
    sheet: Worksheet,
    styles: Styles,
    title: str,
    report: Report,
    form: Form,
    layout: Layout,
    unit: Unit,
    kinds: Mapping[str, str],
) -> None:
    periods = report.form_periods(form)
    columns = layout.columns[form.sheet]
    sources = "the Inputs sheet and the other forms"
    if any(kinds.get(p.year) in ("estimated", "projected") for p in periods):
        sources = (
            "the Inputs sheet (projected years: from the Assumptions sheet) and the other forms"
        )
    note = (
        f"Amounts in {unit.label}; ratios in times; holding periods in months. "
        f"Every figure is a formula over {sources}."
    )
    heading(sheet, styles, title, f"{form.title} ({unit.label})", note)
    sheet.write_string(HEADER_ROW, 0, "Particulars", styles.header)
    for period in periods:
        header = column_header(period.year, kinds)
        sheet.write_string(HEADER_ROW, columns[period.year], header, styles.header_number)
    sheet.set_row(HEADER_ROW, 30)
    cell_of = layout.cell_of_from(form.sheet)
    for index, form_row in enumerate(form.rows):
        row = FIRST_ROW + index
        if isinstance(form_row, Section):
            sheet.write_string(row, 0, form_row.label, styles.section)
            continue
        sheet.write_string(
            row, 0, form_row.label, styles.total_label if form_row.total else styles.text
        )
        cell_format = (styles.totals if form_row.total else styles.numbers)[form_row.kind]
        for period in periods:
            value = report.value(form_row.key, period.year)
            shown = _shown(value, form_row.kind == "money", unit)
            formula = line_formula(form_row, cell_of, period, extra_money_digits=unit.extra_digits)
            write_computed(sheet, row, columns[period.year], formula, shown, cell_format)
    sheet.set_column(0, 0, 66)
    sheet.set_column(1, max(1, len(periods)), 16)
    sheet.freeze_panes(FIRST_ROW, 1)


def _shown(value: Decimal | None, money: bool, unit: Unit) -> float | None:
    if value is None:
        return None
    return unit.scale(value) if money else float(value)
