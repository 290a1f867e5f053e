"""What each projected head is computed from: an ordered list of named steps.

Each step is an expression (the forms' own ``Const``, ``Add``, ``Sub``, ``Mul``, ``Div``,
``Max`` ... nodes) over a few leaves that say where a figure comes from:

- ``Assume(key)``: this year's assumption (the Assumptions sheet's cell for the year);
- ``Last(key)``: the previous year's form line (head lines share the head's id) or step;
- ``Ref(name)``: an earlier step of the same year;
- ``Loans(field)``: this year's sum over the term-loan schedules (interest, principal,
  closing, due_within_year);
- ``PlanInput(name)``: a figure of the plan that is not per year (the proposed
  working-capital limits).

The steps run in order (PROJECTIONS.md "Computation per projected year"); the steps
marked ``head`` become the year's ``YearBooks``, which Forms II to VI then compute exactly
as they compute an actual year. The same list is what the workbook will write as formulas:
each leaf is a cell (an assumption, last year's column, a schedule total), each step a
formula, so nothing about a projection lives only in Python.

Choices that depend on the business rather than on amounts (a firm's drawings or a
company's dividend; proposed limits given or not) are made when the recipe is built, as
the forms resolve ``IfGiven`` per year.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from projects.cma.forms import Add, Const, Div, Expr, Max, Min, Mul, Neg, Pos, Sub

__all__ = [
    "CURRENT_ASSET_HEADS",
    "CURRENT_LIABILITY_HEADS",
    "Assume",
    "Last",
    "LoanField",
    "Loans",
    "PlanInput",
    "Ref",
    "SafeDiv",
    "Step",
    "evaluate_step",
    "paise",
    "recipe",
    "run_steps",
]

LoanField = Literal["interest", "principal", "closing", "due_within_year", "beyond_year"]
PAISA = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Assume(Expr):
    key: str


@dataclass(frozen=True)
class Last(Expr):
    key: str


@dataclass(frozen=True)
class Ref(Expr):
    name: str


@dataclass(frozen=True)
class Loans(Expr):
    field: LoanField


@dataclass(frozen=True)
class PlanInput(Expr):
    name: str


@dataclass(frozen=True)
class SafeDiv(Expr):
    """left / right, 0 when right is 0 (Excel: IF(right=0,0,left/right))."""

    left: Expr
    right: Expr


@dataclass(frozen=True)
class Step:
    name: str
    expr: Expr
    head: bool = False  # the step's value is the projected year's total of this head


Resolve = Callable[[Expr], Decimal]


def evaluate_step(expr: Expr, leaf: Resolve) -> Decimal:
    """The exact value of a step's expression; ``leaf`` resolves the projection leaves."""

    def ev(node: Expr) -> Decimal:
        return evaluate_step(node, leaf)

    match expr:
        case Const(value=value):
            return value
        case Add(terms=terms):
            return sum((ev(term) for term in terms), ZERO)
        case Sub(left=left, right=right):
            return ev(left) - ev(right)
        case Mul(left=left, right=right):
            return ev(left) * ev(right)
        case Div(left=left, right=right):
            return ev(left) / ev(right)
        case SafeDiv(left=left, right=right):
            denominator = ev(right)
            return ZERO if denominator == 0 else ev(left) / denominator
        case Neg(operand=operand):
            return -ev(operand)
        case Max(terms=terms):
            return max(ev(term) for term in terms)
        case Min(terms=terms):
            return min(ev(term) for term in terms)
        case Pos(operand=operand):
            return max(ev(operand), ZERO)
        case Assume() | Last() | Ref() | Loans() | PlanInput():
            return leaf(expr)
    raise TypeError(f"Not a projection expression: {expr!r}")


def paise(value: Decimal) -> Decimal:
    return value.quantize(PAISA, rounding=ROUND_HALF_UP)


def _share(key: str) -> Expr:
    """A percentage assumption as a fraction."""
    return Div(Assume(key), Const(100))


def _grown(key: str, growth: str) -> Expr:
    return Mul(Last(key), Add(Const(1), _share(growth)))


def _of_year(base: Expr, months: str) -> Expr:
    """A holding level read backwards: base x months / 12."""
    return Div(Mul(base, Assume(months)), Const(12))


def _within(base: Expr, months: str) -> Expr:
    """A stock that is part of its own base (cost of production includes the change in
    stock in process): with C = base - S and S = C x m / 12, S = base x m / (12 + m)."""
    return Div(Mul(base, Assume(months)), Add(Const(12), Assume(months)))


def _refs(*names: str) -> Expr:
    return Add(*(Ref(name) for name in names))


OTHER_CURRENT_ASSETS = (
    "current_investments",
    "inventory_spares",
    "advances_to_suppliers",
    "advance_tax",
    "other_current_assets",
)
OTHER_CURRENT_LIABILITIES = (
    "advances_from_customers",
    "provision_for_tax",
    "dividend_payable",
    "statutory_liabilities",
    "other_current_liabilities",
)
CARRIED_TERM_LIABILITIES = (
    "debentures",
    "preference_shares",
    "deferred_payment_credits",
    "term_deposits",
)
RESERVES = ("general_reserve", "revaluation_reserve", "other_reserves")
CARRIED_ASSETS = (
    "noncurrent_investments",
    "capital_advances",
    "other_noncurrent_assets",
    "intangible_assets",
)
CURRENT_LIABILITY_HEADS = (
    "bank_borrowings_wc",
    "st_borrowings_others",
    "sundry_creditors",
    *OTHER_CURRENT_LIABILITIES,
    "term_loan_current_maturities",
)
CURRENT_ASSET_HEADS = (
    "cash_bank",
    "receivables_domestic",
    "receivables_export",
    "inventory_rm",
    "inventory_wip",
    "inventory_fg",
    *OTHER_CURRENT_ASSETS,
)
COSTS = (
    ("spares_consumed", "spares_pct_of_sales"),
    ("power_fuel", "power_pct_of_sales"),
    ("direct_labour", "labour_pct_of_sales"),
    ("other_mfg_expenses", "other_mfg_pct_of_sales"),
)


def recipe(*, payout_as_drawings: bool, wc_limits_proposed: bool) -> tuple[Step, ...]:
    """The steps of a projected year, in order.

    ``payout_as_drawings``: the books keep drawings (a firm or a proprietor), so the
    plan's dividend_or_drawings leaves as drawings; otherwise as a dividend.
    ``wc_limits_proposed``: the plan proposes working-capital limits, taken as fully
    drawn (as banks assess); otherwise the bank borrowing stays as last year.
    """
    payout = Assume("dividend_or_drawings")
    steps: list[Step] = [
        # Sales from growth; duties and other operating income keep last year's share.
        Step("sales_domestic", _grown("sales_domestic", "sales_growth_pct"), head=True),
        Step("sales_export", _grown("sales_export", "export_growth_pct"), head=True),
        Step("gross_sales", _refs("sales_domestic", "sales_export")),
        Step(
            "duties_on_sales",
            Mul(Ref("gross_sales"), SafeDiv(Last("duties_on_sales"), Last("gross_sales"))),
            head=True,
        ),
        Step("net_sales", Sub(Ref("gross_sales"), Ref("duties_on_sales"))),
        Step(
            "other_operating_income",
            Mul(Ref("net_sales"), SafeDiv(Last("other_operating_income"), Last("net_sales"))),
            head=True,
        ),
        # Raw materials: consumption from its share of sales, the closing stock from its
        # months, purchases as what makes consumption come out (Form II read backwards).
        Step("rm_consumed", Mul(Ref("net_sales"), _share("rm_pct_of_sales"))),
        Step("opening_stock_rm", Last("inventory_rm"), head=True),
        Step("inventory_rm", _of_year(Ref("rm_consumed"), "rm_months"), head=True),
        Step(
            "purchases_rm",
            Sub(Add(Ref("rm_consumed"), Ref("inventory_rm")), Ref("opening_stock_rm")),
            head=True,
        ),
        *(Step(head, Mul(Ref("net_sales"), _share(key)), head=True) for head, key in COSTS),
        # Depreciation on the opening net block and half the year's additions.
        Step(
            "depreciation",
            Mul(
                _share("depreciation_pct"),
                Add(Last("net_block"), Div(Assume("capex"), Const(2))),
            ),
            head=True,
        ),
        Step(
            "production_subtotal",
            _refs(
                "rm_consumed",
                "spares_consumed",
                "power_fuel",
                "direct_labour",
                "other_mfg_expenses",
                "depreciation",
            ),
        ),
        Step("opening_stock_wip", Last("inventory_wip"), head=True),
        Step(
            "inventory_wip",
            _within(Add(Ref("production_subtotal"), Ref("opening_stock_wip")), "wip_months"),
            head=True,
        ),
        Step(
            "cost_of_production",
            Sub(_refs("production_subtotal", "opening_stock_wip"), Ref("inventory_wip")),
        ),
        Step("opening_stock_fg", Last("inventory_fg"), head=True),
        Step(
            "inventory_fg",
            _within(Add(Ref("cost_of_production"), Ref("opening_stock_fg")), "fg_months"),
            head=True,
        ),
        Step(
            "cost_of_sales",
            Sub(_refs("cost_of_production", "opening_stock_fg"), Ref("inventory_fg")),
        ),
        Step("sga_expenses", Mul(Ref("net_sales"), _share("sga_pct_of_sales")), head=True),
        # Working-capital borrowing: the proposed limits, fully drawn.
        Step(
            "bank_borrowings_wc",
            PlanInput("wc_limits") if wc_limits_proposed else Last("bank_borrowings_wc"),
            head=True,
        ),
        Step(
            "interest",
            Add(Loans("interest"), Mul(_share("wc_interest_pct"), Ref("bank_borrowings_wc"))),
            head=True,
        ),
        # Non-operating items are one-offs: not projected.
        Step("non_operating_income", Const(0), head=True),
        Step("non_operating_expenses", Const(0), head=True),
        Step(
            "profit_before_tax",
            Sub(
                _refs("net_sales", "other_operating_income"),
                _refs("cost_of_sales", "sga_expenses", "interest"),
            ),
        ),
        Step(
            "tax_provision",
            Mul(Max(Ref("profit_before_tax"), Const(0)), _share("tax_pct")),
            head=True,
        ),
        Step("net_profit", Sub(Ref("profit_before_tax"), Ref("tax_provision"))),
        Step("dividend", Const(0) if payout_as_drawings else payout, head=True),
        Step("drawings", payout if payout_as_drawings else Const(0), head=True),
        Step("retained_profit", Sub(Ref("net_profit"), Ref("dividend"))),
        # Net worth rolls forward: opening + retained profit + fresh capital - drawings.
        # Capital and reserves carry; the surplus takes everything else of last year's
        # net worth (a trial balance's unclosed profit, last year's drawings).
        Step("share_capital", Add(Last("share_capital"), Assume("fresh_capital")), head=True),
        *(Step(key, Last(key), head=True) for key in RESERVES),
        Step(
            "pl_surplus",
            Add(
                Sub(Last("net_worth"), Add(Last("share_capital"), *(Last(k) for k in RESERVES))),
                Ref("retained_profit"),
            ),
            head=True,
        ),
        # Term loans from their schedules: next year's instalments are current (item 8).
        Step("term_loan_current_maturities", Loans("due_within_year"), head=True),
        Step("term_loans", Loans("beyond_year"), head=True),
        *(Step(key, Last(key), head=True) for key in CARRIED_TERM_LIABILITIES),
        Step(
            "other_term_liabilities",
            Add(Last("other_term_liabilities"), Assume("unsecured_loans_change")),
            head=True,
        ),
        # Receivables and creditors from their months.
        Step(
            "receivables_domestic",
            _of_year(Ref("sales_domestic"), "receivables_months"),
            head=True,
        ),
        Step(
            "receivables_export",
            _of_year(Ref("sales_export"), "export_receivables_months"),
            head=True,
        ),
        Step("sundry_creditors", _of_year(Ref("purchases_rm"), "creditors_months"), head=True),
        *(
            Step(key, _grown(key, "other_current_assets_growth_pct"), head=True)
            for key in OTHER_CURRENT_ASSETS
        ),
        *(
            Step(key, _grown(key, "other_current_liabilities_growth_pct"), head=True)
            for key in OTHER_CURRENT_LIABILITIES
        ),
        # Last year's shortfall was financed by then: only the lender's own short-term
        # loans grow; this year's shortfall is added below.
        Step(
            "st_borrowings_before_shortfall",
            Mul(
                Sub(Last("st_borrowings_others"), Last("additional_finance_required")),
                Add(Const(1), _share("other_current_liabilities_growth_pct")),
            ),
        ),
        # Fixed assets.
        Step("gross_block", Add(Last("gross_block"), Assume("capex")), head=True),
        Step(
            "accumulated_depreciation",
            Add(Last("accumulated_depreciation"), Ref("depreciation")),
            head=True,
        ),
        # A block given only net (no gross, no depreciation to date) carries: capex and
        # depreciation move it through the two heads above. (The line "net_block" is the
        # form's total; the head is the line "net_block_stated".)
        Step("net_block", Last("net_block_stated"), head=True),
        *(Step(key, Last(key), head=True) for key in CARRIED_ASSETS),
        # Cash and bank balances the balance sheet; a negative one is a shortfall, shown
        # as additional (short-term) finance required so that the year still ties.
        Step(
            "liabilities_before_cash",
            Sub(
                Add(
                    *(
                        Ref("st_borrowings_before_shortfall")
                        if key == "st_borrowings_others"
                        else Ref(key)
                        for key in CURRENT_LIABILITY_HEADS
                    ),
                    Ref("term_loans"),
                    *(Ref(key) for key in CARRIED_TERM_LIABILITIES),
                    Ref("other_term_liabilities"),
                    Ref("share_capital"),
                    *(Ref(key) for key in RESERVES),
                    Ref("pl_surplus"),
                ),
                Ref("drawings"),
            ),
        ),
        Step(
            "assets_before_cash",
            Sub(
                Add(
                    *(Ref(key) for key in CURRENT_ASSET_HEADS if key != "cash_bank"),
                    Ref("gross_block"),
                    Ref("net_block"),
                    *(Ref(key) for key in CARRIED_ASSETS),
                ),
                Ref("accumulated_depreciation"),
            ),
        ),
        Step(
            "cash_bank",
            Pos(Sub(Ref("liabilities_before_cash"), Ref("assets_before_cash"))),
            head=True,
        ),
        Step(
            "additional_finance_required",
            Pos(Sub(Ref("assets_before_cash"), Ref("liabilities_before_cash"))),
        ),
        Step(
            "st_borrowings_others",
            _refs("st_borrowings_before_shortfall", "additional_finance_required"),
            head=True,
        ),
    ]
    names = [step.name for step in steps]
    if len(set(names)) != len(names):
        raise ValueError("A projection step is defined twice")
    return tuple(steps)


def run_steps(
    steps: tuple[Step, ...], leaf: Callable[[Expr, Mapping[str, Decimal]], Decimal]
) -> dict[str, Decimal]:
    """Every step's value, rounded to the paisa as the workbook's ROUND will."""
    values: dict[str, Decimal] = {}

    def resolve(node: Expr) -> Decimal:
        if isinstance(node, Ref):
            if node.name not in values:
                raise KeyError(f"Step {node.name!r} is used before it is computed")
            return values[node.name]
        return leaf(node, values)

    for step in steps:
        values[step.name] = paise(evaluate_step(step.expr, resolve))
    return values
