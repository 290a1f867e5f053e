"""Expressions over a year's books: one definition both computes a value and writes a formula.

A form line is an expression tree (heads, other lines, the previous year's lines, constants
and arithmetic). ``evaluate`` walks it with Decimals; ``to_excel`` walks the same tree and
writes the Excel formula that recomputes it from the workbook's cells, so the numbers in
the report and the formulas a banker inspects cannot drift apart.

Choices that depend on the books rather than on amounts (the year's basis, whether a head
was given at all, whether there is a previous year) are resolved per year when the formula
is written: the formula shows the branch that applies to that year's books.

"Blank" (None) is a value: a ratio over zero, or a previous year that does not exist. It
propagates through arithmetic in Python; in Excel a division by zero gives "" (the cell
shows nothing), so a ratio line should keep its Div at the top of its expression and never
be used inside further arithmetic (Excel would show #VALUE! where Python shows blank).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeAlias

from projects.cma.forms.books import Period
from projects.cma.heads import head as head_named
from projects.cma.records import Basis

__all__ = [
    "Add",
    "CellKind",
    "CellOf",
    "Const",
    "Div",
    "Expr",
    "Head",
    "IfBasis",
    "IfGiven",
    "Line",
    "LineValue",
    "Max",
    "Min",
    "Mul",
    "Neg",
    "Pos",
    "Prev",
    "Sub",
    "Value",
    "children",
    "evaluate",
    "render",
    "to_excel",
]

Value: TypeAlias = Decimal | None
CellKind = Literal["head", "line"]
# cell_of(kind, key, year) -> a cell reference such as "'Form III'!C7" or "Inputs!D12".
CellOf: TypeAlias = Callable[[CellKind, str, str], str]
# line_value(key, year) -> that line's (rounded) value in that year.
LineValue: TypeAlias = Callable[[str, str], Value]

Operand: TypeAlias = "Expr | int | Decimal"


def _expr(operand: Operand) -> Expr:
    if isinstance(operand, Expr):
        return operand
    return Const(operand)


class Expr:
    """Base of all expressions; Python operators build trees (``Line("a") - Head("b")``)."""

    __slots__ = ()

    def __add__(self, other: Operand) -> Add:
        return Add(self, other)

    def __radd__(self, other: Operand) -> Add:
        return Add(other, self)

    def __sub__(self, other: Operand) -> Sub:
        return Sub(self, _expr(other))

    def __rsub__(self, other: Operand) -> Sub:
        return Sub(_expr(other), self)

    def __mul__(self, other: Operand) -> Mul:
        return Mul(self, _expr(other))

    def __rmul__(self, other: Operand) -> Mul:
        return Mul(_expr(other), self)

    def __truediv__(self, other: Operand) -> Div:
        return Div(self, _expr(other))

    def __neg__(self) -> Neg:
        return Neg(self)


@dataclass(frozen=True)
class Const(Expr):
    value: Decimal  # int and str ("0.25") are accepted and converted exactly

    def __post_init__(self) -> None:
        # A float would already be off in the last paisa.
        if isinstance(self.value, float | bool) or not isinstance(self.value, Decimal | int | str):
            raise TypeError(f"Constants are Decimal, int or str, got {self.value!r}")
        object.__setattr__(self, "value", Decimal(self.value))


@dataclass(frozen=True)
class Head(Expr):
    """This year's total of a head (0 when not given)."""

    id: str

    def __post_init__(self) -> None:
        head_named(self.id)  # a typo in a form definition fails at import, not in a report


@dataclass(frozen=True)
class Line(Expr):
    """Another line of the forms, same year."""

    key: str


@dataclass(frozen=True)
class Prev(Expr):
    """A line in the previous fiscal year; without one, ``fallback`` (this year) or blank."""

    key: str
    fallback: Expr | None = None


@dataclass(frozen=True, init=False)
class Add(Expr):
    terms: tuple[Expr, ...]

    def __init__(self, *terms: Operand) -> None:
        object.__setattr__(self, "terms", tuple(_expr(term) for term in terms))


@dataclass(frozen=True)
class Sub(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Mul(Expr):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Div(Expr):
    """left / right; blank when right is 0 (a ratio over nothing is not a number)."""

    left: Expr
    right: Expr


@dataclass(frozen=True)
class Neg(Expr):
    operand: Expr


@dataclass(frozen=True, init=False)
class Min(Expr):
    terms: tuple[Expr, ...]

    def __init__(self, *terms: Operand) -> None:
        object.__setattr__(self, "terms", tuple(_expr(term) for term in terms))


@dataclass(frozen=True, init=False)
class Max(Expr):
    terms: tuple[Expr, ...]

    def __init__(self, *terms: Operand) -> None:
        object.__setattr__(self, "terms", tuple(_expr(term) for term in terms))


@dataclass(frozen=True)
class Pos(Expr):
    """max(x, 0): the positive part, e.g. "increase in term liabilities"."""

    operand: Expr


@dataclass(frozen=True)
class IfBasis(Expr):
    """Chosen by the year's basis: a pre-closing trial balance or final statements."""

    trial_balance: Expr
    statements: Expr

    def choose(self, basis: Basis) -> Expr:
        return self.trial_balance if basis == "trial_balance" else self.statements


@dataclass(frozen=True, init=False)
class IfGiven(Expr):
    """``then`` when any of the heads has line items this year, else ``otherwise``."""

    heads: tuple[str, ...]
    then: Expr
    otherwise: Expr

    def __init__(self, heads: str | tuple[str, ...], then: Operand, otherwise: Operand) -> None:
        names = (heads,) if isinstance(heads, str) else tuple(heads)
        for name in names:
            head_named(name)
        object.__setattr__(self, "heads", names)
        object.__setattr__(self, "then", _expr(then))
        object.__setattr__(self, "otherwise", _expr(otherwise))

    def choose(self, period: Period) -> Expr:
        given = any(period.books.given(name) for name in self.heads)
        return self.then if given else self.otherwise


def children(expr: Expr) -> Iterator[Expr]:
    """The direct sub-expressions (both branches of a choice)."""
    match expr:
        case Add(terms=terms) | Min(terms=terms) | Max(terms=terms):
            yield from terms
        case (
            Sub(left=left, right=right) | Mul(left=left, right=right) | Div(left=left, right=right)
        ):
            yield left
            yield right
        case Neg(operand=operand) | Pos(operand=operand):
            yield operand
        case Prev(fallback=fallback) if fallback is not None:
            yield fallback
        case (
            IfBasis(trial_balance=first, statements=second) | IfGiven(then=first, otherwise=second)
        ):
            yield first
            yield second


def evaluate(expr: Expr, period: Period, line_value: LineValue) -> Value:
    """The exact (unrounded) value of ``expr`` in ``period``; None for blank."""

    def ev(node: Expr) -> Value:
        return evaluate(node, period, line_value)

    match expr:
        case Const(value=value):
            return value
        case Head(id=head_id):
            return period.books.head(head_id)
        case Line(key=key):
            return line_value(key, period.year)
        case Prev(key=key, fallback=fallback):
            if period.previous is not None:
                return line_value(key, period.previous.year)
            return None if fallback is None else ev(fallback)
        case Add(terms=terms):
            values = [ev(term) for term in terms]
            return None if None in values else sum(values, Decimal(0))  # type: ignore[arg-type]
        case Sub(left=left, right=right):
            a, b = ev(left), ev(right)
            return None if a is None or b is None else a - b
        case Mul(left=left, right=right):
            a, b = ev(left), ev(right)
            return None if a is None or b is None else a * b
        case Div(left=left, right=right):
            a, b = ev(left), ev(right)
            return None if a is None or b is None or b == 0 else a / b
        case Neg(operand=operand):
            a = ev(operand)
            return None if a is None else -a
        case Min(terms=terms) | Max(terms=terms):
            values = [ev(term) for term in terms]
            if None in values:
                return None
            pick = min if isinstance(expr, Min) else max
            return pick(values)  # type: ignore[type-var]
        case Pos(operand=operand):
            a = ev(operand)
            return None if a is None else max(a, Decimal(0))
        case IfBasis():
            return ev(expr.choose(period.basis))
        case IfGiven():
            return ev(expr.choose(period))
    raise TypeError(f"Not an expression: {expr!r}")


def render(expr: Expr, cell_of: CellOf, period: Period) -> str | None:
    """The Excel formula text of ``expr`` (parenthesized), or None when it is blank this year.

    Blank is structural here (a previous year that does not exist): arithmetic with a blank
    is blank, as in ``evaluate``.
    """

    def r(node: Expr) -> str | None:
        return render(node, cell_of, period)

    def all_of(nodes: tuple[Expr, ...]) -> list[str] | None:
        texts = [r(node) for node in nodes]
        return None if None in texts else texts  # type: ignore[return-value]

    match expr:
        case Const(value=value):
            text = format(value.normalize(), "f") if value else "0"
            return f"({text})" if value < 0 else text
        case Head(id=head_id):
            return cell_of("head", head_id, period.year)
        case Line(key=key):
            return cell_of("line", key, period.year)
        case Prev(key=key, fallback=fallback):
            if period.previous is not None:
                return cell_of("line", key, period.previous.year)
            return None if fallback is None else r(fallback)
        case Add(terms=terms):
            # "+0" from a branch that does not apply this year only clutters the formula.
            kept = tuple(term for term in terms if term != Const(0)) or (Const(0),)
            texts = all_of(kept)
            if texts is None:
                return None
            return texts[0] if len(texts) == 1 else f"({'+'.join(texts)})"
        case Sub(left=left, right=right) | Mul(left=left, right=right):
            texts = all_of((left, right))
            op = "-" if isinstance(expr, Sub) else "*"
            return None if texts is None else f"({texts[0]}{op}{texts[1]})"
        case Div(left=left, right=right):
            texts = all_of((left, right))
            if texts is None:
                return None
            return f'IF({texts[1]}=0,"",{texts[0]}/{texts[1]})'
        case Neg(operand=operand):
            text = r(operand)
            return None if text is None else f"(-{text})"
        case Min(terms=terms) | Max(terms=terms):
            texts = all_of(terms)
            name = "MIN" if isinstance(expr, Min) else "MAX"
            return None if texts is None else f"{name}({','.join(texts)})"
        case Pos(operand=operand):
            text = r(operand)
            return None if text is None else f"MAX({text},0)"
        case IfBasis():
            return r(expr.choose(period.basis))
        case IfGiven():
            return r(expr.choose(period))
    raise TypeError(f"Not an expression: {expr!r}")


def to_excel(expr: Expr, cell_of: CellOf, period: Period) -> str:
    """The formula (without "=") that recomputes ``expr`` in ``period`` from the workbook.

    ``period`` says which year's cells to use and resolves the per-year choices; a blank
    expression gives '""' (an empty cell).
    """
    text = render(expr, cell_of, period)
    return '""' if text is None else _unwrap(text)


def _unwrap(text: str) -> str:
    """Drops one pair of parentheses around the whole formula: "(a+b)" -> "a+b"."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    in_string = False
    for index, char in enumerate(text):
        if char == '"':
            in_string = not in_string
        elif not in_string and char == "(":
            depth += 1
        elif not in_string and char == ")":
            depth -= 1
            if depth == 0 and index != len(text) - 1:
                return text  # "(a)+(b)": the first pair closes early
    return text[1:-1]
