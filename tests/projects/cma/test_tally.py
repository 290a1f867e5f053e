"""Tally XML exports: the Trial Balance report (detailed and condensed) and masters."""

from decimal import Decimal

import pytest

from projects.cma.classify import classify
from projects.cma.extract import extract_file
from projects.cma.records import ExtractionError, MismatchError
from tests.projects.cma import tally_files
from tests.projects.cma.tally_files import (
    COMPANY,
    company_tree,
    find,
    ledgers_of,
    masters,
    trial_balance,
)


def write(tmp_path, data, name="export.xml"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def extract(tmp_path, data, **options):
    options.setdefault("fiscal_year", "2023-24")
    return extract_file(path=write(tmp_path, data), kind="xml", name="TB FY24.xml", **options)


def expected_items(tree):
    return [(name, abs(net), "Cr" if net > 0 else "Dr") for name, net, _ in ledgers_of(tree)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "ascii"])
def test_detailed_trial_balance_gives_every_ledger_once_with_its_groups(tmp_path, encoding):
    tree = company_tree()
    extraction = extract(tmp_path, trial_balance(tree, encoding=encoding))
    got = [(i.label, i.amount, i.side) for i in extraction.items]
    assert got == expected_items(tree)
    sections = {i.label: i.section for i in extraction.items}
    assert sections["Bharat Steel Traders"] == "Sundry Creditors / Current Liabilities"
    # A company's own group that nothing names is found by its arithmetic.
    assert sections["Shree Electricals"] == (
        "Creditors for Expenses / Sundry Creditors / Current Liabilities"
    )
    assert sections["Sunita Sharma"] == "Loan from Directors / Unsecured Loans / Loans (Liability)"
    assert sections["Profit & Loss A/c"] == ""
    assert extraction.years == ["2023-24"]
    assert extraction.totals["2023-24"][0] == extraction.totals["2023-24"][1]
    assert extraction.warnings == []


def test_every_row_is_an_item_or_a_matched_group_total(tmp_path):
    tree = company_tree()
    data = trial_balance(tree, encoding="utf-8")
    rows = data.decode().count("<DSPACCNAME>")
    extraction = extract(tmp_path, data)
    assert len(extraction.items) + len(extraction.skipped) == rows
    assert {row.kind for row in extraction.skipped} == {"total"}
    creditors = next(row for row in extraction.skipped if row.text == "Sundry Creditors")
    assert creditors.reason == "a group total: matches the 3 lines (ledgers and groups) under it"


def test_equal_ledgers_one_after_another_are_not_taken_for_a_group(tmp_path):
    tree = company_tree()
    extraction = extract(tmp_path, trial_balance(tree))
    labels = [item.label for item in extraction.items]
    assert "Output CGST" in labels and "Output SGST" in labels


def test_group_rows_showing_both_columns_are_subtotals_too(tmp_path):
    tree = company_tree()
    extraction = extract(tmp_path, trial_balance(tree, gross=True))
    assert [(i.label, i.amount, i.side) for i in extraction.items] == expected_items(tree)


def test_a_group_subtotal_that_does_not_match_names_the_group_and_its_ledgers(tmp_path):
    tree = company_tree()
    debtors = find(tree, "Sundry Debtors")
    debtors.shown = debtors.net - Decimal("10000")  # the export prints 10,000 more Dr
    with pytest.raises(MismatchError) as caught:
        extract(tmp_path, trial_balance(tree))
    message = str(caught.value)
    assert 'the group "Sundry Debtors"' in message
    assert "a difference of \u20b910,000.00" in message
    assert '"Apex Auto Components", "Modern Tools"' in message
    assert "TB FY24.xml" in message


def test_an_accepted_subtotal_mismatch_becomes_a_warning(tmp_path):
    tree = company_tree()
    debtors = find(tree, "Sundry Debtors")
    debtors.shown = debtors.net - Decimal("10000")
    extraction = extract(tmp_path, trial_balance(tree), accept_mismatches=True)
    assert any('"Sundry Debtors"' in warning for warning in extraction.warnings)
    assert "Apex Auto Components" in [item.label for item in extraction.items]
    skipped = next(row for row in extraction.skipped if row.text == "Sundry Debtors")
    assert skipped.kind == "ignored"


def test_a_trial_balance_that_does_not_balance_is_a_mismatch_until_accepted(tmp_path):
    tree = company_tree()
    find(tree, "Rent").net -= Decimal("2500.50")  # Dr 2,500.50 more, nothing against it
    rows = [node for node in tree]
    data = trial_balance(rows, detailed=True)
    # The group totals follow the ledgers, so only the balance fails.
    with pytest.raises(MismatchError) as caught:
        extract(tmp_path, data)
    assert "does not balance" in str(caught.value)
    assert "\u20b92,500.50" in str(caught.value)
    accepted = extract(tmp_path, data, accept_mismatches=True)
    assert any("does not balance" in warning for warning in accepted.warnings)


def test_condensed_trial_balance_reads_each_group_as_a_line_and_says_so(tmp_path):
    tree = company_tree()
    extraction = extract(tmp_path, trial_balance(tree, detailed=False))
    labels = [item.label for item in extraction.items]
    assert labels[:3] == ["Capital Account", "Loans (Liability)", "Current Liabilities"]
    current = next(i for i in extraction.items if i.label == "Current Liabilities")
    assert current.section == "Current Liabilities"
    assert any("condensed" in warning for warning in extraction.warnings)


def test_a_flat_trial_balance_with_the_grand_total_checks_it(tmp_path):
    tree = [tally_files.Ledger(name, net) for name, net, _ in ledgers_of(company_tree())]
    extraction = extract(tmp_path, trial_balance(tree, grand_total=True))
    grand = extraction.skipped[-1]
    assert (grand.text, grand.kind) == ("Grand Total", "total")
    assert all(item.section == "" for item in extraction.items)


def test_masters_give_each_ledger_its_group_chain_and_no_figures(tmp_path):
    tree = company_tree()
    extraction = extract_file(path=write(tmp_path, masters(tree)), kind="xml", name="Masters.xml")
    assert extraction.items == [] and extraction.years == []
    assert extraction.company == COMPANY
    assert extraction.ledger_groups["Shree Electricals"] == (
        "Creditors for Expenses / Sundry Creditors / Current Liabilities"
    )
    assert extraction.ledger_groups["Plant & Machinery"] == "Fixed Assets"
    assert "opening balances" in extraction.warnings[0]
    ledger_rows = [row for row in extraction.skipped if row.source.startswith("ledger")]
    assert len(ledger_rows) == len(ledgers_of(tree))
    assert "balance when the books began" in ledger_rows[0].reason


def test_masters_and_a_trial_balance_give_every_ledger_its_group(tmp_path):
    from projects.steps.extract import apply_ledger_groups

    tree = company_tree()
    flat = [tally_files.Ledger(name, net) for name, net, _ in ledgers_of(tree)]
    report = extract(tmp_path, trial_balance(flat))
    assert all(item.section == "" for item in report.items)
    groups = extract_file(path=write(tmp_path, masters(tree), "m.xml"), kind="xml")
    placed = apply_ledger_groups([(1, i) for i in report.items], {1: report, 2: groups})
    expected = {name: " / ".join(chain) for name, _, chain in ledgers_of(tree)}
    assert {item.label: item.section for _, item in placed} == expected
    assert all(item.section for _, item in placed if item.label not in
               ("Profit & Loss A/c", "Opening Stock"))  # fmt: skip


def test_ledgers_with_closing_balances_are_a_trial_balance_of_the_period(tmp_path):
    tree = company_tree()
    data = masters(tree, closing=True, period=("20230401", "20240331"))
    extraction = extract(tmp_path, data, fiscal_year=None)
    assert extraction.years == ["2023-24"]
    assert sorted((i.label, i.amount, i.side) for i in extraction.items) == sorted(
        expected_items(tree)
    )
    assert extraction.items[0].section == "Capital Account"


def test_a_period_naming_another_year_than_chosen_is_a_mismatch(tmp_path):
    data = masters(company_tree(), closing=True, period=("20220401", "20230331"))
    with pytest.raises(MismatchError) as caught:
        extract(tmp_path, data, fiscal_year="2023-24")
    assert "2022-23" in str(caught.value) and "2023-24" in str(caught.value)
    accepted = extract(tmp_path, data, fiscal_year="2023-24", accept_mismatches=True)
    assert accepted.years == ["2023-24"]


def test_a_report_without_a_period_needs_the_year_chosen(tmp_path):
    with pytest.raises(ExtractionError) as caught:
        extract(tmp_path, trial_balance(company_tree()), fiscal_year=None)
    assert "Choose the fiscal year" in str(caught.value)
    assert not caught.value.acceptable


def test_closing_stock_under_stock_in_hand_stays_outside_the_balance(tmp_path):
    tree = company_tree()
    current = find(tree, "Current Assets")
    current.members.append(
        tally_files.G("Stock-in-Hand", tally_files.L("Closing Stock", "-1720000"))
    )
    extraction = extract(tmp_path, trial_balance(tree))
    stock = next(i for i in extraction.items if i.label == "Closing Stock")
    assert stock.closing_stock and stock.side == "Dr"
    assert stock.section == "Stock-in-Hand / Current Assets"


def test_tally_s_broken_xml_is_repaired_and_a_doctype_is_refused(tmp_path):
    tree = [tally_files.L("Cash", "-100"), tally_files.L("Capital", "100")]
    data = trial_balance(tree, encoding="utf-8").decode()
    broken = data.replace("Cash<", "Cash &#4;& Bank<")
    extraction = extract(tmp_path, broken.encode())
    assert extraction.items[0].label == "Cash & Bank"
    hostile = '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.replace("Capital<", "&a;<")
    with pytest.raises(ExtractionError) as caught:
        extract(tmp_path, hostile.encode())
    assert "document type" in str(caught.value)


def test_other_xml_is_not_read_as_tally(tmp_path):
    data = b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
    with pytest.raises(ExtractionError) as caught:
        extract(tmp_path, data)
    assert "not an XML export from Tally" in str(caught.value)


def test_tally_groups_are_evidence_for_a_ledgers_head():
    from projects.cma.records import ExtractedItem

    def head(label, side, section):
        item = ExtractedItem("2023-24", label, Decimal("100"), side, "row 1", section=section)
        return classify(item).head

    chain = "Creditors for Expenses / Sundry Creditors / Current Liabilities"
    assert head("Shree Electricals", "Cr", chain) == "sundry_creditors"
    assert head("Apex Auto Components", "Dr", "Sundry Debtors / Current Assets") == (
        "receivables_domestic"
    )
    assert head("Modern Tools", "Cr", "Sundry Creditors / Current Liabilities") == (
        "sundry_creditors"
    )
    assert head("Freight", "Dr", "Direct Expenses") == "other_mfg_expenses"
