"""The wording of printed statements' notes and schedules (issue 13, eighth session): the
note's title as the group, Schedule III's own lines, closing stock on a trading account's
credit side. Labels written here, none taken from the corpus."""

import pytest

from tests.projects.cma.conftest import AUTO_APPROVE, assert_head, suggest


@pytest.mark.parametrize(
    "label",
    [
        "Total outstanding dues of micro enterprises and small enterprises",
        "Total outstanding dues of creditors other than micro and small enterprises",
    ],
)
def test_schedule_three_lines_that_begin_with_total_are_trade_payables(label: str) -> None:
    assert_head(label, "Cr", "Note 9 : Trade Payables", "sundry_creditors")


def test_a_plain_total_is_still_no_line_item() -> None:
    assert suggest("Total", "Cr", "Note 9 : Trade Payables").head is None
    assert suggest("Total trade payables", "Cr", "Note 9 : Trade Payables").head is None


@pytest.mark.parametrize(
    ("label", "side", "section", "head"),
    [
        ("Inventories at the beginning of the year", "Dr",
         "Note 21: Changes in Inventories of Stock-in-Trade", "opening_stock_fg"),
        ("Inventories at the end of the year", "Cr",
         "Note 21: Changes in Inventories of Stock-in-Trade", "inventory_fg"),
        ("Opening stock", "Dr", "Note 19: Cost of Materials Consumed", "opening_stock_rm"),
        # A caption naming several kinds names none.
        ("Opening stock", "Dr",
         "Changes in inventories of finished goods, work-in-progress and stock-in-trade",
         "opening_stock_rm"),
    ],
)  # fmt: skip
def test_a_stock_line_takes_the_one_kind_its_note_names(
    label: str, side: str, section: str, head: str
) -> None:
    assert_head(label, side, section, head)


def test_capital_work_in_progress_is_no_stock_of_goods() -> None:
    assert_head("Machinery in transit", "Dr", "Capital work-in-progress", "gross_block")


@pytest.mark.parametrize(
    ("label", "section"),
    [
        ("By Closing Stock of Finished Goods", "Trading Account for the year ended 31.03.2025"),
        ("Less: Closing Stock - Raw Materials", "Note 18: Cost of Materials Consumed"),
    ],
)
def test_closing_stock_on_the_credit_side_of_an_account_is_not_doubted_for_it(
    label: str, section: str
) -> None:
    found = suggest(label, "Cr", section)
    assert found.head in {"inventory_fg", "inventory_rm"}
    assert found.confidence >= AUTO_APPROVE


def test_every_line_of_a_deferred_tax_note_is_the_deferred_tax() -> None:
    assert_head("Related to fixed assets", "Cr", "Note 5 Deferred Tax Liabilities (Net)",
                "other_term_liabilities")  # fmt: skip


def test_purchases_of_stock_in_trade_are_purchases_whatever_the_goods() -> None:
    for label in ("Purchase of Spares & Lubricants", "Purchase of Vehicles"):
        assert_head(label, "Dr", "Note 16 : Purchases of Stock-in-Trade", "purchases_rm")


@pytest.mark.parametrize(
    ("side", "section", "head"),
    [
        ("Cr", "Note 3 : Share Capital", "share_capital"),
        ("Cr", "", "share_capital"),
        ("Dr", "Non-current Investments", "noncurrent_investments"),
    ],
)
def test_shares_by_face_value_are_capital_on_the_credit_side_investments_on_the_debit(
    side: str, section: str, head: str
) -> None:
    assert_head("Equity Shares of Rs. 10/- each fully paid up", side, section, head)


def test_a_purchase_ledger_kept_by_tax_regime_is_a_purchase_in_a_trading_account() -> None:
    assert_head("To Purchases (GST)", "Dr", "Trading Account for the year ended 31.03.2025",
                "purchases_rm")  # fmt: skip


def test_an_llp_partners_contribution_is_its_capital() -> None:
    assert_head("Contribution - Mr. A. Mehta (Designated Partner)", "Cr",
                "Schedule 1 - Partners' Contribution Account", "share_capital")  # fmt: skip
