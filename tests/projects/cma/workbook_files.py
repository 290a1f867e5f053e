"""Builders for the workbook tests: a projected workbook, its sheets read back, a cell
changed inside the xlsx as a credit officer would change it in Excel."""

import re
import zipfile
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook
from xlsxwriter.utility import xl_rowcol_to_cell

from projects.cma.checks import Validation
from projects.cma.forms import FORMS, FormLine, Report, compute
from projects.cma.projections import Limit, Plan, Projection, TermLoan, project
from projects.cma.workbook import write_workbook
from tests.projects.cma.test_forms import SHREE, sample_books

D = Decimal


def shree_plan(**assumptions: dict[str, Decimal]) -> Plan:
    """Shree Ganesh Polymers' renewal: a cash credit of ₹2.5 crore proposed (more than the
    assessment supports, so that Method II's MPBF is its item 6 and moves with sales), a letter of
    credit (not fund-based), a new machine on a term loan with a moratorium."""
    return Plan(
        projected_years=2,
        assumptions=assumptions,
        limits=(
            Limit(
                "State Bank of India",
                "cash_credit",
                True,
                D(5000000),
                D(4200000),
                "2025-03-31",
                proposed_limit=D(25000000),
            ),
            Limit(
                "State Bank of India",
                "letter_of_credit",
                False,
                D(1000000),
                proposed_limit=D(1500000),
            ),
        ),
        term_loans=(
            TermLoan("Injection moulding machine", D(2500000), D("10.5"), "2025-10", 60, 6),
            TermLoan("Solar roof", D(800000), D(9), "2026-04", 36, repayment="emi"),
        ),
        notes={"sales_growth": "=new export order of 2 crore"},
    )


def shree_projection(plan: Plan | None = None) -> tuple[Report, Projection]:
    report = compute(sample_books(SHREE))
    return report, project(report, plan or shree_plan())


def write_projected(path: Path, projection: Projection, unit: str = "lakhs") -> Path:
    write_workbook(
        str(path),
        project_name="CC renewal 2025-26",
        client_name="Shree Ganesh Polymers Private Limited",
        report=projection.report,
        line_items=[],
        validation=Validation(),
        projection=projection,
        display_unit=unit,
        msme=True,
        notes={"sales_growth": "=new export order of 2 crore"},
    )
    return path


def grid(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def header_row(rows: list[list], first: str) -> int:
    return next(i for i, row in enumerate(rows) if row and row[0] == first)


def form_cell(path: Path, key: str, year: str):
    """A form line's value under the year's column, found by the line's key."""
    form, index = next(
        (form, index)
        for form in FORMS
        for index, row in enumerate(form.rows)
        if isinstance(row, FormLine) and row.key == key
    )
    rows = grid(path, form.sheet)
    top = header_row(rows, "Particulars")
    col = next(i for i, text in enumerate(rows[top]) if str(text).startswith(year))
    assert rows[top + 1 + index][0] == form.rows[index].label
    return rows[top + 1 + index][col]


def assumption_ref(path: Path, label: str, year: str) -> str:
    rows = grid(path, "Assumptions")
    top = header_row(rows, "Assumption")
    col = next(i for i, text in enumerate(rows[top]) if str(text).startswith(year))
    row = next(i for i, row in enumerate(rows) if row and row[0] == label)
    return xl_rowcol_to_cell(row, col)


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(sheet)}" sheetId="\d+" r:id="(rId\d+)"', workbook)
    target = re.search(rf'Id="{rid[1]}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid[1]}"', rels
    )
    return "xl/" + target[1]


def with_cell_changed(path: Path, sheet: str, ref: str, value: float, out: Path) -> Path:
    """A copy of the xlsx with one number cell typed over, nothing else touched."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        part = sheet_part(source, sheet)
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                xml, count = re.subn(
                    rf'(<c r="{ref}"[^>]*>)<v>[^<]*</v>(</c>)',
                    rf"\g<1><v>{value}</v>\g<2>",
                    data.decode(),
                )
                assert count == 1, f"{sheet}!{ref} is not a number cell"
                data = xml.encode()
            target.writestr(info, data)
    return out
