"""Book-level evidence (book.py): a stock ledger that does not say which stock it is, read
against what the rest of the client's books sell, buy and spend. Books written here."""

from decimal import Decimal

from projects.cma.classify import classify_all
from projects.cma.classify.book import BookReading, classify_book, goods_words
from projects.cma.records import ExtractedItem


def book(*ledgers: tuple[str, str, str]) -> list[ExtractedItem]:
    return [
        ExtractedItem(
            year="2024-25",
            label=label,
            amount=Decimal("1000.00"),
            side=side,  # type: ignore[arg-type]
            source=f"tb:{n}",
            section=group,
        )
        for n, (label, group, side) in enumerate(ledgers, start=1)
    ]


MAKING = (
    ("Factory Wages", "Manufacturing Expenses", "Dr"),
    ("Factory Expenses", "Manufacturing Expenses", "Dr"),
    ("Power & Fuel - Boiler", "Manufacturing Expenses", "Dr"),
)


def heads(items: list[ExtractedItem]) -> dict[str, tuple[str | None, float, str]]:
    pairs = zip(items, classify_book(items), strict=True)
    return {i.label: (s.head, s.confidence, s.method) for i, s in pairs}


def test_goods_words_leave_out_how_a_ledger_is_kept() -> None:
    assert goods_words("Sales - Basmati Rice @ 5% GST (Interstate)") == {"basmati", "rice"}
    assert goods_words("Closing Stock") == frozenset()


def test_stock_of_what_a_mill_buys_to_make_its_product_is_raw_material() -> None:
    items = book(
        ("Paddy Purchase", "Purchase Accounts", "Dr"),
        ("Sales - Rice", "Sales Accounts", "Cr"),
        ("Stock of Paddy", "Stock-in-Hand", "Dr"),
        ("Stock of Rice", "Stock-in-Hand", "Dr"),
        *MAKING,
    )
    found = heads(items)
    assert found["Stock of Paddy"][:1] == ("inventory_rm",)
    assert found["Stock of Paddy"][1] >= 0.7 and found["Stock of Paddy"][2] == "book"
    assert found["Stock of Rice"][0] == "inventory_fg"


def test_opening_stock_of_the_goods_the_book_sells_is_finished_goods() -> None:
    items = book(
        ("Sale of Mustard Oil", "Sales Accounts", "Cr"),
        ("Mustard Seed Purchase", "Purchase Accounts", "Dr"),
        ("Opening Stock - Mustard Oil", "Stock-in-Hand", "Dr"),
        *MAKING,
    )
    assert heads(items)["Opening Stock - Mustard Oil"][0] == "opening_stock_fg"


def test_a_trader_without_making_costs_holds_finished_goods() -> None:
    items = book(
        ("Fertiliser Purchase (Urea/DAP)", "Purchase Accounts", "Dr"),
        ("Sales - Agri Inputs", "Sales Accounts", "Cr"),
        ("Shop Rent", "Indirect Expenses", "Dr"),
        ("Stock of Fertiliser", "Stock-in-Hand", "Dr"),
    )
    assert heads(items)["Stock of Fertiliser"][0] == "inventory_fg"


def test_a_traders_stock_of_goods_no_ledger_names_is_stock_in_trade_to_confirm() -> None:
    trade = (("Sales - Tiles", "", "Cr"), ("Purchase - Tiles", "", "Dr"))
    items = book(*trade, ("Opening Stock - Ceramic Items", "", "Dr"))
    head, confidence, method = heads(items)["Opening Stock - Ceramic Items"]
    assert (head, method) == ("opening_stock_fg", "book") and 0.7 <= confidence < 0.85
    made = book(*trade, *MAKING, ("Opening Stock - Ceramic Items", "", "Dr"))
    assert heads(made)["Opening Stock - Ceramic Items"][0] == "opening_stock_rm"


def test_goods_bought_and_sold_in_other_forms_stay_for_a_ca() -> None:
    # Bought as "GP Sheet", sold as "Sheet Metal Components": which stock is "Sheets"?
    items = book(
        ("GP Sheet Purchase", "Purchase Accounts", "Dr"),
        ("Sheet Metal Components Sale", "Sales Accounts", "Cr"),
        ("Closing Stock - Sheets", "", "Dr"),
        *MAKING,
    )
    head, confidence, method = heads(items)["Closing Stock - Sheets"]
    assert (head, method) == ("inventory_rm", "synonym") and confidence < 0.7


def test_a_kind_the_label_names_or_a_firms_decision_is_not_revised() -> None:
    items = book(
        ("Sales - Yarn", "Sales Accounts", "Cr"),
        ("Stock of Raw Material - Yarn", "Stock-in-Hand", "Dr"),
        *MAKING,
    )
    assert heads(items)["Stock of Raw Material - Yarn"][0] == "inventory_rm"


def test_the_evidence_names_the_ledger_that_decided() -> None:
    items = book(("Sales - Jaggery", "Sales Accounts", "Cr"), ("Jaggery Stock", "", "Dr"))
    suggestion = classify_book(items)[1]
    assert suggestion.head == "inventory_fg"
    assert "Sales - Jaggery" in suggestion.evidence[0]
    assert suggestion.alternatives[0][0] == "inventory_rm"


def test_a_reading_fed_in_chunks_decides_as_the_whole_book() -> None:
    items = book(("Stock of Gur", "Stock-in-Hand", "Dr"), ("Gur Sales", "Sales Accounts", "Cr"))
    whole = classify_book(items)
    reading = BookReading()
    for index, item in enumerate(items):  # one item a chunk: the sale comes after
        reading.add(index, item, classify_all([item])[0])
    assert reading.revised()[0] == whole[0]


def test_a_dealer_buying_under_purchase_accounts_what_it_sells_buys_goods_not_spares() -> None:
    items = book(
        ("Sale of Spares - Counter", "Sales Accounts", "Cr"),
        ("Purchase Spares 18%", "Purchase Accounts", "Dr"),
        ("Workshop Technician Wages", "Direct Expenses", "Dr"),
        *MAKING,
    )
    assert heads(items)["Purchase Spares 18%"][0] == "purchases_rm"


def test_a_makers_spares_stay_its_stores_though_it_sells_spares_too() -> None:
    items = book(
        ("Sales - Pumps", "Sales Accounts", "Cr"),
        ("Sales - Spares", "Sales Accounts", "Cr"),
        ("Spares Purchase", "Manufacturing Expenses", "Dr"),
        *MAKING,
    )
    assert heads(items)["Spares Purchase"][0] == "spares_consumed"


def test_a_book_with_no_sales_ledger_earns_its_revenue_from_fees_and_charges() -> None:
    # A cold storage: rent for the space is what it sells; interest stays other income.
    items = book(
        ("Storage Rent Received", "", "Cr"),
        ("Interest on FD Received", "", "Cr"),
        ("Electricity - Chambers", "", "Dr"),
        ("Ammonia Gas", "", "Dr"),
    )
    found = heads(items)
    assert found["Storage Rent Received"][0] == "sales_domestic"
    assert found["Storage Rent Received"][1] >= 0.7 and found["Storage Rent Received"][2] == "book"
    assert found["Interest on FD Received"][0] == "non_operating_income"


def test_fees_beside_a_sales_ledger_stay_what_their_words_say() -> None:
    items = book(
        ("Sales - Potato Seed", "Sales Accounts", "Cr"),
        ("Storage Rent Received", "", "Cr"),
    )
    found = heads(items)
    assert found["Storage Rent Received"][0] != "sales_domestic"
    assert found["Storage Rent Received"][2] != "book"


# A cloth merchant's books: porters and the shop's electricity, nothing made.
SHOP = (
    ("Sales @5%", "", "Cr"),
    ("Purchase @5%", "", "Dr"),
    ("Hamali & Palledari", "", "Dr"),
    ("Lorry Freight Inward", "Direct Expenses", "Dr"),
    ("Bijli Bill (Electricity)", "", "Dr"),
)


def test_a_traders_freight_porters_and_electricity_do_not_make_it_a_maker() -> None:
    stock = (("Opening Stock - Sarees", "", "Dr"), ("Closing Stock - Sarees", "", "Dr"))
    found = heads(book(*SHOP, *stock))
    # The stock of a book that sells goods and makes nothing is stock-in-trade.
    assert found["Opening Stock - Sarees"][0] == "opening_stock_fg"
    assert found["Closing Stock - Sarees"][0] == "inventory_fg"
    # Its electricity stays power and fuel, as the samples' answer key has a trader's.
    assert found["Bijli Bill (Electricity)"][0] == "power_fuel"
    mill = heads(book(*SHOP, *MAKING, ("Stock of Sarees", "", "Dr")))
    assert mill["Stock of Sarees"][0] == "inventory_rm"


def test_stock_of_goods_named_across_several_sales_ledgers_is_finished_goods() -> None:
    items = book(
        ("Paddy Purchases", "Purchase Accounts", "Dr"),
        ("Sale of Rice (Raw & Boiled)", "Sales Accounts", "Cr"),
        ("Sale of Broken Rice", "Sales Accounts", "Cr"),
        ("Sale of Rice Bran", "Sales Accounts", "Cr"),
        ("Broken Rice & Bran", "Stock-in-Hand", "Dr"),
        ("Rice (Raw & Boiled)", "Stock-in-Hand", "Dr"),
        ("Paddy", "Stock-in-Hand", "Dr"),
        *MAKING,
    )
    found = heads(items)
    assert found["Broken Rice & Bran"][0] == "inventory_fg"
    # "Raw" alone is a kind of rice here, not raw material.
    assert found["Rice (Raw & Boiled)"][0] == "inventory_fg"
    assert found["Paddy"][0] == "inventory_rm"
