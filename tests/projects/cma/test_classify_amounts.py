"""The balance's side and its share of the book as evidence: a figure that argues against
the head the name gives sends the item to review, with the reason, and offers what the
ledger more likely is. Books and labels written here (none from the public corpus).
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pipeline.runner import run_execute
from projects.cma.classify import classify, classify_all
from projects.cma.classify.amounts import book_totals, totals_of
from projects.cma.records import ExtractedItem, Suggestion
from projects.models import LineItem
from projects.services import project_files_add
from tests.conftest import api_client

AUTO_APPROVE = 0.70
# A small trading firm's book: about 1 crore on each side.
BOOK = Decimal("10000000.00")


def ledger(label: str, amount: str, side: str = "Dr", section: str = "") -> ExtractedItem:
    return ExtractedItem(
        year="2024-25",
        label=label,
        amount=Decimal(amount),
        side=side,  # type: ignore[arg-type]
        source="test",
        section=section,
    )


def weighed(label: str, amount: str, side: str = "Dr", section: str = "") -> Suggestion:
    return classify(ledger(label, amount, side, section), book_total=BOOK)


# -- size: heads seldom large, heads seldom a sliver --------------------------------------


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        ("Commission Received", "Cr", "Indirect Incomes", "non_operating_income"),
        ("Interest on Term Loan", "Dr", "Indirect Expenses", "interest"),
        ("GST Payable", "Cr", "Duties & Taxes", "statutory_liabilities"),
        ("Depreciation", "Dr", "Indirect Expenses", "depreciation"),
    ],
)
def test_a_head_seldom_large_is_doubted_at_a_third_of_the_book(
    label: str, side: str, section: str, head: str
) -> None:
    usual = weighed(label, "40000.00", side, section)  # 0.4 % of the book
    assert usual.head == head and usual.confidence >= AUTO_APPROVE, usual
    large = weighed(label, "3300000.00", side, section)  # 33 % of the book
    assert large.head == head
    assert large.confidence < AUTO_APPROVE
    assert "the amount is 33% of the book, large for" in large.evidence[-1]


def test_a_large_commission_income_offers_operating_income_first() -> None:
    found = weighed("Commission Received", "3000000.00", "Cr", "Indirect Incomes")
    assert [h for h, _ in found.alternatives][:2] == ["other_operating_income", "sales_domestic"]
    assert all(c < found.confidence for _, c in found.alternatives)
    assert found.confidence + sum(c for _, c in found.alternatives) <= 1.0


def test_a_sales_ledger_a_sliver_of_the_book_is_doubted() -> None:
    sliver = weighed("Sales Account", "1200.00", "Cr", "Sales Accounts")  # 0.012 %
    assert sliver.head == "sales_domestic"
    assert sliver.confidence < AUTO_APPROVE
    assert "the amount is 0.01% of the book, small for" in sliver.evidence[-1]
    assert sliver.alternatives[0][0] == "other_operating_income"
    usual = weighed("Sales Account", "6500000.00", "Cr", "Sales Accounts")
    assert usual.head == "sales_domestic" and usual.confidence >= AUTO_APPROVE


def test_a_zero_balance_is_not_called_small() -> None:
    found = weighed("Sales Account", "0.00", "Cr", "Sales Accounts")
    assert found.confidence >= AUTO_APPROVE


def test_without_the_book_the_amount_is_not_weighed() -> None:
    item = ledger("Commission Received", "3300000.00", "Cr", "Indirect Incomes")
    assert classify(item).confidence >= AUTO_APPROVE
    assert classify_all([item])[0].confidence >= AUTO_APPROVE
    [weighed_item] = classify_all([item], book_totals={"2024-25": BOOK})
    assert weighed_item.confidence < AUTO_APPROVE


def test_a_firms_own_decision_is_not_doubted_by_the_amount() -> None:
    item = ledger("Commission Received", "3300000.00", "Cr", "Indirect Incomes")
    learned = {("commission received", "Cr"): "other_operating_income"}
    found = classify(item, learned=learned, book_total=BOOK)
    assert (found.head, found.method) == ("other_operating_income", "learned")
    assert found.confidence == 0.99


# -- side: an income or expense on the side it does not carry -------------------------


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        # Sure by name alone (0.9 and over before the side was weighed):
        ("Export Sales", "Dr", "", "sales_export"),
        ("Repairs and Maintenance", "Cr", "Manufacturing Expenses", "other_mfg_expenses"),
        # Already doubted by the rule's own side penalty: the reason is now said.
        ("Carriage Outward", "Cr", "Indirect Expenses", "sga_expenses"),
    ],
)
def test_an_income_or_expense_on_its_unusual_side_goes_to_review(
    label: str, side: str, section: str, head: str
) -> None:
    found = classify(ledger(label, "5000.00", side, section))
    assert found.head == head
    assert found.confidence < AUTO_APPROVE
    assert "does not usually carry" in found.evidence[-1]
    side_words = "a credit balance" if side == "Cr" else "a debit balance"
    assert side_words not in found.evidence  # said once, with the reason
    usual = classify(ledger(label, "5000.00", "Dr" if side == "Cr" else "Cr", section))
    assert "does not usually carry" not in " ".join(usual.evidence)


def test_a_balance_sheet_item_on_either_side_is_left_to_the_tables() -> None:
    # A proprietor's capital in debit (drawings and losses beyond it) is a real balance.
    found = classify(ledger("Proprietor Capital", "5000.00", "Dr", "Capital Account"))
    assert "does not usually carry" not in " ".join(found.evidence)


def test_a_statement_line_is_not_weighed_as_a_ledger() -> None:
    item = ExtractedItem(
        year="2024-25",
        label="Other income",
        amount=Decimal("3300000.00"),
        side="Cr",
        source="page 3",
        basis="statements",
    )
    assert classify(item, book_total=BOOK) == classify(item)


# -- the book's size ------------------------------------------------------------------


def test_the_books_size_is_the_larger_side_per_year_without_closing_stock() -> None:
    items = [
        ledger("Capital", "700.00", "Cr"),
        ledger("Sales", "400.00", "Cr"),
        ledger("Purchases", "1000.00", "Dr"),
        ExtractedItem("2024-25", "Closing Stock", Decimal("900.00"), "Dr", "t", closing_stock=True),
        ExtractedItem("2023-24", "Cash", Decimal("50.00"), "Dr", "t"),
    ]
    assert totals_of(items) == {"2024-25": Decimal("1100.00"), "2023-24": Decimal("50.00")}
    rows = [("2024-25", "Dr", Decimal("5")), ("2024-25", "Cr", Decimal("7"))]
    assert book_totals(rows) == {"2024-25": Decimal("7")}


TRIAL_BALANCE = """Ledger,Group,Debit,Credit
Proprietor Capital,Capital Account,,2000000.00
Sundry Creditors Control,Sundry Creditors,,1500000.00
Commission Received,Indirect Incomes,,3500000.00
Sales Account,Sales Accounts,,3000000.00
Purchases,Purchase Accounts,5000000.00,
Salary,Indirect Expenses,900000.00,
Rent,Indirect Expenses,600000.00,
Sundry Debtors Control,Sundry Debtors,2000000.00,
Cash in Hand,Cash-in-Hand,1500000.00,
"""


def test_the_classify_step_weighs_each_amount_against_the_whole_book(project, alice):
    upload = SimpleUploadedFile("trial balance FY 2024-25.csv", TRIAL_BALANCE.encode())
    project_files_add(project=project, uploads=[upload], user=alice)
    started = api_client(alice).post(
        reverse("api-process", args=[project.pk]), {}, content_type="application/json"
    )
    run_execute(run_id=started.json()["run_id"])
    items = {i.label: i for i in LineItem.objects.filter(project=project)}
    commission = items["Commission Received"]  # 35 % of a 1 crore book
    assert commission.head == "non_operating_income"
    assert commission.confidence < AUTO_APPROVE
    assert "the amount is 35% of the book" in commission.evidence[-1]
    assert items["Salary"].confidence >= AUTO_APPROVE
