"""Reading trial balances and Schedule III statements: the samples, and small made-up files."""

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from projects.cma.extract import extract_file

SAMPLES = Path(__file__).parents[2] / "fixtures" / "samples"
MEHTA = SAMPLES / "mehta-traders"
SGP = SAMPLES / "shree-ganesh-polymers-private-limited"

TRIAL_BALANCES = [
    ("mehta-traders", [("trial-balance.csv", "csv")]),
    (
        "shree-ganesh-polymers-private-limited",
        [("trial-balance-2023-24.xlsx", "xlsx"), ("trial-balance-2024-25.xlsx", "xlsx")],
    ),
]
# The CSV marks closing stock in the ledger's name; the answer key gives the bare name.
MARKER = re.compile(r"\s*\(closing stock\)\s*$", re.IGNORECASE)


def key(label, year, amount, side, closing):
    return (label, year, Decimal(str(amount)).quantize(Decimal("0.01")), side, bool(closing))


def truth_items(folder):
    truth = json.loads((SAMPLES / folder / "truth.json").read_text())
    return Counter(
        key(i["label"], i["year"], i["amount"], i["side"], i.get("closing_stock"))
        for i in truth["line_items"]
    )


def by_label(extraction, year):
    return {item.label: item for item in extraction.items if item.year == year}


# ----------------------------------------------------------------------------------------
# The samples
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "files"), TRIAL_BALANCES)
def test_each_sample_trial_balance_yields_exactly_the_answer_keys_line_items(folder, files):
    got = Counter()
    for name, kind in files:
        extraction = extract_file(path=SAMPLES / folder / name, kind=kind)
        assert extraction.warnings == []
        for item in extraction.items:
            label = MARKER.sub("", item.label) if item.closing_stock else item.label
            got[key(label, item.year, item.amount, item.side, item.closing_stock)] += 1
    assert got == truth_items(folder)


@pytest.mark.parametrize(("folder", "files"), TRIAL_BALANCES)
def test_sample_trial_balances_balance_without_their_closing_stock(folder, files):
    for name, kind in files:
        extraction = extract_file(path=SAMPLES / folder / name, kind=kind)
        assert extraction.basis == "trial_balance"
        for year in extraction.years:
            debit, credit = extraction.totals[year]
            assert debit == credit
            ledgers = [i for i in extraction.items if i.year == year and not i.closing_stock]
            assert sum(i.amount for i in ledgers if i.side == "Dr") == debit
            assert sum(i.amount for i in ledgers if i.side == "Cr") == credit


def test_mehta_csv_yields_both_years_from_its_year_columns():
    extraction = extract_file(path=MEHTA / "trial-balance.csv", kind="csv")
    assert extraction.years == ["2023-24", "2024-25"]
    capital = [i for i in extraction.items if i.label == "Partner Capital - Rajesh Mehta"]
    assert [(i.year, i.amount, i.side) for i in capital] == [
        ("2023-24", Decimal("154030.01"), "Cr"),
        ("2024-25", Decimal("184478.36"), "Cr"),
    ]
    assert capital[0].source == "line 3"


def test_mehta_closing_stock_lines_are_flagged_and_keep_their_marked_label():
    extraction = extract_file(path=MEHTA / "trial-balance.csv", kind="csv")
    stock = [i for i in extraction.items if i.closing_stock]
    assert len(stock) == 8
    assert all(i.label.endswith("(Closing Stock)") and i.side == "Dr" for i in stock)
    assert extraction.totals["2023-24"] == (Decimal("3354138.13"), Decimal("3354138.13"))


def test_sgp_workbook_uses_its_grand_total_and_period_line_and_stock_sheet():
    extraction = extract_file(path=SGP / "trial-balance-2023-24.xlsx", kind="xlsx")
    assert extraction.years == ["2023-24"]
    assert extraction.totals == {"2023-24": (Decimal("18848921.50"), Decimal("18848921.50"))}
    items = by_label(extraction, "2023-24")
    assert "Grand Total" not in items
    assert items["Interest Received on FD"].source == "Trial Balance!A6"
    assert (items["Sales - Domestic"].amount, items["Sales - Domestic"].side) == (
        Decimal("9032277.09"),
        "Cr",
    )
    raw_material = items["Raw Material"]
    assert raw_material.closing_stock
    assert (raw_material.amount, raw_material.side) == (Decimal("606811.50"), "Dr")
    assert raw_material.source == "Closing Stock!A2"


def test_progress_is_reported_up_to_the_total(tmp_path):
    calls = []
    extract_file(
        path=SGP / "trial-balance-2023-24.xlsx",
        kind="xlsx",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls
    assert calls[-1][0] == calls[-1][1]
    calls.clear()
    extract_file(
        path=SGP / "financial-statements.pdf",
        kind="pdf",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 2), (2, 2)]
