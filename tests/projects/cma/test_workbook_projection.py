"""The workbook with a plan: Assumptions and Term loans sheets, estimated and projected
columns in every form as formulas over them, amounts in the plan's unit."""

import re
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from projects.cma.forms import FORMS
from projects.cma.projections import ASSUMPTIONS
from tests.projects.cma.test_workbook import formula_cells, sheet_xml
from tests.projects.cma.workbook_files import (
    form_cell,
    grid,
    header_row,
    shree_projection,
    write_projected,
)

SHEETS = [
    "Inputs",
    "Assumptions",
    "Term loans",
    "Form II",
    "Form III",
    "Form IV",
    "Form V",
    "Form VI",
    "Ratios",
    "Line items",
    "Validation",
]
HEADERS = [
    "2023-24\nAudited",
    "2024-25\nAudited",
    "2025-26\nEstimated",
    "2026-27\nProjected",
    "2027-28\nProjected",
]


@pytest.fixture(scope="module")
def projected(tmp_path_factory):
    _, projection = shree_projection()
    path = write_projected(tmp_path_factory.mktemp("wb") / "cma.xlsx", projection)
    return projection, path


def test_a_plan_adds_the_assumptions_and_term_loans_sheets_and_its_years(projected):
    _, path = projected

    assert CalamineWorkbook.from_path(str(path)).sheet_names == SHEETS
    for sheet in ("Form II", "Form III", "Form V", "Ratios"):
        rows = grid(path, sheet)
        assert rows[header_row(rows, "Particulars")][1:6] == HEADERS, sheet


def test_every_projected_figure_caches_the_value_the_product_computed(projected):
    projection, path = projected

    checked = 0
    for form in FORMS:
        for line in form.lines:
            for year in projection.projected:
                value = projection.report.value(line.key, year)
                cell = form_cell(path, line.key, year)
                if value is None:
                    assert cell == "", (line.key, year)
                    continue
                shown = value / 100000 if line.kind == "money" else value
                assert Decimal(str(cell)) == shown, (line.key, year)
                checked += 1
    assert checked > 400


def test_projected_heads_are_the_recipe_as_formulas_over_the_assumptions(projected):
    projection, path = projected
    inputs = formula_cells(sheet_xml(path)["Inputs"])
    rows = grid(path, "Inputs")
    sales_row = next(i for i, row in enumerate(rows) if row[1] == "Domestic sales (Cr)") + 1
    cash_row = next(i for i, row in enumerate(rows) if row[1].startswith("Cash and bank")) + 1

    # Inputs E / Assumptions D: the estimate year; Form II C: the last actual year.
    assert inputs[f"E{sales_row}"] == "ROUND('Form II'!C6*(1+(Assumptions!D5/100)),7)"
    assert "MAX(" in inputs[f"E{cash_row}"]  # cash and bank: the balancing figure, not negative
    assert f"C{sales_row}" not in inputs  # actual years stay values
    assert len(inputs) == len(projection.recipe) * len(projection.projected)


def test_every_form_cell_of_every_year_is_a_formula(projected):
    projection, path = projected
    xml = sheet_xml(path)

    for form in FORMS:
        periods = projection.report.form_periods(form)
        assert len(formula_cells(xml[form.sheet])) == len(form.lines) * len(periods), form.sheet
    form_ii = formula_cells(xml["Form II"])
    assert all("Inputs!" in text or "!" not in text for text in form_ii.values())


def test_the_assumptions_sheet_names_every_input_with_its_unit_and_default(projected):
    projection, path = projected
    rows = grid(path, "Assumptions")
    top = header_row(rows, "Assumption")

    assert rows[top][:3] == ["Assumption", "Unit", "Default (from 2024-25)"]
    by_label = {row[0]: row for row in rows[top + 1 : top + 1 + len(ASSUMPTIONS)]}
    for assumption in ASSUMPTIONS:
        row = by_label[assumption.label]
        unit = {"percent": "%", "months": "months", "money": "₹ lakhs"}[assumption.kind]
        assert row[1] == unit
        for offset, year in enumerate(projection.projected):
            value = projection.assumptions[year][assumption.key]
            shown = value / 100000 if assumption.kind == "money" else value
            assert Decimal(str(row[3 + offset])) == shown, (assumption.key, year)
    limits = next(
        row for row in rows if row[0] == "Total proposed fund-based working-capital limits"
    )
    assert limits[8] == 250.0  # the cash credit only: the letter of credit is not fund-based
    notes = next(i for i, row in enumerate(rows) if str(row[0]).startswith("Notes on the plan"))
    assert rows[notes + 1][1] == "'=new export order of 2 crore"  # user text, never a formula


def test_the_working_capital_limit_total_is_a_sumifs_the_steps_read(projected):
    _, path = projected
    assumptions = formula_cells(sheet_xml(path)["Assumptions"])
    inputs = formula_cells(sheet_xml(path)["Inputs"])

    [(ref, total)] = assumptions.items()
    assert total.startswith("SUMIFS(")
    assert any(text == f"Assumptions!{ref}" for text in inputs.values())


def test_term_loans_are_summed_by_financial_year_from_their_monthly_schedules(projected):
    projection, path = projected
    rows = grid(path, "Term loans")
    top = header_row(rows, "Particulars")
    totals = {row[0]: row for row in rows[top + 2 : top + 7]}
    formulas = formula_cells(sheet_xml(path)["Term loans"])

    for offset, year in enumerate(projection.projected, start=1):
        loans = projection.loan_totals(year)
        assert Decimal(str(totals["Interest (Form II)"][offset])) == loans.interest / 100000
        assert Decimal(str(totals["Principal repaid"][offset])) == loans.principal / 100000
        assert Decimal(str(totals["Closing balance"][offset])) == loans.closing / 100000
    assert sum(text.startswith("SUMIFS(") for text in formulas.values()) >= 3 * 2 * 3
    months = next(i for i, row in enumerate(rows) if row[0] == "Loan no.")
    assert len([row for row in rows[months + 1 :] if row[0] != ""]) == 60 + 36
    dscr = next(row for row in rows if row[0] == "Average DSCR")
    assert Decimal(str(dscr[1])) == projection.dscr()["average"]


@pytest.mark.parametrize("unit, label, divisor", [("lakhs", "₹ lakhs", 100000), ("rupees", "₹", 1)])
def test_the_unit_is_named_in_every_sheet_title_and_line_items_keep_rupees(
    tmp_path, unit, label, divisor
):
    _, projection = shree_projection()
    path = write_projected(tmp_path / "cma.xlsx", projection, unit)

    for sheet in SHEETS:
        title = grid(path, sheet)[1][0]
        assert re.search(r"\(.*₹", title), (sheet, title)
        if sheet not in ("Line items", "Validation"):
            assert f"{label})" in title, (sheet, title)
    net_sales = form_cell(path, "net_sales", "2024-25")
    assert Decimal(str(net_sales)) == projection.report.value("net_sales", "2024-25") / divisor
