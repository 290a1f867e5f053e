"""Assessment, DSCR/ISCR/break-even and bank-readiness checks (PROJECTIONS.md), with
worked examples from published sources reproduced to the rupee (each named in its test;
provenance in tests/projects/cma/BANK_EXAMPLES.md)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from projects.cma.bank import (
    THRESHOLDS,
    DebtService,
    assess,
    bank_readiness,
    drawing_power,
    dscr_table,
    readiness_checks,
    turnover_method,
)
from projects.cma.bank.assessment import assess as assess_years
from projects.cma.bank.coverage import DscrTable, break_even, iscr
from projects.cma.forms import YearBooks, compute
from projects.cma.projections import (
    Limit,
    PlanInvalid,
    StockStatement,
    TermLoan,
    emi,
    parse_plan,
    project,
    schedule,
)
from tests.projects.cma.test_forms import sample_books

LAKH = Decimal(100000)


def D(value) -> Decimal:
    return Decimal(str(value))


def books(year: str = "2024-25", **heads) -> YearBooks:
    return YearBooks(year, "statements", {key: D(value) for key, value in heads.items()})


# Method I and II -----------------------------------------------------------------------


def test_tandon_methods_reproduce_the_published_560_lakh_example():
    """ "MPBF - Tandon Committee" (dokumen.tips/documents/mpbf-tandon-committee.html, also
    on Scribd): current assets ₹560 lakh, current liabilities ₹560 lakh of which bank
    borrowings ₹360 lakh -> Method I MPBF 270, excess 90; Method II MPBF 220, excess 140."""
    report = compute(
        [
            books(
                inventory_fg=300 * LAKH,
                receivables_domestic=260 * LAKH,
                sundry_creditors=200 * LAKH,
                bank_borrowings_wc=360 * LAKH,
            )
        ]
    )
    [year] = assess_years(report, msme=False, limits=()).values()
    assert report.value("working_capital_gap", "2024-25") == 360 * LAKH
    assert year.method_1 == 270 * LAKH
    assert report.value("excess_borrowing_method_1", "2024-25") == 90 * LAKH
    assert year.method_2 == 220 * LAKH
    assert year.applicable == "method_2" and "not marked a micro or small" in year.reason
    assert year.assessed_limit == 220 * LAKH
    assert year.excess_borrowing == 140 * LAKH
    assert year.turnover_method is None


def test_tandon_method_ii_reproduces_the_published_4000_rupee_example():
    """learningsessions.in "Tandon Committee Method 1 & Method 2": TCA ₹4,000, other current
    liabilities ₹800 -> Method II ₹2,200. (Its Method I figure, ₹2,560, takes 25 % of
    ₹3,200 as ₹640, a slip: 25 % is ₹800, and Method I is ₹2,400.)"""
    report = compute([books(inventory_fg=4000, sundry_creditors=800, bank_borrowings_wc=3200)])
    [year] = assess_years(report, msme=False, limits=()).values()
    assert year.method_2 == D(2200)
    assert year.method_1 == D(2400)


# Turnover method -----------------------------------------------------------------------


def test_turnover_method_reproduces_the_nayak_committee_example():
    """learningsessions.in "Simplified Turnover Method (by Nayak Committee)" and
    bankingschool.co.in: projected turnover ₹1,00,000 -> requirement 25 % ₹25,000,
    margin 5 % ₹5,000, bank finance 20 % ₹20,000."""
    table = turnover_method(D(100000), D(3000))
    assert table.b_requirement == D(25000)
    assert table.c_minimum_margin == D(5000)
    assert table.e_b_less_c == D(20000)
    # The borrower's NWC (₹3,000) is below the 5 % margin: the bank gives the 20 %.
    assert table.f_b_less_d == D(22000) and table.g_assessed_limit == D(20000)
    # More NWC than the 5 % margin: the limit is the requirement less the NWC (F).
    more = turnover_method(D(100000), D(8000))
    assert more.f_b_less_d == D(17000) and more.g_assessed_limit == D(17000)
    # NWC above the whole requirement: no bank finance, never a negative limit.
    assert turnover_method(D(100000), D(30000)).g_assessed_limit == 0


def msme_books() -> YearBooks:
    return books(
        sales_domestic=100 * LAKH,
        purchases_rm=60 * LAKH,
        inventory_rm=20 * LAKH,
        receivables_domestic=15 * LAKH,
        sundry_creditors=10 * LAKH,
        bank_borrowings_wc=22 * LAKH,
    )


@pytest.mark.parametrize(
    ("msme", "proposed", "applies", "words"),
    [
        (True, 200 * LAKH, "turnover_method", "within ₹5 crore"),
        (True, 500 * LAKH, "turnover_method", "₹5.00 crore, within"),
        (True, 501 * LAKH, "method_2", "above the turnover method's ₹5 crore"),
        (False, 200 * LAKH, "method_2", "not marked a micro or small"),
        (True, None, "turnover_method", "no limits proposed"),
    ],
)
def test_the_turnover_method_applies_to_msmes_with_limits_up_to_five_crore(
    msme, proposed, applies, words
):
    report = compute([msme_books()])
    limits = (
        () if proposed is None else (Limit("SBI", "cash_credit", True, proposed_limit=proposed),)
    )
    [year] = assess(report, msme=msme, limits=limits).values()
    assert year.applicable == applies and words in year.reason
    if applies == "turnover_method":
        # NWC 35 - 32 = ₹3 lakh, below the 5 % margin: the limit is 20 % of turnover.
        assert year.assessed_limit == 20 * LAKH
        assert year.excess_borrowing == 2 * LAKH
    else:
        assert year.assessed_limit == year.method_2


def test_non_fund_based_and_term_limits_do_not_count_toward_the_five_crore():
    report = compute([msme_books()])
    limits = (
        Limit("SBI", "cash_credit", True, proposed_limit=100 * LAKH),
        Limit("SBI", "bank_guarantee", False, proposed_limit=900 * LAKH),
        Limit("SBI", "term_loan", True, proposed_limit=900 * LAKH),
    )
    [year] = assess(report, msme=True, limits=limits).values()
    assert year.applicable == "turnover_method"


# Drawing power -------------------------------------------------------------------------


def test_drawing_power_reproduces_the_published_example():
    """bankingfunda.blogspot.com "Calculation of Drawing Power" (2010), also on
    caclubindia.com: stock ₹35 lakh, trade creditors ₹10 lakh, debtors ₹25 lakh, margins
    25 % and 40 % -> DP ₹33.75 lakh."""
    statement = StockStatement("2010-03-31", 35 * LAKH, 10 * LAKH, 25 * LAKH)
    assert drawing_power(statement, None).drawing_power == D("33.75") * LAKH
    # Capped at the sanctioned limit.
    assert drawing_power(statement, 30 * LAKH).drawing_power == 30 * LAKH
    # Creditors beyond the stock leave nothing of the stock, never a negative advance.
    owed = StockStatement("2010-03-31", 5 * LAKH, 10 * LAKH, 25 * LAKH)
    assert drawing_power(owed, None).drawing_power == 15 * LAKH


def test_the_stock_statement_is_a_plan_field_and_lands_in_the_year_of_its_date():
    actual = compute(sample_books("mehta-traders"))
    plan = parse_plan(
        {
            "stock_statement": {"as_on": "2025-06-30", "stocks": "3500000",
                                "creditors": "1000000", "receivables": "2500000"},
            "limits": [{"bank": "SBI", "facility": "cash_credit", "existing_limit": 3000000,
                        "proposed_limit": 3000000}],
        },
        actual_years=actual.years,
    )  # fmt: skip
    readiness = bank_readiness(project(actual, plan), plan)
    assert readiness.assessment["2025-26"].drawing_power.computed == D(3375000)
    assert readiness.assessment["2025-26"].drawing_power.drawing_power == D(3000000)
    assert readiness.assessment["2026-27"].drawing_power is None
    with pytest.raises(PlanInvalid, match=r"stock_statement\.as_on"):
        parse_plan({"stock_statement": {"stocks": 5}}, actual_years=actual.years)


# EMI, DSCR, ISCR, break-even -------------------------------------------------------------


def test_emi_reproduces_published_examples_to_the_rupee():
    """fincalci.net "How much EMI for ₹10 lakh loan" (2026): ₹10,00,000 at 10 % for 5
    years -> EMI ₹21,247. equity2commodity.in loan calculator: ₹10,00,000 at 12 % for 10
    years -> EMI ₹14,347 and interest ₹7,21,651 over the loan (EMI x 120 - principal)."""
    assert emi(D(1000000), D(10), 60).quantize(Decimal(1), ROUND_HALF_UP) == 21247
    instalment = emi(D(1000000), D(12), 120)
    assert instalment.quantize(Decimal(1), ROUND_HALF_UP) == 14347
    assert (instalment * 120 - D(1000000)).quantize(Decimal(1), ROUND_HALF_UP) == 721651
    # The schedule rounds each month's interest to the paisa and its last instalment
    # clears what rounding left: the loan's interest stays within ₹2 of the textbook's.
    months = schedule(TermLoan("TL", D(1000000), D(12), "2025-04", 120, repayment="emi"))
    interest = sum(month.interest for month in months)
    assert abs(interest - (instalment * 120 - D(1000000))) < 2
    assert sum(month.principal for month in months) == D(1000000)
    assert {m.interest + m.principal for m in months[:-1]} == {instalment}


# Scribd "DSCR" of a dairy farm project report (scribd.com/doc/150074940): net profit,
# depreciation, interest on loan and yearly instalment (interest + principal), ten years.
DAIRY = [
    (1772370, 251500, 180800, 611150, "2204670", "3.61"),
    (1093235, 218025, 170530, 611150, "1481790", None),  # printed 2.43: hidden decimals
    (2068145, 189500, 158850, 611150, "2416495", None),  # printed 3.96: hidden decimals
    (2232990, 165000, 145560, 611150, "2543550", "4.16"),
    (1404210, 144000, 130435, 611150, "1678645", "2.75"),
    (2449200, 125900, 113220, 255150, "2688320", "10.54"),
    (2570745, 110325, 93630, 255150, "2774700", None),  # printed 10.88: hidden decimals
    (1721490, 96850, 71340, 255150, "1889680", "7.41"),
    (2808140, 85150, 45970, 255150, "2939260", "11.52"),
    (2924430, 75000, 17100, 255150, "3016530", "11.82"),
]


def test_dscr_reproduces_the_published_ten_year_table():
    years = {
        f"Y{n}": DebtService(D(profit), D(dep), D(interest), D(instalment) - D(interest))
        for n, (profit, dep, interest, instalment, _, _) in enumerate(DAIRY, 1)
    }
    table = dscr_table(years)
    for n, (_, _, _, instalment, numerator, ratio) in enumerate(DAIRY, 1):
        row = table.by_year[f"Y{n}"]
        assert row.numerator == D(numerator)
        assert row.denominator == D(instalment)
        if ratio is not None:
            assert row.dscr == D(ratio)
    numerators = sum(D(n) for *_, n, _ in DAIRY)
    denominators = sum(D(row[3]) for row in DAIRY)
    assert table.average == (numerators / denominators).quantize(D("0.01"), ROUND_HALF_UP)
    assert table.minimum == table.by_year["Y2"].dscr == D("2.42")


def test_a_moratorium_year_is_left_out_of_the_dscr():
    table = dscr_table(
        {
            "2025-26": DebtService(D(100), D(50), D(40), D(0)),
            "2026-27": DebtService(D(300), D(50), D(30), D(100)),
        }
    )
    assert list(table.by_year) == ["2026-27"]
    assert table.average == D("2.92")  # 380 / 130
    assert dscr_table({}).average is None


def test_iscr_and_break_even_follow_their_definitions():
    report = compute(
        [
            books(
                sales_domestic=1000,
                purchases_rm=400,
                power_fuel=100,
                direct_labour=50,
                depreciation=60,
                sga_expenses=140,
                interest=50,
            )
        ]
    )
    # PBDIT = 1000 - 400 - 100 - 50 - 140 = 310 over interest 50.
    assert iscr(report, "2024-25") == D("6.20")
    point = break_even(report, "2024-25")
    # Variable 500 of 1000: contribution 0.5; fixed 140 + 60 + 50 = 250.
    assert point.contribution_ratio == D("0.5")
    assert point.sales == D(500) and point.cash_sales == D(380)


def test_the_projection_dscr_uses_term_loan_interest_only():
    actual = compute(sample_books("mehta-traders"))
    plan = parse_plan(
        {
            "projected_years": 3,
            "limits": [{"bank": "SBI", "facility": "cash_credit", "proposed_limit": 2500000}],
            "term_loans": [{"name": "Machine", "amount": 1200000, "rate_pct": 10,
                            "start_month": "2025-04", "tenor_months": 48}],
        },
        actual_years=actual.years,
    )  # fmt: skip
    projection = project(actual, plan)
    readiness = bank_readiness(projection, plan)
    row = readiness.dscr.by_year["2026-27"]
    loans = projection.loan_totals("2026-27")
    assert loans.interest < projection.report.value("interest", "2026-27")
    assert row.denominator == loans.interest + loans.principal
    assert row.numerator == (
        projection.report.value("net_profit", "2026-27")
        + projection.report.value("depreciation", "2026-27")
        + loans.interest
    )
    assert readiness.term_loans["Machine"]["2026-27"]["principal"] == D(300000)


# Checks ---------------------------------------------------------------------------------


class Figures:
    """Form values by year, as a Report gives them (only what the checks read)."""

    def __init__(self, values: dict[str, dict[str, Decimal | None]]) -> None:
        self.values = values
        self.years = list(values)

    def value(self, key: str, year: str) -> Decimal | None:
        return self.values[year].get(key)


HEALTHY = {
    "current_ratio": D("1.50"),
    "tol_tnw": D("2.00"),
    "tangible_net_worth": D(500),
    "net_sales": D(1000),
    "rm_months": D(1),
    "receivables_domestic_months": D(2),
    "creditors_months": D(1),
    "total_assets": D(2000),
    "total_liabilities": D(2000),
}


def run_checks(changes=None, *, dscr=None, iscr_value=None, shortfall=0, proposed=None,
               assessed=100, notes=None, sales=(1000, 1100)):  # fmt: skip
    assessed, sales = D(assessed), (D(sales[0]), D(sales[1]))
    projected = {**HEALTHY, "net_sales": sales[1], **(changes or {})}
    report = Figures({"2024-25": {**HEALTHY, "net_sales": sales[0]}, "2025-26": projected})

    class Assessed:
        assessed_limit = assessed
        applicable = "method_2"

    return readiness_checks(
        report,
        kinds={"2024-25": "audited", "2025-26": "estimated"},
        assessments={"2025-26": Assessed()},
        dscr=dscr or DscrTable(None, None, {}),
        iscr={"2025-26": iscr_value},
        additional_finance={"2025-26": D(shortfall)},
        proposed_limits=proposed,
        notes=notes or {},
    )


def levels(checks, code):
    return [check.level for check in checks if check.code == code]


def test_healthy_figures_raise_no_check():
    assert run_checks() == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.33", []), ("1.32", ["warning"]), ("1.17", ["warning"]), ("1.16", ["error"])],
)
def test_current_ratio_below_1_33_warns_and_below_1_17_is_an_error(value, expected):
    checks = run_checks({"current_ratio": D(value)})
    assert levels(checks, "current_ratio") == expected
    if expected:
        [check] = checks
        assert check.year == "2025-26" and check.figure == D(value)
        assert value in check.message and "2025-26" in check.message
        assert "long-term funds" in check.message  # what to change


@pytest.mark.parametrize(
    ("value", "expected"), [("3", []), ("3.01", ["warning"]), ("4", ["warning"]),
                            ("4.01", ["error"])],
)  # fmt: skip
def test_tol_tnw_above_3_warns_and_above_4_is_an_error(value, expected):
    assert levels(run_checks({"tol_tnw": D(value)}), "tol_tnw") == expected


def test_a_negative_net_worth_is_a_tol_tnw_error():
    checks = run_checks({"tol_tnw": D("-2"), "tangible_net_worth": D(-100)})
    assert levels(checks, "tol_tnw") == ["error"]


@pytest.mark.parametrize(
    ("average", "expected"),
    [("1.50", []), ("1.49", ["warning"]), ("1.25", ["warning"]), ("1.24", ["error"])],
)
def test_average_dscr_below_1_5_warns_and_below_1_25_is_an_error(average, expected):
    checks = run_checks(dscr=DscrTable(D(average), D(average), {"2025-26": None}))
    assert levels(checks, "dscr_average") == expected
    if expected:
        assert checks[0].year is None and checks[0].threshold in (
            THRESHOLDS["dscr_warning"], THRESHOLDS["dscr_error"])  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), [("2.00", []), ("1.99", ["warning"])])
def test_iscr_below_2_warns(value, expected):
    assert levels(run_checks(iscr_value=D(value)), "iscr") == expected


@pytest.mark.parametrize(
    ("growth", "note", "expected"),
    [
        (25, None, []),
        (26, None, ["warning"]),
        (41, None, ["error"]),
        (41, "New export order of ₹2 crore", ["warning"]),
        (30, "Capacity doubled", ["warning"]),
    ],
)
def test_sales_growth_above_25_warns_and_above_40_needs_a_note(growth, note, expected):
    notes = {"sales_growth:2025-26": note} if note else {}
    checks = run_checks(sales=(D(1000), D(1000 + growth * 10)), notes=notes)
    assert levels(checks, "sales_growth") == expected
    if expected:
        assert checks[0].note == note
        assert checks[0].figure == D(growth)


def test_a_note_by_code_alone_covers_every_year_and_a_years_note_wins():
    checks = run_checks(sales=(D(1000), D(1300)), notes={"sales_growth": "all years"})
    assert checks[0].note == "all years"
    checks = run_checks(
        sales=(D(1000), D(1300)),
        notes={"sales_growth": "all years", "sales_growth:2025-26": "this year"},
    )
    assert checks[0].note == "this year"


@pytest.mark.parametrize(("months", "expected"), [("3.00", []), ("3.01", ["warning"])])
def test_a_holding_level_above_1_5_times_the_last_actual_warns(months, expected):
    checks = run_checks({"receivables_domestic_months": D(months)})
    assert levels(checks, "holding_receivables_domestic_months") == expected


def test_a_holding_level_warning_carries_its_note():
    checks = run_checks(
        {"rm_months": D(2)}, notes={"holding_rm_months": "Bulk buying before a price rise"}
    )
    [check] = checks
    assert check.level == "warning" and check.note == "Bulk buying before a price rise"


@pytest.mark.parametrize(("shortfall", "expected"), [(0, []), (1, ["warning"])])
def test_a_cash_shortfall_warns(shortfall, expected):
    assert levels(run_checks(shortfall=shortfall), "cash_shortfall") == expected


@pytest.mark.parametrize(
    ("assessed", "proposed", "expected"),
    [(D(100), D(100), []), (D(99), D(100), ["warning"]), (D(50), None, [])],
)
def test_an_assessed_limit_below_the_proposed_warns(assessed, proposed, expected):
    checks = run_checks(assessed=assessed, proposed=proposed)
    assert levels(checks, "assessed_below_proposed") == expected


@pytest.mark.parametrize(("liabilities", "expected"), [(2000, []), ("1999.99", ["error"])])
def test_a_projected_balance_sheet_not_tying_is_always_an_error(liabilities, expected):
    checks = run_checks(
        {"total_liabilities": D(liabilities)}, notes={"balance_sheet_not_tying": "known"}
    )
    assert levels(checks, "balance_sheet_not_tying") == expected


def test_actual_years_are_not_checked():
    report = Figures({"2024-25": {**HEALTHY, "current_ratio": D("0.5")}})
    checks = readiness_checks(
        report, kinds={"2024-25": "audited"}, assessments={}, dscr=DscrTable(None, None, {}),
        iscr={}, additional_finance={}, proposed_limits=None, notes={},
    )  # fmt: skip
    assert checks == []


def test_a_real_projection_with_unexplained_growth_is_not_ready_until_noted():
    actual = compute(sample_books("shree-ganesh-polymers-private-limited"))
    data = {"assumptions": {"2026-27": {"sales_growth_pct": 45}}}
    plan = parse_plan(data, actual_years=actual.years)
    readiness = bank_readiness(project(actual, plan), plan)
    growth = [c for c in readiness.checks if c.code == "sales_growth"]
    assert [(c.year, c.level) for c in growth] == [("2026-27", "error")]
    assert not readiness.ready_to_send
    noted = parse_plan(
        {**data, "notes": {"sales_growth:2026-27": "Order book of ₹2 crore"}},
        actual_years=actual.years,
    )
    again = bank_readiness(project(actual, noted), noted)
    [check] = [c for c in again.checks if c.code == "sales_growth"]
    assert check.level == "warning" and check.note == "Order book of ₹2 crore"
    # Every projected balance sheet ties: that check never trips on a real projection.
    assert not [c for c in again.checks if c.code == "balance_sheet_not_tying"]
    body = again.as_json()
    assert set(body) >= {"assessment", "dscr", "iscr", "break_even", "term_loans", "checks"}
    assert set(body["assessment"]["2026-27"]) >= {
        "method_1", "method_2", "turnover_method", "applicable", "reason", "drawing_power",
        "excess_borrowing",
    }  # fmt: skip
