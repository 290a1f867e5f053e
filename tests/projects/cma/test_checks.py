"""The validate step: each error and warning fires on crafted books, and only then."""

from decimal import Decimal

import pytest

from projects.cma.checks import Issue, Validation, format_inr, validate
from projects.cma.forms import YearBooks, compute
from tests.projects.cma.test_forms import SAMPLE_NAMES, sample_books


def D(value: int | str) -> Decimal:
    return Decimal(str(value))


# A small pre-closing trial balance that agrees: Dr purchases 60,000 + opening stock 5,000 +
# cash 85,000 = Cr sales 1,00,000 + capital 50,000. Closing stock 10,000 is given apart.
BALANCED = {
    "sales_domestic": 100000,
    "purchases_rm": 60000,
    "opening_stock_rm": 5000,
    "cash_bank": 85000,
    "share_capital": 50000,
    "inventory_rm": 10000,
}


def books(year: str = "2023-24", basis: str = "trial_balance", **changes: int | str) -> YearBooks:
    heads = {**BALANCED, **changes}
    return YearBooks(year, basis, {key: D(value) for key, value in heads.items() if value != "-"})


def codes(issues: list[Issue]) -> list[str]:
    return [issue.code for issue in issues]


def test_balanced_books_pass_without_errors_or_warnings():
    result = validate(compute([books()]))

    assert result == Validation([], [])
    assert result.ok


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_sample_books_raise_no_errors(name):
    result = validate(compute(sample_books(name)))

    assert result.errors == []
    # Mehta Traders really does hold years of consumables (closing 9,220.38 against
    # 1,012.97 consumed in 2023-24): the only thing worth a look.
    assert set(codes(result.warnings)) <= {"holding_period_long"}


def test_assets_that_differ_from_liabilities_by_more_than_a_rupee_are_an_error():
    result = validate(compute([books(cash_bank=85002)]))

    assert codes(result.errors) == ["assets_liabilities_mismatch"]
    issue = result.errors[0]
    assert issue.year == "2023-24"
    assert "₹2.00" in issue.message
    assert not result.ok


def test_a_trial_balance_may_be_a_rupee_out():
    assert validate(compute([books(cash_bank="85000.90")])).errors == []


def test_statements_are_allowed_their_printed_rounding_but_not_a_missing_line():
    # Closed statements: the profit is already in the surplus (45,000 here).
    closed = {"pl_surplus": 45000, "opening_stock_rm": "-"}
    rounded = compute([books(basis="statements", cash_bank=85400, **closed)])
    missing = compute([books(basis="statements", cash_bank=95000, **closed)])

    assert validate(rounded).errors == []  # 400 on 95,000: within 0.5 %
    assert codes(validate(missing).errors) == ["assets_liabilities_mismatch"]
    # The rounding unit sets the floor: a PDF in lakhs is allowed ₹1,000.
    small = compute([books(basis="statements", cash_bank=85900, **closed)])
    assert codes(validate(small).errors) == ["assets_liabilities_mismatch"]
    assert validate(small, rounding_units={"2023-24": D(1000)}).errors == []


def test_line_items_without_a_head_are_an_error():
    report = compute([books()])

    assert codes(validate(report, unclassified=3).errors) == ["unclassified_items"]
    per_year = validate(report, unclassified={"2023-24": 1, "2024-25": 0}).errors
    assert [(issue.code, issue.year) for issue in per_year] == [("unclassified_items", "2023-24")]
    assert "1 line item has no CMA head in 2023-24" in per_year[0].message


def test_a_year_with_no_sales_is_an_error():
    # The sales moved to "other income": still balanced, but no sales.
    result = validate(compute([books(sales_domestic="-", non_operating_income=100000)]))

    assert codes(result.errors) == ["no_sales"]


def test_a_trial_balance_whose_debits_and_credits_differ_is_an_error():
    report = compute([books()])

    result = validate(report, trial_balance_totals={"2023-24": (D("150000"), D("149000"))})
    assert codes(result.errors) == ["trial_balance_unbalanced"]
    assert "₹1,50,000.00" in result.errors[0].message
    agreed = validate(report, trial_balance_totals={"2023-24": (D(150000), D(150000))})
    assert agreed.errors == []


def test_an_unknown_opening_stock_in_the_first_year_is_a_warning():
    # No opening stock ledger (the books still agree: Dr 60,000 + 90,000 = Cr 1,50,000).
    report = compute([books(opening_stock_rm="-", cash_bank=90000)])

    result = validate(report)
    assert codes(result.warnings) == ["opening_stock_unknown"]
    assert "raw materials" in result.warnings[0].message


def test_a_later_year_takes_its_opening_stock_from_the_year_before_without_a_warning():
    later = books("2024-25", opening_stock_rm="-", cash_bank=90000, share_capital=50000)
    report = compute([books(), later])

    assert "opening_stock_unknown" not in codes(validate(report).warnings)


def test_negative_inventory_or_cash_is_a_warning():
    # Balanced: assets -1,000 + 10,000 - 500 = capital -36,000 + profit 44,500 (the negative
    # closing stores count as stores consumed).
    report = compute([books(inventory_spares=-500, cash_bank=-1000, share_capital=-36000)])

    result = validate(report)
    assert result.errors == []
    assert sorted(codes(result.warnings)) == ["negative_cash", "negative_inventory"]


def test_a_head_that_moves_more_than_tenfold_is_a_warning():
    # Balanced both years; 2024-25 starts from 2023-24's surplus of 30,000.
    later = books(
        "2024-25", opening_stock_rm=10000, sga_expenses=200000, cash_bank=-90000, pl_surplus=30000
    )
    report = compute([books(sga_expenses=15000, cash_bank=70000), later])

    result = validate(report)
    moved = [issue for issue in result.warnings if issue.code == "head_moved_tenfold"]
    assert [(issue.year, "Selling" in issue.message) for issue in moved] == [("2024-25", True)]


def test_small_heads_may_move_tenfold_without_a_warning():
    later = books(
        "2024-25", opening_stock_rm=10000, interest=5000, cash_bank=119600, pl_surplus=44600
    )
    report = compute([books(interest=400, cash_bank=84600), later])

    assert "head_moved_tenfold" not in codes(validate(report).warnings)


def test_a_holding_period_over_a_year_is_a_warning():
    # 10,000 of closing stock against 5,000 consumed a year: 24 months.
    # Dr 10,000 + 5,000 + 1,85,000 = Cr 1,50,000 + 50,000.
    report = compute([books(purchases_rm=10000, cash_bank=185000, sales_domestic=150000)])

    result = validate(report)
    long = [issue for issue in result.warnings if issue.code == "holding_period_long"]
    assert len(long) == 1
    assert "24.00 months" in long[0].message


def test_no_years_at_all_is_an_error():
    assert codes(validate(compute([])).errors) == ["no_years"]


def test_amounts_in_messages_use_indian_grouping():
    assert format_inr(D("1234567.5")) == "₹12,34,567.50"
    assert format_inr(D("-999")) == "-₹999.00"
    assert format_inr(D("100000")) == "₹1,00,000.00"


def test_issues_serialize_for_the_api():
    result = validate(compute([books(cash_bank=85002)]), unclassified=1)

    data = result.as_dict()
    assert [issue["code"] for issue in data["errors"]] == [
        "unclassified_items",
        "assets_liabilities_mismatch",
    ]
    assert data["warnings"] == []
    assert set(data["errors"][0]) == {"code", "year", "message"}
