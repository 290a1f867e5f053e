"""The CMA forms (II to VI and the ratios) as expressions over the heads.

REFERENCE.md "The forms (per year)" is the source. Where it leaves a choice open, the choice
is written next to the line; the two sample books (tests/fixtures/samples/*/truth.json)
are reproduced to the paisa with these definitions.
"""

from __future__ import annotations

from projects.cma.forms.assessment import FORM_IV, FORM_V, FORM_VI, RATIOS
from projects.cma.forms.balance_sheet import FORM_III
from projects.cma.forms.books import Period
from projects.cma.forms.operating import FORM_II
from projects.cma.forms.structure import Form, FormLine, Kind, Section

__all__ = [
    "FORMS",
    "KEY_FIGURES",
    "KEY_FIGURE_LABELS",
    "RATIO_FIGURES",
    "Form",
    "FormLine",
    "Kind",
    "Section",
    "unknown_opening_stocks",
]

FORMS: tuple[Form, ...] = (FORM_II, FORM_III, FORM_IV, FORM_V, FORM_VI, RATIOS)

# API.md "Report and outputs": key figure name -> the line that holds it (same names).
KEY_FIGURES: tuple[str, ...] = (
    "net_sales",
    "profit_before_tax",
    "net_profit",
    "total_current_assets",
    "total_current_liabilities",
    "total_term_liabilities",
    "net_worth",
    "tangible_net_worth",
    "total_assets",
    "total_liabilities",
    "current_ratio",
    "tol_tnw",
    "net_working_capital",
    "working_capital_gap",
    "mpbf_method_1",
    "mpbf_method_2",
)

# How a banker calls them; the forms' own labels carry their line numbers.
KEY_FIGURE_LABELS: dict[str, str] = {
    "net_sales": "Net sales",
    "profit_before_tax": "Profit before tax",
    "net_profit": "Net profit",
    "total_current_assets": "Total current assets",
    "total_current_liabilities": "Total current liabilities",
    "total_term_liabilities": "Term liabilities",
    "net_worth": "Net worth",
    "tangible_net_worth": "Tangible net worth",
    "total_assets": "Total assets",
    "total_liabilities": "Total liabilities",
    "current_ratio": "Current ratio",
    "tol_tnw": "TOL / TNW",
    "net_working_capital": "Net working capital",
    "working_capital_gap": "Working capital gap",
    "mpbf_method_1": "MPBF, method I",
    "mpbf_method_2": "MPBF, method II",
}
RATIO_FIGURES = frozenset({"current_ratio", "tol_tnw"})

# Opening stock components: (name, opening head, closing head, the statement line that
# makes the opening stock unnecessary).
_OPENING_STOCKS = (
    ("raw materials", "opening_stock_rm", "inventory_rm", "rm_consumed"),
    ("stock in process", "opening_stock_wip", "inventory_wip", "changes_in_inventories"),
    ("finished goods", "opening_stock_fg", "inventory_fg", "changes_in_inventories"),
)


def unknown_opening_stocks(period: Period) -> list[str]:
    """The stocks whose opening figure Form II had to take as 0 in this year.

    That is a year with no previous year, no opening-stock head and no statement line that
    covers the movement, while the books do show a closing stock of that kind (a business
    without, say, work in progress is not warned about it).
    """
    if period.previous is not None:
        return []
    books = period.books
    return [
        name
        for name, opening, closing, covered_by in _OPENING_STOCKS
        if not books.given(opening) and not books.given(covered_by) and books.given(closing)
    ]
