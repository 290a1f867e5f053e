"""The book's trade (trade.py, read by book.py): a transporter's running costs are its
direct costs, fuel a firm burns is power and fuel. Books written here."""

from projects.cma.classify.book import classify_book
from projects.cma.classify.trade import TRADES, fuels, trade_cost, trade_of
from tests.projects.cma.test_classify_book import book, heads

CARRIER = TRADES[0]

TRANSPORTER = (
    ("Freight Income", "", "Cr"),
    ("Lorry Hire Income", "", "Cr"),
    ("Interest on FD", "", "Cr"),
)


def test_most_revenue_ledgers_naming_freight_make_a_carrier() -> None:
    assert trade_of([" freight income ", " lorry hire receipt "]) is CARRIER
    assert trade_of([" freight income ", " sale tile "]) is CARRIER  # one of two: most


def test_freight_passed_on_or_a_minority_of_revenue_is_no_trade() -> None:
    assert trade_of([" freight recovered ", " sale tile "]) is None
    assert trade_of([" freight income ", " sale tile ", " sale sanitaryware "]) is None
    assert trade_of([]) is None


def test_a_carriers_crew_is_direct_labour_and_its_road_costs_direct_expenses() -> None:
    assert trade_cost(CARRIER, " truck driver salary ") == "direct_labour"
    assert trade_cost(CARRIER, " toll tax ") == "other_mfg_expenses"
    assert trade_cost(CARRIER, " audit fee ") is None


def test_a_transporters_running_costs_are_its_cost_of_service() -> None:
    items = book(
        *TRANSPORTER,
        ("To Toll Tax", "", "Dr"),
        ("Truck Repairs & Maintenance", "", "Dr"),
        ("Drivers & Cleaners Salary", "", "Dr"),
        ("Salary - Office Staff", "", "Dr"),
        ("Audit Fees", "", "Dr"),
    )
    found = heads(items)
    assert found["To Toll Tax"][0] == "other_mfg_expenses" and found["To Toll Tax"][2] == "book"
    assert found["Truck Repairs & Maintenance"][0] == "other_mfg_expenses"
    assert found["Drivers & Cleaners Salary"][0] == "direct_labour"
    assert found["Salary - Office Staff"][0] == "sga_expenses"
    assert found["Audit Fees"][0] == "sga_expenses"


def test_the_evidence_names_the_trade_and_keeps_the_overhead_as_runner_up() -> None:
    suggestion = classify_book(book(*TRANSPORTER, ("Toll Charges", "", "Dr")))[-1]
    assert "carries goods for hire" in suggestion.evidence[0]
    assert suggestion.alternatives[0][0] == "sga_expenses"


def test_a_group_that_says_overheads_keeps_a_transporters_office_car_there() -> None:
    items = book(*TRANSPORTER, ("Vehicle Running - Office Car", "Indirect Expenses", "Dr"))
    assert heads(items)["Vehicle Running - Office Car"][0] == "sga_expenses"


def test_the_same_costs_in_a_traders_books_stay_overheads() -> None:
    items = book(
        ("Sales - Tiles", "Sales Accounts", "Cr"),
        ("Freight Recovered", "Sales Accounts", "Cr"),
        ("Toll Charges", "", "Dr"),
        ("Drivers Salary", "", "Dr"),
    )
    found = heads(items)
    assert found["Toll Charges"][0] == "sga_expenses"
    assert found["Drivers Salary"][0] == "sga_expenses"


def test_hsd_and_diesel_are_one_fuel() -> None:
    assert fuels(frozenset({"hsd", "iocl"})) == fuels(frozenset({"diesel"})) == {"diesel"}
    assert fuels(frozenset({"tile"})) == frozenset()


def test_coal_a_brick_kiln_buys_is_its_fuel() -> None:
    items = book(("Sale of Bricks", "", "Cr"), ("Coal Purchase", "", "Dr"))
    head, confidence, method = heads(items)["Coal Purchase"]
    assert (head, method) == ("power_fuel", "book") and confidence >= 0.7


def test_fuel_a_pump_sells_is_bought_for_sale() -> None:
    items = book(("Sale of HSD", "", "Cr"), ("Diesel Purchase", "", "Dr"))
    assert heads(items)["Diesel Purchase"][0] == "purchases_rm"


def test_fuel_bought_under_the_firms_purchase_accounts_or_with_nothing_sold_stays() -> None:
    bought = book(("Sale of Bricks", "", "Cr"), ("Coal Purchase", "Purchase Accounts", "Dr"))
    assert heads(bought)["Coal Purchase"][0] == "purchases_rm"
    unsold = book(("Coal Purchase", "", "Dr"), ("Audit Fees", "", "Dr"))
    assert heads(unsold)["Coal Purchase"][2] != "book"


def test_a_pump_selling_one_fuel_buys_every_fuel_for_sale() -> None:
    items = book(("Sale - HSD", "", "Cr"), ("MS (Petrol) Purchase - IOCL", "", "Dr"))
    assert heads(items)["MS (Petrol) Purchase - IOCL"][0] == "purchases_rm"


def test_a_printed_transporters_freight_receipts_make_its_road_costs_direct() -> None:
    account = "Profit & Loss Account for the year ended 31-03-2025"
    items = book(
        ("By Freight Receipts", account, "Cr"),
        ("By Interest on FD", account, "Cr"),
        ("To Lorry Hire Charges (Market Vehicles)", account, "Dr"),
        ("To Salary", account, "Dr"),
    )
    found = heads(items)
    assert found["By Freight Receipts"][0] == "sales_domestic"
    assert found["To Lorry Hire Charges (Market Vehicles)"][0] == "other_mfg_expenses"
    assert found["To Salary"][0] == "sga_expenses"
