"""The CMA workbook a bank receives: a live model of the report.

Sheets: Inputs (each head's total per year), Assumptions and Term loans (when the
project has a plan), Forms II to VI, Ratios, Line items, Validation. Every computed cell
is a formula, written from the same expressions that computed the report (and, for the
estimated and projected years, from the projection's recipe), with the computed value
cached in the cell: a reader that does not recalculate (python-calamine, a bank's intake
software) sees the numbers; a banker who clicks a cell sees how it was arrived at; a
credit officer who changes an assumption and recalculates sees every form follow.

    write_workbook(path_or_buffer, project_name=..., client_name=..., report=...,
                   line_items=..., validation=..., projection=None, display_unit="lakhs")
"""

from projects.cma.workbook.cells import MONEY_FORMAT, UNITS, Unit, safe_text
from projects.cma.workbook.lists import WorkbookItem
from projects.cma.workbook.writer import write_workbook

__all__ = ["MONEY_FORMAT", "UNITS", "Unit", "WorkbookItem", "safe_text", "write_workbook"]
