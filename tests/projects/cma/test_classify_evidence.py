"""The classifier's evidence from a ledger's group and from words it does not know, each
mechanism with labels written here (none taken from the public corpus): statutory and
payroll groups, a guess left to a CA ("Xyz Payable"), taxes still owed, withholding tax,
amounts paid ahead, ledgers named only by their tax regime, fixed-asset class groups,
cost of goods sold, stock whose kind is not named, and wording other charts use.
"""

import pytest

from tests.projects.cma.conftest import AUTO_APPROVE, assert_head, suggest

# -- groups: dues to the state are no trade party; deductions from pay are statutory ---


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        ("Output VAT @ 12.5%", "Cr", "Statutory Creditors", "statutory_liabilities"),
        ("Input GST on Capital Goods", "Dr", "Statutory Debtors", "other_current_assets"),
        ("Income Tax Payable", "Cr", "Payroll Deductions", "statutory_liabilities"),
        ("NPS Payable", "Cr", "Payroll Deductions", "statutory_liabilities"),
    ],
)
def test_a_statutory_or_payroll_deductions_group_is_not_read_as_trade_or_other_dues(
    label: str, side: str, section: str, head: str
) -> None:
    found = assert_head(label, side, section, head)
    assert found.confidence >= AUTO_APPROVE


def test_a_party_group_still_decides_for_a_party_named_like_a_due() -> None:
    assert_head("Ramesh Tax Consultants", "Cr", "Sundry Creditors", "sundry_creditors")


# -- a guess left to a CA: "payable" beside an acronym the classifier does not know ----


@pytest.mark.parametrize("section", ["", "Current Liabilities", "Liabilities"])
def test_an_unknown_acronym_payable_goes_to_review_even_when_the_group_agrees(
    section: str,
) -> None:
    found = suggest("MLWF Payable", "Cr", section)
    assert found.head == "other_current_liabilities"
    assert found.confidence < AUTO_APPROVE
    assert "statutory_liabilities" in {h for h, _ in found.alternatives}


@pytest.mark.parametrize(
    "label", ["Commission Payable", "Retention Money Payable", "Salary Payable"]
)
def test_known_or_plain_words_beside_payable_stay_sure(label: str) -> None:
    found = assert_head(label, "Cr", "Current Liabilities", "other_current_liabilities")
    assert found.confidence >= AUTO_APPROVE


def test_a_misspelt_word_beside_payable_is_still_corrected_to_the_specific_rule() -> None:
    assert_head("Proffesional Tax Payable", "Cr", "", "statutory_liabilities")


# -- taxes still owed, corporation tax, withholding tax -------------------------------


@pytest.mark.parametrize(
    ("label", "side", "head"),
    [
        ("Accrued Property Tax", "Cr", "statutory_liabilities"),
        ("Municipal Tax Due", "Cr", "statutory_liabilities"),
        ("Corporation Tax", "Cr", "provision_for_tax"),
        ("Corporation Tax", "Dr", "tax_provision"),
        ("Withholding Tax Receivable", "Dr", "advance_tax"),
        ("Tax Credit FY 2023-24", "Dr", "advance_tax"),
        ("Tax Withheld from Contractors", "Cr", "statutory_liabilities"),
    ],
)
def test_a_tax_still_owed_is_a_statutory_due_unless_it_is_on_income(
    label: str, side: str, head: str
) -> None:
    assert_head(label, side, "", head)


def test_deferred_tax_is_not_read_as_a_statutory_due() -> None:
    assert suggest("Deferred Tax", "Cr").head != "statutory_liabilities"


def test_an_input_tax_credit_stays_an_indirect_tax_credit() -> None:
    assert_head("Input Tax Credit - IGST", "Dr", "", "other_current_assets")


# -- paid ahead ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "section"),
    [
        ("Advance Professional Tax 2025", "Current Assets"),
        ("Advance Insurance Premium", ""),
        ("Prepaid AMC Charges", ""),
    ],
)
def test_an_amount_paid_ahead_for_an_expense_is_an_asset_not_the_expense(
    label: str, section: str
) -> None:
    assert_head(label, "Dr", section, "other_current_assets")


def test_advance_tax_keeps_its_own_head() -> None:
    assert_head("Advance Tax FY 2024-25", "Dr", "", "advance_tax")


# -- a sales, purchase or party ledger named only by its tax regime --------------------


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        ("GST", "Cr", "Sales Accounts", "sales_domestic"),
        ("Exempt", "Dr", "Purchase Accounts", "purchases_rm"),
        ("Non-GST", "Dr", "Sundry Debtors", "receivables_domestic"),
        ("Interstate 18%", "Cr", "Sales Accounts", "sales_domestic"),
    ],
)
def test_a_ledger_named_only_by_its_tax_regime_is_what_its_group_says(
    label: str, side: str, section: str, head: str
) -> None:
    assert_head(label, side, section, head)


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        ("CGST", "Dr", "Purchase Accounts / Non GST", "other_current_assets"),
        ("IGST", "Cr", "Sales Accounts", "statutory_liabilities"),
        ("GST", "Cr", "Duties & Taxes", "statutory_liabilities"),
    ],
)
def test_a_tax_component_or_a_tax_group_keeps_the_tax_head(
    label: str, side: str, section: str, head: str
) -> None:
    assert_head(label, side, section, head)


# -- a group named by a class of fixed asset; cost of goods sold ---------------------


@pytest.mark.parametrize(
    ("label", "section"),
    [("Factory Shed No. 2", "Buildings"), ("Kirloskar Lathe", "Plant & Machinery")],
)
def test_a_ledger_under_a_fixed_asset_class_group_is_a_fixed_asset(
    label: str, section: str
) -> None:
    assert_head(label, "Dr", section, "gross_block")


def test_an_expense_group_named_after_an_asset_is_no_fixed_asset_group() -> None:
    assert suggest("Tyres and Tubes", "Dr", "Vehicle Expenses").head != "gross_block"


def test_an_unknown_credit_under_an_asset_class_group_is_not_auto_approved() -> None:
    found = suggest("Sold during the year", "Cr", "Buildings")
    assert found.confidence < AUTO_APPROVE


@pytest.mark.parametrize(
    ("label", "section", "head"),
    [
        ("Salary", "Cost of Goods Sold", "direct_labour"),
        ("Overheads", "Cost of Sales", "other_mfg_expenses"),
    ],
)
def test_cost_of_goods_sold_is_a_manufacturing_group(label: str, section: str, head: str) -> None:
    assert_head(label, "Dr", section, head)


# -- stock whose kind is not named ----------------------------------------------------


@pytest.mark.parametrize(
    ("label", "section"),
    [("Inventory - Hardware Items", "Inventories"), ("SOH / Cotton Yarn", "Stock on Hand")],
)
def test_a_stock_ledger_that_does_not_name_its_kind_goes_to_review(
    label: str, section: str
) -> None:
    found = suggest(label, "Dr", section)
    assert found.head == "inventory_rm"
    assert found.confidence < AUTO_APPROVE
    assert {"inventory_fg", "inventory_wip"} <= {h for h, _ in found.alternatives}


def test_a_stock_ledger_that_names_its_kind_under_an_inventory_group_is_sure() -> None:
    found = assert_head("Raw Materials", "Dr", "Inventories", "inventory_rm")
    assert found.confidence >= AUTO_APPROVE


# -- other debtors and creditors --------------------------------------------------------


def test_other_creditors_are_other_dues_confirmed_by_a_ca() -> None:
    found = assert_head("Other Creditors", "Cr", "", "other_current_liabilities")
    assert found.confidence < AUTO_APPROVE
    assert "sundry_creditors" in {h for h, _ in found.alternatives}


def test_other_creditors_under_a_trade_creditors_group_go_to_review_with_trade_offered() -> None:
    found = suggest("Other Creditors", "Cr", "Sundry Creditors")
    assert found.confidence < AUTO_APPROVE
    assert found.head == "sundry_creditors" or "sundry_creditors" in {
        h for h, _ in found.alternatives
    }


# -- wording other charts of accounts use ----------------------------------------------


@pytest.mark.parametrize(
    ("label", "side", "head"),
    [
        ("Common Stock - Class A", "Cr", "share_capital"),
        ("Ordinary Share Capital Account", "Cr", "share_capital"),
        ("Retained Profits b/f", "Cr", "pl_surplus"),
        ("Cheque Account - Westpac", "Dr", "cash_bank"),
        ("Mortgage on Factory", "Cr", "term_loans"),
        ("Freehold Property - Pune", "Dr", "gross_block"),
        ("Light and Heat - Office", "Dr", "power_fuel"),
        ("Materials Purchased Locally", "Dr", "purchases_rm"),
        ("Accum. Amort. - Office Equipment", "Cr", "accumulated_depreciation"),
    ],
)
def test_wording_of_other_charts_of_accounts(label: str, side: str, head: str) -> None:
    assert_head(label, side, "", head)


# -- a tax regime qualifier names no head; cost of sales is one noun ------------------


@pytest.mark.parametrize(
    ("label", "side", "head"),
    [
        ("Debtors - Exports (GST free)", "Dr", "receivables_export"),
        ("Sales Zero Rated", "Cr", "sales_domestic"),
        ("Purchases - Nil Rated", "Dr", "purchases_rm"),
    ],
)
def test_a_tax_regime_qualifier_does_not_decide_the_head(label: str, side: str, head: str) -> None:
    assert_head(label, side, "", head)


def test_a_label_that_is_only_its_tax_regime_is_still_decided_by_its_group() -> None:
    assert_head("Non GST", "Dr", "Purchase Accounts", "purchases_rm")


@pytest.mark.parametrize("label", ["Cost of Sales - Labour", "COGS / Direct Labor"])
def test_labour_under_cost_of_sales_is_direct_labour(label: str) -> None:
    found = assert_head(label, "Dr", "", "direct_labour")
    assert found.confidence >= AUTO_APPROVE


def test_cost_of_sales_alone_is_still_a_guess_a_ca_confirms() -> None:
    found = suggest("Cost of Sales", "Dr", "")
    assert found.confidence < AUTO_APPROVE


@pytest.mark.parametrize("section", ["", "Current Liabilities"])
def test_income_received_before_it_is_earned_goes_to_review_offering_both_heads(
    section: str,
) -> None:
    found = suggest("Unearned Revenue", "Cr", section)
    assert found.head == "advances_from_customers"
    assert found.confidence < AUTO_APPROVE
    assert "other_current_liabilities" in {h for h, _ in found.alternatives}


@pytest.mark.parametrize(
    ("label", "section", "head"),
    [
        ("Cost of Sales - Overheads", "", "other_mfg_expenses"),
        ("Works Overheads", "", "other_mfg_expenses"),
        ("Overheads", "Administrative Expenses", "sga_expenses"),
    ],
)
def test_overheads_are_manufacturing_ones_under_cost_of_sales_or_a_factory_word(
    label: str, section: str, head: str
) -> None:
    assert_head(label, "Dr", section, head)


def test_fuel_under_a_vehicle_expenses_group_is_not_auto_approved_as_power_and_fuel() -> None:
    found = suggest("Diesel", "Dr", "Vehicle Running Expenses")
    assert found.head != "power_fuel" or found.confidence < AUTO_APPROVE
    assert "sga_expenses" in {found.head, *(h for h, _ in found.alternatives)}


# -- the head noun: gains and losses, services and rents, loans owed -------------------


@pytest.mark.parametrize(
    ("label", "side", "head"),
    [
        ("Bank Revaluation Loss", "Dr", "non_operating_expenses"),
        ("EEFC Account Revaluation Gain", "Cr", "non_operating_income"),
        ("Fixed Asset Sale Gain", "Cr", "non_operating_income"),
    ],
)
def test_a_gain_or_loss_is_not_the_account_it_arose_on(label: str, side: str, head: str) -> None:
    assert_head(label, side, "", head)


@pytest.mark.parametrize(
    ("label", "head"),
    [("Mortgage Payable", "term_loans"), ("Bonds Payable", "debentures")],
)
def test_a_borrowing_named_payable_is_the_borrowing(label: str, head: str) -> None:
    assert_head(label, "Cr", "", head)


@pytest.mark.parametrize(
    "label", ["Office Equipment Rental", "Computer Services", "Store Room Rent"]
)
def test_a_rent_or_service_is_no_asset_or_stock(label: str) -> None:
    found = suggest(label, "Dr", "Indirect Expenses")
    assert found.head == "sga_expenses"


@pytest.mark.parametrize(
    ("label", "head"),
    [("Salaries - Sales", "sga_expenses"), ("Travelling - Sales", "sga_expenses")],
)
def test_a_sales_department_tail_does_not_make_an_expense_a_sale(label: str, head: str) -> None:
    assert_head(label, "Dr", "Selling Expenses", head)


def test_export_sales_are_still_export_sales() -> None:
    assert_head("Export Sales", "Cr", "Sales Accounts", "sales_export")


# -- wording of other charts -----------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        ("Goods Received Not Invoiced", "Cr", "Current Liabilities", "sundry_creditors"),
        ("Customer Lists", "Dr", "Intangible Assets", "intangible_assets"),
        ("Capital in Excess of Par", "Cr", "Capital", "other_reserves"),
        ("Preferred Stock", "Cr", "Capital", "preference_shares"),
        ("Money Market Fund", "Dr", "Current Assets", "current_investments"),
        ("Income Tax Receivable", "Dr", "Current Assets", "advance_tax"),
        ("Banking Fees", "Dr", "Indirect Expenses", "interest"),
        ("Recovery of Bad Debts", "Cr", "Indirect Income", "non_operating_income"),
        ("Owner Salary", "Dr", "", "sga_expenses"),
        ("Vendor Advances", "Dr", "Current Assets", "advances_to_suppliers"),
        ("Accrued Payroll", "Cr", "", "other_current_liabilities"),
        ("Employer Contribution to PF", "Cr", "Accrued Expenses", "statutory_liabilities"),
        ("Employer Contribution to PF", "Dr", "Indirect Expenses", "sga_expenses"),
    ],
)
def test_wording_of_erp_charts(label: str, side: str, section: str, head: str) -> None:
    assert_head(label, side, section, head)


@pytest.mark.parametrize(
    ("label", "section", "head"),
    [
        ("Trademarks", "Intangible Assets", "intangible_assets"),
        ("Web Hosting", "Advertising", "sga_expenses"),
        ("Casual Workers", "Labour", "direct_labour"),
        ("Order Deposits", "Customer Payables", "advances_from_customers"),
    ],
)
def test_a_group_named_by_its_kind_decides_an_unknown_label(
    label: str, section: str, head: str
) -> None:
    side = "Cr" if head == "advances_from_customers" else "Dr"
    assert_head(label, side, section, head)


def test_an_income_under_a_group_with_a_head_of_its_own_goes_to_review() -> None:
    found = suggest("Interest", "Cr", "Secured Loans")
    assert found.head == "term_loans"
    assert found.confidence < AUTO_APPROVE
    assert "other_current_liabilities" in {h for h, _ in found.alternatives}
