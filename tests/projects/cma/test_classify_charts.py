"""How ERP charts and Ind AS trial balances write their accounts (issue 13, tenth session):
short texts ("Chg in Inv", "Gen Reserve", "Inv in"), captions qualified after the noun
("Investments - current"), leased assets, vouchers, payroll taxes, card charges, a debtor
abroad under its party group, a machine named by its process. Labels written here, none
taken from the corpus.
"""

import pytest

from projects.cma.classify.normalize import normalize_label, padded_words
from projects.cma.classify.term import group_term
from tests.projects.cma.conftest import assert_head


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Chg in Inv - Semi Finished", " change in inventory semi finished "),
        ("Change in Inv.", " change in inventory "),
        ("Gen Reserve A/c", " general reserve "),
        ("Inv in Govt Securities", " investment in government security "),
        ("Inv in Transit - Imports", " inventory in transit import "),
        ("Deferred Income Taxes (Net)", " deferred tax net "),
    ],
)
def test_an_erp_short_text_is_read_as_the_phrase_it_shortens(label: str, words: str) -> None:
    assert padded_words(normalize_label(label)) == words


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        # Changes in inventories, whatever stock the caption names after it.
        ("410900 Chg in Inv - Semi Finished", "Dr", "Changes in inventories of WIP and FG",
         "changes_in_inventories"),
        ("Change in Inventory - Traded Goods", "Dr", "Changes in inventories",
         "changes_in_inventories"),
        ("Gen Reserve", "Cr", "Other equity", "general_reserve"),
        ("Inv in Subsidiary - Equity", "Dr", "Non-current investments",
         "noncurrent_investments"),
        ("Deferred Income Taxes - Liability", "Cr", "Non-current liabilities",
         "other_term_liabilities"),
        # Ind AS 116: the leased asset is a fixed asset; its depreciation stays depreciation.
        ("ROU Asset - Godown Lease", "Dr", "Right-of-use assets", "gross_block"),
        ("Right of Use - Office Premises", "Dr", "", "gross_block"),
        ("Depreciation on Right of Use Assets", "Dr", "Depreciation", "depreciation"),
        ("Gift Cards Unredeemed", "Cr", "Other current liabilities", "advances_from_customers"),
        ("Payroll Taxes - Employer", "Dr", "Operating expenses", "sga_expenses"),
        ("Credit Card & UPI Fees", "Dr", "Indirect Expenses", "interest"),
        ("Merchant Surcharge - POS", "Dr", "", "interest"),
        ("Visiting Card Charges", "Dr", "Indirect Expenses", "sga_expenses"),
        ("Additional Paid Up Capital - Series B", "Cr", "Equity", "other_reserves"),
        ("Paid Up Capital", "Cr", "Equity", "share_capital"),
    ],
)  # fmt: skip
def test_an_erp_or_ind_as_account_gets_its_head(
    label: str, side: str, section: str, head: str
) -> None:
    assert_head(label, side, section, head)


@pytest.mark.parametrize(
    ("label", "section", "head"),
    [
        ("Customers - Overseas (USD)", "Trade receivables", "receivables_export"),
        ("Export Customer - Muller AG", "Sundry Debtors", "receivables_export"),
        ("Dues from foreign buyers", "Trade Receivables", "receivables_export"),
        # Not a sale abroad: an incentive, and a firm whose name holds "Exports".
        ("Export Incentive Receivable - RoDTEP", "Sundry Debtors", "other_current_assets"),
        ("Ganesh Exports", "Sundry Debtors", "receivables_domestic"),
    ],
)
def test_a_debtor_its_own_words_place_abroad_is_an_export_receivable(
    label: str, section: str, head: str
) -> None:
    assert_head(label, "Dr", section, head)


@pytest.mark.parametrize(
    ("label", "head"),
    [
        ("Warping Machine", "gross_block"),
        ("Embroidery Machinery - 12 Head", "gross_block"),
        ("Warping Machine Repairs", "other_mfg_expenses"),
        ("Embroidery Job Work Charges", "other_mfg_expenses"),
    ],
)
def test_a_machine_named_by_its_process_is_an_asset_its_charges_are_not(
    label: str, head: str
) -> None:
    assert_head(label, "Dr", "", head)


@pytest.mark.parametrize(
    ("section", "term"),
    [
        ("Investments - current", "short"),
        ("Borrowings (Current)", "short"),
        ("Other financial assets - non-current", "long"),
        # A bare "Current Assets" (Tally's primary group) says nothing of a term.
        ("Current Assets", None),
    ],
)
def test_a_caption_qualified_after_its_noun_names_its_term(section: str, term: str | None) -> None:
    assert group_term(section) == term
