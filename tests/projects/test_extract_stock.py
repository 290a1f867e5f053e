"""The extract step: closing stock given in a file of its own goes with the trial balance
of the same year, once; reading such a file is in cma/test_trial_balance_stock.py."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.cma.records import ExtractedItem, Extraction
from projects.models import LineItem
from projects.steps.extract import choose_sources
from tests.conftest import api_client
from tests.projects.test_cma_bad_inputs import run

TB, STOCK, SECOND_STOCK = 1, 2, 3
NAMES = {TB: "TB 2023-24.xlsx", STOCK: "Closing Stock.xlsx", SECOND_STOCK: "stock.csv"}


def item(label, amount, side="Dr", year="2023-24", closing_stock=False):
    return ExtractedItem(
        year=year,
        label=label,
        amount=Decimal(amount),
        side=side,
        source="Sheet1!A2",
        closing_stock=closing_stock,
    )


def trial_balance(*extra):
    items = [item("Capital", "1000", "Cr"), item("Cash", "1000"), *extra]
    return Extraction(items=items, years=sorted({i.year for i in items}), basis="trial_balance")


def stock_file(*years):
    items = [item("Raw Material", "250", year=year, closing_stock=True) for year in years]
    return Extraction(items=items, years=list(years), basis="trial_balance")


def test_a_stock_file_adds_its_stock_to_the_trial_balance_of_the_same_year():
    chosen, warnings, _ = choose_sources(NAMES, {TB: trial_balance(), STOCK: stock_file("2023-24")})
    assert [(f, i.label, i.closing_stock) for f, i in chosen] == [
        (TB, "Capital", False),
        (TB, "Cash", False),
        (STOCK, "Raw Material", True),
    ]
    assert not warnings[STOCK]


def test_stock_in_the_trial_balance_and_in_a_stock_file_is_counted_once_with_a_warning():
    own = item("Closing Stock", "240", closing_stock=True)
    chosen, warnings, _ = choose_sources(
        NAMES, {TB: trial_balance(own), STOCK: stock_file("2023-24")}
    )
    assert [i.label for f, i in chosen if i.closing_stock] == ["Closing Stock"]
    assert warnings[STOCK] == [
        "Closing Stock.xlsx gives the closing stock of 2023-24 (\u20b9250.00), but TB "
        "2023-24.xlsx already gives the closing stock of 2023-24 (\u20b9240.00); its figures "
        "were not added, so the stock is not counted twice."
    ]


def test_two_stock_files_of_one_year_add_the_first_and_warn_of_the_second():
    results = {
        TB: trial_balance(),
        STOCK: stock_file("2023-24"),
        SECOND_STOCK: stock_file("2023-24"),
    }
    chosen, warnings, _ = choose_sources(NAMES, results)
    assert [f for f, i in chosen if i.closing_stock] == [STOCK]
    assert "Closing Stock.xlsx already gives the closing stock" in warnings[SECOND_STOCK][0]


def test_a_stock_file_whose_year_has_no_trial_balance_is_named_in_a_warning_not_added():
    chosen, warnings, _ = choose_sources(
        NAMES, {TB: trial_balance(), STOCK: stock_file("2023-24", "2024-25")}
    )
    assert [i.year for f, i in chosen if f == STOCK] == ["2023-24"]
    assert warnings[STOCK] == [
        "Closing Stock.xlsx gives the closing stock of 2024-25, but no trial balance of "
        "2024-25 was read; its figures for 2024-25 were not added."
    ]


def test_a_stock_file_does_not_compete_with_the_trial_balance_for_its_year():
    # Uploaded first, it would have won the year as the earlier trial-balance source.
    chosen, warnings, _ = choose_sources(NAMES, {STOCK: stock_file("2023-24"), TB: trial_balance()})
    assert {i.label for _, i in chosen} == {"Capital", "Cash", "Raw Material"}
    assert not warnings[TB]


# ----------------------------------------------------------------------------------------
# Through the pipeline
# ----------------------------------------------------------------------------------------

TB_CSV = (
    "Trial Balance 1-Apr-2024 to 31-Mar-2025\n"
    "Particulars,Debit,Credit\n"
    "Capital Account,,50000.00\n"
    "Sales,,150000.00\n"
    "Purchases,120000.00,\n"
    "Cash in Hand,80000.00,\n"
)
STOCK_CSV = "Closing stock (at cost)\nItem,31-03-2025\nTrading Goods,45000.00\n"


def test_a_stock_csv_uploaded_with_its_trial_balance_becomes_its_closing_stock(project, alice):
    progress = run(
        api_client(alice),
        project.pk,
        [
            SimpleUploadedFile("closing_stock.csv", STOCK_CSV.encode()),
            SimpleUploadedFile("tb.csv", TB_CSV.encode()),
        ],
        skip_review=True,
        skip_validation=True,
    )
    assert progress["steps"][0]["status"] == "completed"
    stock = LineItem.objects.get(project=project, label="Trading Goods")
    assert (stock.year, stock.amount, stock.closing_stock) == ("2024-25", Decimal("45000"), True)
    assert LineItem.objects.filter(project=project, closing_stock=False).count() == 4


def test_closing_stock_alone_fails_the_step_asking_for_its_trial_balance(project, alice):
    progress = run(
        api_client(alice),
        project.pk,
        [SimpleUploadedFile("closing_stock.csv", STOCK_CSV.encode())],
    )
    assert progress["status"] == "failed"
    error = progress["steps"][0]["error"]
    assert "closing_stock.csv holds closing stock only" in error
    assert "upload the trial balance" in error
