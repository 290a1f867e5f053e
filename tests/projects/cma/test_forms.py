"""The CMA forms reproduce the sample books' answer key, and behave on crafted books."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from projects.cma.forms import (
    FORMS,
    KEY_FIGURE_LABELS,
    KEY_FIGURES,
    RATIO_FIGURES,
    Const,
    Div,
    Head,
    IfBasis,
    IfGiven,
    Line,
    Period,
    Prev,
    YearBooks,
    books_from_items,
    compute,
    evaluate,
    key_figures,
    to_excel,
)
from projects.cma.heads import HEADS_BY_ID

SAMPLES = Path(__file__).parents[2] / "fixtures" / "samples"
SAMPLE_NAMES = ["mehta-traders", "shree-ganesh-polymers-private-limited"]
SHREE = "shree-ganesh-polymers-private-limited"
LAKH = Decimal(100000)


def truth(name: str) -> dict:
    return json.loads((SAMPLES / name / "truth.json").read_text())


def truth_items(name: str) -> list[tuple[str, str, Decimal, str]]:
    # Closing-stock items are ordinary items of their inventory heads.
    return [
        (item["year"], item["head"], Decimal(str(item["amount"])), item["side"])
        for item in truth(name)["line_items"]
    ]


def sample_books(name: str) -> list[YearBooks]:
    return books_from_items(truth_items(name), dict.fromkeys(truth(name)["years"], "trial_balance"))


def D(value: float | int | str) -> Decimal:
    return Decimal(str(value))


def tb(year: str, **heads: int | str) -> YearBooks:
    """Books from head totals (already signed), trial-balance basis."""
    return YearBooks(year, "trial_balance", {key: D(value) for key, value in heads.items()})


def statements(year: str, **heads: int | str) -> YearBooks:
    return YearBooks(year, "statements", {key: D(value) for key, value in heads.items()})


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_trial_balances_reproduce_every_key_figure_to_the_paisa(name):
    figures = key_figures(compute(sample_books(name)))

    for year, expected in truth(name)["key_figures"].items():
        assert set(figures[year]) == set(expected)
        for figure, value in expected.items():
            assert figures[year][figure] == D(value), (year, figure)


def test_key_figures_carry_exactly_the_api_names():
    figures = key_figures(compute(sample_books("mehta-traders")))

    assert list(figures) == ["2023-24", "2024-25"]
    assert tuple(figures["2023-24"]) == KEY_FIGURES
    assert set(KEY_FIGURES) == {
        "net_sales", "profit_before_tax", "net_profit", "total_current_assets",
        "total_current_liabilities", "total_term_liabilities", "net_worth",
        "tangible_net_worth", "total_assets", "total_liabilities", "current_ratio", "tol_tnw",
        "net_working_capital", "working_capital_gap", "mpbf_method_1", "mpbf_method_2",
    }  # fmt: skip


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_line_is_rounded_to_its_kind(name):
    report = compute(sample_books(name))
    places = {"money": -2, "months": -2, "ratio": -4, "percent": -4}

    for form in FORMS:
        for line in form.lines:
            for year in report.years:
                value = report.value(line.key, year)
                if value is not None:
                    assert value.as_tuple().exponent == places[line.kind], (line.key, year)


def test_a_trial_balance_adds_the_years_profit_to_the_opening_surplus():
    report = compute(sample_books("mehta-traders"))

    # Partners' current account 1,80,000 is the opening surplus; the profit 16,893.82 is added.
    assert report.value("pl_surplus", "2023-24") == D("180000")
    assert report.value("profit_for_year_added", "2023-24") == D("16893.82")
    assert report.value("net_worth", "2023-24") == D("427465.11")


def test_opening_stores_in_the_stores_head_are_consumed_net_of_the_closing_stores():
    report = compute(sample_books(SHREE))

    # 1,37,351.15 bought + 72,000.00 opening (in the same head) - 71,742.18 closing.
    assert report.value("spares_consumed", "2023-24") == D("137608.97")


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_fund_flow_net_surplus_is_met_by_the_change_in_bank_borrowings(name):
    report = compute(sample_books(name))

    assert report.value("ff_net_surplus", "2023-24") is None  # no 2022-23
    surplus = report.value("ff_net_surplus", "2024-25")
    assert surplus == -report.value("ff_bank_borrowings_change", "2024-25")
    assert surplus != 0


def test_a_dividend_in_a_trial_balance_leaves_the_balance_sheet_balanced():
    items = [item for item in truth_items(SHREE) if item[0] == "2023-24"]
    # Dividend paid out of the bank: debit dividend, credit cash. The books still agree.
    items += [("2023-24", "dividend", D(100000), "Dr"), ("2023-24", "cash_bank", D(100000), "Cr")]
    report = compute(books_from_items(items, {"2023-24": "trial_balance"}))

    assert report.value("retained_profit", "2023-24") == D("862974.12")
    assert report.value("total_assets", "2023-24") == report.value("total_liabilities", "2023-24")


def test_an_item_on_the_other_side_of_its_head_counts_negative():
    books = books_from_items(
        [
            ("2023-24", "pl_surplus", D(5000), "Dr"),  # a debit P&L balance: a deficit
            ("2023-24", "pl_surplus", D(2000), "Cr"),
            ("2023-24", "sales_domestic", D(100), "Cr"),
        ],
        {"2023-24": "trial_balance", "2024-25": "trial_balance"},
    )

    assert [b.year for b in books] == ["2023-24", "2024-25"]
    assert books[0].heads == {"pl_surplus": D(-3000), "sales_domestic": D(100)}
    assert books[1].heads == {}


def test_books_refuse_float_amounts_and_years_without_a_basis():
    with pytest.raises(TypeError):
        books_from_items([("2023-24", "sales_domestic", 100.5, "Cr")], {"2023-24": "statements"})
    with pytest.raises(ValueError, match="2024-25"):
        books_from_items([("2024-25", "sales_domestic", D(1), "Cr")], {"2023-24": "statements"})
    with pytest.raises(KeyError, match="no_such_head"):
        books_from_items([("2023-24", "no_such_head", D(1), "Cr")], {"2023-24": "statements"})


def test_an_unknown_first_opening_stock_is_nil_and_a_later_one_is_last_years_closing():
    report = compute(
        [
            statements("2023-24", sales_domestic=1000, purchases_rm=600, inventory_rm=100),
            statements("2024-25", sales_domestic=1200, purchases_rm=700, inventory_rm=150),
        ]
    )

    assert report.value("opening_rm", "2023-24") == 0
    assert report.value("rm_consumed", "2023-24") == D(500)
    assert report.value("opening_rm", "2024-25") == D(100)
    assert report.value("rm_consumed", "2024-25") == D(650)


def test_an_opening_stock_line_wins_over_last_years_closing():
    report = compute(
        [
            tb("2023-24", sales_domestic=1000, inventory_fg=100),
            tb("2024-25", sales_domestic=1000, opening_stock_fg=90, inventory_fg=120),
        ]
    )

    assert report.value("opening_fg", "2024-25") == D(90)


def test_a_gap_year_is_not_a_previous_year():
    report = compute(
        [
            statements("2021-22", sales_domestic=1000, inventory_rm=400),
            statements("2023-24", sales_domestic=1000, inventory_rm=100, purchases_rm=500),
        ]
    )

    assert report.value("opening_rm", "2023-24") == 0
    assert report.value("ff_net_surplus", "2023-24") is None
    assert report.value("ratio_net_sales_growth", "2023-24") is None


def test_raw_materials_consumed_from_a_statement_is_used_as_stated():
    report = compute([statements("2023-24", sales_domestic=1000, rm_consumed=600, inventory_rm=80)])

    assert report.value("rm_consumed", "2023-24") == D(600)
    # Purchases are derived for the creditors' holding period: consumed + closing - opening.
    assert report.value("purchases", "2023-24") == D(680)


def test_changes_in_inventories_replace_the_wip_and_finished_goods_stock_lines():
    books = books_from_items(
        [
            ("2024-25", "sales_domestic", D(1000), "Cr"),
            ("2024-25", "rm_consumed", D(500), "Dr"),
            ("2024-25", "changes_in_inventories", D(30), "Cr"),  # stocks went up by 30
            ("2024-25", "inventory_wip", D(70), "Dr"),
            ("2024-25", "inventory_fg", D(90), "Dr"),
            ("2024-25", "opening_stock_fg", D(60), "Dr"),
        ],
        {"2024-25": "statements"},
    )
    report = compute(books)

    for key in ("opening_wip", "closing_wip", "opening_fg", "closing_fg"):
        assert report.value(key, "2024-25") == 0
    assert report.value("cost_of_sales", "2024-25") == D(470)
    assert report.value("profit_before_tax", "2024-25") == D(530)
    assert report.value("inventory_fg", "2024-25") == D(90)  # the balance sheet keeps it


def test_statements_are_closed_books_so_nothing_is_added_to_the_surplus():
    report = compute(
        [statements("2023-24", sales_domestic=1000, sga_expenses=100, share_capital=50,
                    pl_surplus=900, cash_bank=950)]
    )  # fmt: skip

    assert report.value("net_profit", "2023-24") == D(900)
    assert report.value("profit_for_year_added", "2023-24") == 0
    assert report.value("net_worth", "2023-24") == D(950)


def test_a_ratio_over_nothing_is_blank():
    report = compute([tb("2023-24", sales_domestic=1000, cash_bank=1000, share_capital=1000)])

    assert report.value("total_current_liabilities", "2023-24") == 0
    assert report.value("current_ratio", "2023-24") is None
    assert key_figures(report)["2023-24"]["current_ratio"] is None


def test_mpbf_is_never_negative():
    # Other current liabilities exceed the current assets: a negative working capital gap.
    report = compute(
        [tb("2023-24", sales_domestic=1000, cash_bank=100, sundry_creditors=400,
            bank_borrowings_wc=50, gross_block=2000, share_capital=1650)]
    )  # fmt: skip

    assert report.value("working_capital_gap", "2023-24") == D(-300)
    assert report.value("mpbf_method_1", "2023-24") == 0
    assert report.value("mpbf_method_2", "2023-24") == 0
    assert report.value("excess_borrowing_method_1", "2023-24") == D(50)


def test_to_excel_renders_the_branch_that_applies_to_the_year():
    first = statements("2023-24", inventory_rm=1)
    second = tb("2024-25", opening_stock_rm=5)
    cells = {
        ("head", "opening_stock_rm", "2024-25"): "Inputs!D9",
        ("head", "inventory_rm", "2023-24"): "Inputs!C50",
        ("line", "inventory_rm", "2023-24"): "'Form III'!B30",
        ("line", "net_sales", "2024-25"): "C8",
        ("line", "net_sales", "2023-24"): "B8",
    }

    def cell_of(kind, key, year):
        return cells[(kind, key, year)]

    opening = IfGiven("opening_stock_rm", Head("opening_stock_rm"), Prev("inventory_rm", Const(0)))
    assert to_excel(opening, cell_of, Period(second, first)) == "Inputs!D9"
    assert to_excel(opening, cell_of, Period(first)) == "0"
    later = Period(statements("2024-25"), first)
    assert to_excel(Prev("inventory_rm", Const(0)), cell_of, later) == "'Form III'!B30"
    basis = IfBasis(Head("inventory_rm") - Const(3), Const("0.25") * Head("inventory_rm"))
    assert to_excel(basis, cell_of, Period(first)) == "0.25*Inputs!C50"
    growth = Div(Line("net_sales") - Prev("net_sales"), Prev("net_sales"))
    assert to_excel(growth, cell_of, Period(second, first)) == 'IF(B8=0,"",(C8-B8)/B8)'
    assert to_excel(growth, cell_of, Period(first)) == '""'  # no previous year: blank


def test_one_definition_evaluates_and_renders_negative_constants_and_sums():
    period = Period(tb("2023-24", sales_domestic=10))
    expr = Head("sales_domestic") + Const(-2) + 0

    assert to_excel(expr, lambda kind, key, year: "Inputs!C5", period) == "Inputs!C5+(-2)"
    assert evaluate(expr, period, lambda key, year: None) == D(8)


def test_line_keys_are_unique_and_every_reference_resolves():
    keys = [line.key for form in FORMS for line in form.lines]

    assert len(keys) == len(set(keys))
    compute([tb("2023-24"), tb("2024-25")])  # raises on an undefined or circular line


# The Schedule III statements of the same company, as printed (Rs. in lakhs, 2 decimals).
STATEMENT_HEADS = {
    "Share capital": "share_capital",
    "Reserves and surplus": "pl_surplus",  # closed: reserves and the surplus together
    "Long-term borrowings": "term_loans",
    "Other long-term liabilities": "other_term_liabilities",
    "Short-term borrowings - cash credit from banks": "bank_borrowings_wc",
    "Short-term borrowings - others": "st_borrowings_others",
    "Trade payables": "sundry_creditors",
    "Other current liabilities": "other_current_liabilities",
    "Short-term provisions": "provision_for_tax",
    "Property, plant and equipment (net)": "net_block",
    "Intangible assets": "intangible_assets",
    "Non-current investments": "noncurrent_investments",
    "Long-term loans and advances": "other_noncurrent_assets",
    "Inventories - raw materials": "inventory_rm",
    "Inventories - work-in-progress": "inventory_wip",
    "Inventories - finished goods": "inventory_fg",
    "Trade receivables": "receivables_domestic",
    "Cash and cash equivalents": "cash_bank",
    "Short-term loans and advances": "advances_to_suppliers",
    "Other current assets": "other_current_assets",
    "Revenue from operations": "sales_domestic",
    "Other income": "non_operating_income",
    "Cost of materials consumed": "rm_consumed",
    "Changes in inventories": "changes_in_inventories",
    "Employee benefits expense": "direct_labour",
    "Finance costs": "interest",
    "Depreciation and amortisation expense": "depreciation",
    "Other expenses": "sga_expenses",
    "Tax expense": "tax_provision",
}
AMOUNT = r"\(?-?[\d,]+\.\d+\)?"
STATEMENT_LINE = re.compile(rf"^(?P<label>.+?)(?:\s+\S*\d+)?\s+(?P<a>{AMOUNT})\s+(?P<b>{AMOUNT})$")


def statement_items() -> list[tuple[str, str, Decimal, str]]:
    """(year, head, amount, side) from the sample PDF: first column 2024-25, then 2023-24."""
    with pdfplumber.open(SAMPLES / SHREE / "financial-statements.pdf") as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    items, seen = [], set()
    for text in lines:
        match = STATEMENT_LINE.match(text.strip())
        if not match:
            continue
        label = match["label"]
        head_id = next(
            (h for prefix, h in STATEMENT_HEADS.items() if label.startswith(prefix)), None
        )
        if head_id is None or head_id in seen:
            continue
        seen.add(head_id)
        for year, printed in (("2024-25", match["a"]), ("2023-24", match["b"])):
            negative = printed.startswith("(") or printed.startswith("-")
            amount = Decimal(printed.strip("()-").replace(",", "")) * LAKH
            normal = HEADS_BY_ID[head_id].normal
            side = normal if not negative else ("Cr" if normal == "Dr" else "Dr")
            items.append((year, head_id, amount, side))
    assert seen == set(STATEMENT_HEADS.values()), set(STATEMENT_HEADS.values()) - seen
    return items


def test_schedule_iii_statements_reach_the_key_figures_within_the_pdfs_rounding():
    books = books_from_items(statement_items(), {"2023-24": "statements", "2024-25": "statements"})
    figures = key_figures(compute(books))
    expected = truth(SHREE)["key_figures"]
    # Every printed line is rounded to 0.01 lakh (up to Rs 500 off); a total gathers up to a
    # dozen of them.
    money_tolerance = D(6000)

    for year in ("2023-24", "2024-25"):
        for figure, value in expected[year].items():
            ours = figures[year][figure]
            if figure in ("current_ratio", "tol_tnw"):
                assert abs(ours - D(value)) <= D("0.01"), (year, figure)
            elif figure == "net_sales":
                # "Revenue from operations" includes the scrap sales that the trial balance
                # keeps apart as other operating income.
                scrap = sum(
                    amount for y, head_id, amount, _ in truth_items(SHREE)
                    if y == year and head_id == "other_operating_income"
                )  # fmt: skip
                assert abs(ours - (D(value) + scrap)) <= money_tolerance, (year, figure)
            else:
                assert abs(ours - D(value)) <= money_tolerance, (year, figure)


def test_statements_take_the_stated_inventory_change_and_consumption():
    books = books_from_items(statement_items(), {"2023-24": "statements", "2024-25": "statements"})
    report = compute(books)

    # Changes in inventories (2.71) lakhs: a credit, stocks went up.
    assert books[1].heads["changes_in_inventories"] == D(-271000)
    assert report.value("rm_consumed", "2024-25") == D(7143000)
    # The statement's own profit before tax, from its own lines: 120.17 - 98.90 lakhs.
    assert report.value("profit_before_tax", "2024-25") == D(2127000)
    assert report.value("profit_for_year_added", "2024-25") == 0


def test_every_key_figure_has_a_label_for_the_pages():
    assert set(KEY_FIGURE_LABELS) == set(KEY_FIGURES)
    assert set(KEY_FIGURES) >= RATIO_FIGURES
