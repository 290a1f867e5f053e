"""Related heads: for each head, the heads a CA most often picks instead, offered as a
suggestion's alternatives (`alternatives`).
"""

from collections.abc import Sequence

from projects.cma.heads import HEADS_BY_ID

_SHARES = (0.6, 0.25, 0.15)

# --------------------------------------------------------------------------------------
# Related heads: what a CA most often picks instead of each head (alternatives).
# --------------------------------------------------------------------------------------

RELATED: dict[str, tuple[str, ...]] = {
    "sales_domestic": ("sales_export", "other_operating_income", "non_operating_income"),
    "sales_export": ("sales_domestic", "other_operating_income", "receivables_export"),
    "duties_on_sales": ("statutory_liabilities", "sga_expenses", "sales_domestic"),
    "other_operating_income": ("non_operating_income", "sales_domestic", "sales_export"),
    "opening_stock_rm": ("opening_stock_fg", "opening_stock_wip", "purchases_rm"),
    "opening_stock_wip": ("opening_stock_rm", "opening_stock_fg", "spares_consumed"),
    "opening_stock_fg": ("opening_stock_rm", "opening_stock_wip", "purchases_rm"),
    "purchases_rm": ("rm_consumed", "spares_consumed", "other_mfg_expenses"),
    "rm_consumed": ("purchases_rm", "spares_consumed", "changes_in_inventories"),
    "changes_in_inventories": ("rm_consumed", "opening_stock_fg", "inventory_fg"),
    "spares_consumed": ("other_mfg_expenses", "purchases_rm", "inventory_spares"),
    "power_fuel": ("other_mfg_expenses", "sga_expenses", "spares_consumed"),
    "direct_labour": ("sga_expenses", "other_mfg_expenses", "other_current_liabilities"),
    "other_mfg_expenses": ("sga_expenses", "direct_labour", "purchases_rm"),
    "depreciation": ("accumulated_depreciation", "non_operating_expenses", "sga_expenses"),
    "sga_expenses": ("other_mfg_expenses", "non_operating_expenses", "direct_labour"),
    "interest": ("sga_expenses", "non_operating_expenses", "non_operating_income"),
    "non_operating_income": ("other_operating_income", "sales_domestic", "interest"),
    "non_operating_expenses": ("sga_expenses", "interest", "tax_provision"),
    "tax_provision": ("provision_for_tax", "advance_tax", "non_operating_expenses"),
    "dividend": ("dividend_payable", "non_operating_income", "pl_surplus"),
    "bank_borrowings_wc": ("cash_bank", "st_borrowings_others", "term_loans"),
    "st_borrowings_others": ("bank_borrowings_wc", "other_term_liabilities", "term_loans"),
    "sundry_creditors": (
        "other_current_liabilities",
        "advances_to_suppliers",
        "advances_from_customers",
    ),
    "advances_from_customers": (
        "receivables_domestic",
        "other_current_liabilities",
        "sundry_creditors",
    ),
    "provision_for_tax": ("tax_provision", "other_current_liabilities", "statutory_liabilities"),
    "dividend_payable": ("dividend", "other_current_liabilities", "pl_surplus"),
    "statutory_liabilities": (
        "other_current_liabilities",
        "provision_for_tax",
        "other_current_assets",
    ),
    "term_loan_current_maturities": (
        "term_loans",
        "bank_borrowings_wc",
        "other_current_liabilities",
    ),
    "other_current_liabilities": (
        "statutory_liabilities",
        "sundry_creditors",
        "other_term_liabilities",
    ),
    "debentures": ("term_loans", "other_term_liabilities", "preference_shares"),
    "preference_shares": ("share_capital", "debentures", "other_term_liabilities"),
    "term_loans": ("term_loan_current_maturities", "other_term_liabilities", "bank_borrowings_wc"),
    "deferred_payment_credits": ("term_loans", "other_term_liabilities", "sundry_creditors"),
    "term_deposits": ("other_term_liabilities", "st_borrowings_others", "current_investments"),
    "other_term_liabilities": ("term_loans", "st_borrowings_others", "other_current_liabilities"),
    "share_capital": ("pl_surplus", "drawings", "other_term_liabilities"),
    "drawings": ("share_capital", "pl_surplus", "other_current_assets"),
    "general_reserve": ("other_reserves", "pl_surplus", "revaluation_reserve"),
    "revaluation_reserve": ("other_reserves", "general_reserve", "gross_block"),
    "other_reserves": ("general_reserve", "pl_surplus", "share_capital"),
    "pl_surplus": ("share_capital", "other_reserves", "general_reserve"),
    "cash_bank": ("bank_borrowings_wc", "current_investments", "other_current_assets"),
    "current_investments": ("cash_bank", "noncurrent_investments", "other_current_assets"),
    "receivables_domestic": (
        "receivables_export",
        "advances_from_customers",
        "other_current_assets",
    ),
    "receivables_export": ("receivables_domestic", "advances_from_customers", "sales_export"),
    "inventory_rm": ("inventory_fg", "inventory_wip", "inventory_spares"),
    "inventory_wip": ("inventory_rm", "inventory_fg", "inventory_spares"),
    "inventory_fg": ("inventory_rm", "inventory_wip", "inventory_spares"),
    "inventory_spares": ("inventory_rm", "inventory_wip", "spares_consumed"),
    "advances_to_suppliers": ("sundry_creditors", "capital_advances", "other_current_assets"),
    "advance_tax": ("other_current_assets", "provision_for_tax", "statutory_liabilities"),
    "other_current_assets": ("other_noncurrent_assets", "advances_to_suppliers", "advance_tax"),
    "gross_block": ("net_block", "intangible_assets", "capital_advances"),
    "accumulated_depreciation": ("depreciation", "gross_block", "net_block"),
    "net_block": ("gross_block", "intangible_assets", "accumulated_depreciation"),
    "noncurrent_investments": (
        "current_investments",
        "other_noncurrent_assets",
        "capital_advances",
    ),
    "capital_advances": ("advances_to_suppliers", "gross_block", "other_noncurrent_assets"),
    "other_noncurrent_assets": (
        "other_current_assets",
        "noncurrent_investments",
        "capital_advances",
    ),
    "intangible_assets": ("gross_block", "other_noncurrent_assets", "net_block"),
}


def alternatives(
    primary: str | None, confidence: float, candidates: Sequence[tuple[str, float]]
) -> tuple[tuple[str, float], ...]:
    """Up to three other heads; they share what the primary leaves (1 - confidence)."""
    remaining = max(0.0, 1.0 - confidence)
    seen = {primary}
    result: list[tuple[str, float]] = []
    for head_id, raw in candidates:
        if head_id in seen or head_id not in HEADS_BY_ID:
            continue
        seen.add(head_id)
        share = _SHARES[len(result)] * remaining
        value = round(min(raw, share, confidence - 0.001 if primary else 1.0), 4)
        result.append((head_id, max(value, 0.0001)))
        if len(result) == 3:
            break
    return tuple(result)
