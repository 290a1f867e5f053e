"""The CMA forms: per-year head totals -> Forms II to VI, the ratios and the key figures.

One definition (``definitions.FORMS``, expressions over the heads) computes the values in
Python and renders the workbook's Excel formulas. Pure Python: no Django, Decimal money.

    books = books_from_items(items, bases)   # (year, head_id, amount, side) line items
    report = compute(books)
    key_figures(report)                       # {"2023-24": {"net_sales": Decimal(...), ...}}
"""

from projects.cma.forms.books import BASES, Period, YearBooks, books_from_items, previous_year
from projects.cma.forms.definitions import (
    FORMS,
    KEY_FIGURE_LABELS,
    KEY_FIGURES,
    RATIO_FIGURES,
    Form,
    FormLine,
    Kind,
    Section,
    unknown_opening_stocks,
)
from projects.cma.forms.expressions import (
    Add,
    CellKind,
    CellOf,
    Const,
    Div,
    Expr,
    Head,
    IfBasis,
    IfGiven,
    Line,
    Max,
    Min,
    Mul,
    Neg,
    Pos,
    Prev,
    Sub,
    Value,
    evaluate,
    to_excel,
)
from projects.cma.forms.report import PLACES, Report, compute, key_figures, line_formula, quantize

__all__ = [
    "BASES",
    "FORMS",
    "KEY_FIGURES",
    "KEY_FIGURE_LABELS",
    "PLACES",
    "RATIO_FIGURES",
    "Add",
    "CellKind",
    "CellOf",
    "Const",
    "Div",
    "Expr",
    "Form",
    "FormLine",
    "Head",
    "IfBasis",
    "IfGiven",
    "Kind",
    "Line",
    "Max",
    "Min",
    "Mul",
    "Neg",
    "Period",
    "Pos",
    "Prev",
    "Report",
    "Section",
    "Sub",
    "Value",
    "YearBooks",
    "books_from_items",
    "compute",
    "evaluate",
    "key_figures",
    "line_formula",
    "previous_year",
    "quantize",
    "to_excel",
    "unknown_opening_stocks",
]
