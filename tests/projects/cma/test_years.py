import pytest

from projects.cma.years import fiscal_year_label, fiscal_years_in, parse_fiscal_year


@pytest.mark.parametrize(
    "text",
    [
        "FY 2023-24",
        "F.Y. 2023-2024",
        "fy2023-24",
        "Financial Year 2023-24",
        "2023-24",
        "2023-2024",
        "2023\u201324",
        "2023 - 24",
        "FY 23-24",
        "FY24",
        "FY 2024",
        "1-Apr-2023 to 31-Mar-2024",
        "01/04/2023 to 31/03/2024",
        "01.04.2023-31.03.2024",
        "Period: 01-Apr-2023 To 31-Mar-2024",
        "1st of April 2023 to 31st of March 2024",
        "As at 31.03.2024",
        "31-03-2024",
        "31/03/2024",
        "31/03/24",
        "31-Mar-24",
        "31 March 2024",
        "March 31, 2024",
        "31st March, 2024",
        "For the year ended 31 March 2024",
        "2024-03-31",
        "2024-03-31 00:00:00",
        "A.Y. 2024-25",
        "Assessment Year 2024-25",
        "INV/2023-24/015",
        "trial-balance-2023-24.xlsx",
        "March 2024",
        "Mar-24",
        "Stock statement for the month ending Mar'24 (at cost)",
    ],
)
def test_each_way_of_writing_a_year_names_2023_24(text):
    assert fiscal_years_in(text) == ["2023-24"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Trial Balance",
        "2023-25",
        "2023-2025",
        "2024-23",
        "1-Apr-2023",
        "Opening balance as on 01/04/2023",
        "31 December 2024",
        "30.09.2024",
        "Ph. 022-2023-2024",
        "Mobile 98202 32024",
        "Tel 2023-2024-55",
        "12,34,567.00",
        "2,023.24",
        "Ref 12023-245",
        "Ref 2023-245",
        "GSTIN 27AABCU9603R1ZX",
        "1985-86",
        "2100-01",
        "Market 2023",
        "Financial year 2024",
        "32-Mar-2024",
        "Marketing 2024",
    ],
)
def test_text_that_names_no_fiscal_year(text):
    assert fiscal_years_in(text) == []


def test_statement_with_current_and_previous_year_names_both():
    text = "Particulars Note As at 31.03.2025 As at 31.03.2024"
    assert fiscal_years_in(text) == ["2023-24", "2024-25"]


def test_years_are_sorted_and_unique():
    text = "FY 2024-25 | FY 2023-24 | 2024-25 | year ended 31 March 2025"
    assert fiscal_years_in(text) == ["2023-24", "2024-25"]


def test_csv_header_with_two_year_columns_names_both():
    assert fiscal_years_in("Ledger,FY 2023-24,FY 2024-25") == ["2023-24", "2024-25"]


def test_opening_date_alone_does_not_add_the_next_year():
    text = "Balance as on 1-Apr-2024\nYear ended 31-Mar-2024"
    assert fiscal_years_in(text) == ["2023-24"]


def test_period_from_1_april_to_a_date_inside_the_year_names_that_year():
    assert fiscal_years_in("1-Apr-2024 to 31-Dec-2024") == ["2024-25"]


def test_period_over_two_whole_years_names_both():
    text = "From 1st April, 2022 to 31st March, 2024"
    assert fiscal_years_in(text) == ["2022-23", "2023-24"]


def test_assessment_and_financial_year_of_the_same_return_agree():
    assert fiscal_years_in("Previous Year 2023-24, Assessment Year 2024-25") == ["2023-24"]


def test_year_across_the_century():
    assert fiscal_years_in("FY 1999-00") == ["1999-00"]
    assert fiscal_years_in("1999-2000") == ["1999-00"]


def test_dates_on_different_lines_are_not_joined_into_a_span():
    assert fiscal_years_in("2023\n-24") == []


@pytest.mark.parametrize(
    ("start_year", "label"), [(2023, "2023-24"), (1999, "1999-00"), (2009, "2009-10")]
)
def test_fiscal_year_label(start_year, label):
    assert fiscal_year_label(start_year) == label


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-24", "2023-24"),
        ("2023-2024", "2023-24"),
        (" 2023 - 24 ", "2023-24"),
        ("2023/24", "2023-24"),
        ("2023\u201324", "2023-24"),
        ("23-24", "2023-24"),
        ("FY 2023-24", "2023-24"),
        ("F.Y. 2023-2024", "2023-24"),
        ("fy2023-24", "2023-24"),
        ("FY24", "2023-24"),
        ("FY 24", "2023-24"),
        ("FY2024", "2023-24"),
        ("1999-00", "1999-00"),
    ],
)
def test_parse_fiscal_year_normalizes_what_people_type(value, expected):
    assert parse_fiscal_year(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "2024",
        "24",
        "Financial Year 2024",
        "2023-25",
        "2024-23",
        "1989-90",
        "2100-01",
        "FY",
        "abc",
        "2023-24 and more",
    ],
)
def test_parse_fiscal_year_refuses_what_is_not_one_year(value):
    assert parse_fiscal_year(value) is None
