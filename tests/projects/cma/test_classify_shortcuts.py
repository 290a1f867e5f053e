"""The classifier's shortcuts give the answers the full work gives.

Labels that take each shortcut (ASCII or not, digits without a year or an account
number, "and" without a slash, a bank name beside party words), with the keys and heads
the classifier gave before the shortcuts; and a batch leaves the garbage collector as it
found it.
"""

import gc
from decimal import Decimal

import pytest

from projects.cma.classify import classify, classify_all, normalize_label
from projects.cma.records import ExtractedItem, Side


def item(label: str, side: Side) -> ExtractedItem:
    return ExtractedItem(
        year="2024-25", label=label, amount=Decimal("1000"), side=side, source="test"
    )


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Salary - Branch 4", "salary branch 4"),  # digits, neither a year nor an account
        ("Rent 1234", "rent 1234"),
        ("Rent 12345", "rent"),  # five digits: an account number
        ("Deposit XX1234", "deposit"),
        ("FY2023 Audit Fee", "2023 audit fee"),
        ("A.Y. 2024-25 Income Tax", "income tax"),
        ("Bonus for the year 2023", "bonus for the year"),
        ("Repairs 2019 Machine", "repairs machine"),
        ("P and L Appropriation", "profit and loss appropriation"),  # "and", no slash
        ("Power and Fuel", "power and fuel"),
        ("Accts. Payable", "account payable"),
        ("\uff32\uff45\uff4e\uff54 \uff30\uff41\uff49\uff44", "rent paid"),  # full-width
        ("Stra\u00dfe Tax", "strasse tax"),  # not ASCII: casefolded
        ("Partner Capital - Smt. \uff21sha", "partner capital"),
        ("Shree Steel Traders 1234", "shree steel traders 1234"),
    ],
)
def test_normalize_label_keys_are_unchanged_by_its_shortcuts(label: str, key: str) -> None:
    assert normalize_label(label) == key


@pytest.mark.parametrize(
    ("label", "side", "head"),
    [
        ("Cosmos Co-operative Bank", "Dr", "cash_bank"),
        ("Union Bank of India", "Cr", "bank_borrowings_wc"),
        ("Janata Sahakari Bank Loan", "Cr", "term_loans"),
        ("Central Bank Charges", "Dr", "interest"),  # charges: not the account
        ("Patel & Co", "Dr", None),  # "co" alone names no bank
        ("Long-term Loans from Relatives", "Cr", "term_loans"),
        ("Short Term Deposits", "Dr", "current_investments"),
        ("Other Current Liabilities", "Cr", "other_current_liabilities"),
    ],
)
def test_bank_and_term_wording_gives_the_same_heads(label: str, side: Side, head: str) -> None:
    assert classify(item(label, side)).head == head


def test_a_batch_leaves_the_garbage_collector_on_when_it_was_on() -> None:
    assert gc.isenabled()
    classify_all([item("Rent 1234", "Dr"), item("Sales", "Cr")])
    assert gc.isenabled()


def test_a_batch_leaves_the_garbage_collector_off_when_it_was_off() -> None:
    gc.disable()
    try:
        classify_all([item("Rent 1234", "Dr")])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_batch_that_fails_still_turns_the_garbage_collector_back_on() -> None:
    def progress(done: int, total: int) -> None:
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        classify_all([item("Rent 1234", "Dr")], progress=progress)
    assert gc.isenabled()
