"""The workbook recalculated by a real spreadsheet engine (LibreOffice, headless).

Every value a recalculation gives equals the value the product cached; a growth rate
typed over on the Assumptions sheet recomputes projected sales, the MPBF and the
balance sheet, which still ties, exactly as the product computes the changed plan.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from projects.cma.checks import Validation
from projects.cma.forms import compute
from projects.cma.workbook import write_workbook
from tests.projects.cma.libreoffice import recalculated, require_soffice
from tests.projects.cma.test_forms import SAMPLE_NAMES, sample_books
from tests.projects.cma.workbook_files import (
    D,
    assumption_ref,
    form_cell,
    shree_plan,
    shree_projection,
    with_cell_changed,
    write_projected,
)

PAISA_IN_LAKHS = 1e-7


@pytest.fixture(autouse=True)
def soffice() -> None:
    require_soffice()


def differences(cached: Path, recalc: Path) -> list[tuple]:
    """Every cell whose recalculated value differs from the cached one (beyond a paisa
    in lakhs, or 0.0001 in a ratio rounded to four places: float against Decimal)."""
    before, after = CalamineWorkbook.from_path(str(cached)), CalamineWorkbook.from_path(str(recalc))
    assert before.sheet_names == after.sheet_names
    found = []
    for name in before.sheet_names:
        old, new = (
            before.get_sheet_by_name(name).to_python(),
            after.get_sheet_by_name(name).to_python(),
        )
        for r, row in enumerate(old):
            for c, value in enumerate(row):
                other = new[r][c] if r < len(new) and c < len(new[r]) else ""
                if isinstance(value, float) and isinstance(other, float):
                    if abs(value - other) > PAISA_IN_LAKHS:
                        found.append((name, r + 1, c, value, other))
                elif value != other:
                    found.append((name, r + 1, c, value, other))
    return found


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_libreoffice_recalculates_the_actual_years_to_the_cached_values(tmp_path, name):
    path = tmp_path / "cma.xlsx"
    write_workbook(
        str(path),
        project_name="P",
        client_name="C",
        report=compute(sample_books(name)),
        line_items=[],
        validation=Validation(),
    )

    assert differences(path, recalculated(path, tmp_path)) == []


@pytest.mark.parametrize("unit", ["lakhs", "rupees"])
def test_libreoffice_recalculates_every_projected_figure_to_the_cached_value(tmp_path, unit):
    _, projection = shree_projection()
    path = write_projected(tmp_path / "cma.xlsx", projection, unit)

    assert differences(path, recalculated(path, tmp_path)) == []


def test_a_cell_typed_over_is_recalculated_not_kept(tmp_path):
    """The engine truly recalculates: a wrong cached figure does not survive."""
    _, projection = shree_projection()
    path = write_projected(tmp_path / "cma.xlsx", projection)
    ref = assumption_ref(path, "Domestic sales growth", "2025-26")
    changed = with_cell_changed(path, "Assumptions", ref, 10.0, tmp_path / "same.xlsx")

    assert differences(changed, recalculated(changed, tmp_path)) == []  # same value typed
    sales_before = form_cell(path, "sales_domestic", "2025-26")
    assert sales_before == pytest.approx(
        float(projection.report.value("sales_domestic", "2025-26")) / 1e5
    )


def test_a_growth_rate_changed_on_the_assumptions_sheet_flows_through_every_form(tmp_path):
    _, projection = shree_projection()
    path = write_projected(tmp_path / "cma.xlsx", projection)
    ref = assumption_ref(path, "Domestic sales growth", "2025-26")
    edited = with_cell_changed(path, "Assumptions", ref, 35.0, tmp_path / "edited.xlsx")

    recalc = recalculated(edited, tmp_path)

    # What the product computes for the same plan with 35 % typed in the app.
    plan = shree_plan(**{"2025-26": {"sales_growth_pct": D(35)}})
    _, expected = shree_projection(plan)
    product = write_projected(tmp_path / "expected.xlsx", expected)
    changed = [d for d in differences(product, recalc) if d[0] != "Assumptions"]
    assert changed == []
    # ... and it is a different year from the one the file was written with.
    for year in ("2025-26", "2026-27"):
        old_sales = form_cell(path, "sales_domestic", year)
        new_sales = form_cell(recalc, "sales_domestic", year)
        assert new_sales > old_sales * 1.2
        assert new_sales == pytest.approx(
            float(expected.report.value("sales_domestic", year)) / 1e5
        )
        new_mpbf = form_cell(recalc, "mpbf_method_2", year)
        assert new_mpbf != form_cell(path, "mpbf_method_2", year)
        assets = form_cell(recalc, "total_assets", year)
        liabilities = form_cell(recalc, "total_liabilities", year)
        assert assets == pytest.approx(liabilities, abs=PAISA_IN_LAKHS)
    assert Decimal(str(form_cell(recalc, "mpbf_method_2", "2025-26"))) * 100000 == (
        expected.report.value("mpbf_method_2", "2025-26")
    )
