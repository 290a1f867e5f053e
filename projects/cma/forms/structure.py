"""The shape of a form: lines (an expression each), sections, and small builders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from projects.cma.forms.expressions import Add, Const, Div, Expr, Head, Line, Mul, Prev, Sub

__all__ = [
    "Form",
    "FormLine",
    "Kind",
    "Section",
    "change",
    "head_line",
    "lines_sum",
    "months",
    "total",
]

Kind = Literal["money", "ratio", "months", "percent"]


@dataclass(frozen=True)
class FormLine:
    key: str  # unique across all forms
    label: str
    expr: Expr
    kind: Kind = "money"
    total: bool = False  # a total or result line (printed bold)


@dataclass(frozen=True)
class Section:
    """A heading between lines (no value)."""

    label: str


@dataclass(frozen=True)
class Form:
    key: str
    sheet: str  # the workbook sheet's name
    title: str
    rows: tuple[FormLine | Section, ...]
    # Form VI compares a year with the one before: only years that have one get values.
    needs_previous: bool = False

    @property
    def lines(self) -> tuple[FormLine, ...]:
        return tuple(row for row in self.rows if isinstance(row, FormLine))


def head_line(head_id: str, label: str) -> FormLine:
    """A line that is just a head's total (the key is the head id)."""
    return FormLine(head_id, label, Head(head_id))


def total(key: str, label: str, expr: Expr, kind: Kind = "money") -> FormLine:
    return FormLine(key, label, expr, kind, total=True)


def lines_sum(*keys: str) -> Expr:
    return Add(*(Line(key) for key in keys))


def change(key: str) -> Expr:
    """This year's line less last year's (Form VI only runs where there is a last year)."""
    return Sub(Line(key), Prev(key))


def months(amount_key: str, per_year_key: str) -> Expr:
    """amount / yearly flow x 12, with the division last so that Excel shows "" over 0."""
    return Div(Mul(Line(amount_key), Const(12)), Line(per_year_key))
