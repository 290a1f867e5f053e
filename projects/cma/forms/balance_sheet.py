"""Form III, the analysis of the balance sheet, with its derived figures."""

from __future__ import annotations

from projects.cma.forms.expressions import Add, Const, Div, Head, IfBasis, Line, Sub
from projects.cma.forms.structure import Form, FormLine, Section, head_line, lines_sum, total

__all__ = ["FORM_III"]

CURRENT_LIABILITIES = (
    ("bank_borrowings_wc", "1. Short-term borrowings from banks (working capital)"),
    ("st_borrowings_others", "2. Short-term borrowings from others"),
    ("sundry_creditors", "3. Sundry creditors (trade)"),
    ("advances_from_customers", "4. Advances from customers"),
    ("provision_for_tax", "5. Provision for taxation"),
    ("dividend_payable", "6. Dividend payable"),
    ("statutory_liabilities", "7. Other statutory liabilities"),
    ("term_loan_current_maturities", "8. Instalments of term loans due within a year"),
    ("other_current_liabilities", "9. Other current liabilities and provisions"),
)
TERM_LIABILITIES = (
    ("debentures", "11. Debentures (beyond a year)"),
    ("preference_shares", "12. Redeemable preference shares"),
    ("term_loans", "13. Term loans (beyond a year)"),
    ("deferred_payment_credits", "14. Deferred payment credits"),
    ("term_deposits", "15. Term deposits (beyond a year)"),
    ("other_term_liabilities", "16. Other term liabilities"),
)
RESERVES = (
    ("general_reserve", "20. General reserve"),
    ("revaluation_reserve", "21. Revaluation reserve"),
    ("other_reserves", "22. Other reserves"),
)
CURRENT_ASSETS = (
    ("cash_bank", "26. Cash and bank balances"),
    ("current_investments", "27. Investments (current) / fixed deposits"),
    ("receivables_domestic", "28. i. Receivables - domestic"),
    ("receivables_export", "28. ii. Receivables - export"),
    ("inventory_rm", "30. i. Raw materials"),
    ("inventory_wip", "30. ii. Stock in process"),
    ("inventory_fg", "30. iii. Finished goods"),
    ("inventory_spares", "30. iv. Other consumable spares"),
    ("advances_to_suppliers", "31. Advances to suppliers"),
    ("advance_tax", "32. Advance payment of taxes"),
    ("other_current_assets", "33. Other current assets"),
)
OTHER_NONCURRENT_ASSETS = (
    ("noncurrent_investments", "38. i. Investments (non-current)"),
    ("capital_advances", "38. ii. Advances for capital goods"),
    ("other_noncurrent_assets", "40. Other non-current assets"),
)


def _keys(pairs: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(key for key, _ in pairs)


FORM_III = Form(
    "form_iii",
    "Form III",
    "Form III - Analysis of balance sheet",
    (
        Section("Liabilities - current liabilities"),
        *(head_line(key, label) for key, label in CURRENT_LIABILITIES),
        total(
            "total_current_liabilities",
            "10. Total current liabilities (1 to 9)",
            lines_sum(*_keys(CURRENT_LIABILITIES)),
        ),
        Section("Term liabilities"),
        *(head_line(key, label) for key, label in TERM_LIABILITIES),
        total(
            "total_term_liabilities",
            "17. Total term liabilities (11 to 16)",
            lines_sum(*_keys(TERM_LIABILITIES)),
        ),
        total(
            "total_outside_liabilities",
            "18. Total outside liabilities (10 + 17)",
            lines_sum("total_current_liabilities", "total_term_liabilities"),
        ),
        Section("Net worth"),
        head_line("share_capital", "19. Share / partners' / proprietor's capital"),
        head_line("drawings", "19. Less: drawings"),
        *(head_line(key, label) for key, label in RESERVES),
        head_line("pl_surplus", "23. Surplus in profit and loss (as in the books)"),
        # A pre-closing trial balance holds the OPENING surplus in its P&L ledger (or the
        # partners' current account); the year's profit is still in the income and expense
        # ledgers, so it is added here. Retained profit, not net profit: a dividend debited
        # in the books has left the surplus. Statements are closed already: nothing added.
        FormLine(
            "profit_for_year_added",
            "23. Add: retained profit of the year (trial balance before closing)",
            IfBasis(Line("retained_profit"), Const(0)),
        ),
        # Net worth = capital - drawings + reserves + surplus (+ the year's profit on a
        # trial balance): truth.json's net worth for both samples (e.g. Mehta Traders
        # 2023-24: 1,54,030.01 + 1,03,752.48 - 27,211.20 + 1,80,000.00 + 16,893.82).
        total(
            "net_worth",
            "24. Net worth (19 to 23, less drawings)",
            Sub(
                lines_sum("share_capital", *_keys(RESERVES), "pl_surplus", "profit_for_year_added"),
                Line("drawings"),
            ),
        ),
        total(
            "total_liabilities",
            "25. Total liabilities (18 + 24)",
            lines_sum("total_outside_liabilities", "net_worth"),
        ),
        Section("Assets - current assets"),
        *(head_line(key, label) for key, label in CURRENT_ASSETS),
        total(
            "total_current_assets",
            "34. Total current assets (26 to 33)",
            lines_sum(*_keys(CURRENT_ASSETS)),
        ),
        Section("Fixed assets"),
        head_line("gross_block", "35. Gross block"),
        head_line("accumulated_depreciation", "36. Less: depreciation to date"),
        FormLine(
            "net_block_stated",
            "    Net block as stated (where only net figures are given)",
            Head("net_block"),
        ),
        total(
            "net_block",
            "37. Net block (35 - 36)",
            Add(
                Sub(Line("gross_block"), Line("accumulated_depreciation")), Line("net_block_stated")
            ),
        ),
        Section("Other non-current assets"),
        *(head_line(key, label) for key, label in OTHER_NONCURRENT_ASSETS),
        total(
            "total_other_noncurrent_assets",
            "41. Total other non-current assets",
            lines_sum(*_keys(OTHER_NONCURRENT_ASSETS)),
        ),
        head_line("intangible_assets", "42. Intangible assets"),
        total(
            "total_assets",
            "43. Total assets (34 + 37 + 41 + 42)",
            lines_sum(
                "total_current_assets",
                "net_block",
                "total_other_noncurrent_assets",
                "intangible_assets",
            ),
        ),
        FormLine(
            "balance_difference",
            "    Difference: total assets - total liabilities (should be 0)",
            Sub(Line("total_assets"), Line("total_liabilities")),
        ),
        Section("Derived figures"),
        # As REFERENCE.md defines it: net worth less intangibles (a revaluation reserve
        # is not taken out; a bank that wants it out can read item 21 above).
        total(
            "tangible_net_worth",
            "44. Tangible net worth (24 - 42)",
            Sub(Line("net_worth"), Line("intangible_assets")),
        ),
        total(
            "net_working_capital",
            "45. Net working capital (34 - 10)",
            Sub(Line("total_current_assets"), Line("total_current_liabilities")),
        ),
        total(
            "current_ratio",
            "46. Current ratio (34 / 10)",
            Div(Line("total_current_assets"), Line("total_current_liabilities")),
            "ratio",
        ),
        total(
            "tol_tnw",
            "47. Total outside liabilities / tangible net worth (18 / 44)",
            Div(Line("total_outside_liabilities"), Line("tangible_net_worth")),
            "ratio",
        ),
        total(
            "term_liabilities_tnw",
            "48. Term liabilities / tangible net worth (17 / 44)",
            Div(Line("total_term_liabilities"), Line("tangible_net_worth")),
            "ratio",
        ),
    ),
)
