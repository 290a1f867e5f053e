"""write_workbook: the sheets in order, over one layout of where every figure sits."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import IO

import xlsxwriter

from projects.cma.bank import BankReadiness
from projects.cma.checks import Validation
from projects.cma.forms import Report
from projects.cma.projections import Projection
from projects.cma.projections.stock import StockStatement
from projects.cma.workbook.bank_sheets import (
    ASSESSMENT,
    FORM_I,
    write_assessment,
    write_checks,
    write_form_i,
)
from projects.cma.workbook.cells import (
    ASSUMPTIONS,
    INPUTS,
    LINE_ITEMS,
    TERM_LOANS,
    UNITS,
    VALIDATION,
    Layout,
    Styles,
    safe_text,
)
from projects.cma.workbook.forms import layout_inputs_and_forms, write_form, write_inputs
from projects.cma.workbook.lists import WorkbookItem, write_line_items, write_validation
from projects.cma.workbook.plan_sheets import layout_plan, write_assumptions, write_term_loans
from projects.cma.workbook.rows import STYLE_SLOTS, ItemRows, sheet_part

__all__ = ["write_workbook"]


def write_workbook(
    path_or_buffer: str | IO[bytes],
    *,
    project_name: str,
    client_name: str,
    report: Report,
    line_items: Iterable[WorkbookItem],
    validation: Validation,
    projection: Projection | None = None,
    display_unit: str = "lakhs",
    msme: bool = False,
    notes: Mapping[str, str] | None = None,
    readiness: BankReadiness | None = None,
    stock_statement: StockStatement | None = None,
) -> None:
    """Writes the CMA workbook to a path or a binary buffer.

    With a ``projection`` (of ``report``'s books) the workbook has every year of it, the
    estimated and projected ones as formulas over the Assumptions and Term loans sheets.
    Money in the forms is in ``display_unit`` ("lakhs", "crores" or "rupees").
    With ``readiness`` (bank/'s figures for the same years) the workbook has the
    Assessment sheet after Form V and the bank-readiness checks, with the users' notes, on
    the Validation sheet; with a projection too, the Form I sheet before Form II.
    """
    unit = UNITS[display_unit]
    if projection is not None and not projection.projected:
        projection = None
    if projection is not None:
        report = projection.report
        kinds: Mapping[str, str] = projection.kinds
    else:
        kinds = dict.fromkeys(report.years, "audited")
    # The Line items rows are read first (their count sizes the sheet's filter), then
    # written into the package XlsxWriter makes of everything else (see rows.py).
    rows = ItemRows(line_items)
    frame = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        frame,
        {
            "in_memory": True,
            # Belt and braces: write() would otherwise turn "=..." strings into formulas.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    styles = Styles(workbook, unit)
    title = safe_text(" - ".join(part for part in (project_name, client_name) if part))
    workbook.set_properties({"title": title, "subject": "CMA data", "comments": "CMA Pipeline"})

    forms = [form for form in report.forms if report.form_periods(form)]
    layout = Layout()
    layout_inputs_and_forms(layout, report, forms, projection)
    if projection is not None:
        layout_plan(layout, projection)

    write_inputs(
        workbook.add_worksheet(INPUTS), styles, title, report, layout, unit, kinds, projection
    )
    if projection is not None:
        write_assumptions(
            workbook.add_worksheet(ASSUMPTIONS),
            styles,
            title,
            layout,
            unit,
            projection,
            msme=msme,
            notes=notes or {},
        )
        loans_sheet = workbook.add_worksheet(TERM_LOANS)
        write_term_loans(loans_sheet, styles, title, layout, unit, projection)
        if readiness is not None:
            form_i = workbook.add_worksheet(FORM_I)
            write_form_i(form_i, styles, title, layout, unit, projection)
    for form in forms:
        sheet = workbook.add_worksheet(form.sheet)
        write_form(sheet, styles, title, report, form, layout, unit, kinds)
        if form.key == "form_v" and readiness is not None:
            write_assessment(
                workbook.add_worksheet(ASSESSMENT),
                styles,
                title,
                report,
                layout,
                unit,
                kinds,
                readiness.assessment,
                stock_statement,
            )
    write_line_items(workbook.add_worksheet(LINE_ITEMS), styles, title, rows.count)
    validation_sheet = workbook.add_worksheet(VALIDATION)
    row = write_validation(validation_sheet, styles, title, validation)
    if readiness is not None:
        write_checks(validation_sheet, styles, row + 1, readiness.checks)
    workbook.close()
    rows.splice(
        frame,
        path_or_buffer,
        sheet_part(frame, LINE_ITEMS),
        {slot: getattr(styles, slot) for slot in STYLE_SLOTS},
    )
