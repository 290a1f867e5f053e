"""Tally's detailed trial balance: groups with their subtotals, ledgers under them."""

from decimal import Decimal

import pytest

from projects.cma.extract import extract_file
from projects.cma.records import MismatchError
from tests.projects.cma.tb_files import (
    COMPANY,
    TALLY_GRAND_TOTAL,
    TALLY_GROUPS,
    TALLY_LEDGERS,
    levels_of,
    tally_detailed_rows,
    write_csv,
    write_xlsx,
)

# ----------------------------------------------------------------------------------------
# Tally's detailed trial balance: groups with their subtotals, ledgers under them
# ----------------------------------------------------------------------------------------

CHAINS = {
    "Equity Share Capital": "Capital Account",
    "HDFC Bank Cash Credit": "Secured Loans / Loans (Liability)",
    "HDFC Term Loan": "Secured Loans / Loans (Liability)",
    "GST Payable": "Duties & Taxes / Current Liabilities",
    "Arihant Yarns": "Sundry Creditors / Current Liabilities",
    "Balaji Dyes": "Sundry Creditors / Current Liabilities",
    "Chetan Packaging": "Sundry Creditors / Current Liabilities",
    "Plant & Machinery": "Fixed Assets",
    "Factory Building": "Fixed Assets",
    "Deepak Garments": "Sundry Debtors / Current Assets",
    "Eastern Fabrics": "Sundry Debtors / Current Assets",
    "Cash-in-Hand": "Current Assets",
    "SBI Current A/c": "Bank Accounts / Current Assets",
}


def assert_reads_tally_groups(extraction):
    assert extraction.warnings == []
    assert {i.label for i in extraction.items} == TALLY_LEDGERS
    assert {i.label: i.section for i in extraction.items} == CHAINS
    chetan = next(i for i in extraction.items if i.label == "Chetan Packaging")
    assert (chetan.amount, chetan.side) == (Decimal("5000.00"), "Dr")
    debit = sum(i.amount for i in extraction.items if i.side == "Dr")
    credit = sum(i.amount for i in extraction.items if i.side == "Cr")
    assert debit == credit == Decimal("1570000.00")  # ledgers, not groups as well
    assert extraction.totals == {"2023-24": (TALLY_GRAND_TOTAL, TALLY_GRAND_TOTAL)}
    groups = {s.text for s in extraction.skipped if s.reason.startswith("a group's subtotal")}
    assert groups == {label for label, *_ in TALLY_GROUPS} - TALLY_LEDGERS
    assert all(
        s.kind == "total" for s in extraction.skipped if s.reason.startswith("a group's subtotal")
    )
    assert extraction.company == COMPANY
    assert extraction.ledger_groups["Arihant Yarns"] == "Sundry Creditors / Current Liabilities"


def test_tally_detailed_xlsx_with_indented_names_gives_ledgers_with_their_group_chain(tmp_path):
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": tally_detailed_rows()})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_xlsx_indented_by_cell_format_reads_the_hierarchy(tmp_path):
    rows = tally_detailed_rows(spaces=False)
    indents = [0] * (len(rows) - len(TALLY_GROUPS) - 1) + levels_of() + [0]
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows}, {"Trial Balance": indents})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_with_group_subtotals_in_their_own_column_is_read(tmp_path):
    rows = tally_detailed_rows(spaces=False, group_column=True)
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_csv_with_indented_names_is_read_the_same(tmp_path):
    path = write_csv(tmp_path / "tb.csv", tally_detailed_rows())
    extraction = extract_file(path=path, kind="csv", name="Kaveri TB.csv")
    assert_reads_tally_groups(extraction)


def test_tally_detailed_csv_without_any_indentation_is_grouped_by_its_subtotals(tmp_path):
    path = write_csv(tmp_path / "tb.csv", tally_detailed_rows(spaces=False))
    extraction = extract_file(path=path, kind="csv", name="Kaveri TB.csv")
    assert_reads_tally_groups(extraction)


def test_a_group_subtotal_its_ledgers_do_not_make_is_a_mismatch_naming_them(tmp_path):
    groups = [
        (label, level, side, "170000.00" if label == "Sundry Creditors" else amount)
        for label, level, side, amount in TALLY_GROUPS
    ]
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": tally_detailed_rows(groups)})
    with pytest.raises(MismatchError) as error:
        extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    message = str(error.value)
    assert '"Sundry Creditors"' in message
    assert "\u20b910,000.00 apart" in message
    assert '"Arihant Yarns", "Balaji Dyes", "Chetan Packaging"' in message
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx", accept_mismatches=True)
    assert message.splitlines()[0] in extraction.warnings
    assert {i.label for i in extraction.items} == TALLY_LEDGERS
    creditors = next(s for s in extraction.skipped if s.text == "Sundry Creditors")
    assert creditors.kind == "ignored"


def test_a_flat_trial_balance_with_equal_neighbours_is_not_regrouped(tmp_path):
    path = write_xlsx(
        tmp_path / "tb.xlsx",
        {
            "TB": [
                ["Particulars", "Debit", "Credit"],
                ["Rent Deposit - Shop", 15000, None],
                ["Rent Deposit - Godown", 15000, None],
                ["Capital", None, 30000],
                ["Grand Total", 30000, 30000],
            ]
        },
    )
    extraction = extract_file(path=path, kind="xlsx", fiscal_year="2023-24")
    assert [i.label for i in extraction.items] == [
        "Rent Deposit - Shop",
        "Rent Deposit - Godown",
        "Capital",
    ]
    assert all(i.section == "" for i in extraction.items)
