"""Forms IV (holding periods), V (MPBF), VI (fund flow) and the ratios sheet."""

from __future__ import annotations

from projects.cma.forms.expressions import (
    Add,
    Const,
    Div,
    Expr,
    Line,
    Max,
    Min,
    Mul,
    Neg,
    Pos,
    Prev,
    Sub,
)
from projects.cma.forms.structure import (
    Form,
    FormLine,
    Section,
    change,
    lines_sum,
    months,
    total,
)

__all__ = ["FORM_IV", "FORM_V", "FORM_VI", "HOLDING_PERIODS", "RATIOS"]

HOLDING_PERIODS = (
    ("rm_months", "Raw materials (months' consumption)", "inventory_rm", "rm_consumed"),
    ("wip_months", "Stock in process (months' cost of production)", "inventory_wip",
     "cost_of_production"),
    ("fg_months", "Finished goods (months' cost of sales)", "inventory_fg", "cost_of_sales"),
    ("spares_months", "Consumable spares (months' consumption)", "inventory_spares",
     "spares_consumed"),
    ("receivables_domestic_months", "Receivables - domestic (months' domestic sales)",
     "receivables_domestic", "sales_domestic"),
    ("receivables_export_months", "Receivables - export (months' export sales)",
     "receivables_export", "sales_export"),
)  # fmt: skip

FORM_IV = Form(
    "form_iv",
    "Form IV",
    "Form IV - Holding periods of current assets and current liabilities",
    (
        Section("Current assets (holding period in months)"),
        *(
            FormLine(key, label, months(amount, flow), "months")
            for key, label, amount, flow in HOLDING_PERIODS
        ),
        Section("Current liabilities other than bank borrowings (items 2 to 9)"),
        FormLine(
            "creditors_months",
            "Sundry creditors (months' purchases)",
            months("sundry_creditors", "purchases"),
            "months",
        ),
        total(
            "current_liabilities_excl_bank",
            "Current liabilities other than bank borrowings (2 to 9)",
            Sub(Line("total_current_liabilities"), Line("bank_borrowings_wc")),
        ),
    ),
)


def _mpbf(method: int, minimum_nwc: Expr, minimum_label: str) -> tuple[FormLine, ...]:
    m = f"method_{method}"
    return (
        Section(f"Method {'I' if method == 1 else 'II'}"),
        FormLine(f"min_nwc_{m}", f"4. Minimum stipulated NWC: {minimum_label}", minimum_nwc),
        FormLine(
            f"item_6_{m}",
            "6. Item 3 - item 4",
            Sub(Line("working_capital_gap"), Line(f"min_nwc_{m}")),
        ),
        # The lower of 6 and 7 (REFERENCE.md); floored at 0 because a negative limit means
        # "no bank finance", and the excess borrowing below must not exceed the borrowing.
        total(
            f"mpbf_{m}",
            "8. Maximum permissible bank finance (lower of 6 and 7)",
            Max(Min(Line(f"item_6_{m}"), Line("item_7")), Const(0)),
        ),
        FormLine(
            f"excess_borrowing_{m}",
            "9. Excess borrowing (bank borrowings - MPBF, where positive)",
            Pos(Sub(Line("bank_borrowings_wc"), Line(f"mpbf_{m}"))),
        ),
    )


FORM_V = Form(
    "form_v",
    "Form V",
    "Form V - Maximum permissible bank finance",
    (
        FormLine(
            "mpbf_total_current_assets", "1. Total current assets", Line("total_current_assets")
        ),
        FormLine(
            "mpbf_other_current_liabilities",
            "2. Other current liabilities (other than bank borrowings)",
            Line("current_liabilities_excl_bank"),
        ),
        total(
            "working_capital_gap",
            "3. Working capital gap (1 - 2)",
            Sub(Line("mpbf_total_current_assets"), Line("mpbf_other_current_liabilities")),
        ),
        FormLine(
            "actual_nwc", "5. Actual / projected net working capital", Line("net_working_capital")
        ),
        FormLine(
            "item_7", "7. Item 3 - item 5", Sub(Line("working_capital_gap"), Line("actual_nwc"))
        ),
        *_mpbf(1, Mul(Line("working_capital_gap"), Const("0.25")), "25 % of item 3"),
        *_mpbf(2, Mul(Line("mpbf_total_current_assets"), Const("0.25")), "25 % of item 1"),
    ),
)

# Fund flow: with TA = TL in both years, long-term surplus = change in (TCA - TCL), and the
# net surplus after the working capital gap is exactly minus the change in bank borrowings.
# Fixed assets move by (change in net block + depreciation): depreciation is a source, so the
# use is capital expenditure net of disposals; the same rule for intangibles sits with the
# other non-current assets. "Capital" is the change in net worth other than the year's
# retained profit (fresh capital less drawings beyond the profit).
_CAPEX = Add(change("net_block"), Line("depreciation"))
_OTHER_NCA = Add(change("total_other_noncurrent_assets"), change("intangible_assets"))
_CAPITAL = Sub(change("net_worth"), Line("retained_profit"))

FORM_VI = Form(
    "form_vi",
    "Form VI",
    "Form VI - Fund flow statement",
    (
        Section("1. Long-term sources"),
        FormLine("ff_net_profit", "  a. Net profit", Pos(Line("net_profit"))),
        FormLine("ff_depreciation", "  b. Depreciation", Line("depreciation")),
        FormLine("ff_capital_increase", "  c. Increase in capital", Pos(_CAPITAL)),
        FormLine(
            "ff_term_liabilities_increase",
            "  d. Increase in term liabilities",
            Pos(change("total_term_liabilities")),
        ),
        FormLine("ff_fixed_assets_decrease", "  e. Decrease in fixed assets", Pos(Neg(_CAPEX))),
        FormLine(
            "ff_noncurrent_assets_decrease",
            "  f. Decrease in other non-current assets and intangibles",
            Pos(Neg(_OTHER_NCA)),
        ),
        total(
            "ff_total_sources",
            "  Total long-term sources",
            lines_sum(
                "ff_net_profit",
                "ff_depreciation",
                "ff_capital_increase",
                "ff_term_liabilities_increase",
                "ff_fixed_assets_decrease",
                "ff_noncurrent_assets_decrease",
            ),
        ),
        Section("2. Long-term uses"),
        FormLine("ff_net_loss", "  a. Net loss", Pos(Neg(Line("net_profit")))),
        FormLine(
            "ff_term_liabilities_decrease",
            "  b. Decrease in term liabilities",
            Pos(Neg(change("total_term_liabilities"))),
        ),
        FormLine(
            "ff_fixed_assets_increase",
            "  c. Increase in fixed assets (net of depreciation written back)",
            Pos(_CAPEX),
        ),
        FormLine(
            "ff_noncurrent_assets_increase",
            "  d. Increase in other non-current assets and intangibles",
            Pos(_OTHER_NCA),
        ),
        FormLine("ff_dividend", "  e. Dividend", Line("dividend")),
        FormLine(
            "ff_capital_decrease", "  f. Decrease in capital (incl. drawings)", Pos(Neg(_CAPITAL))
        ),
        total(
            "ff_total_uses",
            "  Total long-term uses",
            lines_sum(
                "ff_net_loss",
                "ff_term_liabilities_decrease",
                "ff_fixed_assets_increase",
                "ff_noncurrent_assets_increase",
                "ff_dividend",
                "ff_capital_decrease",
            ),
        ),
        total(
            "ff_long_term_surplus",
            "3. Long-term surplus (+) / deficit (-) (1 - 2)",
            Sub(Line("ff_total_sources"), Line("ff_total_uses")),
        ),
        FormLine(
            "ff_current_assets_increase",
            "4. Increase / decrease (-) in current assets",
            change("total_current_assets"),
        ),
        FormLine(
            "ff_other_current_liabilities_increase",
            "5. Increase / decrease (-) in current liabilities other than bank borrowings",
            change("current_liabilities_excl_bank"),
        ),
        total(
            "ff_working_capital_gap_change",
            "6. Increase / decrease (-) in working capital gap (4 - 5)",
            Sub(Line("ff_current_assets_increase"), Line("ff_other_current_liabilities_increase")),
        ),
        total(
            "ff_net_surplus",
            "7. Net surplus (+) / deficit (-) (3 - 6)",
            Sub(Line("ff_long_term_surplus"), Line("ff_working_capital_gap_change")),
        ),
        total(
            "ff_bank_borrowings_change",
            "8. Increase / decrease (-) in bank borrowings",
            change("bank_borrowings_wc"),
        ),
    ),
    needs_previous=True,
)

RATIOS = Form(
    "ratios",
    "Ratios",
    "Key ratios",
    (
        FormLine(
            "ratio_net_sales_growth",
            "Net sales growth over the previous year",
            Div(Sub(Line("net_sales"), Prev("net_sales")), Prev("net_sales")),
            "percent",
        ),
        FormLine(
            "ratio_operating_margin",
            "Operating profit (before interest) / net sales",
            Div(Line("operating_profit_before_interest"), Line("net_sales")),
            "percent",
        ),
        FormLine(
            "ratio_pbt_margin",
            "Profit before tax / net sales",
            Div(Line("profit_before_tax"), Line("net_sales")),
            "percent",
        ),
        FormLine("ratio_current", "Current ratio", Line("current_ratio"), "ratio"),
        FormLine("ratio_tol_tnw", "TOL / TNW", Line("tol_tnw"), "ratio"),
        FormLine(
            "ratio_interest_coverage",
            "Interest coverage (operating profit before interest / interest)",
            Div(Line("operating_profit_before_interest"), Line("interest")),
            "ratio",
        ),
        Section("Holding periods (months)"),
        *(
            FormLine(f"ratio_{key}", label, Line(key), "months")
            for key, label, _, _ in HOLDING_PERIODS
        ),
        FormLine(
            "ratio_creditors_months",
            "Sundry creditors (months' purchases)",
            Line("creditors_months"),
            "months",
        ),
        Section("Working capital"),
        FormLine("ratio_net_working_capital", "Net working capital", Line("net_working_capital")),
        FormLine("ratio_mpbf_method_1", "MPBF - method I", Line("mpbf_method_1")),
        FormLine("ratio_mpbf_method_2", "MPBF - method II", Line("mpbf_method_2")),
    ),
)
