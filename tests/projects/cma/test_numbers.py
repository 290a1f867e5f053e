from decimal import Decimal

import pytest

from projects.cma.extract.numbers import format_inr, parse_amount, unit_multiplier


def amount(text):
    return parse_amount(text)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,34,567.00", "1234567.00"),
        ("1,23,45,678.9", "12345678.90"),
        ("1,00,000", "100000.00"),
        ("12,345", "12345.00"),
        ("999", "999.00"),
        (".5", "0.50"),
    ],
)
def test_indian_digit_grouping_is_read(text, expected):
    assert parse_amount(text) == (Decimal(expected), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234,567.00", "1234567.00"), ("12,345,678", "12345678.00"), ("1234567.5", "1234567.50")],
)
def test_western_grouping_and_plain_digits_are_read(text, expected):
    assert amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(1,234)", "-1234.00"),
        ("(2.71)", "-2.71"),
        ("-1,234.50", "-1234.50"),
        ("1,234.50-", "-1234.50"),
        ("\u22121,234", "-1234.00"),
        ("(\u20b9 1,234)", "-1234.00"),
        ("-Rs.500", "-500.00"),
    ],
)
def test_brackets_and_leading_or_trailing_minus_make_a_negative(text, expected):
    assert amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,54,030.01 Cr", (Decimal("154030.01"), "Cr")),
        ("27,211.20 Dr", (Decimal("27211.20"), "Dr")),
        ("500 Dr.", (Decimal("500.00"), "Dr")),
        ("500 cr.", (Decimal("500.00"), "Cr")),
        ("500dr", (Decimal("500.00"), "Dr")),
        ("500 (Cr)", (Decimal("500.00"), "Cr")),
        ("Dr 75", (Decimal("75.00"), "Dr")),
        ("(100) Dr", (Decimal("-100.00"), "Dr")),
    ],
)
def test_dr_and_cr_marks_give_the_side(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["\u20b9 1,23,456.78", "Rs. 1,23,456.78", "Rs.123456.78", "INR 123456.78"]
)
def test_rupee_sign_rs_and_inr_prefixes_are_ignored(text):
    assert amount(text) == Decimal("123456.78")


@pytest.mark.parametrize(
    "value", [None, "", "  ", "-", "\u2013", "\u2014", "nil", "NIL", "Nil", "0"]
)
def test_blanks_dashes_and_nil_are_zero(value):
    assert parse_amount(value) == (Decimal("0.00"), None)


def test_spreadsheet_floats_are_converted_exactly_through_their_text():
    # 0.1 + 0.2 is 0.30000000000000004 in binary; the books meant 0.30.
    assert parse_amount(0.1 + 0.2) == (Decimal("0.30"), None)
    # Decimal(1234.565) is 1234.5649999...; through str it is 1234.565, rounded half up.
    assert parse_amount(1234.565) == (Decimal("1234.57"), None)
    assert parse_amount(18848921.5) == (Decimal("18848921.50"), None)
    assert parse_amount(42) == (Decimal("42.00"), None)
    assert parse_amount(Decimal("7.125")) == (Decimal("7.13"), None)


def test_amounts_are_always_decimal_rounded_to_paise():
    result, _ = parse_amount("1,234.5678")
    assert isinstance(result, Decimal)
    assert result == Decimal("1234.57")
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value", ["Particulars", "1,2,3", "31.03.2025", "12%", "Cr", "abc 12", True, float("nan")]
)
def test_what_is_not_an_amount_is_refused(value):
    assert parse_amount(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234567", "12,34,567.00"),
        ("123456789.5", "12,34,56,789.50"),
        ("999.999", "1,000.00"),
        ("12345", "12,345.00"),
        ("100", "100.00"),
        ("0", "0.00"),
        ("-4567.1", "-4,567.10"),
    ],
)
def test_format_inr_groups_in_lakhs_and_crores(value, expected):
    assert format_inr(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("line", "multiplier"),
    [
        ("(All amounts in Rs. lakhs unless otherwise stated)", 100_000),
        ("(\u20b9 in Lacs)", 100_000),
        ("\u20b9 in crores", 10_000_000),
        ("Amount in \u20b9 crores", 10_000_000),
        ("(Rs. in Cr.)", 10_000_000),
        ("Rs. in '000", 1_000),
        ("(Amount in Rs. thousands)", 1_000),
        ("(Rs. in millions)", 1_000_000),
    ],
)
def test_unit_lines_give_rupees_per_printed_unit(line, multiplier):
    assert unit_multiplier(line) == Decimal(multiplier)


@pytest.mark.parametrize("line", ["Balance Sheet", "Share capital of Rs. 10,000", "Amount in Rs."])
def test_lines_without_a_unit_give_none(line):
    assert unit_multiplier(line) is None
