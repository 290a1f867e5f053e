"""The workbook's Form I and Assessment sheets and the bank-readiness checks on its
Validation sheet: cached values are bank/'s figures, a LibreOffice recalculation gives
them back, and every check travels with the user's note."""

from dataclasses import replace
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from projects.cma.bank import bank_readiness
from projects.cma.checks import Validation
from projects.cma.projections import Plan
from projects.cma.projections.stock import StockStatement
from projects.cma.workbook import write_workbook
from projects.cma.workbook.bank_sheets import FORM_V_ITEM_ORDER
from tests.projects.cma.libreoffice import recalculated, require_soffice
from tests.projects.cma.test_workbook_recalc import differences
from tests.projects.cma.workbook_files import D, grid, header_row, shree_plan, shree_projection

LAKH = 100000


def write_bank(path: Path, plan: Plan, unit: str = "lakhs") -> tuple[Path, object]:
    _, projection = shree_projection(plan)
    readiness = bank_readiness(projection, plan)
    write_workbook(
        str(path),
        project_name="CC renewal 2025-26",
        client_name="Shree Ganesh Polymers Private Limited",
        report=projection.report,
        line_items=[],
        validation=Validation(),
        projection=projection,
        display_unit=unit,
        msme=plan.msme,
        notes=plan.notes,
        readiness=readiness,
        stock_statement=plan.stock_statement,
    )
    return path, readiness


def msme_plan(**changes: object) -> Plan:
    """Shree Ganesh as a small enterprise asking for a cash credit within ₹5 crore, with a
    stock statement: the turnover method applies and drawing power is shown."""
    plan = shree_plan()
    return replace(
        plan,
        msme=True,
        stock_statement=StockStatement(
            "2025-06-30", D(9000000), D(2500000), D(6000000), D(25), D(40)
        ),
        **changes,
    )


@pytest.fixture(scope="module")
def msme(tmp_path_factory):
    return write_bank(tmp_path_factory.mktemp("bank") / "cma.xlsx", msme_plan())


def row_of(rows: list[list], label: str) -> list:
    return next(row for row in rows if row and row[0] == label)


def year_columns(rows: list[list]) -> dict[str, int]:
    top = header_row(rows, "Particulars")
    return {str(text).split("\n")[0]: i for i, text in enumerate(rows[top]) if i and text}


def test_form_i_lists_every_bank_and_facility_with_fund_based_totals(msme):
    path, _ = msme
    rows = grid(path, "Form I")
    top = header_row(rows, "Bank")
    assert rows[top][:3] == ["Bank", "Facility", "Fund-based"]
    cash_credit = rows[top + 1]
    assert cash_credit[:3] == ["State Bank of India", "cash credit", "Fund-based"]
    # Existing ₹50 lakh, outstanding ₹42 lakh on 31 March, proposed ₹2.5 crore, in lakhs.
    assert cash_credit[3] == 50 and cash_credit[4] == 42 and cash_credit[5] == "2025-03-31"
    assert cash_credit[8] == 250
    assert rows[top + 2][:3] == ["State Bank of India", "letter of credit", "Non-fund-based"]
    assert row_of(rows, "Total fund-based")[8] == 250
    assert row_of(rows, "Total non-fund-based")[8] == 15


def test_assessment_reads_form_v_in_item_order_with_bank_figures_cached(msme):
    path, readiness = msme
    rows = grid(path, "Assessment")
    labels = [row[0] for row in rows if row and str(row[0])[:2] in {f"{n}." for n in range(10)}]
    assert labels == [label for _, label in FORM_V_ITEM_ORDER]
    numbers = [int(label.split(".")[0]) for label in labels]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, 10))
    columns = year_columns(rows)
    for year, assessment in readiness.assessment.items():
        col = columns[year]
        assert row_of(rows, "8. MPBF - Method II (lower of 6 and 7)")[col] == pytest.approx(
            float(assessment.method_2) / LAKH, abs=1e-9
        )
        turnover = assessment.turnover_method
        assert row_of(rows, "A. Projected turnover (net sales)")[col] == pytest.approx(
            float(turnover.a_turnover) / LAKH, abs=1e-9
        )
        assert row_of(rows, "G. Assessed limit: lower of E and F")[col] == pytest.approx(
            float(turnover.g_assessed_limit) / LAKH, abs=1e-9
        )
        assert row_of(rows, "Assessed working-capital limit")[col] == pytest.approx(
            float(assessment.assessed_limit) / LAKH, abs=1e-9
        )
        assert row_of(rows, "Excess borrowing (borrowings - assessed limit)")[col] == pytest.approx(
            float(assessment.excess_borrowing) / LAKH, abs=1e-9
        )
        assert row_of(rows, "Applicable method")[col] == "Turnover method"
        assert row_of(rows, "Why")[col] == assessment.reason


def test_drawing_power_is_worked_from_the_stock_statement(msme):
    path, readiness = msme
    dp = next(a.drawing_power for a in readiness.assessment.values() if a.drawing_power)
    rows = grid(path, "Assessment")
    col = year_columns(rows)[dp.year]
    # (90 - 25) lakhs x 75 % + 60 lakhs x 60 % = 48.75 + 36 = 84.75 lakhs, under the ₹50
    # lakh sanctioned: the drawing power is the sanctioned limit.
    assert row_of(rows, "Computed drawing power")[col] == pytest.approx(84.75)
    assert row_of(rows, "Drawing power (lower of the two)")[col] == pytest.approx(50)
    assert float(dp.drawing_power) == 50 * LAKH


def test_a_large_borrower_is_assessed_on_method_ii_without_a_turnover_table(tmp_path):
    path, readiness = write_bank(tmp_path / "cma.xlsx", shree_plan())
    rows = grid(path, "Assessment")
    assert not any(row and row[0] == "A. Projected turnover (net sales)" for row in rows)
    columns = year_columns(rows)
    for year, assessment in readiness.assessment.items():
        assert row_of(rows, "Applicable method")[columns[year]] == "Method II"
        assert row_of(rows, "Assessed working-capital limit")[columns[year]] == pytest.approx(
            float(assessment.method_2) / LAKH, abs=1e-9
        )


def test_every_check_is_on_the_validation_sheet_with_its_note(tmp_path):
    # Sales growth of 45 % trips the growth check (an error without a note); a note on it
    # travels into the workbook, as typed, never as a formula.
    plan = replace(
        msme_plan(),
        assumptions={"2025-26": {"sales_growth_pct": D(45)}},
        notes={"sales_growth": "=new export order of ₹2 crore", "tol_tnw": "promoters infuse"},
    )
    path, readiness = write_bank(tmp_path / "cma.xlsx", plan)
    assert readiness.checks, "the plan must trip at least one check"
    rows = grid(path, "Validation")
    top = header_row(rows, "Level")
    assert rows[top] == [
        "Level",
        "Year",
        "Check",
        "What to change",
        "Figure",
        "Threshold",
        "Note (the user's explanation)",
    ]
    written = rows[top + 1 : top + 1 + len(readiness.checks)]
    for row, check in zip(written, readiness.checks, strict=True):
        assert row[0] == check.level.capitalize()
        assert row[1] == (check.year or "All years")
        assert row[2] == check.code
        assert row[3] == check.message
        assert row[4] == ("" if check.figure is None else pytest.approx(float(check.figure)))
        assert row[5] == ("" if check.threshold is None else pytest.approx(float(check.threshold)))
        assert row[6] == ("" if check.note is None else check.note.replace("=", "'=", 1))
    growth = next(row for row in written if row[2] == "sales_growth")
    assert growth[6] == "'=new export order of ₹2 crore"


def test_libreoffice_recalculates_form_i_and_the_assessment_to_the_cached_values(msme, tmp_path):
    require_soffice()
    path, _ = msme
    assert differences(path, recalculated(path, tmp_path)) == []


def test_a_workbook_without_bank_figures_has_no_bank_sheets(tmp_path):
    _, projection = shree_projection()
    path = tmp_path / "cma.xlsx"
    write_workbook(
        str(path),
        project_name="P",
        client_name="C",
        report=projection.report,
        line_items=[],
        validation=Validation(),
        projection=projection,
    )
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert "Form I" not in names and "Assessment" not in names
