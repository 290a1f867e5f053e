"""A party's ledger named as a firm, with its trade and address (party.py): read as a
party, never as the head its trade or street words name."""

from decimal import Decimal

import pytest

from projects.cma.classify import classify_all
from projects.cma.classify.normalize import normalize_label, padded_words
from projects.cma.classify.party import firm_view
from projects.cma.records import ExtractedItem


def suggestion(label: str, group: str = "", side: str = "Dr"):
    item = ExtractedItem("2024-25", label, Decimal("1000.00"), side, "tb:1", group)  # type: ignore[arg-type]
    return classify_all([item])[0]


@pytest.mark.parametrize(
    "label",
    [
        "Everest Fabrics Ring Road",
        "Vinayak Hotels & Resorts, Mapusa",
        "Balaji Enterprises MG Road",
        "Gupta Silk Mills - Station Road",
    ],
)
def test_a_firms_name_with_its_trade_and_street_gets_no_head_without_a_group(label):
    assert suggestion(label).head is None


def test_under_a_debtors_group_the_firm_is_a_debtor():
    found = suggestion("Vinayak Hotels & Resorts, Mapusa", "Sundry Debtors")
    assert found.head == "receivables_domestic"


@pytest.mark.parametrize(
    ("label", "head"),
    [
        ("Hotel Expenses", "sga_expenses"),
        ("Road Construction", "gross_block"),
        ("Steel Purchase", "purchases_rm"),
    ],
)
def test_a_ledger_kept_for_a_kind_of_thing_keeps_its_head(label, head):
    assert suggestion(label).head == head


def test_the_view_leaves_a_firm_its_own_name_only():
    words = padded_words(normalize_label("Everest Fabrics Ring Road"))
    assert firm_view(words) == " everest "
    assert firm_view(padded_words(normalize_label("Factory Road"))) == " factory road "


@pytest.mark.parametrize(
    "label", ["Swiggy Receivable", "Card & UPI Settlement Receivable", "Amazon Seller Account"]
)
def test_what_a_marketplace_or_acquirer_holds_of_the_sales_is_a_trade_receivable(label):
    assert suggestion(label).head == "receivables_domestic"


@pytest.mark.parametrize(
    ("label", "head"),
    [("Amazon Web Services", "sga_expenses"), ("Flipkart Commission", "sga_expenses")],
)
def test_a_marketplaces_charges_stay_expenses(label, head):
    assert suggestion(label).head == head
