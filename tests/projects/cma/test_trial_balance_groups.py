"""Tally's detailed trial balance: groups with their subtotals, ledgers under them."""

from decimal import Decimal

import pytest

from projects.cma.extract import extract_file
from projects.cma.extract.trial_balance.hierarchy import Entry, arrange, chain, check
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


# ----------------------------------------------------------------------------------------
# Marg's trial balance: a heading, its ledgers, then "GROUP TOTAL" with both columns
# ----------------------------------------------------------------------------------------

# (group, [(ledger, Dr/Cr, amount)]): groups with debit and credit members, as Marg prints
# them, each group's total adding its debits and its credits in their own columns.
MARG_GROUPS = [
    (
        "CAPITAL ACCOUNT",
        [("RAVI SHAH CAPITAL A/C", "Cr", 300000), ("RAVI SHAH DRAWING A/C", "Dr", 40000)],
    ),
    ("SECURED LOANS", [("UNION BANK OD A/C", "Cr", 150000)]),
    (
        "SUNDRY CREDITORS",
        [("Mehta Pharma", "Cr", 60000), ("Zenith Drugs (DR BAL)", "Dr", 5000)],
    ),
    ("FIXED ASSETS", [("SHOP FURNITURE", "Dr", 125000), ("COMPUTER", "Dr", 35000)]),
    ("CASH-IN-HAND", [("CASH", "Dr", 25000)]),
    ("SUNDRY DEBTORS", [("Patil Medicos", "Dr", 180000), ("Shree Clinic", "Dr", 120000)]),
    ("SALE ACCOUNTS", [("SALES GST 12%", "Cr", 500000), ("SALE RETURN", "Dr", 20000)]),
    ("PURCHASE ACCOUNTS", [("PURCHASE GST 12%", "Dr", 460000)]),
]
MARG_LEDGERS = {ledger: group for group, ledgers in MARG_GROUPS for ledger, *_ in ledgers}


def marg_rows(*, indented=True, wrong_total_of=None):
    """Marg's printed layout: titles, ACCOUNT NAME | DEBIT | CREDIT, each group's name with
    no figure, its ledgers (two spaces in), "GROUP TOTAL" (further in) and a blank row."""
    rows = [
        ["ASHA MEDICAL STORES", None, None],
        ["TRIAL BALANCE AS ON 31/03/2024", None, None],
        [None, None, None],
        ["ACCOUNT NAME", "DEBIT", "CREDIT"],
    ]
    grand_dr = grand_cr = 0
    for group, ledgers in MARG_GROUPS:
        rows.append([group, None, None])
        dr = cr = 0
        for ledger, side, amount in ledgers:
            name = f"  {ledger}" if indented else ledger
            rows.append([name, amount, None] if side == "Dr" else [name, None, amount])
            dr += amount if side == "Dr" else 0
            cr += amount if side == "Cr" else 0
        grand_dr, grand_cr = grand_dr + dr, grand_cr + cr
        if group == wrong_total_of:
            dr += 1000
        total = "        GROUP TOTAL" if indented else "GROUP TOTAL"
        rows.append([total, dr or None, cr or None])
        rows.append([None, None, None])
    rows.append(["GRAND TOTAL", grand_dr, grand_cr])
    return rows


@pytest.mark.parametrize("indented", [True, False])
def test_marg_group_totals_under_the_ledgers_close_the_group_named_above_them(tmp_path, indented):
    path = write_xlsx(tmp_path / "tb.xlsx", {"2023-24": marg_rows(indented=indented)})
    extraction = extract_file(path=path, kind="xlsx", name="ASHA TB.xlsx")
    assert extraction.warnings == []
    assert {i.label: i.section for i in extraction.items} == MARG_LEDGERS
    zenith = next(i for i in extraction.items if i.label == "Zenith Drugs (DR BAL)")
    assert (zenith.amount, zenith.side) == (Decimal("5000.00"), "Dr")
    assert extraction.totals == {"2023-24": (Decimal("1010000.00"), Decimal("1010000.00"))}
    group_totals = [s for s in extraction.skipped if s.text == "GROUP TOTAL"]
    assert len(group_totals) == len(MARG_GROUPS)
    assert all(s.kind == "total" for s in group_totals)
    capital = next(s for s in extraction.skipped if s.text == "CAPITAL ACCOUNT")
    assert (
        capital.reason == "a group heading: its total is printed below its 2 ledgers (2023-24!A8)"
    )
    grand = next(s for s in extraction.skipped if s.text == "GRAND TOTAL")
    assert (grand.kind, grand.reason) == ("total", "the table's total: matches its 13 ledgers")


def test_a_marg_group_total_its_ledgers_do_not_make_is_a_mismatch_naming_its_row(tmp_path):
    rows = marg_rows(wrong_total_of="SUNDRY CREDITORS")
    path = write_xlsx(tmp_path / "tb.xlsx", {"2023-24": rows})
    with pytest.raises(MismatchError) as error:
        extract_file(path=path, kind="xlsx", name="ASHA TB.xlsx")
    message = str(error.value)
    assert '"GROUP TOTAL" (2023-24!A17)' in message
    assert '"Mehta Pharma", "Zenith Drugs (DR BAL)"' in message


# ----------------------------------------------------------------------------------------
# TallyPrime's xlsx: three spaces a level in the names and a cell indent on each ledger
# ----------------------------------------------------------------------------------------


def test_tallyprime_spaces_and_ledger_indents_keep_a_ledger_beside_sub_groups_in_its_group(
    tmp_path,
):
    # Cash-in-Hand is a ledger straight under Current Assets, after the Sundry Debtors
    # sub-group: its spaces put it beside that sub-group, its cell indent deeper.
    rows = tally_detailed_rows()
    indents = [0] * (len(rows) - len(TALLY_GROUPS) - 1)
    indents += [1 if label in TALLY_LEDGERS else 0 for label, *_ in TALLY_GROUPS] + [0]
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows}, {"Trial Balance": indents})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert_reads_tally_groups(extraction)


def test_a_grand_total_of_each_ledger_in_its_own_column_agrees_beside_net_subtotals(tmp_path):
    # Sundry Creditors holds an advance (Chetan Packaging, 5,000 Dr): its subtotal is net,
    # while this grand total adds that debit to the debit column.
    rows = tally_detailed_rows()
    rows[-1] = ["Grand Total", 1570000.0, 1570000.0]
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert extraction.warnings == []
    assert {i.label: i.section for i in extraction.items} == CHAINS
    grand = next(s for s in extraction.skipped if s.text == "Grand Total")
    assert grand.kind == "total"


# ----------------------------------------------------------------------------------------
# Tally's detailed print: top-level groups in the outer column, all else in the inner one
# ----------------------------------------------------------------------------------------


def test_a_top_level_ledger_in_the_inner_column_stays_out_of_the_group_above_it(tmp_path):
    # Tally prints a ledger under no group ("Opening Stock") in the inner column, where the
    # sub-groups' and ledgers' figures stand; only its indentation says it is top-level.
    rows = tally_detailed_rows(group_column=True)
    rows[-1:] = [
        ["Opening Stock", 80000.0, None, None, None],
        ["Profit & Loss A/c", None, None, 80000.0, None],
        ["Grand Total", 1645000.0, None, 1645000.0, None],
    ]
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": rows})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert extraction.warnings == []
    sections = {i.label: i.section for i in extraction.items}
    assert sections == {**CHAINS, "Opening Stock": "", "Profit & Loss A/c": ""}


def detailed_print_rows():
    """Tally's detailed print saved to Excel: two labelled Debit | Credit pairs under one
    "Closing Balance", the inner pair for ledgers and sub-groups, the outer for groups."""
    rows = [list(row) for row in tally_detailed_rows()[:4]]
    rows += [
        ["Particulars", COMPANY, None, None, None],
        [None, "1-Apr-2023 to 31-Mar-2024", None, None, None],
        [None, "Closing Balance", None, None, None],
        [None, "Debit", "Credit", "Debit", "Credit"],
    ]
    for label, level, side, amount in TALLY_GROUPS:
        cells = ["  " * level + label, None, None, None, None]
        column = (3 if level == 0 else 1) + (0 if side == "Dr" else 1)
        cells[column] = float(amount)
        rows.append(cells)
    rows.append(["Opening Stock", 80000.0, None, None, None])
    rows.append(["Profit & Loss A/c", None, 80000.0, None, None])
    rows.append(["Grand Total", None, None, 1645000.0, 1645000.0])
    return rows


def test_tally_detailed_print_with_two_labelled_pairs_reads_ledgers_from_the_inner_pair(
    tmp_path,
):
    path = write_xlsx(tmp_path / "tb.xlsx", {"Trial Balance": detailed_print_rows()})
    extraction = extract_file(path=path, kind="xlsx", name="Kaveri TB.xlsx")
    assert extraction.warnings == []
    sections = {i.label: i.section for i in extraction.items}
    assert sections == {**CHAINS, "Opening Stock": "", "Profit & Loss A/c": ""}
    assert extraction.totals == {"2023-24": (Decimal("1645000.00"), Decimal("1645000.00"))}


def test_a_groups_own_ledgers_after_its_sub_group_go_back_to_the_group():
    # TallyPrime lists Current Liabilities' own ledger after its Provisions sub-group, with
    # the same cell indent as the sub-group's ledgers: only the subtotals tell them apart.
    # (No grand total here: nothing else could regroup the rows.)
    rows = [
        ("Current Liabilities", "-330000", 0),
        ("  Duties & Taxes", "-10000", 2),
        ("Output CGST", "-10000", 8),
        ("  Provisions", "-120000", 2),
        ("Provision for Tax", "-100000", 8),
        ("Audit Fees Payable", "-20000", 8),
        ("Advance from Customer", "-180000", 8),
        ("  Sundry Creditors", "-20000", 2),
        ("Lotus Traders", "-20000", 8),
    ]
    entries = [
        Entry(row=n, label=label, amounts=(Decimal(amount),), depth=depth)
        for n, (label, amount, depth) in enumerate(rows)
    ]
    arrange(entries, 1, None)
    assert check(entries, 1) == []
    assert [chain(entries, i) for i in (2, 4, 5, 6, 8)] == [
        "  Duties & Taxes / Current Liabilities",
        "  Provisions / Current Liabilities",
        "  Provisions / Current Liabilities",
        "Current Liabilities",
        "  Sundry Creditors / Current Liabilities",
    ]
