"""Form II, the operating statement (REFERENCE.md "The forms (per year)")."""

from __future__ import annotations

from projects.cma.forms.expressions import Add, Const, Expr, Head, IfBasis, IfGiven, Line, Prev, Sub
from projects.cma.forms.structure import Form, FormLine, Section, head_line, lines_sum, total

__all__ = ["FORM_II"]


def opening_stock(head_id: str, closing_key: str) -> Expr:
    """An opening stock for Form II.

    The opening-stock head when the books give one (a trial balance always does: Tally
    carries it as a ledger, and the books only balance with it), else the previous year's
    closing stock from Form III, else 0 (the checks warn: see unknown_opening_stocks).
    """
    return IfGiven(head_id, Head(head_id), Prev(closing_key, Const(0)))


def unless_stated(expr: Expr) -> Expr:
    """WIP and finished-goods stocks, unless the statement gives "changes in inventories":
    then that line carries the movement and the stocks must not count it again."""
    return IfGiven("changes_in_inventories", Const(0), expr)


FORM_II = Form(
    "form_ii",
    "Form II",
    "Form II - Operating statement",
    (
        Section("1. Gross sales"),
        head_line("sales_domestic", "  i. Domestic sales"),
        head_line("sales_export", "  ii. Export sales"),
        total("gross_sales", "Total gross sales", lines_sum("sales_domestic", "sales_export")),
        head_line("duties_on_sales", "2. Less: excise duty / taxes included in sales"),
        total(
            "net_sales", "3. Net sales (1 - 2)", Sub(Line("gross_sales"), Line("duties_on_sales"))
        ),
        head_line("other_operating_income", "4. Other operating income"),
        total(
            "total_operating_income",
            "Total operating income (3 + 4)",
            lines_sum("net_sales", "other_operating_income"),
        ),
        Section("5. Cost of sales"),
        FormLine(
            "opening_rm",
            "  Opening stock of raw materials",
            opening_stock("opening_stock_rm", "inventory_rm"),
        ),
        # With "raw materials consumed" given (a statement), purchases are derived as
        # consumed + closing - opening stock, so that consumption below is exactly the
        # statement's figure whatever the opening stock, and the creditors' holding period
        # still has a purchases figure. Purchases given besides it (stock-in-trade bought
        # for resale) are added: their stock change is in "changes in inventories".
        FormLine(
            "purchases",
            "  Purchases of raw materials",
            Add(
                Head("purchases_rm"),
                IfGiven(
                    "rm_consumed",
                    Sub(Add(Head("rm_consumed"), Line("closing_rm")), Line("opening_rm")),
                    Const(0),
                ),
            ),
        ),
        FormLine("closing_rm", "  Less: closing stock of raw materials", Head("inventory_rm")),
        FormLine(
            "rm_consumed",
            "  i. Raw materials consumed",
            Sub(Add(Line("opening_rm"), Line("purchases")), Line("closing_rm")),
        ),
        # A pre-closing trial balance carries the opening stock of stores in the stores
        # ledgers (truth.json classifies "Opening Stock - Stores & Spares" as
        # spares_consumed) and the closing stock of stores apart, so consumption is the
        # head less the closing stores (inventory_spares); without this the year's profit
        # misses the closing stores and the balance sheet does not balance. Statements
        # give consumption net already.
        FormLine(
            "spares_consumed",
            "  ii. Stores and spares consumed",
            IfBasis(
                Sub(Head("spares_consumed"), Head("inventory_spares")), Head("spares_consumed")
            ),
        ),
        head_line("power_fuel", "  iii. Power and fuel"),
        head_line("direct_labour", "  iv. Direct labour"),
        head_line("other_mfg_expenses", "  v. Other manufacturing expenses"),
        head_line("depreciation", "  vi. Depreciation"),
        total(
            "production_subtotal",
            "  vii. Sub-total (i to vi)",
            lines_sum(
                "rm_consumed",
                "spares_consumed",
                "power_fuel",
                "direct_labour",
                "other_mfg_expenses",
                "depreciation",
            ),
        ),
        FormLine(
            "opening_wip",
            "  viii. Add: opening stock in process",
            unless_stated(opening_stock("opening_stock_wip", "inventory_wip")),
        ),
        FormLine(
            "closing_wip",
            "  ix. Less: closing stock in process",
            unless_stated(Head("inventory_wip")),
        ),
        total(
            "cost_of_production",
            "  x. Cost of production",
            Sub(Add(Line("production_subtotal"), Line("opening_wip")), Line("closing_wip")),
        ),
        FormLine(
            "opening_fg",
            "  xi. Add: opening stock of finished goods",
            unless_stated(opening_stock("opening_stock_fg", "inventory_fg")),
        ),
        FormLine(
            "closing_fg",
            "  xii. Less: closing stock of finished goods",
            unless_stated(Head("inventory_fg")),
        ),
        # Statements give the movement of WIP and finished goods in one line; where they
        # do, it replaces the opening/closing stock lines above (which then show 0).
        head_line("changes_in_inventories", "  xiii. Changes in inventories (as stated)"),
        total(
            "cost_of_sales",
            "  xiv. Cost of sales",
            Add(
                Sub(Add(Line("cost_of_production"), Line("opening_fg")), Line("closing_fg")),
                Line("changes_in_inventories"),
            ),
        ),
        head_line("sga_expenses", "6. Selling, general and administrative expenses"),
        total(
            "operating_profit_before_interest",
            "7. Operating profit before interest",
            Sub(Sub(Line("total_operating_income"), Line("cost_of_sales")), Line("sga_expenses")),
        ),
        head_line("interest", "8. Interest and finance costs"),
        total(
            "operating_profit_after_interest",
            "9. Operating profit after interest",
            Sub(Line("operating_profit_before_interest"), Line("interest")),
        ),
        head_line("non_operating_income", "10. Add: non-operating income"),
        head_line("non_operating_expenses", "11. Less: non-operating expenses"),
        total(
            "profit_before_tax",
            "12. Profit before tax",
            Sub(
                Add(Line("operating_profit_after_interest"), Line("non_operating_income")),
                Line("non_operating_expenses"),
            ),
        ),
        head_line("tax_provision", "13. Provision for taxes"),
        total(
            "net_profit", "14. Net profit", Sub(Line("profit_before_tax"), Line("tax_provision"))
        ),
        head_line("dividend", "15. Dividend"),
        total("retained_profit", "16. Retained profit", Sub(Line("net_profit"), Line("dividend"))),
    ),
)
