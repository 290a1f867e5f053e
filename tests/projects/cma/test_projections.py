"""Projected years from a plan: property-based over random books and plans, and worked
examples that can be checked by hand."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from projects.cma.forms import YearBooks, compute, key_figures
from projects.cma.projections import (
    ASSUMPTION_KEYS,
    Plan,
    PlanInvalid,
    TermLoan,
    emi,
    loan_years,
    parse_plan,
    plan_years,
    project,
    schedule,
)
from tests.projects.cma.test_forms import sample_books

PAISA = Decimal("0.01")


def D(value) -> Decimal:
    return Decimal(str(value))


# Random books -------------------------------------------------------------------------

money = st.integers(min_value=0, max_value=5 * 10**9).map(lambda paise: Decimal(paise) / 100)
small_money = st.integers(min_value=0, max_value=10**8).map(lambda paise: Decimal(paise) / 100)

OPERATING = (
    "spares_consumed", "power_fuel", "direct_labour", "other_mfg_expenses", "sga_expenses",
    "depreciation", "interest", "tax_provision", "other_operating_income",
    "non_operating_income",
)  # fmt: skip
BALANCE_SHEET = (
    "bank_borrowings_wc", "st_borrowings_others", "sundry_creditors", "provision_for_tax",
    "statutory_liabilities", "term_loan_current_maturities", "other_current_liabilities",
    "term_loans", "other_term_liabilities", "share_capital", "general_reserve",
    "receivables_domestic", "receivables_export", "inventory_rm", "inventory_wip",
    "inventory_fg", "inventory_spares", "advances_to_suppliers", "other_current_assets",
    "gross_block", "accumulated_depreciation", "noncurrent_investments", "intangible_assets",
)  # fmt: skip


@st.composite
def year_books(draw, year: str, basis: str) -> YearBooks:
    heads = {"sales_domestic": draw(money.filter(lambda v: v > 1000))}
    if draw(st.booleans()):
        heads["sales_export"] = draw(money)
    heads["purchases_rm"] = heads["sales_domestic"] * draw(st.integers(0, 90)) / 100
    heads["purchases_rm"] = heads["purchases_rm"].quantize(PAISA)
    for key in OPERATING:
        if draw(st.booleans()):
            heads[key] = draw(small_money)
    for key in BALANCE_SHEET:
        if draw(st.booleans()):
            heads[key] = draw(money)
    if basis == "trial_balance":
        for key in ("opening_stock_rm", "opening_stock_wip", "opening_stock_fg"):
            heads[key] = draw(small_money)
    if draw(st.booleans()):
        heads["drawings"] = draw(small_money)
    books = YearBooks(year, basis, heads)
    # Books balance: whatever is missing sits in the surplus, as a closing entry would.
    difference = compute([books]).value("balance_difference", year)
    heads["pl_surplus"] = difference
    return YearBooks(year, basis, heads)


@st.composite
def assumptions_for(draw, years: list[str]) -> dict:
    percent = st.decimals(min_value=0, max_value=60, places=2)
    growth = st.decimals(min_value=-60, max_value=80, places=2)
    months = st.decimals(min_value=0, max_value=9, places=2)
    kinds = {
        "sales_growth_pct": growth,
        "export_growth_pct": growth,
        "rm_pct_of_sales": percent,
        "labour_pct_of_sales": st.decimals(min_value=0, max_value=15, places=2),
        "sga_pct_of_sales": st.decimals(min_value=0, max_value=20, places=2),
        "rm_months": months,
        "wip_months": months,
        "fg_months": months,
        "receivables_months": months,
        "export_receivables_months": months,
        "creditors_months": months,
        "other_current_assets_growth_pct": growth,
        "other_current_liabilities_growth_pct": growth,
        "capex": small_money,
        "depreciation_pct": percent,
        "wc_interest_pct": st.decimals(min_value=0, max_value=18, places=2),
        "tax_pct": st.decimals(min_value=0, max_value=35, places=2),
        "dividend_or_drawings": small_money,
        "fresh_capital": small_money,
        "unsecured_loans_change": st.decimals(min_value=-(10**6), max_value=10**6, places=2),
    }
    result = {}
    for year in years:
        chosen = draw(st.lists(st.sampled_from(sorted(kinds)), unique=True, max_size=len(kinds)))
        result[year] = {key: str(draw(kinds[key])) for key in chosen}
    return result


@st.composite
def loans(draw) -> list[dict]:
    count = draw(st.integers(0, 2))
    result = []
    for index in range(count):
        tenor = draw(st.integers(1, 96))
        result.append(
            {
                "name": f"Loan {index}",
                "amount": str(draw(money.filter(lambda v: v > 0))),
                "rate_pct": str(draw(st.decimals(min_value=0, max_value=16, places=2))),
                "start_month": f"{draw(st.integers(2024, 2027))}-{draw(st.integers(1, 12)):02d}",
                "tenor_months": tenor,
                "moratorium_months": draw(st.integers(0, tenor - 1)),
                "repayment": draw(st.sampled_from(["emi", "equal_principal"])),
                "existing": draw(st.booleans()),
            }
        )
    return result


@st.composite
def books_and_plan(draw):
    basis = draw(st.sampled_from(["trial_balance", "statements"]))
    books = [draw(year_books("2024-25", basis))]
    if draw(st.booleans()):
        books.insert(0, draw(year_books("2023-24", basis)))
    actual = compute(books)
    count = draw(st.integers(1, 7))
    years = [y for y, kind in plan_years(actual.years, Plan(projected_years=count))][
        len(actual.years) :
    ]
    data = {"projected_years": count, "assumptions": draw(assumptions_for(years))}
    if draw(st.booleans()):
        data["term_loans"] = draw(loans())
    if draw(st.booleans()):
        data["limits"] = [
            {"facility": "cash_credit", "bank": "SBI", "proposed_limit": str(draw(money))}
        ]
    return actual, parse_plan(data, actual_years=actual.years)


# Each example computes up to nine years of forms: shrinking a failure would take minutes,
# so a failure is reported as generated.
PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    print_blob=True,
)


@PROPERTY
@given(books_and_plan())
def test_every_projected_balance_sheet_ties_to_the_paisa(case):
    actual, plan = case
    projection = project(actual, plan)
    report = projection.report
    assert len(projection.projected) == plan.projected_years + 1
    for year in projection.projected:
        assert report.value("balance_difference", year) == 0, year
        # A shortfall shows as additional finance, never as negative cash.
        assert report.value("cash_bank", year) >= 0
        shortfall = projection.key_figures()[year]["additional_finance_required"]
        assert shortfall >= 0
        assert shortfall == 0 or report.value("cash_bank", year) == 0


@PROPERTY
@given(books_and_plan())
def test_closing_stocks_receivables_and_creditors_are_their_months_of_the_years_base(case):
    actual, plan = case
    projection = project(actual, plan)
    report = projection.report
    for year in projection.projected:
        used = projection.assumptions[year]

        def value(key, year=year):
            return report.value(key, year)

        def months_of(base, months, used=used):
            return value(base) * used[months] / 12

        assert abs(value("inventory_rm") - months_of("rm_consumed", "rm_months")) <= D("0.005")
        assert abs(
            value("receivables_domestic") - months_of("sales_domestic", "receivables_months")
        ) <= D("0.005")
        assert abs(
            value("receivables_export") - months_of("sales_export", "export_receivables_months")
        ) <= D("0.005")
        assert abs(value("sundry_creditors") - months_of("purchases", "creditors_months")) <= D(
            "0.005"
        )
        # Stocks that are part of their own base: one rounding, spread over base and stock.
        for stock, base, months in (
            ("inventory_wip", "cost_of_production", "wip_months"),
            ("inventory_fg", "cost_of_sales", "fg_months"),
        ):
            tolerance = D("0.005") * (1 + used[months] / 12) + D("0.000001")
            assert abs(value(stock) - months_of(base, months)) <= tolerance, (year, stock)


@PROPERTY
@given(books_and_plan())
def test_sales_follow_growth_and_net_worth_rolls_forward(case):
    actual, plan = case
    projection = project(actual, plan)
    report = projection.report
    years = projection.years
    for year in projection.projected:
        before = years[years.index(year) - 1]
        used = projection.assumptions[year]
        for head, growth in (
            ("sales_domestic", "sales_growth_pct"),
            ("sales_export", "export_growth_pct"),
        ):
            expected = report.value(head, before) * (1 + used[growth] / 100)
            # Rounded half up, as Excel's ROUND.
            assert report.value(head, year) == expected.quantize(PAISA, ROUND_HALF_UP), year
        # Opening net worth + retained profit + fresh capital - drawings.
        drawings = report.value("drawings", year)
        assert report.value("net_worth", year) == (
            report.value("net_worth", before)
            + report.value("retained_profit", year)
            + used["fresh_capital"]
            - drawings
        )
        assert report.value("dividend", year) + drawings == used["dividend_or_drawings"]


@PROPERTY
@given(books_and_plan())
def test_term_loan_balances_are_their_schedules(case):
    actual, plan = case
    projection = project(actual, plan)
    report = projection.report
    for year in projection.projected:
        closing = sum((loan_years(loan, [year])[year].closing for loan in projection.loans), D(0))
        due = sum(
            (loan_years(loan, [year])[year].due_within_year for loan in projection.loans), D(0)
        )
        assert report.value("term_loan_current_maturities", year) == due
        assert report.value("term_loans", year) == closing - due
        for loan in projection.loans:
            # The balance after the schedule's last month up to March (none: not drawn yet).
            months = [m for m in schedule(loan) if m.month <= f"{int(year[:4]) + 1}-03"]
            expected = months[-1].closing if months else 0
            assert projection.loan_years[loan.name][year].closing == expected


# Worked examples ----------------------------------------------------------------------


def test_emi_of_ten_lakh_at_twelve_percent_over_a_year_is_the_textbook_figure():
    # EMI = P r (1 + r)^n / ((1 + r)^n - 1), r = 12 % / 12 = 0.01, n = 12:
    # 10,00,000 x 0.01 x 1.126825 / 0.126825 = 88,848.79.
    assert emi(D(1000000), D(12), 12) == D("88848.79")
    loan = TermLoan("Machine", D(1000000), D(12), "2025-04", 12, repayment="emi")
    months = schedule(loan)
    assert months[0].interest == D("10000.00")  # 1 % of the balance
    assert months[0].principal == D("78848.79")  # the instalment less that interest
    assert months[1].interest == D("9211.51")  # 1 % of 9,21,151.21
    assert sum(m.principal for m in months) == D(1000000)
    assert months[-1].closing == 0
    # Every instalment but the last (which clears the paise) is the EMI.
    assert all(m.interest + m.principal == D("88848.79") for m in months[:-1])
    year = loan_years(loan, ["2025-26"])["2025-26"]
    assert year.principal == D(1000000)
    assert year.interest == sum(m.interest for m in months)
    assert year.closing == 0


def test_equal_principal_after_a_moratorium_sums_by_financial_year():
    # 12 lakh at 10 % from October 2025: six months' interest only, then 24 instalments
    # of 50,000 from April 2026.
    loan = TermLoan("Shed", D(1200000), D(10), "2025-10", 30, moratorium_months=6)
    years = loan_years(loan, ["2024-25", "2025-26", "2026-27", "2027-28"])
    assert years["2024-25"].closing == 0  # before the loan
    first = years["2025-26"]
    assert (first.interest, first.principal, first.closing) == (D("60000.00"), 0, D(1200000))
    assert first.due_within_year == D(600000)  # Form III item 8
    second = years["2026-27"]
    # Interest on 12,00,000 down to 6,50,000 by 50,000 a month, at 10 % / 12.
    assert second.interest == D("92500.00")
    assert (second.principal, second.closing, second.due_within_year) == (
        D(600000),
        D(600000),
        D(600000),
    )
    assert years["2027-28"].closing == 0
    assert years["2027-28"].beyond_year == 0


def test_an_empty_plan_projects_the_sample_books_with_defaults_from_the_last_year():
    actual = compute(sample_books("shree-ganesh-polymers-private-limited"))
    projection = project(actual, parse_plan({}, actual_years=actual.years))
    assert dict(projection.kinds) == {
        "2023-24": "audited",
        "2024-25": "audited",
        "2025-26": "estimated",
        "2026-27": "projected",
    }
    assert set(projection.defaults) == set(ASSUMPTION_KEYS)
    assert projection.defaults["sales_growth_pct"] == 10
    # Holding levels default to Form IV of the last actual year.
    assert projection.defaults["rm_months"] == actual.value("rm_months", "2024-25")
    figures = projection.key_figures()
    assert figures["2024-25"] == key_figures(actual)["2024-25"]  # actual years untouched
    assert figures["2025-26"]["net_sales"] > figures["2024-25"]["net_sales"]
    assert figures["2025-26"]["additional_finance_required"] == 0
    # The books' term loans repay their current maturities in the estimate year.
    [book_loan] = projection.loans
    repaid = projection.loan_years[book_loan.name]["2025-26"].principal
    current = actual.value("term_loan_current_maturities", "2024-25")
    assert abs(repaid - current) <= current / 12


def test_a_shortfall_is_additional_finance_and_the_year_still_ties():
    actual = compute(sample_books("mehta-traders"))
    plan = parse_plan(
        {"assumptions": {"2025-26": {"capex": "50000000", "receivables_months": "6"}}},
        actual_years=actual.years,
    )
    projection = project(actual, plan)
    figures = projection.key_figures()["2025-26"]
    assert figures["additional_finance_required"] > 0
    assert projection.report.value("cash_bank", "2025-26") == 0
    assert projection.report.value("balance_difference", "2025-26") == 0


def test_proposed_working_capital_limits_are_taken_as_fully_drawn():
    actual = compute(sample_books("mehta-traders"))
    plan = parse_plan(
        {"limits": [{"bank": "SBI", "facility": "cash_credit", "proposed_limit": 2500000}]},
        actual_years=actual.years,
    )
    projection = project(actual, plan)
    assert projection.report.value("bank_borrowings_wc", "2025-26") == D(2500000)
    rate = projection.assumptions["2025-26"]["wc_interest_pct"]
    interest = (D(2500000) * rate / 100).quantize(PAISA, ROUND_HALF_UP)
    # Plus the interest on the books' term loan, from its schedule.
    interest += projection.loan_totals("2025-26").interest
    assert projection.loan_totals("2025-26").interest > 0
    assert projection.report.value("interest", "2025-26") == interest


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"assumptions": {"2025-26": {"rm_months": -1}}}, "assumptions.2025-26.rm_months",
         "negative"),
        ({"assumptions": {"2025-26": {"sales_growth_pct": -120}}},
         "assumptions.2025-26.sales_growth_pct", "-100"),
        ({"assumptions": {"2031-32": {"sales_growth_pct": 5}}}, "assumptions.2031-32",
         "out of range"),
        ({"assumptions": {"2025-26": {"tax_pct": "twenty"}}}, "assumptions.2025-26.tax_pct",
         "not a number"),
        ({"assumptions": {"2025-26": {"growth": 5}}}, "assumptions.2025-26.growth", "Unknown"),
        ({"colour": "blue"}, "colour", "Unknown"),
        ({"projected_years": 9}, "projected_years", "between 1 and 7"),
        ({"estimate_year": "2027-28"}, "estimate_year", "out of range"),
        ({"term_loans": [{"name": "TL", "amount": 5, "rate_pct": 9, "start_month": "2025-04",
                          "tenor_months": 12, "moratorium_months": -2}]},
         "term_loans.0.moratorium_months", "negative"),
        ({"display_unit": "thousands"}, "display_unit", "lakhs"),
    ],
)  # fmt: skip
def test_bad_plan_values_are_named_by_field_path_in_plain_words(data, path, words):
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(data, actual_years=["2023-24", "2024-25"])
    assert path in caught.value.fields, caught.value.fields
    assert words in caught.value.fields[path]


def test_seven_projected_years_is_the_most_and_each_gets_a_kind():
    plan = parse_plan({"projected_years": 7, "years": [{"year": "2024-25", "kind": "provisional"}]},
                      actual_years=["2023-24", "2024-25"])  # fmt: skip
    kinds = plan_years(["2023-24", "2024-25"], plan)
    assert kinds[:3] == [("2023-24", "audited"), ("2024-25", "provisional"),
                         ("2025-26", "estimated")]  # fmt: skip
    assert [kind for _, kind in kinds[3:]] == ["projected"] * 7
    assert kinds[-1][0] == "2032-33"
