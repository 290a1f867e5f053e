"""A projection step as an Excel formula: the recipe's expression over the workbook's cells.

The workbook writes every projected head as the formula of its step (recipe.py), so a
credit officer who changes an assumption cell and recalculates sees the year follow. The
leaves (an assumption, last year's line, an earlier step, a loan total, the proposed
limits) are cells the caller places; this module only turns the tree into formula text,
with the same arithmetic as ``recipe.evaluate_step`` and the same rounding as
``recipe.run_steps`` (each step to the paisa).
"""

from __future__ import annotations

from collections.abc import Callable

from projects.cma.forms import Add, Const, Div, Expr, Max, Min, Mul, Neg, Pos, Sub
from projects.cma.projections.recipe import Assume, Last, Loans, PlanInput, Ref, SafeDiv

__all__ = ["LeafCell", "step_formula"]

# leaf_cell(node) -> the cell (or constant) an Assume / Last / Ref / Loans / PlanInput is.
LeafCell = Callable[[Expr], str]


def step_formula(expr: Expr, leaf_cell: LeafCell, money_digits: int = 2) -> str:
    """The formula (without "=") of a step, rounded to ``money_digits`` places when it
    multiplies or divides (2 for rupees: the paisa; 7 for lakhs: still the paisa)."""
    text = _unwrap(_render(expr, leaf_cell))
    return f"ROUND({text},{money_digits})" if _inexact(expr) else text


def _inexact(expr: Expr) -> bool:
    match expr:
        case Mul() | Div() | SafeDiv():
            return True
        case Add(terms=terms) | Max(terms=terms) | Min(terms=terms):
            return any(_inexact(term) for term in terms)
        case Sub(left=left, right=right):
            return _inexact(left) or _inexact(right)
        case Neg(operand=operand) | Pos(operand=operand):
            return _inexact(operand)
    return False


def _render(expr: Expr, leaf_cell: LeafCell) -> str:
    def r(node: Expr) -> str:
        return _render(node, leaf_cell)

    match expr:
        case Const(value=value):
            text = format(value.normalize(), "f") if value else "0"
            return f"({text})" if value < 0 else text
        case Add(terms=terms):
            kept = [term for term in terms if term != Const(0)] or [Const(0)]
            texts = [r(term) for term in kept]
            return texts[0] if len(texts) == 1 else f"({'+'.join(texts)})"
        case Sub(left=left, right=right):
            return f"({r(left)}-{r(right)})"
        case Mul(left=left, right=right):
            return f"({r(left)}*{r(right)})"
        case Div(left=left, right=right):
            # The recipe divides only by constants and 12 + months: never by zero.
            return f"({r(left)}/{r(right)})"
        case SafeDiv(left=left, right=right):
            return f"IF({r(right)}=0,0,{r(left)}/{r(right)})"
        case Neg(operand=operand):
            return f"(-{r(operand)})"
        case Max(terms=terms) | Min(terms=terms):
            name = "MAX" if isinstance(expr, Max) else "MIN"
            return f"{name}({','.join(r(term) for term in terms)})"
        case Pos(operand=operand):
            return f"MAX({r(operand)},0)"
        case Assume() | Last() | Ref() | Loans() | PlanInput():
            return leaf_cell(expr)
    raise TypeError(f"Not a projection expression: {expr!r}")


def _unwrap(text: str) -> str:
    """ "(a+b)" -> "a+b"; "(a)+(b)" stays as it is."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and index != len(text) - 1:
                return text
    return text[1:-1]
